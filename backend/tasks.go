package backend

import (
	"context"
	"errors"
	"time"
)

// RefundTask is a 要返金(口座): money the shop must return by bank transfer, because
// the card company's window has passed or the customer paid at a store.
type RefundTask struct {
	ID           int64
	OrderID      int64
	PaymentID    int64
	Amount       Yen
	Reason       string
	ReasonEn     string // "" for a task recorded before English was kept
	Status       string // "open" (未対応) or "done" (返金済)
	Operator     string
	CreatedAt    time.Time
	DoneAt       time.Time
	OrderNo      string // for lists
	CustomerName string
}

// CancelStockItem is a line of the キャンセル受注 在庫管理 list.
type CancelStockItem struct {
	ID          int64
	OrderID     int64
	OrderNo     string
	OrderedAt   time.Time
	ProductCode string
	ProductName string
	Variant     string
	UnitPrice   Yen
	Quantity    int64
	Status      string // "pending" (未対応) or "returned" (在庫戻し済)
	CreatedAt   time.Time
}

// OrderChange changes an order without a gateway call (a cancel that needs no
// operation at the gateway, a manual refund), atomically with its side effects.
type OrderChange struct {
	OrderID     int64
	Status      OrderStatus // "" = unchanged
	Actor       string
	Note        string // recorded in the order's audit trail
	NoteEn      string // the note in English, when the app wrote it
	CancelStock bool
	RefundTask  *RefundTask
}

// Bulk item states.
const (
	BulkQueued    = "queued"
	BulkSucceeded = "succeeded"
	BulkFailed    = "failed"
	BulkSkipped   = "skipped"   // not applicable (e.g. capture of a payment that is not 仮売上)
	BulkCancelled = "cancelled" // the run was stopped before this item was sent
	BulkUnknown   = "unknown"   // sent; the outcome is being confirmed with the gateway
)

// BulkJob is one bulk run with its counts.
type BulkJob struct {
	ID         int64
	Intent     string
	Operator   string
	State      string // running, finished, cancelled
	CreatedAt  time.Time
	FinishedAt time.Time
	Counts     map[string]int // items per state
	Total      int
}

// BulkItem is one payment of a bulk run and its outcome.
type BulkItem struct {
	JobID        int64
	PaymentID    int64
	OrderID      int64
	OrderNo      string
	CustomerName string
	State        string
	OperationID  int64
	Message      string
	MessageEn    string // "" for an item recorded before English was kept
	UpdatedAt    time.Time
}

// FeeLine counts billable operations of one gateway profile in one month.
type FeeLine struct {
	ProfileID   int64
	ProfileName string
	Gateway     GatewayKind
	Month       string // "2026-11" (JST)
	Operations  int    // operations that reached the gateway (succeeded or answered with an error)
	Succeeded   int
	FeePerOp    Yen
	Fee         Yen
}

// ErrBulkJobClosed is the cause of UpdateBulkItem's and FinishBulkJob's refusal to
// change a run that is no longer running: on a shared database, another desktop closed
// it as interrupted while the desktop running it did not answer (it froze past its
// lease). errors.Is tells it from a store that cannot save.
var ErrBulkJobClosed = errors.New("the bulk run is no longer running")

// TaskStore keeps the work lists and bulk runs.
type TaskStore interface {
	ApplyOrderChange(ctx context.Context, c *OrderChange) error
	RefundTasks(ctx context.Context, status string) ([]RefundTask, error)
	CompleteRefundTask(ctx context.Context, id int64, actor string) error
	CancelStock(ctx context.Context, status string) ([]CancelStockItem, error)
	MarkStockReturned(ctx context.Context, ids []int64) error

	CreateBulkJob(ctx context.Context, job *BulkJob, paymentIDs []int64) error
	// UpdateBulkItem records an item's outcome; a run no longer running is not
	// reopened (ErrBulkJobClosed; an item with an operation follows the journal).
	UpdateBulkItem(ctx context.Context, jobID, paymentID int64, state string, opID int64, message Text) error
	// FinishBulkJob closes a running job; one closed already is left (ErrBulkJobClosed).
	FinishBulkJob(ctx context.Context, jobID int64, state string) error
	BulkJobByID(ctx context.Context, id int64) (*BulkJob, []BulkItem, error)

	FeeReport(ctx context.Context, from, to time.Time) ([]FeeLine, error)
}
