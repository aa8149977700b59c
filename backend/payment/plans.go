package payment

import (
	"fmt"
	"time"

	"kessaidesk/backend"
)

// Intent is what the operator asks for; the engine turns it into gateway operations.
type Intent string

const (
	IntentCapture       Intent = "capture"        // 売上
	IntentCancel        Intent = "cancel"         // キャンセル (取消/返品/月跨返品/与信取消/返金… chosen by the engine)
	IntentChangeAmount  Intent = "change_amount"  // 金額変更
	IntentPartialRefund Intent = "partial_refund" // 部分返金
	IntentReauth        Intent = "reauth"         // 再オーソリ (GMO family, after a cancel)
	IntentAuthorize     Intent = "authorize"      // 予約 (未オーソリ) → オーソリ
)

// Intents in the order the UI shows them.
var Intents = []Intent{IntentCapture, IntentChangeAmount, IntentPartialRefund, IntentCancel, IntentReauth, IntentAuthorize}

// Label returns the operator's word for the intent.
func (i Intent) Label() string {
	return map[Intent]string{IntentCapture: "売上", IntentCancel: "キャンセル", IntentChangeAmount: "金額変更",
		IntentPartialRefund: "部分返金", IntentReauth: "再オーソリ", IntentAuthorize: "オーソリ"}[i]
}

// Params are the operator's inputs for an intent.
type Params struct {
	Amount     backend.Yen // new total (金額変更), refund amount (部分返金), amount to authorise (再オーソリ; 0 = as before)
	CaptureNow bool        // 金額変更 / 再オーソリ: 即時売上 instead of 仮売上
	// Status is the 対応状況 a 売上 sets: 入金済み (the default, "") or 発送済み — the
	// manuals capture on the day of shipping, and a shipped order must not go back.
	Status backend.OrderStatus
}

// plan is one gateway operation with what success looks like.
type plan struct {
	op          backend.GatewayOp
	expect      backend.PaymentState   // the state the gateway reports after success
	expectAlso  []backend.PaymentState // other states the gateway may report after success
	orderStatus backend.OrderStatus    // the 対応状況 to set on success ("" = unchanged)
	cancelStock bool
	reason      backend.Text // why this operation, in the operator's words
	doneMessage backend.Text // the journal keeps its Japanese
	// adjust records what the gateway's view does not say (our richer state, dates,
	// amounts); nil = nothing.
	adjust func(u *backend.Payment, v *backend.GatewayView, now time.Time, prof *backend.GatewayProfile)
	// amountCheck, when set, is the amount the view must show for success to be proven.
	amountCheck func(v *backend.GatewayView) (ok, known bool)
	// refundByTransfer: a sale cancel; when the gateway refuses it because the card
	// company's window has passed, the sale is refunded by bank transfer (要返金(口座)).
	refundByTransfer bool
}

// orderOnly is a キャンセル that sends nothing to the gateway.
type orderOnly struct {
	reason       backend.Text
	manualRefund backend.Yen // > 0: record a 要返金(口座) task for this amount
}

// Preview is what the UI shows before the operator confirms.
type Preview struct {
	Intent       Intent
	Steps        []Step
	OrderOnly    bool        // nothing is sent to the gateway
	ManualRefund backend.Yen // a 要返金(口座) task will be recorded for this amount
	Reason       string      // Japanese explanation of what will happen and why
	ReasonEn     string
	NewStatus    backend.OrderStatus
}

// Step is one gateway operation of a preview.
type Step struct {
	Kind     backend.OpKind
	Amount   backend.Yen
	Reason   string
	ReasonEn string
}

func conflict(ja, en string, args ...any) error {
	return backend.Errorf(backend.ECONFLICT, ja, en, args...)
}

// planIntent chooses the gateway operations for an intent on a payment, in order, by
// the rules of its contract (prof; nil = the usual ones). Several steps are journalled
// and sent one after the other (Paygent オーソリ変更 then 売上).
func planIntent(p *backend.Payment, intent Intent, prm Params, now time.Time, prof *backend.GatewayProfile) ([]*plan, *orderOnly, error) {
	switch intent {
	case IntentCapture:
		if err := captureWindow(p, now); err != nil {
			return nil, nil, err
		}
		pl, err := planCapture(p, p.AmountAuthorized)
		if err != nil {
			return nil, nil, err
		}
		switch prm.Status {
		case "", backend.OrderPaid:
		case backend.OrderShipped:
			pl.orderStatus = backend.OrderShipped
			pl.doneMessage = backend.Text{Ja: "売上処理が完了しました。対応状況を発送済みにしました", En: "Captured. The order is set to shipped"}
		default:
			return nil, nil, backend.Errorf(backend.EINVALID, "売上と同時に設定できる対応状況は入金済みか発送済みです（「%[1]s」は選べません）",
				"a capture sets the status to paid or shipped, not %[2]q", prm.Status.Label(), prm.Status.LabelEn())
		}
		return []*plan{pl}, nil, nil
	case IntentCancel:
		return planCancel(p, now, prof)
	case IntentChangeAmount:
		pls, err := planChangeAmount(p, prm, now)
		return pls, nil, err
	case IntentPartialRefund:
		pls, err := planPartialRefund(p, prm.Amount)
		return pls, nil, err
	case IntentReauth:
		pl, err := planReauth(p, prm)
		if err != nil {
			return nil, nil, err
		}
		return []*plan{pl}, nil, nil
	case IntentAuthorize:
		pl, err := planAuthorize(p)
		if err != nil {
			return nil, nil, err
		}
		return []*plan{pl}, nil, nil
	}
	return nil, nil, backend.Errorf(backend.EINVALID, "操作「%s」はありません", "unknown operation %q", intent)
}

func planCapture(p *backend.Payment, amount backend.Yen) (*plan, error) {
	if p.Method != backend.MethodCard {
		return nil, conflict("売上処理はクレジットカード決済だけに行えます（この決済は%[1]s）", "only card payments can be captured (this is %[2]s)", p.Method.Label(), p.Method.LabelEn())
	}
	switch p.State {
	case backend.StateAuthorized, backend.StateCaptureFailed:
	case backend.StateCaptured:
		return nil, conflict("この決済は既に実売上です", "this payment is already captured")
	default:
		return nil, conflict("決済状態が「%[1]s」のため売上処理できません。売上処理できるのは仮売上の決済です", "a payment in state %[2]q cannot be captured; only authorised payments can", p.State.Label(), p.State.LabelEn())
	}
	return &plan{
		op:          backend.GatewayOp{Kind: backend.OpCapture, Amount: amount},
		expect:      backend.StateCaptured,
		orderStatus: backend.OrderPaid,
		reason:      backend.Text{Ja: fmt.Sprintf("仮売上 %s を実売上にします", amount), En: fmt.Sprintf("Capture the authorised %s", amount.En())},
		doneMessage: backend.Text{Ja: "売上処理が完了しました。対応状況を入金済みにしました", En: "Captured. The order is set to paid"},
		adjust: func(u *backend.Payment, _ *backend.GatewayView, now time.Time, _ *backend.GatewayProfile) {
			if u.AmountCaptured == 0 {
				u.AmountCaptured = amount
			}
			if u.CapturedAt.IsZero() {
				u.CapturedAt = now
			}
		},
		amountCheck: capturedAmountIs(amount),
	}, nil
}

// captureWindow refuses a capture of an authorisation already known to be past its
// window, instead of sending it to be refused: Paygent lapses an authorisation 60 days
// after it was made (オーソリ期限切, status 33; 2007 to a capture), and the profile's
// authorisation period (AuthExpiresAt) may be shorter. On the last day it still goes.
func captureWindow(p *backend.Payment, now time.Time) error {
	if p.Gateway != backend.GatewayPaygent || p.Method != backend.MethodCard {
		return nil
	}
	if !p.AuthorizedAt.IsZero() && backend.DaysBetweenJST(p.AuthorizedAt, now) > backend.PaygentAuthLimitDays {
		return conflict("オーソリ（%s）から%d日を過ぎ、ペイジェントで「オーソリ期限切」になっているため売上できません（送信していません）。お客様に再度ご購入いただく必要があります",
			"more than %[2]d days since the authorisation (%[1]s): Paygent has lapsed it; nothing was sent", p.AuthorizedAt.In(backend.JST).Format("2006/01/02"), backend.PaygentAuthLimitDays)
	}
	if !p.AuthExpiresAt.IsZero() && p.DaysUntilAuthExpiry(now) < 0 {
		return conflict("与信の有効期限（%s、ゲートウェイ設定の与信の有効期間による）を過ぎているため売上できません（送信していません）。お客様に再度ご購入いただく必要があります",
			"the authorisation expired on %s (the profile's authorisation period); nothing was sent", p.AuthExpiresAt.In(backend.JST).Format("2006/01/02"))
	}
	return nil
}

func capturedAmountIs(amount backend.Yen) func(v *backend.GatewayView) (bool, bool) {
	return func(v *backend.GatewayView) (bool, bool) {
		switch {
		case v.AmountCaptured != 0:
			return v.AmountCaptured == amount, true
		case v.AmountAuthorized != 0:
			return v.AmountAuthorized == amount, true
		}
		return true, true // the state alone proves it
	}
}

func planCancel(p *backend.Payment, now time.Time, prof *backend.GatewayProfile) ([]*plan, *orderOnly, error) {
	ch, err := backend.ChooseCancelFor(p, prof, now)
	if err != nil {
		return nil, nil, err
	}
	if ch.ManualRefund {
		amount := p.AmountCaptured - p.AmountRefunded
		if p.Method != backend.MethodCard {
			amount = p.AmountAuthorized
		}
		return nil, &orderOnly{reason: cancelReason(ch), manualRefund: amount}, nil
	}
	if ch.Kind == "" {
		return nil, &orderOnly{reason: cancelReason(ch)}, nil
	}
	return []*plan{cancelPlan(ch.Kind, cancelReason(ch))}, nil, nil
}

// cancelPlan is the plan of a gateway cancel operation of the given kind.
// cancelReason is a cancel choice's reason in both languages.
func cancelReason(ch backend.CancelChoice) backend.Text {
	return backend.Text{Ja: ch.Reason, En: ch.ReasonEn}
}

func cancelPlan(kind backend.OpKind, reason backend.Text) *plan {
	expect := backend.StateRefunded
	if kind == backend.OpVoid || kind == backend.OpStopPayment {
		expect = backend.StateVoided
	}
	return &plan{
		op:               backend.GatewayOp{Kind: kind},
		expect:           expect,
		orderStatus:      backend.OrderCancelled,
		cancelStock:      true,
		refundByTransfer: expect == backend.StateRefunded,
		reason:           reason,
		doneMessage: backend.Text{Ja: fmt.Sprintf("%sが完了しました。対応状況をキャンセルにし、商品をキャンセル在庫（未対応）に追加しました", kind.Label()),
			En: fmt.Sprintf("%s done. The order is cancelled and its items are on the cancelled-stock list (to do)", kind.LabelEn())},
		adjust: func(u *backend.Payment, _ *backend.GatewayView, _ time.Time, _ *backend.GatewayProfile) {
			if expect == backend.StateRefunded && u.AmountRefunded < u.AmountCaptured {
				u.AmountRefunded = u.AmountCaptured
			}
		},
	}
}

func checkNewAmount(p *backend.Payment, amount backend.Yen) error {
	if amount <= 0 {
		return backend.Errorf(backend.EINVALID, "金額は1円以上で入力してください", "the amount must be at least 1 yen")
	}
	if max := backend.MaxAmount(p.Gateway); amount > max {
		return backend.Errorf(backend.EINVALID, "金額が上限（%s）を超えています", "the amount exceeds the gateway's limit (%s)", max)
	}
	return nil
}

func planChangeAmount(p *backend.Payment, prm Params, now time.Time) ([]*plan, error) {
	amount := prm.Amount
	if err := checkNewAmount(p, amount); err != nil {
		return nil, err
	}
	if p.Method != backend.MethodCard {
		return nil, conflict("%[1]sは受注後に金額を変更できません", "%[2]s payments cannot change their amount", p.Method.Label(), p.Method.LabelEn())
	}
	captured := p.State == backend.StateCaptured
	if p.State != backend.StateAuthorized && !captured {
		return nil, conflict("決済状態が「%[1]s」のため金額変更できません。金額変更できるのは仮売上か実売上の決済です", "a payment in state %[2]q cannot change its amount", p.State.Label(), p.State.LabelEn())
	}
	current := p.AmountAuthorized
	if captured {
		current = p.AmountCaptured
	}
	if amount == current {
		return nil, backend.Errorf(backend.EINVALID, "現在の金額と同じです", "the amount is unchanged")
	}
	captureNow := prm.CaptureNow && !captured
	switch p.Gateway {
	case backend.GatewayGMO, backend.GatewaySGP:
		if days := backend.DaysBetweenJST(p.AuthorizedAt, now); !p.AuthorizedAt.IsZero() && days > backend.GMOChangeLimitDays {
			return nil, conflict("取引日から%d日を過ぎたため金額変更できません", "more than %d days since the transaction; the amount cannot change", backend.GMOChangeLimitDays)
		}
		expect := backend.StateAuthorized
		how, howEn := "仮売上", "authorised"
		if captured || captureNow {
			expect, how, howEn = backend.StateCaptured, "即時売上", "captured at once"
		}
		pl := changePlan(p, amount, expect, captureNow, backend.Text{Ja: fmt.Sprintf("金額を %s から %s に変更します（%sで再オーソリ）", current, amount, how),
			En: fmt.Sprintf("Change the amount from %s to %s (re-authorised, %s)", current.En(), amount.En(), howEn)})
		return []*plan{pl}, nil
	case backend.GatewayPaygent:
		if amount > current {
			return nil, conflict("ペイジェントでは増額できません（減額のみ）。増額はお客様に再度ご購入いただく必要があります", "Paygent cannot increase an amount (decrease only)")
		}
		if captured {
			return []*plan{changePlan(p, amount, backend.StateCaptured, false, backend.Text{Ja: fmt.Sprintf("売上変更: %s から %s に減額します", current, amount),
				En: fmt.Sprintf("Change the sale: lower %s to %s", current.En(), amount.En())})}, nil
		}
		pls := []*plan{changePlan(p, amount, backend.StateAuthorized, false, backend.Text{Ja: fmt.Sprintf("オーソリ変更: %s から %s に減額します", current, amount),
			En: fmt.Sprintf("Change the authorisation: lower %s to %s", current.En(), amount.En())})}
		if captureNow {
			capture, _ := planCapture(&backend.Payment{Method: p.Method, State: backend.StateAuthorized}, amount)
			capture.reason = backend.Text{Ja: "オーソリ変更の後に売上します", En: "Capture after the authorisation is changed"}
			pls = append(pls, capture)
		}
		return pls, nil
	case backend.GatewaySBPS:
		if amount > current {
			return nil, conflict("SBペイメントサービスでは増額できません。お客様に再度ご購入いただく必要があります", "SBPS cannot increase an amount")
		}
		if captured {
			pls, err := planPartialRefund(p, current-amount)
			if err == nil {
				pls[0].reason = backend.Text{Ja: fmt.Sprintf("売上済のため、差額 %s を部分返金します", current-amount),
					En: fmt.Sprintf("Captured already: the difference %s is refunded", (current - amount).En())}
			}
			return pls, err
		}
		if !prm.CaptureNow {
			return nil, conflict("SBペイメントサービスでは売上前の減額は売上と同時に行います。「即時売上」を選んでください", "SBPS lowers an authorised amount at capture: choose capture now")
		}
		pl, err := planCapture(p, amount)
		if err != nil {
			return nil, err
		}
		pl.reason = backend.Text{Ja: fmt.Sprintf("与信額 %s のうち %s を売上します（部分売上）", current, amount),
			En: fmt.Sprintf("Capture %s of the authorised %s (partial capture)", amount.En(), current.En())}
		return []*plan{pl}, nil
	}
	return nil, backend.Errorf(backend.EUNSUPPORTED, "このゲートウェイの金額変更には対応していません", "this gateway cannot change amounts")
}

// changePlan is a gateway amount change (GMO ChangeTran, Paygent 補正オーソリ/補正売上).
func changePlan(p *backend.Payment, amount backend.Yen, expect backend.PaymentState, captureNow bool, reason backend.Text) *plan {
	orderStatus := backend.OrderStatus("")
	done := backend.Text{Ja: "金額変更が完了しました", En: "The amount is changed"}
	if captureNow {
		orderStatus, done = backend.OrderPaid, backend.Text{Ja: "金額変更と売上が完了しました。対応状況を入金済みにしました", En: "The amount is changed and captured. The order is set to paid"}
	}
	return &plan{
		op:          backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: amount, CaptureNow: captureNow},
		expect:      expect,
		orderStatus: orderStatus,
		reason:      reason,
		doneMessage: done,
		adjust: func(u *backend.Payment, v *backend.GatewayView, now time.Time, prof *backend.GatewayProfile) {
			u.AmountAuthorized = amount
			if p.Gateway != backend.GatewaySBPS {
				// GMO ChangeTran and Paygent 補正 authorise anew: the capture window restarts.
				newAuthorisation(u, v, now, prof)
			}
			if expect == backend.StateCaptured {
				u.AmountCaptured = amount
				if u.CapturedAt.IsZero() {
					u.CapturedAt = now
				}
			}
		},
		amountCheck: func(v *backend.GatewayView) (bool, bool) {
			if v.AmountAuthorized == 0 && v.AmountCaptured == 0 {
				return false, false
			}
			return v.AmountAuthorized == amount || v.AmountCaptured == amount, true
		},
	}
}

func planPartialRefund(p *backend.Payment, amount backend.Yen) ([]*plan, error) {
	if p.Method != backend.MethodCard || (p.State != backend.StateCaptured && p.State != backend.StatePartiallyRefunded) {
		return nil, conflict("部分返金できるのは実売上のカード決済です（現在: %[1]s）", "only captured card payments can be partially refunded (now %[2]s)", p.State.Label(), p.State.LabelEn())
	}
	remaining := p.AmountCaptured - p.AmountRefunded
	if amount <= 0 {
		return nil, backend.Errorf(backend.EINVALID, "返金額は1円以上で入力してください", "the refund must be at least 1 yen")
	}
	if amount > remaining {
		return nil, backend.Errorf(backend.EINVALID, "返金額 %s が返金できる残額 %s を超えています", "the refund %s exceeds the refundable %s", amount, remaining)
	}
	if amount == remaining {
		return nil, backend.Errorf(backend.EINVALID, "全額の返金は「キャンセル」で行ってください", "use cancel to refund the whole amount")
	}
	refunded := p.AmountRefunded + amount
	adjust := func(u *backend.Payment, _ *backend.GatewayView, _ time.Time, _ *backend.GatewayProfile) {
		u.State = backend.StatePartiallyRefunded
		u.AmountRefunded = refunded
	}
	if p.Gateway == backend.GatewayGMO || p.Gateway == backend.GatewaySGP {
		// GMO has no refund call: the sale is changed to the lower amount (ChangeTran CAPTURE).
		newSale := remaining - amount
		pl := changePlan(p, newSale, backend.StateCaptured, false, backend.Text{Ja: fmt.Sprintf("売上金額を %s に変更して %s を返金します", newSale, amount),
			En: fmt.Sprintf("Change the sale to %s, refunding %s", newSale.En(), amount.En())})
		pl.adjust = func(u *backend.Payment, v *backend.GatewayView, now time.Time, prof *backend.GatewayProfile) {
			adjust(u, v, now, prof)
			u.AmountCaptured = p.AmountCaptured // keep the original sale; the refund is recorded separately
			u.AmountAuthorized = p.AmountAuthorized
		}
		pl.doneMessage = partialRefundDone(amount)
		return []*plan{pl}, nil
	}
	return []*plan{{
		op:         backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: amount},
		expect:     backend.StatePartiallyRefunded,
		expectAlso: []backend.PaymentState{backend.StateCaptured}, // some gateways still say 売上済
		reason: backend.Text{Ja: fmt.Sprintf("%s を部分返金します（返金後の売上 %s）", amount, remaining-amount),
			En: fmt.Sprintf("Refund %s (the sale is then %s)", amount.En(), (remaining - amount).En())},
		doneMessage: partialRefundDone(amount),
		adjust:      adjust,
		amountCheck: func(v *backend.GatewayView) (bool, bool) {
			if v.AmountRefunded == 0 {
				return false, false // the gateway does not say how much was refunded
			}
			return v.AmountRefunded >= refunded, true
		},
	}}, nil
}

func planReauth(p *backend.Payment, prm Params) (*plan, error) {
	if p.Gateway != backend.GatewayGMO && p.Gateway != backend.GatewaySGP {
		return nil, backend.Errorf(backend.EUNSUPPORTED, "再オーソリはGMO-PG / SMBC GMO PAYMENTのカード決済だけで行えます", "re-authorisation is only offered by the GMO family")
	}
	if p.Method != backend.MethodCard || (p.State != backend.StateVoided && p.State != backend.StateRefunded) {
		return nil, conflict("再オーソリできるのは取消・返品済みのカード決済です（現在: %[1]s）", "only voided or returned card payments can be re-authorised (now %[2]s)", p.State.Label(), p.State.LabelEn())
	}
	amount := prm.Amount
	if amount == 0 {
		amount = p.AmountAuthorized
	}
	if err := checkNewAmount(p, amount); err != nil {
		return nil, err
	}
	expect, status, how, howEn := backend.StateAuthorized, backend.OrderNew, "仮売上", "authorised"
	if prm.CaptureNow {
		expect, status, how, howEn = backend.StateCaptured, backend.OrderPaid, "即時売上", "captured at once"
	}
	return &plan{
		op:          backend.GatewayOp{Kind: backend.OpReauth, Amount: amount, CaptureNow: prm.CaptureNow},
		expect:      expect,
		orderStatus: status,
		reason: backend.Text{Ja: fmt.Sprintf("キャンセル済みの取引を %s で再オーソリします（%s）。再オーソリした取引は3Dセキュアの対象外です", amount, how),
			En: fmt.Sprintf("Re-authorise the cancelled transaction for %s (%s). A re-authorised transaction has no 3-D Secure", amount.En(), howEn)},
		doneMessage: backend.Text{Ja: fmt.Sprintf("再オーソリが完了しました（%s）。対応状況を%sにしました。キャンセル在庫の状況を確認してください", how, status.Label()),
			En: fmt.Sprintf("Re-authorised (%s). The order is set to %s. Check the cancelled stock", howEn, status.LabelEn())},
		adjust: func(u *backend.Payment, v *backend.GatewayView, now time.Time, prof *backend.GatewayProfile) {
			u.AmountAuthorized, u.AmountRefunded = amount, 0
			u.AmountCaptured, u.CapturedAt = 0, time.Time{}
			newAuthorisation(u, v, now, prof)
			if expect == backend.StateCaptured {
				u.AmountCaptured, u.CapturedAt = amount, u.AuthorizedAt
			}
		},
	}, nil
}

func planAuthorize(p *backend.Payment) (*plan, error) {
	if p.State != backend.StateReserved {
		return nil, conflict("オーソリできるのは未オーソリ（予約）の決済です（現在: %[1]s）", "only reservations can be authorised (now %[2]s)", p.State.Label(), p.State.LabelEn())
	}
	if !backend.Supports(p.Gateway, p.Method, backend.OpAuthorize) {
		return nil, backend.Errorf(backend.EUNSUPPORTED, "%[1]sでは予約受注のオーソリをこのアプリから行えません。ゲートウェイの管理画面で行ってください",
			"%[2]s cannot authorise a reservation from this app; use the gateway's console", p.Gateway.Label(), p.Gateway.LabelEn())
	}
	return &plan{
		op:          backend.GatewayOp{Kind: backend.OpAuthorize, Amount: p.AmountAuthorized},
		expect:      backend.StateAuthorized,
		orderStatus: backend.OrderNew,
		reason:      backend.Text{Ja: fmt.Sprintf("予約受注の %s をオーソリします", p.AmountAuthorized), En: fmt.Sprintf("Authorise the reservation's %s", p.AmountAuthorized.En())},
		doneMessage: backend.Text{Ja: "オーソリが完了しました。対応状況を新規受付にしました", En: "Authorised. The order is set to new"},
		adjust: func(u *backend.Payment, v *backend.GatewayView, now time.Time, prof *backend.GatewayProfile) {
			newAuthorisation(u, v, now, prof)
		},
	}, nil
}

// newAuthorisation dates an authorisation the operation just made: the gateway's own
// date when its answer gives one (the authorisation's, else the processing date of
// this very request), else the moment it answered; the expiry counts from it.
func newAuthorisation(u *backend.Payment, v *backend.GatewayView, now time.Time, prof *backend.GatewayProfile) {
	at := now
	if v != nil && !v.AuthorizedAt.IsZero() {
		at = v.AuthorizedAt
	} else if v != nil && !v.ProcessedAt.IsZero() {
		at = v.ProcessedAt
	}
	u.AuthorizedAt, u.AuthExpiresAt = at, authExpiry(at, prof)
}

// authExpiry is when an authorisation made at t stops being capturable.
func authExpiry(now time.Time, prof *backend.GatewayProfile) time.Time {
	days := 0
	if prof != nil {
		days = prof.AuthExpiryDays
	}
	if days <= 0 && prof != nil {
		days = backend.DefaultAuthExpiryDays(prof.Kind)
	}
	return now.AddDate(0, 0, days)
}

// planFromJournal rebuilds the plan of a journalled operation, to decide an unknown
// outcome after a timeout or a crash. The payment is taken as it was before it.
func planFromJournal(op *backend.Operation, p *backend.Payment, now time.Time) (*plan, error) {
	before := *p
	if op.BeforeState != "" {
		before.State = op.BeforeState
	}
	prm := Params{Amount: op.Amount, CaptureNow: op.CaptureNow}
	var pls []*plan
	var err error
	switch Intent(op.Intent) {
	case IntentPartialRefund:
		refund := op.Amount
		if op.Kind == backend.OpChangeAmount { // GMO: the sale was changed to the lower amount
			refund = before.AmountCaptured - before.AmountRefunded - op.Amount
		}
		pls, err = planPartialRefund(&before, refund)
	case IntentChangeAmount:
		switch op.Kind {
		case backend.OpCapture:
			var pl *plan
			pl, err = planCapture(&before, op.Amount)
			pls = []*plan{pl}
		case backend.OpPartialRefund:
			pls, err = planPartialRefund(&before, op.Amount)
		default:
			pls, err = planChangeAmount(&before, prm, now)
		}
	case IntentCancel:
		// What counts is the operation that was sent, whatever the date says now.
		pls = []*plan{cancelPlan(op.Kind, backend.Text{Ja: op.Reason})} // the journal keeps the Japanese reason
	case IntentCapture:
		// Likewise: a capture sent inside the window is decided after it, too.
		var pl *plan
		pl, err = planCapture(&before, op.Amount)
		pls = []*plan{pl}
	default:
		pls, _, err = planIntent(&before, Intent(op.Intent), prm, now, nil)
	}
	if err != nil {
		return nil, err
	}
	for _, pl := range pls {
		if pl.op.Kind == op.Kind {
			pl.op.Amount = op.Amount
			return pl, nil
		}
	}
	return nil, fmt.Errorf("no plan matches the journalled operation %d (%s/%s)", op.ID, op.Intent, op.Kind)
}

// partialRefundDone is the journal's words for a partial refund done.
func partialRefundDone(amount backend.Yen) backend.Text {
	return backend.Text{Ja: fmt.Sprintf("%s の部分返金が完了しました", amount), En: fmt.Sprintf("%s refunded", amount.En())}
}
