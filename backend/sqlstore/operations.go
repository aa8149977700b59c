package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"kessaidesk/backend"
)

// The journal's reads, its errors and what an outcome changes beside it. Beginning,
// sending and completing an operation stay with each store: on PostgreSQL they also
// claim it (backend/pgstore/operations.go).

const operationColumns = `id, payment_id, intent, kind, capture_now, amount, idempotency_key, state, requested_at, responded_at,
	gateway_code, message, operator, before_state, after_state, reason, bulk_job_id, message_en, pc, payment_version`

func scanOperation(sc interface{ Scan(...any) error }) (*backend.Operation, error) {
	op := &backend.Operation{}
	var kind, state, before, after string
	var req, resp int64
	var captureNow int
	err := sc.Scan(&op.ID, &op.PaymentID, &op.Intent, &kind, &captureNow, &op.Amount, &op.IdempotencyKey, &state, &req, &resp,
		&op.GatewayCode, &op.Message, &op.Operator, &before, &after, &op.Reason, &op.BulkJobID, &op.MessageEn, &op.PC, &op.PaymentVersion)
	if err != nil {
		return nil, err
	}
	op.Kind, op.State, op.CaptureNow = backend.OpKind(kind), backend.OpState(state), captureNow == 1
	op.BeforeState, op.AfterState = backend.PaymentState(before), backend.PaymentState(after)
	op.RequestedAt, op.RespondedAt = fromMS(req), fromMS(resp)
	return op, nil
}

// ErrInFlight refuses a second operation while one on the payment is unresolved.
func ErrInFlight() error {
	return backend.Errorf(backend.EBUSY, "この決済には処理中の操作があります。結果が確定するまでお待ちください", "another operation on this payment is still in progress")
}

// ErrSubmitted refuses an operation whose idempotency key is journalled already.
func ErrSubmitted() error {
	return backend.Errorf(backend.ECONFLICT, "この操作は既に実行されています", "this operation was already submitted")
}

// ErrRecorded refuses a second outcome: the first, state, stays.
func ErrRecorded(state string) error {
	return backend.Errorf(backend.ECONFLICT, "この操作の結果は既に記録されています（%s）", "the outcome of this operation is already recorded (%s)",
		backend.OpState(state).Label())
}

// ErrNoOperation is an operation that is not in the journal.
func ErrNoOperation(id int64) error {
	return backend.Errorf(backend.ENOTFOUND, "操作 (ID %d) は見つかりません", "operation %d was not found", id)
}

// RefuseInFlight refuses (ErrInFlight) a new operation on a payment while one is
// unresolved; BeginOperation asks it in its transaction before the insert.
func RefuseInFlight(ctx context.Context, tx Q, paymentID int64) error {
	var inflight int64
	err := tx.Row(ctx, `SELECT id FROM operations WHERE payment_id = ? AND state IN `+unresolvedStates, paymentID).Scan(&inflight)
	switch {
	case err == nil:
		return ErrInFlight()
	case errors.Is(err, sql.ErrNoRows):
		return nil
	}
	return err
}

// RefuseChanged refuses (backend.PaymentChangedError) an operation planned from an
// older version of its payment than the stored one; BeginOperation asks it in its
// transaction first. It locks the payment's row until the transaction ends (FOR
// UPDATE on PostgreSQL), so an outcome committed on another desktop meanwhile is
// either seen here or waits: two desktops that planned from one version do not both
// begin. An operation without a version (0) is not checked.
func RefuseChanged(ctx context.Context, tx Q, op *backend.Operation) error {
	var version int64
	err := tx.Row(ctx, `SELECT version FROM payments WHERE id = ?`+tx.d.ForUpdate, op.PaymentID).Scan(&version)
	if errors.Is(err, sql.ErrNoRows) {
		return backend.Errorf(backend.ENOTFOUND, "決済 (ID %d) は見つかりません", "payment %d was not found", op.PaymentID)
	}
	if err != nil || op.PaymentVersion == 0 || op.PaymentVersion == version {
		return err
	}
	return backend.PaymentChangedError()
}

// ApplyCompletion records in tx what an operation's outcome changes beside the
// journal: the payment, the order's 対応状況 and the キャンセル在庫 and refund task, so
// that the journal never disagrees with the state. The caller has recorded the outcome.
func ApplyCompletion(ctx context.Context, tx Q, c *backend.Completion, now time.Time) error {
	if c.Payment == nil {
		return nil
	}
	if err := WritePayment(ctx, tx, c.Payment, now); err != nil {
		return err
	}
	if c.OrderStatus != "" {
		actor := c.Op.Operator
		if c.OrderActor != "" {
			actor = c.OrderActor
		}
		// The change is the operation's: its operator (or OrderActor) and its PC.
		if err := advanceOrderStatus(ctx, tx, c.Payment.OrderID, c.OrderStatus, actor, c.Op.PC, now); err != nil {
			return err
		}
	}
	if c.RefundTask != nil && c.RefundTask.PaymentID == 0 {
		c.RefundTask.PaymentID = c.Payment.ID
	}
	return orderSideEffects(ctx, tx, c.Payment.OrderID, c.CancelStock, c.RefundTask, now)
}

// OperationByID returns one journal entry.
func (db *Core) OperationByID(ctx context.Context, id int64) (*backend.Operation, error) {
	op, err := scanOperation(db.Read().Row(ctx, `SELECT `+operationColumns+` FROM operations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoOperation(id)
	}
	return op, err
}

// OperationsByPayment returns the payment's journal, oldest first.
func (db *Core) OperationsByPayment(ctx context.Context, paymentID int64) ([]*backend.Operation, error) {
	return db.queryOperations(ctx, `SELECT `+operationColumns+` FROM operations WHERE payment_id = ? ORDER BY id`, paymentID)
}

// UnresolvedOperations lists pending, sent and unknown operations, oldest first
// (on a shared database whoever holds them: recovery claims each before it acts).
func (db *Core) UnresolvedOperations(ctx context.Context) ([]*backend.Operation, error) {
	return db.queryOperations(ctx, `SELECT `+operationColumns+` FROM operations WHERE state IN `+unresolvedStates+` ORDER BY id`)
}

func (db *Core) queryOperations(ctx context.Context, q string, args ...any) ([]*backend.Operation, error) {
	rows, err := db.Read().Query(ctx, q, args...)
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
