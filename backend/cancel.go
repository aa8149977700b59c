package backend

import (
	"fmt"
	"time"
)

// Card-company windows. GMO-PG's own module refuses a cancel 180 days after the
// transaction (E11010010…) and a capture after 90 days; SBPS allows sales and refunds
// until the end of the third month (its errors 42 and 56); Paygent's sales cancel ends
// about 60 days after the sale or the authorisation (status 41, code 2007), depending
// on the contract: GatewayProfile.SalesCancel.
const (
	GMOCancelLimitDays     = 180
	GMOChangeLimitDays     = 180
	PaygentRefundLimitDays = 60
	PaygentAuthLimitDays   = 60 // オーソリ期限切 (status 33) after this many days
)

// CancelChoice is the gateway operation a キャンセル needs, and why.
type CancelChoice struct {
	Kind OpKind // the gateway operation; "" when nothing is sent to the gateway
	// ManualRefund: the card company's window has passed or the money was paid at a
	// store; the shop must pay the customer back by bank transfer (要返金(口座)).
	ManualRefund bool
	Reason       string // Japanese, shown before sending
	ReasonEn     string
}

// ChooseCancel is ChooseCancelFor with the usual windows of every contract.
func ChooseCancel(p *Payment, now time.Time) (CancelChoice, error) {
	return ChooseCancelFor(p, nil, now)
}

// ChooseCancelFor decides, from the payment's gateway, state and dates (in Asia/Tokyo)
// and the windows of its contract (prof; nil = the usual ones), which operation
// cancels it. The operator only presses キャンセル.
func ChooseCancelFor(p *Payment, prof *GatewayProfile, now time.Time) (CancelChoice, error) {
	switch p.State {
	case StateVoided, StateRefunded:
		return CancelChoice{}, Errorf(ECONFLICT, "この決済は既に%[1]sです", "this payment is already %[2]s", p.State.Label(), p.State.LabelEn())
	case StateExpired:
		if p.Method == MethodCard && (p.Gateway == GatewayGMO || p.Gateway == GatewaySGP) {
			// GMO keeps an authorisation past its capture window (AUTH, cancellable for
			// 180 days): release it like any authorisation not captured.
			return chooseGMOCancel(p, now, false)
		}
		return CancelChoice{Reason: "支払期限（与信期限）が切れているため、ゲートウェイへの送信は不要です。受注だけをキャンセルします",
			ReasonEn: "the payment has expired; only the order is cancelled"}, nil
	case StatePending, StateNeedsReview:
		return CancelChoice{}, Errorf(ECONFLICT, "決済状態が「%s」のためキャンセルできません。先に結果を確認してください",
			"a payment in state %q cannot be cancelled until its state is confirmed", p.State.Label())
	}
	if p.Method != MethodCard {
		return chooseDepositCancel(p)
	}
	if p.State == StateReserved {
		return CancelChoice{Reason: "未オーソリ（予約）のため与信はありません。受注だけをキャンセルします",
			ReasonEn: "no authorisation exists yet (reservation); only the order is cancelled"}, nil
	}
	captured := p.State == StateCaptured || p.State == StatePartiallyRefunded
	switch p.Gateway {
	case GatewayGMO, GatewaySGP:
		return chooseGMOCancel(p, now, captured)
	case GatewaySBPS:
		if !captured {
			return CancelChoice{Kind: OpVoid, Reason: "売上前のため「与信取消」を送ります（与信枠を解放します）",
				ReasonEn: "not captured yet: release the authorisation (与信取消)"}, nil
		}
		// SBPS refunds until the end of the third month after the sale.
		limit := endOfMonthJST(p.CapturedAt.In(JST).AddDate(0, 3, 0))
		if !p.CapturedAt.IsZero() && now.After(limit) {
			return manualRefund(p, Textf("売上日（%s）の3か月後の月末を過ぎたため、カード返金はできません",
				"past the end of the third month after the sale (%s): the card refund is no longer possible", dateJST(p.CapturedAt)))
		}
		return CancelChoice{Kind: OpRefund, Reason: "売上済のため「カード返金」を送ります", ReasonEn: "captured: refund to the card (カード返金)"}, nil
	case GatewayPaygent:
		if !captured {
			return CancelChoice{Kind: OpVoid, Reason: "売上前のため「オーソリ取消」を送ります", ReasonEn: "not captured yet: cancel the authorisation (オーソリ取消)"}, nil
		}
		if p.RawStatus == "41" {
			return manualRefund(p, Text{Ja: "ペイジェントで「消込済（売上取消期限切）」になっているため、売上取消はできません",
				En: "Paygent shows it settled past the cancel window (消込済（売上取消期限切）): the sale can no longer be cancelled"})
		}
		// The window counts from the sale or the authorisation, by contract. Without
		// that date the sale cancel is sent: Paygent's 2007 then says the window passed.
		w := paygentWindow(prof)
		start := p.CapturedAt
		if w.From == CancelFromAuth {
			start = p.AuthorizedAt
		}
		if !start.IsZero() && DaysBetweenJST(start, now) > w.Days {
			return manualRefund(p, Text{Ja: fmt.Sprintf("%s（%s）から%d日を過ぎたため、売上取消はできません", w.From.Label(), dateJST(start), w.Days),
				En: fmt.Sprintf("more than %d days since the %s (%s): the sale can no longer be cancelled", w.Days, w.From.LabelEn(), dateJST(start))})
		}
		return CancelChoice{Kind: OpRefund, Reason: "売上済のため「売上取消」を送ります", ReasonEn: "captured: cancel the sale (売上取消)"}, nil
	}
	return CancelChoice{}, Errorf(EUNSUPPORTED, "このゲートウェイのキャンセルには対応していません", "cancelling is not supported for this gateway")
}

// chooseGMOCancel follows GMO-PG's rules, dated from the transaction's latest
// processing (the authorisation, the sale or an amount change — GMO's ProcessDate, as
// GMO's own module stores TranDate): 取消 (VOID) on that day, 返品 (RETURN) later in
// that month, 月跨返品 (RETURNX) in a later month — except that an authorisation never
// captured is returned with RETURN in any month — and nothing after 180 days. Without
// that date the choice is not made: the engine asks the gateway first.
func chooseGMOCancel(p *Payment, now time.Time, captured bool) (CancelChoice, error) {
	last := p.ProcessedAt
	if last.IsZero() {
		return CancelChoice{}, Errorf(ECONFLICT, "取引の最後の処理日が分からないため、取消・返品・月跨返品を選べません。ゲートウェイに照会してからもう一度お試しください",
			"the transaction's last processing date is unknown; ask the gateway first")
	}
	if DaysBetweenJST(last, now) > GMOCancelLimitDays {
		if !captured {
			return CancelChoice{Reason: fmt.Sprintf("最後の処理（%s）から%d日を過ぎ、売上前の与信はカード会社で失効しています。受注だけをキャンセルします", dateJST(last), GMOCancelLimitDays),
				ReasonEn: "more than 180 days since the last processing of an uncaptured authorisation: it has lapsed; only the order is cancelled"}, nil
		}
		return manualRefund(p, Text{Ja: fmt.Sprintf("最後の処理（%s）から%d日を過ぎたため、カード会社での取消・返品はできません", dateJST(last), GMOCancelLimitDays),
			En: fmt.Sprintf("more than %d days since the last processing (%s): the card company can no longer cancel or return it", GMOCancelLimitDays, dateJST(last))})
	}
	if SameDayJST(last, now) {
		return CancelChoice{Kind: OpVoid, Reason: fmt.Sprintf("最後の処理（%s）と同じ日のため「取消」を送ります", dateJST(last)),
			ReasonEn: "the same day as the transaction's last processing: VOID"}, nil
	}
	if !captured {
		return CancelChoice{Kind: OpReturn, Reason: fmt.Sprintf("最後の処理（%s）の翌日以降で売上前のため「返品」を送ります", dateJST(last)),
			ReasonEn: "a later day, not captured: RETURN"}, nil
	}
	if SameMonthJST(last, now) {
		return CancelChoice{Kind: OpReturn, Reason: fmt.Sprintf("最後の処理（%s）と同じ月のため「返品」を送ります", dateJST(last)),
			ReasonEn: "the same month as the last processing: RETURN"}, nil
	}
	return CancelChoice{Kind: OpReturnX, Reason: fmt.Sprintf("最後の処理（%s）の翌月以降のため「月跨返品」を送ります", dateJST(last)),
		ReasonEn: "a month after the last processing: RETURNX"}, nil
}

// chooseDepositCancel handles konbini, Pay-easy and net bank.
func chooseDepositCancel(p *Payment) (CancelChoice, error) {
	switch p.State {
	case StateDeposited:
		return manualRefund(p, Text{Ja: "入金済みのため、ゲートウェイからは返金できません", En: "deposited: the gateway cannot refund it"})
	case StateAwaitingDeposit:
		if p.Method == MethodKonbini && (p.Gateway == GatewayGMO || p.Gateway == GatewaySGP) {
			return CancelChoice{Kind: OpStopPayment, Reason: "入金前のため、コンビニの払込票を「支払停止」にします",
				ReasonEn: "not paid yet: stop the convenience-store slip"}, nil
		}
		return CancelChoice{Reason: "入金前です。この支払方法はゲートウェイで取り消せないため、支払期限が来ると自動で期限切れになります。受注だけをキャンセルします",
			ReasonEn: "not paid yet; this method cannot be stopped at the gateway and will expire. Only the order is cancelled"}, nil
	}
	return CancelChoice{}, Errorf(ECONFLICT, "決済状態が「%[1]s」のためキャンセルできません", "a payment in state %[2]q cannot be cancelled", p.State.Label(), p.State.LabelEn())
}

// paygentWindow is the profile's sales-cancel window, or the usual one.
func paygentWindow(prof *GatewayProfile) CancelWindow {
	if prof == nil {
		return CancelWindow{}.OrDefault()
	}
	return prof.SalesCancel.OrDefault()
}

func manualRefund(p *Payment, why Text) (CancelChoice, error) {
	return CancelChoice{ManualRefund: true,
		Reason:   why.Ja + "。お客様の口座へ直接ご返金ください（要返金(口座)として記録します）",
		ReasonEn: why.En + ": refund the customer by bank transfer (recorded as a bank refund task)"}, nil
}

func dateJST(t time.Time) string { return t.In(JST).Format("2006/01/02") }

func endOfMonthJST(t time.Time) time.Time {
	y, m, _ := t.In(JST).Date()
	return time.Date(y, m+1, 1, 0, 0, 0, 0, JST).Add(-time.Second)
}
