package payment_test

// The engine with the SBPS client against the SBPS simulator over HTTP: 売上 and the
// order 入金済み in one action, キャンセル as 与信取消 before 売上 and 返金 after (one
// API at SBPS, so the client checks SBPS's state first), 部分返金, 金額変更 as a
// partial capture or a partial refund, and a lost answer resolved by inquiry.

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
	"kessaidesk/backend/vault"
)

const (
	sbpsMerchant = "71234"
	sbpsService  = "001"
	sbpsHashKey  = "5a1c0e7d93b24f6a8c0d2e4f6a8b0c1d3e5f7a9b"
)

type sbpsFixture struct {
	t     *testing.T
	ctx   context.Context
	clock *simkit.Clock
	sim   *sbpssim.Sim
	db    testStore
	prof  *backend.GatewayProfile
	eng   *payment.Engine
	seq   int
}

func newSBPSFixture(t *testing.T) *sbpsFixture {
	f := &sbpsFixture{t: t, ctx: context.Background(), clock: simkit.NewClock(t0)}
	sim, err := sbpssim.Start(sbpssim.Options{Clock: f.clock})
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	sim.AddMerchant(sbpssim.Merchant{MerchantID: sbpsMerchant, ServiceID: sbpsService, HashKey: sbpsHashKey})
	f.sim = sim
	db, _ := openStore(t, f.clock.Now)
	f.db = db
	f.prof = &backend.GatewayProfile{Name: "SBペイメントサービス", Kind: backend.GatewaySBPS, Environment: backend.EnvTest, Host: sim.URL(),
		MerchantID: sbpsMerchant, SubID: sbpsService, AuthExpiryDays: 60, Methods: []backend.PaymentMethod{backend.MethodCard}}
	require.NoError(t, db.SaveProfile(f.ctx, f.prof))
	kc := vault.NewMemory()
	kc.Set(backend.SecretKey(f.prof.ID, backend.SecretHashKey), sbpsHashKey)
	// request_date must be near SBPS's clock: the factory's requests read the simulator's.
	f.eng = &payment.Engine{Store: db, Gateways: &gateways.Factory{Vault: kc, Now: f.clock.Now, Timeout: 2 * time.Second},
		Clock: f.clock, Timeout: 2 * time.Second}
	return f
}

// card makes a card payment at the simulator (与信済, or 売上済 with salesAt) and in the store.
func (f *sbpsFixture) card(amount backend.Yen, salesAt time.Time) *backend.Payment {
	f.seq++
	no := fmt.Sprintf("%d", 300000+f.seq)
	authAt := f.clock.Now().Add(-time.Hour)
	o := &backend.Order{OrderNo: no, OrderedAt: authAt, CustomerName: "鈴木 一郎", CustomerKana: "スズキ イチロウ", Email: "i@example.jp",
		Tel: "080-1111-2222", PaymentMethod: backend.MethodCard, Status: backend.OrderNew,
		Items: []backend.LineItem{{ProductCode: "C-7", ProductName: "煎茶", UnitPrice: amount, Quantity: 1}}, Subtotal: amount, Total: amount}
	require.NoError(f.t, f.db.SaveOrder(f.ctx, o))
	spec := sbpssim.CardSpec{MerchantID: sbpsMerchant, ServiceID: sbpsService, OrderID: "KD" + no, Amount: int64(amount), AuthDate: authAt}
	if !salesAt.IsZero() {
		spec.Status, spec.SalesDate = sbps.StatusCaptured, salesAt
	}
	tid, err := f.sim.AddCardTrade(spec)
	require.NoError(f.t, err)
	p := &backend.Payment{OrderID: o.ID, ProfileID: f.prof.ID, Gateway: backend.GatewaySBPS, Method: backend.MethodCard,
		GatewayOrderID: "KD" + no, GatewayTranID: tid, State: backend.StateAuthorized, AmountAuthorized: amount, AuthorizedAt: authAt,
		AuthExpiresAt: authAt.AddDate(0, 0, 60)}
	if !salesAt.IsZero() {
		p.State, p.AmountCaptured, p.CapturedAt = backend.StateCaptured, amount, salesAt
	}
	require.NoError(f.t, f.db.SavePayment(f.ctx, p))
	return p
}

func (f *sbpsFixture) run(p *backend.Payment, intent payment.Intent, prm payment.Params) (*payment.Result, error) {
	return f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: intent, Params: prm, Operator: operator})
}

func (f *sbpsFixture) trade(p *backend.Payment) sbpssim.Trade {
	tr, ok := f.sim.Trade(p.GatewayTranID)
	require.True(f.t, ok)
	return tr
}

func (f *sbpsFixture) order(p *backend.Payment) *backend.Order {
	o, err := f.db.OrderByID(f.ctx, p.OrderID)
	require.NoError(f.t, err)
	return o
}

func TestSBPSCaptureThenCancelIsARefund(t *testing.T) {
	f := newSBPSFixture(t)
	p := f.card(5400, time.Time{})

	res, err := f.run(p, payment.IntentCapture, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, res.Payment.State)
	assert.Equal(t, backend.Yen(5400), res.Payment.AmountCaptured)
	assert.Equal(t, sbps.StatusCaptured, f.trade(p).PaymentStatus)
	assert.Equal(t, int64(5400), f.trade(p).Sold)
	assert.Equal(t, backend.OrderPaid, f.order(p).Status)
	assert.Equal(t, operator, res.Operation().Operator)

	pv, err := f.eng.Preview(f.ctx, p.ID, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	require.Len(t, pv.Steps, 1)
	assert.Equal(t, backend.OpRefund, pv.Steps[0].Kind)
	assert.Contains(t, pv.Reason, "カード返金")

	res, err = f.run(p, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, backend.StateRefunded, res.Payment.State)
	assert.Equal(t, sbps.StatusRefunded, f.trade(p).PaymentStatus)
	assert.Equal(t, backend.OrderCancelled, f.order(p).Status)
	assert.Equal(t, 1, f.sim.Count(sbps.APICancelRefund), "one 取消返金 request")
}

func TestSBPSCancelBeforeCaptureReleasesTheAuthorisation(t *testing.T) {
	f := newSBPSFixture(t)
	p := f.card(3000, time.Time{})
	res, err := f.run(p, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, backend.OpVoid, res.Operation().Kind)
	assert.Equal(t, backend.StateVoided, res.Payment.State)
	assert.Equal(t, sbps.StatusVoided, f.trade(p).PaymentStatus)
	assert.Equal(t, backend.OrderCancelled, f.order(p).Status)
}

// Our state says 仮売上 but SBPS's console already captured it (futureshop: console
// changes are not synced back). The one 取消返金 API would refund a sale the operator
// meant to release: the client reads SBPS's state first and sends nothing.
func TestSBPSStaleStateNeverTurnsAReleaseIntoARefund(t *testing.T) {
	f := newSBPSFixture(t)
	p := f.card(4200, time.Time{})
	require.NoError(t, f.sim.SetStatus(p.GatewayTranID, sbps.StatusCaptured))

	_, err := f.run(p, payment.IntentCancel, payment.Params{})
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "売上済み")
	assert.Equal(t, sbps.StatusCaptured, f.trade(p).PaymentStatus, "nothing refunded")
	assert.Zero(t, f.sim.Count(sbps.APICancelRefund))
	ops, err := f.db.OperationsByPayment(f.ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, ops, 2)
	assert.Equal(t, backend.OpFailed, ops[0].State, "failed, not unknown: the payment is not locked")
	// The sale made in SBPS's console is recorded as a change made at SBPS, by the
	// system; the order is not cancelled (a release was asked, not a refund).
	assert.Equal(t, backend.OpSyncFix, ops[1].Kind)
	assert.Equal(t, backend.ActorSync, ops[1].Operator)
	assert.Equal(t, backend.StateCaptured, ops[1].AfterState)
	stored, err := f.db.PaymentByID(f.ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, stored.State)
	assert.NotEqual(t, backend.OrderCancelled, f.order(p).Status)
}

func TestSBPSChangeAmountIsAPartialCaptureOrAPartialRefund(t *testing.T) {
	f := newSBPSFixture(t)

	auth := f.card(8000, time.Time{})
	_, err := f.run(auth, payment.IntentChangeAmount, payment.Params{Amount: 9000, CaptureNow: true})
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "増額できません")
	_, err = f.run(auth, payment.IntentChangeAmount, payment.Params{Amount: 6000})
	require.Error(t, err, "before capture SBPS lowers only by capturing less")
	res, err := f.run(auth, payment.IntentChangeAmount, payment.Params{Amount: 6000, CaptureNow: true})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, res.Payment.State)
	assert.Equal(t, backend.Yen(6000), res.Payment.AmountCaptured)
	assert.Equal(t, int64(6000), f.trade(auth).Sold, "the smaller amount was sold, never the old one")

	sold := f.card(10000, t0.Add(-30*time.Minute))
	res, err = f.run(sold, payment.IntentChangeAmount, payment.Params{Amount: 7500})
	require.NoError(t, err)
	assert.Equal(t, backend.OpPartialRefund, res.Operation().Kind)
	assert.Equal(t, backend.StatePartiallyRefunded, res.Payment.State)
	assert.Equal(t, backend.Yen(2500), res.Payment.AmountRefunded)
	assert.Equal(t, int64(2500), f.trade(sold).Refunded)

	_, err = f.run(sold, payment.IntentPartialRefund, payment.Params{Amount: 8000})
	require.Error(t, err, "more than is left")
	assert.Equal(t, int64(2500), f.trade(sold).Refunded)
}

// The answer to 売上 is lost after SBPS applied it: the engine asks MG01 and finds
// 売上済 — one sale, no resend, the order 入金済み.
func TestSBPSLostCaptureAnswerIsResolvedByInquiry(t *testing.T) {
	f := newSBPSFixture(t)
	p := f.card(2500, time.Time{})
	f.sim.Server.Faults.Next(sbps.APIPath, 1, simkit.Fault{Kind: simkit.FaultTruncate, After: true})

	res, err := f.run(p, payment.IntentCapture, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, res.Payment.State)
	assert.Contains(t, res.Operation().Message, "照会")
	assert.Equal(t, 1, f.sim.Count(sbps.APISales))
	assert.Equal(t, backend.OrderPaid, f.order(p).Status)

	// A lost request (before SBPS's logic): the inquiry says 与信済, the capture failed
	// and may be sent again — and then sells once.
	q := f.card(1800, time.Time{})
	f.sim.Server.Faults.Next(sbps.APIPath, 1, simkit.Fault{Kind: simkit.Fault500})
	_, err = f.run(q, payment.IntentCapture, payment.Params{})
	require.Error(t, err)
	assert.Equal(t, sbps.StatusAuthorized, f.trade(q).PaymentStatus)
	_, err = f.run(q, payment.IntentCapture, payment.Params{})
	require.NoError(t, err)
	assert.Equal(t, sbps.StatusCaptured, f.trade(q).PaymentStatus)
	assert.Empty(t, f.sim.Server.Log.Duplicates("capture"))
}

// A 部分返金 is not state-guarded at SBPS and its inquiry carries no amounts: a lost
// answer can't be decided by asking, so the payment stays locked (never re-sent)
// until someone checks SBPS's console.
func TestSBPSLostPartialRefundAnswerLocksThePayment(t *testing.T) {
	f := newSBPSFixture(t)
	p := f.card(9000, t0.Add(-time.Hour))
	f.sim.Server.Faults.Next(sbps.APIPath, 1, simkit.Fault{Kind: simkit.FaultReset, After: true})

	_, err := f.run(p, payment.IntentPartialRefund, payment.Params{Amount: 1000})
	require.Error(t, err)
	assert.Equal(t, backend.EUNKNOWN, backend.ErrorCode(err))
	assert.Equal(t, int64(1000), f.trade(p).Refunded, "SBPS did refund")

	_, err = f.run(p, payment.IntentPartialRefund, payment.Params{Amount: 1000})
	require.Error(t, err, "locked while the outcome is unknown")
	assert.Equal(t, int64(1000), f.trade(p).Refunded, "never refunded twice")
	assert.Equal(t, 1, f.sim.Count(sbps.APIPartialRefund))
}

// The operator reads the outcome in SBPS's console and records it: done (the refund is
// booked, the payment unlocked) or not done (nothing changes, the refund may be sent).
func TestSBPSUndecidableOutcomeIsRecordedByTheOperator(t *testing.T) {
	f := newSBPSFixture(t)
	lost := f.card(9000, t0.Add(-time.Hour))
	f.sim.Server.Faults.Next(sbps.APIPath, 1, simkit.Fault{Kind: simkit.FaultReset, After: true})
	_, err := f.run(lost, payment.IntentPartialRefund, payment.Params{Amount: 1000})
	require.Equal(t, backend.EUNKNOWN, backend.ErrorCode(err))
	op := f.lastOp(lost)
	res, err := f.eng.Resolve(f.ctx, op.ID)
	require.Error(t, err, "asking again cannot tell either")
	assert.Equal(t, backend.OpUnknown, f.lastOp(lost).State)

	_, err = f.eng.RecordOutcome(f.ctx, op.ID, true, "", "")
	require.Error(t, err, "a record needs a name")
	res, err = f.eng.RecordOutcome(f.ctx, op.ID, true, "", "店長")
	require.NoError(t, err)
	assert.Equal(t, backend.StatePartiallyRefunded, res.Payment.State)
	assert.Equal(t, backend.Yen(1000), res.Payment.AmountRefunded)
	assert.Equal(t, backend.OpSucceeded, f.lastOp(lost).State)
	assert.Contains(t, f.lastOp(lost).Message, "店長がゲートウェイの管理画面で確認して記録")
	_, err = f.eng.RecordOutcome(f.ctx, op.ID, false, "", "店長")
	require.Error(t, err, "recorded once")

	_, err = f.run(lost, payment.IntentPartialRefund, payment.Params{Amount: 500})
	require.NoError(t, err, "unlocked")
	assert.Equal(t, int64(1500), f.trade(lost).Refunded)

	never := f.card(4000, t0.Add(-time.Hour))
	f.sim.Server.Faults.Next(sbps.APIPath, 1, simkit.Fault{Kind: simkit.FaultTimeout})
	_, err = f.run(never, payment.IntentPartialRefund, payment.Params{Amount: 700})
	require.Equal(t, backend.EUNKNOWN, backend.ErrorCode(err))
	res, err = f.eng.RecordOutcome(f.ctx, f.lastOp(never).ID, false, "", "店長")
	require.NoError(t, err)
	assert.Equal(t, backend.OpFailed, f.lastOp(never).State)
	assert.Equal(t, backend.StateCaptured, res.Payment.State)
	assert.Zero(t, res.Payment.AmountRefunded)
	_, err = f.run(never, payment.IntentPartialRefund, payment.Params{Amount: 700})
	require.NoError(t, err)
	assert.Equal(t, int64(700), f.trade(never).Refunded)
}

func (f *sbpsFixture) lastOp(p *backend.Payment) *backend.Operation {
	ops, err := f.db.OperationsByPayment(f.ctx, p.ID)
	require.NoError(f.t, err)
	require.NotEmpty(f.t, ops)
	return ops[len(ops)-1]
}
