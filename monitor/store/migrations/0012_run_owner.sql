-- 0012_run_owner: which process runs a collection, so a run left "running" by a killed process
-- can be told from one still going and marked interrupted on the next start (issue 15, item 12).
-- Runs from before this migration have no owner; the first start after it marks them.
ALTER TABLE collect_runs ADD COLUMN pid INTEGER;
ALTER TABLE collect_runs ADD COLUMN host TEXT;
ALTER TABLE collect_runs ADD COLUMN end_reason TEXT;
