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

// forceScan makes every search use the scan plan (tests only).
var forceScan = false

// FindOrders runs the 受注管理 search: every filter of the back offices' search form,
// Japanese substring search on name, kana, e-mail and telephone, paging and a count.
//
// Two decisions keep it fast on a million orders. Which condition drives: SQLite's
// planner knows its indexes but not how many orders a text or product match returns,
// so those sets are counted first and drive only when they are the smallest. And how
// to page: when matches are dense, walking the orders in display order and checking
// each row finds a page sooner than collecting and sorting every match.
func (db *DB) FindOrders(ctx context.Context, f backend.OrderFilter) (*backend.OrderPage, error) {
	w := orderWhere(f)
	if err := db.chooseDriver(ctx, w); err != nil {
		return nil, err
	}
	page := &backend.OrderPage{}
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+w.countFrom()+` WHERE `+w.natural()+` LIMIT ?)`,
		append(w.nargs(), CountCap+1)...).Scan(&page.Total); err != nil {
		return nil, err
	}
	if page.Total > CountCap {
		page.Total, page.TotalAtLeast = CountCap, true
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	if limit > 500 {
		limit = 500
	}
	offset := max(f.Offset, 0)
	key := sortOf(f.Sort)
	var after string
	var afterArgs []any
	if f.After != "" {
		var err error
		if after, afterArgs, err = key.after(f.After); err != nil {
			return nil, err
		}
		offset = 0
	}
	cond, args := w.natural(), w.nargs()
	// Scanning in display order visits about (offset+limit) × orders / matches rows;
	// collecting the matches costs at least one row per match.
	var orders int64
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM orders`).Scan(&orders); err != nil {
		return nil, err
	}
	if forceScan || page.Total > 0 && int64(page.Total)*int64(page.Total) > int64(offset+limit)*orders {
		cond, args = w.scan(), w.sargs()
	}
	if after != "" {
		cond, args = cond+" AND "+after, append(args, afterArgs...)
	}
	// One row more than the page tells whether another page follows.
	rows, err := db.orderRows(ctx, cond+` ORDER BY `+key.order+` LIMIT ? OFFSET ?`, append(args, limit+1, offset)...)
	if err != nil {
		return nil, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = key.cursor(&rows[limit-1])
	}
	page.Rows = rows
	return page, nil
}

// orderRows reads 受注一覧 rows (the order with its main payment) for a WHERE clause
// over orders o and payments p, with its ORDER BY and LIMIT.
func (db *DB) orderRows(ctx context.Context, where string, args ...any) ([]backend.OrderRow, error) {
	q := `SELECT ` + orderColumns + `, COALESCE(o.payment_id, 0), o.payment_state, COALESCE(p.gateway, ''),
		COALESCE(p.auth_expires_at, 0),
		EXISTS (SELECT 1 FROM operations op WHERE op.payment_id = o.payment_id AND op.state IN ` + unresolvedStates + `)
		FROM orders o LEFT JOIN payments p ON p.id = o.payment_id
		WHERE ` + where
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.OrderRow
	for rows.Next() {
		var r backend.OrderRow
		var state, gateway string
		var expires int64
		if err := scanOrder(rows, &r.Order, &r.PaymentID, &state, &gateway, &expires, &r.InFlight); err != nil {
			return nil, err
		}
		r.PaymentState, r.Gateway, r.AuthExpiresAt = backend.PaymentState(state), backend.GatewayKind(gateway), fromMS(expires)
		out = append(out, r)
	}
	return out, rows.Err()
}

// chooseDriver counts the text and product matches and lets the smallest drive the
// natural plan when it is smaller than what the indexed columns select; every other
// set becomes a row filter.
func (db *DB) chooseDriver(ctx context.Context, w *where) error {
	w.driver = -1
	if len(w.sets) == 0 {
		return nil
	}
	smallest := int64(-1)
	for i, s := range w.sets {
		var n int64
		if err := db.read.QueryRowContext(ctx, s.countSQL, s.args...).Scan(&n); err != nil {
			return err
		}
		if smallest < 0 || n < smallest {
			smallest, w.driver = n, i
		}
	}
	var indexed []string
	var args []any
	for _, c := range w.cols {
		if !c.rowCheck {
			indexed, args = append(indexed, c.natural), append(args, c.args...)
		}
	}
	if len(indexed) == 0 {
		return nil
	}
	var cols int64
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM orders o WHERE `+join(indexed)+` LIMIT ?)`,
		append(args, smallest+1)...).Scan(&cols); err != nil {
		return err
	}
	if cols <= smallest {
		w.driver = -1
	}
	return nil
}

// where holds the conditions of a search.
//
// Column conditions come twice: for the natural plan (indexes usable) and for the scan
// plan (a unary + keeps SQLite from using an index, so it walks the sort index and
// checks each row). Set conditions (text and product matches) are an IN over a
// subquery: the driving one as "o.id IN", the others as "+o.id IN", which SQLite
// evaluates once into a lookup table and probes per row. In the scan plan, text is
// checked on the orders row itself (instr on the normalised column).
type where struct {
	cols   []colCond
	sets   []setCond
	driver int // index of the driving set, -1 = the column indexes drive
}

type colCond struct {
	natural, scan string
	args          []any
	rowCheck      bool // not indexable: a check on the row only
}

type setCond struct {
	in       string // "SELECT … " giving order ids
	args     []any
	countSQL string // how many ids the set holds
	scan     string // the row check used by the scan plan ("" = use +o.id IN)
	scanArgs []any
}

// both adds a condition on a column; the scan plan gets the column with a unary +.
func (w *where) both(col, rest string, args ...any) {
	w.cols = append(w.cols, colCond{natural: col + rest, scan: "+" + col + rest, args: args})
}

func (w *where) colNatural() []string {
	out := make([]string, len(w.cols))
	for i, c := range w.cols {
		out[i] = c.natural
	}
	return out
}

func (w *where) colArgs() []any {
	var out []any
	for _, c := range w.cols {
		out = append(out, c.args...)
	}
	return out
}

func join(conds []string) string {
	if len(conds) == 0 {
		return "1"
	}
	return strings.Join(conds, " AND ")
}

// countFrom is the table the count reads: when a text or product set drives, each of
// its ids is checked in orders_filter (which holds the filter columns) rather than in
// the order's full row. A row-only check (a substring beyond the grams) needs the row
// anyway; so does a non-numeric order-number range, which SQLite then reads through.
func (w *where) countFrom() string {
	if w.driver < 0 {
		return "orders o"
	}
	for _, c := range w.cols {
		if c.rowCheck {
			return "orders o"
		}
	}
	return "orders o INDEXED BY orders_filter"
}

func (w *where) natural() string {
	conds := w.colNatural()
	for i, s := range w.sets {
		if i == w.driver {
			conds = append(conds, "o.id IN ("+s.in+")")
		} else {
			conds = append(conds, "+o.id IN ("+s.in+")")
		}
	}
	return join(conds)
}

func (w *where) nargs() []any {
	args := w.colArgs()
	for _, s := range w.sets {
		args = append(args, s.args...)
	}
	return args
}

func (w *where) scan() string {
	var conds []string
	for _, c := range w.cols {
		conds = append(conds, c.scan)
	}
	for _, s := range w.sets {
		if s.scan != "" {
			conds = append(conds, s.scan)
		} else {
			conds = append(conds, "+o.id IN ("+s.in+")")
		}
	}
	return join(conds)
}

func (w *where) sargs() []any {
	var args []any
	for _, c := range w.cols {
		args = append(args, c.args...)
	}
	for _, s := range w.sets {
		if s.scan != "" {
			args = append(args, s.scanArgs...)
		} else {
			args = append(args, s.args...)
		}
	}
	return args
}

// orderWhere builds the conditions of the search.
func orderWhere(f backend.OrderFilter) *where {
	w := &where{driver: -1}
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
		check := "instr(o." + col + "_n, ?) > 0"
		if !exact {
			// the grams are all there; the substring itself is checked on the row
			w.cols = append(w.cols, colCond{natural: check, scan: check, args: []any{q}, rowCheck: true})
		}
		w.sets = append(w.sets, setCond{
			in:       "SELECT docid FROM order_text WHERE " + col + "_g MATCH ?",
			args:     []any{match},
			countSQL: "SELECT count(*) FROM order_text WHERE " + col + "_g MATCH ?",
			scan:     check, scanArgs: []any{q},
		})
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
		products := `(SELECT id FROM products WHERE instr(search, ?) > 0)`
		w.sets = append(w.sets, setCond{
			in:       `SELECT order_id FROM order_items WHERE product_id IN ` + products,
			args:     []any{p},
			countSQL: `SELECT count(*) FROM order_items WHERE product_id IN ` + products,
		})
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
