package payment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kessaidesk/backend"
)

// IntentGatewayChange is the intent of a journal entry that records a change made at
// the gateway (its console, the shop's back office), found by the inquiry that
// follows a refusal.
const IntentGatewayChange = "gateway_change"

// refused settles an operation the gateway refused because of the payment's state
// there (ClassAlreadyDone: already captured, already cancelled, not possible in this
// state). That is an answer, not an unknown outcome: this request was not applied, and
// the operation fails in the gateway's words. The gateway is then asked what the
// payment is now:
//   - what we have: nothing changed; the facts it gives (dates, tax) are kept, so a
//     cancel kind chosen next rests on the gateway's processing date;
//   - another state an operation could lead to: it was changed at the gateway, and is
//     journalled as such by the system (OpSyncFix, 自動同期) — never as this operation.
//     When the gateway already shows what the operator asked for, the order's 対応状況
//     follows the operator's request, in their name; otherwise it is left alone;
//   - a state no operation leads to from ours: listed in 差異, nothing recorded.
//
// The message says what the gateway said, then what the inquiry showed: it never
// says both "may already be done" and "was not done".
func (e *Engine) refused(ctx context.Context, gw backend.Gateway, prof *backend.GatewayProfile, p *backend.Payment, op *backend.Operation, pl *plan, cause error) (*backend.Payment, error) {
	callCtx, cancel := context.WithTimeout(ctx, e.timeout())
	view, ierr := gw.Inquire(callCtx, p)
	cancel()
	ja := fmt.Sprintf("ゲートウェイは%sを受け付けませんでした（%s）。", op.Kind.Label(), backend.ErrorMessage(cause, "ja"))
	en := fmt.Sprintf("The gateway refused the %s (%s). ", op.Kind.LabelEn(), backend.ErrorMessage(cause, "en"))
	return e.notApplied(ctx, gw, prof, p, op, pl, cause, view, ierr, ja, en)
}

// gatewayClockSkew is how far the gateway's clock and ours may disagree.
const gatewayClockSkew = 5 * time.Minute

// processedBefore: the gateway's latest processing of the transaction predates the
// request, so the request changed nothing there. Only GMO's ProcessDate is known to
// move, to the second, with every change the gateway applies (SALES, cancels,
// ChangeTran, re-authorisation: gmo-mulpay.md §1.3, §4); SBPS's inquiry has no date,
// and Paygent's dates are not known to carry the time of each change.
func processedBefore(p *backend.Payment, v *backend.GatewayView, op *backend.Operation) bool {
	gmo := p.Gateway == backend.GatewayGMO || p.Gateway == backend.GatewaySGP
	return gmo && v != nil && !v.ProcessedAt.IsZero() && !op.RequestedAt.IsZero() && v.ProcessedAt.Before(op.RequestedAt.Add(-gatewayClockSkew))
}

// notOurs settles an operation whose answer was lost when the inquiry shows the state
// it would have made, but dated before the request was sent: the gateway was already
// there (its console), and this request was not applied.
func (e *Engine) notOurs(ctx context.Context, gw backend.Gateway, prof *backend.GatewayProfile, p *backend.Payment, op *backend.Operation, pl *plan, cause error, view *backend.GatewayView) (*backend.Payment, error) {
	at := view.ProcessedAt.In(backend.JST).Format("2006/01/02 15:04")
	ja := fmt.Sprintf("%sの応答を確認できませんでした（%s）。ゲートウェイの最後の処理（%s）はこの操作の送信より前のため、この操作は実行されていません。",
		op.Kind.Label(), backend.ErrorMessage(cause, "ja"), at)
	en := fmt.Sprintf("The answer to the %s was lost (%s); the gateway's latest processing (%s) predates the request, so it was not carried out. ",
		op.Kind.LabelEn(), backend.ErrorMessage(cause, "en"), at)
	return e.notApplied(ctx, gw, prof, p, op, pl, cause, view, nil, ja, en)
}

// notApplied records op as not carried out (failed, with ja/en saying why) and what
// the gateway's view shows (see refused).
func (e *Engine) notApplied(ctx context.Context, gw backend.Gateway, prof *backend.GatewayProfile, p *backend.Payment, op *backend.Operation, pl *plan, cause error,
	view *backend.GatewayView, ierr error, ja, en string) (*backend.Payment, error) {
	now := e.now()
	// The stored payment is what the gateway's state is compared with (p may carry a
	// state assumed for reconciliation).
	stored, err := e.Store.PaymentByID(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if ierr == nil && view == nil {
		ierr = backend.Errorf(backend.EUNKNOWN, "照会の応答がありません", "no inquiry answer")
	}
	var (
		result *backend.Payment
		fix    *backend.Completion
	)
	switch {
	case ierr != nil:
		ja += "今の状態を照会できなかったため、決済状態は変えていません（次の同期で確認します）"
		en += "Its current state could not be asked, so nothing else was recorded (the next sync checks it)."
	case !view.Found:
		ja += "照会したところ、ゲートウェイにこの取引が見つかりません。ゲートウェイの管理画面で確認してください"
		en += "The gateway's inquiry finds no such transaction: check the gateway's console."
	case view.State == backend.StateNeedsReview && view.Several:
		ja += "照会したところ、" + severalJa
		en += "The gateway holds several payments under this id and cannot say which is current: choose it in the order's detail."
	case view.State == backend.StateNeedsReview:
		ja += fmt.Sprintf("照会したゲートウェイの状態（%s）からは判断できません。ゲートウェイの管理画面で確認してください", view.RawStatus)
		en += fmt.Sprintf("The gateway's state (%s) does not tell: check the gateway's console.", view.RawStatus)
	case view.State == stored.State && sameAmount(stored, view):
		keep := stored.WithView(view, now)
		keep.State, keep.RawStatus = stored.State, stored.RawStatus
		if err := e.Store.SavePayment(ctx, keep); err != nil {
			return nil, err
		}
		result = keep
		ja += fmt.Sprintf("照会したところ、ゲートウェイでも「%s」のままです", stored.State.Label())
		en += fmt.Sprintf("The gateway still shows %s.", stored.State.LabelEn())
		if next := nextCancel(keep, op, now); next != "" {
			ja += "。" + next
		}
	case !backend.CanTransition(stored.State, view.State):
		e.Store.SaveDrift(ctx, &backend.Drift{PaymentID: p.ID, FoundAt: now, OurState: stored.State, GatewayState: view.State,
			OurAmount: stored.AmountAuthorized, GatewayAmount: view.AmountAuthorized, RawStatus: view.RawStatus,
			Detail:   fmt.Sprintf("%sが受け付けられなかった後に照会したところ、ゲートウェイの状態が違いました", op.Kind.Label()),
			DetailEn: fmt.Sprintf("asked after the %s was refused: the gateway's state differs", op.Kind.LabelEn())})
		ja += fmt.Sprintf("照会したところ、ゲートウェイでは「%s」です。このアプリの状態からは起こりえない違いのため記録せず、作業リストの「差異」に載せました", view.State.Label())
		en += fmt.Sprintf("The gateway shows %s, which no operation leads to from ours: listed under 差異, nothing recorded.", view.State.LabelEn())
	default:
		u := stored.WithView(view, now)
		fix = &backend.Completion{Payment: u, OrderActor: op.Operator}
		if view.State == stored.State {
			ja += fmt.Sprintf("照会したところ、ゲートウェイでは金額が %s から %s に変わっていました（管理画面など、このアプリの外で変更されたものです）。ゲートウェイでの変更として記録し、金額を合わせました",
				stored.AmountAuthorized, view.AmountAuthorized)
			en += fmt.Sprintf("The gateway shows the amount changed from %s to %s (outside this app, e.g. in its console): recorded as a change made at the gateway.",
				stored.AmountAuthorized, view.AmountAuthorized)
		} else {
			ja += fmt.Sprintf("照会したところ、ゲートウェイでは既に「%s」でした（管理画面など、このアプリの外で変更されたものです）。ゲートウェイでの変更として記録し、決済状態を合わせました", view.State.Label())
			en += fmt.Sprintf("The gateway already shows %s (changed outside this app, e.g. in its console): recorded as a change made at the gateway.", view.State.LabelEn())
		}
		if done, known := decide(view, pl); done && known {
			// What the operator asked for is what the gateway shows.
			if pl.adjust != nil {
				pl.adjust(u, view, now, prof)
			}
			fix.OrderStatus, fix.CancelStock = pl.orderStatus, pl.cancelStock
			en += " As asked, the order's status follows."
			switch {
			case pl.cancelStock:
				ja += fmt.Sprintf("。ご依頼どおり、対応状況を%sにし、商品をキャンセル在庫（未対応）に追加しました", pl.orderStatus.Label())
			case pl.orderStatus != "":
				ja += fmt.Sprintf("。ご依頼どおり、対応状況を%sにしました", pl.orderStatus.Label())
			}
		} else if u.State != stored.State {
			en += " The order's status is unchanged."
			ja += "。対応状況は変えていません"
			if u.State == backend.StateVoided || u.State == backend.StateRefunded {
				ja += "（出荷前なら出荷を止めてください）"
			}
		}
		if next := nextCancel(u, op, now); next != "" {
			ja += "。" + next
		}
		result = u
	}
	op.State, op.AfterState, op.Message, op.MessageEn = backend.OpFailed, op.BeforeState, ja, en
	if err := e.Store.CompleteOperation(ctx, &backend.Completion{Op: op}); err != nil {
		return nil, err
	}
	if ierr == nil && view.Several {
		// 要確認 with the candidates until the operator chooses (AwaitChoice).
		if _, err := e.awaitChoice(ctx, gw, stored, view, nil); err != nil {
			return nil, err
		}
	}
	class := backend.ErrorClassOf(cause)
	if class == backend.ClassUnknown || class == backend.ClassNone {
		class = backend.ClassNotSent // decided: not an unknown outcome any more (see resolveByInquiry)
	}
	refusal := &backend.Error{Code: backend.EGATEWAY, Class: class, Message: ja, MessageEn: en, GatewayCode: op.GatewayCode, Err: cause}
	if fix == nil {
		return result, refusal
	}
	if err := e.recordGatewayChange(ctx, stored, op, fix); errors.Is(err, backend.ErrPaymentChanged) {
		// Changed since it was read (another desktop recorded the gateway's change
		// first, or moved on from it): that record stands, none is added.
		if cur, rerr := e.Store.PaymentByID(ctx, p.ID); rerr == nil {
			result = cur
		}
	} else if err != nil {
		return nil, err
	}
	return result, refusal
}

// recordGatewayChange journals a change the gateway made, found after op was refused.
func (e *Engine) recordGatewayChange(ctx context.Context, before *backend.Payment, op *backend.Operation, c *backend.Completion) error {
	now := e.now()
	c.Op = &backend.Operation{PaymentID: before.ID, Intent: IntentGatewayChange, Kind: backend.OpSyncFix,
		IdempotencyKey: op.IdempotencyKey + "/gateway", Operator: backend.ActorSync, BeforeState: before.State, RequestedAt: now,
		Reason: "ゲートウェイで変更済み", PaymentVersion: before.Version} // only over the payment as read
	if err := e.Store.BeginOperation(ctx, c.Op); err != nil {
		return err
	}
	c.Op.State, c.Op.AfterState, c.Op.GatewayCode = backend.OpSucceeded, c.Payment.State, c.Payment.RawStatus
	change := fmt.Sprintf("「%s」→「%s」", before.State.Label(), c.Payment.State.Label())
	changeEn := fmt.Sprintf("%s → %s", before.State.LabelEn(), c.Payment.State.LabelEn())
	if a, b := before.AmountAuthorized, c.Payment.AmountAuthorized; a != b {
		change += fmt.Sprintf("、金額 %s → %s", a, b)
		changeEn += fmt.Sprintf(", amount %s → %s", a.En(), b.En())
	}
	c.Op.Message = fmt.Sprintf("ゲートウェイで変更済み: %s（%sが送った%sをゲートウェイが受け付けなかったため照会して確認）",
		change, op.Operator, op.Kind.Label())
	c.Op.MessageEn = fmt.Sprintf("Changed at the gateway: %s (found by inquiry after the gateway refused the %s %s sent)",
		changeEn, op.Kind.LabelEn(), op.Operator)
	if c.OrderStatus != "" {
		c.Op.Message += fmt.Sprintf("。対応状況は%sのご依頼どおり%sに", op.Operator, c.OrderStatus.Label())
		c.Op.MessageEn += fmt.Sprintf(". The order is set to %s as %s asked", c.OrderStatus.LabelEn(), op.Operator)
	}
	return e.Store.CompleteOperation(ctx, c)
}

// sameAmount: the gateway's amount, where it gives one, is ours. After a partial
// refund the gateway may hold the rest as the sale while we keep the original.
func sameAmount(p *backend.Payment, v *backend.GatewayView) bool {
	return v.AmountAuthorized == 0 || p.AmountAuthorized == 0 || v.AmountAuthorized == p.AmountAuthorized ||
		p.State == backend.StatePartiallyRefunded
}

// nextCancel says what to do after a refused cancel when the gateway's dates, now
// known, lead to another kind ("" when they lead to the same one).
func nextCancel(p *backend.Payment, op *backend.Operation, now time.Time) string {
	if Intent(op.Intent) != IntentCancel {
		return ""
	}
	ch, err := backend.ChooseCancel(p, now)
	if err != nil || ch.Kind == op.Kind {
		return ""
	}
	return "もう一度「キャンセル」を押すと、照会したゲートウェイの日付で選び直します（" + ch.Reason + "）"
}
