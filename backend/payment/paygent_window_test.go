package payment_test

// Paygent's windows (research sbps-paygent.md §B5-§B7): an authorisation lapses 60
// days after it was made (33 オーソリ期限切; a capture then gets 2007), and a sale can be
// cancelled for about 60 days from the authorisation or from the sale, by contract
// (41; 売上取消 then gets 2007). The profile says which; a cancel past the window is a
// refund by bank transfer (要返金(口座)) whether the app knew it or Paygent said so.

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
)

func (f *paygentFixture) setWindow(w backend.CancelWindow) {
	f.t.Helper()
	f.prof.SalesCancel = w
	require.NoError(f.t, f.db.SaveProfile(f.ctx, f.prof))
}

func (f *paygentFixture) refundTasks(p *backend.Payment) []backend.RefundTask {
	f.t.Helper()
	all, err := f.db.RefundTasks(f.ctx, "")
	require.NoError(f.t, err)
	var out []backend.RefundTask
	for _, t := range all {
		if t.PaymentID == p.ID {
			out = append(out, t)
		}
	}
	return out
}

// paths lists the telegrams the simulator received since the last reset.
func (f *paygentFixture) paths() []string {
	out := []string{}
	for _, e := range f.sim.Server.Log.Entries() {
		out = append(out, e.Path)
	}
	return out
}

// Authorised 65 days ago and sold 20 days ago: inside a window counted from the sale,
// past one counted from the authorisation. The profile decides.
func TestPaygentCancelWindowFollowsTheProfile(t *testing.T) {
	f := newPaygentFixture(t)
	auth, sale := t0.AddDate(0, 0, -65), t0.AddDate(0, 0, -20)

	f.setWindow(backend.CancelWindow{From: backend.CancelFromAuth, Days: 60})
	p := f.card(7000, "40", auth, sale)
	pv, err := f.eng.Preview(f.ctx, p.ID, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	assert.True(t, pv.OrderOnly)
	assert.Equal(t, backend.Yen(7000), pv.ManualRefund)
	assert.Contains(t, pv.Reason, "オーソリ日")
	f.sim.Server.Log.Reset()
	_, err = f.run(p, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	require.Len(t, f.refundTasks(p), 1)
	assert.Equal(t, backend.Yen(7000), f.refundTasks(p)[0].Amount)
	assert.Equal(t, "40", f.status(p.GatewayTranID), "no 売上取消 sent")
	for _, path := range f.paths() {
		assert.Equal(t, "/n/ref/paymentref", path, "only 094: the dates are Paygent's")
	}
	assert.Equal(t, backend.OrderCancelled, f.orderStatus(p))

	f.setWindow(backend.CancelWindow{})
	q := f.card(7000, "40", auth, sale)
	pv, err = f.eng.Preview(f.ctx, q.ID, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	require.Len(t, pv.Steps, 1)
	assert.Equal(t, backend.OpRefund, pv.Steps[0].Kind, "60 days from the sale: 売上取消")
	_, err = f.run(q, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, "60", f.status(q.GatewayTranID))
	assert.Empty(t, f.refundTasks(q))
}

// The profile allows 90 days from the sale, but the contract is 60: the app sends
// 売上取消 and Paygent answers 2007. That ends as the local rule ends: the order
// cancelled, its items to the キャンセル在庫, and exactly one 要返金(口座) — also when
// キャンセル is pressed again.
func TestPaygent2007LeadsToOneRefundTask(t *testing.T) {
	f := newPaygentFixture(t)
	f.setWindow(backend.CancelWindow{From: backend.CancelFromSale, Days: 90})
	p := f.card(4200, "40", t0.AddDate(0, 0, -75), t0.AddDate(0, 0, -70))
	for i := range 2 {
		res, err := f.run(p, payment.IntentCancel, payment.Params{})
		require.NoError(t, err, "press %d", i+1)
		op := res.Operation()
		require.NotNil(t, op)
		assert.Equal(t, backend.OpRefund, op.Kind)
		assert.Equal(t, backend.OpFailed, op.State, "Paygent refused it: nothing moved")
		assert.Equal(t, "2007", op.GatewayCode)
		assert.Contains(t, res.Message, "要返金(口座)")
		assertJapanese(t, res.Message)
	}
	tasks := f.refundTasks(p)
	require.Len(t, tasks, 1, "one 要返金(口座) per payment")
	assert.Equal(t, backend.Yen(4200), tasks[0].Amount)
	assert.Equal(t, operator, tasks[0].Operator)
	assertJapanese(t, tasks[0].Reason)
	assert.Contains(t, tasks[0].ReasonEn, "refused the Refund as past its window", "the reason in English for an English window")
	got, _ := f.db.PaymentByID(f.ctx, p.ID)
	assert.Equal(t, backend.StateCaptured, got.State, "still sold at Paygent (41)")
	assert.Equal(t, "41", f.status(p.GatewayTranID))
	assert.Equal(t, backend.OrderCancelled, f.orderStatus(p))

	// Once Paygent's 41 is known (the sync, an inquiry), no 売上取消 is sent at all.
	got.RawStatus = "41"
	require.NoError(t, f.db.SavePayment(f.ctx, got))
	pv, err := f.eng.Preview(f.ctx, p.ID, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	assert.True(t, pv.OrderOnly)
}

// 2007 to a capture (the authorisation lapsed) is a refusal, not a refund.
func TestPaygent2007ToACaptureIsARefusal(t *testing.T) {
	f := newPaygentFixture(t)
	p := f.card(3000, "20", t0.Add(-time.Hour), time.Time{})
	f.sim.FailNext("022", "2007", 1, false)
	_, err := f.run(p, payment.IntentCapture, payment.Params{})
	require.Error(t, err)
	assert.Equal(t, backend.ClassWindowPassed, backend.ErrorClassOf(err))
	assert.Empty(t, f.refundTasks(p))
	assert.Equal(t, backend.OrderNew, f.orderStatus(p))
}

// A capture of an authorisation already known to be past its window is refused with
// the reason, and nothing is sent: Paygent's 60 days, or the profile's shorter period.
func TestPaygentCapturePastTheWindowIsRefusedWithoutARequest(t *testing.T) {
	f := newPaygentFixture(t)
	old := f.card(5000, "20", t0.AddDate(0, 0, -61), time.Time{})
	short := f.card(5000, "20", t0.AddDate(0, 0, -31), time.Time{})
	short.AuthExpiresAt = short.AuthorizedAt.AddDate(0, 0, 30) // a profile with a 30-day authorisation period
	require.NoError(t, f.db.SavePayment(f.ctx, short))
	f.sim.Server.Log.Reset()
	for _, c := range []struct {
		p    *backend.Payment
		says string
	}{{old, "オーソリ期限切"}, {short, "与信の有効期限"}} {
		_, err := f.run(c.p, payment.IntentCapture, payment.Params{})
		require.Error(t, err)
		assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
		assert.Contains(t, backend.ErrorMessage(err, "ja"), c.says)
		assert.Contains(t, backend.ErrorMessage(err, "ja"), "送信していません")
		got, _ := f.db.PaymentByID(f.ctx, c.p.ID)
		assert.NotContains(t, payment.Actions(got, f.clock.Now()), string(payment.IntentCapture))
		ops, err := f.db.OperationsByPayment(f.ctx, c.p.ID)
		require.NoError(t, err)
		assert.Empty(t, ops, "nothing journalled")
	}
	assert.Empty(t, f.paths(), "nothing was sent to be refused")

	// The 60th day is still inside.
	last := f.card(5000, "20", t0.AddDate(0, 0, -60), time.Time{})
	_, err := f.run(last, payment.IntentCapture, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, "40", f.status(last.GatewayTranID))
}

// A capture sent on the last day whose answer was lost is decided the next day by
// Paygent's answer, not refused by the window it was sent inside.
func TestPaygentCaptureSentInsideTheWindowIsResolvedAfterIt(t *testing.T) {
	f := newPaygentFixture(t)
	p := f.card(5000, "20", t0.AddDate(0, 0, -60), time.Time{})
	f.sim.Server.Faults.Next("/n/card/request", 1, simkit.Fault{Kind: simkit.FaultReset, After: true})
	f.sim.Server.Faults.Next("/n/ref/paymentref", 1, simkit.Fault{Kind: simkit.FaultReset}) // and the inquiry after it
	_, err := f.run(p, payment.IntentCapture, payment.Params{})
	require.Equal(t, backend.EUNKNOWN, backend.ErrorCode(err))
	f.clock.Advance(24 * time.Hour)
	left, err := f.eng.ResolveUnresolved(f.ctx)
	require.NoError(t, err)
	assert.Zero(t, left)
	got, _ := f.db.PaymentByID(f.ctx, p.ID)
	assert.Equal(t, backend.StateCaptured, got.State)
}
