package pgstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// A preview's look-ups read the stored orders ahead, a window at a time: whatever the
// order of the file — in number order, backwards, shuffled, with numbers the database
// lacks before, between and after its own — each answer is the database's.
func TestPreviewLookUpsReadAheadAnswerAsTheDatabase(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, Options{})
	stored := map[string]bool{}
	var orders []*backend.Order
	for i := range 3000 {
		if i%7 == 3 {
			continue // a gap
		}
		no := fmt.Sprint(1000 + i)
		if i%50 == 0 {
			no = fmt.Sprintf("A-%d", i)
		}
		stored[no] = true
		orders = append(orders, &backend.Order{OrderNo: no, OrderedAt: time.Now(), CustomerName: "山田 " + no, PaymentMethod: backend.MethodCard,
			Status: backend.OrderNew, Total: 100, Shipping: 100})
	}
	orders[5].Items = []backend.LineItem{{ProductCode: "A", ProductName: "一", UnitPrice: 60, Quantity: 1}, {ProductCode: "B", ProductName: "二", UnitPrice: 40, Quantity: 1}}
	orders[5].Shipping, orders[5].Subtotal = 0, 100
	require.NoError(t, db.SaveOrders(ctx, orders))

	var asked []string
	for i := range 3200 {
		asked = append(asked, fmt.Sprint(900+i))
	}
	asked = append(asked, "A-0", "A-50", "A-51", "0", "ZZZ", "")
	reversed := slices.Clone(asked)
	slices.Reverse(reversed)
	shuffled := slices.Clone(asked)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for name, nos := range map[string][]string{"in order": asked, "backwards": reversed, "shuffled": shuffled} {
		t.Run(name, func(t *testing.T) {
			tx, err := db.BeginImport(ctx, false)
			require.NoError(t, err)
			defer tx.Rollback()
			for i, no := range nos {
				ok, err := tx.Exists(ctx, no)
				require.NoError(t, err)
				require.Equal(t, stored[no], ok, no)
				if i%3 == 0 {
					tg, err := tx.Target(ctx, no)
					require.NoError(t, err)
					if !stored[no] {
						require.Nil(t, tg, no)
						continue
					}
					require.NotNil(t, tg, no)
					want, err := db.OrderByNo(ctx, no)
					require.NoError(t, err)
					require.Equal(t, want, tg.Order)
				}
			}
		})
	}
}
