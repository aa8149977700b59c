package payment_test

// Behaviour tests of the operations engine against the GMO-PG simulator over HTTP on
// 127.0.0.1, through the real gateway factory, client and SQLite store (see
// helpers_test.go). What the gateway did is read from the simulator's own records
// and request log, never from the engine.

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
)

// --- 売上 ---

func TestCaptureMakesTheSaleAndTheOrderPaid(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 5775})

	pv, err := f.eng.Preview(f.ctx, p.ID, payment.IntentCapture, payment.Params{})
	require.NoError(t, err)
	require.Len(t, pv.Steps, 1)
	assert.Equal(t, backend.OpCapture, pv.Steps[0].Kind)
	assert.Equal(t, backend.Yen(5775), pv.Steps[0].Amount)
	assert.Equal(t, backend.OrderPaid, pv.NewStatus)
	assert.Empty(t, f.calls(nil), "a preview sends nothing")

	f.setNow(t0.Add(2 * time.Hour))
	res, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, IdempotencyKey: "cap-1", Operator: operator})
	require.NoError(t, err)
	assert.Contains(t, res.Message, "売上処理が完了しました")
	assert.Contains(t, res.Message, "入金済み")
	assert.Equal(t, "Captured. The order is set to paid", res.MessageEn)
	assert.Equal(t, "Captured. The order is set to paid", res.Operation().MessageEn, "the journal has it in English too")

	got := f.payment(p.ID)
	assert.Equal(t, backend.StateCaptured, got.State)
	assert.Equal(t, backend.Yen(5775), got.AmountCaptured)
	assert.Equal(t, "SALES", got.RawStatus)
	assert.True(t, got.CapturedAt.Equal(t0.Add(2*time.Hour)), "captured at the gateway's TranDate: %v", got.CapturedAt)
	assert.Equal(t, backend.OrderPaid, f.orderStatus(p), "対応状況 → 入金済み in the same action")

	ops := f.ops(p.ID)
	require.Len(t, ops, 1, "one journal entry")
	op := ops[0]
	assert.Equal(t, backend.OpSucceeded, op.State)
	assert.Equal(t, backend.OpCapture, op.Kind)
	assert.Equal(t, "capture", op.Intent)
	assert.Equal(t, backend.Yen(5775), op.Amount)
	assert.Equal(t, "cap-1", op.IdempotencyKey)
	assert.Equal(t, operator, op.Operator)
	assert.Equal(t, backend.StateAuthorized, op.BeforeState)
	assert.Equal(t, backend.StateCaptured, op.AfterState)
	assert.Equal(t, res.Operation().ID, op.ID)

	assert.Equal(t, "SALES", f.trade(p).Status, "the gateway's own record")
	assert.Equal(t, []string{"AlterTran:SALES"}, f.calls(p), "one request, no inquiry needed")
	entries := f.sim.Server.Log.Entries()
	assert.Equal(t, "5775", entries[0].Fields["Amount"])
	assert.Equal(t, 1, f.sim.Server.Log.CountApplied("SALES")[p.GatewayOrderID])

	// A second 売上 of the now captured payment is refused before anything is sent.
	_, err = f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: operator})
	require.Error(t, err)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "既に実売上")
	assert.Len(t, f.calls(nil), 1)
	assert.Len(t, f.ops(p.ID), 1)
}

// --- キャンセル ---

func TestCancelChoosesTheOperationByJSTDates(t *testing.T) {
	cases := []struct {
		name    string
		status  string // at the gateway
		authAt  time.Time
		salesAt time.Time
		now     time.Time
		kind    backend.OpKind
		job     string
		state   backend.PaymentState
	}{
		{name: "same JST day, different UTC days: 取消 (VOID)", status: "AUTH",
			authAt: jst(2026, 11, 11, 0, 10), now: jst(2026, 11, 11, 23, 50),
			kind: backend.OpVoid, job: "VOID", state: backend.StateVoided},
		{name: "captured, same day: 取消 (VOID)", status: "SALES",
			authAt: t0, salesAt: t0.Add(time.Hour), now: t0.Add(3 * time.Hour),
			kind: backend.OpVoid, job: "VOID", state: backend.StateVoided},
		{name: "authorised before JST midnight, cancelled after (same UTC day): 返品 (RETURN)", status: "AUTH",
			authAt: jst(2026, 11, 10, 23, 30), now: jst(2026, 11, 11, 0, 10),
			kind: backend.OpReturn, job: "RETURN", state: backend.StateRefunded},
		{name: "captured, a later day of the same month: 返品 (RETURN)", status: "SALES",
			authAt: t0, salesAt: t0.Add(time.Hour), now: jst(2026, 11, 30, 18, 0),
			kind: backend.OpReturn, job: "RETURN", state: backend.StateRefunded},
		{name: "captured, a later month: 月跨返品 (RETURNX)", status: "SALES",
			authAt: t0, salesAt: t0.Add(time.Hour), now: jst(2027, 1, 15, 9, 0),
			kind: backend.OpReturnX, job: "RETURNX", state: backend.StateRefunded},
		{name: "captured 30 Nov late, cancelled 1 Dec morning (same UTC month): 月跨返品 (RETURNX)", status: "SALES",
			authAt: jst(2026, 11, 30, 22, 0), salesAt: jst(2026, 11, 30, 23, 0), now: jst(2026, 12, 1, 8, 0),
			kind: backend.OpReturnX, job: "RETURNX", state: backend.StateRefunded},
		// The sale moves the latest processing date: an authorisation of yesterday
		// captured today is cancelled with VOID today (GMO's own module, gmo-mulpay.md §4).
		{name: "authorised yesterday, captured today: 取消 (VOID)", status: "SALES",
			authAt: t0.Add(-24 * time.Hour), salesAt: t0, now: t0.Add(2 * time.Hour),
			kind: backend.OpVoid, job: "VOID", state: backend.StateVoided},
		{name: "captured last month, cancelled this month on the sale's month boundary: 月跨返品 (RETURNX)", status: "SALES",
			authAt: jst(2026, 10, 25, 9, 0), salesAt: jst(2026, 10, 31, 9, 0), now: jst(2026, 11, 1, 9, 0),
			kind: backend.OpReturnX, job: "RETURNX", state: backend.StateRefunded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.setNow(c.authAt)
			p := f.card(cardSpec{amount: 8800, status: c.status, authAt: c.authAt, salesAt: c.salesAt})
			f.setNow(c.now)

			pv, err := f.eng.Preview(f.ctx, p.ID, payment.IntentCancel, payment.Params{})
			require.NoError(t, err)
			require.Len(t, pv.Steps, 1)
			assert.Equal(t, c.kind, pv.Steps[0].Kind)
			assert.Equal(t, backend.OrderCancelled, pv.NewStatus)
			assertJapanese(t, pv.Reason)

			res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
			require.NoError(t, err)
			assert.Contains(t, res.Message, c.kind.Label()+"が完了しました")
			assert.Contains(t, res.Message, "キャンセル在庫")

			// The payment was recorded without the gateway's processing date: the engine
			// asked once (SearchTrade, at the preview) and kept it; then one cancel.
			assert.Equal(t, []string{"SearchTrade", "AlterTran:" + c.job}, f.calls(p), "one inquiry, then exactly one request with the chosen JobCd")
			assert.Equal(t, 1, f.sim.Server.Log.CountApplied(c.job)[p.GatewayOrderID])
			assert.Equal(t, c.job, f.trade(p).Status)

			got := f.payment(p.ID)
			assert.Equal(t, c.state, got.State)
			if c.state == backend.StateRefunded && c.status == "SALES" {
				assert.Equal(t, backend.Yen(8800), got.AmountRefunded)
			}
			assert.Equal(t, backend.OrderCancelled, f.orderStatus(p))
			o, err := f.db.OrderByID(f.ctx, p.OrderID)
			require.NoError(t, err)
			assert.ElementsMatch(t, []string{"TS-" + o.OrderNo, "SK-" + o.OrderNo}, f.cancelStock(p.OrderID), "both lines on the キャンセル在庫 list")

			ops := f.ops(p.ID)
			require.Len(t, ops, 1)
			assert.Equal(t, backend.OpSucceeded, ops[0].State)
			assert.Equal(t, c.kind, ops[0].Kind)
			assert.Equal(t, pv.Steps[0].Reason, ops[0].Reason, "the journal keeps why this operation was chosen")

			// Cancelling again is refused without a request.
			_, err = f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
			assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
			assert.Len(t, f.calls(nil), 2)
		})
	}
}

func TestCancelPastTheWindowRecordsAManualRefund(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 12000, status: "SALES", authAt: t0, salesAt: t0})
	f.setNow(t0.AddDate(0, 0, 181))

	pv, err := f.eng.Preview(f.ctx, p.ID, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	assert.True(t, pv.OrderOnly)
	assert.Empty(t, pv.Steps)
	assert.Equal(t, backend.Yen(12000), pv.ManualRefund)
	assert.Contains(t, pv.Reason, "180日")

	res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, IdempotencyKey: "old-1", Operator: operator})
	require.NoError(t, err)
	assert.Empty(t, res.Operations)
	assert.Contains(t, res.Message, "要返金(口座)")
	assert.Contains(t, res.Message, "12,000円")
	assert.Contains(t, res.MessageEn, "Refund ¥12,000 to the customer's bank account")

	// "Nothing to send" rests on the gateway's answer: it was asked (SearchTrade: still
	// SALES, last processed 181 days ago), and nothing that changes money was sent.
	assert.Contains(t, f.calls(nil), "SearchTrade", "the decision rests on the gateway's current answer")
	assert.Empty(t, mutating(f.calls(nil)), "nothing is sent to the gateway")
	assert.Empty(t, f.ops(p.ID), "and nothing is journalled as sent")
	assert.Equal(t, "SALES", f.trade(p).Status)
	assert.Equal(t, backend.OrderCancelled, f.orderStatus(p))
	assert.Len(t, f.cancelStock(p.OrderID), 2)

	tasks, err := f.db.RefundTasks(f.ctx, "open")
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	assert.Equal(t, p.ID, tasks[0].PaymentID)
	assert.Equal(t, p.OrderID, tasks[0].OrderID)
	assert.Equal(t, backend.Yen(12000), tasks[0].Amount)
	assert.Equal(t, operator, tasks[0].Operator)
	assert.Contains(t, tasks[0].Reason, "180日")
	assert.Contains(t, tasks[0].ReasonEn, "180 days", "the reason in English for an English window")

	// A second キャンセル (double click, or the button pressed again later) must not
	// record a second refund of the same money.
	_, err = f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, IdempotencyKey: "old-2", Operator: operator})
	require.Error(t, err)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assertJapanese(t, backend.ErrorMessage(err, "ja"))
	tasks, err = f.db.RefundTasks(f.ctx, "")
	require.NoError(t, err)
	assert.Len(t, tasks, 1, "one 要返金(口座) per payment")
	assert.Empty(t, mutating(f.calls(nil)))
}

// mutating keeps the requests that can change money (not the inquiries).
func mutating(calls []string) []string {
	var out []string
	for _, c := range calls {
		if !strings.HasPrefix(c, "SearchTrade") && !strings.HasPrefix(c, "/n/ref/") && !strings.HasPrefix(c, "MG01") {
			out = append(out, c)
		}
	}
	return out
}

// --- 金額変更 ---

func TestChangeAmount(t *testing.T) {
	t.Run("仮売上 stays 仮売上 with the new amount", func(t *testing.T) {
		f := newFixture(t)
		p := f.card(cardSpec{amount: 5000})
		f.setNow(t0.Add(24 * time.Hour))
		pv, err := f.eng.Preview(f.ctx, p.ID, payment.IntentChangeAmount, payment.Params{Amount: 4200})
		require.NoError(t, err)
		require.Len(t, pv.Steps, 1)
		assert.Equal(t, backend.OpChangeAmount, pv.Steps[0].Kind)
		assert.Empty(t, pv.NewStatus, "対応状況 unchanged")

		res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentChangeAmount, Params: payment.Params{Amount: 4200}, Operator: operator})
		require.NoError(t, err)
		assert.Contains(t, res.Message, "金額変更が完了しました")
		assert.Equal(t, []string{"ChangeTran:AUTH"}, f.calls(p))
		assert.Equal(t, "4200", f.sim.Server.Log.Entries()[0].Fields["Amount"])
		tr := f.trade(p)
		assert.Equal(t, "AUTH", tr.Status)
		assert.Equal(t, int64(4200), tr.Amount)

		got := f.payment(p.ID)
		assert.Equal(t, backend.StateAuthorized, got.State)
		assert.Equal(t, backend.Yen(4200), got.AmountAuthorized)
		assert.Zero(t, got.AmountCaptured)
		assert.Equal(t, backend.OrderNew, f.orderStatus(p))
		ops := f.ops(p.ID)
		require.Len(t, ops, 1)
		assert.Equal(t, backend.OpSucceeded, ops[0].State)
		assert.Equal(t, backend.Yen(4200), ops[0].Amount)
		assert.False(t, ops[0].CaptureNow)

		// The stored amount matches the gateway's: the 売上 that follows is accepted.
		_, err = f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: operator})
		require.NoError(t, err)
		assert.Equal(t, []string{"ChangeTran:AUTH", "AlterTran:SALES"}, f.calls(p))
		assert.Equal(t, "4200", f.sim.Server.Log.Entries()[1].Fields["Amount"])
		assert.Equal(t, backend.Yen(4200), f.payment(p.ID).AmountCaptured)
	})

	t.Run("with 即時売上 the payment is captured and the order paid", func(t *testing.T) {
		f := newFixture(t)
		p := f.card(cardSpec{amount: 5000})
		res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentChangeAmount,
			Params: payment.Params{Amount: 6400, CaptureNow: true}, Operator: operator})
		require.NoError(t, err)
		assert.Contains(t, res.Message, "金額変更と売上が完了しました")
		assert.Equal(t, []string{"ChangeTran:CAPTURE"}, f.calls(p))
		tr := f.trade(p)
		assert.Equal(t, "CAPTURE", tr.Status)
		assert.Equal(t, int64(6400), tr.Amount)

		got := f.payment(p.ID)
		assert.Equal(t, backend.StateCaptured, got.State)
		assert.Equal(t, backend.Yen(6400), got.AmountAuthorized)
		assert.Equal(t, backend.Yen(6400), got.AmountCaptured)
		assert.False(t, got.CapturedAt.IsZero())
		assert.Equal(t, backend.OrderPaid, f.orderStatus(p))
		ops := f.ops(p.ID)
		require.Len(t, ops, 1)
		assert.True(t, ops[0].CaptureNow)
		assert.Equal(t, backend.StateCaptured, ops[0].AfterState)
	})

	t.Run("a bad amount is refused in Japanese and nothing is sent", func(t *testing.T) {
		f := newFixture(t)
		p := f.card(cardSpec{amount: 5000})
		for _, c := range []struct {
			amount backend.Yen
			want   string
		}{
			{0, "1円以上"},
			{-500, "1円以上"},
			{10_000_000, "上限"},
			{5000, "現在の金額と同じ"},
		} {
			for _, captureNow := range []bool{false, true} {
				_, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentChangeAmount,
					Params: payment.Params{Amount: c.amount, CaptureNow: captureNow}, Operator: operator})
				require.Error(t, err, c.amount)
				assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), c.amount)
				msg := backend.ErrorMessage(err, "ja")
				assert.Contains(t, msg, c.want)
				assertJapanese(t, msg)
				_, err = f.eng.Preview(f.ctx, p.ID, payment.IntentChangeAmount, payment.Params{Amount: c.amount})
				assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), "the preview refuses it too")
			}
		}
		assert.Empty(t, f.calls(nil), "the simulator received nothing")
		assert.Empty(t, f.ops(p.ID), "the journal is unchanged")
		got := f.payment(p.ID)
		assert.Equal(t, backend.StateAuthorized, got.State)
		assert.Equal(t, backend.Yen(5000), got.AmountAuthorized)
		assert.Equal(t, int64(5000), f.trade(p).Amount)
	})
}

// --- exactly once ---

func TestAnUnreadableAnswerAfterTheSaleIsResolvedByInquiry(t *testing.T) {
	kinds := []simkit.FaultKind{simkit.FaultGarble, simkit.FaultTruncate, simkit.Fault500, simkit.Fault503,
		simkit.FaultReset, simkit.FaultWrongField, simkit.FaultTimeout}
	for _, kind := range kinds {
		t.Run(string(kind), func(t *testing.T) {
			timeout := 5 * time.Second
			if kind == simkit.FaultTimeout {
				timeout = 700 * time.Millisecond // the client gives up quickly
			}
			f := newFixtureTimeout(t, timeout)
			p := f.card(cardSpec{amount: 3300})
			f.sim.Server.Faults.Next("AlterTran", 1, simkit.Fault{Kind: kind, After: true})

			res, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, IdempotencyKey: "k-" + string(kind), Operator: operator})
			require.NoError(t, err, "the inquiry proves the sale")
			assert.Contains(t, res.Message, "照会して完了を確認しました")

			assert.Equal(t, []string{"AlterTran:SALES", "SearchTrade"}, f.calls(p), "one sale, then one inquiry — never a second sale")
			assert.Empty(t, f.sim.Server.Log.Duplicates("SALES"))
			assert.Equal(t, 1, f.sim.Server.Log.CountApplied("SALES")[p.GatewayOrderID])

			ops := f.ops(p.ID)
			require.Len(t, ops, 1)
			assert.Equal(t, backend.OpSucceeded, ops[0].State)
			got := f.payment(p.ID)
			assert.Equal(t, backend.StateCaptured, got.State)
			assert.Equal(t, backend.Yen(3300), got.AmountCaptured)
			assert.Equal(t, backend.OrderPaid, f.orderStatus(p))
		})
	}
}

func TestAChangeWhoseAnswerIsLostIsResolvedByItsAmount(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 5000})
	f.sim.Server.Faults.Next("ChangeTran", 1, simkit.Fault{Kind: simkit.FaultGarble, After: true})
	_, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentChangeAmount, Params: payment.Params{Amount: 4500}, Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, []string{"ChangeTran:AUTH", "SearchTrade"}, f.calls(p))
	assert.Equal(t, 1, f.sim.Server.Log.CountApplied("CHANGE")[p.GatewayOrderID])
	assert.Equal(t, backend.Yen(4500), f.payment(p.ID).AmountAuthorized)
	assert.Equal(t, backend.OpSucceeded, f.ops(p.ID)[0].State)
}

func TestAFaultBeforeTheLogicFailsAndARetrySellsOnce(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 4400})
	f.sim.Server.Faults.Next("AlterTran", 1, simkit.Fault{Kind: simkit.Fault503})

	_, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, IdempotencyKey: "try-1", Operator: operator})
	require.Error(t, err)
	msg := backend.ErrorMessage(err, "ja")
	assert.Contains(t, msg, "実行されていないことを確認しました")
	assertJapanese(t, msg)
	assert.Contains(t, backend.ErrorMessage(err, "en"), "the gateway's inquiry confirmed it was not done", "the note in English too")
	assert.NotEqual(t, backend.EUNKNOWN, backend.ErrorCode(err), "the inquiry decided it: the outcome is known, not unknown")

	assert.Empty(t, f.sim.Server.Log.CountApplied("SALES"), "nothing was applied")
	assert.Equal(t, "AUTH", f.trade(p).Status)
	ops := f.ops(p.ID)
	require.Len(t, ops, 1)
	assert.Equal(t, backend.OpFailed, ops[0].State)
	assert.Contains(t, ops[0].Message, "実行されていませんでした")
	assert.Contains(t, ops[0].MessageEn, "The gateway's inquiry shows the Capture was not done", "the journal (stored) has the reason in English")
	assert.NotRegexp(t, `[\p{Hiragana}\p{Katakana}\p{Han}]`, ops[0].MessageEn)
	assert.Equal(t, "HTTP 503", ops[0].GatewayCode)
	got := f.payment(p.ID)
	assert.Equal(t, backend.StateAuthorized, got.State)
	assert.Equal(t, backend.OrderNew, f.orderStatus(p), "対応状況 unchanged")
	assert.Contains(t, payment.Actions(got, f.clock.Now()), string(payment.IntentCapture), "the operator can try again")

	// The retry (a new dialog, a new key) sells once.
	_, err = f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, IdempotencyKey: "try-2", Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, []string{"AlterTran", "SearchTrade", "AlterTran:SALES"}, f.calls(p))
	assert.Equal(t, 1, f.sim.Server.Log.CountApplied("SALES")[p.GatewayOrderID])
	assert.Empty(t, f.sim.Server.Log.Duplicates("SALES"))
	ops = f.ops(p.ID)
	require.Len(t, ops, 2)
	assert.Equal(t, []backend.OpState{backend.OpFailed, backend.OpSucceeded}, []backend.OpState{ops[0].State, ops[1].State})
	assert.Equal(t, backend.OrderPaid, f.orderStatus(p))
}

func TestTheSameIdempotencyKeyIsRefusedWithoutSending(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 2980})
	_, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, IdempotencyKey: "dialog-1", Operator: operator})
	require.NoError(t, err)
	require.Len(t, f.calls(nil), 1)

	// The same key again: the journal refuses it even for an intent that could run now.
	for _, in := range []payment.Intent{payment.IntentCapture, payment.IntentCancel} {
		_, err = f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: in, IdempotencyKey: "dialog-1", Operator: operator})
		require.Error(t, err, in)
		assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err), in)
		assertJapanese(t, backend.ErrorMessage(err, "ja"))
	}
	_, err = f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, IdempotencyKey: "dialog-1", Operator: operator})
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "既に実行されています")
	assert.Len(t, f.calls(nil), 1, "nothing more was sent")
	assert.Len(t, f.ops(p.ID), 1, "nothing more was journalled")
	assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State)
	assert.Equal(t, "SALES", f.trade(p).Status)
}

func TestADoubleClickSendsOnce(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 2980})
	f.sim.Server.SetLatency(50 * time.Millisecond) // the first request is still on the wire
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, IdempotencyKey: "same-dialog", Operator: operator})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		assert.Contains(t, []string{backend.EBUSY, backend.ECONFLICT}, backend.ErrorCode(err), backend.ErrorMessage(err, "ja"))
	}
	assert.Equal(t, 1, ok)
	assert.Equal(t, []string{"AlterTran:SALES"}, f.calls(p))
	assert.Len(t, f.ops(p.ID), 1)
}

func TestAnUnknownOutcomeLocksThePaymentUntilResolved(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 7700})
	// The sale is applied but its answer is lost, and the inquiry fails too.
	f.sim.Server.Faults.Next("AlterTran", 1, simkit.Fault{Kind: simkit.FaultReset, After: true})
	f.sim.Server.Faults.Next("SearchTrade", 1, simkit.Fault{Kind: simkit.Fault500})

	_, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: operator})
	require.Error(t, err)
	assert.Equal(t, backend.EUNKNOWN, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "この決済への操作を止めています")
	ops := f.ops(p.ID)
	require.Len(t, ops, 1)
	assert.Equal(t, backend.OpUnknown, ops[0].State)
	assert.Equal(t, backend.StateAuthorized, f.payment(p.ID).State, "nothing is assumed")
	assert.Equal(t, backend.OrderNew, f.orderStatus(p))
	assert.Equal(t, 1, f.sim.Server.Log.CountApplied("SALES")[p.GatewayOrderID], "the money did move")

	// Anything else on this payment is refused without a request.
	sent := len(f.calls(nil))
	for _, req := range []payment.Request{
		{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator},
		{PaymentID: p.ID, Intent: payment.IntentCapture, Operator: operator},
		{PaymentID: p.ID, Intent: payment.IntentChangeAmount, Params: payment.Params{Amount: 7000}, Operator: operator},
	} {
		_, err := f.eng.Run(f.ctx, req)
		require.Error(t, err, req.Intent)
		assert.Equal(t, backend.EBUSY, backend.ErrorCode(err), req.Intent)
		assertJapanese(t, backend.ErrorMessage(err, "ja"))
	}
	assert.Len(t, f.calls(nil), sent, "nothing was sent while the outcome is unknown")
	assert.Len(t, f.ops(p.ID), 1)

	// The gateway still cannot answer: it stays unresolved.
	f.sim.Server.Faults.Next("SearchTrade", 1, simkit.Fault{Kind: simkit.Fault503})
	remaining, err := f.eng.ResolveUnresolved(f.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, remaining)
	assert.Equal(t, backend.OpUnknown, f.ops(p.ID)[0].State)

	// Now it answers: the sale is confirmed and the order becomes 入金済み.
	remaining, err = f.eng.ResolveUnresolved(f.ctx)
	require.NoError(t, err)
	assert.Zero(t, remaining)
	op := f.ops(p.ID)[0]
	assert.Equal(t, backend.OpSucceeded, op.State)
	assert.Equal(t, backend.StateCaptured, op.AfterState)
	got := f.payment(p.ID)
	assert.Equal(t, backend.StateCaptured, got.State)
	assert.Equal(t, backend.Yen(7700), got.AmountCaptured)
	assert.Equal(t, backend.OrderPaid, f.orderStatus(p))
	assert.Equal(t, 1, f.sim.Server.Log.CountApplied("SALES")[p.GatewayOrderID])
	assert.Empty(t, f.sim.Server.Log.Duplicates("SALES"))
	unresolved, err := f.db.UnresolvedOperations(f.ctx)
	require.NoError(t, err)
	assert.Empty(t, unresolved)
}

// --- crash recovery ---

func TestResolveUnresolvedAfterACrash(t *testing.T) {
	f := newFixture(t)
	f.setNow(t0.Add(time.Hour))
	direct := f.directClient()

	// journal writes what execute writes before the request: the entry, then "sent".
	journal := func(p *backend.Payment, intent payment.Intent, kind backend.OpKind, amount backend.Yen, sent bool) *backend.Operation {
		t.Helper()
		op := &backend.Operation{PaymentID: p.ID, Intent: string(intent), Kind: kind, Amount: amount,
			IdempotencyKey: fmt.Sprintf("crash-%d", p.ID), Operator: operator, BeforeState: p.State,
			Reason: "クラッシュ前の操作", RequestedAt: f.clock.Now()}
		require.NoError(t, f.db.BeginOperation(f.ctx, op))
		if sent {
			require.NoError(t, f.db.MarkOperationSent(f.ctx, op.ID, f.clock.Now()))
		}
		return op
	}

	// Sent, and the gateway applied it before the app died.
	capApplied := f.card(cardSpec{amount: 3000})
	journal(capApplied, payment.IntentCapture, backend.OpCapture, 3000, true)
	_, err := direct.Do(f.ctx, capApplied, backend.GatewayOp{Kind: backend.OpCapture, Amount: 3000})
	require.NoError(t, err)

	voidApplied := f.card(cardSpec{amount: 4000})
	journal(voidApplied, payment.IntentCancel, backend.OpVoid, 0, true)
	_, err = direct.Do(f.ctx, voidApplied, backend.GatewayOp{Kind: backend.OpVoid})
	require.NoError(t, err)

	changeApplied := f.card(cardSpec{amount: 5000})
	journal(changeApplied, payment.IntentChangeAmount, backend.OpChangeAmount, 4500, true)
	_, err = direct.Do(f.ctx, changeApplied, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4500})
	require.NoError(t, err)

	// Sent, but the request never arrived.
	capLost := f.card(cardSpec{amount: 6000})
	journal(capLost, payment.IntentCapture, backend.OpCapture, 6000, true)
	changeLost := f.card(cardSpec{amount: 7000})
	journal(changeLost, payment.IntentChangeAmount, backend.OpChangeAmount, 6500, true)

	// Committed but never marked sent: the app died before the request.
	pending := f.card(cardSpec{amount: 8000})
	journal(pending, payment.IntentCapture, backend.OpCapture, 8000, false)

	unresolved, err := f.db.UnresolvedOperations(f.ctx)
	require.NoError(t, err)
	require.Len(t, unresolved, 6)
	f.sim.Server.Log.Reset()

	// The app starts again.
	f.setNow(t0.Add(2 * time.Hour))
	eng := f.newEngine(5 * time.Second)
	remaining, err := eng.ResolveUnresolved(f.ctx)
	require.NoError(t, err)
	assert.Zero(t, remaining, "every operation was decided by the gateway")
	unresolved, err = f.db.UnresolvedOperations(f.ctx)
	require.NoError(t, err)
	assert.Empty(t, unresolved)

	// Recovery only asks; it never sends an operation again.
	for _, c := range f.calls(nil) {
		assert.Equal(t, "SearchTrade", c)
	}
	assert.Len(t, f.calls(nil), 5, "one inquiry per sent operation; none for the pending one")
	assert.Empty(t, f.calls(pending))

	only := func(p *backend.Payment) *backend.Operation {
		t.Helper()
		ops := f.ops(p.ID)
		require.Len(t, ops, 1)
		return ops[0]
	}

	op := only(capApplied)
	assert.Equal(t, backend.OpSucceeded, op.State)
	assert.Contains(t, op.Message, "照会して完了を確認しました")
	assert.Equal(t, backend.StateCaptured, f.payment(capApplied.ID).State)
	assert.Equal(t, backend.Yen(3000), f.payment(capApplied.ID).AmountCaptured)
	assert.Equal(t, backend.OrderPaid, f.orderStatus(capApplied))

	assert.Equal(t, backend.OpSucceeded, only(voidApplied).State)
	assert.Equal(t, backend.StateVoided, f.payment(voidApplied.ID).State)
	assert.Equal(t, backend.OrderCancelled, f.orderStatus(voidApplied))
	assert.Len(t, f.cancelStock(voidApplied.OrderID), 2, "the side effects of the cancel are recorded on recovery too")

	assert.Equal(t, backend.OpSucceeded, only(changeApplied).State)
	assert.Equal(t, backend.Yen(4500), f.payment(changeApplied.ID).AmountAuthorized)
	assert.Equal(t, backend.StateAuthorized, f.payment(changeApplied.ID).State)

	op = only(capLost)
	assert.Equal(t, backend.OpFailed, op.State)
	assert.Contains(t, op.Message, "実行されていませんでした")
	assert.Equal(t, backend.StateAuthorized, f.payment(capLost.ID).State)
	assert.Equal(t, backend.OrderNew, f.orderStatus(capLost))
	assert.Equal(t, "AUTH", f.trade(capLost).Status)

	assert.Equal(t, backend.OpFailed, only(changeLost).State)
	assert.Equal(t, backend.Yen(7000), f.payment(changeLost.ID).AmountAuthorized, "the old amount stands")
	assert.Equal(t, int64(7000), f.trade(changeLost).Amount)

	op = only(pending)
	assert.Equal(t, backend.OpFailed, op.State)
	assert.Contains(t, op.Message, "送信前に中断")
	assert.Equal(t, backend.StateAuthorized, f.payment(pending.ID).State)

	// Nothing was applied twice, and the payments are free again.
	assert.Empty(t, f.sim.Server.Log.Duplicates("SALES"))
	_, err = eng.Capture(f.ctx, payment.Request{PaymentID: capLost.ID, Operator: operator})
	require.NoError(t, err)
	_, err = eng.Capture(f.ctx, payment.Request{PaymentID: pending.ID, Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{capLost.GatewayOrderID: 1, pending.GatewayOrderID: 1}, f.sim.Server.Log.CountApplied("SALES"))
}

func TestResolveOfOneOperation(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 3000})
	op := &backend.Operation{PaymentID: p.ID, Intent: string(payment.IntentCapture), Kind: backend.OpCapture, Amount: 3000,
		IdempotencyKey: "r-1", Operator: operator, BeforeState: backend.StateAuthorized, RequestedAt: f.clock.Now()}
	require.NoError(t, f.db.BeginOperation(f.ctx, op))
	require.NoError(t, f.db.MarkOperationSent(f.ctx, op.ID, f.clock.Now()))

	// Decided "not applied" is a resolution, not an error.
	res, err := f.eng.Resolve(f.ctx, op.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.OpFailed, res.Operation().State)
	assert.Equal(t, backend.StateAuthorized, res.Payment.State)

	// A resolved operation is returned as it is, without asking again.
	n := len(f.calls(nil))
	res, err = f.eng.Resolve(f.ctx, op.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.OpFailed, res.Operation().State)
	assert.Len(t, f.calls(nil), n)
}

// --- bulk ---

func TestBulkCaptureReportsEachPaymentAndRetriesOnlyTheFailed(t *testing.T) {
	f := newFixture(t)
	var ids []int64
	var voided, captured []*backend.Payment
	for i := range 30 {
		switch {
		case i%8 == 3: // cancelled in the shop console behind the app's back
			p := f.card(cardSpec{amount: backend.Yen(2000 + 10*i)})
			require.NoError(t, f.sim.SetStatus(p.GatewayOrderID, "VOID"))
			voided = append(voided, p)
			ids = append(ids, p.ID)
		case i == 29: // already captured in the store: not applicable
			p := f.card(cardSpec{amount: 9000, status: "SALES"})
			captured = append(captured, p)
			ids = append(ids, p.ID)
		default:
			ids = append(ids, f.card(cardSpec{amount: backend.Yen(2000 + 10*i)}).ID)
		}
	}
	require.Len(t, voided, 4)
	bulk := &payment.Bulk{Engine: f.eng, Concurrency: 8}

	job, items, err := bulk.Run(f.ctx, payment.IntentCapture, payment.Params{}, ids, operator)
	require.NoError(t, err)
	assert.Equal(t, "finished", job.State)
	assert.Equal(t, 30, job.Total)
	assert.Equal(t, map[string]int{backend.BulkSucceeded: 25, backend.BulkFailed: 4, backend.BulkSkipped: 1}, job.Counts)
	require.Len(t, items, 30)

	isVoided := func(id int64) bool {
		return slices.ContainsFunc(voided, func(p *backend.Payment) bool { return p.ID == id })
	}
	var failedIDs []int64
	for i, it := range items {
		assert.Equal(t, ids[i], it.PaymentID, "items keep the selection's order")
		assertJapanese(t, it.Message)
		switch {
		case isVoided(it.PaymentID):
			assert.Equal(t, backend.BulkFailed, it.State)
			assert.Contains(t, it.Message, "この取引の今の状態では、その処理は行えません")
			assert.Contains(t, it.Message, "照会したところ、ゲートウェイでは既に「取消」でした", "an answer, then what the inquiry shows")
			assert.NotContains(t, it.Message, "応答を確認できません")
			assert.NotZero(t, it.OperationID)
			failedIDs = append(failedIDs, it.PaymentID)
			assert.Equal(t, backend.StateVoided, f.payment(it.PaymentID).State, "the gateway's state is recorded")
		case it.PaymentID == captured[0].ID:
			assert.Equal(t, backend.BulkSkipped, it.State)
			assert.Contains(t, it.Message, "既に実売上")
			assert.Zero(t, it.OperationID)
		default:
			assert.Equal(t, backend.BulkSucceeded, it.State)
			assert.Contains(t, it.Message, "売上処理が完了しました")
			p := f.payment(it.PaymentID)
			assert.Equal(t, backend.StateCaptured, p.State)
			assert.Equal(t, backend.OrderPaid, f.orderStatus(p))
			op, err := f.db.OperationByID(f.ctx, it.OperationID)
			require.NoError(t, err)
			assert.Equal(t, job.ID, op.BulkJobID)
		}
	}
	last, ok := f.note.last(job.ID)
	require.True(t, ok)
	assert.Equal(t, "finished", last.State)
	assert.Equal(t, 30, last.Done)
	assert.Equal(t, job.Counts, last.Counts)

	sales := f.sim.Server.Log.CountApplied("SALES")
	assert.Len(t, sales, 25)
	assert.Empty(t, f.sim.Server.Log.Duplicates("SALES"))
	assert.Equal(t, 29, f.sim.Server.Log.Count("AlterTran.idPass"), "one request per applicable payment")

	// やり直し: only the failed ones are taken; they are no longer 仮売上, so nothing is sent.
	sent := len(f.calls(nil))
	retryID, err := bulk.RetryFailed(f.ctx, job.ID, payment.Params{}, operator)
	require.NoError(t, err)
	f.note.waitFinished(t, retryID)
	rjob, ritems, err := f.db.BulkJobByID(f.ctx, retryID)
	require.NoError(t, err)
	assert.Equal(t, 4, rjob.Total)
	var retried []int64
	for _, it := range ritems {
		retried = append(retried, it.PaymentID)
		assert.Equal(t, backend.BulkSkipped, it.State)
		assert.Contains(t, it.Message, "取消")
	}
	assert.ElementsMatch(t, failedIDs, retried)
	assert.Len(t, f.calls(nil), sent)
}

func TestBulkRetryFailedSellsWhatALostRequestLeftOver(t *testing.T) {
	f := newFixture(t)
	var ids []int64
	for i := range 12 {
		ids = append(ids, f.card(cardSpec{amount: backend.Yen(3000 + i)}).ID)
	}
	// Three requests are lost before the gateway's logic (maintenance page).
	f.sim.Server.Faults.Next("AlterTran", 3, simkit.Fault{Kind: simkit.Fault503})
	bulk := &payment.Bulk{Engine: f.eng, Concurrency: 4}

	job, items, err := bulk.Run(f.ctx, payment.IntentCapture, payment.Params{}, ids, operator)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{backend.BulkSucceeded: 9, backend.BulkFailed: 3}, job.Counts,
		"a request the inquiry proved not applied is a failure to retry, not an unknown outcome")
	var failed []int64
	for _, it := range items {
		if it.State == backend.BulkFailed {
			failed = append(failed, it.PaymentID)
			assert.Contains(t, it.Message, "実行されていないことを確認しました")
			assert.Equal(t, backend.StateAuthorized, f.payment(it.PaymentID).State)
		}
	}
	assert.Len(t, f.sim.Server.Log.CountApplied("SALES"), 9)

	retryID, err := bulk.RetryFailed(f.ctx, job.ID, payment.Params{}, operator)
	require.NoError(t, err)
	f.note.waitFinished(t, retryID)
	rjob, ritems, err := f.db.BulkJobByID(f.ctx, retryID)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{backend.BulkSucceeded: 3}, rjob.Counts)
	var retried []int64
	for _, it := range ritems {
		retried = append(retried, it.PaymentID)
	}
	assert.ElementsMatch(t, failed, retried, "only the failed ones are retried")

	sales := f.sim.Server.Log.CountApplied("SALES")
	assert.Len(t, sales, 12, "every payment sold")
	assert.Empty(t, f.sim.Server.Log.Duplicates("SALES"), "none twice")
	for _, id := range ids {
		assert.Equal(t, backend.StateCaptured, f.payment(id).State)
	}

	// Nothing left to retry.
	_, err = bulk.RetryFailed(f.ctx, retryID, payment.Params{}, operator)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "やり直す失敗分はありません")
}

// A payment learned without its dates (by sync or linking: no authorisation date, no
// processing date) is never cancelled on a guess: a zero date is not a date. The
// engine asks the gateway, keeps the dates it gives, and sends the cancel they call
// for — no "expired, nothing to send" and no 要返金 from year 0001.
func TestCancelOfAPaymentWithoutDatesAsksTheGatewayFirst(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 5100, authAt: t0.Add(-48 * time.Hour)})
	p.AuthorizedAt, p.AuthExpiresAt, p.ProcessedAt = time.Time{}, time.Time{}, time.Time{}
	require.NoError(t, f.db.SavePayment(f.ctx, p))

	pv, err := f.eng.Preview(f.ctx, p.ID, payment.IntentCancel, payment.Params{})
	require.NoError(t, err)
	assert.False(t, pv.OrderOnly, "the gateway still holds the authorisation")
	require.Len(t, pv.Steps, 1)
	assert.Equal(t, backend.OpReturn, pv.Steps[0].Kind, "authorised two days ago, never captured: RETURN")
	got := f.payment(p.ID)
	assert.True(t, got.ProcessedAt.Equal(t0.Add(-48*time.Hour)), "the gateway's processing date is kept: %v", got.ProcessedAt)

	res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, backend.StateRefunded, res.Payment.State)
	assert.Equal(t, "RETURN", f.trade(p).Status)
	tasks, err := f.db.RefundTasks(f.ctx, "")
	require.NoError(t, err)
	assert.Empty(t, tasks, "no 要返金 from a zero date")
}

// Our record says 期限切れ, but GMO keeps the authorisation (AUTH; cancellable for 180
// days): キャンセル releases it at the gateway instead of cancelling only the order.
func TestCancelOfAnExpiredGMOAuthorisationReleasesIt(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 3000, authAt: t0.AddDate(0, 0, -95)})
	p.State = backend.StateExpired
	require.NoError(t, f.db.SavePayment(f.ctx, p))
	res, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
	require.NoError(t, err)
	require.Len(t, res.Operations, 1)
	assert.Equal(t, backend.OpReturn, res.Operations[0].Kind)
	assert.Equal(t, "RETURN", f.trade(p).Status)
	assert.Equal(t, backend.OrderCancelled, f.orderStatus(p))
}

// When the gateway's answer differs from our record (cancelled in the console, say),
// nothing is decided on a stale record: the difference goes to 差異 and nothing is
// sent or recorded.
func TestCancelFindsAChangeMadeInTheConsole(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 4200, authAt: t0.AddDate(0, 0, -3)})
	p.State = backend.StateExpired // a decision that would otherwise be "nothing to send"
	require.NoError(t, f.db.SavePayment(f.ctx, p))
	require.NoError(t, f.sim.SetStatus(p.GatewayOrderID, "VOID")) // cancelled in GMO's console
	_, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCancel, Operator: operator})
	require.Error(t, err)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "差異")
	assert.Empty(t, mutating(f.calls(nil)))
	assert.Empty(t, f.ops(p.ID))
	assert.Equal(t, backend.OrderNew, f.orderStatus(p), "the order is not cancelled on a guess")
	drifts, err := f.db.Drifts(f.ctx)
	require.NoError(t, err)
	require.Len(t, drifts, 1)
	assert.Equal(t, backend.StateVoided, drifts[0].GatewayState)
}
