-- 0011_duplicate_groups: near-copies of one picture or one message, reviewed as one item.

-- A group is a signature (pHash of a picture, MinHash of a text) that posts join when theirs is
-- within a few bits of it. A reviewer decides the group once; each member's flag still gets its
-- own review row and audit entry (monitor.flagging.groups). A confirmed picture group is a known
-- campaign image: later copies are flagged on sight with the group as the reason.
CREATE TABLE dup_groups (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('image', 'text')),
    signature      TEXT NOT NULL,            -- pHash: 16 hex digits; MinHash: 64 x uint32 as hex
    sample_sha256  TEXT,                     -- the first picture (kind image)
    sample_post_id INTEGER,                  -- not a foreign key: must not keep a post from retention
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed')),
    violation_code TEXT,
    decided_by     INTEGER REFERENCES users(id),
    decided_at     TEXT,
    note           TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX dup_groups_kind_status ON dup_groups(kind, status);

CREATE TABLE dup_members (
    group_id  INTEGER NOT NULL REFERENCES dup_groups(id),
    post_id   INTEGER NOT NULL REFERENCES posts(id),
    signature TEXT NOT NULL,
    distance  INTEGER NOT NULL,              -- pHash bits, or % of differing MinHash values
    sha256    TEXT,                          -- the member's picture (kind image)
    joined_at TEXT NOT NULL,
    split_at  TEXT,                          -- split off by a reviewer: decided on its own
    PRIMARY KEY (group_id, post_id)
);
CREATE INDEX dup_members_post ON dup_members(post_id);

-- Posts already compared, so a run groups only what is new ('image': key is the picture's
-- hash). The signature is kept so a later copy can start a group with the first one.
CREATE TABLE dup_seen (
    kind      TEXT NOT NULL,
    post_id   INTEGER NOT NULL REFERENCES posts(id),
    key       TEXT NOT NULL DEFAULT '',
    signature TEXT,                          -- NULL: too short to compare
    PRIMARY KEY (kind, post_id, key)
);
