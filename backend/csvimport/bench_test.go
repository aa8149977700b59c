package csvimport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/textenc"
)

// shiftJISFile writes rows of Kessai Desk's layout in Shift_JIS: orders of
// perOrder lines each, with Japanese names, addresses and a quoted memo.
func shiftJISFile(b testing.TB, rows, perOrder int) string {
	path := filepath.Join(b.TempDir(), "orders-sjis.csv")
	f, err := os.Create(path)
	require.NoError(b, err)
	defer f.Close()
	out := bufio.NewWriter(f)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	flush := func() {
		w.Flush()
		enc, err := textenc.EncodeCP932(buf.String())
		require.NoError(b, err)
		out.Write(enc)
		buf.Reset()
	}
	w.Write(Columns)
	names := []string{"山田 太郎", "佐藤 花子", "鈴木 一郎", "髙橋 次郎", "田中 美咲"}
	methods := []string{"クレジットカード決済", "コンビニ決済", "銀行振込"}
	col := map[string]int{}
	for i, c := range Columns {
		col[c] = i
	}
	for r := range rows {
		no := 100000 + r/perOrder
		rec := make([]string, len(Columns))
		set := func(c, v string) { rec[col[c]] = v }
		set("受注番号", fmt.Sprint(no))
		set("受注日時", time.Date(2026, 1, 1, 9, 0, 0, 0, backend.JST).Add(time.Duration(no)*time.Minute).Format(exportTimeLayout))
		set("注文者名", names[no%len(names)])
		set("注文者フリガナ", "ヤマダ タロウ")
		set("メールアドレス", fmt.Sprintf("user%d@example.jp", no))
		set("電話番号", "090-1234-5678")
		set("支払方法", methods[no%len(methods)])
		set("商品コード", fmt.Sprintf("SKU-%04d", r%perOrder))
		set("商品名", "静岡県産 深蒸し煎茶 100g")
		set("バリエーション", "缶入り")
		set("単価", "1200")
		set("数量", "2")
		set("小計", fmt.Sprint(2400*perOrder))
		set("送料", "600")
		set("合計金額", fmt.Sprint(2400*perOrder+600))
		set("対応状況", "新規受付")
		set("メモ", "のし希望、\n午前中の配達")
		set("郵便番号", "150-0001")
		set("住所", "東京都 渋谷区神宮前1-2-3 ハイツ神宮前101")
		w.Write(rec)
		if buf.Len() > 64<<10 {
			flush()
		}
	}
	flush()
	require.NoError(b, out.Flush())
	return path
}

// peakMemory samples the heap while work runs.
func peakMemory(work func()) (heapInuse, sys uint64) {
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for !stop.Load() {
			runtime.ReadMemStats(&ms)
			heapInuse, sys = max(heapInuse, ms.HeapInuse), max(sys, ms.Sys)
			time.Sleep(5 * time.Millisecond)
		}
	}()
	work()
	stop.Store(true)
	wg.Wait()
	return heapInuse, sys
}

// resetPeakRSS starts the process's peak resident memory afresh (Linux; elsewhere
// peakRSS reports 0).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak resident memory since resetPeakRSS, in bytes: unlike
// the Go heap figures, it counts SQLite's page cache and other C allocations.
func peakRSS() uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// eccube4SJISFile writes an EC-CUBE 4 受注CSV in Shift_JIS with LF: orders of two
// products, a 送料 and a 手数料 row (EC-CUBE 4 writes them even when 0), 71 columns.
func eccube4SJISFile(b testing.TB, rows int) string {
	path := filepath.Join(b.TempDir(), "eccube4-sjis.csv")
	f, err := os.Create(path)
	require.NoError(b, err)
	defer f.Close()
	out := bufio.NewWriter(f)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	flush := func() {
		w.Flush()
		enc, err := textenc.EncodeCP932(buf.String())
		require.NoError(b, err)
		out.Write(enc)
		buf.Reset()
	}
	names := ColumnNames(eccube4Header)
	write := func(cells map[string]string) {
		rec := make([]string, len(names))
		for i, n := range names {
			rec[i] = cells[n]
		}
		w.Write(rec)
	}
	w.Write(eccube4Header)
	for r := 0; r < rows; r += 4 {
		no := fmt.Sprint(100000 + r/4)
		o := eccube4Order(no, no, "1", "新規受付", "クレジットカード決済", "3300.00", "600.00", "4230.00")
		o["受注日"] = time.Date(2026, 1, 1, 9, 0, 0, 0, backend.JST).Add(time.Duration(r) * time.Minute).Format("2006-01-02 15:04:05")
		write(with(o, eccube4Line("1", "商品", "静岡県産 深蒸し煎茶 100g", "SKU-1", "1000.00", "2", "10")))
		write(with(o, eccube4Line("1", "商品", "急須", "SKU-2", "1000.00", "1", "10")))
		write(with(o, eccube4Line("2", "送料", "送料", "", "600.00", "1", "10")))
		write(with(o, eccube4Line("3", "手数料", "手数料", "", "330.00", "1", "10")))
		if buf.Len() > 64<<10 {
			flush()
		}
	}
	flush()
	require.NoError(b, out.Flush())
	return path
}

// BenchmarkImportShiftJIS100k previews and commits 100,000 Shift_JIS rows into a new
// database and prints rows/s, orders/s and the peak memory: our own layout with two
// lines per order (50,000 orders), and EC-CUBE 4 with four rows per order (25,000).
func BenchmarkImportShiftJIS100k(b *testing.B) {
	const rows = 100_000
	for _, c := range []struct {
		name     string
		layout   string
		perOrder int
		file     func(testing.TB) string
	}{
		{"kessaidesk-2-lines-per-order", KessaiDesk, 2, func(tb testing.TB) string { return shiftJISFile(tb, rows, 2) }},
		{"eccube4-4-rows-per-order", "eccube4", 4, func(tb testing.TB) string { return eccube4SJISFile(tb, rows) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			path := c.file(b)
			st, _ := os.Stat(path)
			l, _ := Preset(c.layout)
			orders := rows / c.perOrder
			var elapsed, previewTime time.Duration
			var heap, sys, rss uint64
			for b.Loop() {
				b.StopTimer()
				db, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
				require.NoError(b, err)
				im := &Importer{Store: db}
				runtime.GC()
				resetPeakRSS()
				// Cancellable, as the window's 受注取込 (中止) and the command's are.
				ctx, cancel := context.WithCancel(context.Background())
				b.StartTimer()
				h, s := peakMemory(func() {
					start := time.Now()
					pv, err := im.Preview(ctx, Request{Path: path, Layout: l})
					require.NoError(b, err)
					require.True(b, pv.OK(), "%+v", pv.Problems)
					previewTime += time.Since(start)
					res, err := im.Commit(ctx, Request{Path: path, Layout: l, Expect: &pv.File}, "bench")
					require.NoError(b, err)
					require.Equal(b, orders, res.New)
					elapsed += time.Since(start)
				})
				heap, sys, rss = max(heap, h), max(sys, s), max(rss, peakRSS())
				b.StopTimer()
				cancel()
				db.Close()
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(rows*n/elapsed.Seconds(), "rows/s")
			b.ReportMetric(float64(orders)*n/elapsed.Seconds(), "orders/s")
			b.ReportMetric(rows*n/previewTime.Seconds(), "preview-rows/s")
			b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(sys)/(1<<20), "peak-sys-MiB")
			b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MiB")
			b.Logf("%d Shift_JIS rows, %d orders (%.1f MiB): preview + commit %.0f rows/s (%.0f orders/s), preview alone %.0f rows/s; peak heap in use %.1f MiB, from the OS %.1f MiB, process resident (with SQLite's cache) %.1f MiB",
				rows, orders, float64(st.Size())/(1<<20), rows*n/elapsed.Seconds(), float64(orders)*n/elapsed.Seconds(),
				rows*n/previewTime.Seconds(), float64(heap)/(1<<20), float64(sys)/(1<<20), float64(rss)/(1<<20))
		})
	}
}

// BenchmarkExport streams orders out in Shift_JIS and prints orders/s and rows/s.
// KESSAIDESK_EXPORT_ORDERS sets how many (default 20,000; 1,000,000 is the target).
func BenchmarkExport(b *testing.B) {
	orders := 20_000
	if v := os.Getenv("KESSAIDESK_EXPORT_ORDERS"); v != "" {
		fmt.Sscan(v, &orders)
	}
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "export.db"))
	require.NoError(b, err)
	defer db.Close()
	ctx := context.Background()
	batch := make([]*backend.Order, 0, 5000)
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, backend.JST)
	for i := range orders {
		o := &backend.Order{OrderNo: fmt.Sprint(100000 + i), OrderedAt: at.Add(time.Duration(i) * time.Minute), CustomerName: "山田 太郎",
			CustomerKana: "ヤマダ タロウ", Email: fmt.Sprintf("user%d@example.jp", i), Tel: "090-1234-5678", PaymentMethod: backend.MethodCard,
			Status: backend.OrderNew, Source: "csv", Address: "東京都 渋谷区神宮前1-2-3", Shipping: 600,
			Items: []backend.LineItem{{ProductCode: "SKU-1", ProductName: "深蒸し煎茶 100g", UnitPrice: 1200, Quantity: 2},
				{ProductCode: "SKU-2", ProductName: "急須", UnitPrice: 3000, Quantity: 1}}}
		o.Subtotal = 5400
		o.Total = o.ComputeTotal()
		batch = append(batch, o)
		if len(batch) == cap(batch) || i == orders-1 {
			require.NoError(b, db.SaveOrders(ctx, batch))
			batch = batch[:0]
		}
	}
	for _, enc := range []Encoding{EncodingUTF8, EncodingCP932} {
		b.Run(string(enc), func(b *testing.B) {
			var elapsed, cpu time.Duration
			var heap uint64
			for b.Loop() {
				start, c0 := time.Now(), cpuTime()
				h, _ := peakMemory(func() {
					n, err := Export(ctx, io.Discard, db, backend.OrderFilter{}, enc, nil)
					require.NoError(b, err)
					require.Equal(b, orders, n)
				})
				elapsed += time.Since(start)
				cpu += cpuTime() - c0
				heap = max(heap, h)
			}
			n := float64(b.N)
			perSec := float64(orders) * n / elapsed.Seconds()
			b.ReportMetric(perSec, "orders/s")
			b.ReportMetric(2*perSec, "rows/s")
			b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MiB")
			mark := "ok"
			if 1e6/perSec > 30 {
				mark = "MISSED"
			}
			// CPU time beside the wall time: on a shared machine the wall time also counts
			// the others' work.
			b.Logf("export %d orders (%d rows) in %s: %.1f s (CPU %.1f s), %.0f orders/s; 1,000,000 orders: %.1f s (goal ≤ 30 s: %s); peak heap %.1f MiB (flat: the same for any number of orders)",
				orders, 2*orders, enc, elapsed.Seconds()/n, cpu.Seconds()/n, perSec, 1e6/perSec, mark, float64(heap)/(1<<20))
		})
	}
}
