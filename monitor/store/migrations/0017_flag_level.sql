-- Issue 18: the level a flag reached, from the model's two thresholds: 'kuat' (strong threshold,
-- high precision: "indikasi kuat") or 'perlu_dilihat' (review threshold: "perlu dilihat").
-- NULL for flags opened before levels existed and for flags without a model level (reports).
ALTER TABLE flags ADD COLUMN level TEXT CHECK (level IS NULL OR level IN ('kuat', 'perlu_dilihat'));
