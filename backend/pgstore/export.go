package pgstore

import (
	"context"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

var _ backend.ExportStore = (*DB)(nil)

// CountOrders counts every order the 受注管理 filter selects (FindOrders stops at
// CountCap; an export needs the real number for its progress).
func (db *DB) CountOrders(ctx context.Context, f backend.OrderFilter) (int, error) {
	cond, args := orderWhere(f)
	var n int
	err := db.Read().Row(ctx, `SELECT count(*) FROM orders o WHERE `+cond, args...).Scan(&n)
	return n, err
}

// EachOrder streams the orders the filter selects, in its sort, each with its line
// items and main payment. It is one query — each order's row with its payment, once
// for each of its lines (and once when it has none), in the sort and then line order
// — whose rows the server sends as they are read: one snapshot, no query an order,
// memory flat however many orders match. Limit and Offset are ignored: an export takes
// every match.
func (db *DB) EachOrder(ctx context.Context, f backend.OrderFilter, fn func(*backend.Order, *backend.Payment) error) error {
	cond, args := orderWhere(f)
	rows, err := db.Read().Query(ctx, `SELECT `+sqlstore.ExportColumns+`, i.id IS NOT NULL, COALESCE(i.product_code, ''),
			COALESCE(i.product_name, ''), COALESCE(i.variant, ''), COALESCE(i.unit_price, 0), COALESCE(i.quantity, 0)
		FROM orders o LEFT JOIN payments p ON p.id = o.payment_id LEFT JOIN order_items i ON i.order_id = o.id
		WHERE `+cond+` ORDER BY `+sqlstore.OrderSort(f.Sort)+`, i.line_no`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var o *backend.Order // the order being read, given to fn when the next begins
	var p *backend.Payment
	for rows.Next() {
		var hasLine bool
		var it backend.LineItem
		ro, rp, err := sqlstore.ScanExport(rows, &hasLine, &it.ProductCode, &it.ProductName, &it.Variant, &it.UnitPrice, &it.Quantity)
		if err != nil {
			return err
		}
		if o == nil || ro.ID != o.ID {
			if o != nil {
				if err := fn(o, p); err != nil {
					return err
				}
			}
			o, p = ro, rp
		}
		if hasLine {
			o.Items = append(o.Items, it)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if o != nil {
		return fn(o, p)
	}
	return nil
}
