package system

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/vault"
)

// The app died after sending a 売上 that the gateway applied. At the next start,
// before the operator can do anything new, Start settles it by asking the gateway:
// the sale is recorded once, and pressing 売上 again sends nothing.
func TestStartSettlesAnInterruptedOperationBeforeNewWork(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	keys := vault.NewMemory()
	sys, err := Open(ctx, Config{DataDir: dir, Vault: keys, Demo: true, DemoCount: 40})
	require.NoError(t, err)
	page, err := sys.Store.FindOrders(ctx, backend.OrderFilter{PaymentStates: []backend.PaymentState{backend.StateAuthorized}, Limit: 100})
	require.NoError(t, err)
	var p *backend.Payment
	for _, row := range page.Rows {
		if row.Gateway == backend.GatewayGMO {
			p, err = sys.Store.PaymentByID(ctx, row.PaymentID)
			require.NoError(t, err)
			break
		}
	}
	require.NotNil(t, p, "the demo shop has a GMO card in 仮売上")

	// The last session: journalled, sent, applied at the gateway — and no answer.
	now := sys.Clock.Now()
	op := &backend.Operation{PaymentID: p.ID, Intent: string(payment.IntentCapture), Kind: backend.OpCapture, Amount: p.AmountAuthorized,
		IdempotencyKey: "interrupted-capture", Operator: "店長", BeforeState: p.State, RequestedAt: now}
	require.NoError(t, sys.Store.BeginOperation(ctx, op))
	require.NoError(t, sys.Store.MarkOperationSent(ctx, op.ID, now))
	prof, err := sys.Store.ProfileByID(ctx, p.ProfileID)
	require.NoError(t, err)
	gw, err := sys.Gateways.Gateway(ctx, prof)
	require.NoError(t, err)
	_, err = gw.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: p.AmountAuthorized})
	require.NoError(t, err)
	require.NoError(t, sys.Close())

	sys, err = Open(ctx, Config{DataDir: dir, Vault: keys, Demo: true, DemoCount: 40})
	require.NoError(t, err)
	defer sys.Close()
	// Until it is settled, the payment takes no new operation.
	_, err = sys.Engine.Capture(ctx, payment.Request{PaymentID: p.ID, Operator: "店長"})
	assert.Equal(t, backend.EBUSY, backend.ErrorCode(err))

	sys.Start(ctx)
	// Start has returned: the operation is settled already, not by a later sync.
	got, err := sys.Store.OperationByID(ctx, op.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.OpSucceeded, got.State, got.Message)
	assert.Contains(t, got.Message, "照会して完了を確認しました")
	paid, err := sys.Store.PaymentByID(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, paid.State)
	o, err := sys.Store.OrderByID(ctx, p.OrderID)
	require.NoError(t, err)
	assert.Equal(t, backend.OrderPaid, o.Status)

	// New work now: 売上 again is refused here, before the gateway.
	sent := sys.Sandbox.Sim.Server.Log.Count("AlterTran.idPass")
	_, err = sys.Engine.Capture(ctx, payment.Request{PaymentID: p.ID, Operator: "店長"})
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Equal(t, sent, sys.Sandbox.Sim.Server.Log.Count("AlterTran.idPass"), "nothing sent")
	tr, ok := sys.Sandbox.Sim.Trade(p.GatewayOrderID)
	require.True(t, ok)
	assert.Equal(t, "SALES", tr.Status)
	ops, err := sys.Store.OperationsByPayment(ctx, p.ID)
	require.NoError(t, err)
	captures := 0
	for _, o := range ops {
		if o.Kind == backend.OpCapture && o.State == backend.OpSucceeded {
			captures++
		}
	}
	assert.Equal(t, 1, captures, "one sale in the journal")
}
