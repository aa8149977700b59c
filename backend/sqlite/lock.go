package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"

	sqlite3 "github.com/mattn/go-sqlite3"

	"kessaidesk/backend"
)

// Lock is an exclusive hold on a data folder: one Kessai Desk process (the window or
// a command) at a time, so two engines never resolve each other's requests in flight
// and two demo sandboxes never write the same state. It is an SQLite exclusive
// transaction on a file of its own: SQLite's file locking works alike on Windows,
// macOS and Linux, and the OS releases it when the process dies, even by SIGKILL.
type Lock struct {
	folder func() error // holdFolder's release
	db     *sql.DB
	conn   *sql.Conn
	tx     *sql.Tx
}

// AcquireLock takes the lock file at path without waiting; held by another process
// (or another Lock in this one), it is an EBUSY error saying so in Japanese.
func AcquireLock(path string) (*Lock, error) {
	folder, busy, err := holdFolder(filepath.Dir(path))
	if busy {
		return nil, busyError(err)
	}
	if err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "データフォルダのロックを取得できません（%s）: %v", "cannot lock the data folder (%s): %v", filepath.Dir(path), err)
	}
	l, err := lockFile(path)
	if err != nil {
		folder()
		return nil, err
	}
	l.folder = folder
	return l, nil
}

func lockFile(path string) (*Lock, error) {
	db, err := sql.Open("sqlite3", fileURI(path)+"?_busy_timeout=0&_txlock=exclusive&_journal_mode=DELETE")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, lockError(path, err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err == nil {
		// Writing makes sure the exclusive lock is really taken on every platform.
		_, err = tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS holder (pid INTEGER)`)
	}
	if err != nil {
		if tx != nil {
			tx.Rollback()
		}
		conn.Close()
		db.Close()
		return nil, lockError(path, err)
	}
	return &Lock{db: db, conn: conn, tx: tx}, nil
}

func lockError(path string, err error) error {
	var se sqlite3.Error
	errors.As(err, &se)
	switch {
	case se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked:
		return busyError(err)
	case se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrPerm:
		return backend.Errorf(backend.EINTERNAL, "データフォルダ %s に書き込めません（読み取り専用か、書き込む権限がありません）。フォルダの権限を確認するか、書き込めるフォルダを -data で指定してください",
			"the data folder %s cannot be written (read-only, or no permission); check its permissions or choose another folder with -data", filepath.Dir(path))
	}
	if st, serr := os.Stat(path); serr == nil && st.IsDir() {
		return backend.Errorf(backend.EINTERNAL, "ロックファイル %s の場所にフォルダがあります。決済デスクを終了してから、このフォルダを削除してください（受注のデータには影響しません）",
			"there is a folder where the lock file %s belongs; with Kessai Desk closed, delete it (the shop's data is not affected)", path)
	}
	if se.Code == sqlite3.ErrNotADB || se.Code == sqlite3.ErrCorrupt {
		return backend.Errorf(backend.EINTERNAL, "ロックファイル %s が壊れています。決済デスクを終了してから、このファイルを削除してください（受注のデータには影響しません）",
			"the lock file %s is damaged; with Kessai Desk closed, delete it (the shop's data is not affected)", path)
	}
	return backend.Errorf(backend.EINTERNAL, "データフォルダのロックを取得できません（%s）: %v", "cannot lock the data folder (%s): %v", path, err)
}

func busyError(err error) error {
	return &backend.Error{Code: backend.EBUSY, Class: backend.ClassNotSent, Err: err,
		Message:   "決済デスクがこのデータフォルダで既に動いています（開いているウィンドウか、実行中のコマンド）。終わってからもう一度実行してください",
		MessageEn: "Kessai Desk is already running on this data folder (an open window or a running command); try again when it has finished"}
}

// Release gives the folder back.
func (l *Lock) Release() error {
	if l == nil || l.db == nil {
		return nil
	}
	l.tx.Rollback()
	l.conn.Close()
	err := errors.Join(l.db.Close(), l.folder())
	l.db = nil
	return err
}
