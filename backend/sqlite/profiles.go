package sqlite

import (
	"context"

	"kessaidesk/backend/sqlstore"
)

// Profiles and settings are backend/sqlstore's, which both stores share.

// deleteDemoSearchRows removes the demo orders' rows of the search index (search.go),
// which no foreign key removes with them: DeleteDemo runs it first.
func deleteDemoSearchRows(ctx context.Context, tx sqlstore.Q) error {
	for _, index := range []string{"order_fts", "order_grams"} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+index+` WHERE rowid IN (SELECT id FROM orders WHERE source = 'demo')`); err != nil {
			return err
		}
	}
	return nil
}

// IsEmpty reports whether the database holds no orders and no gateway profiles
// (a first start: the demo shop may be created).
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM gateway_profiles)`).Scan(&n)
	return n == 0, err
}
