-- Twin of 0024_short_grams_codes.sql. Two counts SQLite meets and PostgreSQL missed
-- (BenchmarkOrderSearch1MBesidePostgreSQL in backend/sqlite, 1,000,000 orders):
--
-- 1. A 1–2 character name or kana with a status, payment method or payment state
--    (「佐藤」 + 発送済み + カード): the count looked each of the gram's 19,783 orders up in
--    orders_codes (0022), 59,000 index pages (39 ms). order_short_grams now carries the
--    three codes beside (gram, order) in its index, so the count is one range of it
--    (backend/pgstore find.go). The triggers keep them: an order whose name, kana or a
--    code changes gets its gram rows anew (~18 per order). On 1,000,000 orders the
--    table grows 754 → 1,065 MB and its index 564 → 886 MB. Index-only reads need the
--    visibility map, which a migration (one transaction) cannot set: until autovacuum
--    has passed over the new table (it soon does after 18 M inserts) a count reads it.
-- 2. A dense e-mail text (「example.co.jp」, one order in five): the capped count read
--    the orders' pages in turn through a ring of 32 (2,100 pages for 50,000 rows);
--    orders_email, the id with the folded e-mail (53 MB; SQLite's 0016), gives them
--    from the shared buffers (17.5 → 11 ms). A rarer text still reads the trigram
--    index: the planner chooses by the e-mail's statistics, now 1,000 buckets. With
--    100, one bucket holding 「hanako.satou」 (489 orders) made it look like 1% of all,
--    and its page walked 93,000 orders newest first (50 ms) instead of sorting its 489.
CREATE TABLE order_short_grams_new (
    gram           text   NOT NULL,
    order_id       bigint NOT NULL,
    status         text   NOT NULL,
    payment_method text   NOT NULL,
    payment_state  text   NOT NULL
);
INSERT INTO order_short_grams_new
    SELECT g.gram, g.order_id, o.status, o.payment_method, o.payment_state
    FROM order_short_grams g JOIN orders o ON o.id = g.order_id
    ORDER BY g.gram, g.order_id; -- a gram's rows together: an index-only range reads few
                                 -- visibility map pages, and the key is built sorted
DROP TABLE order_short_grams;
ALTER TABLE order_short_grams_new RENAME TO order_short_grams;
ALTER TABLE order_short_grams ADD CONSTRAINT order_short_grams_pkey
    PRIMARY KEY (gram, order_id) INCLUDE (status, payment_method, payment_state);
ALTER TABLE order_short_grams ALTER COLUMN gram SET STATISTICS 2000; -- as 0022
ANALYZE order_short_grams;

CREATE OR REPLACE FUNCTION kd_order_short_grams() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO order_short_grams (gram, order_id, status, payment_method, payment_state)
            SELECT 'n' || g, n.id, n.status, n.payment_method, n.payment_state
                FROM kd_new n, unnest(kd_short_grams(n.name_n)) AS g
            UNION ALL
            SELECT 'k' || g, n.id, n.status, n.payment_method, n.payment_state
                FROM kd_new n, unnest(kd_short_grams(n.kana_n)) AS g;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM order_short_grams s USING (
            SELECT 'n' || g AS gram, o.id FROM kd_old o, unnest(kd_short_grams(o.name_n)) AS g
            UNION ALL
            SELECT 'k' || g, o.id FROM kd_old o, unnest(kd_short_grams(o.kana_n)) AS g) AS d
            WHERE s.gram = d.gram AND s.order_id = d.id;
    ELSIF TG_OP = 'UPDATE' THEN -- only the orders whose name, kana or a code changed
        DELETE FROM order_short_grams s USING (
            SELECT 'n' || g AS gram, o.id FROM kd_old o JOIN kd_new n USING (id), unnest(kd_short_grams(o.name_n)) AS g
                WHERE (n.name_n, n.kana_n, n.status, n.payment_method, n.payment_state)
                   <> (o.name_n, o.kana_n, o.status, o.payment_method, o.payment_state)
            UNION ALL
            SELECT 'k' || g, o.id FROM kd_old o JOIN kd_new n USING (id), unnest(kd_short_grams(o.kana_n)) AS g
                WHERE (n.name_n, n.kana_n, n.status, n.payment_method, n.payment_state)
                   <> (o.name_n, o.kana_n, o.status, o.payment_method, o.payment_state)) AS d
            WHERE s.gram = d.gram AND s.order_id = d.id;
        INSERT INTO order_short_grams (gram, order_id, status, payment_method, payment_state)
            SELECT 'n' || g, n.id, n.status, n.payment_method, n.payment_state
                FROM kd_new n JOIN kd_old o USING (id), unnest(kd_short_grams(n.name_n)) AS g
                WHERE (n.name_n, n.kana_n, n.status, n.payment_method, n.payment_state)
                   <> (o.name_n, o.kana_n, o.status, o.payment_method, o.payment_state)
            UNION ALL
            SELECT 'k' || g, n.id, n.status, n.payment_method, n.payment_state
                FROM kd_new n JOIN kd_old o USING (id), unnest(kd_short_grams(n.kana_n)) AS g
                WHERE (n.name_n, n.kana_n, n.status, n.payment_method, n.payment_state)
                   <> (o.name_n, o.kana_n, o.status, o.payment_method, o.payment_state);
    ELSE -- TRUNCATE
        TRUNCATE order_short_grams;
    END IF;
    RETURN NULL;
END $$;

CREATE INDEX orders_email ON orders (id) INCLUDE (email_n);
ALTER TABLE orders ALTER COLUMN email_n SET STATISTICS 1000;
ANALYZE orders (email_n);
