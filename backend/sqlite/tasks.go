package sqlite

import (
	"context"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

// Tasks and bulk runs are backend/sqlstore's, which both stores share; these are
// SQLite's own.

// insertBulkItems inserts a bulk run's items, in the order given, with one prepared
// statement.
func insertBulkItems(ctx context.Context, tx sqlstore.Q, jobID int64, paymentIDs []int64, state string, now int64) error {
	st, err := tx.Prepare(ctx, `INSERT INTO bulk_items (job_id, payment_id, state, updated_at) VALUES (?,?,?,?)
		ON CONFLICT (job_id, payment_id) DO NOTHING`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, id := range paymentIDs {
		if _, err := st.ExecContext(ctx, jobID, id, state, now); err != nil {
			return err
		}
	}
	return nil
}

// CloseInterruptedBulkJobs closes the runs a previous process left running (it quit or
// died mid-run): their items never sent become cancelled, so nothing stays 未送信 for
// ever. Call it only while holding the data folder's lock, before new runs start.
func (db *DB) CloseInterruptedBulkJobs(ctx context.Context) (int, error) {
	now := db.Now()
	n := 0
	err := db.InTx(ctx, func(tx sqlstore.Q) error {
		if err := sqlstore.CloseQueuedItems(ctx, tx, `job_id IN (SELECT id FROM bulk_jobs WHERE state = 'running')`, nil,
			backend.Text{Ja: "アプリの終了で一括処理が中断されたため送信していません",
				En: "not sent: the app closed while the bulk run was under way"}, now); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE bulk_jobs SET state = 'cancelled', finished_at = ? WHERE state = 'running'`, ms(now))
		if err != nil {
			return err
		}
		c, _ := res.RowsAffected()
		n = int(c)
		return nil
	})
	return n, err
}
