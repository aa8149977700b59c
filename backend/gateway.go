package backend

import (
	"context"
	"time"
)

// Gateway speaks one gateway's published wire protocol for payments that already
// exist at the gateway (the shop's checkout created them). The engine uses it for
// every operation and inquiry; real clients and the demo sandbox implement it alike.
type Gateway interface {
	// Kind is the protocol family.
	Kind() GatewayKind
	// Do sends one mutating operation for the payment. On success it returns the
	// payment as the gateway now sees it. An error's class (ErrorClassOf) says whether
	// the request may have been applied: ClassUnknown means the engine must Inquire
	// before anything is sent again.
	Do(ctx context.Context, p *Payment, op GatewayOp) (*GatewayView, error)
	// Inquire asks the gateway for the payment's current state. It changes nothing.
	Inquire(ctx context.Context, p *Payment) (*GatewayView, error)
}

// GatewayOp is one operation as the gateway client must send it.
type GatewayOp struct {
	Kind OpKind
	// Amount: the capture amount, the new total for a change, the refund amount for
	// a partial refund, the amount to authorise for a re-authorisation.
	Amount Yen
	// CaptureNow asks, for 金額変更 and 再オーソリ, for 即時売上 instead of 仮売上.
	CaptureNow bool
}

// GatewayView is a payment as the gateway reports it.
type GatewayView struct {
	State            PaymentState
	RawStatus        string // the gateway's own status word
	AmountAuthorized Yen
	AmountCaptured   Yen
	AmountRefunded   Yen
	Tax              Yen       // the separate tax field, included in the amounts (GMO Tax)
	ProcessedAt      time.Time // the gateway's last processing time (TranDate, ProcessDate)
	AuthorizedAt     time.Time
	PaymentDeadline  time.Time
	PaidAt           time.Time
	Slip             PaymentSlip // konbini / Pay-easy numbers; zero = not in the answer
	// New identifiers when the operation created a new transaction at the gateway
	// (Paygent 補正 gives a new payment_id, SBPS re-auth a new tracking_id). Empty = unchanged.
	NewTranID   string
	NewTranPass string
	// Found is false when the gateway has no record of the payment at all.
	Found bool
	// Several: the gateway holds several transactions under the payment's order id and
	// cannot say which is current (Paygent 13002 after a 補正 made elsewhere). State is
	// then 要確認; the operator chooses among the candidates (backend.Review).
	Several bool
}

// Notifier tells the operator about something outside the window (desktop notification)
// or feeds a progress event to the UI. The app layer implements it over the Wails runtime.
type Notifier interface {
	Emit(event string, data any)
	Notify(title, body string)
}

// NopNotifier discards everything (command line, tests).
type NopNotifier struct{}

// Emit does nothing.
func (NopNotifier) Emit(string, any) {}

// Notify does nothing.
func (NopNotifier) Notify(string, string) {}

// Supports tells whether a gateway's protocol offers an operation for a payment
// method. The engine and the UI only offer what the protocol can do.
func Supports(g GatewayKind, m PaymentMethod, k OpKind) bool {
	card := m == MethodCard
	switch g {
	case GatewayGMO, GatewaySGP:
		switch k {
		case OpCapture, OpVoid, OpReturn, OpReturnX, OpChangeAmount, OpReauth:
			return card
		case OpStopPayment:
			return m == MethodKonbini
		}
	case GatewaySBPS:
		switch k {
		case OpCapture, OpVoid, OpRefund, OpPartialRefund, OpChangeAmount:
			return card
		}
	case GatewayPaygent:
		switch k {
		case OpCapture, OpVoid, OpRefund, OpChangeAmount, OpPartialRefund, OpAuthorize:
			return card
		}
	}
	return false
}

// CreatesTransaction tells whether the operation, when it succeeds, leaves the payment
// under a new gateway id (Paygent 補正オーソリ/補正売上 and 予約のオーソリ make a new
// payment_id; SBPS 再与信 a new tracking_id): its outcome is known only with that id.
func CreatesTransaction(g GatewayKind, k OpKind) bool {
	switch g {
	case GatewayPaygent:
		return k == OpChangeAmount || k == OpPartialRefund || k == OpAuthorize
	case GatewaySBPS:
		return k == OpReauth
	}
	return false
}

// MaxAmount is the largest amount a gateway accepts in one transaction.
func MaxAmount(g GatewayKind) Yen {
	return 9_999_999 // GMO-PG/SGP Amount, SBPS amount and Paygent payment_amount (7 digits)
}

// ChangeFeed is a gateway's difference inquiry (Paygent 091): every change since a
// cursor, in one feed, instead of one inquiry per payment. Reading it moves a cursor
// at the gateway that may be shared with the shop's back office, so it is opt-in.
type ChangeFeed interface {
	// Changes returns the changes after cursor ("" = from the gateway's own cursor) and
	// the new cursor. Changes read before an error are returned with it: the gateway
	// will not send them again, so the caller must keep them.
	Changes(ctx context.Context, cursor string) (*ChangeBatch, error)
}

// Change is one payment's new state from a ChangeFeed.
type Change struct {
	GatewayOrderID string
	GatewayTranID  string
	View           *GatewayView
}

// ChangeBatch is one read of a ChangeFeed.
type ChangeBatch struct {
	Changes []Change
	Cursor  string
	// Complete is false when the gateway lost changes (purged before anyone read them):
	// the caller must then ask payment by payment.
	Complete bool
	Requests int
}
