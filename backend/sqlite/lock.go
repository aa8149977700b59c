package sqlite

import (
	"context"
	"database/sql"
	"errors"

	sqlite3 "github.com/mattn/go-sqlite3"

	"kessaidesk/backend"
)

// Lock is an exclusive hold on a data folder: one Kessai Desk process (the window or
// a command) at a time, so two engines never resolve each other's requests in flight
// and two demo sandboxes never write the same state. It is an SQLite exclusive
// transaction on a file of its own: SQLite's file locking works alike on Windows,
// macOS and Linux, and the OS releases it when the process dies, even by SIGKILL.
type Lock struct {
	db   *sql.DB
	conn *sql.Conn
	tx   *sql.Tx
}

// AcquireLock takes the lock file at path without waiting; held by another process
// (or another Lock in this one), it is an EBUSY error saying so in Japanese.
func AcquireLock(path string) (*Lock, error) {
	db, err := sql.Open("sqlite3", fileURI(path)+"?_busy_timeout=0&_txlock=exclusive&_journal_mode=DELETE")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, lockError(err)
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
		return nil, lockError(err)
	}
	return &Lock{db: db, conn: conn, tx: tx}, nil
}

func lockError(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
		return &backend.Error{Code: backend.EBUSY, Class: backend.ClassNotSent, Err: err,
			Message:   "決済デスクがこのデータフォルダで既に動いています（開いているウィンドウか、実行中のコマンド）。終わってからもう一度実行してください",
			MessageEn: "Kessai Desk is already running on this data folder (an open window or a running command); try again when it has finished"}
	}
	return backend.Errorf(backend.EINTERNAL, "データフォルダのロックを取得できません: %v", "cannot lock the data folder: %v", err)
}

// Release gives the folder back.
func (l *Lock) Release() error {
	if l == nil || l.db == nil {
		return nil
	}
	l.tx.Rollback()
	l.conn.Close()
	err := l.db.Close()
	l.db = nil
	return err
}
