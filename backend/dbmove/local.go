package dbmove

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"kessaidesk/backend"
	"kessaidesk/backend/pgstore"
	"kessaidesk/backend/sqlite"
)

// ToLocal copies the shared server's database src to a new SQLite file at dstPath —
// to move the shop back to one PC, or as the read-only copy a desktop works with while
// the server cannot be reached. The server is read from one snapshot and not changed.
// The file is written under a temporary name beside dstPath and renamed when complete
// and checked, so dstPath is either the whole copy or absent; an existing dstPath is
// refused, never replaced. The copy holds no LocalSettings: the app sets them.
func ToLocal(ctx context.Context, src *pgstore.DB, dstPath string, progress func(Progress)) (*Report, error) {
	if err := refuseExisting(dstPath); err != nil {
		return nil, err
	}
	tmp, err := tempName(dstPath)
	if err != nil {
		return nil, err
	}
	removeTmp := func() {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(tmp + suffix)
		}
	}
	// A new database with this program's schema: the server's must be the same.
	dst, err := sqlite.Open(tmp)
	if err != nil {
		removeTmp()
		return nil, localError(err)
	}
	report, err := toLocal(ctx, src, dst, progress)
	if cerr := dst.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err == nil {
		// Checked again: the path may have been taken while the copy ran.
		if err = refuseExisting(dstPath); err == nil {
			err = os.Rename(tmp, dstPath)
		}
	}
	if err != nil {
		removeTmp()
		return nil, localError(err)
	}
	return report, nil
}

func toLocal(ctx context.Context, src *pgstore.DB, dst *sqlite.DB, progress func(Progress)) (*Report, error) {
	stx, err := src.Pool().BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer stx.Rollback()
	pg := sqlQuerier(stx)
	_, write := dst.Handles()
	dtx, err := write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer dtx.Rollback()
	lite := sqlQuerier(dtx)
	tables, err := makePlan(ctx, lite, pg)
	if err != nil {
		return nil, err
	}
	full, err := checkEmpty(ctx, lite, tables)
	if err != nil {
		return nil, err
	}
	if len(full) > 0 {
		return nil, notEmpty(full, false)
	}
	counts, err := sourceCounts(ctx, pg, tables)
	if err != nil {
		return nil, err
	}
	triggers, err := dropSalesTriggers(ctx, dtx)
	if err != nil {
		return nil, err
	}
	written := make([]int64, len(tables))
	for i, t := range tables {
		tk := &ticker{progress: progress, table: t.name, total: counts[i].Source - counts[i].Kept}
		tk.tick(0)
		if written[i], err = copyToLocal(ctx, stx, dtx, t, tk); err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
	}
	if triggers != nil {
		for _, q := range append([]string{makeSalesDays}, triggers...) {
			if _, err := dtx.ExecContext(ctx, q); err != nil {
				return nil, fmt.Errorf("sales_days: %w", err)
			}
		}
	}
	// SQLite's search index is kept by the code that saves orders, not by triggers:
	// made here from the copied orders' folded columns.
	if err := sqlite.RebuildSearchIndex(ctx, dtx); err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	if counts, err = verify(ctx, pg, lite, tables, counts, written); err != nil {
		return nil, err
	}
	if err := dtx.Commit(); err != nil {
		return nil, err
	}
	// One file, without a write-ahead log beside it, before it is renamed (the app
	// turns WAL on again when it opens it).
	if _, err := write.ExecContext(ctx, `PRAGMA journal_mode = DELETE`); err != nil {
		return nil, err
	}
	return &Report{Tables: counts}, nil
}

// dropSalesTriggers takes the sales triggers off the new file for the copy (SQLite
// cannot switch a trigger off) and returns their definitions, to be made again after
// it in the same transaction. nil when the schema has not all of them: they stay, and
// fill sales_days row by row.
func dropSalesTriggers(ctx context.Context, tx *sql.Tx) ([]string, error) {
	var defs []string
	for _, t := range salesTriggers {
		var def string
		err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name = ?`, t[0], t[1]).Scan(&def)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		defs = append(defs, def)
	}
	for _, t := range salesTriggers {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER `+quote(t[1])); err != nil {
			return nil, err
		}
	}
	return defs, nil
}

// copyToLocal reads one table's rows from the server and inserts them into SQLite,
// many rows to a prepared statement.
func copyToLocal(ctx context.Context, stx, dtx *sql.Tx, t table, tk *ticker) (int64, error) {
	rows, err := stx.QueryContext(ctx, t.selectSQL())
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	// Up to 256 rows a statement, within SQLite's 32,766 parameters.
	per := max(1, min(256, 32000/len(t.cols)))
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.cols)), ",") + ")"
	insert := func(n int) string {
		return "INSERT INTO " + quote(t.name) + " (" + quoteAll(t.cols) + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(one+",", n), ",")
	}
	full, err := dtx.PrepareContext(ctx, insert(per))
	if err != nil {
		return 0, err
	}
	defer full.Close()
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	args := make([]any, 0, per*len(t.cols))
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		args = append(args, vals...)
		if len(args) == cap(args) {
			if _, err := full.ExecContext(ctx, args...); err != nil {
				return n, err
			}
			args = args[:0]
		}
		n++
		tk.tick(n)
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if len(args) > 0 {
		if _, err := dtx.ExecContext(ctx, insert(len(args)/len(t.cols)), args...); err != nil {
			return n, err
		}
	}
	return n, nil
}

// refuseExisting refuses a destination file that exists (or a journal of one, which
// SQLite would apply to the new file).
func refuseExisting(path string) error {
	for _, suffix := range []string{"", "-wal", "-journal"} {
		if _, err := os.Lstat(path + suffix); err == nil || !errors.Is(err, os.ErrNotExist) {
			return backend.Errorf(backend.EINVALID,
				"コピー先にファイルが既にあります: %s。何も変更していません。別の場所を指定してください",
				"a file already exists at the destination: %s; nothing was changed. Choose another place", path+suffix)
		}
	}
	return nil
}

// tempName is a free name beside path for the copy in progress.
func tempName(path string) (string, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", localError(err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.moving")
	if err != nil {
		return "", localError(err)
	}
	name := f.Name()
	f.Close()
	// SQLite takes an empty file for a damaged database (backend/sqlite): the name
	// only is kept.
	os.Remove(name)
	return name, nil
}

// localError says what a failed copy to a new file means: nothing was left behind.
func localError(err error) error {
	var be *backend.Error
	if errors.As(err, &be) {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return &backend.Error{Code: backend.EINVALID, Err: err,
			Message:   "データベースのコピーを取り消しました。ファイルは作成していません",
			MessageEn: "the database copy was cancelled; no file was made"}
	}
	return &backend.Error{Code: backend.EINTERNAL, Err: err,
		Message:   "共有データベースのコピーに失敗しました。ファイルは作成していません: " + err.Error(),
		MessageEn: "copying the shared database failed; no file was made: " + err.Error()}
}
