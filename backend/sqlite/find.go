package sqlite

import (
	"context"
	"strings"

	"kessaidesk/backend"
)

// unresolvedStates is the SQL list of journal states that block a payment.
const unresolvedStates = `('pending','sent','unknown')`

// CountCap bounds the count of a search: beyond it the list says "10,000件以上", so a
// search costs at most that many index entries, however many orders match.
// (A variable only so the tests can exercise both plans on a small database.)
var CountCap = 10000

// FindOrders runs the 受注管理 search: every filter of the back offices' search form,
// Japanese substring search on name, kana, e-mail and telephone, paging and a count.
//
// It chooses between two plans. When few orders match (≤ CountCap), SQLite starts from
// the most selective index or text match and sorts the matches. When many match, it
// walks the orders in display order and checks each row, stopping after one page:
// the first rows it meets are already the ones to show.
func (db *DB) FindOrders(ctx context.Context, f backend.OrderFilter) (*backend.OrderPage, error) {
	w := orderWhere(f)
	page := &backend.OrderPage{}
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM orders o WHERE `+w.natural()+` LIMIT ?)`,
		append(w.nargs, CountCap+1)...).Scan(&page.Total); err != nil {
		return nil, err
	}
	cond, args := w.natural(), w.nargs
	if page.Total > CountCap {
		page.Total, page.TotalAtLeast = CountCap, true
		cond, args = w.scan(), w.sargs
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
		WHERE ` + cond + ` ORDER BY ` + orderSort(f.Sort) + ` LIMIT ? OFFSET ?`
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

// where holds the search conditions twice: for the natural plan (indexes and text
// matches usable) and for the scan plan (a unary + keeps SQLite from using an index, so
// it walks the sort index and checks each row; text is checked on the normalised columns).
type where struct {
	nconds, sconds []string
	nargs, sargs   []any
}

func (w *where) add(natural string, nargs []any, scan string, sargs []any) {
	w.nconds, w.nargs = append(w.nconds, natural), append(w.nargs, nargs...)
	w.sconds, w.sargs = append(w.sconds, scan), append(w.sargs, sargs...)
}

// both adds a condition on a column; the scan plan gets the column with a unary +.
func (w *where) both(col, rest string, args ...any) {
	w.add(col+rest, args, "+"+col+rest, args)
}

func join(conds []string) string {
	if len(conds) == 0 {
		return "1"
	}
	return strings.Join(conds, " AND ")
}

func (w *where) natural() string { return join(w.nconds) }
func (w *where) scan() string    { return join(w.sconds) }

// orderWhere builds the conditions of the search.
func orderWhere(f backend.OrderFilter) *where {
	w := &where{}
	from, to := strings.TrimSpace(f.OrderNoFrom), strings.TrimSpace(f.OrderNoTo)
	nFrom, nTo := orderNoNum(from), orderNoNum(to)
	switch {
	case from != "" && to != "" && nFrom != nil && nTo != nil:
		w.both("o.order_no_num", " BETWEEN ? AND ?", nFrom, nTo)
	case from != "" && to == "" && nFrom != nil:
		w.both("o.order_no_num", " >= ?", nFrom)
	case from == "" && to != "" && nTo != nil:
		w.both("o.order_no_num", " <= ?", nTo)
	default:
		if from != "" {
			w.both("o.order_no", " >= ?", from)
		}
		if to != "" {
			w.both("o.order_no", " <= ?", to)
		}
	}
	if len(f.Statuses) > 0 {
		w.both("o.status", " IN ("+placeholders(len(f.Statuses))+")", anys(f.Statuses)...)
	}
	if len(f.Methods) > 0 {
		w.both("o.payment_method", " IN ("+placeholders(len(f.Methods))+")", anys(f.Methods)...)
	}
	if len(f.PaymentStates) > 0 {
		w.both("o.payment_state", " IN ("+placeholders(len(f.PaymentStates))+")", anys(f.PaymentStates)...)
	}
	text := func(col, q string, n int) {
		if q == "" {
			return
		}
		match, exact := gramQuery(q, n)
		natural := "o.id IN (SELECT docid FROM order_text WHERE " + col + "_g MATCH ?)"
		nargs := []any{match}
		if !exact {
			natural += " AND instr(o." + col + "_n, ?) > 0"
			nargs = append(nargs, q)
		}
		w.add(natural, nargs, "instr(o."+col+"_n, ?) > 0", []any{q})
	}
	text("name", normalize(f.Name), nameGram)
	text("kana", normalize(f.Kana), nameGram)
	text("email", normalize(f.Email), mailGram)
	text("tel", digitsOnly(f.Tel), mailGram)
	if !f.OrderedFrom.IsZero() {
		w.both("o.ordered_at", " >= ?", ms(f.OrderedFrom))
	}
	if !f.OrderedTo.IsZero() {
		w.both("o.ordered_at", " < ?", ms(f.OrderedTo))
	}
	if !f.UpdatedFrom.IsZero() {
		w.both("o.updated_at", " >= ?", ms(f.UpdatedFrom))
	}
	if !f.UpdatedTo.IsZero() {
		w.both("o.updated_at", " < ?", ms(f.UpdatedTo))
	}
	if f.TotalMin != nil {
		w.both("o.total", " >= ?", int64(*f.TotalMin))
	}
	if f.TotalMax != nil {
		w.both("o.total", " <= ?", int64(*f.TotalMax))
	}
	if p := normalize(f.Product); p != "" {
		w.both("o.id", ` IN (SELECT oi.order_id FROM order_items oi WHERE oi.product_id IN
			(SELECT id FROM products WHERE instr(search, ?) > 0))`, p)
	}
	return w
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
