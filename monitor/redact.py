"""Credentials out of everything this instance stores (issue 15, item 2).

Collectors put API keys in query strings (YouTube ``key=``), send bearer tokens (X, Mastodon),
log in with app passwords (Bluesky) and put bot tokens in the path (Telegram). An error message
or a URL kept in ``collect_errors``, an account's last error or an audit entry would then carry
the secret into the subject-access report and every backup. ``redact`` replaces each secret
with ``***`` and keeps the rest readable; stores call it on write, and migration 0010 (through
the ``netra_redact`` SQL function every connection registers) cleans what is already stored.
"""

from __future__ import annotations

import re

MASK = "***"

#: Query/form/JSON keys whose value is a credential (compared case-insensitively).
SECRET_KEYS = ("key", "api_key", "apikey", "access_token", "refresh_token", "token", "bearer", "client_secret",
               "secret", "password", "passwd", "app_password", "apppassword", "auth", "authorization", "sig",
               "signature", "session", "sessionid", "accessJwt", "refreshJwt", "x-api-key")

_KEYS = "|".join(re.escape(k) for k in sorted(SECRET_KEYS, key=len, reverse=True))
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # key=value in a query string or form body: ?key=AIza...&part=...
    (re.compile(rf"(?i)([?&;](?:{_KEYS})=)[^&#\s'\"<>]+"), rf"\1{MASK}"),
    # "key": "value" in JSON or a Python repr
    (re.compile(rf"(?i)([\"'](?:{_KEYS})[\"']\s*:\s*[\"'])[^\"']*"), rf"\1{MASK}"),
    # Authorization: Bearer xyz / Authorization: Basic xyz / a header dump
    (re.compile(r"(?i)\b(authorization|x-api-key|cookie|set-cookie)(\s*[:=]\s*)(?:(bearer|basic|token)\s+)?[^\s,;'\"]+"),
     lambda m: f"{m.group(1)}{m.group(2)}{(m.group(3) + ' ') if m.group(3) else ''}{MASK}"),
    # "Bearer abc..." anywhere in free text
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {MASK}"),
    # Telegram bot tokens: 123456789:AA... (35 characters after the colon), in a path or text
    (re.compile(r"\b(bot)?\d{5,12}:[A-Za-z0-9_-]{35}\b"), lambda m: f"{m.group(1) or ''}{MASK}"),
    # Google API keys wherever they appear
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), MASK),
    # Bluesky app passwords (xxxx-xxxx-xxxx-xxxx), only next to a password-like word
    (re.compile(r"(?i)(password\S{0,3}\s*)[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}"), rf"\1{MASK}"),
    # user:password@ in a URL
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^/\s@]+@"), rf"\1{MASK}@"),
)


def redact(text: str | None) -> str | None:
    """``text`` (a URL, an error message, a header dump) with every credential masked."""
    if not text:
        return text
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_value(value):
    """Redact the strings inside a JSON-like value (audit details), keys named like secrets whole."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: (MASK if isinstance(k, str) and k.lower() in _LOWER_KEYS and v else redact_value(v))
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(v) for v in value]
    return value


_LOWER_KEYS = {k.lower() for k in SECRET_KEYS} - {"key", "session", "auth", "sig"}
