package pgstore

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend/pgstore/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Cleanup()
	os.Exit(code)
}

// testDSN is a fresh, migrated, empty database on the test server
// (build/scripts/pg.sh), dropped when the test ends. Without KESSAIDESK_TEST_PG the
// test is skipped.
func testDSN(t *testing.T) string {
	t.Helper()
	return pgtest.DSN(t, func(ctx context.Context, dsn string) error {
		db, err := Open(ctx, dsn, Options{})
		if err != nil {
			return err
		}
		return db.Close()
	})
}

// openTest opens a Store on a fresh database.
func openTest(t *testing.T, opts Options) *DB {
	t.Helper()
	return openDSN(t, testDSN(t), opts)
}

func openDSN(t *testing.T, dsn string, opts Options) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn, opts)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}
