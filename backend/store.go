package backend

import (
	"context"
	"time"
)

// OrderStore keeps orders (受注).
type OrderStore interface {
	FindOrders(ctx context.Context, f OrderFilter) (*OrderPage, error)
	OrderByID(ctx context.Context, id int64) (*Order, error)
	OrderByNo(ctx context.Context, orderNo string) (*Order, error)
	// SaveOrder inserts the order, or updates the one with the same OrderNo.
	SaveOrder(ctx context.Context, o *Order) error
	// SetOrderStatus changes the 対応状況 and records who did it.
	SetOrderStatus(ctx context.Context, orderID int64, s OrderStatus, actor string) error
	// OrderEvents returns the order's audit trail, oldest first.
	OrderEvents(ctx context.Context, orderID int64) ([]OrderEvent, error)
}

// PaymentFilter selects payments for the engine and the sync.
type PaymentFilter struct {
	IDs       []int64
	ProfileID int64
	States    []PaymentState
	Methods   []PaymentMethod
	// AuthExpiresBefore selects authorisations that lapse before this time.
	AuthExpiresBefore time.Time
	Limit             int
}

// PaymentStore keeps payments and the journal of operations on them.
type PaymentStore interface {
	PaymentByID(ctx context.Context, id int64) (*Payment, error)
	PaymentsByOrder(ctx context.Context, orderID int64) ([]*Payment, error)
	FindPayments(ctx context.Context, f PaymentFilter) ([]*Payment, error)
	// SavePayment inserts (ID 0) or updates a payment.
	SavePayment(ctx context.Context, p *Payment) error

	// BeginOperation commits op in state pending. It fails with EBUSY when another
	// operation on the same payment is still pending, sent or unknown, and with
	// ECONFLICT when op.IdempotencyKey was used before, or when the payment has
	// changed since op.PaymentVersion (ErrPaymentChanged; 0 is not checked).
	BeginOperation(ctx context.Context, op *Operation) error
	// MarkOperationSent records that the request is about to go on the wire.
	MarkOperationSent(ctx context.Context, opID int64, at time.Time) error
	// CompleteOperation commits the outcome of an operation, and in the same
	// transaction the payment's new state, the order's 対応状況 and the キャンセル在庫.
	CompleteOperation(ctx context.Context, c *Completion) error
	OperationByID(ctx context.Context, id int64) (*Operation, error)
	OperationsByPayment(ctx context.Context, paymentID int64) ([]*Operation, error)
	// UnresolvedOperations lists operations in pending, sent or unknown state.
	UnresolvedOperations(ctx context.Context) ([]*Operation, error)
}

// OperationClaimer is a store shared by several processes (PostgreSQL): an operation
// is held by the one process that sends or resolves it (a lease in the database), so
// no two desktops act on it at once and a crashed desktop's operation is recovered
// once. The engine claims an unresolved operation before resolving it. (SQLite needs
// none: one process owns the data folder.)
type OperationClaimer interface {
	// ClaimOperation takes the operation for this process; false when another live
	// process holds it.
	ClaimOperation(ctx context.Context, opID int64) (bool, error)
	// ReleaseOperation gives the claim up when this process did not settle it.
	ReleaseOperation(ctx context.Context, opID int64) error
}

// RunLocker is a store shared by several desktops (PostgreSQL): a periodic job — the
// sync with the gateways and the reconcile of the journal it starts with — runs on one
// desktop at a time, and every desktop sees its results in the database. (SQLite needs
// none: one process owns the data folder.)
type RunLocker interface {
	// TryRunLock takes the lock named name for this process: ok false when another
	// desktop holds it. unlock gives it back; a desktop that crashes or loses the
	// server loses its lock with its connection.
	TryRunLock(ctx context.Context, name string) (unlock func(), ok bool, err error)
}

// Completion is the outcome of an operation, committed atomically.
type Completion struct {
	Op          *Operation  // final State, RespondedAt, GatewayCode, Message, AfterState
	Payment     *Payment    // the payment after the operation; nil = unchanged
	OrderStatus OrderStatus // the order's new 対応状況; "" = unchanged
	// OrderActor is who the 対応状況 change is recorded for; "" = Op.Operator. A change
	// the gateway made, journalled by the system, may carry what the operator asked.
	OrderActor  string
	CancelStock bool        // put the order's items on the キャンセル在庫 list (未対応)
	RefundTask  *RefundTask // record a 要返金(口座) task
}

// ProfileStore keeps gateway profiles (no secrets) and settings.
type ProfileStore interface {
	Profiles(ctx context.Context) ([]*GatewayProfile, error)
	ProfileByID(ctx context.Context, id int64) (*GatewayProfile, error)
	SaveProfile(ctx context.Context, p *GatewayProfile) error
	DeleteProfile(ctx context.Context, id int64) error
	Setting(ctx context.Context, key string) (string, error) // "" when unset
	SetSetting(ctx context.Context, key, value string) error
}

// Store is everything the services need from the database.
type Store interface {
	OrderStore
	PaymentStore
	ProfileStore
	TaskStore
	SyncStore
	ReviewStore
}
