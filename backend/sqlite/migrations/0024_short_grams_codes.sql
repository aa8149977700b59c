-- Twin of 0024_short_grams_codes.pgsql: nothing to do. SQLite counts a 1–2 character
-- name or kana with a status or payment method from order_grams and orders_codes
-- (0010, 0015); on PostgreSQL the grams carry the codes, and the e-mail a narrow
-- index, for the same speed.
SELECT 1;
