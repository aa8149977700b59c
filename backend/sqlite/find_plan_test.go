package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// The planner's count of status + payment method (+ payment state) reads one range of
// orders_by_codes (migration 0021) and counts what the orders rows say; other
// combinations keep the columns' own indexes.
func TestColumnCountByCodesFirst(t *testing.T) {
	db := goldenShop(t)
	st := func(s ...backend.OrderStatus) []backend.OrderStatus { return s }
	pm := func(m ...backend.PaymentMethod) []backend.PaymentMethod { return m }
	ps := func(s ...backend.PaymentState) []backend.PaymentState { return s }
	for _, c := range []struct {
		f     backend.OrderFilter
		first bool
	}{
		{backend.OrderFilter{Statuses: st(backend.OrderShipped), Methods: pm(backend.MethodCard)}, true},
		{backend.OrderFilter{Statuses: st(backend.OrderNew, backend.OrderAwaitingDeposit), Methods: pm(backend.MethodKonbini, backend.MethodCard)}, true},
		{backend.OrderFilter{Statuses: st(backend.OrderShipped), Methods: pm(backend.MethodCard), PaymentStates: ps(backend.StateCaptured, backend.StateAuthorized)}, true},
		{backend.OrderFilter{Statuses: st(backend.OrderCancelled)}, true},
		{backend.OrderFilter{Methods: pm(backend.MethodCard)}, false},                                              // not a prefix
		{backend.OrderFilter{Statuses: st(backend.OrderShipped), PaymentStates: ps(backend.StateCaptured)}, false}, // a gap
		{backend.OrderFilter{Statuses: st(backend.OrderShipped), Methods: pm("bitcoin")}, false},                   // a value without a code
		{backend.OrderFilter{Statuses: st(backend.OrderShipped), TotalMin: yen(5000)}, false},                      // another column
	} {
		w := orderWhere(c.f)
		require.Equal(t, c.first, w.codesFirst(), "%+v", c.f)
		if !c.first {
			continue
		}
		q := `SELECT count(*) FROM orders o INDEXED BY orders_by_codes WHERE ` + w.colCoded()
		var n, want int
		require.NoError(t, db.read.QueryRow(q, w.colCodeArgs()...).Scan(&n))
		require.NoError(t, db.read.QueryRow(`SELECT count(*) FROM orders o WHERE `+w.natural(), w.nargs()...).Scan(&want))
		assert.Equal(t, want, n, "%+v", c.f)
		if len(c.f.PaymentStates) == 0 { // the shop's orders have no payments
			assert.Positive(t, want, "%+v", c.f)
		}
		rows, err := db.read.Query(`EXPLAIN QUERY PLAN `+q, w.colCodeArgs()...)
		require.NoError(t, err)
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
			plan = append(plan, detail)
		}
		rows.Close()
		assert.Contains(t, strings.Join(plan, "\n"), "SEARCH o USING COVERING INDEX orders_by_codes", "one range, the rows unread: %+v", c.f)
	}
}

// Whatever the cap — so whichever way the plan goes (ids kept or not, read whole or to
// the cap, the matches checked once or counted then paged) — a search finds what the
// orders rows say: its count up to the cap and its first page in its sort.
func TestFindOrdersEqualsRowsAtEveryCap(t *testing.T) {
	db := goldenShop(t)
	ctx := context.Background()
	defer func(was int) { CountCap = was }(CountCap)
	st := func(s ...backend.OrderStatus) []backend.OrderStatus { return s }
	pm := func(m ...backend.PaymentMethod) []backend.PaymentMethod { return m }
	for _, f := range []backend.OrderFilter{
		{Name: "佐藤", Statuses: st(backend.OrderShipped), Methods: pm(backend.MethodCard)},
		{Name: "山"}, {Name: "山田"}, {Kana: "やま", Sort: "total_desc"}, {Name: "山", Kana: "ダ"},
		{Name: "山田", Product: "急須"}, {Name: "佐藤", Product: "マグ"}, {Email: "example.jp", Tel: "090"}, {Email: "example.jp", Sort: "order_no_asc"}, {Email: "yayoi.kujino"},
		{Email: "example.co.jp", Sort: "updated_desc"}, {Kana: "タカハシ", Statuses: st(backend.OrderNew, backend.OrderShipped)},
		{Product: "マグ", TotalMin: yen(5000)}, {Tel: "090-1234"}, {Kana: "サトウ", Sort: "ordered_asc"}, {Kana: "ヤマダタロウ"},
	} {
		w := orderWhere(f)
		var want int
		require.NoError(t, db.read.QueryRow(`SELECT count(*) FROM orders o WHERE `+w.natural(), w.nargs()...).Scan(&want))
		rows, err := db.read.Query(`SELECT o.order_no FROM orders o WHERE `+w.natural()+` ORDER BY `+orderSort(f.Sort)+` LIMIT 50`, w.nargs()...)
		require.NoError(t, err)
		var wantNos []string
		for rows.Next() {
			var no string
			require.NoError(t, rows.Scan(&no))
			wantNos = append(wantNos, no)
		}
		rows.Close()
		require.Positive(t, want, "%+v", f)
		for _, c := range []int{1, 3, 10, 100, 10000} {
			CountCap = c
			page, err := db.FindOrders(ctx, f)
			require.NoError(t, err)
			assert.Equal(t, min(want, c), page.Total, "%+v cap %d", f, c)
			assert.Equal(t, want > c, page.TotalAtLeast, "%+v cap %d", f, c)
			var nos []string
			for _, r := range page.Rows {
				nos = append(nos, r.OrderNo)
			}
			assert.Equal(t, wantNos, nos, "%+v cap %d", f, c)
		}
	}
}
