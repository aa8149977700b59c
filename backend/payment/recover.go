package payment

import (
	"context"

	"kessaidesk/backend"
)

// ResolveUnresolved settles every operation left pending, sent or unknown — by a
// crash, a closed laptop or a timeout — by asking the gateway. It returns how many
// remain unresolved (the gateway could not be reached). Run it at start-up.
func (e *Engine) ResolveUnresolved(ctx context.Context) (remaining int, err error) {
	ops, err := e.Store.UnresolvedOperations(ctx)
	if err != nil {
		return 0, err
	}
	for _, op := range ops {
		if e.isSending(op.ID) {
			continue // in flight in this process: its own answer settles it
		}
		if _, rerr := e.Resolve(ctx, op.ID); rerr != nil && backend.ErrorCode(rerr) == backend.EUNKNOWN {
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
	if op.State == backend.OpPending {
		err := e.fail(ctx, op, backend.Errorf(backend.EUNKNOWN, "送信前に中断されたため、この操作は実行されていません", "the operation was interrupted before it was sent; nothing was done"))
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
	cause := backend.Errorf(backend.EUNKNOWN, "前回の%sの結果が不明でした", "the outcome of the earlier %s was unknown", op.Kind.Label())
	updated, err := e.resolveByInquiry(ctx, gw, profile, p, op, pl, cause)
	res := &Result{Operations: []*backend.Operation{op}, Payment: p, Message: op.Message}
	if updated != nil {
		res.Payment = updated
	}
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
