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
// (pg_trgm GIN), 1–2 characters of a name or kana the gram arrays (GIN), and the
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
	cond, args := orderWhere(f)
	page := &backend.OrderPage{}
	var total int64
	if err := db.Read().Row(ctx, `SELECT count(*) FROM (SELECT 1 FROM orders o WHERE `+cond+` LIMIT ?) AS s`,
		append(args, CountCap+1)...).Scan(&total); err != nil {
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

// orderWhere builds the search's conditions on orders o.
func orderWhere(f backend.OrderFilter) (string, []any) {
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
	text := func(col, v string, grams bool) {
		switch n := utf8.RuneCountInString(v); {
		case n == 0:
		case n >= 3:
			add("o."+col+"_n LIKE ?", "%"+v+"%")
		case grams:
			add("o."+col+"_g @> ARRAY[?::text]", v)
		default:
			add("strpos(o."+col+"_n, ?) > 0", v)
		}
	}
	text("name", textnorm.Fold(f.Name), true)
	text("kana", textnorm.Fold(f.Kana), true)
	text("email", textnorm.Fold(f.Email), false)
	text("tel", textnorm.Digits(f.Tel), false)
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
		match, arg := "strpos(search, ?) > 0", any(p)
		if utf8.RuneCountInString(p) >= 3 {
			match, arg = "search LIKE ?", "%"+p+"%"
		}
		add(`EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.product_id IN (SELECT id FROM products WHERE `+match+`))`, arg)
	}
	if len(conds) == 0 {
		return "true", nil
	}
	return strings.Join(conds, " AND "), args
}
