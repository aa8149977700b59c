-- Twin of 0004_search_filter.sql, which gives SQLite's search plan a covering index of
-- the filter columns. PostgreSQL's planner combines the single-column indexes of 0001
-- (bitmap scans) instead: nothing to do here.
SELECT 1;
