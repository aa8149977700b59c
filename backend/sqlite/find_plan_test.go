package sqlite

import (
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
