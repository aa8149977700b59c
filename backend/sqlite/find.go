package sqlite

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

// unresolvedStates is the SQL list of journal states that block a payment.
const unresolvedStates = sqlstore.UnresolvedStates

// CountCap bounds the count of a search: beyond it the list says "10,000件以上", so a
// search costs at most that many index entries, however many orders match.
// (A variable only so the tests can exercise both plans on a small database.)
var CountCap = 10000

// forceScan makes every search use the scan plan (tests only).
var forceScan = false

// FindOrders runs the 受注管理 search: every filter of the back offices' search form,
// Japanese substring search on name, kana, e-mail and telephone, pages by key (After)
// or offset, and a count that stops at CountCap.
//
// Nothing it does grows with the number of matches beyond the cap. Which condition
// drives: each text and product condition has an index read as a stream (FTS5, the
// product index), so how many orders it holds is counted up to the cap, and the
// smallest drives; the others are checked on each row. And how to page: when matches
// are dense, walking the orders in display order and checking each row finds a page
// sooner than collecting and sorting every match.
func (db *DB) FindOrders(ctx context.Context, f backend.OrderFilter) (*backend.OrderPage, error) {
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
	p, err := db.plan(ctx, orderWhere(f))
	if err != nil {
		return nil, err
	}
	page := &backend.OrderPage{}
	var rows []backend.OrderRow
	if p.few(offset, limit) {
		total, ids, err := db.matched(ctx, p, key, after, afterArgs, limit+1, offset)
		if err != nil || total == 0 {
			return page, err
		}
		page.Total = int(total) // below the cap: the driver's orders are fewer
		rows, err = db.orderRowsFrom(ctx, `(SELECT value AS id FROM json_each(?)) d CROSS JOIN orders o ON o.id = d.id`,
			`1 ORDER BY `+key.order, ids)
		if err != nil {
			return nil, err
		}
	} else {
		total, err := db.count(ctx, p)
		if err != nil {
			return nil, err
		}
		page.Total = int(total)
		if page.Total > CountCap {
			page.Total, page.TotalAtLeast = CountCap, true
		}
		if total == 0 {
			return page, nil
		}
		// Scanning in display order visits about (offset+limit) × orders / matches rows;
		// the driver's plan reads every order it holds, and sorts the matches.
		scan := forceScan || int64(offset+limit)*p.orders/total < p.size
		from, fargs := p.from(false)
		form := natural
		if scan {
			from, fargs, form = "orders o", nil, scanned
			if p.w.orderedCodes() && strings.HasPrefix(key.order, "o.ordered_at ") {
				// Status and method are checked on orders_ordered_codes as it is walked:
				// only the orders they select are read for the rest (「佐藤」 + 発送済み
				// + カード: ~2,600 order rows of the ~5,600 walked; page 5 → 3 ms).
				from, form = "orders o INDEXED BY orders_ordered_codes", scannedCoded
			}
		}
		cond, args := p.where(form)
		if after != "" {
			cond, args = cond+" AND "+after, append(args, afterArgs...)
		}
		// One row more than the page tells whether another page follows.
		if rows, err = db.orderRowsFrom(ctx, from, cond+` ORDER BY `+key.order+` LIMIT ? OFFSET ?`,
			append(append(fargs, args...), limit+1, offset)...); err != nil {
			return nil, err
		}
	}
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = key.cursor(&rows[limit-1])
	}
	page.Rows = rows
	return page, nil
}

// few: the driver's orders were read whole (their ids kept) and are so few that no
// page would be found sooner by scanning in display order (that visits about
// (offset+limit) × orders / matches rows, and the matches are at most the driver's),
// and the count is not known already. Then matched checks each of them once.
func (p *plan) few(offset, limit int) bool {
	return !forceScan && !p.exact && p.driver >= 0 && p.w.sets[p.driver].whole &&
		p.size*p.size <= int64(offset+limit)*p.orders
}

// matched counts the search's orders and finds the page's ids (limit of them, after
// offset, in the sort, after the cursor's condition) when the driver's orders are few:
// each is checked once, as the count reads it (a narrow index where one answers: see
// from), and the sort's columns of those that match are kept to count and page, where
// the count and then the page would each check them again. The count is exact: there
// are at most as many matches as the driver's orders, below the cap.
func (db *DB) matched(ctx context.Context, p *plan, key sortKey, after string, afterArgs []any, limit, offset int) (int64, string, error) {
	from, cond, args := p.counted()
	k := "o"
	if p.countedOrders() != "orders o" {
		// The check read an index: the sort's columns from the matches' rows.
		from, k = from+" CROSS JOIN orders k ON k.id = o.id", "k"
	}
	if after == "" {
		after = "1"
	}
	q := `WITH m(id, ordered_at, updated_at, total, order_no_num, order_no) AS MATERIALIZED (
		SELECT ` + k + `.id, ` + k + `.ordered_at, ` + k + `.updated_at, ` + k + `.total, ` + k + `.order_no_num, ` + k + `.order_no
		FROM ` + from + ` WHERE ` + cond + `)
		SELECT (SELECT count(*) FROM m),
			(SELECT json_group_array(id) FROM (SELECT o.id FROM m o WHERE ` + after + ` ORDER BY ` + key.order + ` LIMIT ? OFFSET ?))`
	var total int64
	var ids string
	err := db.searchRow(ctx, q, append(append(args, afterArgs...), limit, offset)...).Scan(&total, &ids)
	return total, ids, err
}

// orderRows reads 受注一覧 rows (the order with its main payment) for a WHERE clause
// over orders o and payments p, with its ORDER BY and LIMIT.
func (db *DB) orderRows(ctx context.Context, where string, args ...any) ([]backend.OrderRow, error) {
	return db.orderRowsFrom(ctx, "orders o", where, args...)
}

// orderRowsFrom is orderRows with the orders o read from a join (a driving set's ids
// joined to the orders): its parameters come first in args.
func (db *DB) orderRowsFrom(ctx context.Context, from, where string, args ...any) ([]backend.OrderRow, error) {
	rows, err := db.searchRows(ctx, `SELECT `+sqlstore.OrderRowColumns+`
		FROM `+from+` LEFT JOIN payments p ON p.id = o.payment_id
		WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	return sqlstore.ScanOrderRows(rows)
}

// plan is how a search reads the orders: which condition drives, and how many orders
// it holds (up to the cap).
type plan struct {
	w       *where
	driver  int   // the set whose index drives; -1 = the column conditions (an index SQLite chooses) or the sort
	size    int64 // orders the driver selects, counted up to CountCap+1 (all orders when nothing selects)
	orders  int64 // the largest order id: about how many orders there are
	exact   bool  // size is the search's count: the driver is its only condition
	pastCap bool  // the search's count is past the cap: size (CountCap+1) of the driver's orders read match
}

// plan counts, up to the cap, the orders each indexed set holds and those the column
// conditions select, and lets the smallest drive. Every count stops at the cap (or at
// the smallest so far): its cost is bounded, however many orders match.
func (db *DB) plan(ctx context.Context, w *where) (*plan, error) {
	p := &plan{w: w, driver: -1}
	if err := db.searchRow(ctx, `SELECT COALESCE(max(id), 0) FROM orders`).Scan(&p.orders); err != nil {
		return nil, err
	}
	p.size = p.orders
	capped := int64(CountCap) + 1
	productCapped := false
	for i, s := range w.sets {
		if s.ids == "" {
			continue
		}
		estimate := -1.0 // the candidates expected, when known
		if len(s.terms) > 2 && p.orders > 0 {
			terms, e, err := db.rarestTrigrams(ctx, s.col, s.terms, p.orders)
			estimate = e
			if err != nil {
				return nil, err
			}
			w.sets[i].idsArgs = []any{trigramMatch(s.col, terms)}
			s = w.sets[i]
		}
		// The ids are kept as they are read (a JSON array SQLite builds): a set read
		// whole, below its limit, drives the count and the page from them, instead of
		// the index being read twice more (a 3+ character text ANDs several long
		// trigram lists each time).
		var n int64
		var ids string
		lim := min(p.size, capped)
		if s.narrow != "" && s.superset && len(w.sets) == 1 && len(w.cols) == 0 {
			// A text of 4+ characters alone, with a narrow index of its column (e-mail):
			// its candidates are checked there as they are read, as the count would
			// check them next. Read whole, the matches are the search's, exactly; read
			// to the cap, CountCap+1 matches among them are a count past the cap
			// (「example.co.jp」: no JSON of 10,001 candidates built and read again).
			// The matches' ids are kept only when the candidates may be fewer than the
			// limit (10,001 of them in JSON cost ~1 ms): when they are, but were
			// expected to be many, the count reads them again.
			matched := `json_group_array(id) FILTER (WHERE ok)`
			if estimate > float64(lim)*2 {
				matched = `NULL`
			}
			var m int64
			var kept *string
			if err := db.searchRow(ctx, `SELECT count(*), COALESCE(sum(ok), 0), `+matched+`
				FROM (SELECT d.id, `+s.row+` AS ok FROM (`+s.ids+` LIMIT ?) d CROSS JOIN orders o INDEXED BY `+s.narrow+` ON o.id = d.id)`,
				append(append(slices.Clone(s.rowArgs), s.idsArgs...), lim)...).Scan(&n, &m, &kept); err != nil {
				return nil, err
			}
			switch {
			case n < lim && kept != nil:
				w.sets[i] = setCond{ids: `SELECT value AS id FROM json_each(?)`, idsArgs: []any{*kept}, whole: true,
					narrow: s.narrow, row: s.row, rowArgs: s.rowArgs}
				n = m
			case m == capped:
				p.pastCap = true
			}
			p.driver, p.size = i, n
			continue
		}
		// Kept ids of a set many more than its limit (「佐藤」's 20,000 orders) would be
		// thrown away: a text index's set is estimated first (its ids are in order),
		// unless it is a text alone with a row check (its first ids count it: head).
		lone := s.superset && len(w.sets) == 1 && len(w.cols) == 0
		if estimate < 0 && !s.product && !lone && p.orders > 2*lim {
			var err error
			if estimate, err = db.estimate(ctx, s.ids, s.idsArgs, p.orders); err != nil {
				return nil, err
			}
		}
		keep := `json_group_array(id)`
		if !lone && estimate > float64(lim)*2 {
			keep = `NULL`
		}
		var kept *string
		if err := db.searchRow(ctx, `SELECT count(*), `+keep+` FROM (`+s.ids+` LIMIT ?)`, append(s.idsArgs, lim)...).Scan(&n, &kept); err != nil {
			return nil, err
		}
		if kept != nil {
			ids = *kept
		}
		if n < lim && kept != nil {
			w.sets[i].ids, w.sets[i].idsArgs, w.sets[i].whole = `SELECT value AS id FROM json_each(?)`, []any{ids}, true
		} else if n == capped && kept != nil {
			w.sets[i].head = ids
		}
		if p.driver < 0 || n < p.size {
			p.driver, p.size = i, n
		}
		productCapped = productCapped || s.product && n >= capped
	}
	if len(w.cols) > 0 {
		var n int64
		lim := min(p.size, capped)
		q, args := `SELECT 1 FROM orders o WHERE `+w.colNatural(), w.colArgs()
		if w.codesFirst() {
			q, args = `SELECT 1 FROM orders o INDEXED BY orders_by_codes WHERE `+w.colCoded(), w.colCodeArgs()
		}
		if err := db.searchRow(ctx, `SELECT count(*) FROM (`+q+` LIMIT ?)`, append(args, lim)...).Scan(&n); err != nil {
			return nil, err
		}
		// Both past the cap: a product set costs a line and a look-up per order, more
		// than an index range of the columns with the product checked on each row.
		if n < lim || p.driver < 0 || productCapped && n >= capped {
			p.driver, p.size = -1, n
		}
	}
	// The column conditions' count is the search's when they are all; so is the count
	// of a set's index when it is the only condition.
	p.exact = len(w.sets) == 0 && len(w.cols) > 0 || len(w.cols) == 0 && len(w.sets) == 1 && p.driver == 0 && !w.sets[0].superset
	return p, nil
}

// estimate is about how many orders a text index's query of ids holds: from where
// its 64th id lies (the ids are in order), or how many it holds when fewer.
func (db *DB) estimate(ctx context.Context, ids string, args []any, orders int64) (float64, error) {
	var n, last int64
	if err := db.searchRow(ctx, `SELECT count(*), COALESCE(max(id), 0) FROM (`+ids+` LIMIT `+strconv.Itoa(sampleSize)+`)`, args...).Scan(&n, &last); err != nil {
		return 0, err
	}
	return sampled(n, last, orders), nil
}

// sampleSize is how many ids of an index are read to estimate how many it holds.
const sampleSize = 64

// sampled estimates how many ids an index holds from the first n it gave (at most
// sampleSize), the last of them last: all of them when fewer.
func sampled(n, last, orders int64) float64 {
	if n < sampleSize || last <= 0 {
		return float64(n)
	}
	return min(float64(orders), float64(n)*float64(orders)/float64(last))
}

// trigramEntryCost is what a candidate's check on the row costs in entries of a
// trigram list read (1,000,000 orders: ~0.04 µs an entry against ~1 µs a look-up).
const trigramEntryCost = 25

// rarestTrigrams picks which of a text's trigrams (each required, as textMatch asks)
// the index reads. ANDing lists costs about every entry of each, and a trigram most
// orders hold (「exa」 of example, 「090」) removes few candidates for its whole list.
// Each list's length is estimated from where its 64th entry lies (ids are in order;
// fewer than 64 is the exact length); the rarest is read, and each next rarest while
// its list costs less than the candidates it is expected to remove (the trigrams taken
// as independent). Any of them finds every match: the row check decides. It returns
// them and the candidates expected.
func (db *DB) rarestTrigrams(ctx context.Context, col string, terms []string, orders int64) ([]string, float64, error) {
	var union []string
	var args []any
	for i, t := range terms {
		union = append(union, `SELECT `+strconv.Itoa(i)+`, count(*), COALESCE(max(id), 0) FROM (`+trigramIDs+` LIMIT `+strconv.Itoa(sampleSize)+`)`)
		args = append(args, col+` : `+quoteTerm(t))
	}
	rows, err := db.searchRows(ctx, strings.Join(union, " UNION ALL "), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	est := make([]float64, len(terms))
	for rows.Next() {
		var i int
		var n, last int64
		if err := rows.Scan(&i, &n, &last); err != nil {
			return nil, 0, err
		}
		est[i] = sampled(n, last, orders)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	order := make([]int, len(terms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case est[a] < est[b]:
			return -1
		case est[a] > est[b]:
			return 1
		}
		return 0
	})
	picked := []int{order[0]}
	candidates := est[order[0]]
	for _, i := range order[1:] {
		share := est[i] / float64(orders)
		if est[i] >= trigramEntryCost*candidates*(1-share) {
			break
		}
		picked, candidates = append(picked, i), candidates*share
	}
	slices.Sort(picked)
	out := make([]string, len(picked))
	for j, i := range picked {
		out[j] = terms[i]
	}
	return out, candidates, nil
}

// count counts the search's orders up to CountCap+1.
func (db *DB) count(ctx context.Context, p *plan) (int64, error) {
	if p.exact || p.pastCap {
		return p.size, nil
	}
	if s := p.w.sets; len(s) == 1 && len(p.w.cols) == 0 && s[0].superset && s[0].head != "" {
		// A text of 4+ characters alone, its index read to the cap: when CountCap+1 of
		// the candidates read match, the count is past the cap without reading the
		// index again (e-mail 「example.co.jp」: five trigram lists, one in every order).
		cond, args := p.where(natural)
		var n int64
		if err := db.searchRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM (SELECT value AS id FROM json_each(?)) d
			CROSS JOIN `+p.counted1()+` ON o.id = d.id WHERE `+cond+` LIMIT ?)`, append(append([]any{s[0].head}, args...), CountCap+1)...).Scan(&n); err != nil {
			return 0, err
		}
		if n > int64(CountCap) {
			return n, nil
		}
	}
	from, cond, args := p.counted()
	var n int64
	err := db.searchRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+from+` WHERE `+cond+` LIMIT ?)`,
		append(args, CountCap+1)...).Scan(&n)
	return n, err
}

// counted is the FROM and WHERE of the search's count, with their arguments in order.
func (p *plan) counted() (from, cond string, args []any) {
	from, fargs := p.from(true)
	form := natural
	if p.codes() {
		form = coded
	}
	cond, args = p.where(form)
	return from, cond, append(fargs, args...)
}

// from is the FROM clause of the plan: the driver's ids joined to the orders (CROSS
// JOIN: SQLite reads the ids first, as a stream), or the orders. For a count checked
// on the filter columns only, each order is found in an index that holds them beside
// the id (a smaller page per lookup than the full row): orders_codes when the columns
// are status, method and payment state with their codes (~15 bytes an order), else
// orders_filter (~55).
func (p *plan) from(count bool) (string, []any) {
	if p.driver < 0 {
		return "orders o", nil
	}
	orders := "orders o"
	if count {
		orders = p.countedOrders()
	}
	s := p.w.sets[p.driver]
	return "(" + s.ids + ") d CROSS JOIN " + orders + " ON o.id = d.id", s.idsArgs
}

// countedOrders is the orders o a count joins to the driver's ids (from).
func (p *plan) countedOrders() string {
	switch {
	case p.codes():
		return "orders o INDEXED BY orders_codes"
	case p.onlyCols():
		return "orders o INDEXED BY orders_filter"
	}
	return p.counted1()
}

// counted1 is the orders a count reads when the search is one text alone checked on
// the row: the narrow index holding that column beside the id (orders_email, 0016: the
// e-mail's candidates are many, ~25 bytes each there against ~240 in the orders row),
// else the orders.
func (p *plan) counted1() string {
	if s := p.w.sets; len(s) == 1 && len(p.w.cols) == 0 && s[0].narrow != "" {
		return "orders o INDEXED BY " + s[0].narrow
	}
	return "orders o"
}

// onlyCols: the driver's set decides alone (exact), and the others are column
// conditions: a count need not read the orders rows.
func (p *plan) onlyCols() bool {
	return p.driver >= 0 && len(p.w.sets) == 1 && !p.w.sets[0].superset
}

// codes: onlyCols, and every column condition has its code (orders_codes answers).
func (p *plan) codes() bool {
	if !p.onlyCols() || len(p.w.cols) == 0 {
		return false
	}
	for _, c := range p.w.cols {
		if c.code == "" {
			return false
		}
	}
	return true
}

// The forms of a column condition in a WHERE clause.
const (
	natural      = iota // as written: SQLite may use the column's index
	scanned             // with a unary +: SQLite walks the sort's index instead
	coded               // on the codes of orders_codes
	scannedCoded        // on the codes, walking orders_ordered_codes (orderedCodes)
)

// where is the plan's WHERE clause: the column conditions in the given form and every
// set but the driver checked on the row.
func (p *plan) where(form int) (string, []any) {
	var conds []string
	var args []any
	scan := form == scanned || form == scannedCoded
	for _, c := range p.w.cols {
		switch form {
		case scanned:
			conds, args = append(conds, c.scan), append(args, c.args...)
		case coded, scannedCoded:
			conds, args = append(conds, c.code), append(args, c.codeArgs...)
		default:
			conds, args = append(conds, c.natural), append(args, c.args...)
		}
	}
	for i, s := range p.w.sets {
		if i == p.driver && !scan && !s.superset {
			continue
		}
		conds, args = append(conds, s.row), append(args, s.rowArgs...)
	}
	return join(conds), args
}

// where holds the conditions of a search: column conditions, which SQLite's indexes
// can select, and sets — text and product matches — each with an index of the orders
// it holds and the same condition checked on an order's row.
type where struct {
	cols []colCond
	sets []setCond
}

type colCond struct {
	natural, scan string
	args          []any
	column        string // the column of a condition on a code's column (in), else ""
	code          string // the condition on orders_codes' codes; "" = none (a value not listed, or another column)
	codeArgs      []any
}

type setCond struct {
	ids      string // "SELECT … AS id": the orders it holds, read as a stream; "" = no index (row check only)
	idsArgs  []any
	product  bool     // the product set (its ids cost more each than a text index's)
	superset bool     // ids holds more orders than match: the row check decides
	whole    bool     // ids are every order of the set, read while planning (a JSON array)
	head     string   // the first CountCap+1 ids of a set read to the cap (a JSON array), else ""
	col      string   // the column of a text read through trigrams (terms), else ""
	terms    []string // the trigrams textMatch requires: the plan reads the rarest (rarestTrigrams)
	narrow   string   // an index holding the id and the row check's column, else ""
	row      string   // the condition on the orders row o
	rowArgs  []any
}

// both adds a condition on a column; the scan plan gets the column with a unary +.
func (w *where) both(col, rest string, args ...any) {
	w.cols = append(w.cols, colCond{natural: col + rest, scan: "+" + col + rest, args: args})
}

func (w *where) colNatural() string {
	var out []string
	for _, c := range w.cols {
		out = append(out, c.natural)
	}
	return join(out)
}

func (w *where) colArgs() []any {
	var out []any
	for _, c := range w.cols {
		out = append(out, c.args...)
	}
	return out
}

// codesFirst: the column conditions are all on codes, and their columns are a prefix
// of orders_by_codes' (status; status, method; all three): one range of that index
// holds the orders they select (migration 0021). Status alone has its own index too;
// the same range either way.
func (w *where) codesFirst() bool {
	prefix := []string{"status", "payment_method", "payment_state"}
	if len(w.cols) == 0 || len(w.cols) > len(prefix) {
		return false
	}
	for _, c := range w.cols {
		if c.code == "" || !slices.Contains(prefix[:len(w.cols)], c.column) {
			return false
		}
	}
	return true
}

// orderedCodes: the column conditions are status and payment method, each with its
// codes: orders_ordered_codes (migration 0023: ordered_at, id and their codes) answers
// them as the orders are walked newest first.
func (w *where) orderedCodes() bool {
	if len(w.cols) == 0 {
		return false
	}
	for _, c := range w.cols {
		if c.code == "" || c.column != "status" && c.column != "payment_method" {
			return false
		}
	}
	return true
}

func (w *where) colCoded() string {
	var out []string
	for _, c := range w.cols {
		out = append(out, c.code)
	}
	return join(out)
}

func (w *where) colCodeArgs() []any {
	var out []any
	for _, c := range w.cols {
		out = append(out, c.codeArgs...)
	}
	return out
}

// in adds a condition that a column of orders_codes is one of values, with its codes
// when every value has one.
func (w *where) in(col string, values []any) {
	w.both("o."+col, " IN ("+placeholders(len(values))+")", values...)
	codes := make([]any, len(values))
	for i, v := range values {
		at := strings.Index(filterCodes[col], ","+v.(string)+",")
		if at < 0 {
			return
		}
		codes[i] = at + 1 // instr counts from 1
	}
	c := &w.cols[len(w.cols)-1]
	c.column, c.code, c.codeArgs = col, codeExpr(col)+" IN ("+placeholders(len(values))+")", codes
}

// filterCodes are the lists of orders_codes (migration 0015): a value's code is its
// place in its column's list (instr), 0 for a value not listed.
var filterCodes = map[string]string{
	"status":         ",processing,new,awaiting_deposit,paid,shipped,cancelled,on_hold,reserved,",
	"payment_method": ",card,konbini,payeasy,netbank,other,",
	"payment_state":  ",pending,reserved,authorized,captured,capture_failed,voided,refunded,partially_refunded,needs_review,awaiting_deposit,deposited,expired,subscription_waiting,subscription_reported,",
}

// codeExpr is a column's code written as orders_codes' expression is (SQLite reads the
// index alone only for the same expression).
func codeExpr(col string) string {
	return "instr('" + filterCodes[col] + "', ',' || o." + col + " || ',')"
}

// natural is every condition checked on the orders o with the column indexes usable
// (an export's full walk); nargs are its arguments.
func (w *where) natural() string {
	s, _ := (&plan{w: w, driver: -1}).where(natural)
	return s
}

func (w *where) nargs() []any {
	_, args := (&plan{w: w, driver: -1}).where(natural)
	return args
}

func join(conds []string) string {
	if len(conds) == 0 {
		return "1"
	}
	return strings.Join(conds, " AND ")
}

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
		w.in("status", anys(f.Statuses))
	}
	if len(f.Methods) > 0 {
		w.in("payment_method", anys(f.Methods))
	}
	if len(f.PaymentStates) > 0 {
		w.in("payment_state", anys(f.PaymentStates))
	}
	text := func(col, q string, grams bool) {
		if q == "" {
			return
		}
		s := setCond{row: "instr(o." + col + "_n, ?) > 0", rowArgs: []any{q}}
		if col == "email" {
			s.narrow = "orders_email"
		}
		if ids, match, superset := textMatch(col, q, grams); ids != "" {
			s.ids, s.idsArgs, s.superset = ids, []any{match}, superset
			if ids == trigramIDs {
				s.col, s.terms = col, trigramTerms(q)
			}
		}
		w.sets = append(w.sets, s)
	}
	text("name", normalize(f.Name), true)
	text("kana", normalize(f.Kana), true)
	text("email", normalize(f.Email), false)
	text("tel", digitsOnly(f.Tel), false)
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
		// A few thousand distinct products are checked once per search; their lines
		// are found through order_items_product.
		products := `(SELECT id FROM products WHERE instr(search, ?) > 0)`
		w.sets = append(w.sets, setCond{
			ids:     `SELECT DISTINCT order_id AS id FROM order_items WHERE product_id IN ` + products,
			idsArgs: []any{p},
			row:     `EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.product_id IN ` + products + `)`,
			rowArgs: []any{p},
			product: true,
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
