package sync

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/sbps/sbpssim"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/vault"
)

// An SBPS profile is synced by SBPS's result inquiries (MG01-00101-701 for WEBコンビニ,
// -101 for cards): a slip paid at SBPS becomes 入金済み with the order, one unpaid past
// its 支払期限 follows the konbini rule (キャンセル), and a sale made in SBPS's console
// is listed as a difference for the operator rather than applied silently.
func TestSBPSDepositsExpiryAndConsoleChanges(t *testing.T) {
	ctx := context.Background()
	clock, sim, store, prof, s := newSBPSSync(t)

	order := func(i int, m backend.PaymentMethod, st backend.OrderStatus) *backend.Order {
		o := &backend.Order{OrderNo: fmt.Sprint(8000 + i), OrderedAt: clock.Now().Add(-time.Hour), CustomerName: "高橋 美咲",
			CustomerKana: "タカハシ ミサキ", Email: "m@example.jp", Tel: "090-3333-4444", PaymentMethod: m, Status: st,
			Items: []backend.LineItem{{ProductCode: "B", ProductName: "ほうじ茶", UnitPrice: 1500, Quantity: 1}}, Subtotal: 1500, Total: 1500}
		require.NoError(t, store.SaveOrder(ctx, o))
		return o
	}
	slip := func(i int, bill time.Time) *backend.Payment {
		o := order(i, backend.MethodKonbini, backend.OrderAwaitingDeposit)
		tid, err := sim.AddWebCvsTrade(sbpssim.DepositSpec{MerchantID: "62345", ServiceID: "002", OrderID: "KD" + o.OrderNo, Amount: 1500, BillDate: bill})
		require.NoError(t, err)
		p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewaySBPS, Method: backend.MethodKonbini,
			GatewayOrderID: "KD" + o.OrderNo, GatewayTranID: tid, State: backend.StateAwaitingDeposit, AmountAuthorized: 1500,
			PaymentDeadline: bill}
		require.NoError(t, store.SavePayment(ctx, p))
		return p
	}
	paid := slip(1, t0.AddDate(0, 0, 7))
	unpaid := slip(2, t0.AddDate(0, 0, 7))
	late := slip(3, t0.AddDate(0, 0, 1))

	co := order(4, backend.MethodCard, backend.OrderNew)
	tid, err := sim.AddCardTrade(sbpssim.CardSpec{MerchantID: "62345", ServiceID: "002", OrderID: "KD" + co.OrderNo, Amount: 1500,
		AuthDate: t0.Add(-time.Hour)})
	require.NoError(t, err)
	card := &backend.Payment{OrderID: co.ID, ProfileID: prof.ID, Gateway: backend.GatewaySBPS, Method: backend.MethodCard,
		GatewayOrderID: "KD" + co.OrderNo, GatewayTranID: tid, State: backend.StateAuthorized, AmountAuthorized: 1500,
		AuthorizedAt: t0.Add(-time.Hour), AuthExpiresAt: t0.AddDate(0, 0, 59)}
	require.NoError(t, store.SavePayment(ctx, card))

	require.NoError(t, sim.MarkPaid(paid.GatewayTranID))
	require.NoError(t, sim.SetStatus(card.GatewayTranID, sbps.StatusCaptured)) // 管理画面で売上
	clock.Advance(2 * 24 * time.Hour)                                          // late's 支払期限 has passed

	rep, err := s.RunOnce(ctx)
	require.NoError(t, err)
	require.Empty(t, rep.Errors)
	assert.Equal(t, 1, rep.Deposits)

	get := func(p *backend.Payment) (*backend.Payment, *backend.Order) {
		got, err := store.PaymentByID(ctx, p.ID)
		require.NoError(t, err)
		o, err := store.OrderByID(ctx, p.OrderID)
		require.NoError(t, err)
		return got, o
	}
	p, o := get(paid)
	assert.Equal(t, backend.StateDeposited, p.State)
	assert.Equal(t, backend.OrderPaid, o.Status)
	p, o = get(unpaid)
	assert.Equal(t, backend.StateAwaitingDeposit, p.State)
	assert.Equal(t, backend.OrderAwaitingDeposit, o.Status)
	p, o = get(late)
	assert.Equal(t, backend.StateExpired, p.State)
	assert.Equal(t, backend.OrderCancelled, o.Status, "konbini past its deadline: キャンセル by the default rule")
	ops, err := store.OperationsByPayment(ctx, late.ID)
	require.NoError(t, err)
	require.NotEmpty(t, ops)
	assert.Equal(t, backend.ActorSync, ops[len(ops)-1].Operator, "journalled like an operator's change")

	// The sale made in the console is a difference; nothing changes until the operator
	// picks a side.
	assert.Equal(t, 1, rep.Drifts)
	ds, err := store.Drifts(ctx)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, card.ID, ds[0].PaymentID)
	p, _ = get(card)
	assert.Equal(t, backend.StateAuthorized, p.State)
	require.NoError(t, s.AcceptGateway(ctx, card.ID, "店長"))
	p, o = get(card)
	assert.Equal(t, backend.StateCaptured, p.State, "SBPS's 売上済 taken by the operator's click")
	ds, err = store.Drifts(ctx)
	require.NoError(t, err)
	assert.Empty(t, ds)
	assert.Zero(t, sim.Count(sbps.APISales)+sim.Count(sbps.APICancelRefund), "reading and accepting send no operation")
}

// SBPS's inquiry carries no amount: a payment first learned as pending with no amount
// takes the order's total when SBPS reports it authorised, and the journal says where
// the amount came from — so an amount change is planned on a real amount, not 0.
func TestSBPSAmountUnknownToTheInquiryComesFromTheOrder(t *testing.T) {
	ctx := context.Background()
	clock, sim, store, prof, s := newSBPSSync(t)

	o := &backend.Order{OrderNo: "8200", OrderedAt: clock.Now().Add(-time.Hour), CustomerName: "高橋 美咲", PaymentMethod: backend.MethodCard,
		Status: backend.OrderProcessing, Subtotal: 7300, Total: 7300}
	require.NoError(t, store.SaveOrder(ctx, o))
	tid, err := sim.AddCardTrade(sbpssim.CardSpec{MerchantID: "62345", ServiceID: "002", OrderID: "KD8200", Amount: 7300, AuthDate: t0.Add(-time.Hour)})
	require.NoError(t, err)
	p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewaySBPS, Method: backend.MethodCard,
		GatewayOrderID: "KD8200", GatewayTranID: tid, State: backend.StatePending}
	require.NoError(t, store.SavePayment(ctx, p))

	rep, err := s.RunOnce(ctx)
	require.NoError(t, err)
	require.Empty(t, rep.Errors)
	got, err := store.PaymentByID(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, got.State)
	assert.Equal(t, backend.Yen(7300), got.AmountAuthorized)
	ops, err := store.OperationsByPayment(ctx, p.ID)
	require.NoError(t, err)
	require.NotEmpty(t, ops)
	assert.Contains(t, ops[len(ops)-1].Message, "受注の合計から")
}

// newSBPSSync is an SBPS simulator on a test clock, a store with one SBPS profile (card
// and WEBコンビニ), and a Syncer with an engine on that clock.
func newSBPSSync(t *testing.T) (*simkit.Clock, *sbpssim.Sim, *sqlite.DB, *backend.GatewayProfile, *Syncer) {
	t.Helper()
	clock := simkit.NewClock(t0)
	sim, err := sbpssim.Start(sbpssim.Options{Clock: clock})
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	sim.AddMerchant(sbpssim.Merchant{MerchantID: "62345", ServiceID: "002", HashKey: "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"})
	store, err := sqlite.Open(t.TempDir() + "/kd.db")
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	store.Now = clock.Now
	prof := &backend.GatewayProfile{Name: "SBPS", Kind: backend.GatewaySBPS, Environment: backend.EnvTest, Host: sim.URL(),
		MerchantID: "62345", SubID: "002", AuthExpiryDays: 60, Methods: []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini}}
	require.NoError(t, store.SaveProfile(context.Background(), prof))
	kc := vault.NewMemory()
	kc.Set(backend.SecretKey(prof.ID, backend.SecretHashKey), "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00")
	gws := &gateways.Factory{Vault: kc, Now: clock.Now, Timeout: 2 * time.Second}
	appClock := backend.ClockFunc(clock.Now)
	eng := &payment.Engine{Store: store, Gateways: gws, Clock: appClock, Timeout: 2 * time.Second}
	return clock, sim, store, prof, &Syncer{Store: store, Gateways: gws, Engine: eng, Clock: appClock}
}
