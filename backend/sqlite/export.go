package sqlite

import (
	"context"
	"database/sql"

	"kessaidesk/backend"
)

var _ backend.ExportStore = (*DB)(nil)

// CountOrders counts every order the 受注管理 filter selects (FindOrders stops at
// CountCap; an export needs the real number for its progress).
func (db *DB) CountOrders(ctx context.Context, f backend.OrderFilter) (int, error) {
	w := orderWhere(f)
	if err := db.chooseDriver(ctx, w); err != nil {
		return 0, err
	}
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM `+w.countFrom()+` WHERE `+w.natural(), w.nargs()...).Scan(&n)
	return n, err
}

// EachOrder streams the orders the filter selects, in its sort, each with its line
// items and main payment. It is one query over orders ⋈ items: SQLite walks the sort
// index and each order's items, so memory stays flat and no order costs a query of
// its own. Limit and Offset are ignored: an export takes every match.
func (db *DB) EachOrder(ctx context.Context, f backend.OrderFilter, fn func(*backend.Order, *backend.Payment) error) error {
	w := orderWhere(f)
	if err := db.chooseDriver(ctx, w); err != nil {
		return err
	}
	// The AccessPass (gw_tran_pass) is not read: nothing exported may carry it.
	q := `SELECT ` + orderColumns + `, COALESCE(p.id, 0), COALESCE(p.profile_id, 0), COALESCE(p.gateway, ''),
			COALESCE(p.method, ''), COALESCE(p.state, ''), COALESCE(p.gw_order_id, ''), COALESCE(p.gw_tran_id, ''),
			COALESCE(p.amount_authorized, 0), COALESCE(p.amount_captured, 0), COALESCE(p.amount_refunded, 0),
			i.id, COALESCE(i.product_code, ''), COALESCE(i.product_name, ''), COALESCE(i.variant, ''),
			COALESCE(i.unit_price, 0), COALESCE(i.quantity, 0)
		FROM orders o LEFT JOIN payments p ON p.id = o.payment_id LEFT JOIN order_items i ON i.order_id = o.id
		WHERE ` + w.natural() + ` ORDER BY ` + orderSort(f.Sort) + `, i.line_no`
	rows, err := db.read.QueryContext(ctx, q, w.nargs()...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur *backend.Order
	var curPay *backend.Payment
	flush := func() error {
		if cur == nil {
			return nil
		}
		o, p := cur, curPay
		cur, curPay = nil, nil
		return fn(o, p)
	}
	for rows.Next() {
		var o backend.Order
		var p backend.Payment
		var gateway, method, state string
		var itemID sql.NullInt64
		var it backend.LineItem
		if err := scanOrder(rows, &o, &p.ID, &p.ProfileID, &gateway, &method, &state, &p.GatewayOrderID, &p.GatewayTranID,
			&p.AmountAuthorized, &p.AmountCaptured, &p.AmountRefunded,
			&itemID, &it.ProductCode, &it.ProductName, &it.Variant, &it.UnitPrice, &it.Quantity); err != nil {
			return err
		}
		if cur == nil || cur.ID != o.ID {
			if err := flush(); err != nil {
				return err
			}
			cur = &o
			if p.ID != 0 {
				p.OrderID, p.Gateway, p.Method, p.State = o.ID, backend.GatewayKind(gateway), backend.PaymentMethod(method), backend.PaymentState(state)
				curPay = &p
			}
		}
		if itemID.Valid {
			cur.Items = append(cur.Items, it)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}
