// Package gwhttp is the HTTP exchange every gateway client shares: one POST whose
// failure says whether the request may have reached the gateway (ClassNotSent when it
// provably did not, ClassUnknown when it may have been applied), the answer read with
// a bound, and the HTTP status turned into an error. What each gateway means by its
// answer stays in its client; so do the failures only one gateway has (Paygent's TLS
// alerts, SBPS's Basic authentication), given as hooks.
//
// Messages never quote the URL, the body or a header: they name the gateway and the
// request's label (an API name, a telegram, an API id) only.
//
// Exchange is also where every request is logged for support, once: the gateway, the
// label, the order (set on the context by the client, logging.With), the HTTP status,
// the duration and the outcome's codes — never the body, a header or a secret.
package gwhttp

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/logging"
)

// DefaultMaxAnswer bounds an answer when Client.MaxAnswer is 0. The gateways' answers
// are a few KB; a larger one is not theirs.
const DefaultMaxAnswer = 1 << 20

// Name is how the messages call the gateway, e.g. {"ゲートウェイ", "the gateway"},
// {"ペイジェント", "Paygent"}, {"SBPS", "SBPS"}. En must read after "to" and "of".
type Name struct{ Ja, En string }

// Client sends one gateway's requests. Set the fields before the first Do; a Client
// is safe for concurrent use after that.
type Client struct {
	HTTP *http.Client
	Name Name
	// MaxAnswer is the longest answer accepted; 0 = DefaultMaxAnswer.
	MaxAnswer int64
	// Transport, if set, is asked first about a failed exchange (wrote: the request was
	// written to the connection); a nil result leaves it to the common rules.
	Transport func(label string, err error, wrote bool) error
	// Status, if set, is asked first about an HTTP status other than 200; a nil result
	// leaves it to the common rules.
	Status func(label string, status int) error
	// Log receives one summary per exchange; nil = none.
	Log *slog.Logger
	// Words names an exchange's label (the protocol's API name, which the log keeps)
	// in the operator's words for messages: "売上・取消", not "AlterTran". nil = the
	// label itself (a client whose labels are already words).
	Words func(label string) (ja, en string)

	requests atomic.Int64
}

// NewHTTP is the http.Client of a gateway that needs no client certificate: the
// default transport, keeping as many idle connections as the sync and bulk runs keep
// requests in flight, so they are reused instead of reopened (and TLS renegotiated).
// roots verifies the server (RootPool); nil = the system roots.
func NewHTTP(timeout time.Duration, roots *x509.CertPool) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 32
	if roots != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Timeout: timeout, Transport: tr}
}

// Requests counts the requests given to Do (benchmarks print it).
func (c *Client) Requests() int64 { return c.requests.Load() }

// Exchange sends req, hands the body of a 200 answer to read (the client's parsing
// of its protocol) and logs the exchange with read's verdict: the gateway's result
// code is known only once the answer is parsed. label names the request in the
// messages. Errors are Do's, or read's.
func (c *Client) Exchange(req *http.Request, label string, read func(raw []byte) error) error {
	start := time.Now()
	raw, status, err := c.do(req, label)
	if err == nil {
		err = read(raw)
	}
	c.logExchange(req.Context(), label, status, len(raw), time.Since(start), err)
	return err
}

// Do sends req and returns the body of a 200 answer, logged as by Exchange.
func (c *Client) Do(req *http.Request, label string) ([]byte, error) {
	var body []byte
	err := c.Exchange(req, label, func(raw []byte) error { body = raw; return nil })
	return body, err
}

// do sends req and returns the body of a 200 answer and the HTTP status (0 when no
// answer came). Its errors are *backend.Error values with a class; a hook's are its own.
func (c *Client) do(req *http.Request, label string) ([]byte, int, error) {
	// Whether the request was written decides between "not sent" and "unknown": the
	// transport's errors alone do not tell a refused dial from a reset after sending.
	var wrote atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				wrote.Store(true)
			}
		},
	}))
	c.requests.Add(1)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		if c.Transport != nil {
			if e := c.Transport(label, err, wrote.Load()); e != nil {
				return nil, 0, e
			}
		}
		return nil, 0, c.transportError(label, err, wrote.Load())
	}
	defer resp.Body.Close()
	limit := c.MaxAnswer
	if limit <= 0 {
		limit = DefaultMaxAnswer
	}
	// One byte more than allowed tells a long answer from one that just fits.
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, resp.StatusCode, c.fail(backend.EUNKNOWN, backend.ClassUnknown, err, "%[1]sの応答を最後まで受け取れませんでした。処理されたかどうかを確認します", "the answer to %[1]s was cut off; the outcome will be checked", label)
	}
	if resp.StatusCode != http.StatusOK {
		if c.Status != nil {
			if e := c.Status(label, resp.StatusCode); e != nil {
				return nil, resp.StatusCode, e
			}
		}
		return nil, resp.StatusCode, c.statusError(label, resp.StatusCode)
	}
	if int64(len(raw)) > limit {
		return nil, resp.StatusCode, c.fail(backend.EUNKNOWN, backend.ClassUnknown, nil, "%[1]sの応答が大きすぎます（想定外の応答）。処理されたかどうかを確認します", "the answer to %[1]s is too long; the outcome will be checked", label)
	}
	return raw, resp.StatusCode, nil
}

// logExchange writes the one summary of an exchange: info when it succeeded, warn
// with the error's code, class, gateway code and English message when not (messages
// never hold a secret; the cause is a transport error, which names no body).
func (c *Client) logExchange(ctx context.Context, label string, status, size int, d time.Duration, err error) {
	if c.Log == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("gateway", c.Name.En), slog.String("op", label), slog.Int("http_status", status),
		slog.Int64("duration_ms", d.Milliseconds()), slog.Int("answer_bytes", size),
	}
	attrs = append(attrs, logging.Attrs(ctx)...)
	if err == nil {
		c.Log.LogAttrs(ctx, slog.LevelInfo, "gateway exchange", append(attrs, slog.String("result", "ok"))...)
		return
	}
	var be *backend.Error
	if errors.As(err, &be) {
		attrs = append(attrs, slog.String("result", be.Code), slog.String("class", string(be.Class)),
			slog.String("gateway_code", be.GatewayCode), slog.String("error", clip300(cmp.Or(be.MessageEn, be.Message))))
		if be.Err != nil {
			attrs = append(attrs, slog.String("cause", clip300(be.Err.Error())))
		}
	} else {
		attrs = append(attrs, slog.String("result", "error"), slog.String("error", clip300(err.Error())))
	}
	c.Log.LogAttrs(ctx, slog.LevelWarn, "gateway exchange", attrs...)
}

func clip300(s string) string {
	if r := []rune(s); len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return s
}

// ForTransaction returns a context whose exchanges are logged with the transaction's
// identifiers as the gateway knows them — order: its order id (GMO OrderID, SBPS
// order_id, Paygent trading_id); tran: its transaction id (GMO AccessID, SBPS
// tracking_id, Paygent payment_id). Empty ones are left out. None is a secret.
// An id the context already has (set where the payment is known) is kept.
func ForTransaction(ctx context.Context, order, tran string) context.Context {
	have := map[string]bool{}
	for _, a := range logging.Attrs(ctx) {
		have[a.Key] = true
	}
	var attrs []slog.Attr
	if order != "" && !have["order"] {
		attrs = append(attrs, slog.String("order", order))
	}
	if tran != "" && !have["tran"] {
		attrs = append(attrs, slog.String("tran", tran))
	}
	if attrs == nil {
		return ctx
	}
	return logging.With(ctx, attrs...)
}

// Unknownf is an EUNKNOWN error of ClassUnknown: the request may have been applied,
// and an inquiry has to tell.
func Unknownf(cause error, ja, en string, args ...any) *backend.Error {
	e := backend.Errorf(backend.EUNKNOWN, ja, en, args...)
	e.Class, e.Err = backend.ClassUnknown, cause
	return e
}

// HTTPCode is the GatewayCode of an HTTP status, e.g. "HTTP 500".
func HTTPCode(status int) string { return "HTTP " + strconv.Itoa(status) }

// fail builds the errors of Do. In ja and en, %[1]s is the label, %[2]s and %[3]s the
// gateway's name in Japanese and English, %[4]d an HTTP status.
func (c *Client) fail(code string, class backend.ErrorClass, cause error, ja, en, label string, status ...any) *backend.Error {
	wja, wen := c.words(label)
	e := &backend.Error{Code: code, Class: class, Err: cause,
		Message:   fmt.Sprintf(ja, append([]any{wja, c.Name.Ja, c.Name.En}, status...)...),
		MessageEn: fmt.Sprintf(en, append([]any{wen, c.Name.Ja, c.Name.En}, status...)...)}
	return e
}

// words is the label in the operator's words: messages never name the protocol's calls.
func (c *Client) words(label string) (string, string) {
	if c.Words == nil {
		return label, label
	}
	return c.Words(label)
}

func (c *Client) statusError(label string, status int) *backend.Error {
	var e *backend.Error
	if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
		// Not the gateway's API at all: sending it again to that host will not help.
		e = c.fail(backend.EGATEWAY, backend.ClassPermanent, nil, "接続先に%[1]sの受付がありません（HTTP %[4]d）。接続先の設定を確認してください", "the host does not accept %[1]s (HTTP %[4]d); check the host", label, status)
	} else {
		// An error page may come from the gateway after it applied the request.
		e = c.fail(backend.EUNKNOWN, backend.ClassUnknown, nil, "%[2]sがエラーを返しました（HTTP %[4]d, %[1]s）。処理されたかどうかを確認します", "%[3]s answered HTTP %[4]d to %[1]s; the outcome will be checked", label, status)
	}
	e.GatewayCode = HTTPCode(status)
	return e
}

// transportError classifies a failed exchange. err is kept as the cause: the
// transport's errors name the URL without its password, never the body or a header.
func (c *Client) transportError(label string, err error, wrote bool) *backend.Error {
	notSent := func(code, ja, en string) *backend.Error {
		return c.fail(code, backend.ClassNotSent, err, ja, en, label)
	}
	unknown := func(ja, en string) *backend.Error {
		return c.fail(backend.EUNKNOWN, backend.ClassUnknown, err, ja, en, label)
	}
	if tlsRefused(err) {
		// The server ended the TLS session with an alert (it wants a client certificate:
		// a host of another gateway, or a proxy): the request never reached an HTTP
		// server, whether or not Go had written it into the TLS stream.
		return notSent(backend.EGATEWAY, "接続先がTLS接続を拒否しました（%[1]sは届いていません）。接続先が%[2]sのものか、設定を確認してください", "the host refused the TLS connection (%[1]s did not arrive); check that it is %[3]s's host")
	}
	if certificateError(err, wrote) {
		// The TLS handshake failed on the server's certificate: nothing was sent.
		return notSent(backend.EGATEWAY, "%[2]sのサーバー証明書を確認できないため接続を中止しました（接続先の設定を確認してください）", "the TLS certificate of %[3]s could not be verified; the connection was abandoned")
	}
	if !wrote {
		var dnsErr *net.DNSError
		var opErr *net.OpError
		switch {
		case errors.As(err, &dnsErr):
			return notSent(backend.EOFFLINE, "%[2]sの接続先が見つかりません（ネットワークに接続されていないか、接続先の設定が誤っています）", "the host of %[3]s cannot be resolved (offline or wrong host)")
		case errors.As(err, &opErr) && opErr.Op == "dial":
			return notSent(backend.EOFFLINE, "%[2]sに接続できません（ネットワークを確認してください）", "cannot connect to %[3]s (check the network)")
		case errors.Is(err, context.Canceled):
			return notSent(backend.EOFFLINE, "%[1]sは送信前に中断しました（送信していません）", "%[1]s was interrupted before sending; nothing was sent")
		case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
			return notSent(backend.EOFFLINE, "%[2]sへの接続がタイムアウトしました（%[1]sは送信していません）", "connecting to %[3]s timed out; %[1]s was not sent")
		}
		return notSent(backend.EOFFLINE, "%[1]sを送信できませんでした（送信前に接続が切れました）", "%[1]s could not be sent (the connection closed before sending)")
	}
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return unknown("%[1]sの応答がタイムアウトしました。処理されたかどうかを%[2]sに確認します", "%[1]s timed out; the outcome will be checked with %[3]s")
	}
	if errors.Is(err, context.Canceled) {
		return unknown("%[1]sの応答を待つ前に中断しました。処理されたかどうかを%[2]sに確認します", "%[1]s was interrupted; the outcome will be checked with %[3]s")
	}
	return unknown("%[1]sの送信後に接続が切れました。処理されたかどうかを%[2]sに確認します", "the connection dropped after %[1]s was sent; the outcome will be checked with %[3]s")
}

// tlsRefused tells a TLS alert from the server ("remote error: tls: …").
func tlsRefused(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "remote error"
}

// certificateError tells a server certificate that could not be verified. Before the
// request was written, any TLS error about a certificate counts (the handshake is
// where they arise and Go does not type all of them).
func certificateError(err error, wrote bool) bool {
	var verifyErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &verifyErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalid):
		return true
	}
	return !wrote && strings.Contains(err.Error(), "certificate")
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// ValidateHost accepts a gateway host as an operator types it: an https URL without
// path, query or credentials, or plain http only for a simulator on 127.0.0.1 — TLS
// verification is never off for a real host. example is shown in the message.
func ValidateHost(host, example string) error {
	u, err := url.Parse(host)
	if err == nil && u.User != nil {
		// Never repeat what was typed: it holds a password.
		return backend.Errorf(backend.EINVALID, "接続先にユーザー名やパスワードを含めないでください（例: %s）。認証情報は専用の欄に入力します",
			"the host must not carry a user name or password (e.g. %s); credentials go in their own fields", example)
	}
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return backend.Errorf(backend.EINVALID, "接続先「%s」はURLとして読めません（例: %s）", "cannot read the host %q (e.g. %s)", clip(redactUserinfo(host)), example)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if h, _, err := net.SplitHostPort(u.Host); err == nil && h == "127.0.0.1" {
			return nil
		}
	}
	return backend.Errorf(backend.EINVALID, "接続先はhttpsで指定してください（httpは127.0.0.1のシミュレーターだけ使えます）", "the host must use https (plain http only for a simulator on 127.0.0.1)")
}

// redactUserinfo hides anything between "://" and "@" (a password typed into a URL
// that does not parse).
func redactUserinfo(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		if j := strings.LastIndex(s, "@"); j > i {
			return s[:i+3] + "****" + s[j:]
		}
	}
	return s
}

func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
