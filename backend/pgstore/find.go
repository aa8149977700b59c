package pgstore

import (
	"context"
	"strings"
	"unicode/utf8"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
	"kessaidesk/backend/textnorm"
)

// CountCap bounds the count of a search, as on SQLite: beyond it the list says
// "10,000件以上".
var CountCap = 10000

// FindOrders runs the 受注管理 search with the same filters, sorts, cursors and capped
// count as backend/sqlite. The text conditions are what PostgreSQL's indexes answer
// (0010_search_fts5.pgsql): 3 characters or more `LIKE '%q%'` on the folded column
// (pg_trgm GIN), 1–2 characters of a name or kana order_short_grams (btree, 0022), and the
// server's planner chooses between them and walking the sort's index.
func (db *DB) FindOrders(ctx context.Context, f backend.OrderFilter) (*backend.OrderPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	if limit > 500 {
		limit = 500
	}
	offset := max(f.Offset, 0)
	key := sqlstore.SortOf(f.Sort)
	var after string
	var afterArgs []any
	if f.After != "" {
		var err error
		if after, afterArgs, err = key.After(f.After); err != nil {
			return nil, err
		}
		offset = 0
	}
	page := &backend.OrderPage{}
	products, err := db.productsMatching(ctx, f.Product)
	if err != nil {
		return nil, err
	}
	if products != nil && len(products) == 0 {
		return page, nil // no product holds the text: no order either
	}
	cond, args := searchWhere(f, products)
	var total int64
	count, countArgs := gramCount(f, products)
	if count == "" {
		count, countArgs = `SELECT count(*) FROM (SELECT 1 FROM orders o WHERE `+cond+` LIMIT ?) AS s`, args
	}
	if err := db.Read().Row(ctx, count, append(countArgs, CountCap+1)...).Scan(&total); err != nil {
		return nil, err
	}
	page.Total = int(total)
	if page.Total > CountCap {
		page.Total, page.TotalAtLeast = CountCap, true
	}
	if total == 0 {
		return page, nil
	}
	if after != "" {
		cond, args = cond+" AND "+after, append(args, afterArgs...)
	}
	// One row more than the page tells whether another page follows.
	rows, err := db.OrderRows(ctx, cond+` ORDER BY `+key.Order+` LIMIT ? OFFSET ?`, append(args, limit+1, offset)...)
	if err != nil {
		return nil, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = key.Cursor(&rows[limit-1])
	}
	page.Rows = rows
	return page, nil
}

// productsMatching returns the ids of the products whose code or name holds the
// filter's product text: nil without one, empty when no product holds it.
func (db *DB) productsMatching(ctx context.Context, product string) ([]int64, error) {
	p := textnorm.Fold(product)
	if p == "" {
		return nil, nil
	}
	match, arg := productMatch(p)
	rows, err := db.Read().Query(ctx, `SELECT id FROM products WHERE `+match, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// productMatch is the condition on products.search of a folded product text.
func productMatch(p string) (string, any) {
	if utf8.RuneCountInString(p) >= 3 {
		return "search LIKE ?", "%" + p + "%" // pg_trgm's index
	}
	return "strpos(search, ?) > 0", p
}

// orderWhere builds the search's conditions on orders o, a product text's as a
// subquery on products (an export's: one query however long).
func orderWhere(f backend.OrderFilter) (string, []any) { return searchWhere(f, nil) }

// shortGram is the condition of a name or kana of 1–2 characters: an order whose
// folded text holds it has its gram in order_short_grams ('n' or 'k' and the text;
// 0022_search_short_grams.pgsql). A btree, read in order of order_id: a count stops at
// its cap, a join with another gram is a merge, and the page's walk by its sort checks
// each order with one index look-up.
const shortGram = `EXISTS (SELECT 1 FROM order_short_grams g WHERE g.gram = ? AND g.order_id = o.id)`

// gramCount is the capped count's query (its cap the last argument) of a search by
// one short name or kana and nothing else but status, payment method and payment
// state: its grams' index entries are its orders, and carry those three codes
// (0024_short_grams_codes.pgsql), so the count is one range of the index (「佐藤」 +
// 発送済み + カード on 1,000,000 orders: no look-up of the 19,783 orders, 39 → 7 ms).
// "" for any other search.
func gramCount(f backend.OrderFilter, products []int64) (string, []any) {
	bare := f
	bare.Statuses, bare.Methods, bare.PaymentStates = nil, nil, nil
	cond, args := searchWhere(bare, products)
	if cond != shortGram {
		return "", nil
	}
	q := `SELECT count(*) FROM (SELECT 1 FROM order_short_grams WHERE gram = ?`
	codes := func(col string, vals []any) {
		if len(vals) > 0 {
			q += " AND " + col + " IN (" + placeholders(len(vals)) + ")"
			args = append(args, vals...)
		}
	}
	codes("status", anys(f.Statuses))
	codes("payment_method", anys(f.Methods))
	codes("payment_state", anys(f.PaymentStates))
	return q + ` LIMIT ?) AS s`, args
}

// searchWhere is orderWhere with, when not nil, the ids of the products that hold the
// filter's product text (FindOrders looks them up first). With the ids in the query
// the planner knows from order_items' statistics how many lines they have and reads
// order_items_product; behind a subquery it guesses a third of all lines and walks
// every line in order of order_id (1M orders, 「急須」 alone: p50 200 → 13 ms, with a
// month 156 → 16 ms; BenchmarkOrderSearch1MBesidePostgreSQL in backend/sqlite).
func searchWhere(f backend.OrderFilter, products []int64) (string, []any) {
	var conds []string
	var args []any
	add := func(c string, a ...any) { conds, args = append(conds, c), append(args, a...) }
	from, to := strings.TrimSpace(f.OrderNoFrom), strings.TrimSpace(f.OrderNoTo)
	nFrom, nTo := sqlstore.OrderNoNum(from), sqlstore.OrderNoNum(to)
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
	// A folded text holds only letters, digits and marks: no LIKE wildcard or escape.
	// gram is the column's letter in order_short_grams ("" for none).
	text := func(col, v, gram string) {
		switch n := utf8.RuneCountInString(v); {
		case n == 0:
		case n >= 3:
			add("o."+col+"_n LIKE ?", "%"+v+"%")
		case gram != "":
			add(shortGram, gram+v)
		default:
			add("strpos(o."+col+"_n, ?) > 0", v)
		}
	}
	text("name", textnorm.Fold(f.Name), "n")
	text("kana", textnorm.Fold(f.Kana), "k")
	text("email", textnorm.Fold(f.Email), "")
	text("tel", textnorm.Digits(f.Tel), "")
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
	if p := textnorm.Fold(f.Product); p != "" {
		switch {
		case len(products) == 1: // its lines in order of order_id: a merge join that stops at the cap
			add(`EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.product_id = ?)`, products[0])
		case products != nil:
			add(`EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.product_id = ANY(?))`, products)
		default:
			match, arg := productMatch(p)
			add(`EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.product_id IN (SELECT id FROM products WHERE `+match+`))`, arg)
		}
	}
	if len(conds) == 0 {
		return "true", nil
	}
	return strings.Join(conds, " AND "), args
}
