-- 0010_captures: browser captures (Zeeschuimer NDJSON). One row per import with its counts and
-- line errors; one provenance row per stored item (who captured it, from which page, when, with
-- which browser); upload tokens for the capture receiver, stored only as SHA-256.

CREATE TABLE capture_imports (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    source       TEXT NOT NULL,              -- file name, or 'upload' for the receiver
    captured_by  TEXT,                       -- Netra username of the analyst who captured
    platforms    TEXT,                       -- comma-separated source_platform values seen
    counts_json  TEXT NOT NULL DEFAULT '{}', -- items, stored, new, edited, duplicates, dropped_unregistered, ...
    errors_json  TEXT NOT NULL DEFAULT '[]'  -- [[line, message], ...]
);

CREATE TABLE capture_provenance (
    platform        TEXT NOT NULL,
    post_id         TEXT NOT NULL,
    import_id       INTEGER NOT NULL REFERENCES capture_imports(id),
    captured_by     TEXT,
    page_url        TEXT,                    -- source_platform_url: the page open in the tab
    source_url      TEXT,                    -- the captured request
    user_agent      TEXT,
    collected_at    TEXT NOT NULL,           -- timestamp_collected as UTC text ('' if absent)
    nav_index       TEXT,
    PRIMARY KEY (platform, post_id, collected_at)  -- the same capture imported twice adds nothing
) WITHOUT ROWID;
CREATE INDEX capture_provenance_import ON capture_provenance(import_id);

CREATE TABLE capture_tokens (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id),
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL
);

