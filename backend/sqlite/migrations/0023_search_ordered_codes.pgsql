-- Twin of 0023_search_ordered_codes.sql: nothing to do. SQLite's orders_ordered_codes
-- lets a search's page walked newest first check status and payment method without
-- reading each order's row; pgstore's search reads its pages through PostgreSQL's own
-- plans (orders_codes, 0022's short grams).
SELECT 1;
