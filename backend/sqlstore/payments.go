package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"kessaidesk/backend"
)

const paymentColumns = `id, order_id, COALESCE(profile_id, 0), gateway, method, gw_order_id, gw_tran_id, gw_tran_pass,
	state, amount_authorized, amount_captured, amount_refunded, authorized_at, captured_at, auth_expires_at,
	payment_deadline, paid_at, raw_status, last_synced_at, updated_at, tax, processed_at,
	slip_store, slip_receipt_no, slip_conf_no, slip_bk_code, slip_cust_id, version`

func scanPayment(sc interface{ Scan(...any) error }) (*backend.Payment, error) {
	p := &backend.Payment{}
	var gateway, method, state string
	var authAt, capAt, expAt, deadline, paidAt, synced, updated, processed int64
	err := sc.Scan(&p.ID, &p.OrderID, &p.ProfileID, &gateway, &method, &p.GatewayOrderID, &p.GatewayTranID,
		&p.GatewayTranPass, &state, &p.AmountAuthorized, &p.AmountCaptured, &p.AmountRefunded, &authAt, &capAt,
		&expAt, &deadline, &paidAt, &p.RawStatus, &synced, &updated, &p.Tax, &processed,
		&p.Slip.Store, &p.Slip.ReceiptNo, &p.Slip.ConfNo, &p.Slip.BkCode, &p.Slip.CustID, &p.Version)
	if err != nil {
		return nil, err
	}
	p.Gateway, p.Method, p.State = backend.GatewayKind(gateway), backend.PaymentMethod(method), backend.PaymentState(state)
	p.AuthorizedAt, p.CapturedAt, p.AuthExpiresAt = fromMS(authAt), fromMS(capAt), fromMS(expAt)
	p.PaymentDeadline, p.PaidAt, p.LastSyncedAt, p.UpdatedAt = fromMS(deadline), fromMS(paidAt), fromMS(synced), fromMS(updated)
	p.ProcessedAt = fromMS(processed)
	return p, nil
}

// PaymentByID returns one payment.
func (db *Core) PaymentByID(ctx context.Context, id int64) (*backend.Payment, error) {
	p, err := scanPayment(db.Read().Row(ctx, `SELECT `+paymentColumns+` FROM payments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENOTFOUND, "決済 (ID %d) は見つかりません", "payment %d was not found", id)
	}
	return p, err
}

// PaymentsByOrder returns the order's payments, oldest first.
func (db *Core) PaymentsByOrder(ctx context.Context, orderID int64) ([]*backend.Payment, error) {
	return db.queryPayments(ctx, `SELECT `+paymentColumns+` FROM payments WHERE order_id = ? ORDER BY id`, orderID)
}

// FindPayments selects payments for the engine and the sync.
func (db *Core) FindPayments(ctx context.Context, f backend.PaymentFilter) ([]*backend.Payment, error) {
	var conds []string
	var args []any
	if len(f.IDs) > 0 {
		conds = append(conds, "id IN ("+placeholders(len(f.IDs))+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.ProfileID != 0 {
		conds = append(conds, "profile_id = ?")
		args = append(args, f.ProfileID)
	}
	if len(f.States) > 0 {
		conds = append(conds, "state IN ("+placeholders(len(f.States))+")")
		args = append(args, anys(f.States)...)
	}
	if len(f.Methods) > 0 {
		conds = append(conds, "method IN ("+placeholders(len(f.Methods))+")")
		args = append(args, anys(f.Methods)...)
	}
	if !f.AuthExpiresBefore.IsZero() {
		conds = append(conds, "auth_expires_at > 0 AND auth_expires_at < ?")
		args = append(args, ms(f.AuthExpiresBefore))
	}
	q := `SELECT ` + paymentColumns + ` FROM payments`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	q += " ORDER BY id"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return db.queryPayments(ctx, q, args...)
}

func (db *Core) queryPayments(ctx context.Context, q string, args ...any) ([]*backend.Payment, error) {
	rows, err := db.Read().Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*backend.Payment
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SavePayment inserts (ID 0) or updates a payment, and keeps the order's main payment
// state (shown in the 受注一覧) in step.
func (db *Core) SavePayment(ctx context.Context, p *backend.Payment) error {
	return db.InTx(ctx, func(tx Q) error { return WritePayment(ctx, tx, p, db.now()) })
}

// SavePayments saves many payments in one transaction (demo seeding, imports).
func (db *Core) SavePayments(ctx context.Context, ps []*backend.Payment) error {
	return db.InTx(ctx, func(tx Q) error {
		for _, p := range ps {
			if err := WritePayment(ctx, tx, p, db.now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// WritePayment inserts (ID 0) or updates p in the transaction tx, with what goes with
// every save of a payment: its gateway ids' history, the end of its review once no
// longer 要確認, and its order's main payment. Every write is a new version of the
// payment (p.Version is set to it): an operation planned from an older one is refused
// (RefuseChanged).
func WritePayment(ctx context.Context, tx Q, p *backend.Payment, now time.Time) error {
	_, err := writePayment(ctx, tx, p, now, false)
	return err
}

// SavePaymentIfUnchanged updates p only if its stored row is still at p.Version (as
// read): false, with nothing written, when another desktop or operation has changed
// the payment since.
func (db *Core) SavePaymentIfUnchanged(ctx context.Context, p *backend.Payment) (bool, error) {
	read := p.Version
	var saved bool
	err := db.InTx(ctx, func(tx Q) error {
		p.Version = read // a transaction run again compares with the read again
		var err error
		saved, err = writePayment(ctx, tx, p, db.now(), true)
		return err
	})
	if err != nil || !saved {
		p.Version = read
	}
	return saved, err
}

// writePayment is WritePayment; ifUnchanged updates only a row still at p.Version
// (false: nothing written).
func writePayment(ctx context.Context, tx Q, p *backend.Payment, now time.Time, ifUnchanged bool) (bool, error) {
	if !p.State.Valid() {
		return false, backend.Errorf(backend.EINVALID, "決済状態「%s」は使えません", "unknown payment state %q", p.State)
	}
	if !p.Method.Valid() {
		return false, backend.Errorf(backend.EINVALID, "支払方法「%s」は使えません", "unknown payment method %q", p.Method)
	}
	var profile any
	if p.ProfileID != 0 {
		profile = p.ProfileID
	}
	vals := []any{p.OrderID, profile, string(p.Gateway), string(p.Method), p.GatewayOrderID, p.GatewayTranID,
		p.GatewayTranPass, string(p.State), p.AmountAuthorized, p.AmountCaptured, p.AmountRefunded,
		ms(p.AuthorizedAt), ms(p.CapturedAt), ms(p.AuthExpiresAt), ms(p.PaymentDeadline), ms(p.PaidAt),
		p.RawStatus, ms(p.LastSyncedAt), ms(now), p.Tax, ms(p.ProcessedAt),
		p.Slip.Store, p.Slip.ReceiptNo, p.Slip.ConfNo, p.Slip.BkCode, p.Slip.CustID}
	const cols = `order_id, profile_id, gateway, method, gw_order_id, gw_tran_id, gw_tran_pass, state,
		amount_authorized, amount_captured, amount_refunded, authorized_at, captured_at, auth_expires_at,
		payment_deadline, paid_at, raw_status, last_synced_at, updated_at, tax, processed_at,
		slip_store, slip_receipt_no, slip_conf_no, slip_bk_code, slip_cust_id`
	if p.ID == 0 {
		id, err := tx.ID(ctx, `INSERT INTO payments (`+cols+`) VALUES (`+placeholders(len(vals))+`)`, vals...)
		if tx.d.UniqueViolation(err) {
			return false, backend.Errorf(backend.ECONFLICT, "ゲートウェイのオーダーID %s の決済は既に登録されています", "a payment with gateway order id %s already exists", p.GatewayOrderID)
		}
		if err != nil {
			return false, err
		}
		p.ID, p.Version = id, 1 // the column's default: the first version
	} else {
		q := `UPDATE payments SET (` + cols + `, version) = (` + placeholders(len(vals)) + `, version + 1) WHERE id = ?`
		args := append(vals, p.ID)
		if ifUnchanged {
			q += ` AND version = ?`
			args = append(args, p.Version)
		}
		var version int64
		err := tx.Row(ctx, q+` RETURNING version`, args...).Scan(&version)
		switch {
		case errors.Is(err, sql.ErrNoRows) && ifUnchanged:
			return false, nil
		case errors.Is(err, sql.ErrNoRows):
			return false, backend.Errorf(backend.ENOTFOUND, "決済 (ID %d) は見つかりません", "payment %d was not found", p.ID)
		case err != nil:
			return false, err
		}
		p.Version = version
	}
	p.UpdatedAt = now
	if err := keepReviewAndIDs(ctx, tx, p); err != nil {
		return false, err
	}
	// The newest payment of an order is its main payment.
	_, err := tx.Exec(ctx, `UPDATE orders SET payment_id = ?, payment_state = ?
		WHERE id = ? AND (payment_id IS NULL OR payment_id <= ?)`, p.ID, string(p.State), p.OrderID, p.ID)
	return err == nil, err
}
