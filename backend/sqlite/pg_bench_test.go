package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/width"

	"kessaidesk/backend"
	"kessaidesk/backend/dbmove"
	"kessaidesk/backend/pgstore"
	"kessaidesk/backend/pgstore/pgtest"
	"kessaidesk/backend/sqlite"
)

// BenchmarkOrderSearch1MBesidePostgreSQL prints the same typical 受注管理 searches
// (sqlite.SearchCases) on the same 1,000,000 orders on SQLite and on PostgreSQL side
// by side, each beside its goal (issue 14's p95 ≤ 30 ms, ≤ 10 ms for 3+ characters of
// text; issue 18: as fast on the server). The SQLite database is the one
// BenchmarkOrderSearch1M keeps (sqlite.BenchPath1M); it is moved to the server as the
// app moves a shop (dbmove.ToServer) into the database kd_bench_1m_v3, which is kept
// there: a second run on a server that lives on (pg.sh start) skips the move. Then
// VACUUM ANALYZE, as autovacuum does after a bulk load. Both stores answer through
// backend.Store's FindOrders (the filters the window sends, the count capped as the
// window shows it), the calls taken in turn, one core kept busy by another process.
// CPU/run is this process's CPU time, and on PostgreSQL also its server processes'.
// Needs the server: build/scripts/pg.sh run go test -tags sqlite_fts5 -run '^$'
// -bench BesidePostgreSQL -benchtime 1x -timeout 60m ./backend/sqlite  (make bench runs it)
func BenchmarkOrderSearch1MBesidePostgreSQL(b *testing.B) {
	if !pgtest.Available() {
		b.Skip(pgtest.Env + " is not set: no PostgreSQL server (build/scripts/pg.sh run …)")
	}
	const n = 1_000_000
	ctx := context.Background()
	path := sqlite.BenchPath1M()
	sqlite.BenchDB(b, path, n, "demo")
	lite, err := sqlite.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer lite.Close()
	server := benchServer(b, ctx, lite, n)
	defer server.Close()
	stores := []struct {
		name string
		st   backend.Store
		cpu  func() time.Duration // CPU time outside this process (the server's)
	}{
		{"SQLite", lite, func() time.Duration { return 0 }},
		{"PostgreSQL", server, func() time.Duration { return serverCPU(b, server) }},
	}

	stop := sqlite.Busy(b)
	defer stop()
	var only *regexp.Regexp // KESSAIDESK_BENCH_CASES: some cases only, as BenchmarkOrderSearch1M
	if s := os.Getenv("KESSAIDESK_BENCH_CASES"); s != "" {
		only = regexp.MustCompile(s)
	}
	const reps = 30
	for b.Loop() {
		fmt.Printf("%-38s | %-26s | %-26s | %-5s | %s\n", "", "SQLite", "PostgreSQL", "", "")
		fmt.Printf("%-38s | %8s %8s %8s | %8s %8s %8s | %-5s | %s\n", "search (1,000,000 orders, 1 core busy)",
			"p50", "p95", "CPU/run", "p50", "p95", "CPU/run", "goal", "matches")
		for _, q := range sqlite.SearchCases() {
			if only != nil && !only.MatchString(q.Name) {
				continue
			}
			var filters [2]backend.OrderFilter
			for i, s := range stores {
				filters[i] = q.Filter
				if q.Filter.After == "next" { // each store's own first page's cursor
					first, err := s.st.FindOrders(ctx, backend.OrderFilter{})
					if err != nil {
						b.Fatal(err)
					}
					filters[i].After = first.Next
				}
			}
			var ds [2][]time.Duration
			var cpu [2]time.Duration
			var pages [2]*backend.OrderPage
			// A first call each, untimed: the first touch of a case's pages.
			for i, s := range stores {
				if pages[i], err = s.st.FindOrders(ctx, filters[i]); err != nil {
					b.Fatalf("%s %s: %v", s.name, q.Name, err)
				}
			}
			outside := [2]time.Duration{stores[0].cpu(), stores[1].cpu()}
			for range reps {
				for i, s := range stores { // in turn: the machine's load falls on both alike
					c0, t0 := sqlite.CPUTime(), time.Now()
					if _, err := s.st.FindOrders(ctx, filters[i]); err != nil {
						b.Fatalf("%s %s: %v", s.name, q.Name, err)
					}
					ds[i] = append(ds[i], time.Since(t0))
					cpu[i] += sqlite.CPUTime() - c0
				}
			}
			line := pad(q.Name, 38) + " |"
			for i, s := range stores {
				cpu[i] += s.cpu() - outside[i]
				slices.Sort(ds[i])
				p50, p95 := ds[i][len(ds[i])/2], ds[i][len(ds[i])*95/100]
				mark := " "
				if p95 > q.Goal() {
					mark = "!" // missed
				}
				line += fmt.Sprintf(" %8s %7s%s %8s |", ms(p50), ms(p95), mark, ms(cpu[i]/reps))
			}
			fmt.Printf("%s ≤%2dms | %s\n", line, q.Goal().Milliseconds(), matches(pages[0], pages[1]))
		}
		fmt.Println("! = p95 above the goal")
	}
}

// pad fills s with spaces to w columns of a terminal (a kanji or full-width kana
// takes two).
func pad(s string, w int) string {
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			w -= 2
		default:
			w--
		}
	}
	return s + strings.Repeat(" ", max(w, 0))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

// matches is the count the window shows, once when both stores agree on it and on
// the page's orders, else what each says.
func matches(lite, pg *backend.OrderPage) string {
	count := func(p *backend.OrderPage) string {
		s := strconv.Itoa(p.Total)
		if p.TotalAtLeast {
			s += "+"
		}
		return s
	}
	ids := func(p *backend.OrderPage) []int64 {
		var out []int64
		for _, r := range p.Rows {
			out = append(out, r.ID)
		}
		return out
	}
	if count(lite) != count(pg) {
		return fmt.Sprintf("DIFFER: SQLite %s, PostgreSQL %s", count(lite), count(pg))
	}
	if !slices.Equal(ids(lite), ids(pg)) {
		return count(lite) + " (DIFFER: not the same orders on the page)"
	}
	return count(lite)
}

// benchName is the server's copy of the benchmark's shop (v3: sqlite.BenchPath1M's).
const benchName = "kd_bench_1m_v3"

// benchServer opens the server's copy of lite's n orders, moving them there first
// when the server does not hold them yet.
func benchServer(b *testing.B, ctx context.Context, lite *sqlite.DB, n int) *pgstore.DB {
	base := os.Getenv(pgtest.Env)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	dsn := pgtest.WithDatabase(base, benchName)
	var have int
	if admin.QueryRowContext(ctx, `SELECT 1 FROM pg_database WHERE datname = $1`, benchName).Scan(new(int)) == nil {
		if db, err := pgstore.Open(ctx, dsn, pgstore.Options{}); err == nil {
			db.Pool().QueryRowContext(ctx, `SELECT count(*) FROM orders`).Scan(&have)
			if have == n {
				return db
			}
			db.Close()
		}
		if _, err := admin.ExecContext(ctx, `DROP DATABASE `+benchName+` WITH (FORCE)`); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+benchName); err != nil {
		b.Fatal(err)
	}
	db, err := pgstore.Open(ctx, dsn, pgstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if _, err := dbmove.ToServer(ctx, lite, db, nil); err != nil {
		db.Close()
		b.Fatal(err)
	}
	moved := time.Since(start)
	// Twice: the first pass can leave pages it found too new to mark all-visible (the
	// index-only scans then read the table).
	for _, q := range []string{`VACUUM (ANALYZE)`, `VACUUM`} {
		if _, err := db.Pool().ExecContext(ctx, q); err != nil {
			db.Close()
			b.Fatal(err)
		}
	}
	var size int64
	db.Pool().QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&size)
	fmt.Printf("moved %d orders to PostgreSQL (%s) in %s, VACUUM ANALYZE %s; database %d MB\n", n, benchName,
		moved.Round(time.Second), (time.Since(start) - moved).Round(time.Second), size>>20)
	return db
}

// serverCPU is the CPU time of the server's processes: the connections to db's
// database, and the children the server has reaped (parallel workers that ended).
func serverCPU(b *testing.B, db *pgstore.DB) time.Duration {
	rows, err := db.Pool().Query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var sum time.Duration
	parent := 0
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			b.Fatal(err)
		}
		f := procStat(pid)
		sum += ticks(f, 11) + ticks(f, 12) // utime, stime
		if parent == 0 && len(f) > 1 {
			parent, _ = strconv.Atoi(f[1])
		}
	}
	if parent > 0 {
		f := procStat(parent)
		sum += ticks(f, 13) + ticks(f, 14) // cutime, cstime
	}
	return sum
}

// procStat is the fields of /proc/PID/stat after the command's name (Linux; none
// elsewhere: the server's CPU is then 0).
func procStat(pid int) []string {
	s, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	return strings.Fields(string(s[strings.LastIndexByte(string(s), ')')+1:]))
}

// ticks is field i of procStat, in the kernel's ticks of 1/100 s.
func ticks(f []string, i int) time.Duration {
	if i >= len(f) {
		return 0
	}
	v, _ := strconv.ParseInt(f[i], 10, 64)
	return time.Duration(v) * 10 * time.Millisecond
}
