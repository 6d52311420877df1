-- 0010_image_text: words read from pictures (OCR) and their perceptual hash, once per file.

-- One row per stored picture (by the SHA-256 of its bytes, as in the media folder), whatever
-- how many posts share it: a poster forwarded by forty employees is read once. A picture that
-- cannot be read (broken, not an image, a decompression bomb) is a row too, with the reason,
-- so the backlog does not retry it forever. Media rows themselves stay unchanged (evidence);
-- media_texts joins the two.
CREATE TABLE image_texts (
    id      INTEGER PRIMARY KEY,
    sha256  TEXT NOT NULL UNIQUE,
    engine  TEXT NOT NULL,                 -- rapidocr / tesseract
    text    TEXT,                          -- NULL when the picture could not be read
    error   TEXT,                          -- why not; NULL on success
    width   INTEGER,
    height  INTEGER,
    phash   TEXT,                          -- 64-bit pHash as 16 hex digits (near-copies)
    read_at TEXT NOT NULL,
    CHECK (text IS NOT NULL OR error IS NOT NULL)
);
CREATE INDEX image_texts_phash ON image_texts(phash);

CREATE VIEW media_texts AS
SELECT m.*, t.text AS ocr_text, t.error AS ocr_error, t.engine AS ocr_engine, t.phash, t.read_at AS ocr_read_at
FROM media m LEFT JOIN image_texts t ON t.sha256 = m.sha256;

-- Searchable like post text; kept exact by triggers (pictures are few next to posts).
CREATE VIRTUAL TABLE image_texts_fts USING fts5(
    text, content='image_texts', content_rowid='id', tokenize='unicode61 remove_diacritics 2', columnsize=0
);
CREATE TRIGGER image_texts_fts_ai AFTER INSERT ON image_texts WHEN new.text IS NOT NULL BEGIN
    INSERT INTO image_texts_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER image_texts_fts_ad AFTER DELETE ON image_texts WHEN old.text IS NOT NULL BEGIN
    INSERT INTO image_texts_fts(image_texts_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER image_texts_fts_au AFTER UPDATE OF text ON image_texts BEGIN
    INSERT INTO image_texts_fts(image_texts_fts, rowid, text) SELECT 'delete', old.id, old.text WHERE old.text IS NOT NULL;
    INSERT INTO image_texts_fts(rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL;
END;
