package sync

import (
	"context"
	"fmt"
	gosync "sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
)

// Reconcile compares every open payment with the gateway — including those the
// periodic sync does not ask about, such as captures of the last days — and lists each
// difference. Nothing is changed: the operator fixes each one in the direction they choose.
func (s *Syncer) Reconcile(ctx context.Context, since time.Time) (*Report, error) {
	rep := &Report{StartedAt: s.Clock.Now()}
	profiles, err := s.Store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	var mu gosync.Mutex
	for _, prof := range profiles {
		gw, err := s.Gateways.Gateway(ctx, prof)
		if err != nil {
			rep.Errors = append(rep.Errors, prof.Name+": "+backend.ErrorMessage(err, "ja"))
			continue
		}
		pays, err := s.Store.FindPayments(ctx, backend.PaymentFilter{ProfileID: prof.ID, States: []backend.PaymentState{
			backend.StateAuthorized, backend.StateCaptured, backend.StatePartiallyRefunded, backend.StateAwaitingDeposit,
			backend.StateCaptureFailed, backend.StateNeedsReview,
		}})
		if err != nil {
			return nil, err
		}
		for i, p := range pays {
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			if p.State == backend.StateCaptured && p.CapturedAt.Before(since) {
				continue
			}
			if s.Limits != nil {
				if err := s.Limits.For(prof.ID).Wait(ctx); err != nil {
					return rep, err
				}
			}
			v, sent, err := inquire(ctx, gw, p)
			rep.Requests += sent
			rep.Checked++
			if err != nil {
				if backend.ErrorCode(err) == backend.EOFFLINE {
					rep.Offline = append(rep.Offline, prof.Name)
					break
				}
				rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %s", p.GatewayOrderID, backend.ErrorMessage(err, "ja")))
				continue
			}
			// Fix: agreement is judged as in the periodic sync (apply): 売上失敗 with the
			// authorisation still open at the gateway is not a difference (Reconcile listed it
			// and every run cleared it again), and a payment the gateway lacks says so
			// instead of 「ゲートウェイは「」」.
			switch {
			case !v.Found:
				s.drift(ctx, p, v, "ゲートウェイにこの取引がありません", rep, &mu)
			case (v.State == p.State || p.State == backend.StateCaptureFailed && v.State == backend.StateAuthorized) && amountsAgree(p, v) ||
				p.State == backend.StatePartiallyRefunded && v.State == backend.StateCaptured:
				s.Store.DeleteDrift(ctx, p.ID)
			default:
				s.drift(ctx, p, v, "", rep, &mu)
			}
			if (i+1)%20 == 0 || i+1 == len(pays) {
				s.notifier().Emit(EventProgress, Progress{Profile: prof.Name, Done: i + 1, Total: len(pays)})
			}
		}
	}
	rep.FinishedAt = s.Clock.Now()
	return rep, nil
}

// AcceptGateway fixes a difference towards the gateway: our payment takes the state the
// gateway reports now (asked again at the click), journalled under the operator's name.
func (s *Syncer) AcceptGateway(ctx context.Context, paymentID int64, operator string) error {
	p, err := s.Store.PaymentByID(ctx, paymentID)
	if err != nil {
		return err
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
	u := p.WithView(v, s.Clock.Now())
	now := s.Clock.Now()
	op := &backend.Operation{PaymentID: p.ID, Intent: "reconcile", Kind: backend.OpSyncFix, IdempotencyKey: fmt.Sprintf("reconcile/%d/%d", p.ID, now.UnixNano()),
		Operator: operator, BeforeState: p.State, RequestedAt: now, Reason: "差異の解消（ゲートウェイの状態に合わせる）"}
	if err := s.Store.BeginOperation(ctx, op); err != nil {
		return err
	}
	op.State, op.AfterState, op.GatewayCode = backend.OpSucceeded, u.State, v.RawStatus
	op.Message = fmt.Sprintf("ゲートウェイの状態（%s）に合わせました", v.State.Label())
	if err := s.Store.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: u}); err != nil {
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
