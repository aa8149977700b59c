package sqlite

import (
	"context"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

// The journal's reads and an outcome's effects are backend/sqlstore's; beginning,
// sending and completing an operation are SQLite's own (one process owns the data
// folder: nothing is claimed, unlike backend/pgstore).

// BeginOperation commits the operation as pending before anything is sent. The
// partial unique index operations_one_in_flight makes a second unresolved operation
// on the same payment impossible, whatever the number of windows or processes; an
// operation planned from an older version of the payment is refused (RefuseChanged).
func (db *DB) BeginOperation(ctx context.Context, op *backend.Operation) error {
	if op.RequestedAt.IsZero() {
		op.RequestedAt = db.Now()
	}
	op.State, op.PC = backend.OpPending, db.PC()
	return db.InTx(ctx, func(tx sqlstore.Q) error {
		if err := sqlstore.RefuseChanged(ctx, tx, op); err != nil {
			return err
		}
		if err := sqlstore.RefuseInFlight(ctx, tx, op.PaymentID); err != nil {
			return err
		}
		var err error
		op.ID, err = tx.ID(ctx, `INSERT INTO operations (payment_id, intent, kind, capture_now, amount, idempotency_key,
			state, requested_at, operator, pc, before_state, reason, bulk_job_id, payment_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			op.PaymentID, op.Intent, string(op.Kind), boolInt(op.CaptureNow), op.Amount, op.IdempotencyKey, string(op.State), ms(op.RequestedAt),
			op.Operator, op.PC, string(op.BeforeState), op.Reason, op.BulkJobID, op.PaymentVersion)
		if isUniqueViolation(err) {
			return sqlstore.ErrSubmitted()
		}
		return err
	})
}

// MarkOperationSent records that the request is about to go on the wire.
func (db *DB) MarkOperationSent(ctx context.Context, opID int64, at time.Time) error {
	_, err := db.write.ExecContext(ctx, `UPDATE operations SET state = 'sent', sent_at = ? WHERE id = ? AND state = 'pending'`, ms(at), opID)
	return err
}

// CompleteOperation commits the outcome with the payment, the order's 対応状況 and
// the キャンセル在庫 in one transaction: the journal never disagrees with the state.
func (db *DB) CompleteOperation(ctx context.Context, c *backend.Completion) error {
	now := db.Now()
	op := c.Op
	if op.RespondedAt.IsZero() {
		op.RespondedAt = now
	}
	return db.InTx(ctx, func(tx sqlstore.Q) error {
		res, err := tx.Exec(ctx, `UPDATE operations SET state = ?, responded_at = ?, gateway_code = ?, message = ?, message_en = ?,
			after_state = ?, reason = ? WHERE id = ? AND state IN `+unresolvedStates, string(op.State), ms(op.RespondedAt), op.GatewayCode, op.Message,
			op.MessageEn, string(op.AfterState), op.Reason, op.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// An outcome is recorded once: a second resolution (a sync run and the
			// operator at the same moment) must not overwrite the first.
			var state string
			if tx.Row(ctx, `SELECT state FROM operations WHERE id = ?`, op.ID).Scan(&state) == nil {
				return sqlstore.ErrRecorded(state)
			}
			return sqlstore.ErrNoOperation(op.ID)
		}
		return sqlstore.ApplyCompletion(ctx, tx, c, now)
	})
}
