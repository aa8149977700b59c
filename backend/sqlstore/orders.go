package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"kessaidesk/backend"
)

// OrderColumns are the columns ScanOrder reads, of orders o.
const OrderColumns = `o.id, o.order_no, o.ordered_at, o.updated_at, o.customer_name, o.customer_kana, o.email, o.tel,
	o.payment_method, o.subtotal, o.discount, o.shipping, o.fee, o.points_used, o.total, o.status, o.memo, o.source,
	o.tax, o.zip, o.address, o.ship_name, o.ship_zip, o.ship_address, o.ship_tel, o.delivery_method, o.tracking_no, o.shop_status`

// ScanOrder reads an order of OrderColumns, then extra.
func ScanOrder(sc interface{ Scan(...any) error }, o *backend.Order, extra ...any) error {
	var ordered, updated int64
	var method, status string
	dest := []any{&o.ID, &o.OrderNo, &ordered, &updated, &o.CustomerName, &o.CustomerKana, &o.Email, &o.Tel,
		&method, &o.Subtotal, &o.Discount, &o.Shipping, &o.Fee, &o.PointsUsed, &o.Total, &status, &o.Memo, &o.Source,
		&o.Tax, &o.Zip, &o.Address, &o.ShipName, &o.ShipZip, &o.ShipAddress, &o.ShipTel, &o.DeliveryMethod, &o.TrackingNo, &o.ShopStatus}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	o.OrderedAt, o.UpdatedAt = fromMS(ordered), fromMS(updated)
	o.PaymentMethod, o.Status = backend.PaymentMethod(method), backend.OrderStatus(status)
	return nil
}

// OrderByID returns the order with its line items.
func (db *Core) OrderByID(ctx context.Context, id int64) (*backend.Order, error) {
	return db.oneOrder(ctx, `o.id = ?`, id, fmt.Sprintf("ID %d", id))
}

// OrderByNo returns the order with the shop's order number.
func (db *Core) OrderByNo(ctx context.Context, no string) (*backend.Order, error) {
	return db.oneOrder(ctx, `o.order_no = ?`, no, no)
}

func (db *Core) oneOrder(ctx context.Context, where string, arg any, label string) (*backend.Order, error) {
	o := &backend.Order{}
	err := ScanOrder(db.Read().Row(ctx, `SELECT `+OrderColumns+` FROM orders o WHERE `+where, arg), o)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENOTFOUND, "注文番号 %s の受注は見つかりません", "Order %s was not found", label)
	}
	if err != nil {
		return nil, err
	}
	if o.Items, err = LoadItems(ctx, db.Read(), o.ID); err != nil {
		return nil, err
	}
	return o, nil
}

// SetOrderStatus changes the 対応状況 and records who did it.
func (db *Core) SetOrderStatus(ctx context.Context, orderID int64, s backend.OrderStatus, actor string) error {
	if !s.Valid() {
		return backend.Errorf(backend.EINVALID, "対応状況「%s」は使えません", "unknown order status %q", s)
	}
	return db.InTx(ctx, func(tx Q) error {
		return setOrderStatus(ctx, tx, orderID, s, actor, db.pc, db.now())
	})
}

// advanceOrderStatus applies the 対応状況 an operation implies, but never takes a
// shipped order back to 入金済み (a late capture of a 発送済み order keeps it shipped).
func advanceOrderStatus(ctx context.Context, tx Q, orderID int64, s backend.OrderStatus, actor, pc string, now time.Time) error {
	if s == backend.OrderPaid {
		var old string
		if err := tx.Row(ctx, `SELECT status FROM orders WHERE id = ?`, orderID).Scan(&old); err == nil && old == string(backend.OrderShipped) {
			return nil
		}
	}
	return setOrderStatus(ctx, tx, orderID, s, actor, pc, now)
}

// setOrderStatus reads the order's status for update (Dialect.ForUpdate): two desktops
// changing the same order record one change after the other, each with the status it
// replaced. The event names actor and the PC pc.
func setOrderStatus(ctx context.Context, tx Q, orderID int64, s backend.OrderStatus, actor, pc string, now time.Time) error {
	var old string
	err := tx.Row(ctx, `SELECT status FROM orders WHERE id = ?`+tx.d.ForUpdate, orderID).Scan(&old)
	if errors.Is(err, sql.ErrNoRows) {
		return backend.Errorf(backend.ENOTFOUND, "受注 (ID %d) は見つかりません", "order %d was not found", orderID)
	}
	if err != nil {
		return err
	}
	if old == string(s) {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE orders SET status = ?, updated_at = ? WHERE id = ?`, string(s), ms(now), orderID); err != nil {
		return err
	}
	return InsertEvent(ctx, tx, orderID, backend.OrderEvent{At: now, Actor: actor, PC: pc, Kind: "status",
		Detail: backend.OrderStatus(old).Label() + " → " + s.Label()})
}

// InsertEvent adds an entry to the order's history: what (Kind, Detail), when (At),
// who (Actor) and on which PC.
func InsertEvent(ctx context.Context, tx Q, orderID int64, e backend.OrderEvent) error {
	_, err := tx.Exec(ctx, `INSERT INTO order_events (order_id, at, actor, pc, kind, detail, detail_en) VALUES (?,?,?,?,?,?,?)`,
		orderID, ms(e.At), e.Actor, e.PC, e.Kind, e.Detail, e.DetailEn)
	return err
}

// OrderEvents returns the order's audit trail, oldest first.
func (db *Core) OrderEvents(ctx context.Context, orderID int64) ([]backend.OrderEvent, error) {
	rows, err := db.Read().Query(ctx, `SELECT at, actor, pc, kind, detail, detail_en FROM order_events WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.OrderEvent
	for rows.Next() {
		var e backend.OrderEvent
		var at int64
		if err := rows.Scan(&at, &e.Actor, &e.PC, &e.Kind, &e.Detail, &e.DetailEn); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// LoadItems reads an order's lines, in order.
func LoadItems(ctx context.Context, x Q, orderID int64) ([]backend.LineItem, error) {
	rows, err := x.Query(ctx, `SELECT product_code, product_name, variant, unit_price, quantity
		FROM order_items WHERE order_id = ? ORDER BY line_no`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.LineItem
	for rows.Next() {
		var it backend.LineItem
		if err := rows.Scan(&it.ProductCode, &it.ProductName, &it.Variant, &it.UnitPrice, &it.Quantity); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
