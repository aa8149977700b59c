package payment_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
)

// closedByOther is a desktop's store whose bulk run another desktop closes as
// interrupted just before this desktop records its first item: on a shared database,
// this desktop froze past its run's lease (pgstore's CloseInterruptedBulkJobs closes it
// then; here the closing is asked for by id, on either store).
type closedByOther struct {
	backend.Store
	db   testStore
	once sync.Once
	t    *testing.T
}

func (s *closedByOther) UpdateBulkItem(ctx context.Context, jobID, paymentID int64, state string, opID int64, msg backend.Text) error {
	s.once.Do(func() {
		closer, ok := s.db.(interface {
			CloseBulkJobs(ctx context.Context, lapsed string, args ...any) (int, error)
		})
		require.True(s.t, ok, "both stores close a run by a condition")
		n, err := closer.CloseBulkJobs(ctx, "id = ?", jobID)
		require.NoError(s.t, err)
		require.Equal(s.t, 1, n)
	})
	return s.Store.UpdateBulkItem(ctx, jobID, paymentID, state, opID, msg)
}

// A bulk run another desktop closed as interrupted while this one did not answer is
// not reopened when this desktop wakes: it sends nothing more, its record stays as the
// closing left it (not 完了 over 中止, the items never sent still saying so), the sale
// it had sent follows the journal, and the operator is told why the run stopped.
func TestABulkRunClosedByAnotherDesktopSendsNothingMoreAndStaysClosed(t *testing.T) {
	f := newFixture(t)
	var ids []int64
	for i := range 5 {
		ids = append(ids, f.card(cardSpec{amount: backend.Yen(2000 + i)}).ID)
	}
	st := &closedByOther{Store: f.db, db: f.db, t: t}
	eng := &payment.Engine{Store: st, Gateways: f.eng.Gateways, Clock: f.eng.Clock, Timeout: f.eng.Timeout}
	bulk := &payment.Bulk{Engine: eng, Concurrency: 1}
	_, _, err := bulk.Run(f.ctx, payment.IntentCapture, payment.Params{}, ids, operator)
	require.ErrorIs(t, err, backend.ErrBulkJobClosed)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "別のパソコンが中断として閉じた")
	assert.NotContains(t, backend.ErrorMessage(err, "ja"), "保存できない", "not a store that cannot save")

	assert.Equal(t, 1, f.sim.Server.Log.Count("AlterTran.idPass"), "nothing sent after the run was closed")
	job, items, err := f.db.BulkJobByID(f.ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, "cancelled", job.State, "closed as interrupted, not finished")
	assert.Equal(t, map[string]int{backend.BulkSucceeded: 1, backend.BulkCancelled: 4}, job.Counts)
	assert.Equal(t, f.ops(ids[0])[0].ID, items[0].OperationID, "the sale sent follows the journal")
	for _, it := range items[1:] {
		assert.Contains(t, it.MessageEn, "not sent", "%d: as the closing said", it.PaymentID)
		assert.Equal(t, backend.StateAuthorized, f.payment(it.PaymentID).State)
	}
}
