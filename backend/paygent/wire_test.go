package paygent_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/textenc"
)

type seen struct {
	method, path, ctype string
	raw                 string
	form                url.Values
}

// wireServer is a bare HTTPS server with client-certificate verification that records
// each request and answers what answer returns (CRLF lines, CP932).
func wireServer(t *testing.T, answer func(kind string, form url.Values) string) (*simkit.Server, *paygent.Client, *[]seen) {
	t.Helper()
	pki, err := paygentsim.NewPKI("Wire test CA")
	require.NoError(t, err)
	var mu sync.Mutex
	var got []seen
	srv, err := simkit.Start(func(r *simkit.Request) *simkit.Response {
		q, _ := url.ParseQuery(string(r.Body))
		mu.Lock()
		got = append(got, seen{r.HTTP.Method, r.HTTP.URL.Path, r.HTTP.Header.Get("Content-Type"), string(r.Body), q})
		mu.Unlock()
		body, err := textenc.EncodeCP932(strings.ReplaceAll(answer(q.Get("telegram_kind"), q), "\n", "\r\n"))
		require.NoError(t, err)
		return &simkit.Response{ContentType: "text/plain; charset=Windows-31J", Body: body}
	}, simkit.Options{TLS: pki.ServerTLS(false)})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	cert, key, err := pki.IssueClient(paygentsim.ClientSpec{CommonName: certCN})
	require.NoError(t, err)
	c, err := paygent.New(paygent.Config{Host: srv.URL, MerchantID: merchantID, ConnectID: connectID, ConnectPassword: connectPW,
		ClientCertPEM: cert, ClientKeyPEM: key, RootCAs: pki.RootCAs(), SiteID: "0001"})
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return srv, c, &got
}

const okHead = "result=0\nresponse_code=\nresponse_detail=\n"

// Every telegram the client sends: URL path, method, content type, and exactly the
// fields of the spec (common header + kind-specific), in Shift_JIS form encoding.
func TestWireTelegrams(t *testing.T) {
	notices := 0
	_, c, got := wireServer(t, func(kind string, form url.Values) string {
		switch kind {
		case paygent.KindCardAuthCorrect, paygent.KindCardSalesCorrect:
			return okHead + "payment_id=2002\ntrading_id=KD_W\nbase_payment_id=1001\nreduced_amount=800\n"
		case paygent.KindCardAuth:
			return okHead + "payment_id=3003\ntrading_id=KD_W\n"
		case paygent.KindPaymentInquiry:
			if form.Get("trading_id") == paygent.PingTradingID {
				return "result=1\nresponse_code=13001\nresponse_detail=\n"
			}
			return okHead + "payment_id=1001\ntrading_id=KD_W\npayment_type=02\nsite_id=\npayment_status=20\npayment_amount=1000\npayment_init_date=20261110100000\n"
		case paygent.KindNoticeInquiry:
			notices++
			if notices > 1 {
				return okHead + "success_code=1\nsuccess_detail=\npayment_notice_id=\n"
			}
			return okHead + "success_code=0\nsuccess_detail=\npayment_notice_id=1\nchange_date=20261110103000\npayment_id=1001\ntrading_id=KD_W\npayment_type=03\npayment_status=40\npayment_amount=1000\npayment_date=20261110103000\n"
		}
		return okHead + "payment_id=1001\ntrading_id=KD_W\n"
	})
	ctx := context.Background()
	auth := &backend.Payment{Method: backend.MethodCard, State: backend.StateAuthorized, GatewayOrderID: "KD_W", GatewayTranID: "1001", AmountAuthorized: 1000}
	sold := &backend.Payment{Method: backend.MethodCard, State: backend.StateCaptured, GatewayOrderID: "KD_W", GatewayTranID: "1001", AmountAuthorized: 1000, AmountCaptured: 1000}
	reserved := &backend.Payment{Method: backend.MethodCard, State: backend.StateReserved, GatewayOrderID: "KD_W", AmountAuthorized: 1500}

	v, err := c.Do(ctx, auth, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	_, err = c.Do(ctx, auth, backend.GatewayOp{Kind: backend.OpVoid})
	require.NoError(t, err)
	_, err = c.Do(ctx, sold, backend.GatewayOp{Kind: backend.OpRefund})
	require.NoError(t, err)
	v, err = c.Do(ctx, auth, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 800})
	require.NoError(t, err)
	assert.Equal(t, "2002", v.NewTranID)
	v, err = c.Do(ctx, sold, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 700})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	v, err = c.Do(ctx, sold, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 300})
	require.NoError(t, err)
	assert.Equal(t, backend.StatePartiallyRefunded, v.State)
	assert.Equal(t, backend.Yen(300), v.AmountRefunded)
	v, err = c.Do(ctx, reserved, backend.GatewayOp{Kind: backend.OpAuthorize, Amount: 1500})
	require.NoError(t, err)
	assert.Equal(t, "3003", v.NewTranID)
	v, err = c.Inquire(ctx, auth)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State)
	_, err = c.Inquire(ctx, &backend.Payment{Method: backend.MethodPayEasy, GatewayOrderID: "KD_PE"})
	require.NoError(t, err) // the fake answers a card payment; the request fields are what matter
	run, err := c.FetchNotices(ctx, paygent.NoticeCursor{}, paygent.NoticeOptions{})
	require.NoError(t, err)
	require.Len(t, run.Notices, 1)
	assert.Equal(t, backend.StateDeposited, run.Notices[0].State)
	require.NoError(t, c.Ping(ctx))

	common := func(kind string) map[string]string {
		return map[string]string{"merchant_id": merchantID, "connect_id": connectID, "connect_password": connectPW,
			"telegram_kind": kind, "telegram_version": "1.0"}
	}
	with := func(kind string, kv ...string) map[string]string {
		m := common(kind)
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	want := []struct {
		path   string
		fields map[string]string
	}{
		{"/n/card/request", with("022", "trading_id", "KD_W", "payment_id", "1001")},
		{"/n/card/request", with("021", "trading_id", "KD_W", "payment_id", "1001")},
		{"/n/card/request", with("023", "trading_id", "KD_W", "payment_id", "1001")},
		{"/n/card/request", with("028", "trading_id", "KD_W", "payment_id", "1001", "payment_amount", "800", "reduction_flag", "0")},
		{"/n/card/request", with("029", "trading_id", "KD_W", "payment_id", "1001", "payment_amount", "700", "reduction_flag", "0")},
		{"/n/card/request", with("029", "trading_id", "KD_W", "payment_id", "1001", "payment_amount", "300", "reduction_flag", "1")},
		{"/n/card/request", with("020", "trading_id", "KD_W", "ref_trading_id", "KD_W", "payment_amount", "1500", "payment_class", "10", "3dsecure_ryaku", "1")},
		{"/n/ref/paymentref", with("094", "payment_id", "1001")},
		{"/n/ref/paymentref", with("094", "trading_id", "KD_PE", "payment_type", "01")},
		{"/n/ref/paynotice", with("091", "site_id", "0001")},
		{"/n/ref/paynotice", with("091", "site_id", "0001")},
		{"/n/ref/paymentref", with("094", "trading_id", paygent.PingTradingID)},
	}
	require.Len(t, *got, len(want))
	for i, w := range want {
		g := (*got)[i]
		assert.Equal(t, http.MethodPost, g.method)
		assert.Equal(t, "application/x-www-form-urlencoded", g.ctype)
		assert.Equal(t, w.path, g.path, "request %d", i)
		fields := map[string]string{}
		for k, v := range g.form {
			require.Len(t, v, 1, "%s sent once", k)
			fields[k] = v[0]
		}
		assert.Equal(t, w.fields, fields, "request %d (%s)", i, w.fields["telegram_kind"])
		assert.True(t, strings.HasPrefix(g.raw, "merchant_id="+merchantID+"&connect_id="), "the common header comes first")
	}
	assert.Equal(t, int64(len(want)), c.Requests())
}

// Japanese in answers is Shift_JIS (response_detail of an error); Japanese in requests
// is sent as CP932 bytes, percent-encoded.
func TestWireShiftJIS(t *testing.T) {
	_, c, got := wireServer(t, func(kind string, form url.Values) string {
		return "result=1\nresponse_code=P008\nresponse_detail=取引IDの桁数エラー①\n"
	})
	_, err := c.Inquire(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "受注_1"})
	require.Error(t, err)
	assert.Contains(t, ja(err), "項目の桁数が多すぎます")
	assert.Contains(t, ja(err), "取引IDの桁数エラー①", "the detail is decoded from Shift_JIS")
	sj, _ := textenc.EncodeCP932("受注_1")
	assert.Contains(t, (*got)[0].raw, "trading_id="+url.QueryEscape(string(sj)))
	assert.Equal(t, string(sj), (*got)[0].form.Get("trading_id"))

	// A character Shift_JIS cannot carry is refused before anything is sent.
	n := len(*got)
	_, err = c.Inquire(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "𠮷_1"})
	assert.Equal(t, backend.EINVALID, code(err))
	assert.Len(t, *got, n)
}

// The answer's order does not matter, "=" inside values survives, unknown extra fields
// are ignored; a 3DS HTML blob swallows the rest.
func TestWireAnswerShapes(t *testing.T) {
	_, c, _ := wireServer(t, func(kind string, form url.Values) string {
		return "payment_amount=1000\npayment_status=40\nresponse_detail=\nextra=a=b\npayment_type=02\npayment_id=1001\nresult=0\nresponse_code=\nout_acs_html=<form>\n<input name=x value=1>\n</form>\n"
	})
	v, err := c.Inquire(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayTranID: "1001"})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, backend.Yen(1000), v.AmountCaptured)
}

func TestHostRules(t *testing.T) {
	assert.Equal(t, "https://sandbox.paygent.co.jp", paygent.HostFor(backend.EnvTest))
	assert.Equal(t, "https://module.paygent.co.jp", paygent.HostFor(backend.EnvProduction))
	assert.NoError(t, paygent.ValidateHost("https://mdev2.paygent.co.jp"))
	assert.NoError(t, paygent.ValidateHost("https://127.0.0.1:8443"))
	for _, bad := range []string{"http://127.0.0.1:8080", "http://sandbox.paygent.co.jp", "ftp://x", "sandbox.paygent.co.jp",
		"https://sandbox.paygent.co.jp/n/card/request", "https://user:pw@x.jp"} {
		err := paygent.ValidateHost(bad)
		assert.Equal(t, backend.EINVALID, code(err), bad)
	}
	assert.Contains(t, ja(paygent.ValidateHost("http://127.0.0.1:8080")), "https")
	assert.Equal(t, "/n/card/request", paygent.PathFor("022"))
	assert.Equal(t, "/n/ref/paynotice", paygent.PathFor("091"))
	assert.Equal(t, "/n/ref/paymentref", paygent.PathFor("094"))
	assert.Equal(t, "/n/conveni/request", paygent.PathFor("030"))
	assert.Equal(t, "/n/atm/request", paygent.PathFor("010"))
	assert.Equal(t, "", paygent.PathFor("9"))
}
