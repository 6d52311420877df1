-- 0010_redact_secrets: mask credentials already stored in URLs and error messages (issue 15,
-- item 2). netra_redact is monitor.redact.redact, registered on every connection. The audit
-- log is hash-chained and cannot be rewritten; new audit entries are redacted on write. Media
-- source URLs stay: they are the evidence's address and name the files already fetched.
UPDATE collect_errors SET url = netra_redact(url), message = netra_redact(message)
 WHERE url IS NOT NULL OR message IS NOT NULL;
UPDATE accounts SET last_error = netra_redact(last_error), status_reason = netra_redact(status_reason)
 WHERE last_error IS NOT NULL OR status_reason IS NOT NULL;
UPDATE campaign_accounts SET last_error = netra_redact(last_error), status_reason = netra_redact(status_reason)
 WHERE last_error IS NOT NULL OR status_reason IS NOT NULL;
UPDATE notifications SET email_error = netra_redact(email_error) WHERE email_error IS NOT NULL;
