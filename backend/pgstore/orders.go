package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
	"kessaidesk/backend/textnorm"
)

// SaveOrder inserts the order, or updates the one with the same order number.
func (db *DB) SaveOrder(ctx context.Context, o *backend.Order) error {
	return db.SaveOrders(ctx, []*backend.Order{o})
}

// SaveOrders saves many orders in one transaction: all or nothing (CSV import, demo).
// An order whose number exists is updated in place, never duplicated.
func (db *DB) SaveOrders(ctx context.Context, orders []*backend.Order) error {
	for _, o := range orders {
		if err := o.Validate(); err != nil {
			return err
		}
	}
	return db.InTx(ctx, func(tx sqlstore.Q) error {
		products := map[[2]string]int64{}
		for _, o := range orders {
			if err := saveOrder(ctx, tx, o, db.Now(), products); err != nil {
				return err
			}
		}
		return nil
	})
}

const orderCols = `order_no, order_no_num, ordered_at, updated_at, customer_name, customer_kana, email, tel,
	payment_method, subtotal, discount, shipping, fee, points_used, total, status, memo, source,
	name_n, kana_n, email_n, tel_n, tax, zip, address, ship_name, ship_zip, ship_address, ship_tel,
	delivery_method, tracking_no, shop_status`

var numOrderCols = strings.Count(orderCols, ",") + 1

// saveOrder inserts o, or updates the stored order with its number, with its lines; the
// search columns (orders.*_n, and name_g/kana_g the server derives) come with the row.
func saveOrder(ctx context.Context, tx sqlstore.Q, o *backend.Order, now time.Time, products map[[2]string]int64) error {
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = now
	}
	if o.OrderedAt.IsZero() {
		o.OrderedAt = now
	}
	cols := []any{o.OrderNo, orderNoNum(o.OrderNo), ms(o.OrderedAt), ms(o.UpdatedAt), o.CustomerName, o.CustomerKana,
		o.Email, o.Tel, string(o.PaymentMethod), int64(o.Subtotal), int64(o.Discount), int64(o.Shipping), int64(o.Fee),
		int64(o.PointsUsed), int64(o.Total), string(o.Status), o.Memo, o.Source,
		textnorm.Fold(o.CustomerName), textnorm.Fold(o.CustomerKana), textnorm.Fold(o.Email), textnorm.Digits(o.Tel), int64(o.Tax),
		o.Zip, o.Address, o.ShipName, o.ShipZip, o.ShipAddress, o.ShipTel, o.DeliveryMethod, o.TrackingNo, o.ShopStatus}
	var id int64
	err := tx.Row(ctx, `SELECT id FROM orders WHERE order_no = ? FOR UPDATE`, o.OrderNo).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if o.ID, err = tx.ID(ctx, `INSERT INTO orders (`+orderCols+`) VALUES (`+placeholders(numOrderCols)+`)
			ON CONFLICT (order_no) DO NOTHING`, cols...); errors.Is(err, sql.ErrNoRows) {
			// Another desktop saved this number between the look-up and the insert.
			return backend.Errorf(backend.EBUSY, "注文番号 %s の受注は別のパソコンで同時に保存されました。もう一度保存してください",
				"order %s was saved by another desktop at the same moment; save again", o.OrderNo)
		} else if err != nil {
			return fmt.Errorf("insert order %s: %w", o.OrderNo, err)
		}
	case err != nil:
		return err
	default:
		if _, err := tx.Exec(ctx, `UPDATE orders SET (`+orderCols+`) = (`+placeholders(numOrderCols)+`) WHERE id = ?`, append(cols, id)...); err != nil {
			return fmt.Errorf("update order %s: %w", o.OrderNo, err)
		}
		o.ID = id
		same, err := sameItems(ctx, tx, id, o.Items)
		if err != nil {
			return err
		}
		if same {
			o.Items = nil // keep the stored lines (and their キャンセル在庫 rows)
		} else if _, err := tx.Exec(ctx, `DELETE FROM order_items WHERE order_id = ?`, id); err != nil {
			return err
		}
	}
	for i, it := range o.Items {
		pid, err := productKey(ctx, tx, products, it.ProductCode, it.ProductName)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO order_items (order_id, line_no, product_id, product_code, product_name, variant, unit_price, quantity)
			VALUES (?,?,?,?,?,?,?,?)`, o.ID, i+1, pid, it.ProductCode, it.ProductName, it.Variant, int64(it.UnitPrice), it.Quantity); err != nil {
			return err
		}
	}
	return nil
}

func productKey(ctx context.Context, tx sqlstore.Q, cache map[[2]string]int64, code, name string) (int64, error) {
	k := [2]string{code, name}
	if id, ok := cache[k]; ok {
		return id, nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO products (code, name, search) VALUES (?,?,?) ON CONFLICT (code, name) DO NOTHING`,
		code, name, textnorm.Fold(code)+"\n"+textnorm.Fold(name)); err != nil {
		return 0, err
	}
	var id int64
	if err := tx.Row(ctx, `SELECT id FROM products WHERE code = ? AND name = ?`, code, name).Scan(&id); err != nil {
		return 0, err
	}
	cache[k] = id
	return id, nil
}

func sameItems(ctx context.Context, tx sqlstore.Q, orderID int64, items []backend.LineItem) (bool, error) {
	stored, err := loadItems(ctx, tx, orderID)
	if err != nil {
		return false, err
	}
	if len(stored) != len(items) {
		return false, nil
	}
	for i := range items {
		if stored[i] != items[i] {
			return false, nil
		}
	}
	return true, nil
}

func loadItems(ctx context.Context, x sqlstore.Q, orderID int64) ([]backend.LineItem, error) {
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

// orderNoNum is the order number as a number for range search, or nil if it is not one.
func orderNoNum(no string) any {
	if no == "" || len(no) > 18 {
		return nil
	}
	n, err := strconv.ParseInt(no, 10, 64)
	if err != nil || n < 0 {
		return nil
	}
	return n
}

const orderColumns = `o.id, o.order_no, o.ordered_at, o.updated_at, o.customer_name, o.customer_kana, o.email, o.tel,
	o.payment_method, o.subtotal, o.discount, o.shipping, o.fee, o.points_used, o.total, o.status, o.memo, o.source,
	o.tax, o.zip, o.address, o.ship_name, o.ship_zip, o.ship_address, o.ship_tel, o.delivery_method, o.tracking_no, o.shop_status`

func scanOrder(sc interface{ Scan(...any) error }, o *backend.Order, extra ...any) error {
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
func (db *DB) OrderByID(ctx context.Context, id int64) (*backend.Order, error) {
	return db.oneOrder(ctx, `o.id = ?`, id, fmt.Sprintf("ID %d", id))
}

// OrderByNo returns the order with the shop's order number.
func (db *DB) OrderByNo(ctx context.Context, no string) (*backend.Order, error) {
	return db.oneOrder(ctx, `o.order_no = ?`, no, no)
}

func (db *DB) oneOrder(ctx context.Context, where string, arg any, label string) (*backend.Order, error) {
	o := &backend.Order{}
	err := scanOrder(db.Read().Row(ctx, `SELECT `+orderColumns+` FROM orders o WHERE `+where, arg), o)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENOTFOUND, "注文番号 %s の受注は見つかりません", "Order %s was not found", label)
	}
	if err != nil {
		return nil, err
	}
	if o.Items, err = loadItems(ctx, db.Read(), o.ID); err != nil {
		return nil, err
	}
	return o, nil
}

// SetOrderStatus changes the 対応状況 and records who did it.
func (db *DB) SetOrderStatus(ctx context.Context, orderID int64, s backend.OrderStatus, actor string) error {
	if !s.Valid() {
		return backend.Errorf(backend.EINVALID, "対応状況「%s」は使えません", "unknown order status %q", s)
	}
	return db.InTx(ctx, func(tx sqlstore.Q) error {
		return setOrderStatus(ctx, tx, orderID, s, actor, db.Now())
	})
}

// advanceOrderStatus applies the 対応状況 an operation implies, but never takes a
// shipped order back to 入金済み (a late capture of a 発送済み order keeps it shipped).
func advanceOrderStatus(ctx context.Context, tx sqlstore.Q, orderID int64, s backend.OrderStatus, actor string, now time.Time) error {
	if s == backend.OrderPaid {
		var old string
		if err := tx.Row(ctx, `SELECT status FROM orders WHERE id = ?`, orderID).Scan(&old); err == nil && old == string(backend.OrderShipped) {
			return nil
		}
	}
	return setOrderStatus(ctx, tx, orderID, s, actor, now)
}

// setOrderStatus locks the order's row (FOR UPDATE): two desktops changing the same
// order record one change after the other, each with the status it replaced.
func setOrderStatus(ctx context.Context, tx sqlstore.Q, orderID int64, s backend.OrderStatus, actor string, now time.Time) error {
	var old string
	err := tx.Row(ctx, `SELECT status FROM orders WHERE id = ? FOR UPDATE`, orderID).Scan(&old)
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
	detail := backend.OrderStatus(old).Label() + " → " + s.Label()
	_, err = tx.Exec(ctx, `INSERT INTO order_events (order_id, at, actor, kind, detail) VALUES (?,?,?,?,?)`,
		orderID, ms(now), actor, "status", detail)
	return err
}

// OrderEvents returns the order's audit trail, oldest first.
func (db *DB) OrderEvents(ctx context.Context, orderID int64) ([]backend.OrderEvent, error) {
	rows, err := db.Read().Query(ctx, `SELECT at, actor, kind, detail FROM order_events WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.OrderEvent
	for rows.Next() {
		var e backend.OrderEvent
		var at int64
		if err := rows.Scan(&at, &e.Actor, &e.Kind, &e.Detail); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
