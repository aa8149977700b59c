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
	"kessaidesk/backend/report"
)

// BenchmarkReports1M builds a shop of 1,000,000 orders over five years with their
// payments and a journal entry per capture (once; the file is kept in
// $KESSAIDESK_BENCH_DIR or the temp dir) and prints each 売上集計 report's p50/p95
// against the 200 ms target.
// Run: go test -run '^$' -bench Reports1M -benchtime 1x ./backend/sqlite
func BenchmarkReports1M(b *testing.B) {
	const n = 1_000_000
	ctx := context.Background()
	dir := os.Getenv("KESSAIDESK_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, "kessaidesk-bench-1m-reports-v1.db")
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, backend.JST)
	db, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	var have int
	db.read.QueryRow(`SELECT count(*) FROM payments`).Scan(&have)
	if have == 0 {
		start := time.Now()
		if err := generateReportShop(ctx, db, n, now); err != nil {
			b.Fatal(err)
		}
		fmt.Printf("generated %d orders with payments in %s\n", n, time.Since(start).Round(time.Second))
	}
	db.Close()
	if db, err = Open(path); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := &report.Service{Store: db, Clock: backend.ClockFunc(func() time.Time { return now })}

	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, backend.JST) }
	sales := func(from, to time.Time, basis backend.ReportBasis, g report.Granularity) func() error {
		return func() error {
			_, err := svc.Sales(ctx, backend.ReportFilter{From: from, To: to, Basis: basis}, g)
			return err
		}
	}
	reports := []struct {
		name string
		run  func() error
	}{
		{"sales by day, 1 month", sales(day(2026, 10, 1), day(2026, 11, 1), backend.BasisSale, report.Day)},
		{"sales by week, 13 weeks", sales(day(2026, 8, 24), day(2026, 11, 23), backend.BasisSale, report.Week)},
		{"sales by month, 12 months", sales(day(2025, 12, 1), day(2026, 12, 1), backend.BasisSale, report.Month)},
		{"sales by order date, 1 month", sales(day(2026, 10, 1), day(2026, 11, 1), backend.BasisOrdered, report.Day)},
		{"sales by order date, 12 months", sales(day(2025, 12, 1), day(2026, 12, 1), backend.BasisOrdered, report.Month)},
		{"仮売上 outstanding", func() error { _, err := svc.Outstanding(ctx, backend.ReportFilter{}); return err }},
		{"deposits awaited", func() error { _, err := svc.Deposits(ctx, backend.ReportFilter{}); return err }},
		{"fees of a month", func() error { _, err := svc.Fees(ctx, "2026-10"); return err }},
	}
	const reps = 15
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Wall time on a shared machine includes waiting for a CPU; the CPU time per
		// run is what the report itself costs.
		fmt.Printf("%-34s %8s %8s %8s %8s\n", "report (1,000,000 orders)", "p50", "p95", "cpu/run", "≤200ms")
		for _, r := range reports {
			var ds []time.Duration
			c0 := cpuTime()
			for k := 0; k < reps; k++ {
				t0 := time.Now()
				if err := r.run(); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
			}
			cpu := (cpuTime() - c0) / reps
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
			p50, p95 := ds[len(ds)/2], ds[len(ds)*95/100]
			verdict := "ok"
			if p50 > 200*time.Millisecond {
				verdict = "SLOW"
			}
			fmt.Printf("%-34s %8s %8s %8s %8s\n", r.name, p50.Round(100*time.Microsecond), p95.Round(100*time.Microsecond), cpu.Round(100*time.Microsecond), verdict)
		}
		// The price of the summary: a write that moves a sale runs the triggers of 0011
		// (compiled with each statement, as the store's writes are not kept prepared). A
		// card payment refunded and restored, each its own transaction as an operation's
		// is. Measured once with the triggers dropped: about 50 µs against 300 µs.
		var id int64
		if err := db.read.QueryRow(`SELECT id FROM payments WHERE method = 'card' AND state = 'captured' AND amount_refunded = 0 LIMIT 1`).Scan(&id); err != nil {
			b.Fatal(err)
		}
		var ds []time.Duration
		c0 := cpuTime()
		for k := 0; k < 2*reps; k++ {
			state := []string{"refunded", "captured"}[k%2]
			t0 := time.Now()
			if _, err := db.write.Exec(`UPDATE payments SET state = ?, amount_refunded = CASE WHEN ? = 'refunded' THEN amount_captured ELSE 0 END WHERE id = ?`,
				state, state, id); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
		}
		cpu := (cpuTime() - c0) / (2 * reps)
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		fmt.Printf("%-34s %8s %8s %8s\n", "payment write moving a sale", ds[len(ds)/2].Round(10*time.Microsecond),
			ds[len(ds)*95/100].Round(10*time.Microsecond), cpu.Round(10*time.Microsecond))
	}
}

// generateReportShop stores the demo generator's orders (as the search benchmark
// does), a payment for each as the demo shop makes it, and a succeeded capture in the
// journal for each captured card payment.
func generateReportShop(ctx context.Context, db *DB, n int, now time.Time) error {
	profiles := []*backend.GatewayProfile{
		{Name: "GMO-PG", Kind: backend.GatewayGMO, Environment: backend.EnvProduction, AuthExpiryDays: 90},
		{Name: "ペイジェント", Kind: backend.GatewayPaygent, Environment: backend.EnvProduction, AuthExpiryDays: 60, FeePerOperation: 10},
	}
	for _, p := range profiles {
		if err := db.SaveProfile(ctx, p); err != nil {
			return err
		}
	}
	specs := demo.Generate(42, n, 100001, now, 5*365*24*time.Hour)
	for i := 0; i < n; i += 20000 {
		batch := make([]*backend.Order, 0, 20000)
		for _, s := range specs[i:min(i+20000, n)] {
			batch = append(batch, s.Order)
		}
		if err := db.SaveOrders(ctx, batch); err != nil {
			return err
		}
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	pay, err := tx.Prepare(`INSERT INTO payments (order_id, profile_id, gateway, method, gw_order_id, state, amount_authorized,
		amount_captured, amount_refunded, authorized_at, captured_at, auth_expires_at, payment_deadline, paid_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	op, err := tx.Prepare(`INSERT INTO operations (payment_id, intent, kind, amount, idempotency_key, state, requested_at, sent_at, responded_at)
		VALUES (?, 'capture', 'capture', ?, ?, 'succeeded', ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i, s := range specs {
		o := s.Order
		if s.State == "" || o.ID == 0 {
			continue
		}
		prof := profiles[i%2]
		var captured, refunded backend.Yen
		switch s.State {
		case backend.StateCaptured, backend.StatePartiallyRefunded:
			captured, refunded = o.Total, s.Refunded
		case backend.StateRefunded:
			captured, refunded = o.Total, o.Total
		}
		var expires int64
		if !s.AuthorizedAt.IsZero() {
			expires = ms(s.AuthorizedAt.AddDate(0, 0, prof.AuthExpiryDays))
		}
		res, err := pay.Exec(o.ID, prof.ID, string(prof.Kind), string(o.PaymentMethod), "KD"+o.OrderNo, string(s.State), o.Total,
			captured, refunded, ms(s.AuthorizedAt), ms(s.CapturedAt), expires, ms(s.Deadline), ms(s.PaidAt), ms(o.OrderedAt))
		if err != nil {
			return err
		}
		if !s.CapturedAt.IsZero() {
			id, _ := res.LastInsertId()
			at := ms(s.CapturedAt)
			if _, err := op.Exec(id, captured, fmt.Sprintf("bench-%d", id), at, at, at); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.write.Exec(`ANALYZE`)
	return err
}
