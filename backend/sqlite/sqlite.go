// Package sqlite is the Store on SQLite (mattn/go-sqlite3): embedded versioned
// migrations, WAL and pragmas in the DSN, one writer connection and a pool of readers.
// The statements SQLite shares with PostgreSQL are backend/sqlstore's; this package
// holds what only SQLite has (FTS5 search and the export that reads through it, the
// import writer, the folder lock, backups) and its dialect.
package sqlite

import (
	"container/list"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is the Store. It is safe for concurrent use: writes are serialised on one
// connection (SQLite has one writer anyway), reads use a pool.
type DB struct {
	// The statements both stores share (backend/sqlstore), on read and write.
	sqlstore.Core
	Path  string
	write *sql.DB
	read  *sql.DB
	// stmts are the search's statements prepared on read (its generated SQL).
	stmts *stmtCache
	// Now is the clock for updated_at and event times; tests replace it.
	Now  func() time.Time
	opts Options
}

// Options change how a database is opened.
type Options struct {
	// MigrationBackup is where the copy made before a schema upgrade goes, given the
	// first pending migration's name; nil = beside the database, path + ".bak-<migration>".
	MigrationBackup func(migration string) (string, error)
	// MigrateBefore stops the upgrade before this migration ("0009_reports"): tests
	// make a database of an older version with it. "" = every migration.
	MigrateBefore string
	// ReadOnly opens the database for reading only (after any pending migration): every
	// write fails. The offline copy of a shared database is opened so: nothing done on
	// it could reach the team.
	ReadOnly bool
}

var _ backend.Store = (*DB)(nil)

// dsn builds the connection string. Pragmas must be in the DSN: go-sqlite3 applies
// them on every new pooled connection, while Exec("PRAGMA…") reaches only one.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	// database/sql hands a connection to one goroutine at a time, so SQLite need not
	// lock it around every call (SQLITE_OPEN_NOMUTEX; an import binds and steps
	// hundreds of thousands of times). go-sqlite3 only interrupts from elsewhere,
	// which SQLite allows.
	q.Set("_mutex", "no")
	if readOnly {
		q.Set("_query_only", "1")
	} else {
		q.Set("_txlock", "immediate")
	}
	return fileURI(path) + "?" + q.Encode()
}

// fileURI is the SQLite URI of a file: "?", "#" and "%" in a folder name would
// otherwise end the file name (and put the database somewhere else), so the path is
// percent-encoded as SQLite decodes it.
func fileURI(path string) string {
	return "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()
}

// Open opens (creating if needed) the database at path and applies pending migrations.
// Before upgrading an existing database it copies it to path + ".bak-<migration>".
func Open(path string) (*DB, error) { return OpenWith(path, Options{}) }

// OpenWith is Open with options.
func OpenWith(path string, opts Options) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "データフォルダを作成できません: %v", "cannot create the data folder: %v", err)
	}
	// An existing database file of zero bytes is not a new database: SQLite would
	// quietly start an empty one over it. It is damage; it is never replaced unasked.
	if st, err := os.Stat(path); err == nil && st.Size() == 0 {
		return nil, damaged(path, "0バイトの空のファイルです", "it is an empty file of 0 bytes")
	}
	w, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	db := &DB{Path: path, write: w, Now: time.Now, opts: opts}
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, damaged(path, err.Error(), err.Error())
	}
	if err := db.migrate(); err != nil {
		w.Close()
		if errors.Is(err, sqlite3.ErrNotADB) || errors.Is(err, sqlite3.ErrCorrupt) {
			return nil, damaged(path, err.Error(), err.Error())
		}
		return nil, err
	}
	if opts.ReadOnly {
		w.Close()
		if w, err = sql.Open("sqlite3", dsn(path, true)); err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1)
		db.write = w
	}
	r, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	db.read = r
	db.stmts = newStmtCache(r, stmtCacheSize)
	db.Core = sqlstore.NewCore(r, w, &dialect, func() time.Time { return db.Now() })
	return db, nil
}

// damaged says the database cannot be used as it is, changes nothing, and points to
// what can bring the shop's data back.
func damaged(path, why, whyEn string) error {
	dir := filepath.Dir(path)
	return &backend.Error{Code: backend.EINTERNAL, Class: backend.ClassPermanent,
		Message: fmt.Sprintf("データベース %s を開けません（%s）。壊れている可能性があるため、何も変更せずに止めました。"+
			"同じフォルダの backups フォルダにあるバックアップ、または %s.bak-* のコピーから復元してください"+
			"（決済デスクを閉じてから、壊れたファイルを別の名前に変え、バックアップを %s という名前でコピーします）", path, why, filepath.Base(path), filepath.Base(path)),
		MessageEn: fmt.Sprintf("the database %s cannot be opened (%s); nothing was changed. Restore it from a backup in %s or from %s.bak-*",
			path, whyEn, filepath.Join(dir, "backups"), filepath.Base(path))}
}

// Close closes both handles.
func (db *DB) Close() error {
	var errs []error
	// Let SQLite refresh its planner statistics where they have drifted (cheap).
	db.write.Exec(`PRAGMA optimize`)
	if db.read != nil {
		db.stmts.close()
		errs = append(errs, db.read.Close())
	}
	errs = append(errs, db.write.Close())
	return errors.Join(errs...)
}

func (db *DB) migrate() error {
	if _, err := db.write.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("schema_migrations: %w", err)
	}
	applied := map[string]bool{}
	rows, err := db.write.Query(`SELECT name FROM schema_migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		applied[n] = true
	}
	rows.Close()

	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	known := map[string]bool{}
	for _, n := range names {
		known[filepath.Base(n)] = true
	}
	for n := range applied {
		if !known[n] {
			// Written by a newer Kessai Desk: this version would misread it or undo it.
			return backend.Errorf(backend.EINTERNAL, "このデータベースは新しいバージョンの決済デスクで更新されています（移行 %s）。このバージョンでは開けないため、何も変更していません。最新版の決済デスクをインストールしてください",
				"this database was upgraded by a newer Kessai Desk (migration %s); nothing was changed. Install the latest version", strings.TrimSuffix(n, ".sql"))
		}
	}
	backedUp := len(applied) == 0 // a new database needs no backup
	for _, name := range names {
		base := filepath.Base(name)
		if applied[base] {
			continue
		}
		if db.opts.MigrateBefore != "" && strings.TrimSuffix(base, ".sql") >= db.opts.MigrateBefore {
			break
		}
		if !backedUp {
			bak := db.Path + ".bak-" + strings.TrimSuffix(base, ".sql")
			if db.opts.MigrationBackup != nil {
				if bak, err = db.opts.MigrationBackup(strings.TrimSuffix(base, ".sql")); err != nil {
					return fmt.Errorf("backup before migration %s: %w", base, err)
				}
			}
			os.Remove(bak)
			if _, err := db.write.Exec(`VACUUM INTO ?`, bak); err != nil {
				return fmt.Errorf("backup before migration %s: %w", base, err)
			}
			backedUp = true
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := db.write.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(string(body)); err != nil {
			tx.Rollback()
			if strings.Contains(err.Error(), "no such module: fts5") {
				return fmt.Errorf("migration %s: this program was built without SQLite's FTS5: build it with -tags sqlite_fts5 (see the Makefile): %w", base, err)
			}
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if _, err := tx.Exec(`INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)`, base, db.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Backup writes a consistent copy of the live database to dest with SQLite's online
// backup API, from a reader connection, while the app keeps working.
func (db *DB) Backup(ctx context.Context, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return backend.Errorf(backend.EINVALID, "バックアップ先にファイルが既にあります: %s", "the backup file already exists: %s", dest)
	}
	fail := func(err error) error {
		os.Remove(dest)
		return backend.Errorf(backend.EINTERNAL, "バックアップに失敗しました: %v", "backup failed: %v", err)
	}
	out, err := sql.Open("sqlite3", fileURI(dest))
	if err != nil {
		return fail(err)
	}
	defer out.Close()
	dst, err := out.Conn(ctx)
	if err != nil {
		return fail(err)
	}
	defer dst.Close()
	src, err := db.read.Conn(ctx)
	if err != nil {
		return fail(err)
	}
	defer src.Close()
	err = dst.Raw(func(d any) error {
		return src.Raw(func(s any) error {
			bk, err := d.(*sqlite3.SQLiteConn).Backup("main", s.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			if _, err := bk.Step(-1); err != nil {
				bk.Finish()
				return err
			}
			return bk.Finish()
		})
	})
	if err != nil {
		return fail(err)
	}
	return nil
}

// dialect is what SQLite's statements differ in from PostgreSQL's (backend/sqlstore).
var dialect = sqlstore.Dialect{
	UniqueViolation:     isUniqueViolation,
	ForeignKeyViolation: isForeignKeyViolation,
	JSTMonth: func(col string) string {
		return "strftime('%Y-%m', " + col + " / 1000, 'unixepoch', '+9 hours')"
	},
	InsertBulkItems:  insertBulkItems,
	BeforeDeleteDemo: deleteDemoSearchRows,
	PlanHints:        true,
}

// ms converts a time to stored Unix milliseconds; the zero time is 0.
func ms(t time.Time) int64 { return sqlstore.MS(t) }

// fromMS converts stored milliseconds back; 0 is the zero time.
func fromMS(v int64) time.Time { return sqlstore.FromMS(v) }

func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

func boolInt(b bool) int { return sqlstore.BoolInt(b) }

// stmtCacheSize is how many of the search's statements stay prepared: its SQL
// differs with the filter's shape (which conditions, how many values), not with the
// values, which are always parameters.
const stmtCacheSize = 64

// stmtCache keeps the statements last used on a pool prepared, by their SQL text: a
// search runs several generated statements (its plan's counts, the count, the page),
// and SQLite's planning of each costs more than running many of them (1,000,000
// orders: ~1.5 ms a search). database/sql prepares a Stmt again on each connection of
// the pool that runs it. Safe for concurrent use: a statement evicted while a query is
// starting on it is closed when that query has started (a started query keeps what it
// needs until its rows are closed).
type stmtCache struct {
	pool *sql.DB
	max  int
	mu   sync.Mutex
	byQ  map[string]*list.Element // of *cachedStmt
	lru  list.List                // most recently used first
}

type cachedStmt struct {
	q       string
	stmt    *sql.Stmt
	users   int  // queries starting on it
	evicted bool // out of the cache: closed when users drops to 0
}

func newStmtCache(pool *sql.DB, max int) *stmtCache {
	return &stmtCache{pool: pool, max: max, byQ: map[string]*list.Element{}}
}

// get returns the prepared statement of q and the release to call once the query on
// it has started; nil when q cannot be prepared (the caller runs it unprepared, which
// reports why).
func (c *stmtCache) get(ctx context.Context, q string) (*sql.Stmt, func()) {
	c.mu.Lock()
	if e, ok := c.byQ[q]; ok {
		c.lru.MoveToFront(e)
		cs := e.Value.(*cachedStmt)
		cs.users++
		c.mu.Unlock()
		return cs.stmt, func() { c.release(cs) }
	}
	c.mu.Unlock()
	stmt, err := c.pool.PrepareContext(ctx, q)
	if err != nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byQ[q]; ok { // prepared meanwhile by another search
		stmt.Close()
		c.lru.MoveToFront(e)
		cs := e.Value.(*cachedStmt)
		cs.users++
		return cs.stmt, func() { c.release(cs) }
	}
	cs := &cachedStmt{q: q, stmt: stmt, users: 1}
	c.byQ[q] = c.lru.PushFront(cs)
	for c.lru.Len() > c.max {
		old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
		delete(c.byQ, old.q)
		old.evicted = true
		if old.users == 0 {
			old.stmt.Close()
		}
	}
	return stmt, func() { c.release(cs) }
}

func (c *stmtCache) release(cs *cachedStmt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cs.users--
	if cs.evicted && cs.users == 0 {
		cs.stmt.Close()
	}
}

// close closes every statement (before the pool).
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).stmt.Close()
	}
	c.byQ, c.lru = map[string]*list.Element{}, list.List{}
}

// searchRow runs a search statement returning one row on the read pool, prepared once.
func (db *DB) searchRow(ctx context.Context, q string, args ...any) *sql.Row {
	stmt, release := db.stmts.get(ctx, q)
	if stmt == nil {
		return db.read.QueryRowContext(ctx, q, args...)
	}
	defer release()
	return stmt.QueryRowContext(ctx, args...)
}

// searchRows is searchRow for a statement returning rows.
func (db *DB) searchRows(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	stmt, release := db.stmts.get(ctx, q)
	if stmt == nil {
		return db.read.QueryContext(ctx, q, args...)
	}
	defer release()
	return stmt.QueryContext(ctx, args...)
}
