package csvimport

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlite"
)

// allOrders reads every order with its events, in order-number order.
func allOrders(t *testing.T, db *sqlite.DB) ([]*backend.Order, [][]backend.OrderEvent) {
	var orders []*backend.Order
	var events [][]backend.OrderEvent
	ctx := context.Background()
	require.NoError(t, db.EachOrder(ctx, backend.OrderFilter{Sort: "order_no_asc"}, func(o *backend.Order, _ *backend.Payment) error {
		evs, err := db.OrderEvents(ctx, o.ID)
		orders, events = append(orders, o), append(events, evs)
		return err
	}))
	return orders, events
}

// A back office's file imported again, unchanged, a day later changes nothing: not an
// order's updated_at, its lines or its events — for our own layout (two lines per
// order) and EC-CUBE 4's (four rows per order), as the benchmark writes them.
func TestReimportOfAnUnchangedFileChangesNothing(t *testing.T) {
	for _, c := range []struct {
		layout string
		file   func(testing.TB) string
		orders int
	}{
		{KessaiDesk, func(tb testing.TB) string { return shiftJISFile(tb, 600, 2) }, 300},
		{"eccube4", func(tb testing.TB) string { return eccube4SJISFile(tb, 600) }, 150},
	} {
		t.Run(c.layout, func(t *testing.T) {
			db := newDB(t)
			path := c.file(t)
			first := commit(t, db, path, preset(t, c.layout))
			require.Equal(t, c.orders, first.New)
			before, beforeEvents := allOrders(t, db)

			later := &Importer{Store: db, Now: func() time.Time { return testNow.Add(24 * time.Hour) }}
			db.Now = func() time.Time { return testNow.Add(24 * time.Hour) }
			res, err := later.Commit(context.Background(), Request{Path: path, Layout: preset(t, c.layout)}, "テスト担当")
			require.NoError(t, err)
			assert.Equal(t, c.orders, res.Unchanged)
			assert.Zero(t, res.New+res.Updated+res.Conflicting)
			after, afterEvents := allOrders(t, db)
			assert.Equal(t, before, after, "not even updated_at moves")
			assert.Equal(t, beforeEvents, afterEvents)
		})
	}
}

// BenchmarkReimportUnchanged100k prints the time of a fresh import of 100,000
// Shift_JIS rows (50,000 orders, preview + commit, as the window does) and of the same
// file imported again unchanged, beside its goal: no slower than the fresh import.
func BenchmarkReimportUnchanged100k(b *testing.B) {
	const rows, orders = 100_000, 50_000
	path := shiftJISFile(b, rows, 2)
	l, _ := Preset(KessaiDesk)
	// The CPU time is the process's: the import's own goroutines, SQLite included (on a
	// shared machine the wall time also counts the others' work).
	var freshCPU, againCPU time.Duration
	run := func(db *sqlite.DB, cpu *time.Duration) (time.Duration, *Result) {
		ctx := context.Background()
		im := &Importer{Store: db}
		start, c0 := time.Now(), cpuTime()
		pv, err := im.Preview(ctx, Request{Path: path, Layout: l})
		require.NoError(b, err)
		res, err := im.Commit(ctx, Request{Path: path, Layout: l, Expect: &pv.File}, "bench")
		require.NoError(b, err)
		*cpu += cpuTime() - c0
		return time.Since(start), res
	}
	var fresh, again time.Duration
	for b.Loop() {
		db, err := sqlite.Open(b.TempDir() + "/bench.db")
		require.NoError(b, err)
		d, res := run(db, &freshCPU)
		require.Equal(b, orders, res.New)
		fresh += d
		d, res = run(db, &againCPU)
		require.Equal(b, orders, res.Unchanged)
		again += d
		db.Close()
	}
	n := time.Duration(b.N)
	mark := "ok"
	if again > fresh {
		mark = "MISSED"
	}
	b.ReportMetric((fresh / n).Seconds(), "fresh-s")
	b.ReportMetric((again / n).Seconds(), "reimport-s")
	b.Logf("100,000 Shift_JIS rows (50,000 orders): fresh import %s (CPU %s), unchanged re-import %s (CPU %s) (goal ≤ fresh: %s)",
		(fresh / n).Round(time.Millisecond), (freshCPU / n).Round(time.Millisecond), (again / n).Round(time.Millisecond),
		(againCPU / n).Round(time.Millisecond), mark)
}
