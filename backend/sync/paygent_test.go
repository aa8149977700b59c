package sync

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent/paygentsim"
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
