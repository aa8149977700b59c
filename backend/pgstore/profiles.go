package pgstore

import "context"

// Profiles and settings are backend/sqlstore's, which both stores share.

// IsEmpty reports whether the database holds no orders and no gateway profiles
// (a first start: the demo shop may be created).
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := db.Read().Row(ctx, `SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM gateway_profiles)`).Scan(&n)
	return n == 0, err
}
