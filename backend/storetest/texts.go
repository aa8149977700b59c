package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// storedTextsEn: the texts the app stores for the operator keep their English beside
// the Japanese — a 要返金(口座) task's reason, a bulk item's result (given, taken from
// the journal, or "not sent"), the sync's last error — and a text without English
// reads back as ” (the window then shows the Japanese).
func storedTextsEn(t *testing.T, db Store) {
	o := saved(t, db, order("1", "山田", "ヤマダ", 3000, Day))
	p := payment(t, db, o, backend.StateCaptured)
	require.NoError(t, db.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: o.ID, Actor: "店長",
		RefundTask: &backend.RefundTask{PaymentID: p.ID, Amount: 3000, Reason: "返品のため", ReasonEn: "returned goods"}}))
	require.NoError(t, db.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: o.ID, Actor: "店長",
		RefundTask: &backend.RefundTask{Amount: 200, Reason: "差額"}}))
	tasks, err := db.RefundTasks(ctx, "")
	require.NoError(t, err)
	require.Len(t, tasks, 2)
	assert.Equal(t, []string{"返品のため", "returned goods"}, []string{tasks[0].Reason, tasks[0].ReasonEn})
	assert.Equal(t, []string{"差額", ""}, []string{tasks[1].Reason, tasks[1].ReasonEn})

	var ids []int64
	for _, no := range []string{"11", "12", "13", "14"} {
		ids = append(ids, payment(t, db, saved(t, db, order(no, "山田", "ヤマダ", 100, Day)), backend.StateAuthorized).ID)
	}
	job := &backend.BulkJob{Intent: "capture", Operator: "店長"}
	require.NoError(t, db.CreateBulkJob(ctx, job, ids))
	require.NoError(t, db.UpdateBulkItem(ctx, job.ID, ids[0], backend.BulkSucceeded, 0,
		backend.Text{Ja: "売上処理が完了しました", En: "captured"}))
	// journalled, the item never updated: it follows the journal, English too
	op := &backend.Operation{PaymentID: ids[1], Kind: backend.OpCapture, IdempotencyKey: "t1", BulkJobID: job.ID}
	require.NoError(t, db.BeginOperation(ctx, op))
	op.State, op.Message, op.MessageEn = backend.OpFailed, "カード会社が拒否しました", "the card company refused"
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op}))
	// a journal entry without English leaves the item's English empty
	op2 := &backend.Operation{PaymentID: ids[2], Kind: backend.OpCapture, IdempotencyKey: "t2", BulkJobID: job.ID}
	require.NoError(t, db.BeginOperation(ctx, op2))
	op2.State, op2.Message = backend.OpFailed, "拒否されました"
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op2}))
	require.NoError(t, db.FinishBulkJob(ctx, job.ID, "cancelled"))
	_, items, err := db.BulkJobByID(ctx, job.ID)
	require.NoError(t, err)
	require.Len(t, items, 4)
	assert.Equal(t, "captured", items[0].MessageEn)
	assert.Equal(t, []string{"カード会社が拒否しました", "the card company refused"}, []string{items[1].Message, items[1].MessageEn})
	assert.Equal(t, []string{"拒否されました", ""}, []string{items[2].Message, items[2].MessageEn})
	assert.Equal(t, backend.BulkCancelled, items[3].State)
	assert.Equal(t, "not sent: the bulk run was stopped", items[3].MessageEn)
	assert.NotEmpty(t, items[3].Message)

	prof := &backend.GatewayProfile{Name: "本番", Kind: backend.GatewayGMO, Environment: backend.EnvTest}
	require.NoError(t, db.SaveProfile(ctx, prof))
	st, err := db.SyncStatus(ctx, prof.ID)
	require.NoError(t, err)
	st.Failures, st.LastError, st.LastErrorEn = 1, "接続できません", "cannot connect"
	require.NoError(t, db.SaveSyncStatus(ctx, st))
	got, err := db.SyncStatus(ctx, prof.ID)
	require.NoError(t, err)
	assert.Equal(t, "cannot connect", got.LastErrorEn)
	st.LastError, st.LastErrorEn = "", ""
	require.NoError(t, db.SaveSyncStatus(ctx, st))
	got, _ = db.SyncStatus(ctx, prof.ID)
	assert.Empty(t, got.LastErrorEn, "a run that succeeds clears the English too")

	// 差異, 出荷を止める and the order's history keep the English the app wrote.
	require.NoError(t, db.SaveDrift(ctx, &backend.Drift{PaymentID: ids[3], OurState: backend.StateAuthorized,
		GatewayState: backend.StateVoided, Detail: "当方は「仮売上」、ゲートウェイは「取消」", DetailEn: "ours: authorised, the gateway's: voided"}))
	drifts, err := db.Drifts(ctx)
	require.NoError(t, err)
	require.Len(t, drifts, 1)
	assert.Equal(t, "ours: authorised, the gateway's: voided", drifts[0].DetailEn)
	held, err := db.HoldShipping(ctx, &backend.ShippingHold{PaymentID: ids[3], GatewayState: backend.StateVoided,
		Detail: "管理画面で取消", DetailEn: "voided in the console"})
	require.NoError(t, err)
	require.True(t, held)
	holds, err := db.ShippingHolds(ctx)
	require.NoError(t, err)
	require.Len(t, holds, 1)
	assert.Equal(t, "voided in the console", holds[0].DetailEn)
	require.NoError(t, db.KeepShipping(ctx, ids[3], "店長"))
	require.NoError(t, db.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: o.ID, Actor: "店長", Note: "キャンセル: 返品", NoteEn: "Cancelled: returned"}))
	require.NoError(t, db.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: o.ID, Actor: "店長", Note: "電話で確認"}))
	require.NoError(t, db.CompleteRefundTask(ctx, tasks[0].ID, "店長"))
	var en []string
	events, err := db.OrderEvents(ctx, o.ID)
	require.NoError(t, err)
	for _, e := range events {
		en = append(en, e.DetailEn)
	}
	assert.Equal(t, []string{"Cancelled: returned", "", "Refunded to the customer's bank account"}, en, "a typed note has no English")
	held14, _ := db.PaymentByID(ctx, ids[3])
	events, err = db.OrderEvents(ctx, held14.OrderID)
	require.NoError(t, err)
	require.NotEmpty(t, events)
	assert.Contains(t, events[len(events)-1].DetailEn, "Stop shipping: the order is kept")
}
