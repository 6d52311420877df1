-- Issue 18: descriptive cues of a candidate (campaign colours, traits such as "rambut putih"), which
-- the partisan stance layer counts only next to a stance cue ("kode", "paham kan"). JSON list.
ALTER TABLE candidates ADD COLUMN cues_json TEXT NOT NULL DEFAULT '[]';
