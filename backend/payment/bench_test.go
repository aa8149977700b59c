package payment_test

// BenchmarkBulkCapture1000 is a bulk 売上 of 1,000 仮売上 against the GMO-PG simulator
// answering each request after 150 ms, over HTTP on 127.0.0.1, compared with selling
// the same payments one after the other. Benchmarks run only with -bench:
//
//	go test -run '^$' -bench BulkCapture -benchtime 1x ./backend/payment/
//
// "app" is the bulk run as system.Open wires it (16 requests in flight, the shared
// per-profile throttle at its default rate and burst); "unthrottled" has no
// throttle, to show what the concurrency alone allows. The sequential baseline sells
// 100 payments with Engine.Run in a loop and is extrapolated to 1,000 (the full run
// takes more than 150 s); set KESSAIDESK_BENCH_FULL_SEQUENTIAL=1 to measure all 1,000.

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/throttle"
)

const (
	benchOrders  = 1000
	benchLatency = 150 * time.Millisecond
	benchSample  = 100 // sequential baseline, extrapolated
)

func BenchmarkBulkCapture1000(b *testing.B) {
	for range b.N {
		b.StopTimer()
		env := newSimEnv(b)
		eng := env.engine(10*time.Second, nil)
		app := seedCards(b, env.db, env.sim, env.prof, env.clock.Now(), benchOrders, 500001)
		free := seedCards(b, env.db, env.sim, env.prof, env.clock.Now(), benchOrders, 600001)
		seqN := benchSample
		if os.Getenv("KESSAIDESK_BENCH_FULL_SEQUENTIAL") != "" {
			seqN = benchOrders
		}
		seq := seedCards(b, env.db, env.sim, env.prof, env.clock.Now(), seqN, 700001)
		env.sim.Server.SetLatency(benchLatency)
		limits := &throttle.Registry{}
		rate := limits.For(env.prof.ID).Rate()

		bulkRun := func(bulk *payment.Bulk, ps []*backend.Payment) (time.Duration, int) {
			before := len(env.sim.Server.Log.Entries())
			b.StartTimer()
			start := time.Now()
			job, _, err := bulk.Run(env.ctx, payment.IntentCapture, payment.Params{}, paymentIDs(ps), operator)
			took := time.Since(start)
			b.StopTimer()
			require.NoError(b, err)
			require.Equal(b, map[string]int{backend.BulkSucceeded: len(ps)}, job.Counts)
			return took, len(env.sim.Server.Log.Entries()) - before
		}
		appTook, appReqs := bulkRun(&payment.Bulk{Engine: eng, Limits: limits}, app)
		freeTook, freeReqs := bulkRun(&payment.Bulk{Engine: eng}, free)

		before := len(env.sim.Server.Log.Entries())
		b.StartTimer()
		start := time.Now()
		for _, p := range seq {
			_, err := eng.Run(env.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentCapture, Operator: operator})
			require.NoError(b, err)
		}
		seqTook := time.Since(start)
		b.StopTimer()
		seqReqs := len(env.sim.Server.Log.Entries()) - before
		seq1000 := seqTook * benchOrders / time.Duration(seqN)

		sales := env.sim.Server.Log.CountApplied("SALES")
		require.Len(b, sales, 2*benchOrders+seqN)
		require.Empty(b, env.sim.Server.Log.Duplicates("SALES"))

		how := fmt.Sprintf("measured on %d and extrapolated ×%d", seqN, benchOrders/seqN)
		if seqN == benchOrders {
			how = "measured on all 1,000"
		}
		b.ReportMetric(appTook.Seconds(), "bulk-s")
		b.ReportMetric(freeTook.Seconds(), "unthrottled-s")
		b.ReportMetric(seq1000.Seconds(), "sequential-s")
		b.ReportMetric(seq1000.Seconds()/appTook.Seconds(), "speedup-x")
		b.ReportMetric(seq1000.Seconds()/freeTook.Seconds(), "unthrottled-speedup-x")
		b.ReportMetric(float64(appReqs), "requests")
		fmt.Printf("%s: bulk 売上 of %d orders, %v latency per request:\n", b.Name(), benchOrders, benchLatency)
		fmt.Printf("  app (16 in flight, throttle %.0f req/s per profile): %.1f s, %d requests, %.1f req/s\n",
			rate, appTook.Seconds(), appReqs, float64(appReqs)/appTook.Seconds())
		fmt.Printf("  unthrottled (16 in flight): %.1f s, %d requests, %.1f req/s\n",
			freeTook.Seconds(), freeReqs, float64(freeReqs)/freeTook.Seconds())
		fmt.Printf("  sequential (Engine.Run in a loop): %.1f s for %d (%d requests) → %.1f s for %d (%s)\n",
			seqTook.Seconds(), seqN, seqReqs, seq1000.Seconds(), benchOrders, how)
		perOrder := seqTook / time.Duration(seqN)
		fmt.Printf("  speed-up: app %.1f×, unthrottled %.1f× (goal ≥ 10×); the app is bound by its throttle: %.0f req/s × %v per sequential 売上 = %.1f× at most\n",
			seq1000.Seconds()/appTook.Seconds(), seq1000.Seconds()/freeTook.Seconds(), rate, perOrder.Round(time.Millisecond),
			rate*perOrder.Seconds())
	}
}
