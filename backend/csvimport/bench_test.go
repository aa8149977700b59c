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

// BenchmarkImportShiftJIS100k previews and commits 100,000 Shift_JIS rows (50,000
// orders of two lines) into a new database, and prints rows/s and the peak memory.
func BenchmarkImportShiftJIS100k(b *testing.B) {
	const rows = 100_000
	path := shiftJISFile(b, rows, 2)
	st, _ := os.Stat(path)
	l, _ := Preset(KessaiDesk)
	var elapsed, previewTime time.Duration
	var heap, sys uint64
	for b.Loop() {
		b.StopTimer()
		db, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
		require.NoError(b, err)
		im := &Importer{Store: db}
		runtime.GC()
		b.StartTimer()
		h, s := peakMemory(func() {
			start := time.Now()
			pv, err := im.Preview(context.Background(), Request{Path: path, Layout: l})
			require.NoError(b, err)
			require.True(b, pv.OK())
			previewTime += time.Since(start)
			res, err := im.Commit(context.Background(), Request{Path: path, Layout: l, Expect: &pv.File}, "bench")
			require.NoError(b, err)
			require.Equal(b, rows/2, res.New)
			elapsed += time.Since(start)
		})
		heap, sys = max(heap, h), max(sys, s)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(rows*n/elapsed.Seconds(), "rows/s")
	b.ReportMetric(rows*n/previewTime.Seconds(), "preview-rows/s")
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(sys)/(1<<20), "peak-sys-MiB")
	b.Logf("%d Shift_JIS rows (%.1f MiB): preview + commit %.0f rows/s, preview alone %.0f rows/s; peak heap in use %.1f MiB, from the OS %.1f MiB",
		rows, float64(st.Size())/(1<<20), rows*n/elapsed.Seconds(), rows*n/previewTime.Seconds(), float64(heap)/(1<<20), float64(sys)/(1<<20))
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
	var elapsed time.Duration
	var heap uint64
	for b.Loop() {
		start := time.Now()
		h, _ := peakMemory(func() {
			n, err := Export(ctx, io.Discard, db, backend.OrderFilter{}, EncodingCP932, nil)
			require.NoError(b, err)
			require.Equal(b, orders, n)
		})
		elapsed += time.Since(start)
		heap = max(heap, h)
	}
	n := float64(b.N)
	b.ReportMetric(float64(orders)*n/elapsed.Seconds(), "orders/s")
	b.ReportMetric(float64(2*orders)*n/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MiB")
	b.Logf("%d orders (%d rows) in Shift_JIS: %.0f orders/s, %.0f rows/s (1,000,000 orders would take %.1f s); peak heap %.1f MiB",
		orders, 2*orders, float64(orders)*n/elapsed.Seconds(), float64(2*orders)*n/elapsed.Seconds(),
		1e6/(float64(orders)*n/elapsed.Seconds()), float64(heap)/(1<<20))
}
