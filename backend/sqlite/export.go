package sqlite

import (
	"context"
	"database/sql"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

var _ backend.ExportStore = (*DB)(nil)

// CountOrders counts every order the 受注管理 filter selects (FindOrders stops at
// CountCap; an export needs the real number for its progress).
func (db *DB) CountOrders(ctx context.Context, f backend.OrderFilter) (int, error) {
	p, err := db.plan(ctx, orderWhere(f))
	if err != nil {
		return 0, err
	}
	from, cond, args := p.counted()
	var n int
	err = db.read.QueryRowContext(ctx, `SELECT count(*) FROM `+from+` WHERE `+cond, args...).Scan(&n)
	return n, err
}

// EachOrder streams the orders the filter selects, in its sort, each with its line
// items and main payment. Two queries walk the sort in step in one read transaction
// — the orders (with their payment), and the items of the same orders in the same
// sort — so each order's columns are read once, memory stays flat and no order costs
// a query of its own. Limit and Offset are ignored: an export takes every match.
func (db *DB) EachOrder(ctx context.Context, f backend.OrderFilter, fn func(*backend.Order, *backend.Payment) error) error {
	p, err := db.plan(ctx, orderWhere(f))
	if err != nil {
		return err
	}
	from, fargs := p.from(false)
	cond, args := p.where(natural)
	args = append(fargs, args...)
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	sort := orderSort(f.Sort)
	orders, err := tx.QueryContext(ctx, `SELECT `+sqlstore.ExportColumns+`
		FROM `+from+` LEFT JOIN payments p ON p.id = o.payment_id
		WHERE `+cond+` ORDER BY `+sort, args...)
	if err != nil {
		return err
	}
	defer orders.Close()
	// An order's items in id order are its lines in order: they are always written
	// whole, line by line (orderWriter).
	items, err := tx.QueryContext(ctx, `SELECT i.order_id, i.product_code, i.product_name, i.variant, i.unit_price, i.quantity
		FROM `+from+` JOIN order_items i ON i.order_id = o.id
		WHERE `+cond+` ORDER BY `+sort+`, i.id`, args...)
	if err != nil {
		return err
	}
	defer items.Close()
	var next backend.LineItem
	nextOrder := int64(-1) // the order of the item read ahead; 0 = none left
	readItem := func() error {
		if !items.Next() {
			nextOrder = 0
			return items.Err()
		}
		return items.Scan(&nextOrder, &next.ProductCode, &next.ProductName, &next.Variant, &next.UnitPrice, &next.Quantity)
	}
	if err := readItem(); err != nil {
		return err
	}
	for orders.Next() {
		o, p, err := sqlstore.ScanExport(orders)
		if err != nil {
			return err
		}
		for nextOrder == o.ID {
			o.Items = append(o.Items, next)
			if err := readItem(); err != nil {
				return err
			}
		}
		if err := fn(o, p); err != nil {
			return err
		}
	}
	return orders.Err()
}
