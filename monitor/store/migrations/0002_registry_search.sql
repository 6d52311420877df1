-- The registry of "who" (elections, candidates, parties, campaign accounts and terms),
-- interactions with campaign accounts, public reports, known hoax claims, cases, and
-- full-text search over post text.

CREATE TABLE elections (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE,
    type           TEXT NOT NULL CHECK (type IN ('pilpres', 'pileg', 'pilkada')),
    name           TEXT NOT NULL,
    region         TEXT,
    year           INTEGER NOT NULL,
    campaign_start TEXT,
    campaign_end   TEXT,
    quiet_start    TEXT,
    quiet_end      TEXT,
    voting_day     TEXT
);

CREATE TABLE candidates (
    id             INTEGER PRIMARY KEY,
    election_id    INTEGER NOT NULL REFERENCES elections(id),
    ballot_number  INTEGER,
    name           TEXT NOT NULL,
    running_mate   TEXT,
    role           TEXT NOT NULL DEFAULT 'pair' CHECK (role IN ('pair', 'pre_candidate', 'single')),
    pair_name      TEXT,
    nicknames_json TEXT NOT NULL DEFAULT '[]',
    spouse         TEXT,
    status         TEXT NOT NULL DEFAULT 'candidate'
                   CHECK (status IN ('candidate', 'pre_candidate', 'withdrawn')),
    UNIQUE (election_id, name)
);

CREATE TABLE parties (
    id             INTEGER PRIMARY KEY,
    number         INTEGER,
    name           TEXT NOT NULL UNIQUE,
    abbreviation   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    nicknames_json TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE campaign_accounts (
    id               INTEGER PRIMARY KEY,
    platform         TEXT NOT NULL,
    handle           TEXT NOT NULL,
    platform_user_id TEXT,
    owner_type       TEXT NOT NULL CHECK (owner_type IN ('candidate', 'party', 'team')),
    owner            TEXT NOT NULL,
    election_id      INTEGER REFERENCES elections(id),
    active           INTEGER NOT NULL DEFAULT 1,
    cursor           TEXT,
    last_collected_at TEXT,
    last_error       TEXT,
    UNIQUE (platform, handle)
);

CREATE TABLE campaign_terms (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('hashtag', 'slogan')),
    text        TEXT NOT NULL COLLATE NOCASE,
    election_id INTEGER REFERENCES elections(id),
    owner       TEXT,
    UNIQUE (kind, text)
);

-- An ASN account's like / repost / reply / follow on a campaign account or its post.
-- Only registered ASN accounts appear here: other people's identities are never stored.
CREATE TABLE interactions (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts(id),
    campaign_account_id INTEGER NOT NULL REFERENCES campaign_accounts(id),
    kind                TEXT NOT NULL CHECK (kind IN ('like', 'repost', 'reply', 'quote', 'follow', 'comment')),
    target_post_id      TEXT NOT NULL DEFAULT '',   -- platform id of the campaign post; '' for follows
    target_url          TEXT,
    first_seen_at       TEXT NOT NULL,
    raw_json            TEXT NOT NULL,
    raw_sha256          TEXT NOT NULL,
    UNIQUE (account_id, campaign_account_id, kind, target_post_id)
);

CREATE TABLE reports (
    id                 INTEGER PRIMARY KEY,
    post_id            INTEGER REFERENCES posts(id),
    url                TEXT NOT NULL,
    text               TEXT,
    reporter_contact   TEXT,
    screenshot_sha256  TEXT,
    created_at         TEXT NOT NULL
);

CREATE TABLE claims (
    id           INTEGER PRIMARY KEY,
    claim_text   TEXT NOT NULL,
    title        TEXT,
    verdict      TEXT,
    url          TEXT,
    source       TEXT,
    published_at TEXT,
    category     TEXT,
    text_sha256  TEXT NOT NULL UNIQUE,     -- deduplicates re-imports of the same claim
    created_at   TEXT NOT NULL
);

CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    status      TEXT NOT NULL DEFAULT 'temuan'
                CHECK (status IN ('temuan', 'verifikasi', 'dilaporkan', 'rekomendasi', 'sanksi', 'ditutup')),
    found_at    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE case_flags (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    flag_id INTEGER NOT NULL REFERENCES flags(id),
    PRIMARY KEY (case_id, flag_id)
);

-- External-content FTS5 index over post text. New posts are indexed in bulk by
-- refresh_search_index (monitor.store.posts), not by a per-row trigger: indexing costs more
-- than the insert itself, and collection must never wait on search. Searches cover the
-- not-yet-indexed tail (id > indexed_upto) directly, so results are never stale.
-- Edits and deletes of already-indexed rows keep the index exact through the triggers.
CREATE TABLE search_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_upto INTEGER NOT NULL
);
INSERT INTO search_state VALUES (1, 0);
CREATE VIRTUAL TABLE posts_fts USING fts5(
    text, content='posts', content_rowid='id', tokenize='unicode61 remove_diacritics 2', columnsize=0
);
CREATE TRIGGER posts_fts_ad AFTER DELETE ON posts
WHEN old.id <= (SELECT indexed_upto FROM search_state) BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER posts_fts_au AFTER UPDATE OF text ON posts
WHEN old.id <= (SELECT indexed_upto FROM search_state) BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO posts_fts(rowid, text) VALUES (new.id, new.text);
END;
