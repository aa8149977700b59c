package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"kessaidesk/backend"
)

const operationColumns = `id, payment_id, intent, kind, capture_now, amount, idempotency_key, state, requested_at, responded_at,
	gateway_code, message, operator, before_state, after_state, reason, bulk_job_id`

func scanOperation(sc interface{ Scan(...any) error }) (*backend.Operation, error) {
	op := &backend.Operation{}
	var kind, state, before, after string
	var req, resp int64
	var captureNow int
	err := sc.Scan(&op.ID, &op.PaymentID, &op.Intent, &kind, &captureNow, &op.Amount, &op.IdempotencyKey, &state, &req, &resp,
		&op.GatewayCode, &op.Message, &op.Operator, &before, &after, &op.Reason, &op.BulkJobID)
	if err != nil {
		return nil, err
	}
	op.Kind, op.State, op.CaptureNow = backend.OpKind(kind), backend.OpState(state), captureNow == 1
	op.BeforeState, op.AfterState = backend.PaymentState(before), backend.PaymentState(after)
	op.RequestedAt, op.RespondedAt = fromMS(req), fromMS(resp)
	return op, nil
}

// BeginOperation commits the operation as pending before anything is sent. The
// partial unique index operations_one_in_flight makes a second unresolved operation
// on the same payment impossible, whatever the number of windows or processes.
func (db *DB) BeginOperation(ctx context.Context, op *backend.Operation) error {
	if op.RequestedAt.IsZero() {
		op.RequestedAt = db.Now()
	}
	op.State = backend.OpPending
	return db.withTx(ctx, func(tx *sql.Tx) error {
		var inflight int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM operations WHERE payment_id = ? AND state IN `+unresolvedStates, op.PaymentID).Scan(&inflight)
		if err == nil {
			return backend.Errorf(backend.EBUSY, "この決済には処理中の操作があります。結果が確定するまでお待ちください", "another operation on this payment is still in progress")
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO operations (payment_id, intent, kind, capture_now, amount, idempotency_key,
			state, requested_at, operator, before_state, reason, bulk_job_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
			op.PaymentID, op.Intent, string(op.Kind), boolInt(op.CaptureNow), op.Amount, op.IdempotencyKey, string(op.State), ms(op.RequestedAt),
			op.Operator, string(op.BeforeState), op.Reason, op.BulkJobID)
		if isUniqueViolation(err) {
			return backend.Errorf(backend.ECONFLICT, "この操作は既に実行されています", "this operation was already submitted")
		}
		if err != nil {
			return err
		}
		op.ID, err = res.LastInsertId()
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
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE operations SET state = ?, responded_at = ?, gateway_code = ?, message = ?,
			after_state = ?, reason = ? WHERE id = ? AND state IN `+unresolvedStates, string(op.State), ms(op.RespondedAt), op.GatewayCode, op.Message,
			string(op.AfterState), op.Reason, op.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// An outcome is recorded once: a second resolution (a sync run and the
			// operator at the same moment) must not overwrite the first.
			var state string
			if tx.QueryRowContext(ctx, `SELECT state FROM operations WHERE id = ?`, op.ID).Scan(&state) == nil {
				return backend.Errorf(backend.ECONFLICT, "この操作の結果は既に記録されています（%s）", "the outcome of this operation is already recorded (%s)",
					backend.OpState(state).Label())
			}
			return backend.Errorf(backend.ENOTFOUND, "操作 (ID %d) は見つかりません", "operation %d was not found", op.ID)
		}
		if c.Payment == nil {
			return nil
		}
		if err := savePayment(ctx, tx, c.Payment, now); err != nil {
			return err
		}
		if c.OrderStatus != "" {
			actor := op.Operator
			if c.OrderActor != "" {
				actor = c.OrderActor
			}
			if err := advanceOrderStatus(ctx, tx, c.Payment.OrderID, c.OrderStatus, actor, now); err != nil {
				return err
			}
		}
		if c.RefundTask != nil && c.RefundTask.PaymentID == 0 {
			c.RefundTask.PaymentID = c.Payment.ID
		}
		return orderSideEffects(ctx, tx, c.Payment.OrderID, c.CancelStock, c.RefundTask, now)
	})
}

// OperationByID returns one journal entry.
func (db *DB) OperationByID(ctx context.Context, id int64) (*backend.Operation, error) {
	op, err := scanOperation(db.read.QueryRowContext(ctx, `SELECT `+operationColumns+` FROM operations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENOTFOUND, "操作 (ID %d) は見つかりません", "operation %d was not found", id)
	}
	return op, err
}

// OperationsByPayment returns the payment's journal, oldest first.
func (db *DB) OperationsByPayment(ctx context.Context, paymentID int64) ([]*backend.Operation, error) {
	return db.queryOperations(ctx, `SELECT `+operationColumns+` FROM operations WHERE payment_id = ? ORDER BY id`, paymentID)
}

// UnresolvedOperations lists pending, sent and unknown operations, oldest first.
func (db *DB) UnresolvedOperations(ctx context.Context) ([]*backend.Operation, error) {
	return db.queryOperations(ctx, `SELECT `+operationColumns+` FROM operations WHERE state IN `+unresolvedStates+` ORDER BY id`)
}

func (db *DB) queryOperations(ctx context.Context, q string, args ...any) ([]*backend.Operation, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*backend.Operation
	for rows.Next() {
		op, err := scanOperation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, op)
	}
	return out, rows.Err()
}
