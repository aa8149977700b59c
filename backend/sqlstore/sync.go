package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"kessaidesk/backend"
)

// SaveDrift records (or refreshes) a difference found by the sync.
func (db *Core) SaveDrift(ctx context.Context, d *backend.Drift) error {
	if d.FoundAt.IsZero() {
		d.FoundAt = db.now()
	}
	_, err := db.Write().Exec(ctx, `INSERT INTO drifts (payment_id, found_at, our_state, gateway_state, our_amount,
		gateway_amount, raw_status, detail, detail_en) VALUES (?,?,?,?,?,?,?,?,?)
		ON CONFLICT (payment_id) DO UPDATE SET our_state = excluded.our_state, gateway_state = excluded.gateway_state,
		our_amount = excluded.our_amount, gateway_amount = excluded.gateway_amount, raw_status = excluded.raw_status,
		detail = excluded.detail, detail_en = excluded.detail_en`, d.PaymentID, ms(d.FoundAt), string(d.OurState), string(d.GatewayState), d.OurAmount,
		d.GatewayAmount, d.RawStatus, d.Detail, d.DetailEn)
	return err
}

// DeleteDrift forgets a difference (fixed, or gone), and its payment's shipping hold
// once decided (kept, or the order shipped or cancelled since): a hold still waiting
// for the operator stays, since taking the gateway's state does not say whether to ship.
func (db *Core) DeleteDrift(ctx context.Context, paymentID int64) error {
	return db.InTx(ctx, func(tx Q) error {
		if _, err := tx.Exec(ctx, `DELETE FROM drifts WHERE payment_id = ?`, paymentID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM shipping_holds WHERE payment_id = ? AND (kept_at > 0
			OR order_id IN (SELECT id FROM orders WHERE status IN ('shipped', 'cancelled')))`, paymentID)
		return err
	})
}

// Drifts lists the differences, oldest first.
func (db *Core) Drifts(ctx context.Context) ([]backend.Drift, error) {
	rows, err := db.Read().Query(ctx, `SELECT d.payment_id, p.order_id, o.order_no, o.customer_name, p.gateway, d.found_at,
		d.our_state, d.gateway_state, d.our_amount, d.gateway_amount, d.raw_status, d.detail, d.detail_en
		FROM drifts d JOIN payments p ON p.id = d.payment_id JOIN orders o ON o.id = p.order_id ORDER BY d.found_at, d.payment_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.Drift
	for rows.Next() {
		var d backend.Drift
		var gw, ours, theirs string
		var found int64
		if err := rows.Scan(&d.PaymentID, &d.OrderID, &d.OrderNo, &d.CustomerName, &gw, &found, &ours, &theirs, &d.OurAmount,
			&d.GatewayAmount, &d.RawStatus, &d.Detail, &d.DetailEn); err != nil {
			return nil, err
		}
		d.Gateway, d.OurState, d.GatewayState, d.FoundAt = backend.GatewayKind(gw), backend.PaymentState(ours), backend.PaymentState(theirs), fromMS(found)
		out = append(out, d)
	}
	return out, rows.Err()
}

// SyncStatus returns the sync's view of a profile (zero values when never synced).
func (db *Core) SyncStatus(ctx context.Context, profileID int64) (*backend.SyncStatus, error) {
	s := &backend.SyncStatus{ProfileID: profileID}
	var last, attempt, offline, next int64
	err := db.Read().Row(ctx, `SELECT last_success, last_attempt, offline_since, failures, next_attempt, last_error, last_error_en, cursor
		FROM sync_status WHERE profile_id = ?`, profileID).Scan(&last, &attempt, &offline, &s.Failures, &next, &s.LastError, &s.LastErrorEn, &s.Cursor)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	s.LastSuccess, s.LastAttempt, s.OfflineSince, s.NextAttempt = fromMS(last), fromMS(attempt), fromMS(offline), fromMS(next)
	return s, nil
}

// SaveSyncStatus stores the sync's view of a profile.
func (db *Core) SaveSyncStatus(ctx context.Context, s *backend.SyncStatus) error {
	_, err := db.Write().Exec(ctx, `INSERT INTO sync_status (profile_id, last_success, last_attempt, offline_since, failures,
		next_attempt, last_error, last_error_en, cursor) VALUES (?,?,?,?,?,?,?,?,?)
		ON CONFLICT (profile_id) DO UPDATE SET last_success = excluded.last_success, last_attempt = excluded.last_attempt,
		offline_since = excluded.offline_since, failures = excluded.failures, next_attempt = excluded.next_attempt,
		last_error = excluded.last_error, last_error_en = excluded.last_error_en, cursor = excluded.cursor`, s.ProfileID, ms(s.LastSuccess), ms(s.LastAttempt),
		ms(s.OfflineSince), s.Failures, ms(s.NextAttempt), s.LastError, s.LastErrorEn, s.Cursor)
	return err
}

// recheckWhere selects the payments of a profile the sync compares in turn (see
// RecheckQueue): its arguments are the profile and the capture date bound.
const recheckWhere = `profile_id = ? AND (state IN ('authorized', 'awaiting_deposit')
	OR state IN ('captured', 'partially_refunded') AND (captured_at = 0 OR captured_at >= ?))`

// RecheckQueue lists the payments the sync compares in turn, least recently synced first.
func (db *Core) RecheckQueue(ctx context.Context, profileID int64, capturedSince time.Time, limit int) ([]*backend.Payment, error) {
	q := `SELECT ` + paymentColumns + ` FROM payments WHERE ` + recheckWhere + ` ORDER BY last_synced_at, id`
	args := []any{profileID, ms(capturedSince)}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	return db.queryPayments(ctx, q, args...)
}

// RecheckCount counts the payments RecheckQueue lists without a limit.
func (db *Core) RecheckCount(ctx context.Context, profileID int64, capturedSince time.Time) (int, error) {
	var n int
	err := db.Read().Row(ctx, `SELECT count(*) FROM payments WHERE `+recheckWhere, profileID, ms(capturedSince)).Scan(&n)
	return n, err
}

// HoldShipping puts an order on the 出荷を止める list (once per payment).
func (db *Core) HoldShipping(ctx context.Context, h *backend.ShippingHold) (bool, error) {
	if h.FoundAt.IsZero() {
		h.FoundAt = db.now()
	}
	var held bool
	err := db.InTx(ctx, func(tx Q) error {
		res, err := tx.Exec(ctx, `INSERT INTO shipping_holds (payment_id, order_id, found_at, gateway_state, detail, detail_en)
			SELECT p.id, p.order_id, CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT) FROM payments p JOIN orders o ON o.id = p.order_id
			WHERE p.id = ? AND o.status NOT IN ('shipped', 'cancelled')
			ON CONFLICT (payment_id) DO NOTHING`, ms(h.FoundAt), string(h.GatewayState), h.Detail, h.DetailEn, h.PaymentID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		held = n == 1
		return err
	})
	return held, err
}

// ShippingHolds lists the holds waiting for the operator, oldest first.
func (db *Core) ShippingHolds(ctx context.Context) ([]backend.ShippingHold, error) {
	rows, err := db.Read().Query(ctx, `SELECT h.payment_id, h.order_id, o.order_no, o.customer_name, o.status, o.total,
		p.gateway, h.found_at, h.gateway_state, h.detail, h.detail_en
		FROM shipping_holds h JOIN orders o ON o.id = h.order_id JOIN payments p ON p.id = h.payment_id
		WHERE `+OpenHold+` ORDER BY h.found_at, h.payment_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.ShippingHold
	for rows.Next() {
		var h backend.ShippingHold
		var status, gw, state string
		var found int64
		if err := rows.Scan(&h.PaymentID, &h.OrderID, &h.OrderNo, &h.CustomerName, &status, &h.Total, &gw, &found, &state, &h.Detail, &h.DetailEn); err != nil {
			return nil, err
		}
		h.OrderStatus, h.Gateway, h.GatewayState, h.FoundAt = backend.OrderStatus(status), backend.GatewayKind(gw), backend.PaymentState(state), fromMS(found)
		out = append(out, h)
	}
	return out, rows.Err()
}

// OpenHold is a hold waiting for the operator (h: shipping_holds, o: its order).
const OpenHold = `h.kept_at = 0 AND o.status NOT IN ('shipped', 'cancelled')`

// KeepShipping records that the operator keeps the order as it is.
func (db *Core) KeepShipping(ctx context.Context, paymentID int64, actor string) error {
	now := db.now()
	return db.InTx(ctx, func(tx Q) error {
		var orderID int64
		var state string
		err := tx.Row(ctx, `SELECT h.order_id, h.gateway_state FROM shipping_holds h JOIN orders o ON o.id = h.order_id
			WHERE h.payment_id = ? AND `+OpenHold, paymentID).Scan(&orderID, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENOTFOUND, "この受注は「出荷を止める」の一覧にありません", "the order is not on the stop-shipping list")
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE shipping_holds SET kept_at = ?, kept_by = ? WHERE payment_id = ?`, ms(now), actor, paymentID); err != nil {
			return err
		}
		gw := backend.PaymentState(state)
		note := backend.Text{Ja: "出荷を止める: 受注はそのまま（ゲートウェイでは「" + gw.Label() + "」）",
			En: "Stop shipping: the order is kept as it is (the gateway shows " + gw.LabelEn() + ")"}
		if err := InsertEvent(ctx, tx, orderID, backend.OrderEvent{At: now, Actor: actor, PC: db.pc, Kind: "note", Detail: note.Ja, DetailEn: note.En}); err != nil {
			return err
		}
		// Without a difference left there is nothing the hold must outlive.
		_, err = tx.Exec(ctx, `DELETE FROM shipping_holds WHERE payment_id = ? AND NOT EXISTS
			(SELECT 1 FROM drifts WHERE payment_id = ?)`, paymentID, paymentID)
		return err
	})
}
