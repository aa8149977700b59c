package pgstore

// Exactly once across processes
//
// On SQLite one process owns the data folder (a file lock), and the engine knows which
// operations it is sending right now (payment.Engine.isSending), so its recovery never
// touches an operation in flight. A shared database has several processes on several
// machines; this is how each operation is still sent at most once, and a crashed
// desktop's operations are recovered exactly once:
//
//  1. The journal row is the claim. BeginOperation commits the operation as pending
//     before anything is sent. Two unique indexes make the database refuse a second
//     one, whichever desktop asks: operations_one_in_flight (one unresolved operation
//     per payment: EBUSY) and the idempotency key (the same intent twice: ECONFLICT).
//     Before them, the payment's version (sqlstore.RefuseChanged): an operation
//     planned from a payment another desktop has changed since is refused (ECONFLICT),
//     so two desktops that read the same state do not both send.
//
//  2. The row carries a lease: claimed_by (this DB's Owner: host/pid/random) and
//     lease_until, in the server's clock (desktops' clocks differ). BeginOperation
//     takes it; a goroutine renews every claim this process holds each Lease/3 while
//     the process lives. MarkOperationSent — the last step before the request goes on
//     the wire — succeeds only for a pending operation this process still holds, so a
//     process that lost its claim (it froze past its lease and another desktop failed
//     the operation as never sent) does not send: the engine stops when
//     MarkOperationSent fails.
//
//  3. CompleteOperation records an outcome once (state still unresolved, as on SQLite)
//     and only by the holder, or when nobody holds the operation or the lease has
//     lapsed; another desktop's attempt is refused with EBUSY. An outcome of unknown
//     releases the claim: the sender is done, and any desktop may now ask the gateway.
//
//  4. Recovery claims before it asks. payment.Engine.Resolve calls ClaimOperation
//     (backend.OperationClaimer) first: an UPDATE that succeeds for one process only —
//     the row lock makes the check and the claim one step — when the operation is
//     unresolved and unclaimed, lapsed, or already this process's. So after a crash the
//     next desktop to run recovery (start-up, sync) resolves each operation once, and
//     the others skip it (EBUSY) until it is settled or the claim lapses again.
//
// What a lease cannot tell: a process frozen after its request reached the gateway
// (the request is on its way, the lease lapses, another desktop inquires). The inquiry
// then sees the gateway's own state, which is what is recorded; the frozen process's
// late answer is refused by step 3 (ECONFLICT, already recorded).

import (
	"context"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

var _ backend.OperationClaimer = (*DB)(nil)

// serverNow is the server's clock in Unix ms: leases are compared with it only.
const serverNow = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`

func errHeldElsewhere() error {
	return backend.Errorf(backend.EBUSY, "この操作は別のパソコンで処理中です。結果が記録されるまでお待ちください",
		"another desktop is sending or resolving this operation; wait for its outcome")
}

// BeginOperation commits the operation as pending, claimed by this process, before
// anything is sent — unless it was planned from an older version of the payment than
// the stored one (RefuseChanged: another desktop changed it since; the payment's row
// is locked for the check, so two desktops that planned from one version do not both
// begin).
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
			state, requested_at, operator, pc, before_state, reason, bulk_job_id, payment_version, claimed_by, lease_until)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, `+serverNow+` + ?)`,
			op.PaymentID, op.Intent, string(op.Kind), boolInt(op.CaptureNow), op.Amount, op.IdempotencyKey, string(op.State), ms(op.RequestedAt),
			op.Operator, op.PC, string(op.BeforeState), op.Reason, op.BulkJobID, op.PaymentVersion, db.Owner, db.lease.Milliseconds())
		switch {
		case isUniqueViolation(err, "operations_one_in_flight"):
			// Another desktop began one on this payment between the check and the insert.
			return sqlstore.ErrInFlight()
		case isUniqueViolation(err):
			return sqlstore.ErrSubmitted()
		}
		return err
	})
}

// MarkOperationSent records that the request is about to go on the wire. It fails
// (ECONFLICT) unless the operation is pending and still this process's: the engine
// then does not send.
func (db *DB) MarkOperationSent(ctx context.Context, opID int64, at time.Time) error {
	res, err := db.Write().Exec(ctx, `UPDATE operations SET state = 'sent', sent_at = ?, lease_until = `+serverNow+` + ?
		WHERE id = ? AND state = 'pending' AND claimed_by = ?`, ms(at), db.lease.Milliseconds(), opID, db.Owner)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	op, err := db.OperationByID(ctx, opID)
	if err != nil {
		return err
	}
	return backend.Errorf(backend.ECONFLICT, "この操作は送信できません（%s）。別のパソコンが処理したため、何も送信していません",
		"the operation cannot be sent (%s): another desktop has handled it; nothing was sent", op.State.Label())
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
			after_state = ?, reason = ?, claimed_by = '', lease_until = 0
			WHERE id = ? AND state IN `+unresolvedStates+` AND (claimed_by IN ('', ?) OR lease_until < `+serverNow+`)`,
			string(op.State), ms(op.RespondedAt), op.GatewayCode, op.Message, op.MessageEn, string(op.AfterState), op.Reason, op.ID, db.Owner)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var state string
			if err := tx.Row(ctx, `SELECT state FROM operations WHERE id = ?`, op.ID).Scan(&state); err != nil {
				return sqlstore.ErrNoOperation(op.ID)
			}
			if backend.OpState(state).Unresolved() {
				return errHeldElsewhere()
			}
			// An outcome is recorded once: a second resolution (a sync run and the
			// operator at the same moment) must not overwrite the first.
			return sqlstore.ErrRecorded(state)
		}
		return sqlstore.ApplyCompletion(ctx, tx, c, now)
	})
}

// ClaimOperation takes an unresolved operation for this process — to resolve it —
// when nobody holds it, its holder's lease has lapsed, or this process holds it
// already. false: another live process holds it.
func (db *DB) ClaimOperation(ctx context.Context, opID int64) (bool, error) {
	res, err := db.Write().Exec(ctx, `UPDATE operations SET claimed_by = ?, lease_until = `+serverNow+` + ?
		WHERE id = ? AND state IN `+unresolvedStates+` AND (claimed_by IN ('', ?) OR lease_until < `+serverNow+`)`,
		db.Owner, db.lease.Milliseconds(), opID, db.Owner)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseOperation gives up this process's claim on an operation it did not settle.
func (db *DB) ReleaseOperation(ctx context.Context, opID int64) error {
	_, err := db.Write().Exec(ctx, `UPDATE operations SET claimed_by = '', lease_until = 0 WHERE id = ? AND claimed_by = ?`, opID, db.Owner)
	return err
}

// renewLeases extends this process's claims — its operations and its running bulk
// jobs (tasks.go) — every lease/3 until Close.
func (db *DB) renewLeases() {
	defer db.done.Done()
	t := time.NewTicker(db.lease / 3)
	defer t.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), db.lease/3)
			db.Write().Exec(ctx, `UPDATE operations SET lease_until = `+serverNow+` + ? WHERE claimed_by = ? AND state IN `+unresolvedStates,
				db.lease.Milliseconds(), db.Owner)
			db.Write().Exec(ctx, `UPDATE bulk_jobs SET lease_until = `+serverNow+` + ? WHERE claimed_by = ? AND state = 'running'`,
				db.lease.Milliseconds(), db.Owner)
			cancel()
		}
	}
}
