-- Twin of 0015_search_codes.sql: nothing to do. SQLite's orders_codes narrows the
-- look-ups of a search's count by text and status/method/payment state; pgstore's
-- search checks those columns on the rows its GIN indexes select, and PostgreSQL's
-- bitmap heap scan reads them in page order already.
SELECT 1;
