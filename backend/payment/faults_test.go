package payment_test

// A bulk 売上 against a gateway that misbehaves on a fifth of all calls — the sales
// and the inquiries — with timeouts, HTTP 500 pages, answers cut in half and answers
// that are not Shift_JIS, before or after its business logic. The operator then does
// what the app offers: the start-up/sync recovery (ResolveUnresolved) and やり直し
// (RetryFailed) until every payment is sold. Each must be sold exactly once, and
// every failure on the way must be there to read, in Japanese, in the bulk run's
// items and in the journal.

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/throttle"
)

func TestBulkCaptureUnderRandomFaultsSellsEachOnceAndExplainsEveryFailure(t *testing.T) {
	const n = 200
	// The timeout fault holds the connection until the client gives up: keep it short.
	f := newFixtureTimeout(t, 400*time.Millisecond)
	pays := seedCards(t, f.db, f.sim, f.prof, f.clock.Now(), n, 400001)
	ids := paymentIDs(pays)
	faults := []simkit.Fault{
		{Kind: simkit.FaultTimeout}, {Kind: simkit.FaultTimeout, After: true},
		{Kind: simkit.Fault500}, {Kind: simkit.Fault500, After: true},
		{Kind: simkit.FaultTruncate}, {Kind: simkit.FaultTruncate, After: true},
		{Kind: simkit.FaultGarble}, {Kind: simkit.FaultGarble, After: true},
	}
	f.sim.Server.Faults.Random(0.2, 20261110, faults) // every API: the sales and the inquiries
	bulk := &payment.Bulk{Engine: f.eng, Limits: &throttle.Registry{Rate: 2000, Burst: 100}, Concurrency: 16}

	job, items, err := bulk.Run(f.ctx, payment.IntentCapture, payment.Params{}, ids, operator)
	require.NoError(t, err)
	assert.Equal(t, "finished", job.State)
	require.Len(t, items, n)
	t.Logf("first run: %v", job.Counts)
	assert.Positive(t, job.Counts[backend.BulkSucceeded])
	assert.Positive(t, job.Counts[backend.BulkFailed], "some sales were lost before the gateway's logic")
	assert.Positive(t, job.Counts[backend.BulkUnknown], "some outcomes stayed unknown (the inquiry failed too)")
	assert.Equal(t, n, job.Counts[backend.BulkSucceeded]+job.Counts[backend.BulkFailed]+job.Counts[backend.BulkUnknown])
	confirmed := 0
	for _, it := range items {
		assertJapanese(t, it.Message)
		require.NotZero(t, it.OperationID, "every item was sent: %s", it.Message)
		op, err := f.db.OperationByID(f.ctx, it.OperationID)
		require.NoError(t, err)
		assert.Equal(t, it.PaymentID, op.PaymentID)
		assert.Equal(t, job.ID, op.BulkJobID)
		switch it.State {
		case backend.BulkSucceeded:
			assert.Equal(t, backend.OpSucceeded, op.State)
			assert.Contains(t, it.Message, "売上処理が完了しました")
			if strings.Contains(it.Message, "照会して完了を確認しました") {
				confirmed++ // the answer was lost; the inquiry proved the sale
			}
		case backend.BulkFailed:
			assert.Equal(t, backend.OpFailed, op.State)
			assert.Contains(t, it.Message, "実行されていないことを確認しました", "the inquiry decided it")
			assert.Contains(t, op.Message, "実行されていませんでした")
			assertCause(t, it.Message)
		case backend.BulkUnknown:
			assert.Equal(t, backend.OpUnknown, op.State)
			assert.Contains(t, it.Message, "この決済への操作を止めています")
			assert.Contains(t, it.Message, op.Message)
			assertCause(t, it.Message)
		}
	}
	assert.Positive(t, confirmed, "some sales were applied with their answer lost, and proven by inquiry")

	// Recover and retry, as the operator would, until nothing is left.
	jobs := []int64{job.ID}
	last := job.ID
	for round := 1; ; round++ {
		require.LessOrEqual(t, round, 30, "the retries do not converge")
		for i := 0; ; i++ {
			require.Less(t, i, 30, "the unknown outcomes are never resolved")
			remaining, err := f.eng.ResolveUnresolved(f.ctx)
			require.NoError(t, err)
			if remaining == 0 {
				break
			}
		}
		authorised, err := f.db.FindPayments(f.ctx, backend.PaymentFilter{States: []backend.PaymentState{backend.StateAuthorized}})
		require.NoError(t, err)
		if len(authorised) == 0 {
			break
		}
		rj, ritems, err := f.db.BulkJobByID(f.ctx, last)
		require.NoError(t, err)
		var failed []int64
		for _, it := range ritems {
			if it.State == backend.BulkFailed {
				failed = append(failed, it.PaymentID)
			}
		}
		for _, p := range authorised {
			// A payment still to sell is one the last run failed (or whose unknown
			// outcome the recovery decided as not applied): やり直し takes it.
			require.Contains(t, failed, p.ID, "payment %d is 仮売上 but not among the failed items of run %d %v", p.ID, last, rj.Counts)
		}
		retryID, err := bulk.RetryFailed(f.ctx, last, payment.Params{}, operator)
		require.NoError(t, err)
		f.note.waitFinished(t, retryID)
		rjob, _, err := f.db.BulkJobByID(f.ctx, retryID)
		require.NoError(t, err)
		assert.Equal(t, len(failed), rjob.Total)
		t.Logf("やり直し %d: %d items, %v", round, rjob.Total, rjob.Counts)
		jobs, last = append(jobs, retryID), retryID
	}
	f.sim.Server.Faults.Clear()
	injected := faultCounts(f.sim.Server.Log)
	t.Logf("faults injected: %v over %d requests", injected, len(f.sim.Server.Log.Entries()))
	for _, kind := range []string{"timeout", "http500", "truncate", "garble"} {
		assert.Positive(t, injected[kind+"/before"]+injected[kind+"/after"], "no %s fault was injected", kind)
	}

	// The gateway: every payment sold, exactly once, and never asked to sell twice.
	sales := f.sim.Server.Log.CountApplied("SALES")
	assert.Empty(t, f.sim.Server.Log.Duplicates("SALES"))
	assert.Len(t, sales, n)
	reqs := salesRequests(f.sim.Server.Log, pays)
	for _, p := range pays {
		assert.Equal(t, "SALES", f.trade(p).Status, p.GatewayOrderID)
		assert.Equal(t, 1, sales[p.GatewayOrderID], p.GatewayOrderID)
		assert.Equal(t, 1, reqs[p.GatewayOrderID], "%s: SALES requests that reached the gateway's logic", p.GatewayOrderID)
	}

	// The app: all 実売上 and 入金済み, the journal decided, every failure explained.
	unresolved, err := f.db.UnresolvedOperations(f.ctx)
	require.NoError(t, err)
	assert.Empty(t, unresolved)
	type key struct{ job, payment int64 }
	itemOf := map[key]backend.BulkItem{}
	for _, id := range jobs {
		_, its, err := f.db.BulkJobByID(f.ctx, id)
		require.NoError(t, err)
		for _, it := range its {
			itemOf[key{id, it.PaymentID}] = it
			assertJapanese(t, it.Message)
			assert.Contains(t, []string{backend.BulkSucceeded, backend.BulkFailed}, it.State,
				"run %d, payment %d: every item ends decided: %s", id, it.PaymentID, it.Message)
		}
	}
	for _, want := range pays {
		got := f.payment(want.ID)
		assert.Equal(t, backend.StateCaptured, got.State, want.GatewayOrderID)
		assert.Equal(t, want.AmountAuthorized, got.AmountCaptured, want.GatewayOrderID)
		assert.Equal(t, backend.OrderPaid, f.orderStatus(got), want.GatewayOrderID)
		ops := f.ops(want.ID)
		wins := 0
		for _, op := range ops {
			assertJapanese(t, op.Message)
			it, ok := itemOf[key{op.BulkJobID, op.PaymentID}]
			require.True(t, ok, "op %d belongs to a bulk item", op.ID)
			assert.Equal(t, op.ID, it.OperationID)
			switch op.State {
			case backend.OpSucceeded:
				wins++
				assert.Equal(t, backend.BulkSucceeded, it.State, "run %d item of op %d: %s", op.BulkJobID, op.ID, it.Message)
				assert.Contains(t, it.Message, "売上処理が完了しました")
			case backend.OpFailed:
				assert.Contains(t, op.Message, "実行されていませんでした")
				assertCause(t, op.Message)
				assert.NotEmpty(t, op.GatewayCode+causeOf(op.Message), "op %d", op.ID)
				assert.Equal(t, backend.BulkFailed, it.State, "run %d item of op %d: %s", op.BulkJobID, op.ID, it.Message)
				assertCause(t, it.Message)
			default:
				assert.Failf(t, "an operation left undecided", "op %d: %s", op.ID, op.State)
			}
		}
		assert.Equal(t, 1, wins, "%s: one successful 売上 in the journal", want.GatewayOrderID)
	}
}

// causes are the explanations of what went wrong on the wire, as the operator reads them.
var causes = []string{
	"タイムアウト",      // the answer did not come
	"HTTP 500",    // an error page
	"読めませんでした",    // garbled or cut short
	"最後まで受け取れ",    // cut off
	"接続が切れました",    // dropped
	"応答に",         // a field missing from the answer
	"前回の売上の結果が不明", // decided later by the recovery
}

func causeOf(msg string) string {
	for _, c := range causes {
		if strings.Contains(msg, c) {
			return c
		}
	}
	return ""
}

// assertCause checks that a failure says why, not only that it failed.
func assertCause(t *testing.T, msg string) {
	t.Helper()
	assert.True(t, slices.ContainsFunc(causes, func(c string) bool { return strings.Contains(msg, c) }),
		"the message does not say what went wrong: %q", msg)
}
