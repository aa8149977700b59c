package gmo_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/textenc"
)

const (
	shopID   = "tshop00012345"
	shopPass = "s3cretPw9"
)

// day 1 of the tests: Tuesday 10 November 2026, 10:00 JST.
var t0 = time.Date(2026, 11, 10, 10, 0, 0, 0, backend.JST)

type fixture struct {
	sim    *gmosim.Sim
	client *gmo.Client
	clock  *simkit.Clock
}

func setup(t *testing.T) *fixture {
	t.Helper()
	clock := simkit.NewClock(t0)
	sim, err := gmosim.Start(gmosim.Options{Clock: clock})
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	sim.AddShop(shopID, shopPass)
	c, err := gmo.New(gmo.Config{Kind: backend.GatewayGMO, Host: sim.URL(), ShopID: shopID, ShopPass: shopPass, Timeout: 2 * time.Second})
	require.NoError(t, err)
	return &fixture{sim: sim, client: c, clock: clock}
}

func (f *fixture) card(t *testing.T, orderID string, amount int64, status string, auth, sales time.Time) *backend.Payment {
	t.Helper()
	id, pass, err := f.sim.AddCardTrade(gmosim.CardSpec{ShopID: shopID, OrderID: orderID, Amount: amount, Status: status, AuthDate: auth, SalesDate: sales})
	require.NoError(t, err)
	state := map[string]backend.PaymentState{"AUTH": backend.StateAuthorized, "SALES": backend.StateCaptured, "VOID": backend.StateVoided}[status]
	return &backend.Payment{Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: orderID, GatewayTranID: id,
		GatewayTranPass: pass, State: state, AmountAuthorized: backend.Yen(amount), AuthorizedAt: auth, CapturedAt: sales}
}

func code(err error) string { return backend.ErrorCode(err) }

func class(err error) backend.ErrorClass { return backend.ErrorClassOf(err) }

// --- wire ---

func TestWireRequests(t *testing.T) {
	type seen struct {
		method, path, ctype string
		form                url.Values
	}
	var mu sync.Mutex
	var got []seen
	srv, err := simkit.Start(func(r *simkit.Request) *simkit.Response {
		q, _ := url.ParseQuery(string(r.Body))
		mu.Lock()
		got = append(got, seen{r.HTTP.Method, r.HTTP.URL.Path, r.HTTP.Header.Get("Content-Type"), q})
		mu.Unlock()
		body := "AccessID=0123&AccessPass=4567&Forward=2a99662&Approve=1234567&TranID=1&TranDate=20261110100000"
		if strings.Contains(r.HTTP.URL.Path, "SearchTrade") {
			body = "OrderID=KD-1&Status=AUTH&ProcessDate=20261110100000&JobCd=AUTH&AccessID=0123&AccessPass=4567&Amount=1000&Tax=0&Method=2&PayTimes=3"
		}
		return &simkit.Response{Body: []byte(body)}
	}, simkit.Options{})
	require.NoError(t, err)
	defer srv.Close()
	c, err := gmo.New(gmo.Config{Host: srv.URL, ShopID: shopID, ShopPass: shopPass})
	require.NoError(t, err)
	ctx := context.Background()
	p := &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "KD-1", GatewayTranID: "0123", GatewayTranPass: "4567", AmountAuthorized: 1000}

	_, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	require.NoError(t, err)
	_, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReturnX})
	require.NoError(t, err)
	_, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 800})
	require.NoError(t, err)
	_, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReauth, Amount: 1200, CaptureNow: true})
	require.NoError(t, err)
	_, err = c.Inquire(ctx, &backend.Payment{Method: backend.MethodKonbini, GatewayOrderID: "KD-2"})
	assert.Error(t, err) // the fake answers a card body; the fields are what matter here

	want := []struct {
		path   string
		fields map[string]string
	}{
		{"/payment/AlterTran.idPass", map[string]string{"ShopID": shopID, "ShopPass": shopPass, "AccessID": "0123", "AccessPass": "4567", "JobCd": "SALES", "Amount": "1000"}},
		{"/payment/AlterTran.idPass", map[string]string{"ShopID": shopID, "ShopPass": shopPass, "AccessID": "0123", "AccessPass": "4567", "JobCd": "RETURNX"}},
		{"/payment/ChangeTran.idPass", map[string]string{"ShopID": shopID, "ShopPass": shopPass, "AccessID": "0123", "AccessPass": "4567", "JobCd": "AUTH", "Amount": "800"}},
		{"/payment/SearchTrade.idPass", map[string]string{"ShopID": shopID, "ShopPass": shopPass, "OrderID": "KD-1"}},
		{"/payment/AlterTran.idPass", map[string]string{"ShopID": shopID, "ShopPass": shopPass, "AccessID": "0123", "AccessPass": "4567", "JobCd": "CAPTURE", "Amount": "1200", "Method": "2", "PayTimes": "3"}},
		{"/payment/SearchTradeMulti.idPass", map[string]string{"ShopID": shopID, "ShopPass": shopPass, "OrderID": "KD-2", "PayType": "3"}},
	}
	require.Len(t, got, len(want))
	for i, w := range want {
		assert.Equal(t, http.MethodPost, got[i].method)
		assert.Equal(t, "application/x-www-form-urlencoded", got[i].ctype)
		assert.Equal(t, w.path, got[i].path)
		fields := map[string]string{}
		for k, v := range got[i].form {
			fields[k] = v[0]
		}
		assert.Equal(t, w.fields, fields, "request %d", i)
	}
}

func TestWireJapaneseIsShiftJIS(t *testing.T) {
	var raw []byte
	srv, err := simkit.Start(func(r *simkit.Request) *simkit.Response {
		raw = r.Body
		return &simkit.Response{Body: []byte("ErrCode=E01&ErrInfo=E01110002")}
	}, simkit.Options{})
	require.NoError(t, err)
	defer srv.Close()
	c, err := gmo.New(gmo.Config{Host: srv.URL, ShopID: shopID, ShopPass: shopPass})
	require.NoError(t, err)
	v, err := c.Inquire(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "受注-1"})
	require.NoError(t, err)
	assert.False(t, v.Found)
	want, _ := textenc.EncodeCP932("受注-1")
	assert.Contains(t, string(raw), "OrderID="+url.QueryEscape(string(want)))
}

func TestHostRules(t *testing.T) {
	assert.Equal(t, "https://pt01.mul-pay.jp", gmo.HostFor(backend.GatewayGMO, backend.EnvTest))
	assert.Equal(t, "https://p01.mul-pay.jp", gmo.HostFor(backend.GatewayGMO, backend.EnvProduction))
	assert.Equal(t, "https://pt01.smbc-gp.co.jp", gmo.HostFor(backend.GatewaySGP, backend.EnvTest))
	assert.Equal(t, "https://p01.smbc-gp.co.jp", gmo.HostFor(backend.GatewaySGP, backend.EnvProduction))
	assert.NoError(t, gmo.ValidateHost("https://kt01.example.jp"))
	assert.NoError(t, gmo.ValidateHost("http://127.0.0.1:8080"))
	for _, bad := range []string{"http://pt01.mul-pay.jp", "http://localhost:8080", "ftp://x", "pt01.mul-pay.jp", "https://x/payment"} {
		assert.Equal(t, backend.EINVALID, code(gmo.ValidateHost(bad)), bad)
	}
	_, err := gmo.New(gmo.Config{ShopID: shopID})
	assert.Equal(t, backend.ECREDENTIAL, code(err))
}

// --- client ⇄ simulator ---

func TestCaptureAndInquire(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD-1001", 5775, "AUTH", t0, time.Time{})
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State)
	assert.Equal(t, backend.Yen(5775), v.AmountAuthorized)

	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 5775})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	v, err = f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, "SALES", v.RawStatus)
	assert.Equal(t, backend.Yen(5775), v.AmountCaptured)

	// A second capture: the gateway says the state does not allow it ("already done").
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 5775})
	assert.Equal(t, backend.ClassAlreadyDone, class(err))
	assert.Equal(t, 1, f.sim.Server.Log.CountApplied("SALES")["KD-1001"])
}

func TestCaptureAmountMustMatchTheAuthorisation(t *testing.T) {
	f := setup(t)
	p := f.card(t, "KD-1", 1000, "AUTH", t0, time.Time{})
	_, err := f.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 900})
	assert.Equal(t, backend.EINVALID, code(err), "refused before sending")
	assert.Empty(t, f.sim.Server.Log.Entries())
}

func TestCancelsByDate(t *testing.T) {
	f := setup(t)
	ctx := context.Background()

	// Same day: VOID.
	p := f.card(t, "KD-V", 1000, "AUTH", t0, time.Time{})
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, v.State)

	// Next day: VOID is refused, RETURN works.
	p = f.card(t, "KD-R", 1000, "SALES", t0, t0)
	f.clock.Set(t0.Add(24 * time.Hour))
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "取消は最後の処理（与信・売上・金額変更）と同じ日")
	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReturn})
	require.NoError(t, err)
	assert.Equal(t, backend.StateRefunded, v.State)

	// Next month: RETURN is refused for a sale, RETURNX works.
	p = f.card(t, "KD-X", 1000, "SALES", t0, t0)
	f.clock.Set(time.Date(2026, 12, 1, 0, 0, 0, 0, backend.JST))
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReturn})
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "月跨返品")
	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReturnX})
	require.NoError(t, err)
	assert.Equal(t, "RETURNX", v.RawStatus)

	// An authorisation never captured is returned with RETURN in a later month.
	p = f.card(t, "KD-A", 1000, "AUTH", t0, time.Time{})
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReturn})
	assert.NoError(t, err)
}

func TestIllegalOperations(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD-C", 1000, "VOID", t0, time.Time{})
	_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	require.Error(t, err, "capture of a cancelled payment")
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "今の状態では、その処理は行えません")

	p = f.card(t, "KD-90", 1000, "AUTH", t0, time.Time{})
	f.clock.Set(t0.AddDate(0, 0, 91))
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "90日")

	p = f.card(t, "KD-180", 1000, "SALES", t0, t0)
	f.clock.Set(t0.AddDate(0, 0, 181))
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReturnX})
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "180日")
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "E11010010")
}

func TestChangeAmountAndReauth(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD-CH", 5000, "AUTH", t0, time.Time{})
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4200})
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State)
	tr, _ := f.sim.Trade("KD-CH")
	assert.Equal(t, int64(4200), tr.Amount)
	// 金額変更 with 即時売上
	p.AmountAuthorized = 4200
	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4000, CaptureNow: true})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	tr, _ = f.sim.Trade("KD-CH")
	assert.Equal(t, "CAPTURE", tr.Status)

	// 再オーソリ after a VOID, keeping the original method.
	q := f.card(t, "KD-RA", 3000, "VOID", t0, time.Time{})
	v, err = f.client.Do(ctx, q, backend.GatewayOp{Kind: backend.OpReauth, Amount: 3300})
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State)
	tr, _ = f.sim.Trade("KD-RA")
	assert.Equal(t, "AUTH", tr.Status)
	assert.Equal(t, int64(3300), tr.Amount)
	// re-auth of a live authorisation is refused
	_, err = f.client.Do(ctx, q, backend.GatewayOp{Kind: backend.OpReauth, Amount: 3300})
	assert.Error(t, err)
}

func TestChangeAmountDeclined(t *testing.T) {
	f := setup(t)
	id, pass, err := f.sim.AddCardTrade(gmosim.CardSpec{ShopID: shopID, OrderID: "KD-D", Amount: 1000, AuthDate: t0, CardLimit: 5000})
	require.NoError(t, err)
	p := &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "KD-D", GatewayTranID: id, GatewayTranPass: pass, State: backend.StateAuthorized, AmountAuthorized: 1000}
	_, err = f.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 8000})
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "利用限度額")
	tr, _ := f.sim.Trade("KD-D")
	assert.Equal(t, int64(1000), tr.Amount, "the old authorisation stands")
}

func TestKonbiniAndPayEasy(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	id, pass, err := f.sim.AddCvsTrade(gmosim.DepositSpec{ShopID: shopID, OrderID: "KD-CVS", Amount: 3300, Issued: t0})
	require.NoError(t, err)
	p := &backend.Payment{Method: backend.MethodKonbini, GatewayOrderID: "KD-CVS", GatewayTranID: id, GatewayTranPass: pass}
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAwaitingDeposit, v.State)
	assert.Equal(t, time.Date(2026, 11, 17, 23, 59, 59, 0, backend.JST), v.PaymentDeadline.In(backend.JST))

	f.clock.Set(t0.Add(5 * time.Hour))
	require.NoError(t, f.sim.MarkPaid("KD-CVS"))
	v, err = f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateDeposited, v.State)
	assert.True(t, v.PaidAt.Equal(t0.Add(5*time.Hour)))
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpStopPayment})
	assert.Error(t, err, "a paid slip cannot be stopped")

	// Pay-easy expires when the clock passes the deadline.
	_, _, err = f.sim.AddPayEasyTrade(gmosim.DepositSpec{ShopID: shopID, OrderID: "KD-PE", Amount: 5000, Issued: t0})
	require.NoError(t, err)
	q := &backend.Payment{Method: backend.MethodPayEasy, GatewayOrderID: "KD-PE"}
	f.clock.Set(t0.AddDate(0, 0, 8))
	v, err = f.client.Inquire(ctx, q)
	require.NoError(t, err)
	assert.Equal(t, backend.StateExpired, v.State)

	// 支払停止 of an unpaid slip.
	id, pass, _ = f.sim.AddCvsTrade(gmosim.DepositSpec{ShopID: shopID, OrderID: "KD-STOP", Amount: 1000, Issued: t0.AddDate(0, 0, 8)})
	s := &backend.Payment{Method: backend.MethodKonbini, GatewayOrderID: "KD-STOP", GatewayTranID: id, GatewayTranPass: pass}
	v, err = f.client.Do(ctx, s, backend.GatewayOp{Kind: backend.OpStopPayment})
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, v.State)
}

func TestUnknownTransactionIsNotFound(t *testing.T) {
	f := setup(t)
	v, err := f.client.Inquire(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "NOPE"})
	require.NoError(t, err)
	assert.False(t, v.Found)
	v, err = f.client.Inquire(context.Background(), &backend.Payment{Method: backend.MethodKonbini, GatewayOrderID: "NOPE"})
	require.NoError(t, err)
	assert.False(t, v.Found)
}

func TestWrongShopPassAndNoSecretInErrors(t *testing.T) {
	f := setup(t)
	p := f.card(t, "KD-P", 1000, "AUTH", t0, time.Time{})
	bad, err := gmo.New(gmo.Config{Host: f.sim.URL(), ShopID: shopID, ShopPass: "wrongPass1"})
	require.NoError(t, err)
	_, err = bad.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ECREDENTIAL, code(err))
	assert.Equal(t, backend.ClassAuthFailed, class(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "ショップIDまたはショップパスワードが正しくありません")
	assert.Error(t, bad.Ping(context.Background()))
	assert.NoError(t, f.client.Ping(context.Background()))
	for _, e := range []error{err, bad.Ping(context.Background())} {
		for _, lang := range []string{"ja", "en"} {
			msg := backend.ErrorMessage(e, lang) + e.Error()
			assert.NotContains(t, msg, "wrongPass1")
			assert.NotContains(t, msg, p.GatewayTranPass)
		}
	}
	for _, entry := range f.sim.Server.Log.Entries() {
		assert.NotEqual(t, shopPass, entry.Fields["ShopPass"], "the simulator log masks secrets")
	}
}

func TestMultipleValidationErrors(t *testing.T) {
	f := setup(t)
	// An empty AccessID and AccessPass: the gateway lists both errors.
	_, err := f.client.Do(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayTranID: "x", GatewayTranPass: "y"},
		backend.GatewayOp{Kind: backend.OpVoid})
	require.Error(t, err)
	var be *backend.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "E01:E01090008 E01:E01100008", be.GatewayCode)
}

// --- faults ---

func TestFaultsMakeTheOutcomeUnknown(t *testing.T) {
	for _, fk := range []simkit.FaultKind{simkit.FaultTimeout, simkit.Fault500, simkit.Fault503, simkit.FaultTruncate, simkit.FaultGarble, simkit.FaultWrongField, simkit.FaultReset} {
		t.Run(string(fk), func(t *testing.T) {
			f := setup(t)
			p := f.card(t, "KD-F", 1000, "AUTH", t0, time.Time{})
			f.sim.Server.Faults.Next("AlterTran", 1, simkit.Fault{Kind: fk, After: true})
			_, err := f.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
			require.Error(t, err)
			assert.Equal(t, backend.ClassUnknown, class(err), backend.ErrorMessage(err, "ja"))
			assert.Equal(t, backend.EUNKNOWN, code(err))
			// The money moved although the client could not know: the log says so.
			assert.Equal(t, 1, f.sim.Server.Log.CountApplied("SALES")["KD-F"])
			v, err := f.client.Inquire(context.Background(), p)
			require.NoError(t, err)
			assert.Equal(t, backend.StateCaptured, v.State)
		})
	}
}

func TestFaultBeforeTheLogicChangesNothing(t *testing.T) {
	f := setup(t)
	p := f.card(t, "KD-B", 1000, "AUTH", t0, time.Time{})
	f.sim.Server.Faults.Next("AlterTran", 1, simkit.Fault{Kind: simkit.Fault500})
	_, err := f.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassUnknown, class(err))
	assert.Empty(t, f.sim.Server.Log.CountApplied("SALES"))
	v, _ := f.client.Inquire(context.Background(), p)
	assert.Equal(t, backend.StateAuthorized, v.State)
}

func TestConnectionRefusedIsNotSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c, err := gmo.New(gmo.Config{Host: "http://" + addr, ShopID: shopID, ShopPass: shopPass, Timeout: time.Second})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayTranID: "a", GatewayTranPass: "b", AmountAuthorized: 1}, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1})
	assert.Equal(t, backend.EOFFLINE, code(err))
	assert.Equal(t, backend.ClassNotSent, class(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "接続できません")
}

func TestGetAndMissingContentTypeAreRefusedBySimulator(t *testing.T) {
	f := setup(t)
	resp, err := http.Get(f.sim.URL() + "/payment/SearchTrade.idPass")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "ErrCode=E31&ErrInfo=E31500014", string(body))
	resp, err = http.Post(f.sim.URL()+"/payment/SearchTrade.idPass", "", strings.NewReader("ShopID="+shopID))
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "ErrCode=E00&ErrInfo=E00000003", string(body))
}
