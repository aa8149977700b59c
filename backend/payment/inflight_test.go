package payment_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
)

// A sync run settles unknown operations at its start (ResolveUnresolved). An operation
// this process is sending at that moment looks the same in the journal (sent), but
// the gateway has not applied it yet: asking now would record a failure for a sale
// that is about to happen. It is left to its own answer.
func TestAnOperationInFlightIsNotResolvedUnderIt(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 6600})
	f.sim.Server.SetLatency(400 * time.Millisecond)

	done := make(chan error, 1)
	go func() {
		_, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: operator})
		done <- err
	}()
	var opID int64
	require.Eventually(t, func() bool {
		ops, err := f.db.UnresolvedOperations(f.ctx)
		if err != nil || len(ops) == 0 {
			return false
		}
		opID = ops[0].ID
		return ops[0].State == backend.OpSent
	}, 2*time.Second, 5*time.Millisecond)

	remaining, err := f.eng.ResolveUnresolved(f.ctx)
	require.NoError(t, err)
	assert.Zero(t, remaining)
	_, err = f.eng.Resolve(f.ctx, opID)
	require.Error(t, err, "the operator's 確認 button too waits for the answer")
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "送信中")

	require.NoError(t, <-done)
	op := f.ops(p.ID)[0]
	assert.Equal(t, backend.OpSucceeded, op.State)
	assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State)
	assert.Equal(t, backend.OrderPaid, f.orderStatus(p))
	assert.Equal(t, 1, f.sim.Server.Log.CountApplied("SALES")[p.GatewayOrderID])
	for _, c := range f.calls(p) {
		assert.NotEqual(t, "SearchTrade", c, "no inquiry raced the sale")
	}
}
