package sqlstore

import (
	"encoding/base64"
	"strconv"
	"strings"

	"kessaidesk/backend"
)

// A page cursor (OrderFilter.After, OrderPage.Next) is the sort key of the last row
// shown: the next page starts after it, found through the sort's index whatever the
// page's depth (an OFFSET walks and throws away every row before the page). It is
// opaque to the UI: the sort's name and the key, base64url-encoded.

// SortKey is one of the 受注一覧 sorts: its ORDER BY, and how its key is read from a
// row and compared.
type SortKey struct {
	name  string
	Order string // the ORDER BY
	desc  bool
	col   string // the first key column; the second is o.id, or o.order_no for the order-number sorts
	byNo  bool   // order-number sort: (order_no_num, order_no), order_no_num NULL for a non-numeric number
}

var sortKeys = map[string]SortKey{
	"ordered_desc": {"ordered_desc", "o.ordered_at DESC, o.id DESC", true, "o.ordered_at", false},
	"ordered_asc":  {"ordered_asc", "o.ordered_at ASC, o.id ASC", false, "o.ordered_at", false},
	"updated_desc": {"updated_desc", "o.updated_at DESC, o.id DESC", true, "o.updated_at", false},
	"total_desc":   {"total_desc", "o.total DESC, o.id DESC", true, "o.total", false},
	// A NULL (a non-numeric number) first ascending, last descending: SQLite's own
	// order, which PostgreSQL must be told (to SQLite the words change nothing, nor
	// the plan).
	"order_no_asc":  {"order_no_asc", "o.order_no_num ASC NULLS FIRST, o.order_no ASC", false, "o.order_no_num", true},
	"order_no_desc": {"order_no_desc", "o.order_no_num DESC NULLS LAST, o.order_no DESC", true, "o.order_no_num", true},
}

// SortOf returns the sort named s; anything else is the default, newest first.
func SortOf(s string) SortKey {
	if k, ok := sortKeys[s]; ok {
		return k
	}
	return sortKeys["ordered_desc"]
}

// OrderSort is the ORDER BY of the sort named s.
func OrderSort(s string) string { return SortOf(s).Order }

// Cursor returns the cursor of a row: the next page starts after it.
func (k SortKey) Cursor(r *backend.OrderRow) string {
	var first, second string
	switch k.col {
	case "o.ordered_at":
		first = strconv.FormatInt(ms(r.OrderedAt), 10)
	case "o.updated_at":
		first = strconv.FormatInt(ms(r.UpdatedAt), 10)
	case "o.total":
		first = strconv.FormatInt(int64(r.Total), 10)
	case "o.order_no_num":
		if n, ok := OrderNoNum(r.OrderNo).(int64); ok {
			first = strconv.FormatInt(n, 10)
		} else {
			first = "-" // NULL
		}
	}
	if k.byNo {
		second = r.OrderNo
	} else {
		second = strconv.FormatInt(r.ID, 10)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(k.name + "\n" + first + "\n" + second))
}

// After returns the condition "comes after the cursor's row in this sort" with its
// arguments. A cursor that is not this sort's (or not a cursor) is refused.
func (k SortKey) After(cursor string) (string, []any, error) {
	bad := backend.Errorf(backend.EINVALID, "一覧の続きの位置が読めません。もう一度検索してください", "the page cursor cannot be read; search again")
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", nil, bad
	}
	parts := strings.SplitN(string(raw), "\n", 3)
	if len(parts) != 3 || parts[0] != k.name {
		return "", nil, bad
	}
	cmp := ">"
	if k.desc {
		cmp = "<"
	}
	if !k.byNo {
		v, err1 := strconv.ParseInt(parts[1], 10, 64)
		id, err2 := strconv.ParseInt(parts[2], 10, 64)
		if err1 != nil || err2 != nil {
			return "", nil, bad
		}
		// A row value comparison: the engine walks the sort's index from the key.
		return "(" + k.col + ", o.id) " + cmp + " (?, ?)", []any{v, id}, nil
	}
	no := parts[2]
	// order_no_num is NULL for a non-numeric number; NULL sorts first ascending, last
	// descending (the sort says so: PostgreSQL's default is the other way).
	if parts[1] == "-" {
		if k.desc {
			return "(o.order_no_num IS NULL AND o.order_no < ?)", []any{no}, nil
		}
		return "(o.order_no_num IS NOT NULL OR o.order_no > ?)", []any{no}, nil
	}
	n, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return "", nil, bad
	}
	if k.desc {
		return "(o.order_no_num < ? OR o.order_no_num = ? AND o.order_no < ? OR o.order_no_num IS NULL)", []any{n, n, no}, nil
	}
	return "(o.order_no_num > ? OR o.order_no_num = ? AND o.order_no > ?)", []any{n, n, no}, nil
}

// OrderNoNum is the order number as a number for range search and the order-number
// sorts (orders.order_no_num), or nil if it is not one.
func OrderNoNum(no string) any {
	if no == "" || len(no) > 18 {
		return nil
	}
	n, err := strconv.ParseInt(no, 10, 64)
	if err != nil || n < 0 {
		return nil
	}
	return n
}
