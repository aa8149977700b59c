package sqlite

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

// Overview counts every work list for ホーム in one read transaction, so the numbers
// agree with each other. Each count uses the condition of the list it links to.
func (db *DB) Overview(ctx context.Context, now, staleBefore time.Time) (*backend.Overview, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ov := &backend.Overview{}
	from := ` FROM orders o LEFT JOIN payments p ON p.id = o.payment_id WHERE `
	count := func(list string, n *int, amount *backend.Yen, amountSQL string) error {
		cond, _, args, err := workListWhere(list, now, staleBefore)
		if err != nil {
			return err
		}
		var sum int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(`+amountSQL+`), 0)`+from+cond, args...).Scan(n, &sum); err != nil {
			return err
		}
		if amount != nil {
			*amount = backend.Yen(sum)
		}
		return nil
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM orders`).Scan(&ov.Orders); err != nil {
		return nil, err
	}
	if err := db.captureBuckets(ctx, tx, now, ov); err != nil {
		return nil, err
	}
	if err := count(ListCaptureFailed, &ov.CaptureFailed, &ov.CaptureFailedAmount, `o.total`); err != nil {
		return nil, err
	}
	if err := count(ListOverdueDeposit, &ov.OverdueDeposit, &ov.OverdueDepositAmount, `COALESCE(p.amount_authorized, o.total)`); err != nil {
		return nil, err
	}
	if err := count(ListStaleProcessing, &ov.Stale, nil, `0`); err != nil {
		return nil, err
	}
	if err := count(ListStopShipping, &ov.StopShipping, nil, `0`); err != nil {
		return nil, err
	}
	var awaiting int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(COALESCE(p.amount_authorized, o.total)), 0)`+from+
		`o.payment_state = 'awaiting_deposit' AND NOT (p.payment_deadline > 0 AND p.payment_deadline < ?)`, ms(now)).
		Scan(&ov.AwaitingDeposit, &awaiting); err != nil {
		return nil, err
	}
	ov.AwaitingDepositAmount = backend.Yen(awaiting)
	singles := []struct {
		n *int
		q string
	}{
		{&ov.NeedsReview, `SELECT count(*) FROM orders o WHERE o.payment_state = 'needs_review'`},
		{&ov.Unresolved, `SELECT count(*) FROM operations op JOIN orders o ON o.payment_id = op.payment_id WHERE op.state IN ` + unresolvedStates},
		{&ov.Drifts, `SELECT count(*) FROM drifts`},
		{&ov.CancelStock, `SELECT count(*) FROM cancel_stock WHERE status = 'pending'`},
		{&ov.Unlinked, `SELECT count(*) FROM order_links l JOIN orders o ON o.id = l.order_id WHERE l.status <> 'linked' AND ` + needsLink},
	}
	for _, s := range singles {
		if err := tx.QueryRowContext(ctx, s.q).Scan(s.n); err != nil {
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
func (db *DB) captureBuckets(ctx context.Context, tx *sql.Tx, now time.Time, ov *backend.Overview) error {
	cond, _, args, err := workListWhere(ListToCapture, now, now)
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
	if err := tx.QueryRowContext(ctx, `SELECT `+strings.Join(cols, ", ")+
		` FROM orders o LEFT JOIN payments p ON p.id = o.payment_id WHERE `+cond, args...).Scan(dest...); err != nil {
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
func failReasons(ctx context.Context, tx *sql.Tx) ([]backend.FailReason, error) {
	rows, err := tx.QueryContext(ctx, `SELECT code, message, count(*) AS n FROM (
			SELECT COALESCE((SELECT op.gateway_code FROM operations op WHERE op.payment_id = o.payment_id AND op.state = 'failed'
				ORDER BY op.id DESC LIMIT 1), '') AS code,
			COALESCE((SELECT op.message FROM operations op WHERE op.payment_id = o.payment_id AND op.state = 'failed'
				ORDER BY op.id DESC LIMIT 1), '') AS message
			FROM orders o WHERE o.payment_state = 'capture_failed')
		GROUP BY code, message ORDER BY n DESC, code LIMIT ?`, failReasonsShown)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []backend.FailReason{}
	for rows.Next() {
		var r backend.FailReason
		if err := rows.Scan(&r.Code, &r.Message, &r.Count); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
