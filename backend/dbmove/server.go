package dbmove

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"kessaidesk/backend"
	"kessaidesk/backend/pgstore"
	"kessaidesk/backend/sqlite"
)

// ToServer copies the shop's SQLite database src to the shared server dst, whose
// database must be empty of shop data (a freshly migrated one). src is read from one
// snapshot while the app may keep running on it (what it writes after the snapshot is
// not moved: the app stops its work first). On any error the server is left as it
// was. progress, when given, hears how far each table is.
func ToServer(ctx context.Context, src *sqlite.DB, dst *pgstore.DB, progress func(Progress)) (*Report, error) {
	read, _ := src.Handles()
	// A read transaction on SQLite's WAL: every table is read from the same snapshot.
	stx, err := read.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer stx.Rollback()
	lite := sqlQuerier(stx)

	conn, err := dst.Pool().Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var report *Report
	err = conn.Raw(func(dc any) error {
		// pgx's own connection under database/sql: its COPY and its transaction.
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		report, err = toServer(ctx, stx, lite, tx, progress)
		if err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	if err != nil {
		return nil, serverError(err)
	}
	return report, nil
}

func toServer(ctx context.Context, stx *sql.Tx, lite querier, tx pgx.Tx, progress func(Progress)) (*Report, error) {
	pg := pgxQuerier(tx)
	tables, err := makePlan(ctx, lite, pg)
	if err != nil {
		return nil, err
	}
	// Other desktops may be connected: no one writes these tables until the move
	// commits (they still read, and see an empty shop until then).
	names := []string{"sales_days"}
	for _, t := range tables {
		names = append(names, t.name)
	}
	if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '15s'`); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE `+quoteAll(names)+` IN EXCLUSIVE MODE`); err != nil {
		return nil, err
	}
	full, err := checkEmpty(ctx, pg, tables)
	if err != nil {
		return nil, err
	}
	if len(full) > 0 {
		return nil, notEmpty(full, true)
	}
	counts, err := sourceCounts(ctx, lite, tables)
	if err != nil {
		return nil, err
	}
	paused, err := pauseSalesTriggers(ctx, tx)
	if err != nil {
		return nil, err
	}
	written := make([]int64, len(tables))
	for i, t := range tables {
		tk := &ticker{progress: progress, table: t.name, total: counts[i].Source - counts[i].Kept}
		tk.tick(0)
		if written[i], err = copyToServer(ctx, stx, tx, t, tk); err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
	}
	if paused {
		if err := resumeSalesTriggers(ctx, tx); err != nil {
			return nil, err
		}
	}
	if counts, err = verify(ctx, lite, pg, tables, counts, written); err != nil {
		return nil, err
	}
	// The ids came with the rows: each identity's sequence goes on after the largest,
	// or the next order saved on the server would take an id already used. Last, as
	// a sequence does not roll back with the transaction.
	for _, t := range tables {
		if t.identity == "" {
			continue
		}
		q := `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(` + quote(t.identity) + `), 0) + 1, false) FROM ` + quote(t.name)
		if _, err := tx.Exec(ctx, q, quote(t.name), t.identity); err != nil {
			return nil, fmt.Errorf("sequence of %s: %w", t.name, err)
		}
	}
	return &Report{Tables: counts}, nil
}

// pauseSalesTriggers switches the sales triggers off for the copy, in the move's
// transaction (no other session sees them off: the tables stay locked until it ends).
// That needs the tables' owner — the user that made them, as pgstore.Open migrates;
// another user keeps them on (false), and the triggers fill sales_days as the rows
// arrive, only slower.
func pauseSalesTriggers(ctx context.Context, tx pgx.Tx) (bool, error) {
	sp, err := tx.Begin(ctx) // a savepoint: a refusal leaves the move's transaction usable
	if err != nil {
		return false, err
	}
	for _, t := range salesTriggers {
		if _, err := sp.Exec(ctx, `ALTER TABLE `+quote(t[0])+` DISABLE TRIGGER `+quote(t[1])); err != nil {
			if rerr := sp.Rollback(ctx); rerr != nil {
				return false, rerr
			}
			var pe *pgconn.PgError
			if errors.As(err, &pe) && (pe.Code == "42501" || pe.Code == "42704") { // not the owner; no such trigger
				return false, nil
			}
			return false, err
		}
	}
	return true, sp.Commit(ctx)
}

// resumeSalesTriggers makes sales_days from the copied payments in one statement, as
// migration 0011 made it from an existing database's, and switches the triggers on.
func resumeSalesTriggers(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, makeSalesDays); err != nil {
		return fmt.Errorf("sales_days: %w", err)
	}
	for _, t := range salesTriggers {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+quote(t[0])+` ENABLE TRIGGER `+quote(t[1])); err != nil {
			return err
		}
	}
	return nil
}

// copyToServer streams one table's rows from SQLite into the server with COPY.
func copyToServer(ctx context.Context, stx *sql.Tx, tx pgx.Tx, t table, tk *ticker) (int64, error) {
	rows, err := stx.QueryContext(ctx, t.selectSQL())
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	src := &rowSource{rows: rows, vals: make([]any, len(t.cols)), ptrs: make([]any, len(t.cols)), tk: tk}
	for i := range src.vals {
		src.ptrs[i] = &src.vals[i]
	}
	return tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, src)
}

// rowSource is a table's rows read from SQLite, as pgx's COPY takes them.
type rowSource struct {
	rows       *sql.Rows
	vals, ptrs []any
	n          int64
	err        error
	tk         *ticker
}

func (s *rowSource) Next() bool {
	if !s.rows.Next() {
		return false
	}
	if s.err = s.rows.Scan(s.ptrs...); s.err != nil {
		return false
	}
	s.n++
	s.tk.tick(s.n)
	return true
}

// Values are the row just read; COPY encodes them before asking for the next.
func (s *rowSource) Values() ([]any, error) { return s.vals, nil }

func (s *rowSource) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.rows.Err()
}

// serverError says what a failed move to (or from) the server means to the operator:
// our own errors as they are, others with the promise that nothing changed.
func serverError(err error) error {
	var be *backend.Error
	if errors.As(err, &be) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "55P03" { // lock_not_available
		return &backend.Error{Code: backend.EBUSY, Err: err,
			Message:   "共有データベースを他のPCが使っているため、移動できませんでした。何も変更していません。他のPCの決済デスクを閉じてから、もう一度お試しください",
			MessageEn: "another desktop is using the shared database, so nothing was moved and nothing was changed; close Kessai Desk on the other desktops and try again"}
	}
	if errors.Is(err, context.Canceled) {
		return &backend.Error{Code: backend.EINVALID, Err: err,
			Message:   "データベースの移動を取り消しました。何も変更していません",
			MessageEn: "the database move was cancelled; nothing was changed"}
	}
	return &backend.Error{Code: backend.EINTERNAL, Err: err,
		Message:   "データベースの移動に失敗しました。何も変更していません: " + err.Error(),
		MessageEn: "moving the database failed; nothing was changed: " + err.Error()}
}
