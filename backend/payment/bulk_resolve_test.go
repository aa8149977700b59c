package payment_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
)

// A bulk item left 結果確認中 is brought up to date when the recovery decides its
// operation, so やり直し takes the sale the gateway never applied — and only that one.
func TestBulkItemLeftUnknownIsDecidedByTheRecoveryAndRetried(t *testing.T) {
	f := newFixture(t)
	lost, applied, fine := f.card(cardSpec{amount: 3000}), f.card(cardSpec{amount: 4000}), f.card(cardSpec{amount: 5000})
	// lost: the sale never reaches the logic and the inquiry fails; applied: the sale
	// is applied, its answer lost, and the inquiry fails. Both stay unknown.
	f.sim.Server.Faults.Next("AlterTran", 1, simkit.Fault{Kind: simkit.Fault500})
	f.sim.Server.Faults.Next("SearchTrade", 1, simkit.Fault{Kind: simkit.FaultReset})
	bulk := &payment.Bulk{Engine: f.eng, Concurrency: 1}
	job, _, err := bulk.Run(f.ctx, payment.IntentCapture, payment.Params{}, []int64{lost.ID}, operator)
	require.NoError(t, err)
	f.sim.Server.Faults.Next("AlterTran", 1, simkit.Fault{Kind: simkit.FaultGarble, After: true})
	f.sim.Server.Faults.Next("SearchTrade", 1, simkit.Fault{Kind: simkit.Fault500})
	job2, _, err := bulk.Run(f.ctx, payment.IntentCapture, payment.Params{}, []int64{applied.ID, fine.ID}, operator)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{backend.BulkUnknown: 1}, job.Counts)
	assert.Equal(t, map[string]int{backend.BulkUnknown: 1, backend.BulkSucceeded: 1}, job2.Counts)

	remaining, err := f.eng.ResolveUnresolved(f.ctx)
	require.NoError(t, err)
	require.Zero(t, remaining)

	job, items, err := f.db.BulkJobByID(f.ctx, job.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{backend.BulkFailed: 1}, job.Counts, "the sale was not applied: a failure to retry")
	assert.Contains(t, items[0].Message, "実行されていませんでした")
	assert.Contains(t, items[0].Message, "HTTP 500", "the first failure's code stays visible")
	assert.Contains(t, items[0].MessageEn, "was not done", "the result in English for an English window")
	assert.Contains(t, items[0].MessageEn, "HTTP 500")
	assert.Equal(t, f.ops(lost.ID)[0].ID, items[0].OperationID)
	job2, items2, err := f.db.BulkJobByID(f.ctx, job2.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{backend.BulkSucceeded: 2}, job2.Counts, "the sale was applied: confirmed")
	assert.Contains(t, items2[0].Message, "照会して完了を確認しました")

	_, err = bulk.RetryFailed(f.ctx, job2.ID, payment.Params{}, operator)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), "nothing of the second run is left to retry")
	retryID, err := bulk.RetryFailed(f.ctx, job.ID, payment.Params{}, operator)
	require.NoError(t, err)
	f.note.waitFinished(t, retryID)
	rjob, ritems, err := f.db.BulkJobByID(f.ctx, retryID)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{backend.BulkSucceeded: 1}, rjob.Counts)
	assert.NotEmpty(t, ritems[0].MessageEn, "a bulk success in English")
	assert.Equal(t, lost.ID, ritems[0].PaymentID)

	assert.Equal(t, map[string]int{lost.GatewayOrderID: 1, applied.GatewayOrderID: 1, fine.GatewayOrderID: 1},
		f.sim.Server.Log.CountApplied("SALES"))
	for _, p := range []*backend.Payment{lost, applied, fine} {
		assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State)
	}
}

// After a crash an operation that was committed but never sent fails on recovery, and
// so does its bulk item, which the dead run left 未送信 (queued).
func TestBulkItemOfAnOperationInterruptedBeforeSendingFailsOnRecovery(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 3000})
	job := &backend.BulkJob{Intent: string(payment.IntentCapture), Operator: operator}
	require.NoError(t, f.db.CreateBulkJob(f.ctx, job, []int64{p.ID}))
	op := &backend.Operation{PaymentID: p.ID, Intent: string(payment.IntentCapture), Kind: backend.OpCapture, Amount: 3000,
		IdempotencyKey: "dead-run", Operator: operator, BeforeState: p.State, BulkJobID: job.ID, RequestedAt: f.clock.Now()}
	require.NoError(t, f.db.BeginOperation(f.ctx, op)) // the process died here

	remaining, err := f.eng.ResolveUnresolved(f.ctx)
	require.NoError(t, err)
	require.Zero(t, remaining)
	_, items, err := f.db.BulkJobByID(f.ctx, job.ID)
	require.NoError(t, err)
	require.Len(t, items, 1)
	assert.Equal(t, backend.BulkFailed, items[0].State)
	assert.Equal(t, op.ID, items[0].OperationID)
	assert.Contains(t, items[0].Message, "送信前に中断")
	assert.Contains(t, items[0].MessageEn, "interrupted before it was sent")
	assert.Empty(t, f.calls(nil), "nothing was asked or sent")
}

// fullDisk is a store whose bulk-item results cannot be written after the first n.
type fullDisk struct {
	backend.Store
	mu sync.Mutex
	n  int
}

func (d *fullDisk) UpdateBulkItem(ctx context.Context, jobID, paymentID int64, state string, opID int64, msg backend.Text) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.n <= 0 {
		return errors.New("database or disk is full")
	}
	d.n--
	return d.Store.UpdateBulkItem(ctx, jobID, paymentID, state, opID, msg)
}

// A bulk run whose results cannot be saved stops, says so (no "0 succeeded, 0 failed"
// with success), sends nothing more, and the next start explains every item from the
// journal: sent ones as what the gateway did, the rest as not sent.
func TestBulkRunStopsWhenItsResultsCannotBeSaved(t *testing.T) {
	f := newFixture(t)
	var ids []int64
	for i := range 6 {
		ids = append(ids, f.card(cardSpec{amount: backend.Yen(1000 + i)}).ID)
	}
	disk := &fullDisk{Store: f.db, n: 1}
	eng := &payment.Engine{Store: disk, Gateways: f.eng.Gateways, Clock: f.eng.Clock, Timeout: f.eng.Timeout}
	bulk := &payment.Bulk{Engine: eng, Concurrency: 1}
	_, _, err := bulk.Run(f.ctx, payment.IntentCapture, payment.Params{}, ids, operator)
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "保存できない")
	sent := f.sim.Server.Log.Count("AlterTran.idPass")
	assert.Less(t, sent, len(ids), "the run stopped instead of sending what it could not record")

	// The next start: every item is explained, from the journal (on both stores:
	// SQLite closes every run left running, PostgreSQL those whose lease lapsed).
	closer, ok := f.db.(interface {
		CloseInterruptedBulkJobs(ctx context.Context) (int, error)
	})
	require.True(t, ok, "the %s store closes interrupted bulk runs at start-up", storeKind)
	_, err = closer.CloseInterruptedBulkJobs(f.ctx)
	require.NoError(t, err)
	_, items, err := f.db.BulkJobByID(f.ctx, 1) // the fixture's first and only run
	require.NoError(t, err)
	succeeded := 0
	for _, it := range items {
		assert.NotEqual(t, backend.BulkQueued, it.State, "no item left unexplained")
		if it.State == backend.BulkSucceeded {
			succeeded++
		}
	}
	assert.Equal(t, sent, succeeded, "every sale sent is recorded as done, from the journal")
}
