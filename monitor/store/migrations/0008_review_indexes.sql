-- 0008_review_indexes: indexes the review pages need at 1,000,000 posts and 50,000 flags
-- (issue 5; measured by benchmarks/dashboard_latency.py).

-- The unit summary counts flags per unit, category and status: with this index the count
-- reads the index alone (flags_unit sent it to the table once per flag: 125 ms -> a few ms).
CREATE INDEX flags_unit_category_status ON flags(unit_id, category, status);

-- The filter's category list (DISTINCT category), the model page's open count per category
-- above a threshold, and reviewed precision per category: index-only instead of a table scan.
CREATE INDEX flags_category_status_score ON flags(category, status, score);
