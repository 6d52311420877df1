-- 0003_collection: collector runs, errors (with the raw body of malformed payloads), items per
-- account per day (health), request budgets per period, and one flag per interaction.

CREATE TABLE collect_runs (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    platforms     TEXT,                     -- comma-separated, NULL = all
    account       TEXT,                     -- --account filter, if any
    status        TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    accounts      INTEGER NOT NULL DEFAULT 0,
    new_posts     INTEGER NOT NULL DEFAULT 0,
    edited_posts  INTEGER NOT NULL DEFAULT 0,
    deleted_posts INTEGER NOT NULL DEFAULT 0,
    interactions  INTEGER NOT NULL DEFAULT 0,
    flags         INTEGER NOT NULL DEFAULT 0,
    errors        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE collect_errors (
    id                  INTEGER PRIMARY KEY,
    run_id              INTEGER REFERENCES collect_runs(id),
    platform            TEXT NOT NULL,
    account_id          INTEGER REFERENCES accounts(id),
    campaign_account_id INTEGER REFERENCES campaign_accounts(id),
    kind                TEXT NOT NULL,      -- malformed | rate_limited | unavailable | budget | platform | bug
    message             TEXT NOT NULL,
    url                 TEXT,
    raw_body            BLOB,               -- the response exactly as received (malformed payloads)
    raw_sha256          TEXT,
    created_at          TEXT NOT NULL
);
CREATE INDEX collect_errors_account ON collect_errors(account_id, created_at);
CREATE INDEX collect_errors_created ON collect_errors(created_at);

CREATE TABLE collect_daily (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    day        TEXT NOT NULL,               -- YYYY-MM-DD (UTC)
    items      INTEGER NOT NULL DEFAULT 0,  -- new posts collected that day
    PRIMARY KEY (account_id, day)
) WITHOUT ROWID;

CREATE TABLE collect_budgets (
    name   TEXT NOT NULL,                   -- e.g. x_post_reads, youtube_quota
    period TEXT NOT NULL,                   -- YYYY-MM or YYYY-MM-DD (UTC)
    used   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (name, period)
) WITHOUT ROWID;

ALTER TABLE campaign_accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'ok';
ALTER TABLE campaign_accounts ADD COLUMN status_reason TEXT;
ALTER TABLE campaign_accounts ADD COLUMN last_success_at TEXT;

CREATE UNIQUE INDEX flags_interaction ON flags(interaction_id) WHERE interaction_id IS NOT NULL;
CREATE INDEX posts_platform_collected ON posts(platform, collected_at);
