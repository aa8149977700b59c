package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

func TestEachOrderStreamsTheSearchWithItemsAndPayment(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	seedSearch(t, db)
	two := testOrder("20", "山田二郎", "ヤマダ ジロウ", 3000, day.Add(120*time.Hour),
		item("A", "一", 1000, 1), item("B", "二", 500, 2), item("C", "三", 1000, 1))
	require.NoError(t, db.SaveOrder(ctx, two))
	newPayment(t, db, two, backend.StateCaptured)

	type got struct {
		no    string
		items int
		pay   *backend.Payment
	}
	each := func(f backend.OrderFilter) []got {
		var out []got
		require.NoError(t, db.EachOrder(ctx, f, func(o *backend.Order, p *backend.Payment) error {
			out = append(out, got{o.OrderNo, len(o.Items), p})
			return nil
		}))
		return out
	}
	all := each(backend.OrderFilter{Limit: 1}) // Limit is the screen's page, not the export's
	require.Len(t, all, 6)
	assert.Equal(t, "20", all[0].no, "newest first")
	assert.Equal(t, 3, all[0].items)
	require.NotNil(t, all[0].pay)
	assert.Equal(t, backend.StateCaptured, all[0].pay.State)
	assert.Equal(t, "G-20", all[0].pay.GatewayOrderID)
	assert.Equal(t, "acc", all[0].pay.GatewayTranID)
	assert.Empty(t, all[0].pay.GatewayTranPass, "the AccessPass is never read")
	assert.Nil(t, all[1].pay)

	var nos []string
	for _, g := range each(backend.OrderFilter{Name: "山", Sort: "order_no_asc"}) {
		nos = append(nos, g.no)
	}
	assert.Equal(t, []string{"1", "2", "20"}, nos)
	assert.Len(t, each(backend.OrderFilter{Product: "Tシャツ"}), 2)
	assert.Len(t, each(backend.OrderFilter{Statuses: []backend.OrderStatus{backend.OrderCancelled}}), 1)
	n, err := db.CountOrders(ctx, backend.OrderFilter{Name: "山"})
	require.NoError(t, err)
	assert.Equal(t, 3, n)

	stop := errors.New("stop")
	calls := 0
	err = db.EachOrder(ctx, backend.OrderFilter{}, func(*backend.Order, *backend.Payment) error { calls++; return stop })
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, calls)
}

// The export's query must stream: no sort of every order before the first row.
func TestEachOrderPlanWalksTheSortIndex(t *testing.T) {
	db := openTestDB(t)
	seedSearch(t, db)
	for _, sort := range []string{"", "ordered_asc", "updated_desc", "total_desc"} {
		w := orderWhere(backend.OrderFilter{Sort: sort})
		rows, err := db.read.Query(`EXPLAIN QUERY PLAN SELECT o.id FROM orders o LEFT JOIN payments p ON p.id = o.payment_id
			LEFT JOIN order_items i ON i.order_id = o.id WHERE `+w.natural()+` ORDER BY `+orderSort(sort)+`, i.line_no`, w.nargs()...)
		require.NoError(t, err)
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		assert.NotContains(t, strings.ReplaceAll(text, "RIGHT PART OF ORDER BY", ""), "TEMP B-TREE FOR ORDER BY", fmt.Sprintf("%s:\n%s", sort, text))
	}
}
