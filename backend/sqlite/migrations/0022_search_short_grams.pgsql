-- Twin of 0022_search_short_grams.sql: 1–2 character names and kana, and a count by
-- text and status/method, read from indexes alone on PostgreSQL (backend/pgstore,
-- find.go), as SQLite reads order_grams (0010) and orders_codes (0015).
--
-- 0010's gram arrays (orders.name_g/kana_g, GIN) found the right orders but could not
-- stop a capped count: a GIN index gives its whole list as a bitmap (99,644 orders for
-- 山, 204,454 for ヤ on 1,000,000 orders), and each of the first 10,001 is then
-- checked in the orders' pages (5,500 pages for 山: 30–60 ms). order_short_grams is a
-- btree of (gram, order): a gram's orders come in id order, and a count reads 10,001
-- index entries and stops (1–2 ms). A gram is 'n' (name) or 'k' (kana) and a distinct
-- character or pair of characters of the folded text (kd_short_grams).
--
-- Size on 1,000,000 orders (18 M grams): ~750 MB of rows and ~540 MB of index. Dropping
-- the arrays and their GIN indexes gives back ~270 MB (the orders' rows get narrower
-- too, and every search that reads them reads fewer pages).
CREATE TABLE order_short_grams (
    gram     text   NOT NULL,
    order_id bigint NOT NULL
);
INSERT INTO order_short_grams (gram, order_id)
    SELECT 'n' || g, id FROM orders, unnest(name_g) AS g
    UNION ALL
    SELECT 'k' || g, id FROM orders, unnest(kana_g) AS g;
ALTER TABLE order_short_grams ADD PRIMARY KEY (gram, order_id); -- after the rows: built sorted
ALTER TABLE orders DROP COLUMN name_g, DROP COLUMN kana_g;
-- The planner must know a rare gram from a common one: a rare one's few orders are
-- looked up and sorted, a common one's checked along the sort's index. With the default
-- statistics a gram outside the 100 most common was taken for an average one (~7,000
-- orders), and 彌's 10 orders were searched for along all 1,000,000 (1.7 s).
ALTER TABLE order_short_grams ALTER COLUMN gram SET STATISTICS 2000;
ANALYZE order_short_grams;

-- Kept in step with orders by statement triggers, whatever writes them (a save, an
-- import's batch, a move's COPY): a statement's rows are added, changed or removed in
-- one statement each. An order's id never changes.
CREATE FUNCTION kd_order_short_grams() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO order_short_grams (gram, order_id)
            SELECT 'n' || g, n.id FROM kd_new n, unnest(kd_short_grams(n.name_n)) AS g
            UNION ALL
            SELECT 'k' || g, n.id FROM kd_new n, unnest(kd_short_grams(n.kana_n)) AS g;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM order_short_grams s USING (
            SELECT 'n' || g AS gram, o.id FROM kd_old o, unnest(kd_short_grams(o.name_n)) AS g
            UNION ALL
            SELECT 'k' || g, o.id FROM kd_old o, unnest(kd_short_grams(o.kana_n)) AS g) AS d
            WHERE s.gram = d.gram AND s.order_id = d.id;
    ELSIF TG_OP = 'UPDATE' THEN -- only the orders whose name or kana changed
        DELETE FROM order_short_grams s USING (
            SELECT 'n' || g AS gram, o.id FROM kd_old o JOIN kd_new n USING (id), unnest(kd_short_grams(o.name_n)) AS g
                WHERE n.name_n <> o.name_n OR n.kana_n <> o.kana_n
            UNION ALL
            SELECT 'k' || g, o.id FROM kd_old o JOIN kd_new n USING (id), unnest(kd_short_grams(o.kana_n)) AS g
                WHERE n.name_n <> o.name_n OR n.kana_n <> o.kana_n) AS d
            WHERE s.gram = d.gram AND s.order_id = d.id;
        INSERT INTO order_short_grams (gram, order_id)
            SELECT 'n' || g, n.id FROM kd_new n JOIN kd_old o USING (id), unnest(kd_short_grams(n.name_n)) AS g
                WHERE n.name_n <> o.name_n OR n.kana_n <> o.kana_n
            UNION ALL
            SELECT 'k' || g, n.id FROM kd_new n JOIN kd_old o USING (id), unnest(kd_short_grams(n.kana_n)) AS g
                WHERE n.name_n <> o.name_n OR n.kana_n <> o.kana_n;
    ELSE -- TRUNCATE
        TRUNCATE order_short_grams;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER orders_short_grams_ins AFTER INSERT ON orders REFERENCING NEW TABLE AS kd_new
    FOR EACH STATEMENT EXECUTE FUNCTION kd_order_short_grams();
CREATE TRIGGER orders_short_grams_upd AFTER UPDATE ON orders REFERENCING OLD TABLE AS kd_old NEW TABLE AS kd_new
    FOR EACH STATEMENT EXECUTE FUNCTION kd_order_short_grams();
CREATE TRIGGER orders_short_grams_del AFTER DELETE ON orders REFERENCING OLD TABLE AS kd_old
    FOR EACH STATEMENT EXECUTE FUNCTION kd_order_short_grams();
CREATE TRIGGER orders_short_grams_trunc AFTER TRUNCATE ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION kd_order_short_grams();

-- orders_codes: status, payment method and payment state beside the id, as SQLite's
-- orders_codes (0015): a count by text and these columns (「佐藤」 + 発送済み + カード:
-- 19,783 orders hold 佐藤) looks each candidate up here, index-only, instead of in the
-- orders' pages (17,000 pages read). ~41 MB on 1,000,000 orders.
CREATE INDEX orders_codes ON orders (id) INCLUDE (status, payment_method, payment_state);
