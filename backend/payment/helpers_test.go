package payment_test

// The fixture of the engine's behaviour tests: a real store (SQLite in a temporary
// folder, or a fresh PostgreSQL database: stores_test.go), the GMO-PG simulator over HTTP on 127.0.0.1, the real gateway factory
// (ShopPass from an in-memory vault) and client. The app and the gateway share one
// instant: the engine's backend.Clock and the store's clock read the simulator's
// simkit.Clock, which the tests set in JST.

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/gmo"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/vault"
)

const (
	shopID   = "tshop00054321" // 13 alphanumerics at most
	shopPass = "Pw5xk29Lq"     // 10 alphanumerics at most
	operator = "店長"
)

// t0 is Tuesday 10 November 2026, 10:00 in Japan.
var t0 = time.Date(2026, 11, 10, 10, 0, 0, 0, backend.JST)

func jst(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, backend.JST)
}

type fixture struct {
	t     *testing.T
	ctx   context.Context
	clock *simkit.Clock
	sim   *gmosim.Sim
	db    testStore
	ref   storeRef // how a second desktop reaches db
	vault *vault.Memory
	prof  *backend.GatewayProfile
	eng   *payment.Engine
	note  *recorder
	seq   int
}

func newFixture(t *testing.T) *fixture { return newFixtureTimeout(t, 5*time.Second) }

// newFixtureTimeout bounds every gateway call by timeout (the client's HTTP timeout
// and the engine's).
func newFixtureTimeout(t *testing.T, timeout time.Duration) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), clock: simkit.NewClock(t0), note: newRecorder()}
	sim, err := gmosim.Start(gmosim.Options{Clock: f.clock})
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	sim.AddShop(shopID, shopPass)
	f.sim = sim

	db, ref := openStore(t, f.clock.Now)
	f.db, f.ref = db, ref

	f.prof = &backend.GatewayProfile{Name: "GMO-PG テスト環境", Kind: backend.GatewayGMO, Environment: backend.EnvTest,
		Host: sim.URL(), MerchantID: shopID, AuthExpiryDays: 90, Methods: []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini}}
	require.NoError(t, db.SaveProfile(f.ctx, f.prof))
	f.vault = vault.NewMemory()
	require.NoError(t, f.vault.Set(backend.SecretKey(f.prof.ID, backend.SecretShopPass), shopPass))
	f.eng = f.newEngine(timeout)
	return f
}

// newEngine is a fresh engine with its own gateway factory, as after a restart of the app.
func (f *fixture) newEngine(timeout time.Duration) *payment.Engine {
	gws := &gateways.Factory{Vault: f.vault, Timeout: timeout}
	return &payment.Engine{Store: f.db, Gateways: gws, Clock: f.clock, Notifier: f.note, Timeout: timeout}
}

// setNow moves the app and the gateway to t together.
func (f *fixture) setNow(t time.Time) { f.clock.Set(t) }

// order saves a card order of two lines whose total is amount (at least 2,000円).
func (f *fixture) order(amount backend.Yen) *backend.Order {
	f.t.Helper()
	f.seq++
	no := fmt.Sprint(200000 + f.seq)
	o := &backend.Order{OrderNo: no, OrderedAt: f.clock.Now(), CustomerName: "山田 花子", CustomerKana: "ヤマダ ハナコ",
		Email: "hanako@example.jp", Tel: "03-1234-5678", PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Source: "test",
		Items: []backend.LineItem{
			{ProductCode: "TS-" + no, ProductName: "オーガニックコットンTシャツ", Variant: "M / ブラック", UnitPrice: amount - 1000, Quantity: 1},
			{ProductCode: "SK-" + no, ProductName: "リネン靴下", Variant: "23-25cm", UnitPrice: 500, Quantity: 2},
		},
		Subtotal: amount, Total: amount}
	require.NoError(f.t, f.db.SaveOrder(f.ctx, o))
	return o
}

// cardSpec is a card payment as the shop's checkout left it.
type cardSpec struct {
	amount  backend.Yen
	status  string    // at the gateway: AUTH (default) or SALES
	authAt  time.Time // default: now
	salesAt time.Time // for SALES; default: authAt
}

// card creates the transaction at the simulator (AddCardTrade) and the order and
// payment in the store with the gateway's identifiers.
func (f *fixture) card(c cardSpec) *backend.Payment {
	f.t.Helper()
	if c.status == "" {
		c.status = "AUTH"
	}
	if c.authAt.IsZero() {
		c.authAt = f.clock.Now()
	}
	if c.status == "SALES" && c.salesAt.IsZero() {
		c.salesAt = c.authAt
	}
	o := f.order(c.amount)
	p := &backend.Payment{OrderID: o.ID, ProfileID: f.prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
		GatewayOrderID: "KD-" + o.OrderNo, State: backend.StateAuthorized, AmountAuthorized: c.amount, AuthorizedAt: c.authAt,
		AuthExpiresAt: c.authAt.AddDate(0, 0, 90), RawStatus: c.status, LastSyncedAt: f.clock.Now()}
	if c.status == "SALES" {
		p.State, p.AmountCaptured, p.CapturedAt = backend.StateCaptured, c.amount, c.salesAt
		require.NoError(f.t, f.db.SetOrderStatus(f.ctx, o.ID, backend.OrderPaid, "test"))
	}
	var err error
	p.GatewayTranID, p.GatewayTranPass, err = f.sim.AddCardTrade(gmosim.CardSpec{ShopID: shopID, OrderID: p.GatewayOrderID,
		Amount: int64(c.amount), Status: c.status, AuthDate: c.authAt, SalesDate: c.salesAt})
	require.NoError(f.t, err)
	require.NoError(f.t, f.db.SavePayment(f.ctx, p))
	return p
}

func (f *fixture) payment(id int64) *backend.Payment {
	f.t.Helper()
	p, err := f.db.PaymentByID(f.ctx, id)
	require.NoError(f.t, err)
	return p
}

func (f *fixture) orderStatus(p *backend.Payment) backend.OrderStatus {
	f.t.Helper()
	o, err := f.db.OrderByID(f.ctx, p.OrderID)
	require.NoError(f.t, err)
	return o.Status
}

func (f *fixture) ops(paymentID int64) []*backend.Operation {
	f.t.Helper()
	ops, err := f.db.OperationsByPayment(f.ctx, paymentID)
	require.NoError(f.t, err)
	return ops
}

// trade is the simulator's own record of the payment.
func (f *fixture) trade(p *backend.Payment) gmosim.Trade {
	f.t.Helper()
	tr, ok := f.sim.Trade(p.GatewayOrderID)
	require.True(f.t, ok)
	return tr
}

// calls lists the requests the simulator received, oldest first, as "API" or
// "API:JobCd" (e.g. "AlterTran:SALES", "SearchTrade"), for the transaction of p
// (nil: all). A request lost before the simulator's logic has no fields: it is
// listed as the bare API name, whatever p is.
func (f *fixture) calls(p *backend.Payment) []string {
	out := []string{}
	for _, e := range f.sim.Server.Log.Entries() {
		if p != nil && e.Fields != nil && e.Fields["OrderID"] != p.GatewayOrderID && e.TxID != p.GatewayOrderID &&
			e.Fields["AccessID"] != p.GatewayTranID {
			continue
		}
		out = append(out, call(e))
	}
	return out
}

func call(e simkit.Entry) string {
	api := strings.TrimSuffix(strings.TrimPrefix(e.Path, "/payment/"), ".idPass")
	if job := e.Fields["JobCd"]; job != "" {
		api += ":" + job
	}
	return api
}

// cancelStock lists the product codes of the order's キャンセル在庫 lines (未対応).
func (f *fixture) cancelStock(orderID int64) []string {
	f.t.Helper()
	items, err := f.db.CancelStock(f.ctx, "pending")
	require.NoError(f.t, err)
	var out []string
	for _, it := range items {
		if it.OrderID == orderID {
			out = append(out, it.ProductCode)
		}
	}
	return out
}

// directClient talks to the simulator without the engine: the request that was on
// the wire when the app died.
func (f *fixture) directClient() *gmo.Client {
	f.t.Helper()
	c, err := gmo.New(gmo.Config{Kind: backend.GatewayGMO, Host: f.sim.URL(), ShopID: shopID, ShopPass: shopPass, Timeout: 5 * time.Second})
	require.NoError(f.t, err)
	return c
}

// assertJapanese checks that an operator-facing message is Japanese text.
func assertJapanese(t *testing.T, msg string) {
	t.Helper()
	for _, r := range msg {
		if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
			return
		}
	}
	assert.Failf(t, "not a Japanese message", "%q", msg)
}

// recorder is the Notifier: it keeps the bulk progress events.
type recorder struct {
	mu       sync.Mutex
	progress []payment.BulkProgress
	finished chan int64 // job IDs whose run finished or was cancelled
}

func newRecorder() *recorder { return &recorder{finished: make(chan int64, 16)} }

func (r *recorder) Emit(event string, data any) {
	bp, ok := data.(payment.BulkProgress)
	if event != payment.EventBulkProgress || !ok {
		return
	}
	r.mu.Lock()
	r.progress = append(r.progress, bp)
	r.mu.Unlock()
	if bp.State != "running" {
		r.finished <- bp.JobID
	}
}

func (r *recorder) Notify(string, string) {}

// last is the last progress event of a job.
func (r *recorder) last(jobID int64) (payment.BulkProgress, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.progress) - 1; i >= 0; i-- {
		if r.progress[i].JobID == jobID {
			return r.progress[i], true
		}
	}
	return payment.BulkProgress{}, false
}

// waitFinished waits for the final progress event of a background run.
func (r *recorder) waitFinished(t *testing.T, jobID int64) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case id := <-r.finished:
			if id == jobID {
				return
			}
		case <-deadline:
			t.Fatalf("bulk run %d did not finish within 10 s", jobID)
		}
	}
}
