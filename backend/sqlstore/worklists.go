package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"kessaidesk/backend"
)

// Work lists: the queries behind the 作業リスト screen, each the orders an operator
// must look at today, most urgent first.
const (
	ListToCapture       = "to_capture"       // 仮売上, by days left to capture
	ListCaptureFailed   = "capture_failed"   // 売上失敗
	ListStaleProcessing = "stale_processing" // 決済処理中 for longer than the threshold
	ListOverdueDeposit  = "overdue_deposit"  // 入金待ち past the payment deadline, and net-bank expiries left open
	ListNeedsReview     = "needs_review"     // 要確認, and operations whose outcome is unknown
	ListStopShipping    = "stop_shipping"    // 出荷を止める: cancelled or refunded at the gateway before shipping
)

// WorkLists lists the work-list codes in display order.
var WorkLists = []string{ListStopShipping, ListToCapture, ListCaptureFailed, ListNeedsReview, ListOverdueDeposit, ListStaleProcessing}

// WorkList returns up to limit orders of one work list. staleBefore is the order time
// before which a 決済処理中 order is stale.
func (db *Core) WorkList(ctx context.Context, list string, now, staleBefore time.Time, limit int) ([]backend.OrderRow, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	cond, order, args, err := db.d.WorkListWhere(list, now, staleBefore)
	if err != nil {
		return nil, err
	}
	return db.OrderRows(ctx, cond+` ORDER BY `+order+` LIMIT ?`, append(args, limit)...)
}

// WorkListWhere is one work list's condition over orders o and payments p (the
// order's main payment), its order and arguments: the list and ホーム's counts share it.
// A list whose condition an index cannot answer (an OR, an EXISTS) names its
// candidates first — o.id IN a set read from indexes, a superset — so that a list
// costs what it holds, not the shop's million orders; the condition decides.
func (d *Dialect) WorkListWhere(list string, now, staleBefore time.Time) (cond, order string, args []any, err error) {
	byPState, byStatus := d.Indexed("orders", "orders_pstate_ordered"), d.Indexed("orders", "orders_status_ordered")
	switch list {
	case ListStopShipping:
		return `o.id IN (SELECT h.order_id FROM shipping_holds h WHERE h.kept_at = 0)
			AND EXISTS (SELECT 1 FROM shipping_holds h WHERE h.order_id = o.id AND ` + OpenHold + `)`, `o.ordered_at, o.id`, nil, nil
	case ListToCapture:
		return `o.payment_state = 'authorized'`, `p.auth_expires_at, o.id`, nil, nil
	case ListCaptureFailed:
		return `o.payment_state = 'capture_failed'`, `o.updated_at DESC, o.id`, nil, nil
	case ListNeedsReview:
		return `o.id IN (SELECT id FROM ` + byPState + ` WHERE payment_state = 'needs_review'
				UNION SELECT p.order_id FROM operations op JOIN payments p ON p.id = op.payment_id WHERE op.state IN ` + unresolvedStates + `)
			AND (o.payment_state = 'needs_review' OR EXISTS (SELECT 1 FROM operations op WHERE op.payment_id = o.payment_id
			AND op.state IN ` + unresolvedStates + `))`, `o.updated_at DESC, o.id`, nil, nil
	case ListOverdueDeposit:
		return `o.id IN (SELECT id FROM ` + byPState + ` WHERE payment_state = 'awaiting_deposit'
				UNION ALL SELECT id FROM ` + byStatus + ` WHERE status = 'awaiting_deposit' AND payment_state = 'expired')
			AND ((o.payment_state = 'awaiting_deposit' AND p.payment_deadline > 0 AND p.payment_deadline < ?)
			OR (o.payment_state = 'expired' AND o.status = 'awaiting_deposit'))`, `p.payment_deadline, o.id`, []any{ms(now)}, nil
	case ListStaleProcessing:
		return `o.status = 'processing' AND o.ordered_at < ?`, `o.ordered_at, o.id`, []any{ms(staleBefore)}, nil
	}
	return "", "", nil, backend.Errorf(backend.EINVALID, "作業リスト「%s」はありません", "unknown work list %q", list)
}

// WorkListCounts counts each work list (capped at 1000) for the badges of the menu.
func (db *Core) WorkListCounts(ctx context.Context, now, staleBefore time.Time) (map[string]int, error) {
	out := map[string]int{}
	for _, l := range WorkLists {
		rows, err := db.WorkList(ctx, l, now, staleBefore, 1000)
		if err != nil {
			return nil, err
		}
		out[l] = len(rows)
	}
	return out, nil
}

// OrderRowColumns are the columns of a 受注一覧 row read FROM orders o LEFT JOIN
// payments p ON p.id = o.payment_id (ScanOrderRows reads them).
const OrderRowColumns = OrderColumns + `, COALESCE(o.payment_id, 0), o.payment_state, COALESCE(p.gateway, ''),
		COALESCE(p.auth_expires_at, 0),
		EXISTS (SELECT 1 FROM operations op WHERE op.payment_id = o.payment_id AND op.state IN ` + unresolvedStates + `)`

// OrderRows reads 受注一覧 rows (the order with its main payment) for a WHERE clause
// over orders o and payments p, with its ORDER BY and LIMIT.
func (db *Core) OrderRows(ctx context.Context, where string, args ...any) ([]backend.OrderRow, error) {
	rows, err := db.Read().Query(ctx, `SELECT `+OrderRowColumns+`
		FROM orders o LEFT JOIN payments p ON p.id = o.payment_id
		WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	return ScanOrderRows(rows)
}

// ScanOrderRows reads and closes rows of OrderRowColumns.
func ScanOrderRows(rows *sql.Rows) ([]backend.OrderRow, error) {
	defer rows.Close()
	var out []backend.OrderRow
	for rows.Next() {
		var r backend.OrderRow
		var state, gateway string
		var expires int64
		if err := ScanOrder(rows, &r.Order, &r.PaymentID, &state, &gateway, &expires, &r.InFlight); err != nil {
			return nil, err
		}
		r.PaymentState, r.Gateway, r.AuthExpiresAt = backend.PaymentState(state), backend.GatewayKind(gateway), FromMS(expires)
		out = append(out, r)
	}
	return out, rows.Err()
}
