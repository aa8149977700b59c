package backend

import (
	"fmt"
	"time"
)

// Card-company windows. GMO-PG's own module refuses a cancel 180 days after the
// transaction (E11010010…) and a capture after 90 days; SBPS allows sales and refunds
// until the end of the third month (its errors 42 and 56); Paygent's sales cancel ends
// about 60 days after clearing (status 41, code 2007), depending on the contract.
const (
	GMOCancelLimitDays     = 180
	GMOChangeLimitDays     = 180
	PaygentRefundLimitDays = 60
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

// ChooseCancel decides, from the payment's gateway, state and dates (in Asia/Tokyo),
// which operation cancels it. The operator only presses キャンセル.
func ChooseCancel(p *Payment, now time.Time) (CancelChoice, error) {
	switch p.State {
	case StateVoided, StateRefunded:
		return CancelChoice{}, Errorf(ECONFLICT, "この決済は既に%sです", "this payment is already %s", p.State.Label())
	case StateExpired:
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
			return manualRefund(p, fmt.Sprintf("売上日（%s）の3か月後の月末を過ぎたため、カード返金はできません", dateJST(p.CapturedAt)))
		}
		return CancelChoice{Kind: OpRefund, Reason: "売上済のため「カード返金」を送ります", ReasonEn: "captured: refund to the card (カード返金)"}, nil
	case GatewayPaygent:
		if !captured {
			return CancelChoice{Kind: OpVoid, Reason: "売上前のため「オーソリ取消」を送ります", ReasonEn: "not captured yet: cancel the authorisation (オーソリ取消)"}, nil
		}
		if !p.CapturedAt.IsZero() && DaysBetweenJST(p.CapturedAt, now) > PaygentRefundLimitDays {
			return manualRefund(p, fmt.Sprintf("売上日（%s）から%d日を過ぎたため、売上取消はできません", dateJST(p.CapturedAt), PaygentRefundLimitDays))
		}
		return CancelChoice{Kind: OpRefund, Reason: "売上済のため「売上取消」を送ります", ReasonEn: "captured: cancel the sale (売上取消)"}, nil
	}
	return CancelChoice{}, Errorf(EUNSUPPORTED, "このゲートウェイのキャンセルには対応していません", "cancelling is not supported for this gateway")
}

// chooseGMOCancel follows GMO-PG's rules: 取消 (VOID) on the day of the authorisation,
// 返品 (RETURN) later in the month of the sale, 月跨返品 (RETURNX) in a later month —
// except that an authorisation never captured is returned with RETURN in any month —
// and nothing after 180 days.
func chooseGMOCancel(p *Payment, now time.Time, captured bool) (CancelChoice, error) {
	authAt := p.AuthorizedAt
	if authAt.IsZero() {
		authAt = p.CapturedAt
	}
	if DaysBetweenJST(authAt, now) > GMOCancelLimitDays {
		return manualRefund(p, fmt.Sprintf("取引日（%s）から%d日を過ぎたため、カード会社での取消・返品はできません", dateJST(authAt), GMOCancelLimitDays))
	}
	if SameDayJST(authAt, now) {
		return CancelChoice{Kind: OpVoid, Reason: fmt.Sprintf("与信と同じ日（%s）のため「取消」を送ります", dateJST(now)),
			ReasonEn: "same day as the authorisation: VOID"}, nil
	}
	if !captured {
		return CancelChoice{Kind: OpReturn, Reason: fmt.Sprintf("与信日（%s）の翌日以降で売上前のため「返品」を送ります", dateJST(authAt)),
			ReasonEn: "a later day, not captured: RETURN"}, nil
	}
	sale := p.CapturedAt
	if sale.IsZero() {
		sale = authAt
	}
	if SameMonthJST(sale, now) {
		return CancelChoice{Kind: OpReturn, Reason: fmt.Sprintf("売上（%s）と同じ月のため「返品」を送ります", dateJST(sale)),
			ReasonEn: "same month as the sale: RETURN"}, nil
	}
	return CancelChoice{Kind: OpReturnX, Reason: fmt.Sprintf("売上（%s）の翌月以降のため「月跨返品」を送ります", dateJST(sale)),
		ReasonEn: "a month after the sale: RETURNX"}, nil
}

// chooseDepositCancel handles konbini, Pay-easy and net bank.
func chooseDepositCancel(p *Payment) (CancelChoice, error) {
	switch p.State {
	case StateDeposited:
		return manualRefund(p, "入金済みのため、ゲートウェイからは返金できません")
	case StateAwaitingDeposit:
		if p.Method == MethodKonbini && (p.Gateway == GatewayGMO || p.Gateway == GatewaySGP) {
			return CancelChoice{Kind: OpStopPayment, Reason: "入金前のため、コンビニの払込票を「支払停止」にします",
				ReasonEn: "not paid yet: stop the convenience-store slip"}, nil
		}
		return CancelChoice{Reason: "入金前です。この支払方法はゲートウェイで取り消せないため、支払期限が来ると自動で期限切れになります。受注だけをキャンセルします",
			ReasonEn: "not paid yet; this method cannot be stopped at the gateway and will expire. Only the order is cancelled"}, nil
	}
	return CancelChoice{}, Errorf(ECONFLICT, "決済状態が「%s」のためキャンセルできません", "a payment in state %q cannot be cancelled", p.State.Label())
}

func manualRefund(p *Payment, why string) (CancelChoice, error) {
	return CancelChoice{ManualRefund: true,
		Reason:   why + "。お客様の口座へ直接ご返金ください（要返金(口座)として記録します）",
		ReasonEn: "the card company's window has passed: refund the customer by bank transfer (recorded as a refund task)"}, nil
}

func dateJST(t time.Time) string { return t.In(JST).Format("2006/01/02") }

func endOfMonthJST(t time.Time) time.Time {
	y, m, _ := t.In(JST).Date()
	return time.Date(y, m+1, 1, 0, 0, 0, 0, JST).Add(-time.Second)
}
