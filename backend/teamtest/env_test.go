package teamtest_test

// The fixture of the team tests: one PostgreSQL database (pgtest: a fresh one per
// test), the GMO-PG simulator over HTTP on 127.0.0.1 — behind a random delay, like a
// gateway over the internet — and one GMO-PG profile pointing at it.
// The simulator lives in the test process and keeps every request (simkit.Log).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/pgstore"
	"kessaidesk/backend/pgstore/pgtest"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/vault"
)

const (
	shopID   = "tshop00054321"
	shopPass = "Pw5xk29Lq"
)

// t0 is Tuesday 10 November 2026, 10:00 in Japan: the instant every process and the
// simulator share.
var t0 = time.Date(2026, 11, 10, 10, 0, 0, 0, backend.JST)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Cleanup()
	os.Exit(code)
}

type env struct {
	ctx   context.Context
	clock *simkit.Clock
	sim   *gmosim.Sim
	dsn   string
	db    *pgstore.DB // the test's own connection (no desktop's)
	prof  *backend.GatewayProfile
}

// newEnv creates a database with one GMO-PG profile and starts the simulator; each
// request waits 5–20 ms (drawn from rng) before the simulator takes it. Skipped
// without a PostgreSQL server.
func newEnv(t *testing.T, rng *rand.Rand) *env {
	t.Helper()
	dsn := pgtest.DSN(t, func(ctx context.Context, dsn string) error {
		db, err := pgstore.Open(ctx, dsn, pgstore.Options{})
		if err != nil {
			return err
		}
		return db.Close()
	})
	e := &env{ctx: context.Background(), clock: simkit.NewClock(t0), dsn: dsn}
	sim, err := gmosim.Start(gmosim.Options{Clock: e.clock})
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	sim.AddShop(shopID, shopPass)
	e.sim = sim
	host := e.front(t, rng, nil)

	e.db, err = pgstore.Open(e.ctx, dsn, pgstore.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { e.db.Close() })
	e.db.Now = e.clock.Now
	e.prof = &backend.GatewayProfile{Name: "GMO-PG テスト環境", Kind: backend.GatewayGMO, Environment: backend.EnvTest,
		Host: host, MerchantID: shopID, AuthExpiryDays: 90, Methods: []backend.PaymentMethod{backend.MethodCard}}
	require.NoError(t, e.db.SaveProfile(e.ctx, e.prof))
	return e
}

// front is a way to the simulator through the latency: the profile's, or one
// desktop's own (childConfig.GatewayHost). onSale, if set, is called as each SALES
// request arrives, before its latency.
func (e *env) front(t *testing.T, rng *rand.Rand, onSale func()) string {
	t.Helper()
	srv := httptest.NewServer(&latency{next: e.sim.Server, rng: rng, onSale: onSale})
	t.Cleanup(srv.Close)
	return srv.URL
}

// newEngine is a desktop's engine on store, with the profile's ShopPass in its
// keychain (the OS keychain of the real app).
func newEngine(t *testing.T, store backend.Store, clock backend.Clock, profileID int64, n backend.Notifier) *payment.Engine {
	t.Helper()
	keychain := vault.NewMemory()
	require.NoError(t, keychain.Set(backend.SecretKey(profileID, backend.SecretShopPass), shopPass))
	return &payment.Engine{Store: store, Gateways: &gateways.Factory{Vault: keychain, Timeout: 5 * time.Second}, Clock: clock,
		Notifier: n, Timeout: 5 * time.Second}
}

// latency delays each request 5–20 ms before the simulator takes it, like a gateway
// over the internet. A request whose client died meanwhile never reaches the
// simulator (as one lost on the way).
type latency struct {
	next   http.Handler
	mu     sync.Mutex
	rng    *rand.Rand
	onSale func()
}

func (l *latency) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Read the body first: only then does the server notice a client that hung up.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if l.onSale != nil && strings.HasSuffix(r.URL.Path, "/AlterTran.idPass") && bytes.Contains(body, []byte("JobCd=SALES")) {
		l.onSale()
	}
	l.mu.Lock()
	d := 5*time.Millisecond + time.Duration(l.rng.Intn(15001))*time.Microsecond
	l.mu.Unlock()
	select {
	case <-time.After(d):
	case <-r.Context().Done():
		return
	}
	l.next.ServeHTTP(w, r)
}

// seedCards saves n orders with a card payment each in 仮売上, authorised at the
// simulator as by the shop's checkout.
func seedCards(t *testing.T, db *pgstore.DB, sim *gmosim.Sim, prof *backend.GatewayProfile, now time.Time, n int) []*backend.Payment {
	t.Helper()
	ctx := context.Background()
	orders := make([]*backend.Order, n)
	for i := range orders {
		no := fmt.Sprint(180001 + i)
		amount := backend.Yen(2000 + (i*7919)%8000)
		orders[i] = &backend.Order{OrderNo: no, OrderedAt: now, CustomerName: "佐藤 美咲", CustomerKana: "サトウ ミサキ",
			Email: "misaki@example.jp", Tel: "06-1234-5678", PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Source: "test",
			Items: []backend.LineItem{
				{ProductCode: "MG-" + no, ProductName: "波佐見焼マグカップ", Variant: "藍", UnitPrice: amount - 600, Quantity: 1},
				{ProductCode: "CS-" + no, ProductName: "コースター", Variant: "桜", UnitPrice: 300, Quantity: 2},
			},
			Subtotal: amount, Total: amount}
	}
	require.NoError(t, db.SaveOrders(ctx, orders))
	pays := make([]*backend.Payment, n)
	for i, o := range orders {
		p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
			GatewayOrderID: "KD-" + o.OrderNo, State: backend.StateAuthorized, AmountAuthorized: o.Total, AuthorizedAt: now,
			AuthExpiresAt: now.AddDate(0, 0, 90), RawStatus: "AUTH", LastSyncedAt: now}
		var err error
		p.GatewayTranID, p.GatewayTranPass, err = sim.AddCardTrade(gmosim.CardSpec{ShopID: shopID, OrderID: p.GatewayOrderID,
			Amount: int64(o.Total), AuthDate: now})
		require.NoError(t, err)
		pays[i] = p
	}
	require.NoError(t, db.SavePayments(ctx, pays))
	return pays
}

// salesRequests counts, per OrderID, the SALES requests that reached the simulator's
// business logic (applied or refused); one lost on the way (its desktop died during
// the latency) never did.
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

func assertJapanese(t *testing.T, msg string) {
	t.Helper()
	for _, r := range msg {
		if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
			return
		}
	}
	assert.Failf(t, "not a Japanese message", "%q", msg)
}
