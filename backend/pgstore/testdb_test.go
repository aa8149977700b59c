package pgstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The test databases are copies of one migrated template (CREATE DATABASE … TEMPLATE
// is a file copy, much faster than migrating each), dropped at the end.
var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if templateName != "" {
		if admin, err := sql.Open("pgx", os.Getenv("KESSAIDESK_TEST_PG")); err == nil {
			admin.Exec(`DROP DATABASE IF EXISTS ` + templateName + ` WITH (FORCE)`)
			admin.Close()
		}
	}
	os.Exit(code)
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

func withDatabase(t testing.TB, base, name string) string {
	u, err := url.Parse(base)
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
}

// testDSN is a fresh, migrated, empty database on the test server
// (build/scripts/pg.sh), dropped when the test ends. Without KESSAIDESK_TEST_PG the
// test is skipped.
func testDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv("KESSAIDESK_TEST_PG")
	if base == "" {
		t.Skip("KESSAIDESK_TEST_PG is not set: no PostgreSQL server to test against (build/scripts/pg.sh run go test ./backend/pgstore/)")
	}
	admin, err := sql.Open("pgx", base)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })
	templateOnce.Do(func() {
		name := randomName("kd_tmpl_")
		if _, templateErr = admin.Exec(`CREATE DATABASE ` + name); templateErr != nil {
			return
		}
		templateName = name
		var db *DB
		if db, templateErr = Open(context.Background(), withDatabase(t, base, name), Options{}); templateErr == nil {
			templateErr = db.Close()
		}
	})
	require.NoError(t, templateErr)
	name := randomName("kd_test_")
	_, err = admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + templateName)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	return withDatabase(t, base, name)
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
