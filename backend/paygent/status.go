package paygent

import (
	"strconv"

	"kessaidesk/backend"
)

// statusNames are Paygent's names of payment_status (research §B7).
var statusNames = map[string]string{
	"10": "申込済", "11": "オーソリNG", "12": "支払期限切", "13": "3Dセキュア中断", "14": "3Dセキュア認証",
	"15": "申込中断", "16": "支払期限切（消込対象外）", "20": "オーソリOK", "21": "オーソリ完了",
	"30": "売上要求中", "31": "オーソリ取消中", "32": "オーソリ取消済", "33": "オーソリ期限切",
	"34": "補正要求中", "35": "売上要求済", "36": "売上保留", "37": "売上不可",
	"40": "消込済", "41": "消込済（売上取消期限切）", "42": "売上取消中", "43": "速報検知済", "44": "消込完了",
	"50": "売上取消集計中", "55": "取消要求中", "60": "売上取消済", "61": "速報取消済", "62": "取消完了",
}

// StatusName is Paygent's Japanese name of a payment_status ("" when unknown).
func StatusName(status string) string { return statusNames[status] }

// cardStates maps a card payment's payment_status to the unified state machine.
// 30/31/42/50 are in-between states Paygent calls anomalies (resend or wait), and 35
// and 55 requests still in progress at the card company (seen in public clients; the
// name of 55 is not published): none proves the money moved or did not, so each
// leaves an operation unknown until a later answer settles it. 11 is a declined
// authorisation. All need a person to look (要確認).
var cardStates = map[string]backend.PaymentState{
	"10": backend.StatePending, // 申込済 (after an input error 2003)
	"11": backend.StateNeedsReview,
	"13": backend.StatePending,
	"14": backend.StatePending,
	"15": backend.StateNeedsReview, // card: transaction blocked
	"20": backend.StateAuthorized,
	"21": backend.StateAuthorized,
	"30": backend.StateNeedsReview,
	"31": backend.StateNeedsReview,
	"32": backend.StateVoided,
	"33": backend.StateExpired,     // オーソリ期限切 (60 days)
	"35": backend.StateNeedsReview, // 売上要求済: the sale is at the card company, not confirmed
	"40": backend.StateCaptured,
	"41": backend.StateCaptured, // 消込済 but the sales-cancel period has passed
	"42": backend.StateNeedsReview,
	"50": backend.StateNeedsReview,
	"55": backend.StateNeedsReview, // a cancel in progress at the card company
	"60": backend.StateRefunded,
}

// depositStates maps ATM (Pay-easy), konbini, bank-net and virtual-account statuses.
// 43 速報検知済 (Seven-Eleven, FamilyMart) counts as paid, as most merchants treat it;
// the rare 61 速報取消済 that may follow needs a person (Paygent phones the merchant).
// 15 申込中断 is how a bank-net payment expires (a batch moves 10 → 15).
var depositStates = map[string]backend.PaymentState{
	"10": backend.StateAwaitingDeposit,
	"12": backend.StateExpired,
	"15": backend.StateExpired,
	"16": backend.StateExpired,
	"40": backend.StateDeposited,
	"43": backend.StateDeposited,
	"61": backend.StateNeedsReview,
}

// StateOf maps payment_status of a payment_type to the unified state machine; ok is
// false for a status this client does not know for that type.
func StateOf(paymentType, status string) (state backend.PaymentState, ok bool) {
	if paymentType == TypeCard {
		state, ok = cardStates[status]
	} else {
		state, ok = depositStates[status]
	}
	return
}

// TypeFor is the payment_type of a method ("" for konbini, which has two: 03 番号方式
// and 04 払込票).
func TypeFor(m backend.PaymentMethod) string {
	switch m {
	case backend.MethodCard:
		return TypeCard
	case backend.MethodPayEasy:
		return TypeATM
	case backend.MethodNetBank:
		return TypeBankNet
	}
	return ""
}

// MethodOf is the method of a payment_type.
func MethodOf(paymentType string) backend.PaymentMethod {
	switch paymentType {
	case TypeCard:
		return backend.MethodCard
	case TypeATM:
		return backend.MethodPayEasy
	case TypeKonbiniNumber, TypeKonbiniSlip:
		return backend.MethodKonbini
	case TypeBankNet:
		return backend.MethodNetBank
	}
	return backend.MethodOther
}

// Paygent's times are yyyyMMddHHmmss / yyyyMMdd in Japan time (backend.ParseJST).
var (
	ParseTime     = backend.ParseJST
	ParseDeadline = backend.ParseDeadlineJST
	FormatTime    = backend.FormatJST
)

func yen(s string) backend.Yen {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return backend.Yen(v)
}
