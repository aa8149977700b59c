package sbps_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/sbps/sbpssim"
)

// --- client ⇄ simulator: card ---

func TestCaptureAndInquire(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD-1001", 5775, "1", t0, time.Time{})
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.True(t, v.Found)
	assert.Equal(t, backend.StateAuthorized, v.State)
	assert.Equal(t, "1", v.RawStatus)

	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 5775})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, backend.Yen(5775), v.AmountCaptured)
	assert.True(t, v.ProcessedAt.Equal(time.Date(2026, 11, 10, 0, 0, 0, 0, backend.JST)), "the sale's date: %v", v.ProcessedAt)
	tr, _ := f.sim.Trade(p.GatewayTranID)
	assert.Equal(t, int64(5775), tr.Sold)

	v, err = f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, "2", v.RawStatus)

	// A second capture: SBPS says it is already done (41).
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 5775})
	assert.Equal(t, backend.ClassAlreadyDone, class(err))
	assert.Contains(t, msg(err), "売上処理が完了済みのため")
	assert.Contains(t, msg(err), "10141999")
	assert.Equal(t, 1, f.sim.Server.Log.CountApplied("capture")[p.GatewayTranID])
}

func TestPartialCapture(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD-PC", 10000, "1", t0, time.Time{})
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 8000})
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(8000), v.AmountCaptured)
	tr, _ := f.sim.Trade(p.GatewayTranID)
	assert.Equal(t, int64(8000), tr.Sold)
	assert.Equal(t, "2", tr.PaymentStatus)

	// More than the authorisation: refused before sending when the app knows the amount…
	q := f.card(t, "KD-PC2", 3000, "1", t0, time.Time{})
	n := len(f.sim.Server.Log.Entries())
	_, err = f.client.Do(ctx, q, backend.GatewayOp{Kind: backend.OpCapture, Amount: 3500})
	assert.Equal(t, backend.EINVALID, code(err))
	assert.Equal(t, backend.ClassNotSent, class(err))
	assert.Len(t, f.sim.Server.Log.Entries(), n, "nothing sent")
	// …and by SBPS (79) when it does not.
	q.AmountAuthorized = 0
	_, err = f.client.Do(ctx, q, backend.GatewayOp{Kind: backend.OpCapture, Amount: 3500})
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, msg(err), "売上金額が与信時の金額を超えている")
}

func TestVoidAndRefund(t *testing.T) {
	f := setup(t)
	ctx := context.Background()

	// Before sales: 与信取消.
	p := f.card(t, "KD-V", 1000, "1", t0, time.Time{})
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, v.State)
	tr, _ := f.sim.Trade(p.GatewayTranID)
	assert.Equal(t, "3", tr.PaymentStatus)
	// Again: SBPS already shows it cancelled; nothing is sent.
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	assert.Equal(t, backend.ClassAlreadyDone, class(err))
	assert.Equal(t, 1, f.sim.Count(sbps.APICancelRefund))

	// After sales: 返金 — next month too.
	q := f.card(t, "KD-R", 3000, "2", t0, t0)
	f.clock.Set(t0.AddDate(0, 1, 0))
	v, err = f.client.Do(ctx, q, backend.GatewayOp{Kind: backend.OpRefund})
	require.NoError(t, err)
	assert.Equal(t, backend.StateRefunded, v.State)
	assert.Equal(t, backend.Yen(3000), v.AmountRefunded)
	v, _ = f.client.Inquire(ctx, q)
	assert.Equal(t, backend.StateRefunded, v.State)
	assert.Equal(t, 1, f.sim.Server.Log.CountApplied("refund")[q.GatewayTranID])
}

func TestCancelIsGuardedBySBPSState(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	// The app believes 仮売上 but the payment was captured in the SBPS console: a 与信取消
	// would be a refund with the same API, so it is not sent. The class tells the engine
	// the payment's state at SBPS refused it: it records what SBPS shows.
	p := f.card(t, "KD-G1", 1000, "2", t0, t0)
	p.State = backend.StateAuthorized
	_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	assert.Equal(t, backend.ECONFLICT, code(err))
	assert.Equal(t, backend.ClassAlreadyDone, class(err))
	assert.Contains(t, msg(err), "SBPSでは売上済みのため与信取消できません")

	// The reverse: a refund of what SBPS still shows as 与信済.
	q := f.card(t, "KD-G2", 1000, "1", t0, time.Time{})
	q.State = backend.StateCaptured
	_, err = f.client.Do(ctx, q, backend.GatewayOp{Kind: backend.OpRefund})
	assert.Equal(t, backend.ECONFLICT, code(err))
	assert.Equal(t, backend.ClassAlreadyDone, class(err))
	assert.Contains(t, msg(err), "売上前（与信済）のため返金できません")
	assert.Equal(t, 0, f.sim.Count(sbps.APICancelRefund))

	// A refund of what SBPS shows as voided: the refusal says so in both languages.
	v := f.card(t, "KD-G3", 1000, sbps.StatusVoided, t0, t0)
	v.State = backend.StateCaptured
	_, err = f.client.Do(ctx, v, backend.GatewayOp{Kind: backend.OpRefund})
	assert.Equal(t, backend.ECONFLICT, code(err))
	assert.Equal(t, "SBPSでは「与信取消済」のため返金できません", backend.ErrorMessage(err, "ja"))
	assert.Equal(t, `SBPS shows the payment as "与信取消済": no refund`, backend.ErrorMessage(err, "en"))
	assert.Equal(t, 0, f.sim.Count(sbps.APICancelRefund))
	tr, _ := f.sim.Trade(q.GatewayTranID)
	assert.Equal(t, "1", tr.PaymentStatus)
}

func TestPartialRefunds(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD-PR", 10000, "2", t0, t0)
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 3000})
	require.NoError(t, err)
	assert.Equal(t, backend.StatePartiallyRefunded, v.State)
	assert.Equal(t, backend.Yen(3000), v.AmountRefunded)
	p.State, p.AmountRefunded = backend.StatePartiallyRefunded, 3000
	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 2000})
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(5000), v.AmountRefunded)
	tr, _ := f.sim.Trade(p.GatewayTranID)
	assert.Equal(t, int64(5000), tr.Refunded)
	assert.Equal(t, "2", tr.PaymentStatus, "still 売上済 at SBPS")
	v, _ = f.client.Inquire(ctx, p)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Zero(t, v.AmountRefunded, "SBPS's inquiry carries no amounts")

	// More than the rest: refused by the client when it knows the amounts…
	p.AmountRefunded = 5000
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 6000})
	assert.Equal(t, backend.ClassNotSent, class(err))
	// …and by SBPS (K1) when it does not.
	p.AmountCaptured, p.AmountAuthorized, p.AmountRefunded = 0, 0, 0
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 6000})
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, msg(err), "返金額の合計が売上金額を超える")
	assert.Contains(t, msg(err), "101K1999")

	// The rest refunded by parts: SBPS then shows 返金済 (simulator's assumption).
	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 5000})
	require.NoError(t, err)
	tr, _ = f.sim.Trade(p.GatewayTranID)
	assert.Equal(t, "4", tr.PaymentStatus)
	assert.Equal(t, 3, f.sim.Server.Log.CountApplied("partial_refund")[p.GatewayTranID])
}

func TestIllegalOperationsGiveSBPSMessages(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	cases := []struct {
		name   string
		status string
		op     backend.GatewayOp
		want   string
		class  backend.ErrorClass
	}{
		{"capture of a cancelled authorisation", "3", backend.GatewayOp{Kind: backend.OpCapture}, "与信取消済みのため、売上処理を中止しました", backend.ClassAlreadyDone},
		{"capture of a refunded payment", "4", backend.GatewayOp{Kind: backend.OpCapture}, "売上処理が完了済み", backend.ClassAlreadyDone},
		{"partial refund before sales", "1", backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 100}, "売上前のため、部分返金できません", backend.ClassPermanent},
		{"partial refund of a cancelled authorisation", "3", backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 100}, "与信取消済みのため、返金処理を中止しました", backend.ClassAlreadyDone},
		{"partial refund of a refunded payment", "4", backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 100}, "返金処理済みのため", backend.ClassAlreadyDone},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := f.card(t, "KD-IL"+string(rune('A'+i)), 1000, c.status, t0, t0)
			p.AmountCaptured, p.AmountAuthorized = 0, 0 // let SBPS judge
			_, err := f.client.Do(ctx, p, c.op)
			require.Error(t, err)
			assert.Equal(t, c.class, class(err))
			assert.Contains(t, msg(err), c.want)
		})
	}
	assert.Empty(t, f.sim.Server.Log.CountApplied("capture"))
	assert.Empty(t, f.sim.Server.Log.CountApplied("partial_refund"))
}

func TestDateWindows(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	// 売上 until the end of the 3rd month after the authorisation (2027-02-28).
	p := f.card(t, "KD-W1", 1000, "1", t0, time.Time{})
	f.clock.Set(time.Date(2027, 2, 28, 23, 59, 0, 0, backend.JST))
	_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	require.NoError(t, err)
	q := f.card(t, "KD-W2", 1000, "1", t0, time.Time{})
	f.clock.Set(time.Date(2027, 3, 1, 0, 0, 0, 0, backend.JST))
	_, err = f.client.Do(ctx, q, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, msg(err), "与信日から3か月目の末日まで")

	// 返金 until the end of the 3rd month after the sale.
	r := f.card(t, "KD-W3", 1000, "2", t0, t0)
	_, err = f.client.Do(ctx, r, backend.GatewayOp{Kind: backend.OpRefund})
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, msg(err), "お客様の口座へ直接ご返金ください")
	assert.Contains(t, msg(err), "10156999")
	_, err = f.client.Do(ctx, r, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 100})
	assert.Contains(t, msg(err), "返金できる期間")
}

func TestChangeAmountIsADecrease(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	// Captured: the difference is refunded.
	p := f.card(t, "KD-CA1", 5000, "2", t0, t0)
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4200})
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(800), v.AmountRefunded)
	tr, _ := f.sim.Trade(p.GatewayTranID)
	assert.Equal(t, int64(800), tr.Refunded)
	// Authorised, with 即時売上: a partial capture.
	q := f.card(t, "KD-CA2", 5000, "1", t0, time.Time{})
	_, err = f.client.Do(ctx, q, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4000, CaptureNow: true})
	require.NoError(t, err)
	tr, _ = f.sim.Trade(q.GatewayTranID)
	assert.Equal(t, int64(4000), tr.Sold)
	// Without 即時売上, and any increase: refused before sending.
	r := f.card(t, "KD-CA3", 5000, "1", t0, time.Time{})
	_, err = f.client.Do(ctx, r, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4000})
	assert.Equal(t, backend.ClassNotSent, class(err))
	_, err = f.client.Do(ctx, r, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 6000, CaptureNow: true})
	assert.Equal(t, backend.EUNSUPPORTED, code(err))
	assert.Contains(t, msg(err), "増額できません")
}

func TestReauthorize(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD-RA", 3000, "3", t0, time.Time{})
	f.clock.Set(t0.Add(48 * time.Hour))
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReauth, Amount: 3300})
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State)
	require.NotEmpty(t, v.NewTranID)
	assert.NotEqual(t, p.GatewayTranID, v.NewTranID)
	tr, ok := f.sim.Trade(v.NewTranID)
	require.True(t, ok)
	assert.Equal(t, "1", tr.PaymentStatus)
	assert.Equal(t, "1", tr.CommitStatus, "committed by the client")
	assert.Equal(t, int64(3300), tr.Amount)
	assert.Equal(t, p.GatewayTranID, tr.ReauthOf)
	old, _ := f.sim.Trade(p.GatewayTranID)
	assert.Equal(t, "3", old.PaymentStatus, "the old payment is untouched")
	byOrder, _ := f.sim.TradeByOrder("KD-RA")
	assert.Equal(t, v.NewTranID, byOrder.TrackingID)

	// The new payment is then captured like any other.
	p.GatewayTranID, p.AmountAuthorized = v.NewTranID, 3300
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 3300})
	require.NoError(t, err)

	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReauth, Amount: 100, CaptureNow: true})
	assert.Equal(t, backend.ClassNotSent, class(err))
}

func TestReauthorizeDeclined(t *testing.T) {
	f := setup(t)
	id, err := f.sim.AddCardTrade(sbpssim.CardSpec{MerchantID: merchantID, ServiceID: serviceID, OrderID: "KD-D", Amount: 1000, Status: "3", CardLimit: 5000})
	require.NoError(t, err)
	p := &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "KD-D", GatewayTranID: id, State: backend.StateVoided, AmountAuthorized: 1000}
	_, err = f.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpReauth, Amount: 8000})
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, msg(err), "利用限度額")
	assert.Empty(t, f.sim.Server.Log.CountApplied("reauth"))
}

func TestCommitStatusMapping(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	id, err := f.sim.AddCardTrade(sbpssim.CardSpec{MerchantID: merchantID, ServiceID: serviceID, OrderID: "KD-UC", Amount: 1000, Uncommitted: true})
	require.NoError(t, err)
	p := &backend.Payment{Method: backend.MethodCard, GatewayTranID: id}
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StatePending, v.State, "未確定")
	// SBPS refuses to sell what was never committed.
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture})
	assert.Contains(t, msg(err), "与信結果が存在しない")
	_, err = f.client.Commit(ctx, id)
	require.NoError(t, err)
	v, _ = f.client.Inquire(ctx, p)
	assert.Equal(t, backend.StateAuthorized, v.State)
	_, err = f.client.Commit(ctx, id)
	assert.Equal(t, backend.ClassAlreadyDone, class(err))

	require.NoError(t, f.sim.SetStatus(id, "9"))
	_, err = f.client.Inquire(ctx, p)
	assert.Equal(t, backend.ClassUnknown, class(err))
	assert.Contains(t, msg(err), "未知の決済ステータス")
}

func TestUnknownPaymentIsNotFound(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for _, m := range []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini, backend.MethodPayEasy} {
		v, err := f.client.Inquire(ctx, &backend.Payment{Method: m, GatewayTranID: "12345678901234"})
		require.NoError(t, err, m)
		assert.False(t, v.Found, m)
	}
	_, err := f.client.Do(ctx, &backend.Payment{Method: backend.MethodCard, GatewayTranID: "12345678901234", AmountAuthorized: 1},
		backend.GatewayOp{Kind: backend.OpCapture, Amount: 1})
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, msg(err), "SBPSにこの取引がありません")
	_, err = f.client.Do(ctx, &backend.Payment{Method: backend.MethodCard, GatewayTranID: "12345678901234"}, backend.GatewayOp{Kind: backend.OpVoid})
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Equal(t, 0, f.sim.Count(sbps.APICancelRefund))
	// A payment of another service is not visible.
	f.sim.AddMerchant(sbpssim.Merchant{MerchantID: merchantID, ServiceID: "002", HashKey: "other"})
	id, _ := f.sim.AddCardTrade(sbpssim.CardSpec{MerchantID: merchantID, ServiceID: "002", OrderID: "X", Amount: 1})
	v, err := f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodCard, GatewayTranID: id})
	require.NoError(t, err)
	assert.False(t, v.Found)
}

func TestNonCardOperationsAreRefused(t *testing.T) {
	f := setup(t)
	_, err := f.client.Do(context.Background(), &backend.Payment{Method: backend.MethodKonbini, GatewayTranID: "1"}, backend.GatewayOp{Kind: backend.OpVoid})
	assert.Equal(t, backend.EUNSUPPORTED, code(err))
	assert.Equal(t, backend.ClassNotSent, class(err))
	_, err = f.client.Do(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayTranID: "1"}, backend.GatewayOp{Kind: backend.OpStopPayment})
	assert.Equal(t, backend.EUNSUPPORTED, code(err))
	_, err = f.client.Do(context.Background(), &backend.Payment{Method: backend.MethodCard}, backend.GatewayOp{Kind: backend.OpCapture})
	assert.Equal(t, backend.EINVALID, code(err))
	assert.Empty(t, f.sim.Server.Log.Entries())
}

// --- konbini / Pay-easy ---

func TestWebCvsDeposits(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	id, err := f.sim.AddWebCvsTrade(sbpssim.DepositSpec{MerchantID: merchantID, ServiceID: serviceID, OrderID: "KD-CVS", Amount: 3300, Issued: t0})
	require.NoError(t, err)
	p := &backend.Payment{Method: backend.MethodKonbini, GatewayOrderID: "KD-CVS", GatewayTranID: id}
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAwaitingDeposit, v.State)
	assert.Equal(t, time.Date(2026, 11, 17, 23, 59, 59, 0, backend.JST), v.PaymentDeadline.In(backend.JST))

	f.clock.Set(t0.Add(5 * time.Hour))
	require.NoError(t, f.sim.MarkPaid(id))
	v, err = f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateDeposited, v.State)
	assert.Equal(t, "3", v.RawStatus)
	assert.Error(t, f.sim.MarkPaid(id), "paid once")

	// Unpaid past the deadline: expired.
	id2, _ := f.sim.AddWebCvsTrade(sbpssim.DepositSpec{MerchantID: merchantID, ServiceID: serviceID, OrderID: "KD-CVS2", Amount: 1000, Issued: t0})
	f.clock.Set(time.Date(2026, 11, 18, 0, 0, 1, 0, backend.JST))
	v, err = f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodKonbini, GatewayTranID: id2})
	require.NoError(t, err)
	assert.Equal(t, backend.StateExpired, v.State)
	assert.Equal(t, "9", v.RawStatus)

	// MarkExpired before the deadline.
	id3, _ := f.sim.AddWebCvsTrade(sbpssim.DepositSpec{MerchantID: merchantID, ServiceID: serviceID, OrderID: "KD-CVS3", Amount: 1000})
	require.NoError(t, f.sim.MarkExpired(id3))
	v, _ = f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodKonbini, GatewayTranID: id3})
	assert.Equal(t, backend.StateExpired, v.State)

	// A konbini payment is not a card payment: the card inquiry does not find it.
	v, err = f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodCard, GatewayTranID: id})
	require.NoError(t, err)
	assert.False(t, v.Found)
}

func TestPayEasyDeposits(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	id, err := f.sim.AddPayEasyTrade(sbpssim.DepositSpec{MerchantID: merchantID, ServiceID: serviceID, OrderID: "KD-PE", Amount: 5000, Issued: t0})
	require.NoError(t, err)
	p := &backend.Payment{Method: backend.MethodPayEasy, GatewayTranID: id}
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAwaitingDeposit, v.State)
	require.NoError(t, f.sim.MarkPaid(id))
	v, _ = f.client.Inquire(ctx, p)
	assert.Equal(t, backend.StateDeposited, v.State)
	v, _ = f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodNetBank, GatewayTranID: id})
	assert.Equal(t, backend.StateDeposited, v.State, "net bank via Pay-easy reads the same")

	// If SBPS has no Pay-easy inquiry after all (the id is inferred), say so clearly.
	f.sim.SetPayEasyInquiry(false)
	_, err = f.client.Inquire(ctx, p)
	assert.Equal(t, backend.EUNSUPPORTED, code(err))
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, msg(err), "Pay-easyの決済結果照会に応じませんでした")
	assert.Contains(t, msg(err), "70302000")
}

// --- credentials, secrets, clock ---

func TestWrongHashKeyIsAClearAuthErrorWithoutSecrets(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD-P", 1000, "1", t0, time.Time{})
	const wrongKey = "ffffffffffffffffffffffffffffffffffffffff"

	// Basic password = hash key (the default): SBPS refuses at the door (HTTP 401).
	bad := newClient(t, f.sim, sbps.Config{HashKey: wrongKey})
	_, err := bad.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ECREDENTIAL, code(err))
	assert.Equal(t, backend.ClassAuthFailed, class(err))
	assert.Contains(t, msg(err), "SBPSのBasic認証に失敗しました")
	pingErr := bad.Ping(ctx)
	assert.Equal(t, backend.ClassAuthFailed, class(pingErr))

	// A separate Basic password that is right, and a wrong hash key: the checksum error.
	f.sim.AddMerchant(sbpssim.Merchant{MerchantID: "71299", ServiceID: "002", HashKey: hashKey, BasicPassword: "basicPw123"})
	id, _ := f.sim.AddCardTrade(sbpssim.CardSpec{MerchantID: "71299", ServiceID: "002", OrderID: "KD-H", Amount: 1000})
	bad2 := newClient(t, f.sim, sbps.Config{MerchantID: "71299", ServiceID: "002", HashKey: wrongKey, BasicPassword: "basicPw123"})
	_, err2 := bad2.Do(ctx, &backend.Payment{Method: backend.MethodCard, GatewayTranID: id, AmountAuthorized: 1000}, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ECREDENTIAL, code(err2))
	assert.Equal(t, backend.ClassAuthFailed, class(err2))
	assert.Contains(t, msg(err2), "ハッシュキーが正しくありません")
	assert.Contains(t, msg(err2), "10109025")
	good2 := newClient(t, f.sim, sbps.Config{MerchantID: "71299", ServiceID: "002", BasicPassword: "basicPw123"})
	assert.NoError(t, good2.Ping(ctx))
	assert.NoError(t, f.client.Ping(ctx))
	assert.Empty(t, f.sim.Server.Log.CountApplied("capture"))

	for _, e := range []error{err, pingErr, err2, bad2.Ping(ctx)} {
		require.Error(t, e)
		for _, lang := range []string{"ja", "en"} {
			text := backend.ErrorMessage(e, lang) + e.Error()
			for _, secret := range []string{wrongKey, hashKey, "basicPw123"} {
				assert.NotContains(t, text, secret)
			}
		}
	}
	for _, entry := range f.sim.Server.Log.Entries() {
		for _, v := range entry.Fields {
			assert.NotContains(t, v, hashKey)
			assert.NotContains(t, v, "basicPw123")
		}
	}
}

func TestWrongMerchantOrService(t *testing.T) {
	f := setup(t)
	// Basic passes for 71234/001 but the XML names service 009: SBPS's type 14.
	other := newClient(t, f.sim, sbps.Config{MerchantID: "71234", ServiceID: "009", BasicID: merchantID + serviceID, BasicPassword: hashKey})
	err := other.Ping(context.Background())
	assert.Equal(t, backend.ECREDENTIAL, code(err))
	assert.Contains(t, msg(err), "マーチャントID・サービスIDが正しくありません")
}

func TestRequestDateOutsideLimit(t *testing.T) {
	f := setup(t)
	// The PC's clock is 15 minutes ahead of SBPS's; limit_second is 600 by default.
	skewed := newClient(t, f.sim, sbps.Config{Now: func() time.Time { return f.clock.Now().Add(15 * time.Minute) }})
	err := skewed.Ping(context.Background())
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, msg(err), "パソコンの時計")
	// A wider limit_second accepts it.
	tolerant := newClient(t, f.sim, sbps.Config{LimitSecond: 1800, Now: func() time.Time { return f.clock.Now().Add(15 * time.Minute) }})
	assert.NoError(t, tolerant.Ping(context.Background()))
}

func TestEncryptedInquiry(t *testing.T) {
	f := setup(t)
	const key, iv = "0123456789abcdefghijklmn", "ivector8"
	f.sim.AddMerchant(sbpssim.Merchant{MerchantID: "71300", ServiceID: "001", HashKey: hashKey, CipherKey: key, CipherIV: iv})
	id, _ := f.sim.AddCardTrade(sbpssim.CardSpec{MerchantID: "71300", ServiceID: "001", OrderID: "KD-E", Amount: 1000, Status: "2"})
	p := &backend.Payment{Method: backend.MethodCard, GatewayTranID: id}
	c := newClient(t, f.sim, sbps.Config{MerchantID: "71300", ServiceID: "001", CipherKey: key, CipherIV: iv})
	v, err := c.Inquire(context.Background(), p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	r, err := c.CardInquiry(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, "************1111", r.Get("res_pay_method_info/res_pay_method_info_detail/cc_number"))

	plain := newClient(t, f.sim, sbps.Config{MerchantID: "71300", ServiceID: "001"})
	v, err = plain.Inquire(context.Background(), p)
	require.NoError(t, err, "encrypted_flg=0 still answers")
	assert.Equal(t, backend.StateCaptured, v.State)

	wrong := newClient(t, f.sim, sbps.Config{MerchantID: "71300", ServiceID: "001", CipherKey: key, CipherIV: "otheriv8"})
	_, err = wrong.Inquire(context.Background(), p)
	require.Error(t, err)
	assert.NotEqual(t, backend.ClassNone, class(err))

	_, err = sbps.New(sbps.Config{Host: f.sim.URL(), MerchantID: "71300", ServiceID: "001", HashKey: hashKey, CipherKey: "short"})
	assert.Equal(t, backend.ECREDENTIAL, code(err))
}

func TestConfigAndHosts(t *testing.T) {
	assert.Equal(t, "https://stbfep.sps-system.com", sbps.HostFor(backend.EnvTest))
	assert.Equal(t, "https://api.sps-system.com", sbps.HostFor(backend.EnvProduction))
	assert.NoError(t, sbps.ValidateHost("https://stbfep.sps-system.com"))
	assert.NoError(t, sbps.ValidateHost("http://127.0.0.1:8080"))
	for _, bad := range []string{"http://stbfep.sps-system.com", "http://localhost:8080", "ftp://x", "stbfep.sps-system.com",
		"https://x/api/xmlapi.do", "https://user:pw@x", "https://x?a=1", "http://127.0.0.2:80"} {
		assert.Equal(t, backend.EINVALID, code(sbps.ValidateHost(bad)), bad)
	}
	c, err := sbps.New(sbps.Config{Environment: backend.EnvProduction, MerchantID: "12345", ServiceID: "001", HashKey: "k"})
	require.NoError(t, err)
	assert.Equal(t, backend.GatewaySBPS, c.Kind())
	assert.Zero(t, c.Requests())
	for _, cfg := range []sbps.Config{
		{ServiceID: "001", HashKey: "k"},
		{MerchantID: "1234", ServiceID: "001", HashKey: "k"},
		{MerchantID: "12345", HashKey: "k"},
		{MerchantID: "12345", ServiceID: "01", HashKey: "k"},
		{MerchantID: "12345", ServiceID: "001"},
	} {
		_, err := sbps.New(cfg)
		assert.Equal(t, backend.ECREDENTIAL, code(err), "%+v", cfg)
		assert.False(t, strings.Contains(backend.ErrorMessage(err, "ja"), "k]"))
	}
}

func TestRequestsAreCounted(t *testing.T) {
	f := setup(t)
	p := f.card(t, "KD-N", 1000, "1", t0, time.Time{})
	_, err := f.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpVoid})
	require.NoError(t, err)
	assert.Equal(t, int64(2), f.client.Requests(), "the state check and the cancel")
	assert.Equal(t, 1, f.sim.Count(sbps.APICardInquiry))
	assert.Equal(t, 1, f.sim.Count(sbps.APICancelRefund))
}
