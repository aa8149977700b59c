// Package sqlstore is the part of backend.Store that backend/sqlite and
// backend/pgstore share: the statements whose SQL and Go are the same on both engines
// (payments, reviews, tasks and bulk runs, sync, profiles and settings, the journal's
// reads and an outcome's effects, order reads and 対応状況 changes with who made them,
// the order list's sorts and cursor, the work lists and ホーム's counts, linking with
// the ids a file carried, what an import checks and notes, the export's columns,
// closing interrupted bulk runs, 売上集計's reports, a support bundle's counts, the
// applied migrations). Each store embeds a Core and keeps what only it has: SQLite its
// FTS5 search and the export on it, the import writer, the folder lock and backups;
// PostgreSQL its claims and leases, its run lock, its pg_trgm search and export, its
// batched import writer.
//
// The statements are written once, with ? placeholders and standard SQL (CAST rather
// than ::, CASE rather than a boolean sum); a Dialect says what still differs.
package sqlstore

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"time"
)

// Dialect is what differs between the engines in the shared statements.
type Dialect struct {
	// Rebind turns the ? placeholders of a statement into the engine's own; nil
	// keeps them (SQLite).
	Rebind func(q string) string
	// ReturningID: an INSERT reads its new id with RETURNING id (PostgreSQL), else
	// from the driver's LastInsertId (SQLite).
	ReturningID bool
	// ForUpdate ends a SELECT of a row the transaction changes next (" FOR UPDATE" on
	// PostgreSQL: two desktops change it one after the other; SQLite's writes are
	// serialised already).
	ForUpdate string
	// UniqueViolation reports a unique constraint's refusal.
	UniqueViolation func(err error) bool
	// ForeignKeyViolation reports a foreign key's refusal (a row of an order that is
	// not there).
	ForeignKeyViolation func(err error) bool
	// Retry reports a transaction that failed without effect and may run again (a
	// serialization failure or deadlock between desktops); nil: never.
	Retry func(err error) bool
	// JSTMonth is the SQL of the JST month ("2006-01") of a Unix-ms column.
	JSTMonth func(col string) string
	// InsertBulkItems inserts a bulk run's items as queued, in the order given.
	InsertBulkItems func(ctx context.Context, tx Q, jobID int64, paymentIDs []int64, state string, now int64) error
	// BeforeDeleteDemo runs first in DeleteDemo's transaction (SQLite: the search
	// index rows of the demo orders, which no foreign key removes); nil: nothing.
	BeforeDeleteDemo func(ctx context.Context, tx Q) error
	// PlanHints keeps the plans SQLite is told in the shared reads (Indexed, CrossJoin):
	// its planner's statistics may call a state column unselective when most orders
	// share one value, and would then read every order. PostgreSQL plans by its own
	// statistics: no hints.
	PlanHints bool
}

// Indexed is table (with its alias) read through index: "orders o INDEXED BY
// orders_pstate_ordered" with PlanHints, else "orders o".
func (d *Dialect) Indexed(table, index string) string {
	if d.PlanHints {
		return table + ` INDEXED BY ` + index
	}
	return table
}

// CrossJoin joins the next table in the order written (SQLite's CROSS JOIN … ON: the
// left side drives) with PlanHints, else an inner JOIN the planner orders.
func (d *Dialect) CrossJoin() string {
	if d.PlanHints {
		return ` CROSS JOIN `
	}
	return ` JOIN `
}

// execer is what statements run on: a pool or a transaction.
type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, q string) (*sql.Stmt, error)
}

// Q runs statements written with ? placeholders on a pool or a transaction, in its
// engine's dialect.
type Q struct {
	e execer
	d *Dialect
}

func (x Q) bind(s string) string {
	if x.d.Rebind == nil {
		return s
	}
	return x.d.Rebind(s)
}

// Exec runs a statement.
func (x Q) Exec(ctx context.Context, s string, args ...any) (sql.Result, error) {
	return x.e.ExecContext(ctx, x.bind(s), args...)
}

// Query runs a query.
func (x Q) Query(ctx context.Context, s string, args ...any) (*sql.Rows, error) {
	return x.e.QueryContext(ctx, x.bind(s), args...)
}

// Row runs a query of one row.
func (x Q) Row(ctx context.Context, s string, args ...any) *sql.Row {
	return x.e.QueryRowContext(ctx, x.bind(s), args...)
}

// Prepare prepares a statement to run many times.
func (x Q) Prepare(ctx context.Context, s string) (*sql.Stmt, error) {
	return x.e.PrepareContext(ctx, x.bind(s))
}

// ID runs an INSERT and returns the new row's id. An insert that inserted nothing
// (ON CONFLICT DO NOTHING) is sql.ErrNoRows on PostgreSQL.
func (x Q) ID(ctx context.Context, s string, args ...any) (int64, error) {
	if x.d.ReturningID {
		var id int64
		err := x.Row(ctx, s+` RETURNING id`, args...).Scan(&id)
		return id, err
	}
	res, err := x.Exec(ctx, s, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Core is the shared Store: the engine's handles, its dialect, the clock and the
// name of the PC it runs on.
type Core struct {
	read, write *sql.DB
	d           *Dialect
	now         func() time.Time
	pc          string
}

// NewCore returns the shared store over read (the pool reads use) and write (where
// writes and transactions run: SQLite's one writer; PostgreSQL's pool, the same as
// read). now is the store's clock (read at each call: tests replace it). The store
// names this PC by its hostname, read once here (SetPC changes it).
func NewCore(read, write *sql.DB, d *Dialect, now func() time.Time) Core {
	pc, _ := os.Hostname()
	return Core{read: read, write: write, d: d, now: now, pc: pc}
}

// PC is the name of the PC this store writes for: every journal entry it begins and
// every order event it records names it beside the operator, so that on a shared
// database each change says where it was made.
func (db *Core) PC() string { return db.pc }

// SetPC names the PC (tests: two desktops in one process). Call it before the store
// is used.
func (db *Core) SetPC(name string) { db.pc = name }

// Read is where reads run.
func (db *Core) Read() Q { return Q{db.read, db.d} }

// Write is where a write of one statement runs.
func (db *Core) Write() Q { return Q{db.write, db.d} }

// On runs statements in a transaction the store began itself.
func (db *Core) On(tx *sql.Tx) Q { return db.d.On(tx) }

// On runs statements in the transaction tx, in this dialect.
func (d *Dialect) On(tx *sql.Tx) Q { return Q{tx, d} }

// InTx runs fn in a transaction on the writer and commits it. A transaction the
// dialect calls retryable (it did nothing) runs again, up to three more times.
func (db *Core) InTx(ctx context.Context, fn func(tx Q) error) error {
	for attempt := 0; ; attempt++ {
		tx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		err = fn(Q{tx, db.d})
		if err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback()
		}
		if err != nil && attempt < 3 && db.d.Retry != nil && db.d.Retry(err) {
			continue
		}
		return err
	}
}

// Migrations lists the applied migrations in order.
func (db *Core) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.Read().Query(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// MS converts a time to stored Unix milliseconds; the zero time is 0.
func MS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// FromMS converts stored milliseconds back; 0 is the zero time.
func FromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// BoolInt is a stored boolean: 1 or 0.
func BoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Placeholders is n comma-separated ?.
func Placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// Anys converts a list of string values to statement arguments.
func Anys[T ~string](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// UnresolvedStates is the SQL list of journal states that block a payment.
const UnresolvedStates = `('pending','sent','unknown')`

// The package's short names for the helpers above, as the stores call them.
func ms(t time.Time) int64         { return MS(t) }
func fromMS(v int64) time.Time     { return FromMS(v) }
func boolInt(b bool) int           { return BoolInt(b) }
func placeholders(n int) string    { return Placeholders(n) }
func anys[T ~string](xs []T) []any { return Anys(xs) }

const unresolvedStates = UnresolvedStates
