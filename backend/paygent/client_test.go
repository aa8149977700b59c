package paygent_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
)

// --- card: 売上 / オーソリ取消 / 売上取消 ---

func TestCaptureAndInquire(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD_1001", 5775, "20", t0, time.Time{})
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State)
	assert.Equal(t, "20", v.RawStatus)
	assert.Equal(t, backend.Yen(5775), v.AmountAuthorized)
	assert.True(t, v.AuthorizedAt.Equal(t0))

	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 5775})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	v, err = f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, "40", v.RawStatus)
	assert.Equal(t, backend.Yen(5775), v.AmountCaptured)
	assert.True(t, v.ProcessedAt.Equal(t0))

	// A second 売上: 2004 status contradiction → the engine inquires and says what it
	// found; the gateway's words do not guess ("may already be done").
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 5775})
	assert.Equal(t, backend.ClassAlreadyDone, class(err))
	assert.NotContains(t, ja(err), "可能性")
	assert.Contains(t, ja(err), "売上できるのはオーソリ済みの決済だけです")
	assert.Contains(t, ja(err), "2004")
	assert.Equal(t, 1, f.sim.Server.Log.CountApplied(paygent.KindCardCapture)[p.GatewayTranID])
}

func TestCaptureAmountMustBeTheAuthorisedAmount(t *testing.T) {
	f := setup(t)
	p := f.card(t, "KD_1", 1000, "20", t0, time.Time{})
	_, err := f.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 900})
	assert.Equal(t, backend.EINVALID, code(err), "refused before sending")
	assert.Contains(t, ja(err), "先にオーソリ変更")
	assert.Empty(t, f.sim.Server.Log.Entries())
}

func TestAuthCancelOnlyBeforeSales(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	sold := f.card(t, "KD_S", 1000, "40", t0, t0)
	_, err := f.client.Do(ctx, sold, backend.GatewayOp{Kind: backend.OpVoid})
	require.Error(t, err)
	assert.Contains(t, ja(err), "オーソリ取消は売上前の決済だけに行えます。売上済みなら売上取消です")
	got, _ := f.sim.Payment(sold.GatewayTranID)
	assert.Equal(t, "40", got.Status)

	p := f.card(t, "KD_A", 1000, "20", t0, time.Time{})
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, v.State)
	v, err = f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodCard, GatewayTranID: p.GatewayTranID})
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, v.State)
	assert.Equal(t, "32", v.RawStatus)
	// Already cancelled.
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	assert.Equal(t, backend.ClassAlreadyDone, class(err))
	// And no sale after a cancel.
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Contains(t, ja(err), "売上できるのはオーソリ済みの決済だけです")
}

func TestSalesCancelOnlyAfterSales(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD_B", 1000, "20", t0, time.Time{})
	_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpRefund})
	require.Error(t, err)
	assert.Contains(t, ja(err), "売上取消は売上済みの決済だけに行えます。売上前ならオーソリ取消です")

	s := f.card(t, "KD_C", 2000, "40", t0, t0)
	f.clock.Set(t0.AddDate(0, 0, 10))
	v, err := f.client.Do(ctx, s, backend.GatewayOp{Kind: backend.OpRefund})
	require.NoError(t, err)
	assert.Equal(t, backend.StateRefunded, v.State)
	v, err = f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodCard, GatewayTranID: s.GatewayTranID})
	require.NoError(t, err)
	assert.Equal(t, backend.StateRefunded, v.State)
	assert.True(t, v.ProcessedAt.Equal(t0.AddDate(0, 0, 10)))
	_, err = f.client.Do(ctx, s, backend.GatewayOp{Kind: backend.OpRefund})
	assert.Equal(t, backend.ClassAlreadyDone, class(err))
}

// The 60-day authorisation window and the sales-cancel window.
func TestWindows(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD_60", 1000, "20", t0, time.Time{})
	f.clock.Set(t0.AddDate(0, 0, 60))
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State, "day 60 is still inside")
	f.clock.Set(t0.AddDate(0, 0, 61))
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassWindowPassed, class(err))
	assert.Contains(t, ja(err), "オーソリの有効期限（60日）を過ぎたため売上できません")
	assert.Contains(t, ja(err), "2007")
	v, err = f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateExpired, v.State)
	assert.Equal(t, "33", v.RawStatus)

	s := f.card(t, "KD_61", 1000, "40", t0, t0)
	_, err = f.client.Do(ctx, s, backend.GatewayOp{Kind: backend.OpRefund})
	assert.Equal(t, backend.ClassWindowPassed, class(err))
	assert.Contains(t, ja(err), "売上取消できる期間を過ぎています。お客様の口座へ直接ご返金ください")
	v, err = f.client.Inquire(ctx, s)
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State, "41 is still a sale")
	assert.Equal(t, "41", v.RawStatus)
	_, err = f.client.Do(ctx, s, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 100})
	assert.Contains(t, ja(err), "売上変更・部分返金できる期間を過ぎています")
}

// --- card: オーソリ変更 (028) / 売上変更 (029) / 部分返金 (029 reduction) ---

func TestAuthCorrection(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD_CH", 5000, "20", t0, time.Time{})
	f.clock.Set(t0.Add(time.Hour))
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4200})
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State)
	assert.Equal(t, backend.Yen(4200), v.AmountAuthorized)
	require.NotEmpty(t, v.NewTranID)
	assert.NotEqual(t, p.GatewayTranID, v.NewTranID)
	old, _ := f.sim.Payment(p.GatewayTranID)
	assert.Equal(t, "32", old.Status, "the old payment is cancelled")
	nw, _ := f.sim.Payment(v.NewTranID)
	assert.Equal(t, "20", nw.Status)
	assert.Equal(t, int64(4200), nw.Amount)
	assert.Equal(t, p.GatewayTranID, nw.BasePaymentID)
	assert.Equal(t, "KD_CH", nw.TradingID)

	// The engine's next step (売上) goes to the new payment_id.
	p.GatewayTranID, p.AmountAuthorized = v.NewTranID, 4200
	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 4200})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)

	// The old payment_id can no longer be operated on.
	_, err = f.client.Do(ctx, &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "KD_CH", GatewayTranID: old.PaymentID,
		State: backend.StateAuthorized, AmountAuthorized: 5000}, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 3000})
	assert.Equal(t, backend.ClassAlreadyDone, class(err))
	assert.Contains(t, ja(err), "オーソリ変更は売上前のオーソリ済みの決済だけ")
}

func TestSalesCorrection(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD_SC", 5000, "40", t0, t0)
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4000})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, backend.Yen(4000), v.AmountCaptured)
	old, _ := f.sim.Payment(p.GatewayTranID)
	assert.Equal(t, "60", old.Status)
	nw, _ := f.sim.Payment(v.NewTranID)
	assert.Equal(t, "40", nw.Status)
	assert.Equal(t, int64(4000), nw.Amount)
}

func TestCorrectionOnlyLowers(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD_UP", 5000, "20", t0, time.Time{})
	_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 6000})
	assert.Equal(t, backend.EUNSUPPORTED, code(err), "refused before sending")
	assert.Contains(t, ja(err), "減額だけです")
	assert.Empty(t, f.sim.Server.Log.Entries())
	// Sent anyway, Paygent answers 2013.
	_, err = f.client.Correct(ctx, paygent.KindCardAuthCorrect, p.GatewayTranID, p.GatewayOrderID, 6000, false)
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, ja(err), "元の金額より多い金額にはできません")
	assert.Contains(t, ja(err), "2013")
	// A reduction to zero as well.
	_, err = f.client.Correct(ctx, paygent.KindCardAuthCorrect, p.GatewayTranID, p.GatewayOrderID, 5000, true)
	assert.Contains(t, ja(err), "2013")
	// Amount limits: 8 digits.
	_, err = f.client.Correct(ctx, paygent.KindCardAuthCorrect, p.GatewayTranID, p.GatewayOrderID, 12_345_678, false)
	assert.Contains(t, ja(err), "項目の桁数が多すぎます")
	assert.Contains(t, ja(err), "P008")
	got, _ := f.sim.Payment(p.GatewayTranID)
	assert.Equal(t, "20", got.Status)
	assert.Equal(t, int64(5000), got.Amount)
}

func TestPartialRefund(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD_PR", 5000, "40", t0, t0)
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 1200})
	require.NoError(t, err)
	assert.Equal(t, backend.StatePartiallyRefunded, v.State)
	assert.Equal(t, backend.Yen(5000), v.AmountCaptured, "the app keeps the original sale")
	assert.Equal(t, backend.Yen(1200), v.AmountRefunded)
	nw, _ := f.sim.Payment(v.NewTranID)
	assert.Equal(t, "40", nw.Status)
	assert.Equal(t, int64(3800), nw.Amount)

	// The app's payment after the engine applied the view.
	p.State, p.GatewayTranID, p.AmountRefunded = backend.StatePartiallyRefunded, v.NewTranID, 1200
	v, err = f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StatePartiallyRefunded, v.State, "3,800 at Paygent = 5,000 sold − 1,200 refunded")
	assert.Equal(t, backend.Yen(1200), v.AmountRefunded)

	// A second partial refund, then the rest is refused (that is 売上取消).
	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 800})
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(2000), v.AmountRefunded)
	p.GatewayTranID, p.AmountRefunded = v.NewTranID, 2000
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 3000})
	assert.Equal(t, backend.EINVALID, code(err))
	assert.Contains(t, ja(err), "売上取消で行ってください")
	// Before sales there is nothing to refund.
	a := f.card(t, "KD_PA", 1000, "20", t0, time.Time{})
	_, err = f.client.Do(ctx, a, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 100})
	assert.Equal(t, backend.ECONFLICT, code(err))
}

// 2010-2012: Paygent made the new payment but did not cancel the old one. The app
// keeps the old (still valid) payment and tells the operator both ids.
func TestCorrectionPartialFailures(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD_PF1", 5000, "20", t0, time.Time{}, "2101")
	_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4000})
	require.Error(t, err)
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, ja(err), "元の決済のオーソリ取消に失敗しました")
	assert.Contains(t, ja(err), "元の決済ID: "+p.GatewayTranID)
	list := f.sim.PaymentsByTrading(merchantID, "KD_PF1")
	require.Len(t, list, 2)
	assert.Equal(t, "20", list[0].Status, "the old authorisation stands")
	assert.Contains(t, ja(err), "新しい決済ID: "+list[1].PaymentID)

	s := f.card(t, "KD_PF3", 5000, "40", t0, t0, "2301")
	_, err = f.client.Do(ctx, s, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 1000})
	assert.Contains(t, ja(err), "二重売上")
	assert.Contains(t, ja(err), "2012")
	list = f.sim.PaymentsByTrading(merchantID, "KD_PF3")
	require.Len(t, list, 2)
	assert.Equal(t, "40", list[0].Status)
	assert.Equal(t, "40", list[1].Status)

	s2 := f.card(t, "KD_PF2", 5000, "40", t0, t0, "2201")
	_, err = f.client.Do(ctx, s2, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 3000})
	assert.Contains(t, ja(err), "2011")
	assert.Contains(t, ja(err), "売上に失敗し")
}

// The card stub: 2002 (nothing applied; unknown to the client, so it inquires) and
// 2008 after the fact (applied).
func TestCardNetworkErrors(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD_N1", 1000, "20", t0, time.Time{}, "2001")
	_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	assert.Equal(t, backend.ClassUnknown, class(err))
	assert.Equal(t, "2002/1C01", gatewayCode(err))
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State, "not applied")

	q := f.card(t, "KD_N2", 1000, "20", t0, time.Time{}, "3101")
	_, err = f.client.Do(ctx, q, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassUnknown, class(err))
	assert.Contains(t, ja(err), "タイムアウト")
	v, err = f.client.Inquire(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State, "applied although the answer said 2008")
}

// --- 予約 (未オーソリ) → オーソリ ---

func TestAuthorizeReservation(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	// The reservation's checkout left a card on the trading (here: a cancelled 1-yen check).
	ref := f.card(t, "KD_RSV", 1, "32", t0, time.Time{})
	p := &backend.Payment{Method: backend.MethodCard, State: backend.StateReserved, GatewayOrderID: "KD_RSV", GatewayTranID: ref.GatewayTranID, AmountAuthorized: 8800}
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateReserved, v.State, "the reference payment is not the reservation's authorisation")

	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpAuthorize, Amount: 8800})
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State)
	require.NotEmpty(t, v.NewTranID)
	nw, _ := f.sim.Payment(v.NewTranID)
	assert.Equal(t, "20", nw.Status)
	assert.Equal(t, int64(8800), nw.Amount)
	assert.Equal(t, "KD_RSV", nw.TradingID)

	// A reservation whose trading has no card at Paygent.
	_, err = f.client.Do(ctx, &backend.Payment{Method: backend.MethodCard, State: backend.StateReserved, GatewayOrderID: "KD_NONE", AmountAuthorized: 100},
		backend.GatewayOp{Kind: backend.OpAuthorize, Amount: 100})
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, ja(err), "参照する取引（参照取引ID）が使えません")
	// Too old (14 months).
	old := f.card(t, "KD_OLD", 1, "32", t0.AddDate(-2, 0, 0), time.Time{})
	_, err = f.client.Do(ctx, &backend.Payment{Method: backend.MethodCard, State: backend.StateReserved, GatewayOrderID: old.GatewayOrderID},
		backend.GatewayOp{Kind: backend.OpAuthorize, Amount: 100})
	assert.Contains(t, ja(err), "2009")
}

// --- the inquiry after a lost answer ---

// A lost 021 answer: the payment reads as cancelled and is the only one of its
// trading: the cancellation is real.
func TestInquireAfterLostCancel(t *testing.T) {
	f := setup(t)
	p := f.card(t, "KD_LC", 1000, "20", t0, time.Time{})
	f.sim.Server.Faults.Next("/n/card/request", 1, faultAfter("truncate"))
	_, err := f.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpVoid})
	assert.Equal(t, backend.ClassUnknown, class(err))
	v, err := f.client.Inquire(context.Background(), p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, v.State)
}

// A lost 028 answer: the old payment reads as cancelled, the trading now has two
// payments and Paygent cannot say which is current → 要確認, never a false 取消.
func TestInquireAfterLostCorrection(t *testing.T) {
	f := setup(t)
	p := f.card(t, "KD_LX", 5000, "20", t0, time.Time{})
	f.sim.Server.Faults.Next("/n/card/request", 1, faultAfter("reset"))
	_, err := f.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4000})
	assert.Equal(t, backend.ClassUnknown, class(err))
	v, err := f.client.Inquire(context.Background(), p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateNeedsReview, v.State)
	assert.Equal(t, "32", v.RawStatus)
	assert.Len(t, f.sim.PaymentsByTrading(merchantID, "KD_LX"), 2)

	// A payment the app already knows as cancelled is not looked at twice.
	q := f.card(t, "KD_LY", 5000, "32", t0, time.Time{})
	n := len(f.sim.Server.Log.Entries())
	v, err = f.client.Inquire(context.Background(), q)
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, v.State)
	assert.Len(t, f.sim.Server.Log.Entries(), n+1)
}

// A corrected payment (its trading has two payments) whose オーソリ取消 answer is lost:
// this client sent the cancel, so the inquiry takes the cancellation as real; another
// client (a restart) cannot tell it from a 補正 and says 要確認.
func TestInquireAfterLostCancelOfACorrectedPayment(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD_CC", 5000, "20", t0, time.Time{})
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4000})
	require.NoError(t, err)
	p.GatewayTranID, p.AmountAuthorized = v.NewTranID, 4000
	f.sim.Server.Faults.Next("/n/card/request", 1, faultAfter("reset"))
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	assert.Equal(t, backend.ClassUnknown, class(err))
	v, err = f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, v.State)

	restarted := f.newClient(t, nil)
	v, err = restarted.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateNeedsReview, v.State)
}

// A payment known by trading_id only: the inquiry finds it and reports its payment_id.
func TestInquireByTradingID(t *testing.T) {
	f := setup(t)
	id, err := f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: "KD_T1", Amount: 3000, Type: paygent.TypeATM, Issued: t0})
	require.NoError(t, err)
	v, err := f.client.Inquire(context.Background(), &backend.Payment{Method: backend.MethodPayEasy, GatewayOrderID: "KD_T1"})
	require.NoError(t, err)
	assert.Equal(t, backend.StateAwaitingDeposit, v.State)
	assert.Equal(t, id, v.NewTranID)
}

func TestUnknownPaymentIsNotFound(t *testing.T) {
	f := setup(t)
	for _, p := range []*backend.Payment{
		{Method: backend.MethodCard, GatewayTranID: "99999999"},
		{Method: backend.MethodKonbini, GatewayOrderID: "NOPE"},
	} {
		v, err := f.client.Inquire(context.Background(), p)
		require.NoError(t, err)
		assert.False(t, v.Found)
	}
	_, err := f.client.Do(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayTranID: "99999999", GatewayOrderID: "NOPE"},
		backend.GatewayOp{Kind: backend.OpVoid})
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, ja(err), "ペイジェントに対象の決済がありません")
	// An operation on another order's payment_id (trading_id cross-check).
	p := f.card(t, "KD_X1", 1000, "20", t0, time.Time{})
	_, err = f.client.Do(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayTranID: p.GatewayTranID, GatewayOrderID: "KD_X2"},
		backend.GatewayOp{Kind: backend.OpVoid})
	assert.Contains(t, ja(err), "2006")
	_, err = f.client.Do(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "KD_X1"}, backend.GatewayOp{Kind: backend.OpVoid})
	assert.Equal(t, backend.EINVALID, code(err), "no payment_id")
}

// --- konbini / ATM (Pay-easy) / bank net ---

func TestDeposits(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	id, err := f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: "KD_CVS", Amount: 3300, Issued: t0})
	require.NoError(t, err)
	p := &backend.Payment{Method: backend.MethodKonbini, GatewayOrderID: "KD_CVS", GatewayTranID: id}
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAwaitingDeposit, v.State)
	assert.Equal(t, "10", v.RawStatus)
	assert.Equal(t, backend.Yen(3300), v.AmountAuthorized)
	assert.Equal(t, time.Date(2026, 11, 17, 23, 59, 59, 0, backend.JST), v.PaymentDeadline.In(backend.JST))

	// 速報 (Seven-Eleven / FamilyMart): paid at the store, not yet cleared → 入金済み.
	f.clock.Set(t0.Add(5 * time.Hour))
	require.NoError(t, f.sim.MarkReported(id))
	v, err = f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateDeposited, v.State)
	assert.Equal(t, "43", v.RawStatus)
	assert.True(t, v.PaidAt.Equal(t0.Add(5*time.Hour)))
	f.clock.Set(t0.AddDate(0, 0, 3))
	require.NoError(t, f.sim.MarkPaid(id))
	v, err = f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, "40", v.RawStatus)
	assert.True(t, v.PaidAt.Equal(t0.AddDate(0, 0, 3)))
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	assert.Equal(t, backend.EUNSUPPORTED, code(err))

	// ATM (Pay-easy) expires when the clock passes the deadline.
	atm, err := f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: "KD_ATM", Amount: 5000, Type: paygent.TypeATM, Issued: t0})
	require.NoError(t, err)
	f.clock.Set(t0.AddDate(0, 0, 8))
	v, err = f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodPayEasy, GatewayTranID: atm})
	require.NoError(t, err)
	assert.Equal(t, backend.StateExpired, v.State)
	assert.Equal(t, "12", v.RawStatus)

	// Bank net: 申込中断 (15) is its expiry; a paid one is 入金済み.
	bn, _ := f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: "KD_BN1", Amount: 1000, Type: paygent.TypeBankNet})
	require.NoError(t, f.sim.MarkExpired(bn))
	v, err = f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodNetBank, GatewayTranID: bn})
	require.NoError(t, err)
	assert.Equal(t, backend.StateExpired, v.State)
	assert.Equal(t, "15", v.RawStatus)
	bp, _ := f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: "KD_BN2", Amount: 1000, Type: paygent.TypeBankNet})
	require.NoError(t, f.sim.MarkPaid(bp))
	v, err = f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodNetBank, GatewayTranID: bp})
	require.NoError(t, err)
	assert.Equal(t, backend.StateDeposited, v.State)

	// 速報取消 (61) needs a person.
	k, _ := f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: "KD_61", Amount: 1000})
	require.NoError(t, f.sim.MarkReported(k))
	require.NoError(t, f.sim.SetStatus(k, "61"))
	v, err = f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodKonbini, GatewayTranID: k})
	require.NoError(t, err)
	assert.Equal(t, backend.StateNeedsReview, v.State)

	// A status the client does not know is an unknown-outcome error, not a guess.
	require.NoError(t, f.sim.SetStatus(k, "99"))
	_, err = f.client.Inquire(ctx, &backend.Payment{Method: backend.MethodKonbini, GatewayTranID: k})
	assert.Equal(t, backend.ClassUnknown, class(err))
	assert.Contains(t, ja(err), "未知の状態「99」")
}

func TestStatusMapping(t *testing.T) {
	cases := []struct {
		ptype, status string
		want          backend.PaymentState
	}{
		{"02", "20", backend.StateAuthorized}, {"02", "40", backend.StateCaptured}, {"02", "41", backend.StateCaptured},
		{"02", "32", backend.StateVoided}, {"02", "33", backend.StateExpired}, {"02", "60", backend.StateRefunded},
		{"02", "30", backend.StateNeedsReview}, {"02", "31", backend.StateNeedsReview}, {"02", "42", backend.StateNeedsReview},
		{"02", "10", backend.StatePending}, {"02", "11", backend.StateNeedsReview},
		// Requests still in progress at the card company: neither done nor not done.
		{"02", "35", backend.StateNeedsReview}, {"02", "55", backend.StateNeedsReview},
		{"03", "10", backend.StateAwaitingDeposit}, {"03", "43", backend.StateDeposited}, {"03", "40", backend.StateDeposited},
		{"03", "12", backend.StateExpired}, {"03", "61", backend.StateNeedsReview}, {"04", "40", backend.StateDeposited},
		{"01", "10", backend.StateAwaitingDeposit}, {"01", "40", backend.StateDeposited}, {"01", "12", backend.StateExpired},
		{"05", "15", backend.StateExpired}, {"05", "40", backend.StateDeposited}, {"07", "16", backend.StateExpired},
	}
	for _, c := range cases {
		got, ok := paygent.StateOf(c.ptype, c.status)
		assert.True(t, ok, "%s/%s", c.ptype, c.status)
		assert.Equal(t, c.want, got, "%s/%s", c.ptype, c.status)
	}
	_, ok := paygent.StateOf("02", "12")
	assert.False(t, ok, "12 is not a card status")
	assert.Equal(t, "速報検知済", paygent.StatusName("43"))
	assert.Equal(t, backend.MethodKonbini, paygent.MethodOf("04"))
	assert.Equal(t, "01", paygent.TypeFor(backend.MethodPayEasy))
}

// --- credentials, secrets, connection test ---

func TestWrongConnectPasswordAndNoSecretInErrors(t *testing.T) {
	f := setup(t)
	p := f.card(t, "KD_P", 1000, "20", t0, time.Time{})
	bad := f.newClient(t, func(c *paygent.Config) { c.ConnectPassword = "wrongPass1" })
	_, err := bad.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ECREDENTIAL, code(err))
	assert.Equal(t, backend.ClassAuthFailed, class(err))
	assert.Contains(t, ja(err), "マーチャントID・接続ID・接続パスワードのいずれかが正しくありません")
	pingErr := bad.Ping(context.Background())
	assert.Error(t, pingErr)
	assert.NoError(t, f.client.Ping(context.Background()))
	for _, e := range []error{err, pingErr} {
		for _, lang := range []string{"ja", "en"} {
			msg := backend.ErrorMessage(e, lang) + e.Error()
			assert.NotContains(t, msg, "wrongPass1")
			assert.NotContains(t, msg, connectPW)
		}
	}
	for _, entry := range f.sim.Server.Log.Entries() {
		assert.Equal(t, "****", entry.Fields["connect_password"], "the simulator log masks the password")
	}
	got, _ := f.sim.Payment(p.GatewayTranID)
	assert.Equal(t, "20", got.Status)
	// A wrong connect ID is the same answer.
	badID := f.newClient(t, func(c *paygent.Config) { c.ConnectID = "other01" })
	assert.Contains(t, ja(badID.Ping(context.Background())), "P002")
}

func TestMaintenanceAndThrottling(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD_M", 1000, "20", t0, time.Time{})
	f.sim.SetMaintenance(true)
	_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassRetryable, class(err))
	assert.Contains(t, ja(err), "メンテナンス中")
	f.sim.SetMaintenance(false)

	f.sim.FailNext(paygent.KindCardCapture, "E002", 1, false)
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassRetryable, class(err))
	assert.Contains(t, ja(err), "流量制限")
	assert.Empty(t, f.sim.Server.Log.CountApplied(paygent.KindCardCapture))

	f.sim.FailNext(paygent.KindCardCapture, "E001", 1, true)
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassUnknown, class(err))
	assert.Equal(t, backend.EUNKNOWN, code(err))
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
}

func TestSimulatorProtocolChecks(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	// The simulator checks formats like the module hosts: payment_id digits only,
	// trading_id letters, digits and "_" only (the field is named in the detail).
	p := f.card(t, "KD_PC", 1000, "20", t0, time.Time{})
	_, err := f.client.Do(ctx, &backend.Payment{Method: backend.MethodCard, GatewayTranID: "12x", GatewayOrderID: p.GatewayOrderID},
		backend.GatewayOp{Kind: backend.OpVoid})
	assert.Contains(t, ja(err), "項目の形式")
	_, err = f.client.Do(ctx, &backend.Payment{Method: backend.MethodCard, GatewayTranID: p.GatewayTranID, GatewayOrderID: "KD-PC"},
		backend.GatewayOp{Kind: backend.OpVoid})
	assert.Contains(t, ja(err), "項目に使えない文字があります", "trading_id allows letters, digits and _ only")
	assert.Contains(t, ja(err), "（詳細: trading_id）")
}

func gatewayCode(err error) string {
	var be *backend.Error
	if errors.As(err, &be) {
		return be.GatewayCode
	}
	return ""
}
