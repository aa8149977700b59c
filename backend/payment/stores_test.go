package payment_test

// The engine's tests run on both stores. The package's tests run once on SQLite (a file
// in a temporary folder, the embedded default) and, when a PostgreSQL test server is
// configured (KESSAIDESK_TEST_PG, set by build/scripts/pg.sh: CI's `make go-test`), a
// second time on PostgreSQL (a fresh migrated database per fixture, pgtest.DSN). The
// fixtures open their store through openStore, which reads the pass's store.
//
// Why a second pass of the whole package rather than a sqlite/postgres pair of subtests
// in each test: every fixture test, the crash test and the benchmarks run on both
// without being rewritten, and the passes run one after the other, so the race
// detector's two cores serve one store at a time. A failure says which store it was
// on: the pass prints "=== store: postgres" first, and every fixture logs its store.
//
// KESSAIDESK_PAYMENT_STORES=sqlite or =postgres runs one pass only (working by hand).
//
// A PostgreSQL fixture's database is emptied when its test ends (TRUNCATE … RESTART
// IDENTITY: as empty as a new one, ids from 1) and handed to the next fixture: a fresh
// database per fixture (CREATE DATABASE from a template, DROP DATABASE after) cost most
// of a short test's time on a loaded machine. Fixtures alive at once (two in a test)
// each have their own.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/pgstore"
	"kessaidesk/backend/pgstore/pgtest"
	"kessaidesk/backend/sqlite"
)

const (
	storeSQLite   = "sqlite"
	storePostgres = "postgres"
	storesEnv     = "KESSAIDESK_PAYMENT_STORES"
)

// storeKind is the store this pass of the package's tests opens.
var storeKind = storeSQLite

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		// The crash test's child: it is told its store (crashChildConfig).
		os.Exit(m.Run())
	}
	code := 0
	passes := storePasses()
	for _, kind := range passes {
		storeKind = kind
		if len(passes) > 1 {
			fmt.Printf("=== store: %s\n", kind)
		}
		if c := m.Run(); c != 0 {
			code = c
		}
	}
	dropPGDatabases()
	os.Exit(code)
}

// storePasses lists the stores to run the package's tests on.
func storePasses() []string {
	switch strings.TrimSpace(os.Getenv(storesEnv)) {
	case storeSQLite:
		return []string{storeSQLite}
	case storePostgres:
		return []string{storePostgres}
	}
	if pgtest.Available() {
		return []string{storeSQLite, storePostgres}
	}
	return []string{storeSQLite}
}

// testStore is what the engine's tests use of a store: backend.Store, with the batch
// writes of the seeding and Close. *sqlite.DB and *pgstore.DB both are one.
type testStore interface {
	backend.Store
	SaveOrders(ctx context.Context, orders []*backend.Order) error
	SavePayments(ctx context.Context, ps []*backend.Payment) error
	Close() error
}

var (
	_ testStore = (*sqlite.DB)(nil)
	_ testStore = (*pgstore.DB)(nil)
)

// storeRef says how to reach a test's database from another store or process: its
// kind and its file (SQLite) or DSN (PostgreSQL).
type storeRef struct {
	Kind string `json:"kind"`
	Ref  string `json:"ref"`
}

// openStore opens a fresh, empty store of this pass's kind on the clock now, closed
// when the test ends.
func openStore(tb testing.TB, now func() time.Time) (testStore, storeRef) {
	tb.Helper()
	ref := storeRef{Kind: storeKind}
	if storeKind == storePostgres {
		ref.Ref = pgDatabase(tb)
	} else {
		ref.Ref = filepath.Join(tb.TempDir(), "kessaidesk.db")
	}
	tb.Logf("store: %s", storeKind)
	db, err := reopenStore(context.Background(), ref, now, 0)
	require.NoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	return db, ref
}

// reopenStore opens the database ref names: another desktop on the same PostgreSQL
// database, or the app restarted on the same SQLite file. lease is PostgreSQL's claim
// lease (0: the default).
func reopenStore(ctx context.Context, ref storeRef, now func() time.Time, lease time.Duration) (testStore, error) {
	if ref.Kind == storePostgres {
		db, err := pgstore.Open(ctx, ref.Ref, pgstore.Options{Lease: lease})
		if err != nil {
			return nil, err
		}
		db.Now = now
		return db, nil
	}
	db, err := sqlite.Open(ref.Ref)
	if err != nil {
		return nil, err
	}
	db.Now = now
	return db, nil
}

// pgDatabases are the PostgreSQL databases of this run's fixtures: free ones are empty.
var pgDatabases struct {
	sync.Mutex
	all  []string // names
	free []string // DSNs
}

// pgDatabase is an empty, migrated database for a fixture, emptied and freed for the
// next when the test ends. The test is skipped without a server.
func pgDatabase(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(pgtest.Env)
	if base == "" {
		tb.Skip(pgtest.Env + " is not set: no PostgreSQL server to test against (build/scripts/pg.sh run go test ...)")
	}
	pgDatabases.Lock()
	var dsn string
	if n := len(pgDatabases.free); n > 0 {
		dsn, pgDatabases.free = pgDatabases.free[n-1], pgDatabases.free[:n-1]
	}
	pgDatabases.Unlock()
	if dsn == "" {
		tail := make([]byte, 6)
		rand.Read(tail)
		name := "kd_payment_" + hex.EncodeToString(tail)
		require.NoError(tb, pgExec(base, `CREATE DATABASE `+name))
		dsn = pgtest.WithDatabase(base, name)
		pgDatabases.Lock()
		pgDatabases.all = append(pgDatabases.all, name)
		pgDatabases.Unlock()
		db, err := pgstore.Open(context.Background(), dsn, pgstore.Options{}) // migrates it
		require.NoError(tb, err)
		require.NoError(tb, db.Close())
	}
	// Registered before the stores' Close: it runs after them.
	tb.Cleanup(func() {
		if emptyPGDatabase(dsn) == nil {
			pgDatabases.Lock()
			pgDatabases.free = append(pgDatabases.free, dsn)
			pgDatabases.Unlock()
		}
	})
	return dsn
}

// emptyPGDatabase deletes every row but the applied migrations, and restarts the ids.
func emptyPGDatabase(dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var tables string
	if err := db.QueryRowContext(ctx, `SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables
		WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`).Scan(&tables); err != nil {
		return err
	}
	// A connection of a store left open would hold its tables: give up on the database
	// (dropped at the end) rather than wait.
	_, err = db.ExecContext(ctx, `SET lock_timeout = '5s'; TRUNCATE `+tables+` RESTART IDENTITY CASCADE`)
	return err
}

// dropPGDatabases drops the fixtures' databases (TestMain, after the passes).
func dropPGDatabases() {
	base := os.Getenv(pgtest.Env)
	for _, name := range pgDatabases.all {
		pgExec(base, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	}
}

func pgExec(dsn, stmt string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, stmt)
	return err
}
