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
	Cursor       string
}

// SyncStore keeps what the sync finds.
type SyncStore interface {
	SaveDrift(ctx context.Context, d *Drift) error
	DeleteDrift(ctx context.Context, paymentID int64) error
	Drifts(ctx context.Context) ([]Drift, error)
	SyncStatus(ctx context.Context, profileID int64) (*SyncStatus, error)
	SaveSyncStatus(ctx context.Context, s *SyncStatus) error
}
