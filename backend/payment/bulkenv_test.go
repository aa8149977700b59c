package payment_test

// The fixture of the many-payment tests (crash_test.go, faults_test.go,
// bench_test.go): the same pieces as helpers_test.go — a real store of the pass's kind
// (stores_test.go), the GMO-PG simulator over HTTP on 127.0.0.1, the real gateway
// factory with an in-memory vault — but for a testing.TB (benchmarks) and with the
// database's reference (file or DSN), which a second process opens. Payments are seeded in batches, and what the simulator
// received is read per transaction from its request log.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/vault"
)

type simEnv struct {
	ctx   context.Context
	clock *simkit.Clock
	sim   *gmosim.Sim
	ref   storeRef // the database, for a second process
	db    testStore
	prof  *backend.GatewayProfile
	vault *vault.Memory
}

// newSimEnv starts a simulator and creates a database with one GMO-PG profile.
func newSimEnv(tb testing.TB) *simEnv {
	tb.Helper()
	e := &simEnv{ctx: context.Background(), clock: simkit.NewClock(t0)}
	sim, err := gmosim.Start(gmosim.Options{Clock: e.clock})
	require.NoError(tb, err)
	tb.Cleanup(func() { sim.Close() })
	sim.AddShop(shopID, shopPass)
	e.sim = sim

	db, ref := openStore(tb, e.clock.Now)
	e.db, e.ref = db, ref

	e.prof = &backend.GatewayProfile{Name: "GMO-PG テスト環境", Kind: backend.GatewayGMO, Environment: backend.EnvTest,
		Host: sim.URL(), MerchantID: shopID, AuthExpiryDays: 90, Methods: []backend.PaymentMethod{backend.MethodCard}}
	require.NoError(tb, db.SaveProfile(e.ctx, e.prof))
	e.vault = vault.NewMemory()
	require.NoError(tb, e.vault.Set(backend.SecretKey(e.prof.ID, backend.SecretShopPass), shopPass))
	return e
}

// engine is a fresh engine with its own gateway factory (as after a start of the app).
func (e *simEnv) engine(timeout time.Duration, n backend.Notifier) *payment.Engine {
	return &payment.Engine{Store: e.db, Gateways: &gateways.Factory{Vault: e.vault, Timeout: timeout}, Clock: e.clock,
		Notifier: n, Timeout: timeout}
}

// seedCards creates n card payments in 仮売上 (AUTH at the simulator, authorised in the
// store) with order numbers from firstNo on, amounts between 2,000円 and 9,999円.
func seedCards(tb testing.TB, db testStore, sim *gmosim.Sim, prof *backend.GatewayProfile, now time.Time, n, firstNo int) []*backend.Payment {
	tb.Helper()
	ctx := context.Background()
	orders := make([]*backend.Order, n)
	for i := range orders {
		no := fmt.Sprint(firstNo + i)
		amount := backend.Yen(2000 + (i*7919)%8000)
		orders[i] = &backend.Order{OrderNo: no, OrderedAt: now, CustomerName: "佐藤 美咲", CustomerKana: "サトウ ミサキ",
			Email: "misaki@example.jp", Tel: "06-1234-5678", PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Source: "test",
			Items: []backend.LineItem{
				{ProductCode: "MG-" + no, ProductName: "波佐見焼マグカップ", Variant: "藍", UnitPrice: amount - 600, Quantity: 1},
				{ProductCode: "CS-" + no, ProductName: "コースター", Variant: "桜", UnitPrice: 300, Quantity: 2},
			},
			Subtotal: amount, Total: amount}
	}
	require.NoError(tb, db.SaveOrders(ctx, orders))
	pays := make([]*backend.Payment, n)
	require.NoError(tb, sim.Batch(func() error {
		for i, o := range orders {
			p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
				GatewayOrderID: "KD-" + o.OrderNo, State: backend.StateAuthorized, AmountAuthorized: o.Total, AuthorizedAt: now,
				AuthExpiresAt: now.AddDate(0, 0, 90), RawStatus: "AUTH", LastSyncedAt: now}
			var err error
			p.GatewayTranID, p.GatewayTranPass, err = sim.AddCardTrade(gmosim.CardSpec{ShopID: shopID, OrderID: p.GatewayOrderID,
				Amount: int64(o.Total), AuthDate: now})
			if err != nil {
				return err
			}
			pays[i] = p
		}
		return nil
	}))
	require.NoError(tb, db.SavePayments(ctx, pays))
	for _, p := range pays {
		require.NotZero(tb, p.ID)
	}
	return pays
}

func paymentIDs(ps []*backend.Payment) []int64 {
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}

// salesRequests counts, per GatewayOrderID, the AlterTran SALES requests that reached
// the simulator's business logic (applied or refused). A request lost before the
// logic (a fault before it, or a client that died while it waited) has no fields and
// is not counted. Every payment must have exactly one: a second one is a re-send of
// a sale the app should have known about — the simulator refuses it (E01050004), so
// Duplicates alone would never show it.
func salesRequests(log *simkit.Log, pays []*backend.Payment) map[string]int {
	byAccess := map[string]string{}
	for _, p := range pays {
		byAccess[p.GatewayTranID] = p.GatewayOrderID
	}
	out := map[string]int{}
	for _, e := range log.Entries() {
		if !strings.HasSuffix(e.Path, "/AlterTran.idPass") || e.Fields == nil || e.Fields["JobCd"] != "SALES" {
			continue
		}
		if id, ok := byAccess[e.Fields["AccessID"]]; ok {
			out[id]++
		}
	}
	return out
}

// faultCounts counts the faults the simulator injected, by kind and side.
func faultCounts(log *simkit.Log) map[string]int {
	out := map[string]int{}
	for _, e := range log.Entries() {
		if e.Fault.Kind == simkit.FaultNone {
			continue
		}
		side := "before"
		if e.Fault.After {
			side = "after"
		}
		out[string(e.Fault.Kind)+"/"+side]++
	}
	return out
}
