package pgstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testDSN is a fresh, empty database on the test server (build/scripts/pg.sh), dropped
// when the test ends. Without KESSAIDESK_TEST_PG the test is skipped.
func testDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv("KESSAIDESK_TEST_PG")
	if base == "" {
		t.Skip("KESSAIDESK_TEST_PG is not set: no PostgreSQL server to test against (build/scripts/pg.sh run go test ./backend/pgstore/)")
	}
	admin, err := sql.Open("pgx", base)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	name := "kd_test_" + hex.EncodeToString(b)
	_, err = admin.Exec(`CREATE DATABASE ` + name)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
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
