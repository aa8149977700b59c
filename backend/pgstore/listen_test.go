package pgstore

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// watcher collects what WatchChanges reports until the test ends.
type watcher struct {
	mu      sync.Mutex
	changes []backend.DataChange
}

func watch(t *testing.T, db *DB) *watcher {
	t.Helper()
	w := &watcher{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- db.WatchChanges(ctx, func(c backend.DataChange) {
			w.mu.Lock()
			w.changes = append(w.changes, c)
			w.mu.Unlock()
		})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.ErrorIs(t, err, context.Canceled)
		case <-time.After(5 * time.Second):
			t.Error("WatchChanges did not return when its context ended")
		}
	})
	waitListening(t, db, appName(db.Owner))
	return w
}

func (w *watcher) all() []backend.DataChange {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]backend.DataChange(nil), w.changes...)
}

// tables is every table of the changes reported after the first skip.
func (w *watcher) tables(skip int) map[string]bool {
	out := map[string]bool{}
	for _, c := range w.all()[skip:] {
		for _, t := range c.Tables {
			out[t] = true
		}
	}
	return out
}

// listenerPID is the server's process of the desktop's listener, 0 while it has none.
func listenerPID(t *testing.T, db *DB, app string) int {
	var pid int
	err := db.sql.QueryRow(`SELECT COALESCE(max(pid), 0) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = $1 AND query = 'LISTEN `+changesChannel+`'`, app).Scan(&pid)
	require.NoError(t, err)
	return pid
}

func waitListening(t *testing.T, db *DB, app string) {
	t.Helper()
	require.Eventually(t, func() bool { return listenerPID(t, db, app) != 0 }, 10*time.Second, 10*time.Millisecond,
		"the listener connects")
}

// Two desktops on one database: B sees A's change within a second, named by its
// table; A does not hear of its own change (its window refreshed after its action).
func TestWatchSeesOtherDesktopsChangesNotItsOwn(t *testing.T) {
	dsn := testDSN(t)
	a, b := openDSN(t, dsn, Options{}), openDSN(t, dsn, Options{})
	wa, wb := watch(t, a), watch(t, b)
	ctx := context.Background()

	start := time.Now()
	o := &backend.Order{OrderNo: "1001", OrderedAt: time.Now(), CustomerName: "佐藤花子",
		PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Shipping: 1000, Total: 1000, Source: "test"}
	require.NoError(t, a.SaveOrder(ctx, o))
	require.Eventually(t, func() bool { return wb.tables(0)["orders"] }, time.Second, 5*time.Millisecond,
		"B sees A's new order within a second")
	t.Logf("seen after %v", time.Since(start).Round(time.Millisecond))

	require.NoError(t, a.SetOrderStatus(ctx, o.ID, backend.OrderShipped, "店長"))
	require.Eventually(t, func() bool { return wb.tables(1)["order_events"] }, time.Second, 5*time.Millisecond,
		"a 対応状況 change names the order and its history")
	assert.True(t, wb.tables(1)["orders"])

	// B's own change reaches A, and only A.
	require.NoError(t, b.SetSetting(ctx, "operator", "鈴木"))
	require.Eventually(t, func() bool { return wa.tables(0)["settings"] }, time.Second, 5*time.Millisecond)
	time.Sleep(2 * changeWindow)
	assert.False(t, wa.tables(0)["orders"], "A's own changes are not reported to A: %v", wa.all())
	assert.False(t, wb.tables(0)["settings"], "B's own change is not reported to B: %v", wb.all())
	for _, c := range append(wa.all(), wb.all()...) {
		assert.NoError(t, c.Lost)
	}
}

// A statement that changes no row (the leases' renewal, an UPDATE that matched
// nothing) and a rolled-back transaction send nothing; any other client's change (no
// Kessai Desk: a psql session) is reported.
func TestWatchOnlyRowsThatChanged(t *testing.T) {
	dsn := testDSN(t)
	a, b := openDSN(t, dsn, Options{}), openDSN(t, dsn, Options{})
	w := watch(t, b)
	ctx := context.Background()

	_, err := a.sql.ExecContext(ctx, `UPDATE orders SET memo = 'x' WHERE id = -1`)
	require.NoError(t, err)
	_, err = a.sql.ExecContext(ctx, `DELETE FROM payments WHERE id = -1`)
	require.NoError(t, err)
	tx, err := a.sql.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('rolled', 'back')`)
	require.NoError(t, err)
	require.NoError(t, tx.Rollback())
	// Then a change by a client that is not Kessai Desk (no application_name of ours).
	other := openPlain(t, dsn)
	_, err = other.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('psql', 'yes')`)
	require.NoError(t, err)

	require.Eventually(t, func() bool { return len(w.all()) > 0 }, time.Second, 5*time.Millisecond)
	time.Sleep(2 * changeWindow)
	assert.Equal(t, []backend.DataChange{{Tables: []string{"settings"}}}, w.all(),
		"only the committed change of a row")
}

// A burst — a bulk run commits one change after another — reaches the other desktop
// as a handful of changes, not one per write.
func TestWatchFoldsABurst(t *testing.T) {
	dsn := testDSN(t)
	a, b := openDSN(t, dsn, Options{}), openDSN(t, dsn, Options{})
	w := watch(t, b)
	ctx := context.Background()
	o := &backend.Order{OrderNo: "2001", OrderedAt: time.Now(), PaymentMethod: backend.MethodCard,
		Status: backend.OrderNew, Shipping: 1000, Total: 1000, Source: "test"}
	require.NoError(t, a.SaveOrder(ctx, o))
	require.Eventually(t, func() bool { return len(w.all()) == 1 }, time.Second, 5*time.Millisecond)

	start := time.Now()
	statuses := []backend.OrderStatus{backend.OrderShipped, backend.OrderNew}
	for i := range 500 {
		require.NoError(t, a.SetOrderStatus(ctx, o.ID, statuses[i%2], "店長"))
	}
	took := time.Since(start)
	time.Sleep(2 * changeWindow)
	got := w.all()[1:]
	// One change per window at most while the burst lasts, and the last one after it.
	most := int(took/changeWindow) + 3
	t.Logf("500 writes in %v: %d changes (at most %d)", took.Round(time.Millisecond), len(got), most)
	require.NotEmpty(t, got)
	assert.LessOrEqual(t, len(got), most)
	assert.Less(t, len(got), 50)
	assert.Equal(t, []string{"order_events", "orders"}, got[len(got)-1].Tables)
}

// The server ends the listener's session (a restart, an administrator's
// pg_terminate_backend): the watcher says so once, reconnects, names every table
// (what changed meanwhile is unknown), and goes on reporting.
func TestWatchSurvivesTheServerEndingItsConnection(t *testing.T) {
	dsn := testDSN(t)
	a, b := openDSN(t, dsn, Options{}), openDSN(t, dsn, Options{})
	w := watch(t, b)
	ctx := context.Background()
	app := appName(b.Owner)

	pid := listenerPID(t, a, app)
	var ended bool
	require.NoError(t, a.sql.QueryRowContext(ctx, `SELECT pg_terminate_backend($1)`, pid).Scan(&ended))
	require.True(t, ended)
	require.Eventually(t, func() bool { p := listenerPID(t, a, app); return p != 0 && p != pid }, 10*time.Second,
		10*time.Millisecond, "the listener is back on a new session")
	require.Eventually(t, func() bool { return len(w.all()) >= 2 }, 5*time.Second, 5*time.Millisecond)
	got := w.all()
	require.Error(t, got[0].Lost, "the cut is reported")
	assert.Equal(t, watchedTables, got[1].Tables, "then every table: what changed meanwhile is unknown")
	for _, c := range got[1:] {
		assert.NoError(t, c.Lost, "said once")
	}

	require.NoError(t, a.SetSetting(ctx, "operator", "鈴木"))
	require.Eventually(t, func() bool { return len(w.all()) == 3 }, time.Second, 5*time.Millisecond)
	assert.Equal(t, []string{"settings"}, w.all()[2].Tables)
}

// Every table the listener names after a cut has its three triggers (insert, update,
// delete) in the schema, and no other table has any.
func TestWatchedTablesHaveTheirTriggers(t *testing.T) {
	db := openTest(t, Options{})
	rows, err := db.sql.Query(`SELECT c.relname, count(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		WHERE g.tgname LIKE '%\_notify\_%' AND NOT g.tgisinternal GROUP BY 1 ORDER BY 1`)
	require.NoError(t, err)
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var name string
		var n int
		require.NoError(t, rows.Scan(&name, &n))
		assert.Equal(t, 3, n, name)
		tables = append(tables, name)
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, watchedTables, tables)
}

// The application_name the server keeps is the one the listener compares with: printable
// ASCII within 63 bytes, the pid and random tail kept when the host name is long.
func TestAppNameNamesTheProcess(t *testing.T) {
	assert.Equal(t, "kessaidesk pc1/42/0a1b2c3d", appName("pc1/42/0a1b2c3d"))
	long := appName(strings.Repeat("店", 30) + ".example.co.jp/4242/0a1b2c3d")
	assert.Len(t, long, appNameMax)
	assert.True(t, strings.HasPrefix(long, "kessaidesk ..."), long)
	assert.True(t, strings.HasSuffix(long, ".example.co.jp/4242/0a1b2c3d"), long)
	for _, c := range long {
		assert.True(t, c >= 0x20 && c <= 0x7e, long)
	}

	owner := strings.Repeat("ホスト", 10) + "/4242/0a1b2c3d"
	pool, _, err := openPool(testDSN(t), owner)
	require.NoError(t, err)
	defer pool.Close()
	var got string
	require.NoError(t, pool.QueryRow(`SHOW application_name`).Scan(&got))
	assert.Equal(t, appName(owner), got, "the server keeps the name as it was sent")
}

// openPlain is a connection of another program (psql, the shop's own tools).
func openPlain(t *testing.T, dsn string) *sql.DB {
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// Closing the store ends its watcher, as the end of the context does.
func TestWatchEndsWithTheStore(t *testing.T) {
	db := openTest(t, Options{})
	done := make(chan error, 1)
	go func() { done <- db.WatchChanges(context.Background(), func(backend.DataChange) {}) }()
	waitListening(t, db, appName(db.Owner))
	require.NoError(t, db.Close())
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Fatal("WatchChanges did not return when the store closed")
	}
}

// A server that cannot be reached at all: the watcher says so once, however many times
// it tries again, and does not end.
func TestWatchSaysOnceThatTheServerIsAway(t *testing.T) {
	defer func(first, most time.Duration) { retryFirst, retryMax = first, most }(retryFirst, retryMax)
	retryFirst, retryMax = 10*time.Millisecond, 40*time.Millisecond
	db := openTest(t, Options{})
	away := db.connConfig.Copy()
	away.Host, away.Port = "127.0.0.1", 1 // nothing listens there
	db.connConfig = away

	var mu sync.Mutex
	var got []backend.DataChange
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	err := db.WatchChanges(ctx, func(c backend.DataChange) {
		mu.Lock()
		got = append(got, c)
		mu.Unlock()
	})
	assert.ErrorIs(t, err, context.DeadlineExceeded, "it kept trying until the end")
	require.Len(t, got, 1, "said once: %v", got)
	assert.Error(t, got[0].Lost)
	assert.Contains(t, got[0].Lost.Error(), "共有データベース（PostgreSQL）に接続できません")
	assert.NotContains(t, got[0].Lost.Error(), "password=")
}
