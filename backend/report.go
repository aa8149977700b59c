package backend

import (
	"context"
	"time"
)

// ReportBasis is the date a sale is counted on in 売上集計.
type ReportBasis string

const (
	// BasisSale counts a card payment on the day it was captured (売上日) and a
	// konbini / Pay-easy / net-bank payment on the day it was paid (入金日).
	BasisSale ReportBasis = "sale"
	// BasisOrdered counts every sale on its order's 注文日, as the back offices' own
	// 売上集計 and the 受注管理 search do.
	BasisOrdered ReportBasis = "ordered"
)

// ReportFilter selects what 売上集計 counts. Empty lists do not filter.
type ReportFilter struct {
	From, To   time.Time // [From, To); the report's days are JST calendar days
	Basis      ReportBasis
	ProfileIDs []int64
	Methods    []PaymentMethod
}

// SalesDay is the sales of one JST day, gateway profile and payment method. A payment
// is sold once captured (card) or paid (konbini, Pay-easy, net bank). What was given
// back — a refund, a partial refund, a cancel after the sale — is Refunded, netted on
// the sale's own day: Gross − Refunded is what the sales of that day brought in.
type SalesDay struct {
	Day       time.Time // 00:00 JST
	ProfileID int64     // 0 = no gateway profile
	Method    PaymentMethod
	Count     int // payments sold
	Gross     Yen
	Refunded  Yen
}

// DueDay is money still to come, per JST day it must arrive by: authorisations still
// to capture by the day they lapse (仮売上), or konbini / Pay-easy / net-bank payments
// awaited by their 支払期限.
type DueDay struct {
	Day       time.Time // 00:00 JST; zero = no date known
	ProfileID int64
	Method    PaymentMethod
	Count     int
	Amount    Yen
}

// OpCount counts the journal's operations of one profile and kind in a period.
// A billable operation is one request the gateway received and answered: it
// succeeded, or the gateway refused it with its own error. An operation journalled but
// never sent, one that provably never reached the gateway, and one whose outcome is
// still unknown are not billed (Unresolved counts the last, to be billed once when
// they are settled); the inquiries that settle an unknown outcome are not operations.
type OpCount struct {
	ProfileID  int64
	Kind       OpKind
	Billable   int
	Unresolved int
}

// FeeSchedule is what a gateway profile costs per operation kind, as the operator
// entered it from the contract.
type FeeSchedule map[OpKind]Yen

// BillableKinds are the operation kinds a gateway may charge for, in display order.
var BillableKinds = []OpKind{OpCapture, OpVoid, OpReturn, OpReturnX, OpRefund, OpPartialRefund,
	OpChangeAmount, OpReauth, OpAuthorize, OpStopPayment}

// ReportStore is what 売上集計 reads.
type ReportStore interface {
	SalesByDay(ctx context.Context, f ReportFilter) ([]SalesDay, error)
	// AuthsDue lists card authorisations still to capture (仮売上, 売上失敗) by the day they lapse.
	AuthsDue(ctx context.Context, f ReportFilter) ([]DueDay, error)
	// DepositsDue lists payments awaiting the customer's deposit by their deadline.
	DepositsDue(ctx context.Context, f ReportFilter) ([]DueDay, error)
	// OperationCounts counts operations requested in [from, to).
	OperationCounts(ctx context.Context, from, to time.Time) ([]OpCount, error)
	GatewayFees(ctx context.Context) (map[int64]FeeSchedule, error)
	// SetGatewayFees replaces a profile's fee schedule.
	SetGatewayFees(ctx context.Context, profileID int64, fees FeeSchedule) error
}
