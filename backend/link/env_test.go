package link_test

// The fixture of the link tests: a real SQLite file, the gateway simulators over HTTP
// (HTTPS with a client certificate for Paygent) on 127.0.0.1, the real gateway factory
// with an in-memory keychain, and the link service — the same pieces the app wires.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/gmo"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/link"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/sbps/sbpssim"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/textenc"
	"kessaidesk/backend/throttle"
	"kessaidesk/backend/vault"
)

// Tuesday 10 November 2026, 10:00 JST.
var t0 = time.Date(2026, 11, 10, 10, 0, 0, 0, backend.JST)

const (
	gmoShop     = "tshop00012345"
	gmoPass     = "s3cretPw9"
	pgMerchant  = "30012345"
	pgConnect   = "kdtest01"
	pgPassword  = "s3cretConnPw9"
	sbMerchant  = "71234"
	sbService   = "001"
	sbHashKey   = "5a1c0e7d93b24f6a8c0d2e4f6a8b0c1d3e5f7a9b"
	operatorJA  = "山田 花子"
	linkedEvent = "決済を連携しました"
)

type env struct {
	t       *testing.T
	ctx     context.Context
	clock   *simkit.Clock
	db      *sqlite.DB
	vault   *vault.Memory
	factory *gateways.Factory
	svc     *link.Service
	events  *recorder

	gmo *gmosim.Sim
	pg  *paygentsim.Sim
	sb  *sbpssim.Sim
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), clock: simkit.NewClock(t0), vault: vault.NewMemory(), events: &recorder{}}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "kessaidesk.db"))
	require.NoError(t, err)
	db.Now = e.clock.Now
	t.Cleanup(func() { db.Close() })
	e.db = db
	e.factory = &gateways.Factory{Vault: e.vault, Timeout: 3 * time.Second, Now: e.clock.Now}
	e.svc = &link.Service{Store: db, Gateways: e.factory, Clock: e.clock, Notifier: e.events, Limits: &throttle.Registry{}}
	return e
}

// recorder keeps the events; onProgress, when set, sees every progress event.
type recorder struct {
	mu         sync.Mutex
	progress   []link.Progress
	onProgress func(link.Progress)
}

func (r *recorder) Emit(event string, data any) {
	if event != link.EventProgress {
		return
	}
	p := data.(link.Progress)
	r.mu.Lock()
	r.progress = append(r.progress, p)
	hook := r.onProgress
	r.mu.Unlock()
	if hook != nil {
		hook(p)
	}
}

func (r *recorder) Notify(string, string) {}

func (r *recorder) last() link.Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.progress[len(r.progress)-1]
}

// --- profiles ---

func (e *env) saveProfile(p *backend.GatewayProfile, secrets map[string]string) *backend.GatewayProfile {
	e.t.Helper()
	if p.Environment == "" {
		p.Environment = backend.EnvTest
	}
	require.NoError(e.t, e.db.SaveProfile(e.ctx, p))
	for k, v := range secrets {
		require.NoError(e.t, e.vault.Set(backend.SecretKey(p.ID, k), v))
	}
	return p
}

func (e *env) startGMO() *gmosim.Sim {
	if e.gmo == nil {
		sim, err := gmosim.Start(gmosim.Options{Clock: e.clock})
		require.NoError(e.t, err)
		e.t.Cleanup(func() { sim.Close() })
		sim.AddShop(gmoShop, gmoPass)
		e.gmo = sim
	}
	return e.gmo
}

func (e *env) gmoProfile(name string, rule backend.LinkRule, methods ...backend.PaymentMethod) *backend.GatewayProfile {
	e.startGMO()
	if len(methods) == 0 {
		methods = []backend.PaymentMethod{backend.MethodCard}
	}
	return e.saveProfile(&backend.GatewayProfile{Name: name, Kind: backend.GatewayGMO, Host: e.gmo.URL(), MerchantID: gmoShop,
		Methods: methods, AuthExpiryDays: 90, LinkRule: rule}, map[string]string{backend.SecretShopPass: gmoPass})
}

func (e *env) paygentProfile(name string, methods ...backend.PaymentMethod) *backend.GatewayProfile {
	if e.pg == nil {
		sim, err := paygentsim.Start(paygentsim.Options{Clock: e.clock})
		require.NoError(e.t, err)
		e.t.Cleanup(func() { sim.Close() })
		sim.AddMerchant(paygentsim.Merchant{ID: pgMerchant, ConnectID: pgConnect, ConnectPassword: pgPassword})
		e.pg = sim
		e.factory.RootCAs = sim.PKI().RootCAs()
	}
	cert, key, err := e.pg.PKI().IssueClient(paygentsim.ClientSpec{CommonName: "KESSAIDESK TEST SHOP"})
	require.NoError(e.t, err)
	if len(methods) == 0 {
		methods = []backend.PaymentMethod{backend.MethodCard}
	}
	return e.saveProfile(&backend.GatewayProfile{Name: name, Kind: backend.GatewayPaygent, Host: e.pg.URL(), MerchantID: pgMerchant,
		SubID: pgConnect, Methods: methods, AuthExpiryDays: 60},
		map[string]string{backend.SecretConnectPassword: pgPassword, backend.SecretClientCert: string(cert) + string(key)})
}

func (e *env) sbpsProfile(name string, methods ...backend.PaymentMethod) *backend.GatewayProfile {
	if e.sb == nil {
		sim, err := sbpssim.Start(sbpssim.Options{Clock: e.clock})
		require.NoError(e.t, err)
		e.t.Cleanup(func() { sim.Close() })
		sim.AddMerchant(sbpssim.Merchant{MerchantID: sbMerchant, ServiceID: sbService, HashKey: sbHashKey})
		e.sb = sim
	}
	if len(methods) == 0 {
		methods = []backend.PaymentMethod{backend.MethodCard}
	}
	return e.saveProfile(&backend.GatewayProfile{Name: name, Kind: backend.GatewaySBPS, Host: e.sb.URL(), MerchantID: sbMerchant,
		SubID: sbService, Methods: methods, AuthExpiryDays: 60}, map[string]string{backend.SecretHashKey: sbHashKey})
}

// --- orders and payments ---

// order saves an order without a payment, as an import leaves it.
func (e *env) order(no string, method backend.PaymentMethod, total backend.Yen) *backend.Order {
	e.t.Helper()
	o := &backend.Order{OrderNo: no, OrderedAt: t0.Add(-time.Hour), CustomerName: "佐藤 美咲", CustomerKana: "サトウ ミサキ",
		Email: "misaki@example.jp", Tel: "06-1234-5678", PaymentMethod: method, Status: backend.OrderNew, Source: "csv",
		Items:    []backend.LineItem{{ProductCode: "MG-1", ProductName: "波佐見焼マグカップ", UnitPrice: total, Quantity: 1}},
		Subtotal: total, Total: total}
	require.NoError(e.t, e.db.SaveOrder(e.ctx, o))
	return o
}

func (e *env) payments(orderID int64) []*backend.Payment {
	e.t.Helper()
	ps, err := e.db.PaymentsByOrder(e.ctx, orderID)
	require.NoError(e.t, err)
	return ps
}

// payment is the order's only payment.
func (e *env) payment(orderID int64) *backend.Payment {
	e.t.Helper()
	ps := e.payments(orderID)
	require.Len(e.t, ps, 1, "order %d: exactly one payment", orderID)
	return ps[0]
}

func (e *env) state(orderID int64) *backend.OrderLink {
	e.t.Helper()
	l, err := e.db.LinkState(e.ctx, orderID)
	require.NoError(e.t, err)
	return l
}

// linkEvents are the order's "linked" events.
func (e *env) linkEvents(orderID int64) []backend.OrderEvent {
	e.t.Helper()
	evs, err := e.db.OrderEvents(e.ctx, orderID)
	require.NoError(e.t, err)
	var out []backend.OrderEvent
	for _, ev := range evs {
		if strings.HasPrefix(ev.Detail, linkedEvent) {
			out = append(out, ev)
		}
	}
	return out
}

func (e *env) run(opt link.RunOptions) *link.Report {
	e.t.Helper()
	rep, err := e.svc.Run(e.ctx, opt)
	require.NoError(e.t, err)
	return rep
}

// gmoCheckout runs the shop's checkout at the GMO simulator over HTTP — EntryTran
// with Amount and Tax apart, then ExecTran (exec false leaves it UNPROCESSED, like a
// payment the customer did not finish) — and returns AccessID and AccessPass.
func (e *env) gmoCheckout(orderID string, amount, tax int64, exec bool) (string, string) {
	e.t.Helper()
	a := e.gmoPost("EntryTran", []gmo.Field{fld("OrderID", orderID), fld("JobCd", "AUTH"), fld("Amount", fmt.Sprint(amount)), fld("Tax", fmt.Sprint(tax))})
	if exec {
		e.gmoPost("ExecTran", []gmo.Field{fld("AccessID", a["AccessID"]), fld("AccessPass", a["AccessPass"]), fld("OrderID", orderID),
			fld("Method", "1"), fld("Token", "tok-"+orderID)})
	}
	return a["AccessID"], a["AccessPass"]
}

func fld(k, v string) gmo.Field { return gmo.Field{Key: k, Value: v} }

func (e *env) gmoPost(api string, fields []gmo.Field) gmo.Answer {
	e.t.Helper()
	body, err := gmo.EncodeForm(append([]gmo.Field{fld("ShopID", gmoShop), fld("ShopPass", gmoPass)}, fields...))
	require.NoError(e.t, err)
	resp, err := http.Post(e.gmo.URL()+"/payment/"+api+".idPass", "application/x-www-form-urlencoded", bytes.NewReader(body))
	require.NoError(e.t, err)
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	a, err := gmo.ParseAnswer(buf.Bytes())
	require.NoError(e.t, err)
	require.Empty(e.t, a["ErrInfo"], "%s: %v", api, a)
	return a
}

// writeCSV writes lines (CRLF) in CP932 or UTF-8 and returns the file's path.
func writeCSV(t *testing.T, cp932 bool, lines ...string) string {
	t.Helper()
	text := strings.Join(lines, "\r\n") + "\r\n"
	data := []byte(text)
	if cp932 {
		var err error
		data, err = textenc.EncodeCP932(text)
		require.NoError(t, err)
	}
	p := filepath.Join(t.TempDir(), "console.csv")
	require.NoError(t, os.WriteFile(p, data, 0o600))
	return p
}

func jst(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, backend.JST)
}
