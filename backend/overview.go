package backend

import "time"

// Overview is the morning in one look (ホーム): how much of each kind of work waits,
// with the money at stake, and how each gateway's sync stands. Every count is the
// size of a work list the operator can open.
type Overview struct {
	Orders int // orders in the shop (0: a new shop, nothing imported yet)

	// ToCapture: 仮売上 by days left to the authorisation's expiry, most urgent first.
	ToCapture []CaptureBucket
	// ToCaptureNoExpiry: 仮売上 whose expiry is not known (counted apart from the buckets).
	ToCaptureNoExpiry       int
	ToCaptureNoExpiryAmount Yen
	// CaptureFailed: 売上失敗, with the gateway's reasons, most frequent first.
	CaptureFailed       int
	CaptureFailedAmount Yen
	FailReasons         []FailReason

	AwaitingDeposit       int // 入金待ち within the payment deadline
	AwaitingDepositAmount Yen
	OverdueDeposit        int // 入金待ち past the deadline, and net-bank expiries left open
	OverdueDepositAmount  Yen

	NeedsReview int // 要確認 (the payment's state)
	Unresolved  int // an operation whose outcome is being confirmed with the gateway (結果確認中)
	Stale       int // 決済処理中 for longer than the threshold

	Drifts       int // differences between our state and the gateway's
	StopShipping int // cancelled or refunded at the gateway before shipping, waiting for the operator
	CancelStock  int // キャンセル在庫 lines not yet returned to stock (未対応)
	Unlinked     int // orders not yet tied to their gateway transaction
}

// CaptureBucket counts the 仮売上 whose authorisation lapses within MinDays..MaxDays
// days (JST calendar days from today, both inclusive; Unbounded = no bound on that side).
type CaptureBucket struct {
	MinDays int
	MaxDays int
	Count   int
	Amount  Yen
}

// FailReason is one reason the gateway gave for 売上失敗, with how many orders have it.
type FailReason struct {
	Code      string // the gateway's error code ("" when none)
	Message   string
	MessageEn string // "" for failures journalled before English was kept
	Count     int
}

// CaptureBuckets are the day ranges ホーム groups 仮売上 by: lapsed, today to 3 days,
// 4–7, 8–14, 15–30 and beyond.
var CaptureBuckets = [][2]int{{-Unbounded, -1}, {0, 3}, {4, 7}, {8, 14}, {15, 30}, {31, Unbounded}}

// Unbounded marks a day range open on one side.
const Unbounded = 1 << 30

// StartOfDayJST is midnight (Japan time) of the day t falls on, days later.
func StartOfDayJST(t time.Time, days int) time.Time {
	y, m, d := t.In(JST).Date()
	return time.Date(y, m, d+days, 0, 0, 0, 0, JST)
}
