package sqlite

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/demo"
)

// benchNow is the benchmark shop's "now": its orders span the five years before it.
var benchNow = time.Date(2026, 11, 24, 9, 0, 0, 0, backend.JST)

// benchRare is how often an order of the benchmark shop has the customer nobody else
// has: a rare search (10 orders in 1,000,000) must find just them, fast.
const benchRare = 100_000

// BenchOrders is the benchmark's shop: the demo generator's orders, and every
// benchRare-th customer 「鬮野 彌生」 (characters no other order holds). Source sets
// the orders' source ("demo" in the benchmark, "csv" for a window's data folder).
func BenchOrders(n int, source string) []*backend.Order {
	specs := demo.Generate(42, n, 100001, benchNow, 5*365*24*time.Hour)
	out := make([]*backend.Order, n)
	for i, s := range specs {
		o := s.Order
		o.Source = source
		if i%benchRare == benchRare/2 {
			o.CustomerName, o.CustomerKana, o.Email = "鬮野 彌生", "クジノ ヤヨイ", fmt.Sprintf("yayoi.kujino%d@example.jp", i/benchRare)
		}
		out[i] = o
	}
	return out
}

// BenchDB returns the path of a database holding BenchOrders(n), made once and kept
// at path (the benchmark's file in $KESSAIDESK_BENCH_DIR or the temp dir; a window's
// data folder).
func BenchDB(tb testing.TB, path string, n int, source string) {
	db, err := Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	var have int
	db.read.QueryRow(`SELECT count(*) FROM orders`).Scan(&have)
	if have == n {
		db.Close()
		return
	}
	db.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	if db, err = Open(path); err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	orders := BenchOrders(n, source)
	ctx := context.Background()
	for i := 0; i < n; i += 20000 {
		if err := db.SaveOrders(ctx, orders[i:min(i+20000, n)]); err != nil {
			tb.Fatal(err)
		}
	}
	db.write.Exec(`ANALYZE`)
	fmt.Printf("generated %d orders in %s\n", n, time.Since(start).Round(time.Second))
}

// BenchPath1M is where the search benchmarks keep BenchOrders(1,000,000): in
// $KESSAIDESK_BENCH_DIR, else the temp dir.
func BenchPath1M() string {
	dir := os.Getenv("KESSAIDESK_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "kessaidesk-bench-1m-v3.db")
}

// busy starts a process that keeps one core busy — the operator's other work (a
// browser, the back office) — until the returned stop is called.
func busy(tb testing.TB) (stop func()) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBusyHelper$")
	cmd.Env = append(os.Environ(), "KESSAIDESK_BUSY=1")
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	return func() { cmd.Process.Kill(); cmd.Wait() }
}

// TestBusyHelper is the CPU-bound process busy starts (it does nothing otherwise).
func TestBusyHelper(t *testing.T) {
	if os.Getenv("KESSAIDESK_BUSY") != "1" {
		t.Skip("only as the benchmark's busy process")
	}
	x := 0
	for {
		x = x*31 + 7
	}
}

// BenchmarkOrderSearch1M generates 1,000,000 orders (once; the file is kept in
// $KESSAIDESK_BENCH_DIR or the temp dir) and prints the p50/p95 latency of typical
// 受注管理 searches beside their goals — with a CPU-bound process running beside
// them — the time to open the database and show the first page, and the size of the
// search index.
// Run: make bench  (or go test -run '^$' -bench OrderSearch1M -benchtime 1x ./backend/sqlite;
// KESSAIDESK_BENCH_CASES=<regexp of case names> times those only).
func BenchmarkOrderSearch1M(b *testing.B) {
	const n = 1_000_000
	ctx := context.Background()
	path := BenchPath1M()
	BenchDB(b, path, n, "demo")

	// Cold start: open the database and show the first page of the default list.
	start := time.Now()
	db, err := Open(path)
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
	printIndexSize(db)

	stop := busy(b)
	defer stop()
	filters := SearchCases()
	if only := os.Getenv("KESSAIDESK_BENCH_CASES"); only != "" {
		// Some cases only (a regular expression of their names), e.g. to profile one.
		re := regexp.MustCompile(only)
		filters = slices.DeleteFunc(filters, func(c SearchCase) bool { return !re.MatchString(c.Name) })
	}
	first, err := db.FindOrders(ctx, backend.OrderFilter{})
	if err != nil {
		b.Fatal(err)
	}
	const reps = 30
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fmt.Printf("%-36s %8s %8s %8s %9s %8s\n", "search (1,000,000 orders, 1 core busy)", "p50", "p95", "goal", "matches", "CPU/run")
		for _, q := range filters {
			if q.Filter.After == "next" {
				q.Filter.After = first.Next
			}
			var ds []time.Duration
			var total string
			c0 := cpuTime()
			for r := 0; r < reps; r++ {
				t0 := time.Now()
				page, err := db.FindOrders(ctx, q.Filter)
				if err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
				total = fmt.Sprint(page.Total)
				if page.TotalAtLeast {
					total += "+"
				}
			}
			cpu := (cpuTime() - c0) / reps
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
			p50, p95 := ds[len(ds)/2], ds[len(ds)*95/100]
			goal := q.Goal()
			mark := "ok"
			if p95 > goal {
				mark = "MISSED"
			}
			fmt.Printf("%-36s %8s %8s %5s %-6s %9s %8s\n", q.Name, p50.Round(100*time.Microsecond), p95.Round(100*time.Microsecond),
				"≤"+fmt.Sprint(goal.Milliseconds())+"ms", mark, total, cpu.Round(100*time.Microsecond))
		}
	}
}

// SearchCase is one of the benchmark's typical 受注管理 searches. An After of "next"
// stands for the cursor of the default list's first page.
type SearchCase struct {
	Name   string
	Filter backend.OrderFilter
	Text   bool // 3+ characters of text: goal 10 ms, else 30 ms
}

// Goal is the case's p95 goal (issue 14).
func (c SearchCase) Goal() time.Duration {
	if c.Text {
		return 10 * time.Millisecond
	}
	return 30 * time.Millisecond
}

// SearchCases are the typical searches the benchmarks time on BenchOrders (the SQLite
// benchmark here, and the same ones on PostgreSQL beside it: pg_bench_test.go).
func SearchCases() []SearchCase {
	now := benchNow
	month := now.AddDate(0, -1, 0)
	yen := func(v backend.Yen) *backend.Yen { return &v }
	return []SearchCase{
		{"default list (newest first)", backend.OrderFilter{}, false},
		{"default list, page 2 by cursor", backend.OrderFilter{After: "next"}, false},
		{"status 新規受付 + last month", backend.OrderFilter{Statuses: []backend.OrderStatus{backend.OrderNew}, OrderedFrom: month, OrderedTo: now}, false},
		{"status 入金待ち + 1 year", backend.OrderFilter{Statuses: []backend.OrderStatus{backend.OrderAwaitingDeposit}, OrderedFrom: now.AddDate(-1, 0, 0), OrderedTo: now}, false},
		{"name 1 char 「山」", backend.OrderFilter{Name: "山"}, false},
		{"name 1 char rare 「彌」", backend.OrderFilter{Name: "彌"}, false},
		{"name 2 chars 「山田」", backend.OrderFilter{Name: "山田"}, false},
		{"name 2 chars rare 「鬮野」", backend.OrderFilter{Name: "鬮野"}, false},
		{"name 3+ chars 「山田 太郎」", backend.OrderFilter{Name: "山田 太郎"}, true},
		{"name 3+ chars rare 「鬮野彌生」", backend.OrderFilter{Name: "鬮野彌生"}, true},
		{"kana 1 char 「ヤ」", backend.OrderFilter{Kana: "ヤ"}, false},
		{"kana 2 chars 「やま」", backend.OrderFilter{Kana: "やま"}, false},
		{"kana 3+ chars 「サトウハナコ」", backend.OrderFilter{Kana: "サトウハナコ"}, true},
		{"kana 3+ half-width 「ｸｼﾞﾉ」", backend.OrderFilter{Kana: "ｸｼﾞﾉ"}, true},
		{"email 「hanako.satou」", backend.OrderFilter{Email: "hanako.satou"}, true},
		{"email rare 「yayoi.kujino」", backend.OrderFilter{Email: "yayoi.kujino"}, true},
		{"email domain 「example.co.jp」", backend.OrderFilter{Email: "example.co.jp"}, true},
		{"tel 「090-1234」", backend.OrderFilter{Tel: "090-1234"}, true},
		{"amount 10,000〜12,000円", backend.OrderFilter{TotalMin: yen(10000), TotalMax: yen(12000)}, false},
		{"product 「急須」", backend.OrderFilter{Product: "急須"}, false},
		{"product code + last month", backend.OrderFilter{Product: "KT-210", OrderedFrom: month, OrderedTo: now}, false},
		{"order no range", backend.OrderFilter{OrderNoFrom: "500000", OrderNoTo: "500100"}, false},
		{"name + status + method", backend.OrderFilter{Name: "佐藤", Statuses: []backend.OrderStatus{backend.OrderShipped}, Methods: []backend.PaymentMethod{backend.MethodCard}}, false},
		{"name 3+ + product", backend.OrderFilter{Name: "山田太郎", Product: "急須"}, true},
		{"total desc, amount ≥ 30,000円", backend.OrderFilter{Sort: "total_desc", TotalMin: yen(30000)}, false},
	}
}

// printIndexSize prints the pages the search index takes (the text tables, and the
// narrow indexes of the filter columns' codes and the e-mail the search reads, from SQLite's
// dbstat: go test -tags sqlite_dbstat), each part beside the total.
func printIndexSize(db *DB) {
	rows, err := db.read.Query(`SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'order_text%' OR name LIKE 'order_fts%'
		OR name LIKE 'order_grams%' OR name IN ('orders_codes', 'orders_email', 'orders_by_codes', 'orders_ordered_codes') GROUP BY name`)
	if err != nil {
		fmt.Printf("search index size: unknown (%v)\n", err)
		return
	}
	defer rows.Close()
	var total int64
	parts := map[string]int64{}
	for rows.Next() {
		var name string
		var size int64
		rows.Scan(&name, &size)
		total += size
		part := name // an index of the orders, or the FTS5 table of its shadow tables
		if !strings.HasPrefix(name, "orders_") {
			part = strings.SplitN(name, "_", 3)[0] + "_" + strings.SplitN(name+"_", "_", 3)[1]
		}
		parts[part] += size
	}
	var list []string
	for name, size := range parts {
		list = append(list, fmt.Sprintf("%s %d MB", name, size>>20))
	}
	sort.Strings(list)
	fmt.Printf("search index size: %d MB (goal ≤ 458 MB, the n-gram tables' before FTS5; %s)\n", total>>20, strings.Join(list, ", "))
}

// TestMakeWindowFolder makes a data folder of 1,000,000 imported orders (the benchmark's
// shop, source "csv") in $KESSAIDESK_WINDOW_DIR for build/bench/window.sh; it is kept
// there, so a second run is quick. Skipped otherwise.
func TestMakeWindowFolder(t *testing.T) {
	dir := os.Getenv("KESSAIDESK_WINDOW_DIR")
	if dir == "" {
		t.Skip("only for build/bench/window.sh")
	}
	BenchDB(t, filepath.Join(dir, "kessaidesk.db"), 1_000_000, "csv")
}
