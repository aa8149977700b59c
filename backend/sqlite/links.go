package sqlite

import (
	"context"
	"database/sql"
	"time"

	"kessaidesk/backend"
)

// needsLink is the condition on orders o that must be tied to a gateway transaction: a
// gateway payment method, no payment yet, not cancelled, not the demo shop's.
const needsLink = `o.payment_method IN ('card', 'konbini', 'payeasy', 'netbank') AND o.payment_id IS NULL
	AND o.status <> 'cancelled' AND o.source <> 'demo'`

// queueLink marks one order as waiting for the next link run, with the ids an import's
// gateway columns carried (empty when none). An order already linked is left alone.
// It is the one writer of pending rows, for the importer and the link service alike.
func queueLink(ctx context.Context, tx *sql.Tx, orderID int64, hint backend.TransactionIDs, hintProfile int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO order_links (order_id, status, gateway_order_id, hint_tran_id, hint_tran_pass,
			hint_profile_id, updated_at)
		SELECT o.id, 'pending', ?, ?, ?, ?, ? FROM orders o WHERE o.id = ? AND `+needsLink+`
		ON CONFLICT (order_id) DO UPDATE SET status = 'pending', reason = '', reason_en = '', candidates = '',
			gateway_order_id = excluded.gateway_order_id, hint_tran_id = excluded.hint_tran_id,
			hint_tran_pass = excluded.hint_tran_pass, hint_profile_id = excluded.hint_profile_id,
			updated_at = excluded.updated_at
		WHERE order_links.status <> 'linked'`,
		hint.GatewayOrderID, hint.GatewayTranID, hint.GatewayTranPass, hintProfile, ms(now), orderID)
	return err
}
