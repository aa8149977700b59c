-- Japanese substring search with FTS5 (go-sqlite3 compiles it in with the build tag
-- sqlite_fts5). Every text is the normalised one of orders.*_n (search.go).
--
-- order_fts: a trigram index of name, kana, e-mail and telephone digits. A query of 3+
-- characters asks for some of its trigrams, all required, read as a stream, so a count
-- can stop at its cap; the row check decides (textMatch). detail=column: a column
-- filter and no positions (a phrase of every trigram, exact, read them all: several
-- times slower, and 200 MB of index instead of 131 on 1,000,000 orders). case_sensitive 1:
-- the texts are folded already, and folding more would find what instr does not.
-- Contentless: the text is in orders; the index alone is kept.
CREATE VIRTUAL TABLE order_fts USING fts5(name, kana, email, tel,
    tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1, detail = column);

-- order_grams: the bigrams of name and kana with their tails (grams in search.go), for
-- queries of 1 and 2 characters, which a trigram cannot answer: a term, or a prefix
-- ("山*" finds 山田, 山本 … and a name ending in 山). The ascii tokenizer splits only at
-- spaces, as FTS4's simple did. detail=column: a column filter, no positions.
-- prefix='1': an index of every gram's first character, so "山"* reads one list as a
-- stream (without it FTS5 merges the lists of every gram starting with 山, whole).
-- (E-mail and telephone queries of 1–2 characters match most orders and are checked
-- row by row.)
CREATE VIRTUAL TABLE order_grams USING fts5(name, kana,
    tokenize = 'ascii', content = '', contentless_delete = 1, detail = column, prefix = '1');

-- Built here from an existing database's orders, in the upgrade's one transaction
-- (Open copies the database first). On 1,000,000 orders it takes 48 s on a 2-core
-- machine with other work running (the search benchmark beside it; load ~10), then
-- the index is 202 MB (order_fts 131, order_grams 71) where FTS4's n-grams were
-- 458 MB. The window shows nothing meanwhile; it happens once.
INSERT INTO order_fts (rowid, name, kana, email, tel) SELECT id, name_n, kana_n, email_n, tel_n FROM orders;
INSERT INTO order_grams (rowid, name, kana) SELECT docid, name_g, kana_g FROM order_text;
DROP TABLE order_text;
