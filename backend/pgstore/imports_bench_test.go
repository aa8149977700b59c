package pgstore

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/csvimport"
	"kessaidesk/backend/storetest"
)

// BenchmarkImport100k prints the times of the CSV import on PostgreSQL: a fresh import
// of 100,000 orders of 2 lines (200,000 rows, CSV出力's layout in CP932), an unchanged
// re-import (every order looked up, none written), a re-import that changes every
// order (every order looked up and written), and the export of them all. Run it with
// build/scripts/pg.sh run go test -run '^$' -bench Import100k ./backend/pgstore/
func BenchmarkImport100k(b *testing.B) {
	base := os.Getenv("KESSAIDESK_TEST_PG")
	if base == "" {
		b.Skip("KESSAIDESK_TEST_PG is not set")
	}
	const n = 100_000
	ctx := context.Background()
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, backend.JST)
	write := func(memo string) string {
		orders := make([]*backend.Order, n)
		for i := range orders {
			o := &backend.Order{OrderNo: fmt.Sprint(100000 + i), OrderedAt: at.Add(time.Duration(i) * time.Minute), CustomerName: "山田 太郎",
				CustomerKana: "ヤマダ タロウ", Email: fmt.Sprintf("user%d@example.jp", i), Tel: "090-1234-5678", PaymentMethod: backend.MethodCard,
				Status: backend.OrderNew, Address: "東京都 渋谷区神宮前1-2-3", Shipping: 600, Memo: memo,
				Items: []backend.LineItem{{ProductCode: fmt.Sprintf("SKU-%d", i%500), ProductName: "深蒸し煎茶 100g", UnitPrice: 1200, Quantity: 2},
					{ProductCode: "SKU-X", ProductName: "急須", UnitPrice: 3000, Quantity: 1}}}
			o.Subtotal = 5400
			o.Total = o.ComputeTotal()
			orders[i] = o
		}
		return storetest.OrdersFile(b, orders)
	}
	file, changed := write(""), write("のし希望")
	layout, _ := csvimport.Preset(csvimport.KessaiDesk)
	for b.Loop() {
		db := benchDB(b, base)
		im := &csvimport.Importer{Store: db}
		run := func(name, path string, check func(*csvimport.Result)) {
			start := time.Now()
			res, err := im.Commit(ctx, csvimport.Request{Path: path, Layout: layout}, "bench")
			require.NoError(b, err)
			check(res)
			fmt.Printf("pg import %d orders  %-22s %6.1f s\n", n, name, time.Since(start).Seconds())
		}
		run("fresh", file, func(r *csvimport.Result) { require.Equal(b, n, r.New) })
		run("unchanged re-import", file, func(r *csvimport.Result) { require.Equal(b, n, r.Unchanged) })
		run("every order changed", changed, func(r *csvimport.Result) { require.Equal(b, n, r.Updated) })
		start := time.Now()
		count := 0
		require.NoError(b, db.EachOrder(ctx, backend.OrderFilter{}, func(o *backend.Order, _ *backend.Payment) error {
			count += len(o.Items)
			return nil
		}))
		require.Equal(b, 2*n, count)
		fmt.Printf("pg export %d orders (EachOrder)        %6.1f s\n", n, time.Since(start).Seconds())
	}
}
