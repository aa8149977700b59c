package payment

import (
	"context"
	"fmt"

	"kessaidesk/backend"
)

// ResolveUnresolved settles every operation left pending, sent or unknown — by a
// crash, a closed laptop or a timeout — by asking the gateway. It returns how many
// remain unresolved (the gateway could not be reached, or it waits for the operator
// to choose among several transactions). Run it at start-up.
func (e *Engine) ResolveUnresolved(ctx context.Context) (remaining int, err error) {
	ops, err := e.Store.UnresolvedOperations(ctx)
	if err != nil {
		return 0, err
	}
	awaiting, err := e.Store.AwaitingChoice(ctx)
	if err != nil {
		return 0, err
	}
	for _, op := range ops {
		if e.isSending(op.ID) {
			continue // in flight in this process: its own answer settles it
		}
		if awaiting[op.PaymentID] {
			// The gateway cannot tell (several transactions): asking again would not
			// either. It waits for the operator's choice (ChooseCandidate).
			remaining++
			continue
		}
		// Still unknown, or held by another desktop (a shared database: it is sending
		// or resolving it, or it died and its claim has not lapsed yet): not settled.
		if _, rerr := e.Resolve(ctx, op.ID); rerr != nil && (backend.ErrorCode(rerr) == backend.EUNKNOWN || backend.ErrorCode(rerr) == backend.EBUSY) {
			remaining++
		}
	}
	return remaining, nil
}

// Resolve settles one unresolved operation. A pending operation was never sent (the
// journal marks it sent before the request), so it fails without asking; a sent or
// unknown one is decided by the gateway's inquiry.
func (e *Engine) Resolve(ctx context.Context, opID int64) (*Result, error) {
	op, err := e.Store.OperationByID(ctx, opID)
	if err != nil {
		return nil, err
	}
	p, err := e.Store.PaymentByID(ctx, op.PaymentID)
	if err != nil {
		return nil, err
	}
	if !op.State.Unresolved() {
		return &Result{Operations: []*backend.Operation{op}, Payment: p, Message: op.Message}, nil
	}
	if e.isSending(op.ID) {
		return nil, conflict("この操作は送信中です。ゲートウェイの応答を待っています", "the operation is being sent; waiting for the gateway's answer")
	}
	// A store shared by several desktops: the operation is claimed before it is
	// resolved, so one desktop resolves it and none touches one another is sending.
	if c, ok := e.Store.(backend.OperationClaimer); ok {
		claimed, err := c.ClaimOperation(ctx, op.ID)
		if err != nil {
			return nil, err
		}
		if !claimed {
			return nil, backend.Errorf(backend.EBUSY, "この操作は別のパソコンで処理中です。結果が記録されるまでお待ちください",
				"another desktop is sending or resolving this operation; wait for its outcome")
		}
		defer c.ReleaseOperation(context.WithoutCancel(ctx), op.ID)
	}
	if op.State == backend.OpPending {
		err := e.fail(ctx, op, backend.Errorf(backend.EUNKNOWN, "送信前に中断されたため、この操作は実行されていません", "the operation was interrupted before it was sent; nothing was done"))
		e.settleBulkItem(ctx, op.ID)
		return &Result{Operations: []*backend.Operation{op}, Payment: p, Message: op.Message}, ignoreCause(err)
	}
	pl, err := planFromJournal(op, p, e.now())
	if err != nil {
		return nil, err
	}
	profile, err := e.Store.ProfileByID(ctx, p.ProfileID)
	if err != nil {
		return nil, err
	}
	gw, err := e.Gateways.Gateway(ctx, profile)
	if err != nil {
		return nil, err
	}
	cause := backend.Errorf(backend.EUNKNOWN, "前回の%[1]sの結果が不明でした", "the outcome of the earlier %[2]s was unknown", op.Kind.Label(), op.Kind.LabelEn())
	updated, err := e.resolveByInquiry(ctx, gw, profile, p, op, pl, cause)
	res := &Result{Operations: []*backend.Operation{op}, Payment: p, Message: op.Message}
	if updated != nil {
		res.Payment = updated
	}
	e.settleBulkItem(ctx, op.ID)
	if err != nil && backend.ErrorCode(err) != backend.EUNKNOWN {
		// Decided: it did not happen. That is a resolution, not an error of Resolve.
		return res, nil
	}
	return res, err
}

// ignoreCause drops the domain cause an operation failed with (it is in the journal)
// but keeps real errors (the store).
func ignoreCause(err error) error {
	if backend.ErrorCode(err) == backend.EUNKNOWN {
		return nil
	}
	return err
}

// RecordOutcome records the outcome of an unresolved operation as the operator read it
// in the gateway's console, when the gateway's inquiry cannot tell (an SBPS 部分返金,
// whose inquiry carries no amounts; a Paygent 補正 left 要確認). applied = the console
// shows the operation done. An operation that makes a new payment at the gateway
// (backend.CreatesTransaction) is done only with that payment's id, newTranID, which
// is checked with the gateway's inquiry before anything is recorded. It is journalled
// with the operator's name; no operation is sent. One this process is still sending
// is refused.
func (e *Engine) RecordOutcome(ctx context.Context, opID int64, applied bool, newTranID, operator string) (*Result, error) {
	if operator == "" {
		return nil, backend.Errorf(backend.EINVALID, "担当者名を設定してから記録してください（設定 → 担当者名）", "set the operator name first")
	}
	op, err := e.Store.OperationByID(ctx, opID)
	if err != nil {
		return nil, err
	}
	if !op.State.Unresolved() {
		return nil, conflict("この操作の結果は既に記録されています（%s）", "the outcome is already recorded (%s)", op.State.Label())
	}
	if e.isSending(op.ID) {
		return nil, conflict("この操作は送信中です。ゲートウェイの応答を待っています", "the operation is being sent; waiting for the gateway's answer")
	}
	p, err := e.Store.PaymentByID(ctx, op.PaymentID)
	if err != nil {
		return nil, err
	}
	note := fmt.Sprintf("（%sがゲートウェイの管理画面で確認して記録）", operator)
	if !applied {
		err := e.fail(ctx, op, &backend.Error{Code: backend.EGATEWAY, Class: backend.ClassPermanent,
			Message:   fmt.Sprintf("%sは実行されていませんでした%s", op.Kind.Label(), note),
			MessageEn: fmt.Sprintf("the %s was not carried out (checked in the gateway's console by %s)", op.Kind, operator)})
		if backend.ErrorCode(err) == backend.EGATEWAY {
			err = nil // the failure is the record, not an error of RecordOutcome
		}
		e.settleBulkItem(ctx, op.ID)
		return &Result{Operations: []*backend.Operation{op}, Payment: p, Message: op.Message}, err
	}
	pl, err := planFromJournal(op, p, e.now())
	if err != nil {
		return nil, err
	}
	profile, err := e.Store.ProfileByID(ctx, p.ProfileID)
	if err != nil {
		return nil, err
	}
	var view *backend.GatewayView
	if backend.CreatesTransaction(p.Gateway, op.Kind) {
		if view, err = e.checkSuccessor(ctx, profile, p, pl, newTranID); err != nil {
			return nil, err
		}
		note = fmt.Sprintf("（%sが管理画面で新しい決済ID %s を確認して記録）", operator, newTranID)
	}
	noteEn := fmt.Sprintf(" (checked in the gateway's console and recorded by %s)", operator)
	if newTranID != "" && backend.CreatesTransaction(p.Gateway, op.Kind) {
		noteEn = fmt.Sprintf(" (the new payment id %s checked in the console and recorded by %s)", newTranID, operator)
	}
	updated, err := e.succeed(ctx, profile, p, op, pl, view, backend.Text{Ja: note, En: noteEn})
	if err != nil {
		return nil, err
	}
	e.settleBulkItem(ctx, op.ID)
	return &Result{Operations: []*backend.Operation{op}, Payment: updated, Message: op.Message}, nil
}

// checkSuccessor asks the gateway about the payment the operator says an operation
// made: it must exist and show the operation's result (state, amount), or nothing is
// recorded — otherwise this payment would follow an id that is not its own.
func (e *Engine) checkSuccessor(ctx context.Context, prof *backend.GatewayProfile, p *backend.Payment, pl *plan, newTranID string) (*backend.GatewayView, error) {
	if newTranID == "" || newTranID == p.GatewayTranID {
		return nil, backend.Errorf(backend.EINVALID, "この操作は成功すると新しい決済IDができます。管理画面で確認した新しい決済IDを入力してください",
			"a successful operation of this kind makes a new payment id: enter the one the gateway's console shows")
	}
	gw, err := e.Gateways.Gateway(ctx, prof)
	if err != nil {
		return nil, err
	}
	q := *p
	q.GatewayTranID = newTranID
	callCtx, cancel := context.WithTimeout(ctx, e.timeout())
	view, err := gw.Inquire(callCtx, &q)
	cancel()
	if err != nil {
		return nil, err
	}
	if !view.Found {
		return nil, backend.Errorf(backend.EINVALID, "決済ID %s はゲートウェイにありません。入力を確認してください", "the gateway has no payment %s", newTranID)
	}
	if done, known := decide(view, pl); !done || !known {
		return nil, backend.Errorf(backend.ECONFLICT, "決済ID %[1]s はこの操作の結果と一致しません（ゲートウェイでは%[2]s、%[3]s）。入力を確認してください",
			"payment %[1]s does not match this operation's result (the gateway shows %[4]s, %[5]s)", newTranID, view.State.Label(), view.AmountAuthorized,
			view.State.LabelEn(), view.AmountAuthorized.En())
	}
	view.NewTranID = newTranID
	return view, nil
}
