package sqlite

import (
	"context"
	"database/sql"
)

// Handles returns the database's pools: the readers (query-only) and the one writer.
// They are for backend/dbmove, which copies a whole database to or from the shared
// server; everything else goes through the Store's methods.
func (db *DB) Handles() (read, write *sql.DB) { return db.read, db.write }

// RebuildSearchIndex makes the search index (order_fts, order_grams: search.go) anew
// from the orders' folded columns, in tx on the writer — for orders written without it,
// as backend/dbmove writes a copy of the shared server's orders (PostgreSQL searches
// the orders' own columns and has no such index to copy). It holds what newOrderRow
// writes for each order.
func RebuildSearchIndex(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		`INSERT INTO order_fts (order_fts) VALUES ('delete-all')`,
		`INSERT INTO order_grams (order_grams) VALUES ('delete-all')`,
		`INSERT INTO order_fts (rowid, name, kana, email, tel) SELECT id, name_n, kana_n, email_n, tel_n FROM orders`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	gram, err := tx.PrepareContext(ctx, `INSERT INTO order_grams (rowid, name, kana) VALUES (?,?,?)`)
	if err != nil {
		return err
	}
	defer gram.Close()
	type text struct {
		id         int64
		name, kana string
	}
	batch := make([]text, 0, 5000)
	for last := int64(-1 << 63); ; {
		// In batches: the orders are read, then their grams written, on one connection.
		rows, err := tx.QueryContext(ctx, `SELECT id, name_n, kana_n FROM orders WHERE id > ? ORDER BY id LIMIT 5000`, last)
		if err != nil {
			return err
		}
		batch = batch[:0]
		for rows.Next() {
			var t text
			if err := rows.Scan(&t.id, &t.name, &t.kana); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, t)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, t := range batch {
			if _, err := gram.ExecContext(ctx, t.id, grams(t.name, nameGram), grams(t.kana, nameGram)); err != nil {
				return err
			}
		}
		last = batch[len(batch)-1].id
	}
}
