package sqlite

import (
	"context"
	"database/sql"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

// Payments and their reviews are backend/sqlstore's, which both stores share.

// savePayment saves p in a transaction of the writer (links.go).
func savePayment(ctx context.Context, tx *sql.Tx, p *backend.Payment, now time.Time) error {
	return sqlstore.WritePayment(ctx, dialect.On(tx), p, now)
}
