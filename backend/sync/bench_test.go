package sync

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/throttle"
)

// BenchmarkSync10k is one sync of 10,000 open payments (mostly 入金待ち konbini slips)
// against the GMO-PG simulator answering each request after 50 ms, over HTTP on
// 127.0.0.1. Benchmarks run only with -bench:
//
//	go test -run '^$' -bench Sync10k -benchtime 1x ./backend/sync/
//
// "app" is the syncer as system.Open wires it (8 inquiries in flight, the shared
// throttle at its default 50 requests/s per profile); "unthrottled" has no throttle,
// to show what the concurrency alone allows. The full run (at start, 今すぐ同期) asks
// about every payment; after it, one periodic run asks about its budget, and the
// figures say what a day of 5-minute runs costs.
func BenchmarkSync10k(b *testing.B) {
	b.Run("app", func(b *testing.B) { benchSync10k(b, &throttle.Registry{}) })
	b.Run("unthrottled", func(b *testing.B) { benchSync10k(b, nil) })
}

// The mix of the 10,000 payments and what the run must find.
const (
	benchKonbini     = 9000 // of which every 50th is paid and every 100th (not paid) has expired
	benchPayEasy     = 300  // ATM
	benchNetBank     = 300
	benchCards       = 400 // 仮売上 within a week of their expiry (re-read by the sync)
	benchTotal       = benchKonbini + benchPayEasy + benchNetBank + benchCards
	benchLatency     = 50 * time.Millisecond
	benchPaidEvery   = 50
	benchExpireEvery = 100
)

func benchSync10k(b *testing.B, limits *throttle.Registry) {
	var (
		runs     time.Duration
		requests int
		simReqs  int
		last     *Report
		conns    int
		periodic *Report
		pTook    time.Duration
		turn     int // payments compared in turn after the full run
	)
	for range b.N {
		b.StopTimer()
		f, want := seedBench(b)
		f.s.Limits = limits
		f.sim.Server.SetLatency(benchLatency)
		port := f.sim.URL()[strings.LastIndex(f.sim.URL(), ":")+1:]
		before := timeWaitTo(port)
		b.StartTimer()

		start := time.Now()
		rep, err := f.s.RunOnce(f.ctx)
		took := time.Since(start)

		b.StopTimer()
		require.NoError(b, err)
		require.Empty(b, rep.Errors)
		require.Empty(b, rep.Offline)
		require.Equal(b, benchTotal, rep.Checked)
		require.Equal(b, want.deposits, rep.Deposits)
		require.Equal(b, want.expired, rep.Expired)
		require.Zero(b, rep.Drifts)
		runs += took
		requests += rep.Requests
		simReqs += len(f.sim.Server.Log.Entries())
		conns += timeWaitTo(port) - before
		last = rep
		f.advance(5 * time.Minute)
		start = time.Now()
		periodic, err = f.s.RunScheduled(f.ctx)
		pTook = time.Since(start)
		require.NoError(b, err)
		require.LessOrEqual(b, periodic.Checked, periodic.Budget)
		turn, err = f.db.RecheckCount(f.ctx, f.prof.ID, f.now().AddDate(0, 0, -DefaultRecheckDays))
		require.NoError(b, err)
		b.StartTimer()
	}
	b.StopTimer()
	n := float64(b.N)
	secs := runs.Seconds() / n
	b.ReportMetric(float64(requests)/n, "requests/op")
	b.ReportMetric(secs, "s/op")
	b.ReportMetric(float64(requests)/runs.Seconds(), "requests/s")
	msg := fmt.Sprintf("sync of %d open payments, %v latency, limits=%v: %.1f s per run, %d requests (%d at the simulator), %.0f requests/s; "+
		"found %d deposits, %d expired, %d drifts; about %d TCP connections closed by the client (TIME_WAIT)",
		benchTotal, benchLatency, limits != nil, secs, requests/b.N, simReqs/b.N, float64(requests)/runs.Seconds(),
		last.Deposits, last.Expired, last.Drifts, conns/b.N)
	msg += fmt.Sprintf("; then a periodic run over the %d still open: budget %d, %d requests in %.1f s — %d requests a day at 5-minute runs, each payment compared every %.1f hours",
		turn, periodic.Budget, periodic.Requests, pTook.Seconds(), periodic.Budget*288, float64(turn)/float64(periodic.Budget)*5/60)
	b.Log(msg)
	fmt.Println(b.Name() + ": " + msg)
}

type benchWant struct{ deposits, expired int }

// seedBench makes the 10,000 payments at the simulator and in the store, in batches.
func seedBench(b *testing.B) (*fixture, benchWant) {
	f := newFixture(b)
	var want benchWant
	methods := make([]backend.PaymentMethod, 0, benchTotal)
	for i := range benchTotal {
		switch {
		case i < benchKonbini:
			methods = append(methods, backend.MethodKonbini)
		case i < benchKonbini+benchPayEasy:
			methods = append(methods, backend.MethodPayEasy)
		case i < benchKonbini+benchPayEasy+benchNetBank:
			methods = append(methods, backend.MethodNetBank)
		default:
			methods = append(methods, backend.MethodCard)
		}
	}
	orders := make([]*backend.Order, benchTotal)
	for i, m := range methods {
		amount := backend.Yen(1000 + i%97*100)
		status := backend.OrderAwaitingDeposit
		if m == backend.MethodCard {
			status = backend.OrderNew
		}
		no := strconv.Itoa(200001 + i)
		orders[i] = &backend.Order{OrderNo: no, OrderedAt: f.now(), CustomerName: "山田 太郎", CustomerKana: "ヤマダ タロウ",
			PaymentMethod: m, Status: status, Source: "bench", Subtotal: amount, Total: amount,
			Items: []backend.LineItem{{ProductCode: "TS-01", ProductName: "Tシャツ", UnitPrice: amount, Quantity: 1}}}
	}
	require.NoError(b, f.db.SaveOrders(f.ctx, orders))

	now := f.now()
	authAt := now.AddDate(0, 0, -86)
	expiredTerm := now.Add(-time.Hour) // issued last week, due an hour ago
	pays := make([]*backend.Payment, benchTotal)
	err := f.sim.Batch(func() error {
		for i, o := range orders {
			p := &backend.Payment{OrderID: o.ID, ProfileID: f.prof.ID, Gateway: backend.GatewayGMO, Method: o.PaymentMethod,
				GatewayOrderID: "KD" + o.OrderNo, AmountAuthorized: o.Total, LastSyncedAt: now}
			var err error
			if o.PaymentMethod == backend.MethodCard {
				p.State, p.RawStatus, p.AuthorizedAt, p.AuthExpiresAt = backend.StateAuthorized, "AUTH", authAt, authAt.AddDate(0, 0, 90)
				p.GatewayTranID, p.GatewayTranPass, err = f.sim.AddCardTrade(gmosim.CardSpec{ShopID: testShopID,
					OrderID: p.GatewayOrderID, Amount: int64(o.Total), AuthDate: authAt})
			} else {
				spec := gmosim.DepositSpec{ShopID: testShopID, OrderID: p.GatewayOrderID, Amount: int64(o.Total)}
				switch {
				case i%benchPaidEvery == 0:
					spec.Status, spec.FinishDate = "PAYSUCCESS", now.Add(-time.Minute)
					want.deposits++
				case i%benchExpireEvery == 1:
					spec.Issued, spec.PaymentTerm = now.AddDate(0, 0, -8), expiredTerm
					want.expired++
				}
				p.State, p.RawStatus = backend.StateAwaitingDeposit, "REQSUCCESS"
				if o.PaymentMethod == backend.MethodKonbini {
					p.GatewayTranID, p.GatewayTranPass, err = f.sim.AddCvsTrade(spec)
				} else {
					p.GatewayTranID, p.GatewayTranPass, err = f.sim.AddPayEasyTrade(spec)
				}
			}
			if err != nil {
				return err
			}
			pays[i] = p
		}
		return nil
	})
	require.NoError(b, err)
	require.NoError(b, f.db.SavePayments(f.ctx, pays))
	return f, want
}

// timeWaitTo counts the TCP connections to a local port in TIME_WAIT on the client's
// side — roughly the connections the client opened and closed again (Linux only; 0
// elsewhere). It shows the connection churn of the gateway client's HTTP transport.
func timeWaitTo(port string) int {
	p, err := strconv.Atoi(port)
	if err != nil {
		return 0
	}
	want := fmt.Sprintf(":%04X", p)
	n := 0
	for _, name := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		file, err := os.Open(name)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			fs := strings.Fields(sc.Text())
			// sl local_address rem_address st …; st 06 = TIME_WAIT
			if len(fs) > 3 && strings.HasSuffix(fs[2], want) && fs[3] == "06" {
				n++
			}
		}
		file.Close()
	}
	return n
}
