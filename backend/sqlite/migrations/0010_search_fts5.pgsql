-- Twin of 0010_search_fts5.sql: the Japanese substring search of 受注管理 on
-- PostgreSQL. Every text is the normalised one of orders.*_n (backend/textnorm).
--
-- 3 characters or more: pg_trgm's GIN indexes answer `col LIKE '%q%'` (the trigrams
-- of q, then the rows checked). pg_trgm is a trusted extension: the database's owner
-- may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX orders_name_trgm  ON orders USING gin (name_n gin_trgm_ops);
CREATE INDEX orders_kana_trgm  ON orders USING gin (kana_n gin_trgm_ops);
CREATE INDEX orders_email_trgm ON orders USING gin (email_n gin_trgm_ops);
CREATE INDEX orders_tel_trgm   ON orders USING gin (tel_n gin_trgm_ops);
CREATE INDEX products_search_trgm ON products USING gin (search gin_trgm_ops);

-- 1 and 2 characters: a trigram index cannot answer them (no trigram in the query),
-- as on SQLite (order_grams). name_g / kana_g hold every distinct character and pair
-- of characters of the name and kana, kept by the server (a generated column), with a
-- GIN index: `name_g @> ARRAY['山']` finds exactly the names holding 山.
-- (E-mail and telephone queries of 1–2 characters match most orders and are checked
-- row by row, as on SQLite.)
CREATE FUNCTION kd_short_grams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
       SELECT substr(t, i, 1) AS g FROM generate_series(1, char_length(t)) AS i
       UNION ALL
       SELECT substr(t, i, 2) FROM generate_series(1, char_length(t) - 1) AS i) AS s $$;
ALTER TABLE orders ADD COLUMN name_g text[] GENERATED ALWAYS AS (kd_short_grams(name_n)) STORED;
ALTER TABLE orders ADD COLUMN kana_g text[] GENERATED ALWAYS AS (kd_short_grams(kana_n)) STORED;
CREATE INDEX orders_name_g ON orders USING gin (name_g);
CREATE INDEX orders_kana_g ON orders USING gin (kana_g);
