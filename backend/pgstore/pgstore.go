// Package pgstore is the Store on PostgreSQL, for a team whose desktops share one
// order database (issue 18). It behaves as backend/sqlite does — the same schema
// (backend/sqlite/migrations, the .pgsql twins), the same values (times in Unix ms,
// integer yen), the same errors — and the shared suite backend/storetest runs against
// both. What differs is what sharing needs: the journal's operations and the bulk runs
// are claimed by the process that sends or runs them (operations.go, tasks.go), the
// search runs on pg_trgm (find.go), an import writes a batch of orders a statement
// (imports.go), and a backup is the server's (tasks.go).
//
// Most of the Store is backend/sqlstore's, written once for both engines (payments,
// tasks, sync, profiles, the journal's reads…); this package holds what PostgreSQL
// does its own way and the dialect (placeholders rebound to $n, ids by RETURNING,
// FOR UPDATE, retried serialization failures).
//
// It speaks to the server through database/sql with pgx's driver (pgx/v5/stdlib)
// rather than pgxpool, so that the statements can be shared with SQLite's store; pgx's
// own API is still reachable through sql.Conn.Raw where it is needed (LISTEN/NOTIFY,
// COPY for moving a database to the server).
package pgstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlite/migrations"
	"kessaidesk/backend/sqlstore"
)

// DB is the Store. It is safe for concurrent use, and several DBs — in one process or
// on several machines — may share one database.
type DB struct {
	// The statements both stores share (backend/sqlstore), on the pool.
	sqlstore.Core
	sql *sql.DB
	// Now is the clock for updated_at and event times; tests replace it. (Leases use
	// the server's clock: desktops' clocks differ.)
	Now func() time.Time
	// Owner names this process in the journal's claims: host, pid and a random tail,
	// so a restarted process never mistakes a dead one's claims for its own.
	Owner string
	lease time.Duration
	// connConfig is the pool's: the live view's listener connects with it (listen.go).
	connConfig *pgx.ConnConfig

	stop      chan struct{}
	done      sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// Options change how a database is opened.
type Options struct {
	// Lease is how long a claim on an operation lasts without being renewed (the
	// process renews its claims every Lease/3 while it lives). Default 60 s: a
	// crashed desktop's operations are recovered by another within about a minute.
	Lease time.Duration
	// MaxConns bounds the pool (default 8).
	MaxConns int
}

var _ backend.Store = (*DB)(nil)

// Open connects to the database at dsn (a postgres:// URL or key=value string) and
// applies pending migrations.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if opts.Lease <= 0 {
		opts.Lease = 60 * time.Second
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = 8
	}
	host, _ := os.Hostname()
	tail := make([]byte, 4)
	rand.Read(tail)
	owner := fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(tail))
	s, cfg, err := openPool(dsn, owner)
	if err != nil {
		return nil, unreachable(err)
	}
	s.SetMaxOpenConns(opts.MaxConns)
	s.SetMaxIdleConns(opts.MaxConns)
	s.SetConnMaxIdleTime(5 * time.Minute)
	if err := s.PingContext(ctx); err != nil {
		s.Close()
		return nil, unreachable(err)
	}
	db := &DB{sql: s, Now: time.Now, lease: opts.Lease, stop: make(chan struct{}), Owner: owner, connConfig: cfg}
	db.Core = sqlstore.NewCore(s, s, &dialect, func() time.Time { return db.Now() })
	if err := db.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	db.done.Add(1)
	go db.renewLeases()
	return db, nil
}

// unreachable says the server cannot be used, without the connection string (it may
// hold the password).
func unreachable(err error) error {
	return &backend.Error{Code: backend.EOFFLINE, Err: err,
		Message:   "共有データベース（PostgreSQL）に接続できません: " + redact(err.Error()),
		MessageEn: "cannot connect to the shared database (PostgreSQL): " + redact(err.Error())}
}

// redact drops a password pgx might quote from the DSN.
func redact(s string) string {
	if i := strings.Index(s, "password="); i >= 0 {
		j := strings.IndexAny(s[i:], " )")
		if j < 0 {
			j = len(s) - i
		}
		s = s[:i] + "password=***" + s[i+j:]
	}
	return s
}

// Close stops renewing this process's claims and closes the pool. Claims it still
// holds lapse after the lease, and another desktop may then recover them.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		close(db.stop)
		db.done.Wait()
		db.closeErr = db.sql.Close()
	})
	return db.closeErr
}

// migrate applies pending migrations, each in its own transaction, holding an
// advisory lock so that desktops starting at once migrate one after the other.
func (db *DB) migrate(ctx context.Context) error {
	steps, err := migrations.Postgres()
	if err != nil {
		return err
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return unreachable(err)
	}
	defer conn.Close()
	const lockKey = 0x6b657373 // "kess": the migration lock, held for the session
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockKey); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockKey)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("schema_migrations: %w", err)
	}
	applied := map[string]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		applied[strings.TrimSuffix(n, ".sql")] = true
	}
	rows.Close()
	known := map[string]bool{}
	for _, m := range steps {
		known[m.Name] = true
	}
	for n := range applied {
		if !known[n] {
			return backend.Errorf(backend.EINTERNAL, "この共有データベースは新しいバージョンの決済デスクで更新されています（移行 %s）。このバージョンでは使えないため、何も変更していません。最新版の決済デスクをインストールしてください",
				"this shared database was upgraded by a newer Kessai Desk (migration %s); nothing was changed. Install the latest version", n)
		}
	}
	for _, m := range steps {
		if applied[m.Name] {
			continue
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
		// Recorded with .sql as SQLite records it: the support bundle names the same schema.
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`, m.Name+".sql", db.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// rebind turns the ? placeholders of a statement written as for SQLite into
// PostgreSQL's $1, $2 …, so the statements of both stores read alike. A ? inside a
// quoted string is left alone.
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// dialect is what PostgreSQL's statements differ in from SQLite's (backend/sqlstore).
var dialect = sqlstore.Dialect{
	Rebind:              rebind,
	ReturningID:         true,
	ForUpdate:           " FOR UPDATE",
	UniqueViolation:     func(err error) bool { return isUniqueViolation(err) },
	ForeignKeyViolation: func(err error) bool { return pgCode(err) == "23503" },
	// A serialization failure or a deadlock between desktops: the transaction did
	// nothing, and runs again.
	Retry: func(err error) bool { return pgCode(err) == "40001" || pgCode(err) == "40P01" },
	JSTMonth: func(col string) string {
		return "to_char(to_timestamp(" + col + " / 1000.0) AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM')"
	},
	InsertBulkItems: insertBulkItems,
}

// insertBulkItems inserts a bulk run's items in one statement, in the order they were
// selected (ordinality).
func insertBulkItems(ctx context.Context, tx sqlstore.Q, jobID int64, paymentIDs []int64, state string, now int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO bulk_items (job_id, payment_id, state, updated_at)
		SELECT ?, p.id, ?, ? FROM unnest(?::bigint[]) WITH ORDINALITY AS p(id, n) ORDER BY p.n
		ON CONFLICT (job_id, payment_id) DO NOTHING`, jobID, state, now, paymentIDs)
	return err
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// isUniqueViolation reports a unique constraint's refusal; with names, only of those
// indexes.
func isUniqueViolation(err error, names ...string) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" {
		return false
	}
	if len(names) == 0 {
		return true
	}
	for _, n := range names {
		if pe.ConstraintName == n {
			return true
		}
	}
	return false
}

// Short names for backend/sqlstore's helpers, as the statements here call them.
func ms(t time.Time) int64         { return sqlstore.MS(t) }
func fromMS(v int64) time.Time     { return sqlstore.FromMS(v) }
func boolInt(b bool) int           { return sqlstore.BoolInt(b) }
func placeholders(n int) string    { return sqlstore.Placeholders(n) }
func anys[T ~string](xs []T) []any { return sqlstore.Anys(xs) }

const unresolvedStates = sqlstore.UnresolvedStates
