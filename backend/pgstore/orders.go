package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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

// orderValues are o's values of orderCols, its times set to now where they are zero.
// The search columns (orders.*_n) are folded here; order_short_grams the server's triggers keep.
func orderValues(o *backend.Order, now time.Time) []any {
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = now
	}
	if o.OrderedAt.IsZero() {
		o.OrderedAt = now
	}
	return []any{o.OrderNo, sqlstore.OrderNoNum(o.OrderNo), ms(o.OrderedAt), ms(o.UpdatedAt), o.CustomerName, o.CustomerKana,
		o.Email, o.Tel, string(o.PaymentMethod), int64(o.Subtotal), int64(o.Discount), int64(o.Shipping), int64(o.Fee),
		int64(o.PointsUsed), int64(o.Total), string(o.Status), o.Memo, o.Source,
		textnorm.Fold(o.CustomerName), textnorm.Fold(o.CustomerKana), textnorm.Fold(o.Email), textnorm.Digits(o.Tel), int64(o.Tax),
		o.Zip, o.Address, o.ShipName, o.ShipZip, o.ShipAddress, o.ShipTel, o.DeliveryMethod, o.TrackingNo, o.ShopStatus}
}

// productSearch is a product's searched text: its code and name, folded.
func productSearch(code, name string) string { return textnorm.Fold(code) + "\n" + textnorm.Fold(name) }

// saveOrder inserts o, or updates the stored order with its number, with its lines; the
// search columns (orders.*_n, and order_short_grams the server's triggers keep) come with the row.
func saveOrder(ctx context.Context, tx sqlstore.Q, o *backend.Order, now time.Time, products map[[2]string]int64) error {
	cols := orderValues(o, now)
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
		code, name, productSearch(code, name)); err != nil {
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
	stored, err := sqlstore.LoadItems(ctx, tx, orderID)
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
