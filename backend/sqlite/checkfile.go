package sqlite

import (
	"bytes"
	"database/sql"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"kessaidesk/backend"
)

// FileInfo describes a Kessai Desk database file found fit to restore.
type FileInfo struct {
	Migration string    // the newest schema migration it has, e.g. "0009_reports"
	Orders    int       // orders in it
	Payments  int       // payments in it
	LastOrder time.Time // the newest order's 注文日 (zero: no orders)
}

// KnownMigrations lists this version's schema migrations, oldest first.
func KnownMigrations() []string {
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.TrimSuffix(filepath.Base(n), ".sql")
	}
	return out
}

func refused(path, ja, en string, args ...any) error {
	e := backend.Errorf(backend.EINVALID, "「%s」は復元に使えません: "+ja+"。何も変更していません",
		"%s cannot be restored: "+en+"; nothing was changed", append([]any{filepath.Base(path)}, args...)...)
	e.Class = backend.ClassPermanent
	return e
}

// CheckFile reads a database file without changing it and tells whether it can
// replace the shop's database: an SQLite file that passes integrity_check, holds Kessai
// Desk's tables, and was written by this version or an older one.
func CheckFile(path string) (*FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, refused(path, "ファイルを開けません（%v）", "the file cannot be opened (%v)", err)
	}
	head := make([]byte, 16)
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return nil, refused(path, "決済デスクのデータベース（SQLite）ではありません", "it is not a Kessai Desk (SQLite) database")
	}
	db, err := sql.Open("sqlite3", fileURI(path)+"?mode=ro&_query_only=1")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	damagedFile := func(why string) error {
		return refused(path, "ファイルが壊れています（%s）。別のバックアップを選んでください", "the file is damaged (%s); choose another backup", why)
	}
	rows, err := db.Query(`PRAGMA integrity_check(20)`)
	if err != nil {
		return nil, damagedFile(err.Error())
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, damagedFile(err.Error())
		}
		problems = append(problems, s)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, damagedFile(err.Error())
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return nil, damagedFile(strings.Join(problems[:min(len(problems), 3)], "; "))
	}
	var tables int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table'
		AND name IN ('schema_migrations', 'orders', 'payments', 'operations', 'gateway_profiles', 'settings')`).Scan(&tables); err != nil {
		return nil, damagedFile(err.Error())
	}
	if tables != 6 {
		return nil, refused(path, "決済デスクのデータベースではありません（受注・決済の表がありません）", "it is not a Kessai Desk database (no orders and payments tables)")
	}
	known := map[string]bool{}
	for _, m := range KnownMigrations() {
		known[m] = true
	}
	info := &FileInfo{}
	mrows, err := db.Query(`SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, damagedFile(err.Error())
	}
	defer mrows.Close()
	for mrows.Next() {
		var n string
		if err := mrows.Scan(&n); err != nil {
			return nil, damagedFile(err.Error())
		}
		n = strings.TrimSuffix(n, ".sql")
		if !known[n] {
			return nil, refused(path, "新しいバージョンの決済デスクで作られたデータベースです（移行 %s）。最新版の決済デスクをインストールしてから復元してください",
				"it was written by a newer Kessai Desk (migration %s); install the latest version first", n)
		}
		info.Migration = n
	}
	if info.Migration == "" {
		return nil, refused(path, "決済デスクのデータベースではありません（版の記録がありません）", "it is not a Kessai Desk database (no schema version)")
	}
	var last int64
	if err := db.QueryRow(`SELECT count(*), COALESCE(max(ordered_at), 0) FROM orders`).Scan(&info.Orders, &last); err != nil {
		return nil, damagedFile(err.Error())
	}
	if err := db.QueryRow(`SELECT count(*) FROM payments`).Scan(&info.Payments); err != nil {
		return nil, damagedFile(err.Error())
	}
	info.LastOrder = fromMS(last)
	return info, nil
}

// VacuumInto writes a compact, consistent copy of the database file at src (its WAL's
// changes included) to dst, which must not exist.
func VacuumInto(src, dst string) error {
	c, err := sql.Open("sqlite3", fileURI(src))
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err = c.Exec(`VACUUM INTO ?`, dst); err != nil {
		os.Remove(dst)
	}
	return err
}
