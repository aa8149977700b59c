package sync

import (
	"context"
	"fmt"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
)

// AcceptGateway fixes a difference towards the gateway: our payment takes the state the
// gateway reports now (asked again at the click), journalled under the operator's name.
func (s *Syncer) AcceptGateway(ctx context.Context, paymentID int64, operator string) error {
	return s.takeGateway(ctx, paymentID, operator, false)
}

// CancelHeldOrder answers 「出荷を止める」 with キャンセルにする: the payment takes the state
// the gateway reports now — it must still be cancelled or refunded there — and the
// order becomes キャンセル with its items on the キャンセル在庫 list, in one journalled
// step under the operator's name. Nothing is sent to the gateway.
func (s *Syncer) CancelHeldOrder(ctx context.Context, paymentID int64, operator string) error {
	return s.takeGateway(ctx, paymentID, operator, true)
}

// KeepHeldOrder answers 「出荷を止める」 with the order kept as it is: it leaves the list
// (the difference, if any, stays in 差異 for the payment).
func (s *Syncer) KeepHeldOrder(ctx context.Context, paymentID int64, operator string) error {
	return s.Store.KeepShipping(ctx, paymentID, operator)
}

func (s *Syncer) takeGateway(ctx context.Context, paymentID int64, operator string, cancelOrder bool) error {
	p, err := s.Store.PaymentByID(ctx, paymentID)
	if err != nil {
		return err
	}
	if cancelOrder {
		o, err := s.Store.OrderByID(ctx, p.OrderID)
		if err != nil {
			return err
		}
		if o.Status == backend.OrderShipped || o.Status == backend.OrderCancelled {
			return backend.Errorf(backend.ECONFLICT, "受注 %[1]s は既に「%[2]s」です", "order %[1]s is already %[3]s", o.OrderNo, o.Status.Label(), o.Status.LabelEn())
		}
	}
	prof, err := s.Store.ProfileByID(ctx, p.ProfileID)
	if err != nil {
		return err
	}
	gw, err := s.Gateways.Gateway(ctx, prof)
	if err != nil {
		return err
	}
	v, err := gw.Inquire(ctx, p)
	if err != nil {
		return err
	}
	if !v.Found {
		return backend.Errorf(backend.ECONFLICT, "ゲートウェイにこの取引がないため、ゲートウェイの状態に合わせられません", "the gateway has no such transaction")
	}
	reason := "差異の解消（ゲートウェイの状態に合わせる）"
	if cancelOrder {
		if v.State != backend.StateVoided && v.State != backend.StateRefunded {
			return backend.Errorf(backend.ECONFLICT, "ゲートウェイでは今「%s」です。受注はキャンセルにしていません。作業リストの「差異」で確認してください",
				"the gateway now reports %s; the order was not cancelled: see 差異", v.State.Label())
		}
		reason = "出荷を止める: キャンセルにする（ゲートウェイで「" + v.State.Label() + "」）"
	}
	now := s.Clock.Now()
	u := p.WithView(v, now)
	op := &backend.Operation{PaymentID: p.ID, Intent: "reconcile", Kind: backend.OpSyncFix, IdempotencyKey: fmt.Sprintf("reconcile/%d/%d", p.ID, now.UnixNano()),
		Operator: operator, BeforeState: p.State, RequestedAt: now, Reason: reason, PaymentVersion: p.Version}
	// Only over the payment as read before the inquiry: one changed since (an operation
	// completed on another desktop) is refused, nothing written (ErrPaymentChanged).
	if err := s.Store.BeginOperation(ctx, op); err != nil {
		return err
	}
	op.State, op.AfterState, op.GatewayCode = backend.OpSucceeded, u.State, v.RawStatus
	op.Message = fmt.Sprintf("ゲートウェイの状態（%s）に合わせました", v.State.Label())
	op.MessageEn = fmt.Sprintf("Set to the gateway's state (%s)", v.State.LabelEn())
	c := &backend.Completion{Op: op, Payment: u}
	if cancelOrder {
		op.Message += "。受注をキャンセルにし、商品をキャンセル在庫（未対応）に追加しました"
		op.MessageEn += ". The order is cancelled and its items are on the cancelled-stock list (to do)"
		c.OrderStatus, c.CancelStock = backend.OrderCancelled, true
	}
	if err := s.Store.CompleteOperation(ctx, c); err != nil {
		return err
	}
	return s.Store.DeleteDrift(ctx, p.ID)
}

// PushOurs fixes a difference towards our state: it sends the operation that brings the
// gateway where we are (capture, cancel or amount change), through the engine.
func (s *Syncer) PushOurs(ctx context.Context, paymentID int64, operator string) (*payment.Result, error) {
	drifts, err := s.Store.Drifts(ctx)
	if err != nil {
		return nil, err
	}
	var d *backend.Drift
	for i := range drifts {
		if drifts[i].PaymentID == paymentID {
			d = &drifts[i]
		}
	}
	if d == nil {
		return nil, backend.Errorf(backend.ENOTFOUND, "この決済の差異はありません", "no difference is recorded for this payment")
	}
	// The engine plans from the gateway's state, since that is what it must change.
	req := payment.Request{PaymentID: paymentID, Operator: operator, AssumeState: d.GatewayState}
	switch {
	case d.OurState == backend.StateCaptured && d.GatewayState == backend.StateAuthorized:
		req.Intent = payment.IntentCapture
	case (d.OurState == backend.StateVoided || d.OurState == backend.StateRefunded) &&
		(d.GatewayState == backend.StateAuthorized || d.GatewayState == backend.StateCaptured):
		req.Intent = payment.IntentCancel
	case d.OurState == d.GatewayState && d.GatewayAmount != 0 && d.OurAmount != d.GatewayAmount:
		req.Intent, req.Params, req.AssumeAmount = payment.IntentChangeAmount, payment.Params{Amount: d.OurAmount}, d.GatewayAmount
	default:
		return nil, backend.Errorf(backend.EUNSUPPORTED, "「%s」のゲートウェイを「%s」にする操作はありません。ゲートウェイの状態に合わせてください",
			"no operation turns %s at the gateway into %s; accept the gateway's state instead", d.GatewayState.Label(), d.OurState.Label())
	}
	res, err := s.Engine.Run(ctx, req)
	if err != nil {
		return nil, err
	}
	s.Store.DeleteDrift(ctx, paymentID)
	return res, nil
}
