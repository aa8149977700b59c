package payment

import (
	"context"
	"fmt"

	"kessaidesk/backend"
)

// outcomeOf rebuilds, from a journal entry, what success of the operation looks like,
// so an operation left unknown (or interrupted by a crash) can be decided later.
func outcomeOf(op *backend.Operation) *plan {
	pl := &plan{op: backend.GatewayOp{Kind: op.Kind, Amount: op.Amount}, reason: op.Reason}
	switch op.Kind {
	case backend.OpCapture:
		pl.expect, pl.orderStatus = backend.StateCaptured, backend.OrderPaid
		pl.doneMessage = "売上処理が完了しました。対応状況を入金済みにしました"
	default:
		return nil
	}
	return pl
}

// ResolveUnresolved settles every operation left pending, sent or unknown — by a
// crash, a closed laptop or a timeout — by asking the gateway. It returns how many
// remain unresolved (the gateway could not be reached). Run it at start-up.
func (e *Engine) ResolveUnresolved(ctx context.Context) (remaining int, err error) {
	ops, err := e.Store.UnresolvedOperations(ctx)
	if err != nil {
		return 0, err
	}
	for _, op := range ops {
		if _, rerr := e.Resolve(ctx, op.ID); rerr != nil && backend.ErrorCode(rerr) == backend.EUNKNOWN {
			remaining++
		}
	}
	return remaining, nil
}

// Resolve settles one unresolved operation. A pending operation was never sent (the
// journal marks "sent" before the request), so it fails without asking; a sent or
// unknown one is decided by the gateway's inquiry.
func (e *Engine) Resolve(ctx context.Context, opID int64) (*Result, error) {
	op, err := e.Store.OperationByID(ctx, opID)
	if err != nil {
		return nil, err
	}
	if !op.State.Unresolved() {
		p, err := e.Store.PaymentByID(ctx, op.PaymentID)
		return &Result{Operation: op, Payment: p}, err
	}
	p, err := e.Store.PaymentByID(ctx, op.PaymentID)
	if err != nil {
		return nil, err
	}
	if op.State == backend.OpPending {
		return e.fail(ctx, op, backend.Errorf(backend.EUNKNOWN, "送信前に中断されたため、この操作は実行されていません", "the operation was interrupted before it was sent; nothing was done"))
	}
	pl := outcomeOf(op)
	if pl == nil {
		return nil, fmt.Errorf("no outcome rule for operation kind %q", op.Kind)
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
	return e.resolveByInquiry(ctx, gw, p, op, pl, cause)
}
