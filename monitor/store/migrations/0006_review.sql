-- 0006_review: what the review queue needs beyond the core tables.
-- A bulk decision writes one review row per flag; `batch` ties them together (NULL for single
-- decisions), so "my decisions" and the audit trail can show them as one act.
ALTER TABLE reviews ADD COLUMN batch TEXT;
CREATE INDEX reviews_reviewer_created ON reviews(reviewer_id, created_at);
CREATE INDEX reviews_batch ON reviews(batch) WHERE batch IS NOT NULL;
CREATE INDEX flags_unit_status ON flags(unit_id, status, score DESC);
CREATE INDEX flags_created ON flags(created_at);

-- Minimum score for an open flag to appear in the default queue, per category. Changing it is
-- audited (monitor.review.set_threshold); a category without a row shows every open flag.
CREATE TABLE review_thresholds (
    category   TEXT PRIMARY KEY,
    threshold  REAL NOT NULL CHECK (threshold >= 0 AND threshold <= 1),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
