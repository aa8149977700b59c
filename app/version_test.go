package app

// The payment's version from what the operator saw to the engine: 受注詳細's payment
// and the rows of 受注管理 / 作業リスト carry it, the confirm of an action sends the
// version its preview was made for, a bulk run of a selection the versions of the rows
// as listed. A payment changed behind the window (another desktop's operation, a sync's
// save) is refused with nothing sent — counted in the sandbox's request log.

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
)

// requestsFor counts the requests the GMO sandbox received for one transaction.
func requestsFor(sys *System, orderID string) int {
	tr, _ := sys.Sandbox.Sim.Trade(orderID)
	n := 0
	for _, e := range sys.Sandbox.Sim.Server.Log.Entries() {
		if e.TxID == orderID || e.Fields["OrderID"] == orderID || (tr.AccessID != "" && e.Fields["AccessID"] == tr.AccessID) {
			n++
		}
	}
	return n
}

// gmoAuthorized lists n 仮売上 GMO card orders of the demo shop through the search
// form, each with its last processing date known, as a sync would have read it (GMO's
// キャンセル is chosen from it; the demo leaves it to the first inquiry).
func gmoAuthorized(t *testing.T, sys *System, b Bound, n int) []OrderRow {
	t.Helper()
	ctx := context.Background()
	q := OrderSearch{Methods: []string{"card"}, PaymentStates: []string{"authorized"}, PageSize: 200}
	page, err := b.Orders.Search(q)
	require.NoError(t, err)
	known := 0
	for _, r := range page.Rows {
		if r.Gateway != string(backend.GatewayGMO) || known == n {
			continue
		}
		p, err := sys.Store.PaymentByID(ctx, r.PaymentID)
		require.NoError(t, err)
		if p.ProcessedAt.IsZero() {
			p.ProcessedAt = p.AuthorizedAt
			require.NoError(t, sys.Store.SavePayment(ctx, p))
		}
		known++
	}
	page, err = b.Orders.Search(q) // listed after
	require.NoError(t, err)
	var out []OrderRow
	for _, r := range page.Rows {
		if r.Gateway == string(backend.GatewayGMO) && len(out) < n {
			out = append(out, r)
		}
	}
	require.Len(t, out, n, "the demo shop has %d 仮売上 GMO card orders", n)
	return out
}

func assertChanged(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.True(t, errors.Is(err, backend.ErrPaymentChanged), "%v", err)
	ui := FormatError(err).(UIError)
	assert.True(t, ui.Changed, "the window is told to read the payment again")
	assert.Contains(t, ui.Message, "別のパソコンまたは別の操作で変更されています")
	assert.Contains(t, ui.Message, "何も送信していません")
	assert.Contains(t, ui.MessageEn, "Nothing was sent")
}

func TestTheVersionShownIsTheVersionListed(t *testing.T) {
	sys, b := openDesk(t)
	row := gmoAuthorized(t, sys, b, 1)[0]
	d, err := b.Orders.Detail(row.ID)
	require.NoError(t, err)
	require.Len(t, d.Payments, 1)
	assert.Positive(t, d.Payments[0].Version)
	assert.Equal(t, d.Payments[0].Version, row.PaymentVersion, "受注管理's row carries its payment's version")

	lists, err := b.Work.List("to_capture")
	require.NoError(t, err)
	require.NotEmpty(t, lists)
	for _, r := range lists {
		assert.Positive(t, r.PaymentVersion, "作業リスト's row %s", r.OrderNo)
	}

	// The row's version moves with the payment.
	res, err := b.Payments.Run(row.PaymentID, ActionInput{Intent: "change_amount", Amount: "1000", Version: d.Payments[0].Version}, "ver-listed-1")
	require.NoError(t, err)
	again := gmoAuthorized(t, sys, b, 1)[0]
	require.Equal(t, row.ID, again.ID)
	assert.Greater(t, again.PaymentVersion, row.PaymentVersion)
	assert.Equal(t, res.Order.Payments[0].Version, again.PaymentVersion)
}

// A row read before its payment changed shows the old state; its version, read just
// after, must not be the new one.
func TestARowOlderThanItsPaymentGetsAnOlderVersion(t *testing.T) {
	sys, b := openDesk(t)
	ctx := context.Background()
	row := gmoAuthorized(t, sys, b, 1)[0]
	_, err := sys.Engine.Capture(ctx, payment.Request{PaymentID: row.PaymentID, Operator: "副店長"})
	require.NoError(t, err)
	now, err := sys.Store.PaymentByID(ctx, row.PaymentID)
	require.NoError(t, err)

	rows := []OrderRow{row} // as listed: still 仮売上
	require.NoError(t, withPaymentVersions(ctx, sys.Store, rows))
	assert.Less(t, rows[0].PaymentVersion, now.Version)
	assert.Positive(t, rows[0].PaymentVersion, "checked, not 0")
}

func TestAStaleDialogIsRefusedWithNothingSent(t *testing.T) {
	sys, b := openDesk(t)
	ctx := context.Background()
	rows := gmoAuthorized(t, sys, b, 2)

	t.Run("another desktop changed the amount after the preview", func(t *testing.T) {
		d, err := b.Orders.Detail(rows[0].ID)
		require.NoError(t, err)
		pay := d.Payments[0]
		pv, err := b.Payments.Preview(pay.ID, ActionInput{Intent: "capture", Version: pay.Version})
		require.NoError(t, err)
		assert.Equal(t, pay.Version, pv.PaymentVersion)
		require.Len(t, pv.Steps, 1)
		assert.Equal(t, pay.AmountAuthorized, pv.Steps[0].Amount)

		// Behind the dialog: another desktop's 金額変更 (same database, same gateway).
		lower := backend.Yen(pay.AmountAuthorized - 500)
		_, err = sys.Engine.Run(ctx, payment.Request{PaymentID: pay.ID, Intent: payment.IntentChangeAmount,
			Params: payment.Params{Amount: lower}, Operator: "副店長"})
		require.NoError(t, err)
		sent := requestsFor(sys, pay.GatewayOrderID)

		_, err = b.Payments.Run(pay.ID, ActionInput{Intent: "capture", Version: pv.PaymentVersion}, "ver-stale-1")
		assertChanged(t, err)
		assert.Equal(t, sent, requestsFor(sys, pay.GatewayOrderID), "the capture was never sent")
		tr, ok := sys.Sandbox.Sim.Trade(pay.GatewayOrderID)
		require.True(t, ok)
		assert.Equal(t, "AUTH", tr.Status)
		after, err := b.Orders.Detail(rows[0].ID)
		require.NoError(t, err)
		ops := after.Payments[0].Operations
		require.Len(t, ops, 1, "only the other desktop's 金額変更 is in the journal")
		assert.Equal(t, "change_amount", ops[0].Kind.Code)
		assert.Equal(t, "authorized", after.Payments[0].State.Code)

		// The old version cannot be previewed either: the window reads the payment again.
		_, err = b.Payments.Preview(pay.ID, ActionInput{Intent: "capture", Version: pay.Version})
		assertChanged(t, err)

		// Read again, the dialog previews and sends the new amount.
		fresh := after.Payments[0]
		pv, err = b.Payments.Preview(fresh.ID, ActionInput{Intent: "capture", Version: fresh.Version})
		require.NoError(t, err)
		assert.Equal(t, int64(lower), pv.Steps[0].Amount)
		res, err := b.Payments.Run(fresh.ID, ActionInput{Intent: "capture", Version: pv.PaymentVersion}, "ver-stale-2")
		require.NoError(t, err)
		assert.Equal(t, "captured", res.Order.Payments[0].State.Code)
		assert.Equal(t, int64(lower), res.Order.Payments[0].AmountCaptured)
		assert.Equal(t, 1, sys.Sandbox.Sim.Server.Log.CountApplied("SALES")[pay.GatewayOrderID])
	})

	t.Run("a sync saved the payment after the dialog read it", func(t *testing.T) {
		d, err := b.Orders.Detail(rows[1].ID)
		require.NoError(t, err)
		pay := d.Payments[0]
		pv, err := b.Payments.Preview(pay.ID, ActionInput{Intent: "cancel", Version: pay.Version})
		require.NoError(t, err)

		// A direct write of the store, as the sync's save of what it read: a new version.
		stored, err := sys.Store.PaymentByID(ctx, pay.ID)
		require.NoError(t, err)
		stored.LastSyncedAt = time.Now()
		require.NoError(t, sys.Store.SavePayment(ctx, stored))
		sent := requestsFor(sys, pay.GatewayOrderID)

		_, err = b.Payments.Run(pay.ID, ActionInput{Intent: "cancel", Version: pv.PaymentVersion}, "ver-sync-1")
		assertChanged(t, err)
		assert.Equal(t, sent, requestsFor(sys, pay.GatewayOrderID), "the cancel was never sent")
		after, err := b.Orders.Detail(rows[1].ID)
		require.NoError(t, err)
		assert.Empty(t, after.Payments[0].Operations, "nothing journalled")
		assert.Equal(t, "authorized", after.Payments[0].State.Code)

		// Without a version (the command line reads fresh) it is not checked.
		res, err := b.Payments.Run(pay.ID, ActionInput{Intent: "cancel"}, "ver-sync-2")
		require.NoError(t, err)
		assert.Equal(t, "cancelled", res.Order.Status.Code)
	})
}

// A bulk run of a selection: the rows another desktop changed after the list was read
// are not sent blindly — a sale it made is skipped with the reason, a キャンセル of a
// payment it captured meanwhile is refused — and the others are sent.
func TestABulkSelectionWithStaleRows(t *testing.T) {
	sys, b := openDesk(t)
	ctx := context.Background()
	rows := gmoAuthorized(t, sys, b, 5)
	selection := func(rs []OrderRow) []BulkSelection {
		out := []BulkSelection{}
		for _, r := range rs {
			require.Positive(t, r.PaymentVersion)
			out = append(out, BulkSelection{PaymentID: r.PaymentID, Version: r.PaymentVersion})
		}
		return out
	}
	orderIDOf := map[int64]string{}
	for _, r := range rows {
		d, err := b.Orders.Detail(r.ID)
		require.NoError(t, err)
		orderIDOf[r.PaymentID] = d.Payments[0].GatewayOrderID
	}
	wait := func(id int64, err error) map[int64]BulkItem {
		require.NoError(t, err)
		var job *BulkJob
		require.Eventually(t, func() bool {
			job, err = b.Payments.BulkJob(id)
			return err == nil && job.State != "running"
		}, 10*time.Second, 20*time.Millisecond)
		out := map[int64]BulkItem{}
		for _, it := range job.Items {
			out[it.PaymentID] = it
		}
		return out
	}
	otherDesktopCaptures := func(paymentID int64) {
		_, err := sys.Engine.Capture(ctx, payment.Request{PaymentID: paymentID, Operator: "副店長"})
		require.NoError(t, err)
	}

	// 一括売上 of rows 0-2; another desktop sold row 0 after the list was read.
	capSel := selection(rows[:3])
	otherDesktopCaptures(rows[0].PaymentID)
	items := wait(b.Payments.BulkStartSelected("capture", capSel))
	require.Len(t, items, 3)
	skipped := items[rows[0].PaymentID]
	assert.Equal(t, backend.BulkSkipped, skipped.State)
	assert.Contains(t, skipped.Message, "別のパソコンまたは別の操作でこの決済が変更されていたため、送信していません")
	assert.Contains(t, skipped.Message, "実売上")
	for _, r := range rows[1:3] {
		assert.Equal(t, backend.BulkSucceeded, items[r.PaymentID].State, items[r.PaymentID].Message)
	}
	sales := sys.Sandbox.Sim.Server.Log.CountApplied("SALES")
	for _, r := range rows[:3] {
		assert.Equal(t, 1, sales[orderIDOf[r.PaymentID]], "order %s sold once", r.OrderNo)
	}

	// 一括キャンセル of rows 3-4; another desktop sold row 3 meanwhile: cancelling that
	// sale is not what the operator chose from a list that showed 仮売上.
	cancelSel := selection(rows[3:5])
	otherDesktopCaptures(rows[3].PaymentID)
	sent := requestsFor(sys, orderIDOf[rows[3].PaymentID])
	items = wait(b.Payments.BulkStartSelected("cancel", cancelSel))
	require.Len(t, items, 2)
	refused := items[rows[3].PaymentID]
	assert.Equal(t, backend.BulkFailed, refused.State)
	assert.Contains(t, refused.Message, "別のパソコンまたは別の操作で変更されています")
	assert.Equal(t, sent, requestsFor(sys, orderIDOf[rows[3].PaymentID]), "no cancel of the sale was sent")
	d, err := b.Orders.Detail(rows[3].ID)
	require.NoError(t, err)
	assert.Equal(t, "captured", d.Payments[0].State.Code)
	assert.Equal(t, backend.BulkSucceeded, items[rows[4].PaymentID].State, items[rows[4].PaymentID].Message)
	d, err = b.Orders.Detail(rows[4].ID)
	require.NoError(t, err)
	assert.Equal(t, "cancelled", d.Status.Code)

	// The old entry point (ids only: each item as it reads it) still runs.
	items = wait(b.Payments.BulkStart("capture", []int64{rows[4].PaymentID}))
	assert.Equal(t, backend.BulkSkipped, items[rows[4].PaymentID].State, "a cancelled payment is not sold")
}
