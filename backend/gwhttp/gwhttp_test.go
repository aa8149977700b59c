package gwhttp_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gwhttp"
)

// Secrets a request carries; no error may repeat them.
const (
	urlPassword = "urlPw42"
	authSecret  = "authSecret42"
	bodySecret  = "bodySecret42"
)

var name = gwhttp.Name{Ja: "テスト決済", En: "TestPay"}

func newClient(timeout time.Duration) *gwhttp.Client {
	return &gwhttp.Client{HTTP: &http.Client{Timeout: timeout}, Name: name}
}

// post sends one request carrying every kind of secret to base.
func post(t *testing.T, ctx context.Context, c *gwhttp.Client, base string) ([]byte, error) {
	t.Helper()
	u := strings.Replace(base, "://", "://user:"+urlPassword+"@", 1) + "/api"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader([]byte("secret="+bodySecret)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+authSecret)
	return c.Do(req, "売上API")
}

// assertFailure checks the code and class of err, a fragment of its Japanese message,
// and that no message or error text leaks a secret.
func assertFailure(t *testing.T, err error, code string, class backend.ErrorClass, ja string) *backend.Error {
	t.Helper()
	require.Error(t, err)
	var e *backend.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, code, e.Code, e.Message)
	assert.Equal(t, class, e.Class, e.Message)
	assert.Contains(t, e.Message, ja)
	assert.NotEmpty(t, e.MessageEn)
	for _, text := range []string{backend.ErrorMessage(err, "ja"), backend.ErrorMessage(err, "en"), err.Error(), fmtCause(e)} {
		for _, secret := range []string{urlPassword, authSecret, bodySecret} {
			assert.NotContains(t, text, secret)
		}
		assert.NotContains(t, text, "%!", "a message with a bad format verb: %s", text)
	}
	return e
}

func fmtCause(e *backend.Error) string {
	if e.Err == nil {
		return ""
	}
	return e.Err.Error()
}

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestOK(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "Status=AUTH")
	})
	c := newClient(time.Second)
	raw, err := post(t, context.Background(), c, srv.URL)
	require.NoError(t, err)
	assert.Equal(t, "Status=AUTH", string(raw))
	assert.Equal(t, int64(1), c.Requests())
}

// Nothing listens on the port: the dial fails, nothing was sent.
func TestRefusedPortIsNotSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c := newClient(time.Second)
	_, err = post(t, context.Background(), c, "http://"+addr)
	assertFailure(t, err, backend.EOFFLINE, backend.ClassNotSent, "テスト決済に接続できません")
	assert.Equal(t, int64(1), c.Requests(), "an attempt counts")
}

// A server that read the request and never answers: after the client's timeout the
// request may have been applied.
func TestHangAfterRequestIsUnknown(t *testing.T) {
	var received atomic.Bool
	release := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		received.Store(true)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	const timeout = 300 * time.Millisecond
	start := time.Now()
	_, err := post(t, context.Background(), newClient(timeout), srv.URL)
	assert.GreaterOrEqual(t, time.Since(start), timeout)
	assert.True(t, received.Load())
	e := assertFailure(t, err, backend.EUNKNOWN, backend.ClassUnknown, "売上APIの応答がタイムアウトしました")
	assert.Contains(t, e.Message, "テスト決済に確認します")
	assert.Contains(t, e.MessageEn, "TestPay")
}

// A listener that accepts and never answers the TLS handshake: the client's timeout
// comes before the request was written, so nothing was sent.
func TestHangBeforeRequestIsNotSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close() // held open until the listener closes
		}
	}()
	_, err = post(t, context.Background(), newClient(300*time.Millisecond), "https://"+ln.Addr().String())
	assertFailure(t, err, backend.EOFFLINE, backend.ClassNotSent, "テスト決済への接続がタイムアウトしました")
}

func TestServerErrorIsUnknown(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "echo "+bodySecret, http.StatusInternalServerError)
	})
	_, err := post(t, context.Background(), newClient(time.Second), srv.URL)
	e := assertFailure(t, err, backend.EUNKNOWN, backend.ClassUnknown, "テスト決済がエラーを返しました（HTTP 500, 売上API）")
	assert.Equal(t, "HTTP 500", e.GatewayCode)
}

// 404 and 405: the host has no such API; sending it again will not help.
func TestNotFoundIsPermanent(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) })
		_, err := post(t, context.Background(), newClient(time.Second), srv.URL)
		e := assertFailure(t, err, backend.EGATEWAY, backend.ClassPermanent, "接続先の設定を確認してください")
		assert.Equal(t, gwhttp.HTTPCode(status), e.GatewayCode)
	}
}

// The Status hook decides first; a nil result falls back to the common rules.
func TestStatusHook(t *testing.T) {
	status := http.StatusUnauthorized
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) })
	c := newClient(time.Second)
	c.Status = func(label string, s int) error {
		if s == http.StatusUnauthorized {
			return &backend.Error{Code: backend.ECREDENTIAL, Class: backend.ClassAuthFailed, Message: label + "の認証に失敗しました", MessageEn: "auth failed"}
		}
		return nil
	}
	_, err := post(t, context.Background(), c, srv.URL)
	assertFailure(t, err, backend.ECREDENTIAL, backend.ClassAuthFailed, "売上APIの認証に失敗しました")
	status = http.StatusNotFound
	_, err = post(t, context.Background(), c, srv.URL)
	assertFailure(t, err, backend.EGATEWAY, backend.ClassPermanent, "受付がありません")
}

func TestCancelledBeforeSendingIsNotSent(t *testing.T) {
	var received atomic.Bool
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { received.Store(true) })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := post(t, ctx, newClient(time.Second), srv.URL)
	assertFailure(t, err, backend.EOFFLINE, backend.ClassNotSent, "送信していません")
	assert.False(t, received.Load())
}

// The server read the request and closed the connection without a word.
func TestDroppedAfterRequestIsUnknown(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	_, err := post(t, context.Background(), newClient(time.Second), srv.URL)
	assertFailure(t, err, backend.EUNKNOWN, backend.ClassUnknown, "送信後に接続が切れました")
}

func TestCutOffAnswerIsUnknown(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nStatus=AU")
		_ = buf.Flush()
		conn.Close()
	})
	_, err := post(t, context.Background(), newClient(time.Second), srv.URL)
	assertFailure(t, err, backend.EUNKNOWN, backend.ClassUnknown, "最後まで受け取れませんでした")
}

// An answer longer than MaxAnswer is refused rather than cut short silently.
func TestAnswerTooLongIsUnknown(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "0123456789") })
	c := newClient(time.Second)
	c.MaxAnswer = 10
	raw, err := post(t, context.Background(), c, srv.URL)
	require.NoError(t, err, "exactly the limit")
	assert.Len(t, raw, 10)
	c.MaxAnswer = 9
	_, err = post(t, context.Background(), c, srv.URL)
	assertFailure(t, err, backend.EUNKNOWN, backend.ClassUnknown, "大きすぎます")
}

// A server certificate the client does not trust stops it before anything is sent.
func TestUntrustedServerCertificateIsNotSent(t *testing.T) {
	var received atomic.Bool
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { received.Store(true) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake error is the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, err := post(t, context.Background(), newClient(time.Second), srv.URL) // system roots
	assertFailure(t, err, backend.EGATEWAY, backend.ClassNotSent, "テスト決済のサーバー証明書を確認できない")
	assert.False(t, received.Load())
}

// A host that demands a client certificate (another gateway's, a proxy) ends the TLS
// session with an alert: not sent, and not called a server-certificate problem.
func TestTLSAlertIsNotSent(t *testing.T) {
	var received atomic.Bool
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { received.Store(true) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c := newClient(time.Second)
	c.HTTP = srv.Client() // trusts the server's certificate, has none of its own
	c.HTTP.Timeout = time.Second
	_, err := post(t, context.Background(), c, srv.URL)
	e := assertFailure(t, err, backend.EGATEWAY, backend.ClassNotSent, "TLS接続を拒否しました")
	assert.NotContains(t, e.Message, "サーバー証明書")
	assert.False(t, received.Load())
}

// The Transport hook decides first (Paygent's TLS alerts); nil leaves the common rules.
func TestTransportHook(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c := newClient(time.Second)
	var sawWrote *bool
	c.Transport = func(label string, err error, wrote bool) error {
		sawWrote = &wrote
		return nil
	}
	_, err = post(t, context.Background(), c, "http://"+addr)
	assertFailure(t, err, backend.EOFFLINE, backend.ClassNotSent, "接続できません")
	require.NotNil(t, sawWrote)
	assert.False(t, *sawWrote)

	mine := errors.New("mine")
	c.Transport = func(string, error, bool) error { return mine }
	_, err = post(t, context.Background(), c, "http://"+addr)
	assert.Same(t, mine, err)
}

// A host typed with credentials is refused without repeating them.
func TestHostWithCredentialsIsRefusedWithoutEchoingThem(t *testing.T) {
	for _, h := range []string{"https://shop:S3cretPass@pt01.mul-pay.jp", "https://shop:S3cretPass@pt01.mul-pay.jp/path?x", "ht!tp://u:S3cretPass@host"} {
		err := gwhttp.ValidateHost(h, "https://pt01.mul-pay.jp")
		if err == nil {
			t.Fatalf("%s accepted", h)
		}
		for _, lang := range []string{"ja", "en"} {
			if msg := backend.ErrorMessage(err, lang); strings.Contains(msg, "S3cretPass") {
				t.Errorf("%s: the message repeats the password: %s", h, msg)
			}
		}
	}
}
