package backend

import (
	"context"
	"time"
)

// ImportStore is what an order import needs from the database (backend/csvimport).
type ImportStore interface {
	// DemoPresent reports whether the demo shop (its orders or gateway profiles) is in
	// the database: an import never mixes real orders with the demo's.
	DemoPresent(ctx context.Context) (bool, error)
	// BeginImport starts the one transaction a whole import runs in. write=false is a
	// preview: it reads a consistent snapshot and can never save anything.
	BeginImport(ctx context.Context, write bool) (ImportTx, error)
}

// ImportTx is one import's transaction: all of its orders are saved, or none.
type ImportTx interface {
	// Target returns the stored order with this number and what the import must know
	// about its payments; nil when there is none.
	Target(ctx context.Context, orderNo string) (*ImportTarget, error)
	// Exists reports whether an order with this number is stored (cheaper than Target).
	Exists(ctx context.Context, orderNo string) (bool, error)
	// Save inserts the order (ID 0) or updates it, records the import event and queues
	// the order for linking when it needs a payment (with the ids the file carried).
	Save(ctx context.Context, o *Order, s ImportSave) error
	// Note records an import event on an order the import does not save (a conflict),
	// unless the order's last import event already says the same.
	Note(ctx context.Context, orderID int64, s ImportSave) error
	Commit() error
	Rollback() error
}

// ImportTarget is a stored order as an import sees it.
type ImportTarget struct {
	Order      *Order // with its line items
	HasPayment bool
	// MoneyMoved says why the order's amounts now belong to its payment (captured,
	// refunded, deposited, an amount change, an operation in flight); "" when they do
	// not. Such an order is never overwritten by a file: a difference is a conflict.
	MoneyMoved   string
	MoneyMovedEn string
}

// ImportSave is what goes with a saved order: who imported it, the event's text
// ("" = no event) and the gateway ids the file's columns carried.
type ImportSave struct {
	At            time.Time
	Actor         string
	Event         string
	EventEn       string // the event in English
	Hint          TransactionIDs
	HintProfileID int64
}

// ExportStore streams orders for CSV出力.
type ExportStore interface {
	// CountOrders counts the orders the filter selects (no cap), for progress.
	CountOrders(ctx context.Context, f OrderFilter) (int, error)
	// EachOrder calls fn for every order the filter selects (Limit and Offset are
	// ignored), in the filter's sort, with its line items and its main payment (nil
	// when it has none; its AccessPass is never filled in). fn's error stops it.
	EachOrder(ctx context.Context, f OrderFilter, fn func(*Order, *Payment) error) error
}
