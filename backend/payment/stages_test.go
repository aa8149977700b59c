package payment_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
)

// stages records the "operation:progress" events of one engine.
type stages struct {
	mu  sync.Mutex
	got []string
}

func (s *stages) Emit(event string, data any) {
	if p, ok := data.(payment.OperationProgress); ok && event == payment.EventOperationProgress {
		s.mu.Lock()
		s.got = append(s.got, p.Stage)
		s.mu.Unlock()
	}
}
func (s *stages) Notify(string, string) {}

func (s *stages) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

// The window shows what an action waits for: sending, then — when the answer is
// lost — asking the gateway, then done.
func TestOperationReportsItsStages(t *testing.T) {
	f := newFixtureTimeout(t, 300*time.Millisecond)
	rec := &stages{}
	f.eng.Notifier = rec
	p := f.card(cardSpec{amount: 3000})
	_, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, IdempotencyKey: "st-1", Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, []string{payment.StageSending, payment.StageDone}, rec.list())

	rec.got = nil
	q := f.card(cardSpec{amount: 3000})
	f.sim.Server.Faults.Next("", 1, simkit.Fault{Kind: simkit.FaultTimeout, After: true})
	_, err = f.eng.Capture(f.ctx, payment.Request{PaymentID: q.ID, IdempotencyKey: "st-2", Operator: operator})
	require.NoError(t, err, "the inquiry finds the sale made")
	assert.Equal(t, []string{payment.StageSending, payment.StageInquiring, payment.StageDone}, rec.list())
}

// A capture may set the order to 発送済み instead of 入金済み; no other status.
func TestCaptureSetsTheChosenStatus(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 4000})
	pv, err := f.eng.Preview(f.ctx, p.ID, payment.IntentCapture, payment.Params{Status: backend.OrderShipped})
	require.NoError(t, err)
	assert.Equal(t, backend.OrderShipped, pv.NewStatus)

	_, err = f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCapture, Params: payment.Params{Status: backend.OrderCancelled},
		IdempotencyKey: "cs-0", Operator: operator})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.Equal(t, `a capture sets the status to paid or shipped, not "Cancelled"`, backend.ErrorMessage(err, "en"), "the status in English")
	assert.Empty(t, f.calls(p), "nothing sent")

	res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCapture, Params: payment.Params{Status: backend.OrderShipped},
		IdempotencyKey: "cs-1", Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, res.Payment.State)
	assert.Equal(t, backend.OrderShipped, f.orderStatus(p))
	assert.Contains(t, res.Message, "発送済み")

	q := f.card(cardSpec{amount: 4000})
	_, err = f.eng.Capture(f.ctx, payment.Request{PaymentID: q.ID, IdempotencyKey: "cs-2", Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, backend.OrderPaid, f.orderStatus(q), "the default stays 入金済み")
}
