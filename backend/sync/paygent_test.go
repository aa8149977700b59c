package sync

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/payment"
)

// A checkout known to us only by its trading_id (pending, no payment_id) is found by
// 094 on the trading_id: the sync keeps the payment_id Paygent reports, so the next
// operation can name the payment (094 by payment_id, 022 売上).
func TestPaygentSyncKeepsThePaymentIDItLearns(t *testing.T) {
	ctx := context.Background()
	sim, store, prof, s := newPaygentSync(t, backend.MethodCard)

	authAt := sim.Clock.Now().Add(-2 * time.Hour)
	o := &backend.Order{OrderNo: "8100", OrderedAt: authAt, CustomerName: "山田 太郎", PaymentMethod: backend.MethodCard,
		Status: backend.OrderProcessing, Subtotal: 4500, Total: 4500}
	require.NoError(t, store.SaveOrder(ctx, o))
	pid, err := sim.AddCardPayment(paygentsim.CardSpec{MerchantID: "54321", TradingID: "8100", Amount: 4500, Status: "20", AuthDate: authAt})
	require.NoError(t, err)
	p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewayPaygent, Method: backend.MethodCard,
		GatewayOrderID: "8100", State: backend.StatePending, AmountAuthorized: 4500}
	require.NoError(t, store.SavePayment(ctx, p))

	rep, err := s.RunOnce(ctx)
	require.NoError(t, err)
	require.Empty(t, rep.Errors)
	got, err := store.PaymentByID(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, got.State)
	assert.Equal(t, pid, got.GatewayTranID, "the payment_id Paygent reported is kept")
	assert.False(t, got.AuthorizedAt.IsZero(), "payment_init_date")
	assert.True(t, got.AuthExpiresAt.Equal(got.AuthorizedAt.AddDate(0, 0, 60)))
}

// A 補正 made in Paygent's console leaves two payments under the trading_id, and 094
// by trading_id answers 13002 (research §B9). The sync marks the payment 要確認 with
// the candidates it can know, each asked by payment_id, and does not ask about it at
// later runs: Paygent's answer cannot tell until the operator chooses.
func TestPaygentSyncLeavesSeveralPaymentsToTheOperator(t *testing.T) {
	ctx := context.Background()
	sim, store, prof, s := newPaygentSync(t, backend.MethodCard)
	s.Engine = &payment.Engine{Store: store, Gateways: s.Gateways, Clock: s.Clock, Timeout: 5 * time.Second}

	authAt := sim.Clock.Now().Add(-2 * time.Hour)
	o := &backend.Order{OrderNo: "8200", OrderedAt: authAt, CustomerName: "山田 太郎", PaymentMethod: backend.MethodCard,
		Status: backend.OrderNew, Subtotal: 6000, Total: 6000}
	require.NoError(t, store.SaveOrder(ctx, o))
	pid, err := sim.AddCardPayment(paygentsim.CardSpec{MerchantID: "54321", TradingID: "8200", Amount: 6000, Status: "20", AuthDate: authAt})
	require.NoError(t, err)
	p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewayPaygent, Method: backend.MethodCard,
		GatewayOrderID: "8200", GatewayTranID: pid, State: backend.StateAuthorized, AmountAuthorized: 6000, AuthorizedAt: authAt,
		AuthExpiresAt: authAt.AddDate(0, 0, 60)}
	require.NoError(t, store.SavePayment(ctx, p))
	gw, err := s.Gateways.Gateway(ctx, prof)
	require.NoError(t, err)
	_, err = gw.(*paygent.Client).Correct(ctx, paygent.KindCardAuthCorrect, pid, "8200", 5000, false) // the console's 補正
	require.NoError(t, err)

	_, err = s.RunOnce(ctx)
	require.NoError(t, err)
	got, err := store.PaymentByID(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.StateNeedsReview, got.State)
	rv, err := store.Review(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, rv.Candidates, 1)
	assert.Equal(t, pid, rv.Candidates[0].GatewayTranID)
	drifts, err := store.Drifts(ctx)
	require.NoError(t, err)
	assert.Empty(t, drifts, "not a difference: a choice")

	before := len(sim.Server.Log.Entries())
	for range 3 {
		_, err = s.RunOnce(ctx)
		require.NoError(t, err)
	}
	assert.Equal(t, before, len(sim.Server.Log.Entries()), "not asked again while waiting for the operator")
}
