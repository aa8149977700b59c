package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// Every status, payment method and payment state has a code in orders_codes' lists: a
// value left out would still be found (by the orders rows), only slower.
func TestFilterCodesListEveryValue(t *testing.T) {
	for _, s := range backend.OrderStatuses {
		assert.Contains(t, filterCodes["status"], ","+string(s)+",")
	}
	for _, m := range backend.PaymentMethods {
		assert.Contains(t, filterCodes["payment_method"], ","+string(m)+",")
	}
	for _, s := range backend.PaymentStates {
		assert.Contains(t, filterCodes["payment_state"], ","+string(s)+",")
	}
}

// The count of a text + status/method/payment state search reads orders_codes alone
// (its expressions written as the migration's), and counts what the orders rows say.
func TestCountByCodes(t *testing.T) {
	db := goldenShop(t)
	ctx := context.Background()
	for _, c := range []struct {
		f     backend.OrderFilter
		coded bool
	}{
		{backend.OrderFilter{Name: "佐藤", Statuses: []backend.OrderStatus{backend.OrderShipped}, Methods: []backend.PaymentMethod{backend.MethodCard}}, true},
		{backend.OrderFilter{Kana: "クジ", Statuses: []backend.OrderStatus{backend.OrderNew, backend.OrderAwaitingDeposit, backend.OrderShipped}}, true},
		{backend.OrderFilter{Name: "山田", Methods: []backend.PaymentMethod{backend.MethodKonbini}, PaymentStates: []backend.PaymentState{""}}, false},
		{backend.OrderFilter{Name: "山", Methods: []backend.PaymentMethod{backend.MethodKonbini, "bitcoin"}}, false},
	} {
		f := c.f
		p, err := db.plan(ctx, orderWhere(f))
		require.NoError(t, err)
		from, cond, args := p.counted()
		var n int
		require.NoError(t, db.read.QueryRow(`SELECT count(*) FROM `+from+` WHERE `+cond, args...).Scan(&n))
		// The same count by the orders rows' own columns.
		var want int
		require.NoError(t, db.read.QueryRow(`SELECT count(*) FROM orders o WHERE `+orderWhere(f).natural(), orderWhere(f).nargs()...).Scan(&want))
		assert.Equal(t, want, n, "%+v", f)

		rows, err := db.read.Query(`EXPLAIN QUERY PLAN SELECT count(*) FROM `+from+` WHERE `+cond, args...)
		require.NoError(t, err)
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
			plan = append(plan, detail)
		}
		rows.Close()
		require.Equal(t, c.coded, p.codes(), "a value without a code is checked on the orders rows: %+v", f)
		if !c.coded {
			continue
		}
		assert.Contains(t, strings.Join(plan, "\n"), "USING COVERING INDEX orders_codes", "%+v", f)
	}
}

// A text of 4+ characters alone counts up to the cap whatever the cap: past it when
// CountCap+1 of its first candidates match (the candidates read while planning), the
// exact count otherwise — the same as counting the orders rows.
func TestCountPastCapFromCandidates(t *testing.T) {
	db := goldenShop(t)
	ctx := context.Background()
	defer func(was int) { CountCap = was }(CountCap)
	for _, f := range []backend.OrderFilter{
		{Email: "example.co.jp"}, {Email: "@example.jp"}, {Email: "hanako.satou"}, {Email: "yayoi.kujino"},
		{Name: "山田太郎"}, {Kana: "サトウハナコ"}, {Tel: "090-1234"}, {Email: "nothing-like-this"},
	} {
		var want int
		require.NoError(t, db.read.QueryRow(`SELECT count(*) FROM orders o WHERE `+orderWhere(f).natural(), orderWhere(f).nargs()...).Scan(&want))
		for _, c := range []int{1, 3, 10, 100, 10000} {
			CountCap = c
			page, err := db.FindOrders(ctx, f)
			require.NoError(t, err)
			assert.Equal(t, min(want, c), page.Total, "%+v cap %d", f, c)
			assert.Equal(t, want > c, page.TotalAtLeast, "%+v cap %d", f, c)
		}
	}
}
