package payment_test

// An answer is not an unknown outcome (issue 12, defect 4). When the gateway refuses
// an operation because of the payment's state there — already captured, already
// cancelled, not possible now — the operation failed, in the gateway's words; the
// engine asks the gateway what the payment is and records a state changed at the
// gateway (its console) as a change made at the gateway, by the system, never as the
// operator's operation. One message never says both "may already be done" and "was
// not done", nor that the answer could not be read.

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/simkit"
)

// assertCoherent: a refusal's message says what the gateway said and what the inquiry
// showed; it never reads as a lost answer or guesses.
func assertCoherent(t *testing.T, msg string) {
	t.Helper()
	assertJapanese(t, msg)
	for _, bad := range []string{"応答を確認できません", "応答を読めません", "可能性", "実行されていないことを確認", "照会して完了を確認"} {
		assert.NotContains(t, msg, bad)
	}
}

func TestCaptureOfAPaymentCapturedInTheConsoleIsRecordedAsTheGatewaysChange(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 4800})
	require.NoError(t, f.sim.SetStatus(p.GatewayOrderID, "SALES")) // 売上 in the GMO console

	res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCapture, Operator: operator})
	require.Error(t, err)
	msg := backend.ErrorMessage(err, "ja")
	assertCoherent(t, msg)
	assert.Contains(t, msg, "ゲートウェイは売上を受け付けませんでした（この取引の今の状態では、その処理は行えません")
	assert.Contains(t, msg, "E01050004", "the gateway's own code")
	assert.Contains(t, msg, "照会したところ、ゲートウェイでは既に「実売上」でした")
	assert.Contains(t, msg, "ご依頼どおり、対応状況を入金済みにしました")
	assert.Equal(t, backend.EGATEWAY, backend.ErrorCode(err), "decided: not an unknown outcome")
	require.Len(t, res.Operations, 1)

	ops := f.ops(p.ID)
	require.Len(t, ops, 2)
	refused, change := ops[0], ops[1]
	assert.Equal(t, backend.OpCapture, refused.Kind)
	assert.Equal(t, backend.OpFailed, refused.State, "the operator's capture was refused")
	assert.Equal(t, operator, refused.Operator)
	assert.Equal(t, backend.StateAuthorized, refused.AfterState)
	assert.Contains(t, refused.GatewayCode, "E01050004")
	assert.Equal(t, msg, refused.Message)
	assert.Equal(t, backend.OpSyncFix, change.Kind)
	assert.Equal(t, payment.IntentGatewayChange, change.Intent)
	assert.Equal(t, backend.ActorSync, change.Operator, "by the system, not the operator")
	assert.Equal(t, backend.OpSucceeded, change.State)
	assert.Equal(t, backend.StateAuthorized, change.BeforeState)
	assert.Equal(t, backend.StateCaptured, change.AfterState)
	assert.Contains(t, change.Message, "ゲートウェイで変更済み: 「仮売上」→「実売上」")
	assert.True(t, strings.HasPrefix(change.MessageEn, "Changed at the gateway: Authorised → Captured (found by inquiry after the gateway refused the Capture "), change.MessageEn)
	assert.Contains(t, change.MessageEn, ". The order is set to Paid as "+operator+" asked")

	got := f.payment(p.ID)
	assert.Equal(t, backend.StateCaptured, got.State)
	assert.Equal(t, backend.Yen(4800), got.AmountCaptured)
	assert.Equal(t, "SALES", got.RawStatus)
	assert.Equal(t, backend.OrderPaid, f.orderStatus(p), "what the operator asked for")
	ev, err := f.db.OrderEvents(f.ctx, p.OrderID)
	require.NoError(t, err)
	require.NotEmpty(t, ev)
	assert.Equal(t, operator, ev[len(ev)-1].Actor, "the 対応状況 change is the operator's")
	assert.Empty(t, f.sim.Server.Log.CountApplied("SALES"), "no sale of ours")

	// Again: already captured here too, nothing is sent.
	n := len(f.calls(nil))
	_, err = f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: operator})
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Len(t, f.calls(nil), n)
}

// A cancel the gateway refuses with E11010003 because our processing date was stale:
// nothing changed at the gateway, so nothing is recorded but the gateway's dates, and
// the message says what pressing again will send — which then succeeds.
func TestRefusedCancelKeepsTheGatewaysDateAndSaysWhatToDoNext(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 5000, status: "SALES", authAt: t0.AddDate(0, 0, -5), salesAt: t0.Add(-time.Hour)})
	p.ProcessedAt = t0.AddDate(0, 0, -5) // stale: the sale of this morning is not known here
	require.NoError(t, f.db.SavePayment(f.ctx, p))

	_, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
	require.Error(t, err)
	msg := backend.ErrorMessage(err, "ja")
	assertCoherent(t, msg)
	assert.Contains(t, msg, "ゲートウェイは返品を受け付けませんでした（この取引の今の状態では、その処理は行えません")
	assert.Contains(t, msg, "E11010003")
	assert.Contains(t, msg, "ゲートウェイでも「実売上」のままです")
	assert.Contains(t, msg, "もう一度「キャンセル」を押すと、照会したゲートウェイの日付で選び直します")
	assert.Contains(t, msg, "「取消」を送ります")
	ops := f.ops(p.ID)
	require.Len(t, ops, 1, "no change at the gateway to record")
	assert.Equal(t, backend.OpFailed, ops[0].State)
	got := f.payment(p.ID)
	assert.Equal(t, backend.StateCaptured, got.State)
	assert.True(t, backend.SameDayJST(got.ProcessedAt, t0), "the gateway's processing date is kept: %v", got.ProcessedAt)

	res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, backend.OpVoid, res.Operation().Kind)
	assert.Equal(t, "VOID", f.trade(p).Status)
	assert.Equal(t, backend.OrderCancelled, f.orderStatus(p))
}

// The amount was changed in the console this morning (a new authorisation: its
// processing date moves): our RETURN is refused, the inquiry shows the new amount,
// which is recorded as the gateway's change; the next キャンセル is the VOID of today.
func TestConsoleAmountChangeFoundAfterARefusedCancel(t *testing.T) {
	f := newFixture(t)
	yesterday := t0.AddDate(0, 0, -1)
	p := f.card(cardSpec{amount: 3000, authAt: yesterday})
	p.ProcessedAt = yesterday
	require.NoError(t, f.db.SavePayment(f.ctx, p))
	// The console's 金額変更 is a ChangeTran of 2,500 this morning, behind the app's back.
	_, err := f.directClient().ChangeTran(f.ctx, p.GatewayTranID, p.GatewayTranPass, "AUTH", 2500, 0)
	require.NoError(t, err)

	_, err = f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
	require.Error(t, err)
	msg := backend.ErrorMessage(err, "ja")
	assertCoherent(t, msg)
	assert.Contains(t, msg, "ゲートウェイでは金額が 3,000円 から 2,500円 に変わっていました")
	assert.Contains(t, msg, "「取消」を送ります")
	ops := f.ops(p.ID)
	require.Len(t, ops, 2)
	assert.Equal(t, backend.OpFailed, ops[0].State)
	assert.Equal(t, backend.OpSyncFix, ops[1].Kind)
	assert.Contains(t, ops[1].Message, "金額 3,000円 → 2,500円")
	got := f.payment(p.ID)
	assert.Equal(t, backend.StateAuthorized, got.State)
	assert.Equal(t, backend.Yen(2500), got.AmountAuthorized)
	assert.Equal(t, backend.OrderNew, f.orderStatus(p), "not what the operator asked: unchanged")

	res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, backend.OpVoid, res.Operation().Kind)
	assert.Equal(t, "VOID", f.trade(p).Status)
}

// A refusal whose inquiry cannot be made: the operation failed (the answer proves it),
// the payment is not locked and nothing else is recorded.
func TestRefusalWhoseInquiryFailsRecordsOnlyTheRefusal(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 2600})
	require.NoError(t, f.sim.SetStatus(p.GatewayOrderID, "VOID")) // 取消 in the console
	f.sim.Server.Faults.Next("SearchTrade", 1, simkit.Fault{Kind: simkit.Fault500})

	_, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: operator})
	require.Error(t, err)
	msg := backend.ErrorMessage(err, "ja")
	assertCoherent(t, msg)
	assert.Contains(t, msg, "今の状態を照会できなかったため、決済状態は変えていません")
	ops := f.ops(p.ID)
	require.Len(t, ops, 1)
	assert.Equal(t, backend.OpFailed, ops[0].State, "an answer: not unknown, not locked")
	assert.Equal(t, backend.StateAuthorized, f.payment(p.ID).State)
}

// SBPS: a sale refused because the authorisation was cancelled in SBPS's console
// (error type 40). The release is recorded as SBPS's change; the order is not
// cancelled (a sale was asked for), and the message says to stop the shipment.
func TestSBPSCaptureOfAnAuthorisationCancelledInTheConsole(t *testing.T) {
	f := newSBPSFixture(t)
	p := f.card(3900, time.Time{})
	require.NoError(t, f.sim.SetStatus(p.GatewayTranID, sbps.StatusVoided)) // 与信取消 in the console

	_, err := f.run(p, payment.IntentCapture, payment.Params{})
	require.Error(t, err)
	msg := backend.ErrorMessage(err, "ja")
	assertCoherent(t, msg)
	assert.Contains(t, msg, "与信取消済みのため、売上処理を中止しました")
	assert.Contains(t, msg, "ゲートウェイでは既に「取消」でした")
	assert.Contains(t, msg, "出荷前なら出荷を止めてください")
	ops, err := f.db.OperationsByPayment(f.ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, ops, 2)
	assert.Equal(t, backend.OpFailed, ops[0].State)
	assert.Equal(t, backend.OpSyncFix, ops[1].Kind)
	assert.Equal(t, backend.StateVoided, ops[1].AfterState)
	assert.Equal(t, backend.OrderNew, f.order(p).Status)
	assert.Zero(t, f.sim.Server.Log.CountApplied("capture")[p.GatewayTranID])
}

// Paygent: a キャンセル of an authorisation already cancelled in Paygent's console is
// refused with 2004; the cancel is what the operator asked, so the order follows.
func TestPaygentCancelOfAnAuthorisationCancelledInTheConsole(t *testing.T) {
	f := newPaygentFixture(t)
	p := f.card(6100, "20", t0.Add(-time.Hour), time.Time{})
	require.NoError(t, f.sim.SetStatus(p.GatewayTranID, "32")) // オーソリ取消 in the console

	_, err := f.run(p, payment.IntentCancel, payment.Params{})
	require.Error(t, err)
	msg := backend.ErrorMessage(err, "ja")
	assertCoherent(t, msg)
	assert.Contains(t, msg, "2004")
	assert.Contains(t, msg, "ゲートウェイでは既に「取消」でした")
	assert.Contains(t, msg, "ご依頼どおり、対応状況をキャンセルにし、商品をキャンセル在庫（未対応）に追加しました")
	ops, err := f.db.OperationsByPayment(f.ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, ops, 2)
	assert.Equal(t, backend.OpVoid, ops[0].Kind)
	assert.Equal(t, backend.OpFailed, ops[0].State)
	assert.Equal(t, backend.ActorSync, ops[1].Operator)
	assert.Equal(t, backend.StateVoided, ops[1].AfterState)
	o, err := f.db.OrderByID(f.ctx, p.OrderID)
	require.NoError(t, err)
	assert.Equal(t, backend.OrderCancelled, o.Status)
}

// The answer to a capture is lost, and the inquiry shows a sale — made in the console
// yesterday, as GMO's ProcessDate tells: not this request's doing. The capture is
// recorded as not carried out and the sale as the gateway's change, not as ours.
func TestLostAnswerAndASaleDatedBeforeTheRequestIsNotOurs(t *testing.T) {
	f := newFixture(t)
	f.setNow(t0.AddDate(0, 0, -1))
	p := f.card(cardSpec{amount: 3100, authAt: t0.AddDate(0, 0, -2)})
	require.NoError(t, f.sim.SetStatus(p.GatewayOrderID, "SALES")) // 売上 in the console, yesterday
	f.setNow(t0)
	f.sim.Server.Faults.Next("AlterTran", 1, simkit.Fault{Kind: simkit.FaultReset, After: true})

	_, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: operator})
	require.Error(t, err)
	msg := backend.ErrorMessage(err, "ja")
	assertJapanese(t, msg)
	assert.NotContains(t, msg, "可能性")
	assert.NotContains(t, msg, "照会して完了を確認")
	assert.Contains(t, msg, "売上の応答を確認できませんでした")
	assert.Contains(t, msg, "ゲートウェイの最後の処理（2026/11/09 10:00）はこの操作の送信より前のため、この操作は実行されていません")
	assert.Contains(t, msg, "ゲートウェイでは既に「実売上」でした")
	ops := f.ops(p.ID)
	require.Len(t, ops, 2)
	assert.Equal(t, backend.OpFailed, ops[0].State)
	assert.Equal(t, backend.OpSyncFix, ops[1].Kind)
	assert.Equal(t, backend.ActorSync, ops[1].Operator)
	assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State)
	assert.Equal(t, backend.OrderPaid, f.orderStatus(p), "what the operator asked for")

	// A sale of this very request, its answer lost, is still ours.
	q := f.card(cardSpec{amount: 2200})
	f.sim.Server.Faults.Next("AlterTran", 1, simkit.Fault{Kind: simkit.FaultReset, After: true})
	res, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: q.ID, Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, backend.OpSucceeded, res.Operation().State)
	assert.Contains(t, res.Operation().Message, "照会して完了を確認しました")
	assert.Len(t, f.ops(q.ID), 1)
}
