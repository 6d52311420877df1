-- 0004_evidence: screenshots and media captured as evidence, and the audit chain's head.

-- Screenshots and media files, content-addressed: the bytes live in the media folder under
-- their SHA-256 (see monitor.capture); this table says whose they are, where they came from
-- and when. A capture that failed is a row too, with the reason, so nobody wonders whether it
-- was ever tried. Rows are never changed or deleted while their post is kept.
CREATE TABLE media (
    id           INTEGER PRIMARY KEY,
    post_id      INTEGER REFERENCES posts(id),
    kind         TEXT NOT NULL CHECK (kind IN ('screenshot', 'media')),
    origin       TEXT NOT NULL DEFAULT 'capture' CHECK (origin IN ('capture', 'upload')),
    source_url   TEXT,
    sha256       TEXT,                      -- NULL when the capture failed
    content_type TEXT,
    size         INTEGER,
    captured_at  TEXT NOT NULL,
    failure      TEXT,                      -- why the capture failed; NULL on success
    CHECK (sha256 IS NOT NULL OR failure IS NOT NULL)
);
CREATE INDEX media_post ON media(post_id, kind);
CREATE INDEX media_sha256 ON media(sha256);

-- The last entry of the audit chain, kept by a trigger. A hash chain alone cannot show that
-- its newest entries were cut off; the head can, and it only ever moves forward.
CREATE TABLE audit_head (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    last_id INTEGER NOT NULL,
    hash    TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, hash)
SELECT 1, COALESCE((SELECT MAX(id) FROM audit_log), 0),
       COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_head_follow AFTER INSERT ON audit_log
BEGIN
    UPDATE audit_head SET last_id = new.id, hash = new.hash WHERE id = 1;
END;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
WHEN new.last_id <= old.last_id
BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END;
