package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

// needsLink is sqlstore's: the orders that must be tied to a gateway transaction.
const needsLink = sqlstore.NeedsLink

// queueLink marks one order as waiting for the next link run, with the ids an import's
// gateway columns carried (empty when none). An order already linked is left alone.
// It is the one writer of pending rows, for the importer and the link service alike.
func queueLink(ctx context.Context, tx *sql.Tx, orderID int64, hint backend.TransactionIDs, hintProfile int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, queueLinksSQL(1), queueLinkArgs(orderID, hint, hintProfile, now)...)
	return err
}

// queueLinksSQL is queueLink's statement for n orders, each with its queueLinkArgs: an
// import queues its orders hundreds at a time (one statement and one statement journal
// for them all; CROSS JOIN keeps the plan to one rowid look-up per order).
func queueLinksSQL(n int) string {
	return `INSERT INTO order_links (order_id, status, gateway_order_id, hint_tran_id, hint_tran_pass,
			hint_profile_id, updated_at)
		SELECT o.id, 'pending', v.column1, v.column2, v.column3, v.column4, v.column5
		FROM (VALUES ` + strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?),", n), ",") + `) v
		CROSS JOIN orders o WHERE o.id = v.column6 AND ` + needsLink + `
		ON CONFLICT (order_id) DO UPDATE SET status = 'pending', reason = '', reason_en = '', candidates = '',
			gateway_order_id = excluded.gateway_order_id, hint_tran_id = excluded.hint_tran_id,
			hint_tran_pass = excluded.hint_tran_pass, hint_profile_id = excluded.hint_profile_id,
			updated_at = excluded.updated_at
		WHERE order_links.status <> 'linked'`
}

func queueLinkArgs(orderID int64, hint backend.TransactionIDs, hintProfile int64, now time.Time) []any {
	return []any{hint.GatewayOrderID, hint.GatewayTranID, hint.GatewayTranPass, hintProfile, ms(now), orderID}
}

// QueueLinkHint queues one order with ids that a file carried (an import's gateway
// columns, a console CSV row whose check could not be made), for the next run to check
// with the gateway.
func (db *DB) QueueLinkHint(ctx context.Context, orderID int64, hint backend.TransactionIDs, hintProfile int64) error {
	return db.withTx(ctx, func(tx *sql.Tx) error { return queueLink(ctx, tx, orderID, hint, hintProfile, db.Now()) })
}

func isForeignKeyViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}

var _ backend.LinkStore = (*DB)(nil)
