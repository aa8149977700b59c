package payment_test

// Paygent 13002 after a correction made in Paygent's console (research §B9, §B5): a
// 補正 (028/029) makes a new payment_id under the same trading_id and cancels the old
// one, and 094 by trading_id then answers 13002 — several payments — without listing
// them. The payment is 要確認 with the candidates the app can know, each asked by
// payment_id; nothing is asked again at start until the operator chooses; the choice
// is asked about again and settles the operation from what Paygent reports.

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
)

// consoleCorrection does what Paygent's console does for 金額変更: 補正オーソリ (028)
// on the payment, which makes a new payment_id for amount and cancels the old one. It
// returns the new payment_id.
func (f *paygentFixture) consoleCorrection(p *backend.Payment, amount backend.Yen) string {
	f.t.Helper()
	gw, err := f.eng.Gateways.Gateway(f.ctx, f.prof)
	require.NoError(f.t, err)
	r, err := gw.(*paygent.Client).Correct(f.ctx, paygent.KindCardAuthCorrect, p.GatewayTranID, p.GatewayOrderID, amount, false)
	require.NoError(f.t, err)
	require.NotEqual(f.t, p.GatewayTranID, r["payment_id"])
	require.Len(f.t, f.sim.PaymentsByTrading("40001", p.GatewayOrderID), 2, "two payments under one trading_id")
	return r["payment_id"]
}

func (f *paygentFixture) requests() int { return len(f.sim.Server.Log.Entries()) }

func (f *paygentFixture) orderStatus(p *backend.Payment) backend.OrderStatus {
	f.t.Helper()
	o, err := f.db.OrderByID(f.ctx, p.OrderID)
	require.NoError(f.t, err)
	return o.Status
}

func (f *paygentFixture) review(p *backend.Payment) *backend.Review {
	f.t.Helper()
	rv, err := f.db.Review(f.ctx, p.ID)
	require.NoError(f.t, err)
	return rv
}

func tranIDs(rv *backend.Review) []string {
	var out []string
	for _, c := range rv.Candidates {
		out = append(out, c.GatewayTranID)
	}
	return out
}

// The console lowered the amount (a new payment_id); the app's capture of the old
// payment lost its answer. Paygent cannot say which payment is current: 要確認 with
// both candidates, no capture/cancel offered, nothing asked at start, and choosing
// the new payment settles the capture as not done — the payment follows it.
func TestPaygentConsoleCorrection13002WaitsForTheOperatorsChoice(t *testing.T) {
	f := newPaygentFixture(t)
	p := f.card(8000, "20", t0.Add(-time.Hour), time.Time{})
	newID := f.consoleCorrection(p, 6000)

	f.sim.Server.Faults.Next("/n/card/request", 1, simkit.Fault{Kind: simkit.FaultReset})
	_, err := f.run(p, payment.IntentCapture, payment.Params{})
	require.Equal(t, backend.EUNKNOWN, backend.ErrorCode(err), backend.ErrorMessage(err, "ja"))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "候補を比べ")

	got, _ := f.db.PaymentByID(f.ctx, p.ID)
	assert.Equal(t, backend.StateNeedsReview, got.State)
	assert.Empty(t, payment.Actions(got, f.clock.Now()), "neither capture nor cancel is offered while Paygent cannot tell")
	rv := f.review(p)
	require.Equal(t, []string{p.GatewayTranID}, tranIDs(rv), "the payment_id the app knows, asked by payment_id")
	assert.Equal(t, backend.StateVoided, rv.Candidates[0].View.State, "the old payment is cancelled (32)")
	ops, _ := f.db.OperationsByPayment(f.ctx, p.ID)
	require.Len(t, ops, 1)
	assert.Equal(t, backend.OpUnknown, ops[0].State)
	assert.Equal(t, ops[0].ID, rv.OperationID)

	// The operator pastes the payment_id the console shows: both side by side.
	_, err = f.eng.AddCandidates(f.ctx, p.ID, []string{"99999999"})
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err), "an id Paygent does not know is refused")
	other := f.card(1000, "20", t0.Add(-time.Hour), time.Time{})
	_, err = f.eng.AddCandidates(f.ctx, p.ID, []string{other.GatewayTranID})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), "a payment of another trading_id is refused")
	assert.Len(t, f.review(p).Candidates, 1, "nothing added")
	rv, err = f.eng.AddCandidates(f.ctx, p.ID, []string{newID})
	require.NoError(t, err)
	assert.Equal(t, []string{p.GatewayTranID, newID}, tranIDs(rv))
	nw := rv.Candidate(newID)
	assert.Equal(t, backend.StateAuthorized, nw.View.State)
	assert.Equal(t, backend.Yen(6000), nw.View.AmountAuthorized)

	// Every start settles what it can; this one waits for the operator and is not asked.
	before := f.requests()
	for range 3 {
		left, err := f.eng.ResolveUnresolved(f.ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, left, "still unresolved")
	}
	assert.Equal(t, before, f.requests(), "no request while waiting for the operator")

	_, err = f.eng.ChooseCandidate(f.ctx, p.ID, newID, "")
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), "the operator's name is journalled: required")
	_, err = f.eng.ChooseCandidate(f.ctx, p.ID, "99999999", "店長")
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	got, _ = f.db.PaymentByID(f.ctx, p.ID)
	assert.Equal(t, backend.StateNeedsReview, got.State, "nothing recorded for a wrong id")

	res, err := f.eng.ChooseCandidate(f.ctx, p.ID, newID, "店長")
	require.NoError(t, err)
	op := res.Operation()
	assert.Equal(t, backend.OpFailed, op.State, "the capture was sent to the old payment, which Paygent shows cancelled")
	assert.Contains(t, op.Message, "店長")
	assert.Contains(t, op.Message, newID)
	got, _ = f.db.PaymentByID(f.ctx, p.ID)
	assert.Equal(t, newID, got.GatewayTranID, "the payment follows the chosen payment_id")
	assert.Equal(t, backend.StateAuthorized, got.State, "no capture recorded: Paygent shows 20")
	assert.Equal(t, backend.Yen(6000), got.AmountAuthorized)
	assert.Zero(t, got.AmountCaptured)
	assert.Equal(t, backend.OrderNew, f.orderStatus(p))
	_, err = f.db.Review(f.ctx, p.ID)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err), "the review ends with the choice")

	// And the next capture goes to the chosen payment.
	_, err = f.run(p, payment.IntentCapture, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, "40", f.status(newID))
}

// A 補正 the app sent lost its answer: Paygent made the new payment, which the app
// does not know. Choosing it (pasted from the console) settles the correction as done
// — its 094 shows the corrected amount — and the authorisation is dated from it.
func TestPaygentLostCorrectionSettledByChoosingTheNewPayment(t *testing.T) {
	f := newPaygentFixture(t)
	p := f.card(8000, "20", t0.Add(-24*time.Hour), time.Time{})
	f.sim.Server.Faults.Next("", 1, simkit.Fault{Kind: simkit.FaultReset, After: true})
	_, err := f.run(p, payment.IntentChangeAmount, payment.Params{Amount: 6000})
	require.Equal(t, backend.EUNKNOWN, backend.ErrorCode(err))
	var newID string
	for _, sp := range f.sim.PaymentsByTrading("40001", p.GatewayOrderID) {
		if sp.PaymentID != p.GatewayTranID {
			newID = sp.PaymentID
		}
	}
	require.NotEmpty(t, newID)
	got, _ := f.db.PaymentByID(f.ctx, p.ID)
	require.Equal(t, backend.StateNeedsReview, got.State)

	f.clock.Advance(time.Hour)
	_, err = f.eng.ChooseCandidate(f.ctx, p.ID, newID, "店長")
	require.NoError(t, err, "the chosen payment need not be listed first")
	got, _ = f.db.PaymentByID(f.ctx, p.ID)
	ops, _ := f.db.OperationsByPayment(f.ctx, p.ID)
	require.Len(t, ops, 1)
	assert.Equal(t, backend.OpSucceeded, ops[0].State, "Paygent's 094 of the chosen payment shows 6000: the correction happened")
	assert.Contains(t, ops[0].Message, "店長")
	assert.Equal(t, newID, got.GatewayTranID)
	assert.Equal(t, backend.StateAuthorized, got.State)
	assert.Equal(t, backend.Yen(6000), got.AmountAuthorized)
	nw, _ := f.sim.Payment(newID)
	assert.True(t, got.AuthorizedAt.Equal(nw.AuthDate), "dated from the new authorisation")
	assert.True(t, got.AuthExpiresAt.Equal(nw.AuthDate.AddDate(0, 0, 60)))
}

// Several payments found when no operation is open (a capture refused because the
// console had corrected the payment, or the sync): the payment is 要確認 with the
// candidates, and the operator's choice is journalled in their name.
func TestPaygentAwaitChoiceWithoutAnOperation(t *testing.T) {
	f := newPaygentFixture(t)
	p := f.card(5000, "20", t0.Add(-time.Hour), time.Time{})
	newID := f.consoleCorrection(p, 4500)
	gw, err := f.eng.Gateways.Gateway(f.ctx, f.prof)
	require.NoError(t, err)
	v, err := gw.Inquire(f.ctx, p)
	require.NoError(t, err)
	require.True(t, v.Several, "094 by trading_id: 13002")

	rv, err := f.eng.AwaitChoice(f.ctx, p, v, nil)
	require.NoError(t, err)
	assert.Zero(t, rv.OperationID)
	assert.Equal(t, []string{p.GatewayTranID}, tranIDs(rv))
	got, _ := f.db.PaymentByID(f.ctx, p.ID)
	assert.Equal(t, backend.StateNeedsReview, got.State)
	ops, _ := f.db.OperationsByPayment(f.ctx, p.ID)
	require.Len(t, ops, 1)
	assert.Equal(t, backend.ActorSync, ops[0].Operator, "the change is journalled by the system")

	res, err := f.eng.ChooseCandidate(f.ctx, p.ID, newID, "店長")
	require.NoError(t, err)
	assert.Equal(t, newID, res.Payment.GatewayTranID)
	assert.Equal(t, backend.StateAuthorized, res.Payment.State)
	assert.Equal(t, backend.Yen(4500), res.Payment.AmountAuthorized)
	ops, _ = f.db.OperationsByPayment(f.ctx, p.ID)
	require.Len(t, ops, 2)
	assert.Equal(t, "店長", ops[1].Operator)
	assert.Equal(t, backend.OpSucceeded, ops[1].State)
	assert.Equal(t, backend.OrderNew, f.orderStatus(p))

	_, err = f.eng.ChooseCandidate(f.ctx, p.ID, newID, "店長")
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err), "chosen once")
}

// The console corrected the payment and the app's capture of the old payment_id is
// refused (2004: the old payment is cancelled). Paygent cannot say which payment is
// current: the payment is 要確認 with the candidates, not left offering capture.
func TestPaygentRefusedCaptureAfterConsoleCorrectionWaitsForTheChoice(t *testing.T) {
	f := newPaygentFixture(t)
	p := f.card(8000, "20", t0.Add(-time.Hour), time.Time{})
	newID := f.consoleCorrection(p, 7000)
	_, err := f.run(p, payment.IntentCapture, payment.Params{})
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "候補を比べ")
	got, _ := f.db.PaymentByID(f.ctx, p.ID)
	assert.Equal(t, backend.StateNeedsReview, got.State)
	assert.Empty(t, payment.Actions(got, f.clock.Now()))
	rv := f.review(p)
	assert.Equal(t, []string{p.GatewayTranID}, tranIDs(rv))
	assert.Zero(t, rv.OperationID, "the refused capture is settled: it failed")

	res, err := f.eng.ChooseCandidate(f.ctx, p.ID, newID, "店長")
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, res.Payment.State)
	assert.Equal(t, backend.Yen(7000), res.Payment.AmountAuthorized)
	_, err = f.run(p, payment.IntentCapture, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, "40", f.status(newID))
}
