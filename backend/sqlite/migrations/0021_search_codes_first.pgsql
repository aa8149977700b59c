-- Twin of 0021_search_codes_first.sql: nothing to do. SQLite's orders_by_codes answers
-- the search planner's count of status + payment method from one index range;
-- pgstore's search lets PostgreSQL's planner choose between its indexes by their
-- statistics and combines them in a bitmap scan.
SELECT 1;
