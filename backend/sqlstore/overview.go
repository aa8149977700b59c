package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
)

// failReasonsShown bounds the reasons of 売上失敗 ホーム lists (the most frequent).
const failReasonsShown = 5

// overviewOrdersCap bounds ホーム's orders count: it only tells a new shop (0) from one
// with orders.
const overviewOrdersCap = 10000

// Overview counts every work list for ホーム in one read transaction (one snapshot:
// repeatable read on PostgreSQL), so the numbers agree with each other. Each count has
// the condition of the list it links to (WorkListWhere; the test holds them equal),
// read from that list's index.
func (db *Core) Overview(ctx context.Context, now, staleBefore time.Time) (*backend.Overview, error) {
	sqlTx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, err
	}
	defer sqlTx.Rollback()
	tx, d := db.On(sqlTx), db.d
	ov := &backend.Overview{}
	// Every count below reads an index of its own list (on SQLite by INDEXED BY,
	// Dialect.Indexed: the planner's statistics may call a state column unselective when
	// most orders share one value, and then it would read all the orders), so ホーム
	// costs what its lists hold, not what the shop holds.
	pstate := ` FROM ` + d.Indexed("orders o", "orders_pstate_ordered") + ` LEFT JOIN payments p ON p.id = o.payment_id WHERE `
	// The orders count only tells a new shop (0) from one with orders: it stops at the cap.
	if err := tx.Row(ctx, `SELECT count(*) FROM (SELECT 1 FROM orders LIMIT ?) AS capped`, overviewOrdersCap+1).Scan(&ov.Orders); err != nil {
		return nil, err
	}
	if err := captureBuckets(ctx, tx, now, ov); err != nil {
		return nil, err
	}
	var failedSum, overdueSum, awaitingSum int64
	if err := tx.Row(ctx, `SELECT count(*), COALESCE(sum(o.total), 0)`+pstate+`o.payment_state = 'capture_failed'`).
		Scan(&ov.CaptureFailed, &failedSum); err != nil {
		return nil, err
	}
	// ListOverdueDeposit's two branches (their payment states differ), each from its index.
	if err := tx.Row(ctx, `SELECT count(*), COALESCE(sum(a), 0) FROM (
			SELECT COALESCE(p.amount_authorized, o.total) AS a`+pstate+`o.payment_state = 'awaiting_deposit' AND p.payment_deadline > 0 AND p.payment_deadline < ?
			UNION ALL
			SELECT COALESCE(p.amount_authorized, o.total) FROM `+d.Indexed("orders o", "orders_status_ordered")+` LEFT JOIN payments p ON p.id = o.payment_id
			WHERE o.status = 'awaiting_deposit' AND o.payment_state = 'expired') AS overdue`, ms(now)).Scan(&ov.OverdueDeposit, &overdueSum); err != nil {
		return nil, err
	}
	if err := tx.Row(ctx, `SELECT count(*), COALESCE(sum(COALESCE(p.amount_authorized, o.total)), 0)`+pstate+
		`o.payment_state = 'awaiting_deposit' AND NOT (p.payment_deadline > 0 AND p.payment_deadline < ?)`, ms(now)).
		Scan(&ov.AwaitingDeposit, &awaitingSum); err != nil {
		return nil, err
	}
	ov.CaptureFailedAmount, ov.OverdueDepositAmount, ov.AwaitingDepositAmount = backend.Yen(failedSum), backend.Yen(overdueSum), backend.Yen(awaitingSum)
	singles := []struct {
		n    *int
		q    string
		args []any
	}{
		{&ov.Stale, `SELECT count(*) FROM ` + d.Indexed("orders o", "orders_status_ordered") + ` WHERE o.status = 'processing' AND o.ordered_at < ?`, []any{ms(staleBefore)}},
		// From the open holds (few), each order counted once.
		{&ov.StopShipping, `SELECT count(*) FROM orders o WHERE o.id IN (SELECT h.order_id FROM shipping_holds h WHERE h.kept_at = 0)
			AND o.status NOT IN ('shipped', 'cancelled')`, nil},
		{&ov.NeedsReview, `SELECT count(*) FROM ` + d.Indexed("orders o", "orders_pstate_ordered") + ` WHERE o.payment_state = 'needs_review'`, nil},
		// From the operations in flight (a partial index), to their order by its payment:
		// orders has no index on payment_id.
		{&ov.Unresolved, `SELECT count(*) FROM operations op` + d.CrossJoin() + `payments p ON p.id = op.payment_id` +
			d.CrossJoin() + `orders o ON o.id = p.order_id AND o.payment_id = op.payment_id WHERE op.state IN ` + unresolvedStates, nil},
		{&ov.Drifts, `SELECT count(*) FROM drifts`, nil},
		{&ov.CancelStock, `SELECT count(*) FROM cancel_stock WHERE status = 'pending'`, nil},
		// Every status but linked, as two ranges of order_links_status (linked ones are most).
		{&ov.Unlinked, `SELECT count(*) FROM order_links l` + d.CrossJoin() + `orders o ON o.id = l.order_id
			WHERE (l.status < 'linked' OR l.status > 'linked') AND ` + NeedsLink, nil},
	}
	for _, s := range singles {
		if err := tx.Row(ctx, s.q, s.args...).Scan(s.n); err != nil {
			return nil, err
		}
	}
	if ov.FailReasons, err = failReasons(ctx, tx); err != nil {
		return nil, err
	}
	return ov, nil
}

// captureBuckets groups 仮売上 by JST days left to the authorisation's expiry
// (backend.CaptureBuckets); one with no known expiry counts in ToCaptureNoExpiry.
func captureBuckets(ctx context.Context, tx Q, now time.Time, ov *backend.Overview) error {
	cond, _, args, err := tx.d.WorkListWhere(ListToCapture, now, now)
	if err != nil {
		return err
	}
	// Days left ≤ d ⇔ the authorisation lapses before midnight starting day d+1.
	var cols []string
	for _, b := range backend.CaptureBuckets {
		parts := []string{`p.auth_expires_at > 0`}
		if b[0] != -backend.Unbounded {
			parts = append(parts, `p.auth_expires_at >= `+strconv.FormatInt(ms(backend.StartOfDayJST(now, b[0])), 10))
		}
		if b[1] != backend.Unbounded {
			parts = append(parts, `p.auth_expires_at < `+strconv.FormatInt(ms(backend.StartOfDayJST(now, b[1]+1)), 10))
		}
		c := strings.Join(parts, " AND ")
		cols = append(cols, `count(CASE WHEN `+c+` THEN 1 END)`, `COALESCE(sum(CASE WHEN `+c+` THEN p.amount_authorized END), 0)`)
	}
	cols = append(cols, `count(CASE WHEN COALESCE(p.auth_expires_at, 0) = 0 THEN 1 END)`,
		`COALESCE(sum(CASE WHEN COALESCE(p.auth_expires_at, 0) = 0 THEN COALESCE(p.amount_authorized, o.total) END), 0)`)
	vals := make([]int64, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := tx.Row(ctx, `SELECT `+strings.Join(cols, ", ")+
		` FROM `+tx.d.Indexed("orders o", "orders_pstate_ordered")+` LEFT JOIN payments p ON p.id = o.payment_id WHERE `+cond, args...).Scan(dest...); err != nil {
		return err
	}
	ov.ToCapture = nil
	for i, b := range backend.CaptureBuckets {
		ov.ToCapture = append(ov.ToCapture, backend.CaptureBucket{MinDays: b[0], MaxDays: b[1], Count: int(vals[2*i]), Amount: backend.Yen(vals[2*i+1])})
	}
	n := len(backend.CaptureBuckets)
	ov.ToCaptureNoExpiry, ov.ToCaptureNoExpiryAmount = int(vals[2*n]), backend.Yen(vals[2*n+1])
	return nil
}

// failReasons groups 売上失敗 by the gateway's answer to the failed operation that
// left the payment there (its latest failed one), most frequent first.
func failReasons(ctx context.Context, tx Q) ([]backend.FailReason, error) {
	rows, err := tx.Query(ctx, `SELECT code, message, message_en, count(*) AS n FROM (
			SELECT COALESCE((SELECT op.gateway_code FROM operations op WHERE op.payment_id = o.payment_id AND op.state = 'failed'
				ORDER BY op.id DESC LIMIT 1), '') AS code,
			COALESCE((SELECT op.message FROM operations op WHERE op.payment_id = o.payment_id AND op.state = 'failed'
				ORDER BY op.id DESC LIMIT 1), '') AS message,
			COALESCE((SELECT op.message_en FROM operations op WHERE op.payment_id = o.payment_id AND op.state = 'failed'
				ORDER BY op.id DESC LIMIT 1), '') AS message_en
			FROM `+tx.d.Indexed("orders o", "orders_pstate_ordered")+` WHERE o.payment_state = 'capture_failed') AS failed
		GROUP BY code, message, message_en ORDER BY n DESC, code LIMIT ?`, failReasonsShown)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []backend.FailReason{}
	for rows.Next() {
		var r backend.FailReason
		if err := rows.Scan(&r.Code, &r.Message, &r.MessageEn, &r.Count); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
