package sqlite

import (
	"context"
	"strings"

	"kessaidesk/backend"
)

// unresolvedStates is the SQL list of journal states that block a payment.
const unresolvedStates = `('pending','sent','unknown')`

// FindOrders runs the 受注管理 search: every filter of the back offices' search form,
// Japanese substring search on name, kana, e-mail and telephone, paging and a count.
func (db *DB) FindOrders(ctx context.Context, f backend.OrderFilter) (*backend.OrderPage, error) {
	where, args := orderWhere(f)
	page := &backend.OrderPage{}
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM orders o WHERE `+where, args...).Scan(&page.Total); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	if limit > 500 {
		limit = 500
	}
	q := `SELECT ` + orderColumns + `, COALESCE(o.payment_id, 0), o.payment_state, COALESCE(p.gateway, ''),
		COALESCE(p.auth_expires_at, 0),
		EXISTS (SELECT 1 FROM operations op WHERE op.payment_id = o.payment_id AND op.state IN ` + unresolvedStates + `)
		FROM orders o LEFT JOIN payments p ON p.id = o.payment_id
		WHERE ` + where + ` ORDER BY ` + orderSort(f.Sort) + ` LIMIT ? OFFSET ?`
	rows, err := db.read.QueryContext(ctx, q, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r backend.OrderRow
		var state, gateway string
		var expires int64
		if err := scanOrder(rows, &r.Order, &r.PaymentID, &state, &gateway, &expires, &r.InFlight); err != nil {
			return nil, err
		}
		r.PaymentState, r.Gateway, r.AuthExpiresAt = backend.PaymentState(state), backend.GatewayKind(gateway), fromMS(expires)
		page.Rows = append(page.Rows, r)
	}
	return page, rows.Err()
}

func orderSort(s string) string {
	switch s {
	case "ordered_asc":
		return "o.ordered_at ASC, o.id ASC"
	case "updated_desc":
		return "o.updated_at DESC, o.id DESC"
	case "total_desc":
		return "o.total DESC, o.id DESC"
	case "order_no_asc":
		return "o.order_no_num ASC, o.order_no ASC"
	case "order_no_desc":
		return "o.order_no_num DESC, o.order_no DESC"
	}
	return "o.ordered_at DESC, o.id DESC"
}

// orderWhere builds the WHERE clause of the search; it is never empty.
func orderWhere(f backend.OrderFilter) (string, []any) {
	var conds []string
	var args []any
	add := func(c string, a ...any) {
		conds = append(conds, c)
		args = append(args, a...)
	}
	from, to := strings.TrimSpace(f.OrderNoFrom), strings.TrimSpace(f.OrderNoTo)
	nFrom, nTo := orderNoNum(from), orderNoNum(to)
	switch {
	case from != "" && to != "" && nFrom != nil && nTo != nil:
		add("o.order_no_num BETWEEN ? AND ?", nFrom, nTo)
	case from != "" && to == "" && nFrom != nil:
		add("o.order_no_num >= ?", nFrom)
	case from == "" && to != "" && nTo != nil:
		add("o.order_no_num <= ?", nTo)
	default:
		if from != "" {
			add("o.order_no >= ?", from)
		}
		if to != "" {
			add("o.order_no <= ?", to)
		}
	}
	if len(f.Statuses) > 0 {
		add("o.status IN ("+placeholders(len(f.Statuses))+")", anys(f.Statuses)...)
	}
	if len(f.Methods) > 0 {
		add("o.payment_method IN ("+placeholders(len(f.Methods))+")", anys(f.Methods)...)
	}
	if len(f.PaymentStates) > 0 {
		add("o.payment_state IN ("+placeholders(len(f.PaymentStates))+")", anys(f.PaymentStates)...)
	}
	textCond := func(col, n string) {
		if n == "" {
			return
		}
		match, exact := gramQuery(n)
		if exact {
			add("o.id IN (SELECT docid FROM order_text WHERE "+col+"_g MATCH ?)", match)
		} else {
			add("o.id IN (SELECT docid FROM order_text WHERE "+col+"_g MATCH ? AND instr("+col+"_n, ?) > 0)", match, n)
		}
	}
	textCond("name", normalize(f.Name))
	textCond("kana", normalize(f.Kana))
	textCond("email", normalize(f.Email))
	textCond("tel", digitsOnly(f.Tel))
	if !f.OrderedFrom.IsZero() {
		add("o.ordered_at >= ?", ms(f.OrderedFrom))
	}
	if !f.OrderedTo.IsZero() {
		add("o.ordered_at < ?", ms(f.OrderedTo))
	}
	if !f.UpdatedFrom.IsZero() {
		add("o.updated_at >= ?", ms(f.UpdatedFrom))
	}
	if !f.UpdatedTo.IsZero() {
		add("o.updated_at < ?", ms(f.UpdatedTo))
	}
	if f.TotalMin != nil {
		add("o.total >= ?", int64(*f.TotalMin))
	}
	if f.TotalMax != nil {
		add("o.total <= ?", int64(*f.TotalMax))
	}
	if p := normalize(f.Product); p != "" {
		add(`o.id IN (SELECT oi.order_id FROM order_items oi WHERE oi.product_id IN
			(SELECT id FROM products WHERE instr(search, ?) > 0))`, p)
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func anys[T ~string](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
