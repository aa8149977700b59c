package payment_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
)

// beginCapture journals a capture of p on db as a desktop does before it sends: the
// operation pending, claimed by that desktop (on PostgreSQL).
func (f *fixture) beginCapture(db testStore, p *backend.Payment, key string) *backend.Operation {
	f.t.Helper()
	op := &backend.Operation{PaymentID: p.ID, Intent: string(payment.IntentCapture), Kind: backend.OpCapture, Amount: p.AmountAuthorized,
		IdempotencyKey: key, Operator: "山田", BeforeState: p.State, RequestedAt: f.clock.Now(), PaymentVersion: p.Version}
	require.NoError(f.t, db.BeginOperation(f.ctx, op))
	return op
}

func itemsByPayment(items []backend.BulkItem) map[int64]backend.BulkItem {
	out := map[int64]backend.BulkItem{}
	for _, it := range items {
		out[it.PaymentID] = it
	}
	return out
}

func opStates(ops []*backend.Operation) []backend.OpState {
	var out []backend.OpState
	for _, op := range ops {
		out = append(out, op.State)
	}
	return out
}

// A desktop sharing the database dies with two captures in flight: one journalled but
// never sent, one sent and applied at the gateway. Another desktop's 一括売上 over
// them does not wait out the gateway timeout and fail them as 処理中: once the dead
// desktop's claims lapse it resolves them itself as the recovery would — the one never
// sent fails without asking, the sent one is decided by the gateway's inquiry — and
// plans each item again from what the gateway did: the first is sold once, by this
// run; the second, already sold, is skipped. Nothing is sent before the earlier
// operation is decided.
func TestABulkItemBehindADeadDesktopsOperationIsResolvedAndPlannedAgain(t *testing.T) {
	f := newFixture(t)
	if _, ok := f.db.(backend.OperationClaimer); !ok {
		t.Skipf("one process owns a %s data folder: no other desktop leaves an operation in flight", storeKind)
	}
	unsent, applied, plain := f.card(cardSpec{amount: 3100}), f.card(cardSpec{amount: 3200}), f.card(cardSpec{amount: 3300})

	const lease = 300 * time.Millisecond
	dead, err := reopenStore(f.ctx, f.ref, f.clock.Now, lease)
	require.NoError(t, err)
	neverSent := f.beginCapture(dead, unsent, "dead-1")
	sent := f.beginCapture(dead, applied, "dead-2")
	require.NoError(t, dead.MarkOperationSent(f.ctx, sent.ID, f.clock.Now()))
	require.NoError(t, f.sim.SetStatus(applied.GatewayOrderID, "SALES")) // the request reached the gateway
	require.NoError(t, dead.Close())                                     // the desktop dies: its claims lapse after the lease

	began := time.Now()
	bulk := &payment.Bulk{Engine: f.eng, Concurrency: 3}
	_, items, err := bulk.Run(f.ctx, payment.IntentCapture, payment.Params{}, []int64{unsent.ID, applied.ID, plain.ID}, operator)
	require.NoError(t, err)
	t.Logf("run took %v (the engine's timeout: %v)", time.Since(began), f.eng.Timeout)

	got := itemsByPayment(items)
	assert.Equal(t, backend.BulkSucceeded, got[unsent.ID].State, "%s", got[unsent.ID].Message)
	assert.Equal(t, backend.BulkSkipped, got[applied.ID].State, "%s", got[applied.ID].Message)
	assert.Contains(t, got[applied.ID].Message, "実売上", "the skip names what the gateway did")
	assert.Equal(t, backend.BulkSucceeded, got[plain.ID].State)

	assert.Equal(t, []backend.OpState{backend.OpFailed, backend.OpSucceeded}, opStates(f.ops(unsent.ID)),
		"the dead desktop's capture failed as never sent, then this run's")
	assert.Contains(t, f.ops(unsent.ID)[0].Message, "送信前に中断")
	assert.Equal(t, neverSent.ID, f.ops(unsent.ID)[0].ID)
	assert.Equal(t, []backend.OpState{backend.OpSucceeded}, opStates(f.ops(applied.ID)), "the sent capture, decided by the inquiry")
	for _, p := range []*backend.Payment{unsent, applied, plain} {
		assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State)
	}
	applies := f.sim.Server.Log.CountApplied("SALES")
	assert.Equal(t, 1, applies[unsent.GatewayOrderID], "sold once")
	assert.Equal(t, 1, applies[plain.GatewayOrderID])
	sentHere := slices.ContainsFunc(f.calls(applied), func(c string) bool { return strings.HasPrefix(c, "AlterTran") })
	assert.False(t, sentHere, "nothing sent for the sale the dead desktop made: %v", f.calls(applied))
}

// While the desktop that holds an operation lives, a bulk item behind it waits for its
// outcome (a short poll) and never resolves it itself; then it is planned again from
// the payment as that outcome left it and sold once.
func TestABulkItemWaitsForALiveDesktopsOperation(t *testing.T) {
	f := newFixture(t)
	p, other := f.card(cardSpec{amount: 4100}), f.card(cardSpec{amount: 4200})
	live := f.otherDesktop()
	op := f.beginCapture(live.db, p, "live-1")
	done := make(chan error, 1)
	go func() {
		time.Sleep(400 * time.Millisecond) // the live desktop's gateway answers: refused
		op.State, op.Message, op.GatewayCode = backend.OpFailed, "カード会社が拒否しました", "42G020000"
		done <- live.db.CompleteOperation(f.ctx, &backend.Completion{Op: op})
	}()

	bulk := &payment.Bulk{Engine: f.eng, Concurrency: 2}
	_, items, err := bulk.Run(f.ctx, payment.IntentCapture, payment.Params{}, []int64{p.ID, other.ID}, operator)
	require.NoError(t, err)
	require.NoError(t, <-done, "the live desktop records its own outcome: nobody took its operation")
	got := itemsByPayment(items)
	assert.Equal(t, backend.BulkSucceeded, got[p.ID].State, "%s", got[p.ID].Message)
	assert.Equal(t, backend.BulkSucceeded, got[other.ID].State)
	ops := f.ops(p.ID)
	assert.Equal(t, []backend.OpState{backend.OpFailed, backend.OpSucceeded}, opStates(ops))
	assert.Equal(t, "カード会社が拒否しました", ops[0].Message, "the live desktop's outcome, as it recorded it")
	assert.Equal(t, 1, f.sim.Server.Log.CountApplied("SALES")[p.GatewayOrderID])
}

// afterOutcome is a desktop's store on which hook runs once, right after the first
// failed outcome is recorded: between a refusal's record and the record of the change
// the inquiry found at the gateway.
type afterOutcome struct {
	testStore
	once sync.Once
	hook func()
}

func (s *afterOutcome) CompleteOperation(ctx context.Context, c *backend.Completion) error {
	err := s.testStore.CompleteOperation(ctx, c)
	if err == nil && c.Op.State == backend.OpFailed {
		s.once.Do(s.hook)
	}
	return err
}

// Two desktops send 売上 for a payment sold in the gateway's console; both are refused
// and each inquiry finds the sale. The one that records the gateway's change second
// finds the payment changed since its read and adds nothing: the journal has the
// console's sale once, not twice.
func TestAGatewayChangeFoundAfterARefusalIsRecordedOnce(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 5600})
	require.NoError(t, f.sim.SetStatus(p.GatewayOrderID, "SALES")) // 売上 in the GMO console
	other := f.otherDesktop()
	st := &afterOutcome{testStore: f.db, hook: func() {
		_, err := other.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCapture, Operator: "佐藤"})
		require.Error(t, err) // refused; it records the console's sale
	}}
	eng := &payment.Engine{Store: st, Gateways: f.eng.Gateways, Clock: f.eng.Clock, Timeout: f.eng.Timeout}
	res, err := eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCapture, Operator: operator})
	require.Error(t, err)
	assert.Equal(t, backend.EGATEWAY, backend.ErrorCode(err), "the refusal, not the conflict of the second record")
	require.NotNil(t, res)

	var fixes []*backend.Operation
	for _, op := range f.ops(p.ID) {
		if op.Kind == backend.OpSyncFix {
			fixes = append(fixes, op)
		}
	}
	require.Len(t, fixes, 1, "the console's sale journalled once")
	assert.Contains(t, fixes[0].Message, "佐藤が送った売上")
	assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State)
	assert.Empty(t, f.sim.Server.Log.CountApplied("SALES"), "no sale of ours")
}
