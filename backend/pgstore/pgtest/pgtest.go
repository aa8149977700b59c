// Package pgtest gives tests a fresh, migrated, empty database on the throwaway
// PostgreSQL server that build/scripts/pg.sh starts (KESSAIDESK_TEST_PG is its DSN).
// Without the variable the test is skipped: plain `go test ./...` needs no server.
package pgtest

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

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Env names the variable holding the test server's DSN.
const Env = "KESSAIDESK_TEST_PG"

// The test databases are copies of one migrated template (CREATE DATABASE … TEMPLATE
// is a file copy, much faster than migrating each). The template is dropped by Cleanup.
var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// Available reports whether a test server is configured.
func Available() bool { return os.Getenv(Env) != "" }

// DSN returns a fresh database migrated by migrate (pgstore.Open, then Close), dropped
// when the test ends. The test is skipped without a server.
func DSN(tb testing.TB, migrate func(ctx context.Context, dsn string) error) string {
	tb.Helper()
	base := os.Getenv(Env)
	if base == "" {
		tb.Skip(Env + " is not set: no PostgreSQL server to test against (build/scripts/pg.sh run go test ...)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	templateOnce.Do(func() {
		name := randomName("kd_tmpl_")
		if _, templateErr = admin.Exec(`CREATE DATABASE ` + name); templateErr != nil {
			return
		}
		templateName = name
		templateErr = migrate(context.Background(), WithDatabase(base, name))
	})
	if templateErr != nil {
		tb.Fatal(templateErr)
	}
	name := randomName("kd_test_")
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + templateName); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { drop(base, name) })
	return WithDatabase(base, name)
}

// EmptyDSN returns a fresh database with nothing in it (not even the schema), dropped
// when the test ends.
func EmptyDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(Env)
	if base == "" {
		tb.Skip(Env + " is not set: no PostgreSQL server to test against")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	name := randomName("kd_empty_")
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { drop(base, name) })
	return WithDatabase(base, name)
}

func drop(base, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if admin, err := sql.Open("pgx", base); err == nil {
		admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		admin.Close()
	}
}

// Cleanup drops the template; call it from TestMain after m.Run.
func Cleanup() {
	if templateName == "" {
		return
	}
	if admin, err := sql.Open("pgx", os.Getenv(Env)); err == nil {
		admin.Exec(`DROP DATABASE IF EXISTS ` + templateName + ` WITH (FORCE)`)
		admin.Close()
	}
}

// WithDatabase is base with its database name replaced.
func WithDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
