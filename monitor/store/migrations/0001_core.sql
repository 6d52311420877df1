-- Core: organisation, people, accounts, posts and their versions, review, users, audit.
-- Timestamps are ISO 8601 UTC strings ("2024-10-07T02:13:00Z"), which sort correctly as text.

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    parent_id   INTEGER REFERENCES units(id),
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE employees (
    id              INTEGER PRIMARY KEY,
    nip             TEXT UNIQUE,            -- 18 digits; PNS and PPPK
    nik             TEXT UNIQUE,            -- 16 digits; PPNPN without NIP
    name            TEXT NOT NULL,
    unit_id         INTEGER REFERENCES units(id),
    position        TEXT,
    rank            TEXT,                   -- pangkat/golongan
    employment_type TEXT NOT NULL CHECK (employment_type IN ('PNS', 'PPPK', 'PPNPN')),
    active          INTEGER NOT NULL DEFAULT 1,
    deactivated_at  TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (nip IS NOT NULL OR nik IS NOT NULL)
);
CREATE INDEX employees_unit ON employees(unit_id);

CREATE TABLE accounts (
    id                INTEGER PRIMARY KEY,
    platform          TEXT NOT NULL,
    handle            TEXT NOT NULL,        -- normalised, see monitor.handles
    platform_user_id  TEXT,
    employee_id       INTEGER REFERENCES employees(id),
    active            INTEGER NOT NULL DEFAULT 1,
    cursor            TEXT,                 -- collection cursor, committed with the items it covers
    status            TEXT NOT NULL DEFAULT 'ok',   -- ok | suspended | private | not_found | opted_out
    status_reason     TEXT,
    last_collected_at TEXT,
    last_success_at   TEXT,
    last_error        TEXT,
    last_error_at     TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (platform, handle)
);
CREATE INDEX accounts_employee ON accounts(employee_id);

CREATE TABLE posts (
    id              INTEGER PRIMARY KEY,
    platform        TEXT NOT NULL,
    post_id         TEXT NOT NULL,          -- the platform's own id
    account_id      INTEGER REFERENCES accounts(id),
    url             TEXT,
    text            TEXT NOT NULL DEFAULT '',
    lang            TEXT,
    created_at      TEXT,
    collected_at    TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'post'
                    CHECK (kind IN ('post', 'repost', 'reply', 'quote', 'report')),
    original_author TEXT,                   -- for reposts and quotes
    media_json      TEXT NOT NULL DEFAULT '[]',
    raw_json        TEXT NOT NULL,          -- the payload exactly as stored for this version
    raw_sha256      TEXT NOT NULL,
    text_sha256     TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    edited_at       TEXT,
    deleted_at      TEXT,                   -- gone from the platform; the row and evidence stay
    UNIQUE (platform, post_id)
);
CREATE INDEX posts_account_created ON posts(account_id, created_at);
CREATE INDEX posts_created ON posts(created_at);

-- Superseded versions of a post. The current version lives in `posts`; together they are
-- every version ever collected, each with its own hashes.
CREATE TABLE post_versions (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES posts(id),
    version       INTEGER NOT NULL,
    text          TEXT NOT NULL,
    media_json    TEXT NOT NULL DEFAULT '[]',
    raw_json      TEXT NOT NULL,
    raw_sha256    TEXT NOT NULL,
    text_sha256   TEXT NOT NULL,
    collected_at  TEXT NOT NULL,
    superseded_at TEXT NOT NULL,
    UNIQUE (post_id, version)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name     TEXT,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'supervisor', 'auditor')),
    active        INTEGER NOT NULL DEFAULT 1,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    last_login_at TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- A supervisor's scope: these units and all their sub-units.
CREATE TABLE user_units (
    user_id INTEGER NOT NULL REFERENCES users(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (user_id, unit_id)
);

CREATE TABLE classifications (
    id               INTEGER PRIMARY KEY,
    post_id          INTEGER NOT NULL REFERENCES posts(id),
    model_version    TEXT NOT NULL,
    scores_json      TEXT NOT NULL,
    explanation_json TEXT NOT NULL DEFAULT '{}',
    created_at       TEXT NOT NULL,
    UNIQUE (post_id, model_version)
);

CREATE TABLE flags (
    id             INTEGER PRIMARY KEY,
    post_id        INTEGER REFERENCES posts(id),
    interaction_id INTEGER,                 -- REFERENCES interactions(id), added in 0002
    category       TEXT NOT NULL,           -- partisan | hate | abusive | hoax | interaction | report
    score          REAL NOT NULL DEFAULT 0,
    status         TEXT NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'confirmed', 'dismissed', 'escalated')),
    proposed_code  TEXT,                    -- violation code the system proposes (N1, H2, ...)
    violation_code TEXT,                    -- code a reviewer confirmed
    unit_id        INTEGER REFERENCES units(id),
    model_version  TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (post_id IS NOT NULL OR interaction_id IS NOT NULL)
);
CREATE UNIQUE INDEX flags_post_category ON flags(post_id, category) WHERE post_id IS NOT NULL;
CREATE INDEX flags_status_score ON flags(status, score DESC);
CREATE INDEX flags_unit ON flags(unit_id);

CREATE TABLE reviews (
    id             INTEGER PRIMARY KEY,
    flag_id        INTEGER NOT NULL REFERENCES flags(id),
    reviewer_id    INTEGER NOT NULL REFERENCES users(id),
    decision       TEXT NOT NULL
                   CHECK (decision IN ('violation', 'not_violation', 'escalate', 'reopen')),
    violation_code TEXT,
    note           TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX reviews_flag ON reviews(flag_id);
CREATE INDEX reviews_reviewer ON reviews(reviewer_id);

-- Append-only, hash-chained (see monitor.audit). The triggers make UPDATE and DELETE fail.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    ts           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    target       TEXT,
    details_json TEXT NOT NULL DEFAULT '{}',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
