package sqlite

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// ホーム's counts on a shop with one or more orders in every kind of work: each count
// and yen total is what the fixture put there, and each count is the size of the work
// list it links to.
func TestOverviewCountsEveryWorkList(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, backend.JST)
	staleBefore := now.Add(-time.Hour)
	no := 0
	order := func(total backend.Yen, mutate func(o *backend.Order)) *backend.Order {
		no++
		o := testOrder(strconv.Itoa(100+no), "山田", "ヤマダ", total, now.Add(-48*time.Hour), item("A", "商品A", total, 1))
		o.Shipping = 0
		if mutate != nil {
			mutate(o)
		}
		require.NoError(t, db.SaveOrder(ctx, o))
		return o
	}
	authorized := func(total backend.Yen, expires time.Time) *backend.Payment {
		p := newPayment(t, db, order(total, nil), backend.StateAuthorized)
		p.AuthExpiresAt = expires
		require.NoError(t, db.SavePayment(ctx, p))
		return p
	}
	today := func(days, hour int) time.Time { return time.Date(2026, 11, 20+days, hour, 0, 0, 0, backend.JST) }

	// 仮売上 by days left: lapsed yesterday, today, in 3 days (00:30), in 4 days (midnight), in 40 days.
	authorized(1000, today(-1, 12))
	p2 := authorized(2000, today(0, 23))
	authorized(3000, today(3, 0).Add(30*time.Minute))
	authorized(4000, today(4, 0))
	p5 := authorized(5000, today(40, 9))
	// 売上失敗: two with one reason, one with another.
	failed := func(total backend.Yen, code, msg string) {
		p := newPayment(t, db, order(total, nil), backend.StateCaptureFailed)
		op := &backend.Operation{PaymentID: p.ID, Kind: backend.OpCapture, Amount: total, IdempotencyKey: "f" + strconv.Itoa(no)}
		require.NoError(t, db.BeginOperation(ctx, op))
		op.State, op.GatewayCode, op.Message = backend.OpFailed, code, msg
		if code == "E01" {
			op.MessageEn = "The card company refused the capture"
		}
		require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op}))
	}
	failed(6000, "E01", "カード会社が売上を受け付けませんでした")
	failed(7000, "E01", "カード会社が売上を受け付けませんでした")
	failed(8000, "E02", "与信の期限が切れています")
	// 入金待ち: one within its deadline, one past it.
	deposit := func(total backend.Yen, deadline time.Time) {
		o := order(total, func(o *backend.Order) {
			o.PaymentMethod, o.Status = backend.MethodKonbini, backend.OrderAwaitingDeposit
		})
		p := newPayment(t, db, o, backend.StateAwaitingDeposit)
		p.Method, p.AuthExpiresAt, p.PaymentDeadline = backend.MethodKonbini, time.Time{}, deadline
		require.NoError(t, db.SavePayment(ctx, p))
	}
	deposit(9000, today(2, 23))
	deposit(10000, today(-1, 23))
	// 要確認, and an authorisation whose capture is being confirmed (8–14 days left).
	newPayment(t, db, order(11000, nil), backend.StateNeedsReview)
	p12 := authorized(12000, today(10, 9))
	op := &backend.Operation{PaymentID: p12.ID, Kind: backend.OpCapture, Amount: 12000, IdempotencyKey: "u1"}
	require.NoError(t, db.BeginOperation(ctx, op))
	require.NoError(t, db.MarkOperationSent(ctx, op.ID, now))
	// A cancelled order with two lines on キャンセル在庫.
	o13 := order(3000, func(o *backend.Order) {
		o.Items = []backend.LineItem{item("A", "商品A", 1000, 1), item("B", "商品B", 1000, 2)}
	})
	require.NoError(t, db.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: o13.ID, Status: backend.OrderCancelled, Actor: "店長", CancelStock: true}))
	// A difference, and an order to stop shipping (cancelled at the gateway).
	require.NoError(t, db.SaveDrift(ctx, &backend.Drift{PaymentID: p5.ID, OurState: backend.StateAuthorized, GatewayState: backend.StateVoided}))
	held, err := db.HoldShipping(ctx, &backend.ShippingHold{PaymentID: p2.ID, GatewayState: backend.StateVoided})
	require.NoError(t, err)
	require.True(t, held)
	// 未連携: an imported card order the gateway has no transaction for.
	o15 := order(15000, func(o *backend.Order) { o.Source = "csv" })
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: o15.ID, Status: backend.LinkNotFound, Reason: "取引なし"}))
	// 決済処理中 for two days (stale), and one just placed (not stale).
	order(1600, func(o *backend.Order) { o.Status = backend.OrderProcessing })
	order(1700, func(o *backend.Order) { o.Status, o.OrderedAt = backend.OrderProcessing, now.Add(-10*time.Minute) })

	ov, err := db.Overview(ctx, now, staleBefore)
	require.NoError(t, err)
	assert.Equal(t, 16, ov.Orders)
	u := backend.Unbounded
	assert.Equal(t, []backend.CaptureBucket{
		{MinDays: -u, MaxDays: -1, Count: 1, Amount: 1000},
		{MinDays: 0, MaxDays: 3, Count: 2, Amount: 5000},
		{MinDays: 4, MaxDays: 7, Count: 1, Amount: 4000},
		{MinDays: 8, MaxDays: 14, Count: 1, Amount: 12000},
		{MinDays: 15, MaxDays: 30, Count: 0, Amount: 0},
		{MinDays: 31, MaxDays: u, Count: 1, Amount: 5000},
	}, ov.ToCapture)
	assert.Zero(t, ov.ToCaptureNoExpiry)
	assert.Equal(t, 3, ov.CaptureFailed)
	assert.Equal(t, backend.Yen(21000), ov.CaptureFailedAmount)
	assert.Equal(t, []backend.FailReason{
		{Code: "E01", Message: "カード会社が売上を受け付けませんでした", MessageEn: "The card company refused the capture", Count: 2},
		{Code: "E02", Message: "与信の期限が切れています", Count: 1}, // journalled before English was kept
	}, ov.FailReasons)
	assert.Equal(t, 1, ov.AwaitingDeposit)
	assert.Equal(t, backend.Yen(9000), ov.AwaitingDepositAmount)
	assert.Equal(t, 1, ov.OverdueDeposit)
	assert.Equal(t, backend.Yen(10000), ov.OverdueDepositAmount)
	assert.Equal(t, 1, ov.NeedsReview)
	assert.Equal(t, 1, ov.Unresolved)
	assert.Equal(t, 1, ov.Stale)
	assert.Equal(t, 1, ov.Drifts)
	assert.Equal(t, 1, ov.StopShipping)
	assert.Equal(t, 2, ov.CancelStock, "lines, not orders")
	assert.Equal(t, 1, ov.Unlinked)

	// Every count is its work list's length.
	lists := map[string]int{
		ListToCapture: 6, ListCaptureFailed: ov.CaptureFailed, ListOverdueDeposit: ov.OverdueDeposit,
		ListNeedsReview: ov.NeedsReview + ov.Unresolved, ListStaleProcessing: ov.Stale, ListStopShipping: ov.StopShipping,
	}
	for list, n := range lists {
		rows, err := db.WorkList(ctx, list, now, staleBefore, 0)
		require.NoError(t, err)
		assert.Len(t, rows, n, list)
	}
	unlinked, err := db.Unlinked(ctx, 0)
	require.NoError(t, err)
	assert.Len(t, unlinked, ov.Unlinked)

	// A day later the buckets move: today's authorisation has lapsed.
	ov, err = db.Overview(ctx, now.Add(24*time.Hour), staleBefore)
	require.NoError(t, err)
	assert.Equal(t, 2, ov.ToCapture[0].Count)
	assert.Equal(t, backend.Yen(3000), ov.ToCapture[0].Amount)
}

// An empty shop: every count zero, the buckets there, no reasons.
func TestOverviewOfAnEmptyShop(t *testing.T) {
	db := openTestDB(t)
	ov, err := db.Overview(context.Background(), day, day)
	require.NoError(t, err)
	assert.Zero(t, ov.Orders)
	assert.Len(t, ov.ToCapture, len(backend.CaptureBuckets))
	for _, b := range ov.ToCapture {
		assert.Zero(t, b.Count)
	}
	assert.Empty(t, ov.FailReasons)
	assert.Zero(t, ov.CaptureFailed+ov.AwaitingDeposit+ov.OverdueDeposit+ov.NeedsReview+ov.Unresolved+ov.Drifts+ov.CancelStock+ov.Unlinked)
}
