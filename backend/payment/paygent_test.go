package payment_test

// The engine with the Paygent client over client-certificate TLS against the Paygent
// simulator: the per-gateway plans (オーソリ取消 before 売上, 売上取消 after, オーソリ変更
// then 売上 as two journalled steps, the 60-day window) on the real protocol.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/vault"
)

type paygentFixture struct {
	t     *testing.T
	ctx   context.Context
	clock *simkit.Clock
	sim   *paygentsim.Sim
	db    testStore
	prof  *backend.GatewayProfile
	eng   *payment.Engine
	seq   int
}

func newPaygentFixture(t *testing.T) *paygentFixture {
	f := &paygentFixture{t: t, ctx: context.Background(), clock: simkit.NewClock(t0)}
	sim, err := paygentsim.Start(paygentsim.Options{Clock: f.clock})
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	sim.AddMerchant(paygentsim.Merchant{ID: "40001", ConnectID: "kdconn", ConnectPassword: "ConnPw77", CertCN: "40001"})
	cert, key, err := sim.PKI().IssueClient(paygentsim.ClientSpec{CommonName: "40001", NotBefore: t0.AddDate(-1, 0, 0), NotAfter: t0.AddDate(2, 0, 0)})
	require.NoError(t, err)
	f.sim = sim
	db, _ := openStore(t, f.clock.Now)
	f.db = db
	f.prof = &backend.GatewayProfile{Name: "ペイジェント", Kind: backend.GatewayPaygent, Environment: backend.EnvTest, Host: sim.URL(),
		MerchantID: "40001", SubID: "kdconn", AuthExpiryDays: 60, FeePerOperation: 10, Methods: []backend.PaymentMethod{backend.MethodCard}}
	require.NoError(t, db.SaveProfile(f.ctx, f.prof))
	kc := vault.NewMemory()
	kc.Set(backend.SecretKey(f.prof.ID, backend.SecretConnectPassword), "ConnPw77")
	kc.Set(backend.SecretKey(f.prof.ID, backend.SecretClientCert), string(cert)+string(key))
	f.eng = &payment.Engine{Store: db, Gateways: &gateways.Factory{Vault: kc, RootCAs: sim.PKI().RootCAs()}, Clock: f.clock,
		Timeout: 5 * time.Second}
	return f
}

// card makes a 仮売上 (or 売上済) card payment at the simulator and in the store.
func (f *paygentFixture) card(amount backend.Yen, status string, authAt, salesAt time.Time) *backend.Payment {
	f.seq++
	no := fmt.Sprintf("%d", 200000+f.seq)
	o := &backend.Order{OrderNo: no, OrderedAt: authAt, CustomerName: "佐藤 花子", CustomerKana: "サトウ ハナコ", Email: "h@example.jp",
		Tel: "090-2222-3333", PaymentMethod: backend.MethodCard, Status: backend.OrderNew,
		Items: []backend.LineItem{{ProductCode: "T-1", ProductName: "玉露", UnitPrice: amount, Quantity: 1}}, Subtotal: amount, Total: amount}
	require.NoError(f.t, f.db.SaveOrder(f.ctx, o))
	tid := "KD" + no
	pid, err := f.sim.AddCardPayment(paygentsim.CardSpec{MerchantID: "40001", TradingID: tid, Amount: int64(amount), Status: status,
		AuthDate: authAt, SalesDate: salesAt})
	require.NoError(f.t, err)
	p := &backend.Payment{OrderID: o.ID, ProfileID: f.prof.ID, Gateway: backend.GatewayPaygent, Method: backend.MethodCard,
		GatewayOrderID: tid, GatewayTranID: pid, State: backend.StateAuthorized, AmountAuthorized: amount, AuthorizedAt: authAt,
		AuthExpiresAt: authAt.AddDate(0, 0, 60)}
	if status == "40" {
		p.State, p.AmountCaptured, p.CapturedAt = backend.StateCaptured, amount, salesAt
	}
	require.NoError(f.t, f.db.SavePayment(f.ctx, p))
	return p
}

func (f *paygentFixture) run(p *backend.Payment, intent payment.Intent, prm payment.Params) (*payment.Result, error) {
	return f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: intent, Params: prm, Operator: operator})
}

func (f *paygentFixture) status(paymentID string) string {
	sp, ok := f.sim.Payment(paymentID)
	require.True(f.t, ok)
	return sp.Status
}

func TestPaygentCaptureAndCancelByState(t *testing.T) {
	f := newPaygentFixture(t)

	// 売上 of a 仮売上, then キャンセル of the sale is 売上取消 (023).
	sold := f.card(5000, "20", t0.Add(-time.Hour), time.Time{})
	res, err := f.run(sold, payment.IntentCapture, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, res.Payment.State)
	assert.Equal(t, "40", f.status(sold.GatewayTranID))
	o, _ := f.db.OrderByID(f.ctx, sold.OrderID)
	assert.Equal(t, backend.OrderPaid, o.Status)

	pv, err := f.eng.Preview(f.ctx, sold.ID, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	require.Len(t, pv.Steps, 1)
	assert.Equal(t, backend.OpRefund, pv.Steps[0].Kind)
	res, err = f.run(sold, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, backend.StateRefunded, res.Payment.State)
	assert.Equal(t, "60", f.status(sold.GatewayTranID))

	// キャンセル of a 仮売上 is オーソリ取消 (021).
	auth := f.card(3000, "20", t0.Add(-2*time.Hour), time.Time{})
	res, err = f.run(auth, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, backend.OpVoid, res.Operation().Kind)
	assert.Equal(t, backend.StateVoided, res.Payment.State)
	assert.Equal(t, "32", f.status(auth.GatewayTranID))
	o, _ = f.db.OrderByID(f.ctx, auth.OrderID)
	assert.Equal(t, backend.OrderCancelled, o.Status)
}

func TestPaygentLowerThenCaptureIsTwoJournalledSteps(t *testing.T) {
	f := newPaygentFixture(t)
	p := f.card(8000, "20", t0.Add(-time.Hour), time.Time{})

	_, err := f.run(p, payment.IntentChangeAmount, payment.Params{Amount: 9000})
	require.Error(t, err, "Paygent lowers only")
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))

	res, err := f.run(p, payment.IntentChangeAmount, payment.Params{Amount: 6500, CaptureNow: true})
	require.NoError(t, err)
	require.Len(t, res.Operations, 2, "オーソリ変更, then 売上")
	assert.Equal(t, backend.OpChangeAmount, res.Operations[0].Kind)
	assert.Equal(t, backend.OpCapture, res.Operations[1].Kind)
	for _, op := range res.Operations {
		assert.Equal(t, backend.OpSucceeded, op.State, op.Message)
	}
	// 補正 made a new payment at Paygent: we follow it, the old one is cancelled.
	got, err := f.db.PaymentByID(f.ctx, p.ID)
	require.NoError(t, err)
	assert.NotEqual(t, p.GatewayTranID, got.GatewayTranID)
	assert.Equal(t, backend.StateCaptured, got.State)
	assert.Equal(t, backend.Yen(6500), got.AmountCaptured)
	assert.Equal(t, "40", f.status(got.GatewayTranID))
	assert.NotEqual(t, "40", f.status(p.GatewayTranID), "the old payment is not sold")
	newOne, _ := f.sim.Payment(got.GatewayTranID)
	assert.Equal(t, int64(6500), newOne.Amount)
}

func TestPaygentSalesCancelWindow(t *testing.T) {
	f := newPaygentFixture(t)
	old := f.card(4000, "40", t0.AddDate(0, 0, -70), t0.AddDate(0, 0, -61))
	pv, err := f.eng.Preview(f.ctx, old.ID, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	assert.True(t, pv.OrderOnly)
	assert.Equal(t, backend.Yen(4000), pv.ManualRefund)
	_, err = f.run(old, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	tasks, err := f.db.RefundTasks(f.ctx, "open")
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	assert.NotEqual(t, "60", f.status(old.GatewayTranID), "nothing was sent")
	// The decision rests on Paygent's current answer (094: still 売上済, sold 61 days
	// ago); nothing but inquiries went out.
	for _, e := range f.sim.Server.Log.Entries() {
		assert.Equal(t, "/n/ref/paymentref", e.Path, "only 094 inquiries")
	}
	assert.NotEmpty(t, f.sim.Server.Log.Entries(), "Paygent was asked")
}

// A lost オーソリ変更 made a new payment at Paygent, and Paygent cannot say which of the
// trading's payments is current (要確認). The operator reads the new payment_id in the
// console; it is checked with 094 before the payment follows it — a wrong one records
// nothing.
func TestPaygentLostCorrectionIsRecordedWithTheNewPaymentID(t *testing.T) {
	f := newPaygentFixture(t)
	p := f.card(8000, "20", t0.Add(-time.Hour), time.Time{})
	f.sim.Server.Faults.Next("", 1, simkit.Fault{Kind: simkit.FaultReset, After: true})
	_, err := f.run(p, payment.IntentChangeAmount, payment.Params{Amount: 6000})
	require.Equal(t, backend.EUNKNOWN, backend.ErrorCode(err))
	ops, err := f.db.OperationsByPayment(f.ctx, p.ID)
	require.NoError(t, err)
	op := ops[len(ops)-1]
	require.Equal(t, backend.OpUnknown, op.State, "Paygent's inquiry cannot tell: 要確認")
	var newID string
	for _, sp := range f.sim.PaymentsByTrading("40001", p.GatewayOrderID) {
		if sp.PaymentID != p.GatewayTranID {
			newID = sp.PaymentID
		}
	}
	require.NotEmpty(t, newID, "Paygent made the new payment")

	for _, bad := range []string{"", p.GatewayTranID, "99999999"} {
		_, err = f.eng.RecordOutcome(f.ctx, op.ID, true, bad, "店長")
		require.Error(t, err, bad)
		got, _ := f.db.OperationByID(f.ctx, op.ID)
		assert.Equal(t, backend.OpUnknown, got.State, "nothing recorded for %q", bad)
	}
	res, err := f.eng.RecordOutcome(f.ctx, op.ID, true, newID, "店長")
	require.NoError(t, err)
	assert.Equal(t, backend.OpSucceeded, res.Operation().State)
	assert.Contains(t, res.Operation().Message, newID)
	assert.Equal(t, newID, res.Payment.GatewayTranID, "the payment follows Paygent's new payment_id")
	assert.Equal(t, backend.Yen(6000), res.Payment.AmountAuthorized)

	// And the next operation goes to the new payment.
	_, err = f.run(p, payment.IntentCapture, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, "40", f.status(newID))
}

// 35 (売上要求済) is a sale still at the card company: a capture whose answer was lost
// stays unknown while Paygent says 35 — neither done nor failed — and is recorded as
// done only when Paygent says 40.
func TestPaygentSaleInProgressAtTheCardCompanyStaysUnknown(t *testing.T) {
	f := newPaygentFixture(t)
	p := f.card(6000, "20", t0.Add(-time.Hour), time.Time{})
	f.sim.Server.Faults.Next("", 1, simkit.Fault{Kind: simkit.FaultReset})
	require.NoError(t, f.sim.SetStatus(p.GatewayTranID, "35"))
	_, err := f.run(p, payment.IntentCapture, payment.Params{})
	require.Equal(t, backend.EUNKNOWN, backend.ErrorCode(err), backend.ErrorMessage(err, "ja"))
	ops, err := f.db.OperationsByPayment(f.ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, ops, 1)
	assert.Equal(t, backend.OpUnknown, ops[0].State, "35 proves nothing either way")
	got, _ := f.db.PaymentByID(f.ctx, p.ID)
	assert.Equal(t, backend.StateAuthorized, got.State, "no capture recorded the gateway did not confirm")

	require.NoError(t, f.sim.SetStatus(p.GatewayTranID, "40"))
	left, err := f.eng.ResolveUnresolved(f.ctx)
	require.NoError(t, err)
	assert.Zero(t, left)
	got, _ = f.db.PaymentByID(f.ctx, p.ID)
	assert.Equal(t, backend.StateCaptured, got.State)
}
