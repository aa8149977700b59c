package payment_test

// 再オーソリ through the engine (GMO family): a cancelled card is authorised again with
// AlterTran AUTH/CAPTURE, the original's Method, PayTimes and Tax; the new
// authorisation is dated by the gateway's answer (TranDate), and its capture window
// counts from there — not from this computer's clock.

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
)

func TestReauthorisationCompletesThroughTheEngine(t *testing.T) {
	f := newFixture(t)
	// A card of 5,500 (5,000 + 500 of tax) authorised three days ago.
	authAt := t0.AddDate(0, 0, -3)
	o := f.order(5500)
	p := &backend.Payment{OrderID: o.ID, ProfileID: f.prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
		GatewayOrderID: "KD-" + o.OrderNo, State: backend.StateAuthorized, AmountAuthorized: 5500, Tax: 500,
		AuthorizedAt: authAt, AuthExpiresAt: authAt.AddDate(0, 0, 90), ProcessedAt: authAt, RawStatus: "AUTH"}
	var err error
	p.GatewayTranID, p.GatewayTranPass, err = f.sim.AddCardTrade(gmosim.CardSpec{ShopID: shopID, OrderID: p.GatewayOrderID,
		Amount: 5000, Tax: 500, Status: "AUTH", AuthDate: authAt})
	require.NoError(t, err)
	require.NoError(t, f.db.SavePayment(f.ctx, p))

	// キャンセル: three days after the authorisation, uncaptured → 返品.
	res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, backend.OpReturn, res.Operation().Kind)
	assert.Equal(t, backend.OrderCancelled, f.orderStatus(p))
	assert.Contains(t, payment.Actions(res.Payment, f.clock.Now()), string(payment.IntentReauth))

	// The next day, 再オーソリ. This computer's clock runs two minutes ahead of the
	// gateway's: the new authorisation takes the gateway's date.
	f.setNow(t0.Add(24 * time.Hour))
	ahead := simkit.NewClock(f.clock.Now().Add(2 * time.Minute))
	eng := &payment.Engine{Store: f.db, Gateways: f.eng.Gateways, Clock: ahead, Notifier: f.note, Timeout: 5 * time.Second}
	pv, err := eng.Preview(f.ctx, p.ID, payment.IntentReauth, payment.Params{})
	require.NoError(t, err)
	require.Len(t, pv.Steps, 1)
	assert.Equal(t, backend.OpReauth, pv.Steps[0].Kind)
	assert.Equal(t, backend.Yen(5500), pv.Steps[0].Amount)
	assert.Contains(t, pv.Reason, "3Dセキュアの対象外")

	res, err = eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentReauth, Operator: operator})
	require.NoError(t, err)
	op := res.Operation()
	assert.Equal(t, backend.OpReauth, op.Kind)
	assert.Equal(t, backend.OpSucceeded, op.State)
	assert.Contains(t, op.Message, "再オーソリが完了しました")
	got := f.payment(p.ID)
	assert.Equal(t, backend.StateAuthorized, got.State)
	assert.Equal(t, backend.Yen(5500), got.AmountAuthorized)
	assert.Equal(t, backend.Yen(500), got.Tax)
	assert.Zero(t, got.AmountCaptured)
	tr := f.trade(p)
	assert.Equal(t, "AUTH", tr.Status)
	assert.Equal(t, int64(5000), tr.Amount, "Amount without the tax")
	assert.Equal(t, int64(500), tr.Tax, "the original's Tax, apart")
	assert.True(t, got.AuthorizedAt.Equal(tr.TranDate), "dated by the gateway's TranDate %v, not our clock: %v", tr.TranDate, got.AuthorizedAt)
	assert.True(t, got.AuthExpiresAt.Equal(tr.TranDate.AddDate(0, 0, 90)), "the capture window counts from the new authorisation: %v", got.AuthExpiresAt)
	assert.True(t, got.ProcessedAt.Equal(tr.TranDate))
	assert.Equal(t, backend.OrderNew, f.orderStatus(p), "the order is open again")
	assert.Equal(t, []string{"AlterTran:RETURN", "SearchTrade", "AlterTran:AUTH"}, f.calls(p))

	// The new authorisation sells like any other, with its Amount and Tax apart.
	res, err = f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, res.Payment.State)
	assert.Equal(t, "SALES", f.trade(p).Status)
	assert.Equal(t, backend.OrderPaid, f.orderStatus(p))
}

// 再オーソリ as 即時売上: the new authorisation is captured at once, the order paid.
func TestReauthorisationWithCaptureNow(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 4200, status: "SALES", authAt: t0.Add(-2 * time.Hour)})
	res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, backend.OpVoid, res.Operation().Kind, "the same day as the sale")

	f.setNow(t0.Add(time.Hour))
	res, err = f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentReauth, Operator: operator,
		Params: payment.Params{Amount: 3900, CaptureNow: true}})
	require.NoError(t, err)
	got := f.payment(p.ID)
	assert.Equal(t, backend.StateCaptured, got.State)
	assert.Equal(t, backend.Yen(3900), got.AmountAuthorized)
	assert.Equal(t, backend.Yen(3900), got.AmountCaptured)
	tr := f.trade(p)
	assert.Equal(t, "CAPTURE", tr.Status)
	assert.Equal(t, int64(3900), tr.Amount)
	assert.True(t, got.AuthorizedAt.Equal(tr.TranDate))
	assert.True(t, got.CapturedAt.Equal(tr.TranDate), "captured when authorised")
	assert.Equal(t, backend.OrderPaid, f.orderStatus(p))
	assert.Equal(t, backend.OpSucceeded, res.Operation().State)

	// Not offered for a payment that is not cancelled.
	_, err = f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentReauth, Operator: operator})
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
}
