-- 0009_case_evidence: a case notices when a flag it rests on is reopened or re-decided in review.
-- Whether a case is blocked is computed from its flags' current status; these rows record what
-- happened (which flag, when, by whom, why) and whether it was settled (confirmed again, or the
-- flag removed from the case by an admin).

CREATE TABLE case_evidence_changes (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    flag_id         INTEGER NOT NULL REFERENCES flags(id),
    kind            TEXT NOT NULL CHECK (kind IN ('reopen', 'not_violation', 'escalate')),
    previous_status TEXT,                 -- the flag's status before the change
    reason          TEXT,                 -- the reopen reason or the decision's note
    user_id         INTEGER REFERENCES users(id),   -- who changed it (an id: redacted in subject reports)
    changed_at      TEXT NOT NULL,
    resolved_at     TEXT,
    resolved_by     INTEGER REFERENCES users(id),
    resolution      TEXT CHECK (resolution IN ('confirmed', 'removed'))
);
CREATE INDEX case_evidence_changes_case ON case_evidence_changes(case_id, flag_id, id);

-- Notifications get a new kind. SQLite cannot change a CHECK constraint, so the table is
-- rebuilt with the same columns; nothing references it.
CREATE TABLE notifications_new (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id),
    case_id          INTEGER REFERENCES cases(id),
    kind             TEXT NOT NULL
                     CHECK (kind IN ('case_opened', 'action_due', 'overdue', 'digest', 'evidence_changed')),
    dedup_key        TEXT NOT NULL UNIQUE,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    read_at          TEXT,
    email_to         TEXT,
    email_status     TEXT NOT NULL DEFAULT 'none'
                     CHECK (email_status IN ('none', 'pending', 'sending', 'sent', 'failed')),
    email_attempts   INTEGER NOT NULL DEFAULT 0,
    email_claimed_at TEXT,
    email_sent_at    TEXT,
    email_error      TEXT
);
INSERT INTO notifications_new (id, user_id, case_id, kind, dedup_key, subject, body, created_at, read_at, email_to,
                               email_status, email_attempts, email_claimed_at, email_sent_at, email_error)
    SELECT id, user_id, case_id, kind, dedup_key, subject, body, created_at, read_at, email_to,
           email_status, email_attempts, email_claimed_at, email_sent_at, email_error FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user ON notifications(user_id, read_at);
CREATE INDEX notifications_email ON notifications(email_status);
