-- Twin of 0016_search_email.sql: nothing to do. SQLite's orders_email narrows the
-- look-ups of an e-mail search's count; pgstore's search checks the e-mail on the rows
-- its pg_trgm index selects, and PostgreSQL's bitmap heap scan reads them in page
-- order already.
SELECT 1;
