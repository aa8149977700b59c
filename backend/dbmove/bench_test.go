package dbmove_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/dbmove"
	"kessaidesk/backend/demo"
	"kessaidesk/backend/pgstore"
	"kessaidesk/backend/pgstore/pgtest"
	"kessaidesk/backend/sqlite"
)

// BenchmarkMove prints how long a shop of KESSAIDESK_BENCH_ORDERS orders (default
// 100,000: the demo generator's, ~2 lines each, a payment for most) takes to move to
// the server and back to a new file. Run it with
// build/scripts/pg.sh run go test -run '^$' -bench Move ./backend/dbmove/
func BenchmarkMove(b *testing.B) {
	if !pgtest.Available() {
		b.Skip(pgtest.Env + " is not set")
	}
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("KESSAIDESK_BENCH_ORDERS")); err == nil && v > 0 {
		n = v
	}
	local, err := sqlite.Open(filepath.Join(b.TempDir(), "shop.db"))
	require.NoError(b, err)
	defer local.Close()
	start := time.Now()
	seedBench(b, local, n)
	fmt.Printf("generated %d orders in %s\n", n, time.Since(start).Round(time.Millisecond))

	for b.Loop() {
		server, err := pgstore.Open(ctx, pgtest.DSN(b, migrate), pgstore.Options{})
		require.NoError(b, err)
		start, cpu, srv := time.Now(), cpuTime(), serverCPU(b, server)
		up, err := dbmove.ToServer(ctx, local, server, timed("to the server"))
		require.NoError(b, err)
		report("to the server", n, up.Total(), time.Since(start), cpuTime()-cpu, serverCPU(b, server)-srv)
		start, cpu, srv = time.Now(), cpuTime(), serverCPU(b, server)
		down, err := dbmove.ToLocal(ctx, server, filepath.Join(b.TempDir(), "copy.db"), timed("to a new file"))
		require.NoError(b, err)
		report("back to a new file", n, down.Total(), time.Since(start), cpuTime()-cpu, serverCPU(b, server)-srv)
		require.Equal(b, up.Total(), down.Total())
		server.Close()
	}
}

// report prints a move's figures: the wall clock, and the CPU time of this process
// (reading or writing SQLite) and of the server's processes — on a busy machine the
// CPU times say what the move costs.
func report(what string, orders int, rows int64, wall, cpu, server time.Duration) {
	fmt.Printf("dbmove %d orders (%d rows) %-18s %8s wall (%6.0f rows/s), CPU: this process %8s, PostgreSQL %8s\n", orders, rows, what,
		wall.Round(time.Millisecond), float64(rows)/wall.Seconds(), cpu.Round(time.Millisecond), server.Round(time.Millisecond))
}

// serverCPU is the CPU time of the server processes of db's database (its pool's
// connections, which live on after a move).
func serverCPU(b *testing.B, db *pgstore.DB) time.Duration {
	rows, err := db.Pool().Query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	require.NoError(b, err)
	defer rows.Close()
	var sum time.Duration
	for rows.Next() {
		var pid int
		require.NoError(b, rows.Scan(&pid))
		sum += procCPU(pid)
	}
	return sum
}

// timed prints how long each table took, from its first progress to the next table's.
func timed(what string) func(dbmove.Progress) {
	var table string
	var at time.Time
	var rows int64
	return func(p dbmove.Progress) {
		if p.Table == table {
			rows = p.Done
			return
		}
		if table != "" && rows > 1000 {
			fmt.Printf("  %s: %-16s %8d rows %8s\n", what, table, rows, time.Since(at).Round(time.Millisecond))
		}
		table, at, rows = p.Table, time.Now(), p.Done
	}
}

// seedBench saves n of the demo generator's orders and their payments.
func seedBench(b *testing.B, db *sqlite.DB, n int) {
	prof := &backend.GatewayProfile{Name: "GMO", Kind: backend.GatewayGMO, Environment: backend.EnvTest, AuthExpiryDays: 60}
	require.NoError(b, db.SaveProfile(ctx, prof))
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, backend.JST)
	specs := demo.Generate(42, n, 100001, now, 3*365*24*time.Hour)
	const batch = 20000
	for i := 0; i < n; i += batch {
		part := specs[i:min(i+batch, n)]
		orders := make([]*backend.Order, len(part))
		for j, s := range part {
			orders[j] = s.Order
		}
		require.NoError(b, db.SaveOrders(ctx, orders))
		var pays []*backend.Payment
		for _, s := range part {
			if s.State == "" {
				continue
			}
			p := &backend.Payment{OrderID: s.Order.ID, ProfileID: prof.ID, Gateway: backend.GatewayGMO, Method: s.Order.PaymentMethod,
				GatewayOrderID: s.Order.OrderNo, GatewayTranID: "acc" + s.Order.OrderNo, State: s.State,
				AmountAuthorized: s.Order.Total, AmountRefunded: s.Refunded, AuthorizedAt: s.AuthorizedAt, CapturedAt: s.CapturedAt,
				PaymentDeadline: s.Deadline, PaidAt: s.PaidAt, UpdatedAt: s.Order.UpdatedAt}
			if !s.CapturedAt.IsZero() {
				p.AmountCaptured = s.Order.Total
			}
			pays = append(pays, p)
		}
		require.NoError(b, db.SavePayments(ctx, pays))
	}
}
