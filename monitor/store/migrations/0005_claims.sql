-- 0005_claims: known debunked claims (issue 7). The `claims` table itself is in 0002; this adds
-- the fact-checker's own id and the posts that repeat a claim.

-- The fact-checker's id for the item (TurnBackHoax ID, feed guid): shown and exported, never
-- used for deduplication (text_sha256 does that; feeds are also deduplicated by URL).
ALTER TABLE claims ADD COLUMN external_id TEXT;
CREATE INDEX claims_url ON claims(url) WHERE url IS NOT NULL;

-- A post found similar to a claim at or above the matcher's threshold. Re-matching updates the
-- similarity; rows stay when the claim set changes, so a reviewer's evidence does not vanish.
CREATE TABLE claim_matches (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts(id),
    claim_id    INTEGER NOT NULL REFERENCES claims(id),
    similarity  REAL NOT NULL,
    threshold   REAL NOT NULL,              -- the index's threshold when the match was made
    method      TEXT NOT NULL,              -- e.g. tfidf-word12-char35-w0.5
    -- 'repeats' raises the hoax flag; 'debunks' (the post corrects the claim) is kept for the
    -- reviewer's context and raises nothing.
    stance      TEXT NOT NULL DEFAULT 'repeats' CHECK (stance IN ('repeats', 'debunks')),
    matched_at  TEXT NOT NULL,
    UNIQUE (post_id, claim_id)
);
CREATE INDEX claim_matches_claim ON claim_matches(claim_id);
