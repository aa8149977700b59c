package backend

import (
	"context"
	"time"
)

// Drift is a difference between our state of a payment and the gateway's.
type Drift struct {
	PaymentID     int64
	OrderID       int64
	OrderNo       string
	CustomerName  string
	Gateway       GatewayKind
	FoundAt       time.Time
	OurState      PaymentState
	GatewayState  PaymentState
	OurAmount     Yen
	GatewayAmount Yen
	RawStatus     string
	Detail        string
	DetailEn      string // "" for a difference listed before English was kept
}

// SyncStatus is the sync's view of one gateway profile.
type SyncStatus struct {
	ProfileID    int64
	LastSuccess  time.Time
	LastAttempt  time.Time
	OfflineSince time.Time // zero = reachable
	Failures     int       // consecutive failed runs (for the back-off)
	NextAttempt  time.Time // not before this (back-off)
	LastError    string
	LastErrorEn  string // "" for an error stored before English was kept
	Cursor       string
}

// ShippingHold is an order to stop shipping: its payment was cancelled or refunded at
// the gateway (in its console, behind the app's back) before the order was shipped.
// It stays on the 出荷を止める list until the operator cancels the order or keeps it.
type ShippingHold struct {
	PaymentID    int64
	OrderID      int64
	OrderNo      string
	CustomerName string
	OrderStatus  OrderStatus
	Total        Yen
	Gateway      GatewayKind
	FoundAt      time.Time
	GatewayState PaymentState // what the gateway reports: 取消 or 返品・返金済
	Detail       string
	DetailEn     string // "" for a hold made before English was kept
}

// SyncStore keeps what the sync finds.
type SyncStore interface {
	SaveDrift(ctx context.Context, d *Drift) error
	// DeleteDrift forgets a difference (fixed, or gone), and the shipping hold of its
	// payment once the operator has decided it.
	DeleteDrift(ctx context.Context, paymentID int64) error
	Drifts(ctx context.Context) ([]Drift, error)
	SyncStatus(ctx context.Context, profileID int64) (*SyncStatus, error)
	SaveSyncStatus(ctx context.Context, s *SyncStatus) error
	// RecheckQueue lists a profile's payments the sync compares with the gateway in
	// turn — open authorisations, captures and partial refunds captured since
	// capturedSince (or on an unknown date), deposits awaited — least recently synced
	// first, at most limit (0 = all).
	RecheckQueue(ctx context.Context, profileID int64, capturedSince time.Time, limit int) ([]*Payment, error)
	// RecheckCount counts the payments RecheckQueue lists without a limit.
	RecheckCount(ctx context.Context, profileID int64, capturedSince time.Time) (int, error)
	// HoldShipping puts the order of h.PaymentID on the 出荷を止める list unless its
	// payment already has a hold or the order is shipped or cancelled; it reports
	// whether it did.
	HoldShipping(ctx context.Context, h *ShippingHold) (bool, error)
	// ShippingHolds lists the holds waiting for the operator, oldest first.
	ShippingHolds(ctx context.Context) ([]ShippingHold, error)
	// KeepShipping records the operator's decision to keep the order as it is: the
	// order leaves the list, with an entry in its history.
	KeepShipping(ctx context.Context, paymentID int64, actor string) error
}
