// Package dbmove copies a whole Kessai Desk database between the two stores: a shop's
// own SQLite file to the team's PostgreSQL server (ToServer), and the server back to a
// new SQLite file (ToLocal) — to leave the server, or to keep a read-only copy for
// working offline. Settings → 共有データベース uses it (issue 18).
//
// A move is all or nothing, and checked:
//   - both databases are at the same schema version (the migrations of
//     backend/sqlite/migrations, which both engines record by the same names);
//   - the destination holds no shop data (a freshly migrated schema is fine);
//   - every table that holds data is copied whole — ids and every column as they are
//     (times are integer ms and money integer yen on both engines) — in an order the
//     foreign keys accept, from one consistent snapshot of the source, in one
//     transaction on the destination (ToLocal: a temporary file, renamed at the end);
//   - derived data is never copied but made on the destination: sales_days (kept by
//     triggers on both engines) once from the copied payments, its row triggers paused
//     meanwhile (salesTriggers); SQLite's search index (FTS5, kept by the code that
//     saves orders) from the orders' folded columns; PostgreSQL's search index of short
//     names (order_short_grams, kept by triggers) and trigram indexes by the server itself;
//   - afterwards every table is counted on both sides (and the sales summary summed),
//     and any difference undoes the whole move.
//
// The tables and columns are read from the two schemas, not listed here: a table a
// later migration adds is copied without a change to this package, and a column one
// engine has and the other lacks stops the move unless serverOnlyColumns says why.
package dbmove

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"kessaidesk/backend"
)

// Progress is how far a move is: Done of Total rows of Table.
type Progress struct {
	Table       string
	Done, Total int64
}

// Report is what a move copied, table by table, in the order copied.
type Report struct {
	Tables []TableCount
}

// TableCount is one table of a move.
type TableCount struct {
	Table  string
	Source int64 // rows at the source
	Kept   int64 // rows that stay behind by design (this desktop's own settings: LocalSettings)
	Copied int64 // rows at the destination after the move: Source - Kept
	// Derived: made at the destination from the copied rows (sales_days), not copied;
	// Source and Copied are then both sides' own rows, equal when the move is right.
	Derived bool
}

// Total is the number of rows copied.
func (r *Report) Total() int64 {
	var n int64
	for _, t := range r.Tables {
		if !t.Derived {
			n += t.Copied
		}
	}
	return n
}

// LocalSettings are the settings keys that belong to one desktop, not to the shop:
// they never travel with a move, either way (and a destination that holds only these
// is still empty). While the orders are on a server, backend/system keeps them in the
// data folder (desktop-settings.json) and reads this list for it.
//   - operator (app.SettingOperator): who works at this desktop, named on every
//     journal entry it writes — each PC its own operator.
//   - language (app.SettingLanguage), window (app.SettingWindow): this desktop's
//     window language, size and place.
//   - log.level (logging.SettingLevel): the log file in this folder.
//   - backup.auto, backup.keep (system.SettingBackupAuto/Keep): the daily backups of
//     the folder's SQLite file (a server is backed up on the server).
//
// vault.scope and vault.legacy do travel: they name the keychain entries of the
// shop's gateway profiles, which travel too — the desktop that moves finds its
// secrets under the same names, and another desktop enters them into its own
// keychain under those names. demo.state travels with the shop it describes.
var LocalSettings = []string{"operator", "language", "window", "log.level", "backup.auto", "backup.keep"}

// notCopied are the tables no move copies: each database's own record of its
// migrations (compared, not copied); sales_days, the sales summary that triggers
// keep on both engines (migration 0011): it is made at the destination from the
// copied payments, and copying it too would count every sale twice; and
// order_short_grams, PostgreSQL's index of short names and kana (migration 0022),
// which the server's triggers fill from the orders as they are copied (a COPY is one
// statement: one insert of every order's grams) — SQLite has no such table.
var notCopied = []string{"schema_migrations", "sales_days", "order_short_grams"}

// salesTriggers are the row triggers that add a new payment or order to sales_days
// (migration 0011 and its twin). Filling a new database, they run a query of
// payment_sales for every row: the largest part of a move's time on the server, and
// a third of the payments' on SQLite. A move pauses them while it copies (server.go,
// local.go) and makes the summary once with makeSalesDays.
var salesTriggers = [][2]string{{"payments", "payments_sales_insert"}, {"orders", "orders_sales_insert"}}

// makeSalesDays makes sales_days from the payments, as migration 0011 made it from an
// existing database's (the same statement on both engines).
const makeSalesDays = `INSERT INTO sales_days (basis, day, profile_id, method, sold, gross, refunded)
	SELECT basis, day, profile_id, method, count(*), sum(gross), sum(refunded) FROM payment_sales GROUP BY 1, 2, 3, 4`

// serverOnlyColumns are the columns PostgreSQL has and SQLite has not, and why a copy
// to SQLite leaves them behind (a copy to the server fills their defaults). Any other
// column one engine lacks stops the move: it would lose data.
var serverOnlyColumns = map[string]string{
	// A desktop's claim on an operation it is sending or resolving (pgstore,
	// operations.go): meaningless off the server, and nobody holds one after a move.
	"operations.claimed_by":  "claim",
	"operations.lease_until": "claim",
}

// table is one table to copy.
type table struct {
	name     string
	cols     []string // the columns copied, in SQLite's order
	key      []string // the primary key: rows are read in its order
	identity string   // PostgreSQL's identity column, whose sequence is set after the copy
	where    string   // the rows copied ("" = all): settings leave LocalSettings behind
}

// quote quotes an identifier for either engine. The names come from the schemas.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

// selectSQL reads the table's copied rows in key order.
func (t *table) selectSQL() string {
	q := "SELECT " + quoteAll(t.cols) + " FROM " + quote(t.name)
	if t.where != "" {
		q += " WHERE " + t.where
	}
	return q + " ORDER BY " + quoteAll(t.key)
}

// countSQL counts the table's copied rows.
func (t *table) countSQL() string {
	q := "SELECT count(*) FROM " + quote(t.name)
	if t.where != "" {
		q += " WHERE " + t.where
	}
	return q
}

// localSettingsWhere selects the settings that travel.
func localSettingsWhere() string {
	q := make([]string, len(LocalSettings))
	for i, k := range LocalSettings {
		q[i] = "'" + strings.ReplaceAll(k, "'", "''") + "'"
	}
	return quote("key") + " NOT IN (" + strings.Join(q, ", ") + ")"
}

// querier runs a query and returns its rows; the two engines' transactions (database/sql
// and pgx) behind one shape for the schema reads and counts.
type querier func(ctx context.Context, q string, args ...any) ([][]any, error)

type sqlQueryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func sqlQuerier(db sqlQueryer) querier {
	return func(ctx context.Context, q string, args ...any) ([][]any, error) {
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		var out [][]any
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return nil, err
			}
			out = append(out, vals)
		}
		return out, rows.Err()
	}
}

func pgxQuerier(tx pgx.Tx) querier {
	return func(ctx context.Context, q string, args ...any) ([][]any, error) {
		rows, err := tx.Query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out [][]any
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				return nil, err
			}
			out = append(out, vals)
		}
		return out, rows.Err()
	}
}

// one returns the single integer a query answers (a count).
func (q querier) one(ctx context.Context, sql string, args ...any) (int64, error) {
	rows, err := q(ctx, sql, args...)
	if err != nil {
		return 0, err
	}
	if len(rows) != 1 || len(rows[0]) != 1 {
		return 0, fmt.Errorf("%s: %d rows", sql, len(rows))
	}
	return integer(rows[0][0]), nil
}

// strings returns the first column of a query's rows as text.
func (q querier) strings(ctx context.Context, sql string, args ...any) ([]string, error) {
	rows, err := q(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = text(r[0])
	}
	return out, nil
}

func integer(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int32:
		return int64(n)
	case int16:
		return int64(n)
	case int:
		return int64(n)
	case bool:
		if n {
			return 1
		}
	}
	return 0
}

func text(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// makePlan reads both schemas — lite is the SQLite side, pg the PostgreSQL side, in
// the move's transactions — checks that they are the same version and shape, and
// returns the tables to copy in an order the foreign keys accept.
func makePlan(ctx context.Context, lite, pg querier) ([]table, error) {
	if err := sameVersion(ctx, lite, pg); err != nil {
		return nil, err
	}
	liteNames, err := lite.strings(ctx, `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		return nil, fmt.Errorf("SQLite tables: %w", err)
	}
	pgNames, err := pg.strings(ctx, `SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL tables: %w", err)
	}
	copied := func(names []string) []string {
		names = slices.DeleteFunc(names, func(n string) bool { return slices.Contains(notCopied, n) })
		slices.Sort(names)
		return names
	}
	liteNames, pgNames = copied(liteNames), copied(pgNames)
	for _, n := range liteNames {
		if !slices.Contains(pgNames, n) {
			return nil, schemaDiffers("table " + n + " only in SQLite")
		}
	}
	for _, n := range pgNames {
		if !slices.Contains(liteNames, n) {
			return nil, schemaDiffers("table " + n + " only in PostgreSQL")
		}
	}
	tables := map[string]table{}
	refs := map[string][]string{} // table → the tables its foreign keys name
	for _, n := range liteNames {
		t := table{name: n}
		cols, err := lite(ctx, `SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, n)
		if err != nil {
			return nil, fmt.Errorf("SQLite columns of %s: %w", n, err)
		}
		type keyCol struct {
			name string
			pos  int64
		}
		var key []keyCol
		for _, c := range cols {
			t.cols = append(t.cols, text(c[0]))
			if p := integer(c[1]); p > 0 {
				key = append(key, keyCol{text(c[0]), p})
			}
		}
		slices.SortFunc(key, func(a, b keyCol) int { return int(a.pos - b.pos) })
		for _, k := range key {
			t.key = append(t.key, k.name)
		}
		if len(t.key) == 0 {
			t.key = t.cols // no primary key: the whole row orders it
		}
		pgCols, err := pg(ctx, `SELECT column_name::text, is_generated::text, is_identity::text FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1`, n)
		if err != nil {
			return nil, fmt.Errorf("PostgreSQL columns of %s: %w", n, err)
		}
		var onServer []string
		for _, c := range pgCols {
			name := text(c[0])
			if text(c[1]) == "ALWAYS" {
				continue // generated: the server computes it
			}
			if text(c[2]) == "YES" {
				t.identity = name
			}
			onServer = append(onServer, name)
			if !slices.Contains(t.cols, name) && serverOnlyColumns[n+"."+name] == "" {
				return nil, schemaDiffers("column " + n + "." + name + " only in PostgreSQL")
			}
		}
		for _, c := range t.cols {
			if !slices.Contains(onServer, c) {
				return nil, schemaDiffers("column " + n + "." + c + " only in SQLite")
			}
		}
		if n == "settings" {
			t.where = localSettingsWhere()
		}
		fks, err := lite.strings(ctx, `SELECT "table" FROM pragma_foreign_key_list(?)`, n)
		if err != nil {
			return nil, fmt.Errorf("SQLite foreign keys of %s: %w", n, err)
		}
		refs[n] = fks
		tables[n] = t
	}
	// Kahn's order: a table after every table it refers to; by name among equals, so
	// every move copies in the same order.
	var order []table
	done := map[string]bool{}
	for len(order) < len(liteNames) {
		progressed := false
		for _, n := range liteNames {
			if done[n] || slices.ContainsFunc(refs[n], func(r string) bool { return r != n && !done[r] }) {
				continue
			}
			done[n] = true
			order = append(order, tables[n])
			progressed = true
		}
		if !progressed {
			return nil, schemaDiffers("foreign keys in a cycle")
		}
	}
	return order, nil
}

// sameVersion refuses two databases whose migrations differ: a desktop with an older
// or newer Kessai Desk made one of them.
func sameVersion(ctx context.Context, lite, pg querier) error {
	l, err := lite.strings(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("SQLite schema_migrations: %w", err)
	}
	p, err := pg.strings(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("PostgreSQL schema_migrations: %w", err)
	}
	// pgstore records names as SQLite does ("0001_init.sql"); an early server may not have.
	for i, n := range p {
		if !strings.HasSuffix(n, ".sql") {
			p[i] = n + ".sql"
		}
	}
	slices.Sort(l)
	slices.Sort(p)
	if slices.Equal(l, p) {
		return nil
	}
	latest := func(names []string) string {
		if len(names) == 0 {
			return "-"
		}
		return strings.TrimSuffix(names[len(names)-1], ".sql")
	}
	return backend.Errorf(backend.ECONFLICT,
		"このPCのデータベースと共有データベースのバージョンが違います（このPC: %s、共有データベース: %s）。何も変更していません。"+
			"すべてのPCの決済デスクを同じ最新版に更新し、それぞれ一度起動してから、もう一度お試しください",
		"this PC's database and the shared database are at different versions (this PC: %s, shared database: %s); nothing was changed. "+
			"Update Kessai Desk on every desktop to the same latest version, start each once, then try again",
		latest(l), latest(p))
}

// schemaDiffers is a pair of migrations that made different tables: a bug of this
// version, found before anything was written.
func schemaDiffers(what string) error {
	return backend.Errorf(backend.EINTERNAL,
		"このPCのデータベースと共有データベースの表の形が一致しません（%s）。何も変更していません。サポートにお問い合わせください",
		"this PC's database and the shared database have different tables (%s); nothing was changed. Please contact support",
		what)
}

// notEmpty refuses a destination that already holds shop data.
func notEmpty(tables []string, server bool) error {
	list := strings.Join(tables, ", ")
	if server {
		return backend.Errorf(backend.ECONFLICT,
			"共有データベースにはすでに決済デスクのデータがあります（%s）。何も変更していません。"+
				"空のデータベースを指定するか、このPCのデータを移さずに共有データベースへ接続してください",
			"the shared database already holds Kessai Desk data (%s); nothing was changed. "+
				"Choose an empty database, or connect to the shared database without moving this PC's data",
			list)
	}
	return backend.Errorf(backend.ECONFLICT,
		"コピー先のデータベースにはすでにデータがあります（%s）。何も変更していません",
		"the destination database already holds data (%s); nothing was changed", list)
}

// countsDiffer undoes a move whose destination does not hold what the source held.
func countsDiffer(table string, source, copied int64) error {
	return backend.Errorf(backend.EINTERNAL,
		"コピーの件数が一致しません（%s: 元 %d件、コピー先 %d件）。移動を取り消しました。何も変更していません",
		"the copy's counts differ (%s: %d rows at the source, %d at the destination); the move was undone and nothing was changed",
		table, source, copied)
}

// sourceCounts counts the rows of every table at the source (in its snapshot): the
// progress's totals, and what the destination must hold after.
func sourceCounts(ctx context.Context, src querier, tables []table) ([]TableCount, error) {
	out := make([]TableCount, len(tables))
	for i, t := range tables {
		all, err := src.one(ctx, "SELECT count(*) FROM "+quote(t.name))
		if err != nil {
			return nil, err
		}
		copied, err := src.one(ctx, t.countSQL())
		if err != nil {
			return nil, err
		}
		out[i] = TableCount{Table: t.name, Source: all, Kept: all - copied}
	}
	return out, nil
}

// checkEmpty lists the destination's tables that hold data.
func checkEmpty(ctx context.Context, dst querier, tables []table) ([]string, error) {
	var full []string
	check := func(name, q string) error {
		n, err := dst.one(ctx, "SELECT count(*) FROM ("+q+" LIMIT 1) AS t")
		if n > 0 {
			full = append(full, name)
		}
		return err
	}
	for _, t := range tables {
		q := "SELECT 1 FROM " + quote(t.name)
		if t.where != "" {
			q += " WHERE " + t.where
		}
		if err := check(t.name, q); err != nil {
			return nil, err
		}
	}
	// The summary too: filled where its payments are not, it would count twice.
	if err := check("sales_days", `SELECT 1 FROM sales_days`); err != nil {
		return nil, err
	}
	return full, nil
}

// verify counts every copied table at the destination against the source's counts,
// and compares the sales summary the destination's triggers made with the source's.
func verify(ctx context.Context, src, dst querier, tables []table, counts []TableCount, written []int64) ([]TableCount, error) {
	for i, t := range tables {
		n, err := dst.one(ctx, t.countSQL())
		if err != nil {
			return nil, err
		}
		counts[i].Copied = n
		want := counts[i].Source - counts[i].Kept
		if n != want || written[i] != want {
			return nil, countsDiffer(t.name, want, min(n, written[i]))
		}
	}
	// (CAST: PostgreSQL's sum of bigint is numeric.)
	const summary = `SELECT count(*), CAST(coalesce(sum(sold), 0) AS BIGINT), CAST(coalesce(sum(gross), 0) AS BIGINT),
		CAST(coalesce(sum(refunded), 0) AS BIGINT) FROM sales_days`
	s, err := src(ctx, summary)
	if err != nil {
		return nil, err
	}
	d, err := dst(ctx, summary)
	if err != nil {
		return nil, err
	}
	for i, what := range []string{"sales_days", "sales_days.sold", "sales_days.gross", "sales_days.refunded"} {
		if a, b := integer(s[0][i]), integer(d[0][i]); a != b {
			return nil, countsDiffer(what, a, b)
		}
	}
	n := integer(s[0][0])
	return append(counts, TableCount{Table: "sales_days", Source: n, Copied: n, Derived: true}), nil
}

// ticker reports a table's progress: at its start, every so many rows, and at its last
// row.
type ticker struct {
	progress func(Progress)
	table    string
	total    int64
}

const tickEvery = 10000

func (t *ticker) tick(done int64) {
	if t.progress != nil && (done%tickEvery == 0 || done == t.total) {
		t.progress(Progress{Table: t.table, Done: done, Total: t.total})
	}
}
