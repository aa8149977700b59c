package payment_test

// Rules a mutation once changed without any test noticing (MUTATION.md), each through
// the engine against the GMO simulator.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
)

// 部分返金 is for sales only: an authorisation is refused before anything is sent.
func TestPartialRefundOfAnAuthorisationIsRefusedBeforeSending(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 6000})
	assert.NotContains(t, payment.Actions(f.payment(p.ID), f.clock.Now()), string(payment.IntentPartialRefund))
	_, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentPartialRefund, Operator: operator,
		Params: payment.Params{Amount: 1000}})
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Empty(t, f.calls(p))
	assert.Empty(t, f.ops(p.ID))
}

// GMO has no refund call: a 部分返金 lowers the sale (ChangeTran CAPTURE); the app
// keeps the original sale and counts the refund apart.
func TestGMOPartialRefundKeepsTheOriginalSale(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 8000, status: "SALES"})
	p.ProcessedAt = f.clock.Now()
	require.NoError(t, f.db.SavePayment(f.ctx, p))
	assert.Contains(t, payment.Actions(f.payment(p.ID), f.clock.Now()), string(payment.IntentPartialRefund))
	res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentPartialRefund, Operator: operator,
		Params: payment.Params{Amount: 1500}})
	require.NoError(t, err)
	assert.Equal(t, backend.OpChangeAmount, res.Operation().Kind)
	got := f.payment(p.ID)
	assert.Equal(t, backend.StatePartiallyRefunded, got.State)
	assert.Equal(t, backend.Yen(8000), got.AmountCaptured, "the original sale")
	assert.Equal(t, backend.Yen(8000), got.AmountAuthorized)
	assert.Equal(t, backend.Yen(1500), got.AmountRefunded)
	assert.Equal(t, int64(6500), f.trade(p).Amount, "the gateway holds the rest as the sale")
}

// A konbini 支払停止 whose answer is lost is settled by the inquiry: CANCEL at the
// gateway is the stop done (取消), the order cancelled.
func TestLostAnswerOfAKonbiniStopIsSettledByInquiry(t *testing.T) {
	f := newFixture(t)
	o := f.order(4400)
	p := &backend.Payment{OrderID: o.ID, ProfileID: f.prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodKonbini,
		GatewayOrderID: "KD-" + o.OrderNo, State: backend.StateAwaitingDeposit, AmountAuthorized: 4400, RawStatus: "REQSUCCESS",
		PaymentDeadline: f.clock.Now().AddDate(0, 0, 7)}
	var err error
	p.GatewayTranID, p.GatewayTranPass, err = f.sim.AddCvsTrade(gmosim.DepositSpec{ShopID: shopID, OrderID: p.GatewayOrderID, Amount: 4400})
	require.NoError(t, err)
	require.NoError(t, f.db.SavePayment(f.ctx, p))
	f.sim.Server.Faults.Next("CvsCancel", 1, simkit.Fault{Kind: simkit.FaultReset, After: true})

	res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, backend.OpStopPayment, res.Operation().Kind)
	assert.Equal(t, backend.OpSucceeded, res.Operation().State)
	assert.Contains(t, res.Operation().Message, "照会して完了を確認しました")
	assert.Equal(t, backend.StateVoided, f.payment(p.ID).State)
	assert.Equal(t, "CANCEL", f.trade(p).Status)
	assert.Equal(t, backend.OrderCancelled, f.orderStatus(p))
}
