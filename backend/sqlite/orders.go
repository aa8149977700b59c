package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
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
	return db.withTx(ctx, func(tx *sql.Tx) error {
		s, err := newOrderWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer s.close()
		for _, o := range orders {
			if err := s.save(ctx, o, db.Now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// orderWriter holds the prepared statements of a batch save.
type orderWriter struct {
	tx                            *sql.Tx
	find, insert, update          *sql.Stmt
	product, productID            *sql.Stmt
	item, delItems, text, delText *sql.Stmt
	products                      map[[2]string]int64
}

func newOrderWriter(ctx context.Context, tx *sql.Tx) (*orderWriter, error) {
	w := &orderWriter{tx: tx, products: map[[2]string]int64{}}
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.PrepareContext(ctx, q)
		return st
	}
	const cols = `order_no, order_no_num, ordered_at, updated_at, customer_name, customer_kana, email, tel,
		payment_method, subtotal, discount, shipping, fee, points_used, total, status, memo, source,
		name_n, kana_n, email_n, tel_n, tax, zip, address, ship_name, ship_zip, ship_address, ship_tel,
		delivery_method, tracking_no, shop_status`
	n := strings.Count(cols, ",") + 1
	w.find = prep(`SELECT id FROM orders WHERE order_no = ?`)
	w.insert = prep(`INSERT INTO orders (` + cols + `) VALUES (` + placeholders(n) + `)`)
	w.update = prep(`UPDATE orders SET (` + cols + `) = (` + placeholders(n) + `) WHERE id = ?`)
	w.product = prep(`INSERT INTO products (code, name, search) VALUES (?,?,?) ON CONFLICT (code, name) DO NOTHING`)
	w.productID = prep(`SELECT id FROM products WHERE code = ? AND name = ?`)
	w.item = prep(`INSERT INTO order_items (order_id, line_no, product_id, product_code, product_name, variant, unit_price, quantity) VALUES (?,?,?,?,?,?,?,?)`)
	w.delItems = prep(`DELETE FROM order_items WHERE order_id = ?`)
	w.text = prep(`INSERT INTO order_text (docid, name_g, kana_g, email_g, tel_g) VALUES (?,?,?,?,?)`)
	w.delText = prep(`DELETE FROM order_text WHERE docid = ?`)
	if err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func (w *orderWriter) close() {
	for _, st := range []*sql.Stmt{w.find, w.insert, w.update, w.product, w.productID, w.item, w.delItems, w.text, w.delText} {
		if st != nil {
			st.Close()
		}
	}
}

func (w *orderWriter) save(ctx context.Context, o *backend.Order, now time.Time) error {
	var id int64
	err := w.find.QueryRowContext(ctx, o.OrderNo).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return w.write(ctx, o, id, now)
}

// write inserts the order (id 0) or updates the stored order id.
func (w *orderWriter) write(ctx context.Context, o *backend.Order, id int64, now time.Time) error {
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = now
	}
	if o.OrderedAt.IsZero() {
		o.OrderedAt = now
	}
	nName, nKana, nMail, nTel := normalize(o.CustomerName), normalize(o.CustomerKana), normalize(o.Email), digitsOnly(o.Tel)
	args := []any{o.OrderNo, orderNoNum(o.OrderNo), ms(o.OrderedAt), ms(o.UpdatedAt), o.CustomerName, o.CustomerKana,
		o.Email, o.Tel, string(o.PaymentMethod), o.Subtotal, o.Discount, o.Shipping, o.Fee, o.PointsUsed, o.Total,
		string(o.Status), o.Memo, o.Source, nName, nKana, nMail, nTel, o.Tax, o.Zip, o.Address, o.ShipName, o.ShipZip,
		o.ShipAddress, o.ShipTel, o.DeliveryMethod, o.TrackingNo, o.ShopStatus}
	if id == 0 {
		res, err := w.insert.ExecContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("insert order %s: %w", o.OrderNo, err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
	} else {
		if _, err := w.update.ExecContext(ctx, append(args, id)...); err != nil {
			return fmt.Errorf("update order %s: %w", o.OrderNo, err)
		}
		same, err := sameItems(ctx, w.tx, id, o.Items)
		if err != nil {
			return err
		}
		if same {
			o.Items = nil // keep the stored lines (and their キャンセル在庫 rows)
		} else if _, err := w.delItems.ExecContext(ctx, id); err != nil {
			return err
		}
		if _, err := w.delText.ExecContext(ctx, id); err != nil {
			return err
		}
	}
	o.ID = id
	for i, it := range o.Items {
		pid, err := w.productKey(ctx, it.ProductCode, it.ProductName)
		if err != nil {
			return err
		}
		if _, err := w.item.ExecContext(ctx, id, i+1, pid, it.ProductCode, it.ProductName, it.Variant, it.UnitPrice, it.Quantity); err != nil {
			return err
		}
	}
	_, err := w.text.ExecContext(ctx, id, grams(nName, nameGram), grams(nKana, nameGram), grams(nMail, mailGram), grams(nTel, mailGram))
	return err
}

func (w *orderWriter) productKey(ctx context.Context, code, name string) (int64, error) {
	k := [2]string{code, name}
	if id, ok := w.products[k]; ok {
		return id, nil
	}
	if _, err := w.product.ExecContext(ctx, code, name, normalize(code)+"\n"+normalize(name)); err != nil {
		return 0, err
	}
	var id int64
	if err := w.productID.QueryRowContext(ctx, code, name).Scan(&id); err != nil {
		return 0, err
	}
	w.products[k] = id
	return id, nil
}

func sameItems(ctx context.Context, tx *sql.Tx, orderID int64, items []backend.LineItem) (bool, error) {
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

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func loadItems(ctx context.Context, q querier, orderID int64) ([]backend.LineItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT product_code, product_name, variant, unit_price, quantity
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
	err := scanOrder(db.read.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders o WHERE `+where, arg), o)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENOTFOUND, "注文番号 %s の受注は見つかりません", "Order %s was not found", label)
	}
	if err != nil {
		return nil, err
	}
	if o.Items, err = loadItems(ctx, db.read, o.ID); err != nil {
		return nil, err
	}
	return o, nil
}

// SetOrderStatus changes the 対応状況 and records who did it.
func (db *DB) SetOrderStatus(ctx context.Context, orderID int64, s backend.OrderStatus, actor string) error {
	if !s.Valid() {
		return backend.Errorf(backend.EINVALID, "対応状況「%s」は使えません", "unknown order status %q", s)
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		return setOrderStatus(ctx, tx, orderID, s, actor, db.Now())
	})
}

// advanceOrderStatus applies the 対応状況 an operation implies, but never takes a
// shipped order back to 入金済み (a late capture of a 発送済み order keeps it shipped).
func advanceOrderStatus(ctx context.Context, tx *sql.Tx, orderID int64, s backend.OrderStatus, actor string, now time.Time) error {
	if s == backend.OrderPaid {
		var old string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = ?`, orderID).Scan(&old); err == nil && old == string(backend.OrderShipped) {
			return nil
		}
	}
	return setOrderStatus(ctx, tx, orderID, s, actor, now)
}

func setOrderStatus(ctx context.Context, tx *sql.Tx, orderID int64, s backend.OrderStatus, actor string, now time.Time) error {
	var old string
	err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = ?`, orderID).Scan(&old)
	if errors.Is(err, sql.ErrNoRows) {
		return backend.Errorf(backend.ENOTFOUND, "受注 (ID %d) は見つかりません", "order %d was not found", orderID)
	}
	if err != nil {
		return err
	}
	if old == string(s) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE orders SET status = ?, updated_at = ? WHERE id = ?`, string(s), ms(now), orderID); err != nil {
		return err
	}
	detail := backend.OrderStatus(old).Label() + " → " + s.Label()
	_, err = tx.ExecContext(ctx, `INSERT INTO order_events (order_id, at, actor, kind, detail) VALUES (?,?,?,?,?)`,
		orderID, ms(now), actor, "status", detail)
	return err
}

// OrderEvents returns the order's audit trail, oldest first.
func (db *DB) OrderEvents(ctx context.Context, orderID int64) ([]backend.OrderEvent, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT at, actor, kind, detail FROM order_events WHERE order_id = ? ORDER BY id`, orderID)
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
