package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/demo"
)

// BenchmarkOrderSearch1M generates 1,000,000 orders (once; the file is kept in
// $KESSAIDESK_BENCH_DIR or the temp dir) and prints the p50/p95 latency of typical
// 受注管理 searches, and the time to open the database and show the first page.
// Run: make bench  (or go test -run '^$' -bench OrderSearch1M -benchtime 1x ./backend/sqlite)
func BenchmarkOrderSearch1M(b *testing.B) {
	const n = 1_000_000
	ctx := context.Background()
	dir := os.Getenv("KESSAIDESK_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, "kessaidesk-bench-1m-v2.db")
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, backend.JST)

	db, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	var have int
	db.read.QueryRow(`SELECT count(*) FROM orders`).Scan(&have)
	if have != n {
		db.Close()
		os.Remove(path)
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
		if db, err = Open(path); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		specs := demo.Generate(42, n, 100001, now, 5*365*24*time.Hour)
		for i := 0; i < n; i += 20000 {
			batch := make([]*backend.Order, 0, 20000)
			for _, s := range specs[i:min(i+20000, n)] {
				batch = append(batch, s.Order)
			}
			if err := db.SaveOrders(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		db.write.Exec(`ANALYZE`)
		fmt.Printf("generated %d orders in %s\n", n, time.Since(start).Round(time.Second))
	}
	db.Close()

	// Cold start: open the database and show the first page of the default list.
	start := time.Now()
	db, err = Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.FindOrders(ctx, backend.OrderFilter{}); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("open + first page: %s\n", time.Since(start).Round(time.Millisecond))
	if fi, err := os.Stat(path); err == nil {
		fmt.Printf("database size: %d MB\n", fi.Size()>>20)
	}

	month := now.AddDate(0, -1, 0)
	yen := func(v backend.Yen) *backend.Yen { return &v }
	filters := []struct {
		name string
		f    backend.OrderFilter
	}{
		{"default list (newest first)", backend.OrderFilter{}},
		{"status 新規受付 + last month", backend.OrderFilter{Statuses: []backend.OrderStatus{backend.OrderNew}, OrderedFrom: month, OrderedTo: now}},
		{"status 入金待ち + 1 year", backend.OrderFilter{Statuses: []backend.OrderStatus{backend.OrderAwaitingDeposit}, OrderedFrom: now.AddDate(-1, 0, 0), OrderedTo: now}},
		{"name 1 char 「山」", backend.OrderFilter{Name: "山"}},
		{"name 1 char rare 「﨑」", backend.OrderFilter{Name: "﨑"}},
		{"name 2 chars 「山田」", backend.OrderFilter{Name: "山田"}},
		{"name 3+ chars 「山田 太郎」", backend.OrderFilter{Name: "山田太郎"}},
		{"kana 2 chars 「ヤマ」", backend.OrderFilter{Kana: "やま"}},
		{"kana 3+ chars 「サトウハナコ」", backend.OrderFilter{Kana: "サトウハナコ"}},
		{"email substring", backend.OrderFilter{Email: "hanako.sato4"}},
		{"tel substring", backend.OrderFilter{Tel: "090-1234"}},
		{"amount 10,000〜12,000円", backend.OrderFilter{TotalMin: yen(10000), TotalMax: yen(12000)}},
		{"product 「急須」", backend.OrderFilter{Product: "急須"}},
		{"product code + last month", backend.OrderFilter{Product: "KT-210", OrderedFrom: month, OrderedTo: now}},
		{"order no range", backend.OrderFilter{OrderNoFrom: "500000", OrderNoTo: "500100"}},
		{"name + status + method", backend.OrderFilter{Name: "佐藤", Statuses: []backend.OrderStatus{backend.OrderShipped}, Methods: []backend.PaymentMethod{backend.MethodCard}}},
	}
	const reps = 30
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fmt.Printf("%-34s %8s %8s %9s\n", "search (1,000,000 orders)", "p50", "p95", "matches")
		for _, q := range filters {
			var ds []time.Duration
			var total int
			for r := 0; r < reps; r++ {
				t0 := time.Now()
				page, err := db.FindOrders(ctx, q.f)
				if err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
				total = page.Total
			}
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
			p50, p95 := ds[len(ds)/2], ds[len(ds)*95/100]
			fmt.Printf("%-34s %8s %8s %9d\n", q.name, p50.Round(100*time.Microsecond), p95.Round(100*time.Microsecond), total)
		}
	}
}
