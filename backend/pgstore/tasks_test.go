package pgstore

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// Two desktops on one database, each running a bulk run. Closing interrupted runs never
// touches a live desktop's run, however long it lasts (its lease is renewed); once a
// desktop is gone (closed here: it stops renewing) and its lease lapses, the next
// desktop to ask closes its run: the items never sent cancelled, with SQLite's message,
// the item whose operation was journalled following the journal. Its run is closed
// once, and the live desktop's own run stays running.
func TestBulkJobsOfADeadDesktopAreClosedByTheNext(t *testing.T) {
	ctx := context.Background()
	dsn := testDSN(t)
	const lease = 300 * time.Millisecond
	gone := openDSN(t, dsn, Options{Lease: lease})
	live := openDSN(t, dsn, Options{Lease: lease})
	other := openDSN(t, dsn, Options{})
	ids := seedPayments(t, gone, 4)

	dead := &backend.BulkJob{Intent: "capture", Operator: "山田"}
	require.NoError(t, gone.CreateBulkJob(ctx, dead, ids[:3]))
	mine := &backend.BulkJob{Intent: "capture", Operator: "佐藤"}
	require.NoError(t, live.CreateBulkJob(ctx, mine, ids[3:]))
	require.NoError(t, gone.UpdateBulkItem(ctx, dead.ID, ids[0], backend.BulkSucceeded, 0, backend.Text{Ja: "完了"}))
	op := &backend.Operation{PaymentID: ids[1], Kind: backend.OpCapture, Amount: 100, IdempotencyKey: "bulk-1", BulkJobID: dead.ID}
	require.NoError(t, gone.BeginOperation(ctx, op))
	op.State, op.Message = backend.OpFailed, "カード会社が拒否しました"
	require.NoError(t, gone.CompleteOperation(ctx, &backend.Completion{Op: op}))

	// Several leases pass: both desktops renew, nothing is closed.
	time.Sleep(4 * lease)
	n, err := other.CloseInterruptedBulkJobs(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "a live desktop's run is never closed")

	require.NoError(t, gone.Close())
	time.Sleep(lease + 200*time.Millisecond)
	n, err = other.CloseInterruptedBulkJobs(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = live.CloseInterruptedBulkJobs(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "closed once")

	job, items, err := other.BulkJobByID(ctx, dead.ID)
	require.NoError(t, err)
	assert.Equal(t, "cancelled", job.State)
	assert.False(t, job.FinishedAt.IsZero())
	require.Len(t, items, 3)
	assert.Equal(t, backend.BulkSucceeded, items[0].State)
	assert.Equal(t, []any{backend.BulkFailed, op.ID, "カード会社が拒否しました"}, []any{items[1].State, items[1].OperationID, items[1].Message})
	assert.Equal(t, []string{backend.BulkCancelled, "一括処理を実行していたパソコンが終了したか応答しなくなったため中断され、送信していません",
		"not sent: the desktop running the bulk run closed or stopped responding"},
		[]string{items[2].State, items[2].Message, items[2].MessageEn})

	job, items, err = live.BulkJobByID(ctx, mine.ID)
	require.NoError(t, err)
	assert.Equal(t, "running", job.State)
	assert.Equal(t, backend.BulkQueued, items[0].State)
}

// A desktop that froze past its run's lease finds, when it wakes, its run closed by
// another desktop as interrupted: what it records then does not reopen the run or
// overwrite what the closing said (backend.ErrBulkJobClosed) — but an item whose
// operation it had journalled follows the journal, which is true whoever closed the run.
func TestARunClosedWhileItsDesktopWasFrozenStaysClosed(t *testing.T) {
	ctx := context.Background()
	dsn := testDSN(t)
	frozen := openDSN(t, dsn, Options{Lease: time.Hour}) // renews every 20 minutes: not during the test
	other := openDSN(t, dsn, Options{})
	ids := seedPayments(t, frozen, 3)
	job := &backend.BulkJob{Intent: "capture", Operator: "山田"}
	require.NoError(t, frozen.CreateBulkJob(ctx, job, ids))
	op := &backend.Operation{PaymentID: ids[0], Kind: backend.OpCapture, Amount: 100, IdempotencyKey: "frozen-1", BulkJobID: job.ID}
	require.NoError(t, frozen.BeginOperation(ctx, op))
	op.State, op.Message = backend.OpSucceeded, "売上処理が完了しました"
	require.NoError(t, frozen.CompleteOperation(ctx, &backend.Completion{Op: op}))

	// The desktop freezes: its lease lapses, and another desktop closes its run.
	_, err := other.Write().Exec(ctx, `UPDATE bulk_jobs SET lease_until = 0 WHERE id = ?`, job.ID)
	require.NoError(t, err)
	n, err := other.CloseInterruptedBulkJobs(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	closed, before, err := other.BulkJobByID(ctx, job.ID)
	require.NoError(t, err)
	require.Equal(t, "cancelled", closed.State)

	// It wakes: the item of its journalled sale, an item it skipped, the end of its run.
	err = frozen.UpdateBulkItem(ctx, job.ID, ids[0], backend.BulkSucceeded, op.ID, backend.Text{Ja: "売上処理が完了しました", En: "captured"})
	assert.ErrorIs(t, err, backend.ErrBulkJobClosed)
	err = frozen.UpdateBulkItem(ctx, job.ID, ids[1], backend.BulkSkipped, 0, backend.Text{Ja: "対象外"})
	assert.ErrorIs(t, err, backend.ErrBulkJobClosed)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	err = frozen.FinishBulkJob(ctx, job.ID, "finished")
	assert.ErrorIs(t, err, backend.ErrBulkJobClosed)

	got, items, err := other.BulkJobByID(ctx, job.ID)
	require.NoError(t, err)
	assert.Equal(t, "cancelled", got.State, "the closing stands")
	assert.True(t, got.FinishedAt.Equal(closed.FinishedAt))
	assert.Equal(t, []any{backend.BulkSucceeded, op.ID, "売上処理が完了しました"}, []any{items[0].State, items[0].OperationID, items[0].Message},
		"the journalled sale, as the journal says")
	assert.Equal(t, before[1:], items[1:], "the items never sent say what the closing said")
	assert.Equal(t, backend.BulkCancelled, items[1].State)
	assert.Contains(t, items[1].Message, "応答しなくなった")
}

// A shared database is backed up on its server: Backup refuses, says where, and
// writes nothing.
func TestBackupOfASharedDatabaseIsRefused(t *testing.T) {
	db := openTest(t, Options{})
	path := t.TempDir() + "/kessaidesk.db"
	err := db.Backup(context.Background(), path)
	var be *backend.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, backend.EUNSUPPORTED, be.Code)
	assert.Contains(t, be.Message, "サーバー側")
	assert.Contains(t, be.MessageEn, "pg_dump")
	assert.NoFileExists(t, path)
}
