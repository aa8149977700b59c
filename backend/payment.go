package backend

import (
	"time"
)

// PaymentMethod is how the customer pays.
type PaymentMethod string

const (
	MethodCard    PaymentMethod = "card"    // クレジットカード
	MethodKonbini PaymentMethod = "konbini" // コンビニ決済
	MethodPayEasy PaymentMethod = "payeasy" // Pay-easy (ATM)
	MethodNetBank PaymentMethod = "netbank" // 銀行ネット決済 / Pay-easy ネットバンク
	MethodOther   PaymentMethod = "other"   // 銀行振込・代金引換 など (no gateway)
)

// PaymentMethods lists every method in display order.
var PaymentMethods = []PaymentMethod{MethodCard, MethodKonbini, MethodPayEasy, MethodNetBank, MethodOther}

// Label returns the operator's word for the method.
func (m PaymentMethod) Label() string {
	switch m {
	case MethodCard:
		return "クレジットカード決済"
	case MethodKonbini:
		return "コンビニ決済"
	case MethodPayEasy:
		return "ATM決済(ペイジー)"
	case MethodNetBank:
		return "銀行ネット決済"
	case MethodOther:
		return "その他"
	}
	return string(m)
}

// LabelEn is the method's name in English.
func (m PaymentMethod) LabelEn() string {
	switch m {
	case MethodCard:
		return "Credit card"
	case MethodKonbini:
		return "Convenience store"
	case MethodPayEasy:
		return "Pay-easy (ATM)"
	case MethodNetBank:
		return "Net banking"
	case MethodOther:
		return "Other"
	}
	return string(m)
}

// Valid reports whether m is a known method.
func (m PaymentMethod) Valid() bool {
	for _, x := range PaymentMethods {
		if x == m {
			return true
		}
	}
	return false
}

// PaymentState is the one state machine that covers the states of all four gateways.
// The comments give the names the gateways and back offices use for the same state.
type PaymentState string

const (
	StatePending              PaymentState = "pending"               // 未処理 / 処理中 / 決済処理中 (UNPROCESSED, 申込済)
	StateReserved             PaymentState = "reserved"              // 未オーソリ (予約)
	StateAuthorized           PaymentState = "authorized"            // 仮売上 = 与信済 = オーソリOK (AUTH, payment_status 1, 20)
	StateCaptured             PaymentState = "captured"              // 実売上 = 売上済 = 決済完了 (SALES/CAPTURE, 2, 40)
	StateCaptureFailed        PaymentState = "capture_failed"        // 売上失敗
	StateVoided               PaymentState = "voided"                // 取消 = 与信取消済 = オーソリキャンセル (VOID, 3, 32)
	StateRefunded             PaymentState = "refunded"              // 返品 / 返金済 / 売上取消 (RETURN, RETURNX, 4, 60)
	StatePartiallyRefunded    PaymentState = "partially_refunded"    // 部分返金
	StateNeedsReview          PaymentState = "needs_review"          // 要確認
	StateAwaitingDeposit      PaymentState = "awaiting_deposit"      // 入金待ち (REQSUCCESS, 申込済)
	StateDeposited            PaymentState = "deposited"             // 入金済み (PAYSUCCESS, 消込済)
	StateExpired              PaymentState = "expired"               // 期限切れ (EXPIRED, 支払期限切, オーソリ期限切)
	StateSubscriptionWaiting  PaymentState = "subscription_waiting"  // 決済待ち (定期購入)
	StateSubscriptionReported PaymentState = "subscription_reported" // 売上報告済 (定期購入)
)

// PaymentStates lists every state in display order.
var PaymentStates = []PaymentState{
	StatePending, StateReserved, StateAuthorized, StateCaptured, StateCaptureFailed,
	StateVoided, StateRefunded, StatePartiallyRefunded, StateNeedsReview,
	StateAwaitingDeposit, StateDeposited, StateExpired,
	StateSubscriptionWaiting, StateSubscriptionReported,
}

var paymentStateLabels = map[PaymentState][2]string{
	StatePending:              {"未処理", "Not processed"},
	StateReserved:             {"未オーソリ(予約)", "Not authorised (reservation)"},
	StateAuthorized:           {"仮売上", "Authorised"},
	StateCaptured:             {"実売上", "Captured"},
	StateCaptureFailed:        {"売上失敗", "Capture failed"},
	StateVoided:               {"取消", "Voided"},
	StateRefunded:             {"返品・返金済", "Refunded"},
	StatePartiallyRefunded:    {"部分返金", "Partially refunded"},
	StateNeedsReview:          {"要確認", "Needs review"},
	StateAwaitingDeposit:      {"入金待ち", "Awaiting deposit"},
	StateDeposited:            {"入金済み", "Deposited"},
	StateExpired:              {"期限切れ", "Expired"},
	StateSubscriptionWaiting:  {"決済待ち(定期)", "Subscription: waiting"},
	StateSubscriptionReported: {"売上報告済(定期)", "Subscription: reported"},
}

// Label returns the Japanese name of the state.
func (s PaymentState) Label() string { return paymentStateLabels[s][0] }

// LabelEn returns the English name of the state.
func (s PaymentState) LabelEn() string { return paymentStateLabels[s][1] }

// Valid reports whether s is a known state.
func (s PaymentState) Valid() bool { _, ok := paymentStateLabels[s]; return ok }

// legalTransitions is the unified state machine: for each state, the states an
// operation or a gateway event may move a payment to. A payment may always stay in
// its state (an amount change keeps 仮売上 or 実売上), and any state may become
// 要確認 when the gateway's answer cannot be explained.
var legalTransitions = map[PaymentState][]PaymentState{
	// A checkout in progress: the customer finishes (仮売上, 即時売上, slip issued) or abandons it.
	StatePending: {StateAuthorized, StateCaptured, StateAwaitingDeposit, StateVoided, StateExpired, StateReserved},
	// 予約: authorised when the reservation becomes a normal order, or cancelled.
	StateReserved: {StateAuthorized, StateCaptured, StateVoided},
	// 仮売上: capture, cancel (取消/与信取消/オーソリキャンセル), expiry, or a failed capture.
	StateAuthorized: {StateCaptured, StateCaptureFailed, StateVoided, StateRefunded, StateExpired},
	// 売上失敗: try again, or cancel; the authorisation may have lapsed meanwhile.
	StateCaptureFailed: {StateCaptured, StateAuthorized, StateVoided, StateRefunded, StateExpired},
	// 実売上: VOID on the same day, 返品/月跨返品/返金, or a partial refund.
	StateCaptured: {StateVoided, StateRefunded, StatePartiallyRefunded},
	// 部分返金: more partial refunds, or the rest refunded.
	StatePartiallyRefunded: {StateRefunded},
	// GMO-PG family: 再オーソリ after 取消/返品/月跨返品 (as 仮売上 or 即時売上).
	StateVoided:   {StateAuthorized, StateCaptured},
	StateRefunded: {StateAuthorized, StateCaptured},
	// 要確認 is resolved by asking the gateway, which may report any state.
	StateNeedsReview: nil,
	// Konbini / Pay-easy / net bank.
	StateAwaitingDeposit: {StateDeposited, StateExpired, StateVoided},
	StateDeposited:       {StateRefunded},
	StateExpired:         {StateDeposited, StateVoided},
	// Subscriptions (SGP 定期購入): 配送完了 reports the sale; GMO captures it next month.
	StateSubscriptionWaiting:  {StateSubscriptionReported, StateVoided},
	StateSubscriptionReported: {StateCaptured, StateVoided},
}

// CanTransition reports whether a payment may move from one state to another.
func CanTransition(from, to PaymentState) bool {
	if !from.Valid() || !to.Valid() {
		return false
	}
	if from == to || to == StateNeedsReview || from == StateNeedsReview {
		return true
	}
	for _, s := range legalTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// GatewayKind names a payment gateway protocol family.
type GatewayKind string

const (
	GatewayGMO     GatewayKind = "gmo"     // GMOペイメントゲートウェイ マルチペイメント
	GatewaySGP     GatewayKind = "sgp"     // SMBC GMO PAYMENT (same protocol, own hosts)
	GatewaySBPS    GatewayKind = "sbps"    // SBペイメントサービス API型
	GatewayPaygent GatewayKind = "paygent" // ペイジェント モジュールタイプ
	GatewayNone    GatewayKind = ""        // no gateway (bank transfer, cash on delivery)
)

// Label returns the gateway's name as operators know it.
func (g GatewayKind) Label() string {
	switch g {
	case GatewayGMO:
		return "GMO-PG"
	case GatewaySGP:
		return "SMBC GMO PAYMENT"
	case GatewaySBPS:
		return "SBペイメントサービス"
	case GatewayPaygent:
		return "ペイジェント"
	}
	return "なし"
}

// LabelEn is the gateway's name in English.
func (g GatewayKind) LabelEn() string {
	switch g {
	case GatewayGMO:
		return "GMO-PG"
	case GatewaySGP:
		return "SMBC GMO PAYMENT"
	case GatewaySBPS:
		return "SB Payment Service"
	case GatewayPaygent:
		return "Paygent"
	}
	return "None"
}

// Payment is one payment of an order at a gateway. The app never sees card data:
// a payment is known only by the gateway's identifiers.
type Payment struct {
	ID        int64
	OrderID   int64
	ProfileID int64       // the gateway profile (contract + environment) it belongs to
	Gateway   GatewayKind // protocol family of the profile
	Method    PaymentMethod

	// Gateway identifiers, by protocol:
	//   GMO-PG/SGP: OrderID, AccessID, AccessPass
	//   SBPS:       order_id, tracking_id, -
	//   Paygent:    trading_id, payment_id, -
	GatewayOrderID  string
	GatewayTranID   string
	GatewayTranPass string

	State            PaymentState
	AmountAuthorized Yen // the amount currently authorised (仮売上 amount) or requested (konbini)
	AmountCaptured   Yen
	AmountRefunded   Yen
	// Tax is the part of the amounts the gateway keeps as a separate field (GMO-PG/SGP
	// Tax, 税送料); the amounts above include it. 0 when the gateway has no such field.
	Tax Yen

	AuthorizedAt    time.Time // when the current authorisation was made (TranDate)
	CapturedAt      time.Time // when it was captured
	AuthExpiresAt   time.Time // the authorisation cannot be captured after this
	PaymentDeadline time.Time // konbini / Pay-easy / net bank 支払期限
	PaidAt          time.Time // deposit confirmed (入金日)
	// ProcessedAt is the gateway's latest processing date of the transaction (GMO
	// ProcessDate: it moves with every SALES and ChangeTran); zero when not known.
	ProcessedAt  time.Time
	RawStatus    string // the gateway's own status word, e.g. "AUTH", "1", "20"
	LastSyncedAt time.Time
	UpdatedAt    time.Time
	// Slip holds the numbers the customer pays a konbini / Pay-easy payment with, as
	// the gateway issued them; empty for cards.
	Slip PaymentSlip
	// Version counts the changes of the stored payment: 1 when it is saved first, one
	// more at every save (an operation's outcome, a sync's fix). The store sets it; an
	// operation planned from this read carries it (Operation.PaymentVersion).
	Version int64
}

// PaymentSlip is what a customer who calls the shop needs to pay at the store or ATM
// (GMO-PG SearchTradeMulti: CvsCode, CvsReceiptNo, CvsConfNo; CustID, BkCode, ConfNo).
type PaymentSlip struct {
	Store     string // コンビニ: the gateway's store code (GMO Convenience, e.g. 10001 ローソン)
	ReceiptNo string // コンビニ: 受付番号 / 支払番号 (払込票番号)
	ConfNo    string // 確認番号 (konbini and Pay-easy)
	BkCode    string // Pay-easy: 収納機関番号
	CustID    string // Pay-easy: お客様番号
}

// IsZero reports whether the gateway gave no number at all.
func (s PaymentSlip) IsZero() bool { return s == PaymentSlip{} }

// DaysUntilAuthExpiry counts whole JST calendar days left to capture; negative when past.
func (p *Payment) DaysUntilAuthExpiry(now time.Time) int {
	if p.AuthExpiresAt.IsZero() {
		return 0
	}
	return DaysBetweenJST(now, p.AuthExpiresAt)
}

// WithView returns a copy of p updated with what the gateway reported: its state and
// status word, the amounts, tax and dates it gave, and any new id it named (Paygent's
// successor payment_id, SBPS's new tracking_id). What the view does not say is kept:
// a zero amount or date in a view means "not in the answer", never "zero".
func (p *Payment) WithView(v *GatewayView, now time.Time) *Payment {
	u := *p
	u.LastSyncedAt = now
	if v == nil || !v.Found {
		return &u
	}
	u.State, u.RawStatus = v.State, v.RawStatus
	if v.AmountAuthorized != 0 {
		u.AmountAuthorized = v.AmountAuthorized
	}
	if v.AmountCaptured != 0 {
		u.AmountCaptured = v.AmountCaptured
	}
	if v.AmountRefunded != 0 {
		u.AmountRefunded = v.AmountRefunded
	}
	if v.Tax != 0 {
		u.Tax = v.Tax
	}
	if !v.ProcessedAt.IsZero() {
		u.ProcessedAt = v.ProcessedAt
	}
	if !v.AuthorizedAt.IsZero() {
		u.AuthorizedAt = v.AuthorizedAt
	}
	if !v.PaymentDeadline.IsZero() {
		u.PaymentDeadline = v.PaymentDeadline
	}
	if !v.PaidAt.IsZero() {
		u.PaidAt = v.PaidAt
	}
	if v.State == StateCaptured && u.CapturedAt.IsZero() {
		u.CapturedAt = v.ProcessedAt
	}
	if v.NewTranID != "" {
		u.GatewayTranID = v.NewTranID
	}
	if v.NewTranPass != "" {
		u.GatewayTranPass = v.NewTranPass
	}
	if !v.Slip.IsZero() {
		u.Slip = v.Slip
	}
	return &u
}
