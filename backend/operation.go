package backend

import (
	"errors"
	"time"
)

// OpKind is what an operation asks the gateway to do. Kinds are the gateways' own
// operations; the engine chooses them for the operator's intent (売上, キャンセル…).
type OpKind string

const (
	OpCapture       OpKind = "capture"        // 売上 / 実売上 (GMO SALES, SBPS 売上, Paygent 022)
	OpVoid          OpKind = "void"           // 取消 / 与信取消 / オーソリ取消 (GMO VOID, SBPS 取消, Paygent 021)
	OpReturn        OpKind = "return"         // 返品 (GMO RETURN)
	OpReturnX       OpKind = "returnx"        // 月跨返品 (GMO RETURNX)
	OpRefund        OpKind = "refund"         // 返金 / 売上取消 after capture (SBPS 返金, Paygent 023)
	OpPartialRefund OpKind = "partial_refund" // 部分返金
	OpChangeAmount  OpKind = "change_amount"  // 金額変更 (GMO ChangeTran, Paygent 028/029, SBPS 再与信)
	OpReauth        OpKind = "reauth"         // 再オーソリ after a cancel (GMO family)
	OpAuthorize     OpKind = "authorize"      // 予約 (未オーソリ) → オーソリ
	OpStopPayment   OpKind = "stop_payment"   // 支払停止 of a konbini slip (GMO CvsCancel)
	OpSyncFix       OpKind = "sync_fix"       // a state change recorded from the gateway's view (sync, reconciliation)
)

var opKindLabels = map[OpKind][2]string{
	OpCapture:       {"売上", "Capture"},
	OpVoid:          {"取消", "Void"},
	OpReturn:        {"返品", "Return"},
	OpReturnX:       {"月跨返品", "Return (later month)"},
	OpRefund:        {"返金", "Refund"},
	OpPartialRefund: {"部分返金", "Partial refund"},
	OpChangeAmount:  {"金額変更", "Change amount"},
	OpReauth:        {"再オーソリ", "Re-authorise"},
	OpAuthorize:     {"オーソリ", "Authorise"},
	OpStopPayment:   {"支払停止", "Stop payment"},
	OpSyncFix:       {"同期による更新", "Update from gateway"},
}

// Label returns the Japanese name of the operation.
func (k OpKind) Label() string { return opKindLabels[k][0] }

// LabelEn returns the English name of the operation.
func (k OpKind) LabelEn() string { return opKindLabels[k][1] }

// Billable reports whether the gateway charges a fee for the operation (inquiries are free).
func (k OpKind) Billable() bool { return k != OpSyncFix }

// OpState is the journal state of an operation.
type OpState string

const (
	OpPending   OpState = "pending"   // committed, not yet sent (or the process died before sending)
	OpSent      OpState = "sent"      // the request is on the wire; the answer is not in yet
	OpSucceeded OpState = "succeeded" // the gateway confirmed it
	OpFailed    OpState = "failed"    // the gateway refused it, or it was provably never applied
	OpUnknown   OpState = "unknown"   // timeout, dropped connection, garbled answer: must be inquired
)

// Unresolved reports whether the operation blocks further operations on its payment.
func (s OpState) Unresolved() bool { return s == OpPending || s == OpSent || s == OpUnknown }

// Label returns the Japanese name of the state.
func (s OpState) Label() string {
	switch s {
	case OpPending:
		return "送信待ち"
	case OpSent:
		return "処理中"
	case OpSucceeded:
		return "成功"
	case OpFailed:
		return "失敗"
	case OpUnknown:
		return "結果確認中"
	}
	return string(s)
}

// Operation is one journal entry: an operation on a payment, written before the request
// is sent and completed when the outcome is known.
type Operation struct {
	ID        int64
	PaymentID int64
	// Intent is what the operator asked for ("capture", "cancel", "change_amount"…);
	// Kind is the gateway operation the engine chose for it.
	Intent         string
	Kind           OpKind
	CaptureNow     bool   // 金額変更 / 再オーソリ as 即時売上
	Amount         Yen    // the amount the operation carries (capture amount, new total, refund amount)
	IdempotencyKey string // unique per intent; a retry of the same intent reuses it
	State          OpState
	RequestedAt    time.Time
	RespondedAt    time.Time
	GatewayCode    string // raw error code(s) or status from the gateway
	Message        string // Japanese outcome for the operator
	MessageEn      string // the same in English ("" in entries made before it was kept)
	Operator       string // who pressed the button, or "自動同期"
	// PC is the PC the operation was begun on (its hostname): the store names its own
	// when it begins the operation ("" in entries made before it was kept).
	PC string
	// BeforeState and AfterState record the payment state around the operation.
	BeforeState PaymentState
	AfterState  PaymentState
	// Reason explains the engine's choice of operation (e.g. why 返品 and not 取消).
	Reason string
	// BulkJobID groups the operations of a bulk run (0 for a single action).
	BulkJobID int64
	// PaymentVersion is the payment's Version the operation was planned from:
	// BeginOperation refuses it (ErrPaymentChanged) when the payment has changed since,
	// on this desktop or another. 0: not planned from a read of the payment (a change
	// the gateway made, recorded as it is), and not checked.
	PaymentVersion int64
}

// ErrPaymentChanged is the cause of BeginOperation's refusal of an operation planned
// from a payment that has changed since (errors.Is tells it from other conflicts).
var ErrPaymentChanged = errors.New("the payment changed since it was read")

// PaymentChangedError is BeginOperation's refusal of an operation planned from an
// older version of its payment: nothing was sent.
func PaymentChangedError() *Error {
	return &Error{Code: ECONFLICT, Class: ClassNotSent, Err: ErrPaymentChanged,
		Message:   "この決済は、読み込んだ後に別のパソコンまたは別の操作で変更されています。画面を更新して今の状態を確認し、もう一度操作してください。何も送信していません",
		MessageEn: "the payment was changed by another desktop or operation since it was read; reload it, check its state and try again. Nothing was sent"}
}

// ActorSync is the operator name recorded for changes made by the automatic sync.
const ActorSync = "自動同期"
