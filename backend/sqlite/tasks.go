package sqlite

import (
	"context"

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
// died mid-run): every running job, since one process owns the data folder. Call it
// only while holding the data folder's lock, before new runs start.
func (db *DB) CloseInterruptedBulkJobs(ctx context.Context) (int, error) {
	return db.CloseBulkJobs(ctx, "")
}
