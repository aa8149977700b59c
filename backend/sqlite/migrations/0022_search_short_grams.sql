-- Twin of 0022_search_short_grams.pgsql: nothing to do. SQLite's order_grams (0010)
-- already reads a 1–2 character name or kana as a stream that a count stops at its
-- cap, and orders_codes (0015) gives the count status and method beside the id; this
-- gives PostgreSQL the same.
SELECT 1;
