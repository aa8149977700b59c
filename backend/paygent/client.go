// Package paygent speaks Paygent's モジュールタイプ (module type) protocol for payments
// that already exist at Paygent: card 売上 (022), オーソリ取消 (021), 売上取消 (023),
// オーソリ変更 (028 補正オーソリ), 売上変更 / 部分返金 (029 補正売上), 予約 → オーソリ
// (020 with a reference trading), the single-payment inquiry (094) that resolves
// unknown outcomes and feeds the sync, and, as an opt-in, the difference inquiry (091)
// for deposits. The transport is HTTPS with the merchant's client certificate; bodies
// are form-encoded Shift_JIS; answers are CRLF "name=value" lines.
// See ../shared/research/sbps-paygent.md §B for the protocol and doc.go for the
// points the research could not confirm.
package paygent

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"kessaidesk/backend"
)

// Published hosts of the module type.
const (
	HostSandbox    = "https://sandbox.paygent.co.jp"
	HostProduction = "https://module.paygent.co.jp"
)

// DefaultTimeout is the official module's default (timeout_value=35).
const DefaultTimeout = 35 * time.Second

// HostFor returns the published host of an environment.
func HostFor(env backend.Environment) string {
	if env == backend.EnvProduction {
		return HostProduction
	}
	return HostSandbox
}

// ValidateHost accepts an https URL without a path. Plain http is never accepted: the
// client certificate needs TLS (a simulator on 127.0.0.1 serves HTTPS with a test CA
// given as Config.RootCAs).
func ValidateHost(host string) error {
	u, err := url.Parse(host)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return backend.Errorf(backend.EINVALID, "接続先「%s」はURLとして読めません（例: https://sandbox.paygent.co.jp）", "cannot read the host %q (e.g. https://sandbox.paygent.co.jp)", host)
	}
	if u.Scheme != "https" {
		return backend.Errorf(backend.EINVALID, "ペイジェントの接続先はhttpsで指定してください（クライアント証明書にはhttpsが必要です）", "the Paygent host must use https (client certificates need TLS)")
	}
	return nil
}

// Config configures a client.
type Config struct {
	Environment backend.Environment
	Host        string // "" = the published host of the environment
	MerchantID  string // merchant_id (digits)
	ConnectID   string // connect_id
	// ConnectPassword is secret: never logged, never in an error.
	ConnectPassword string
	// The client certificate Paygent issued: PEM (certificate, chain and key in one
	// file, or the key separately in ClientKeyPEM), or PKCS12. A PKCS#12 file put in
	// ClientCertPEM (binary or base64) is recognised too.
	ClientCertPEM []byte
	ClientKeyPEM  []byte
	PKCS12        []byte
	// CertPassword is secret: it decrypts an encrypted PEM key or the PKCS#12 file.
	CertPassword string
	// RootCAs verifies the server; nil = the system roots (Paygent's public hosts).
	// A simulator on 127.0.0.1 passes its test CA here.
	RootCAs *x509.CertPool
	// SiteID is sent with the difference inquiry (091 without site_id reports only
	// payments made without one). Optional.
	SiteID  string
	Timeout time.Duration // per request; 0 = DefaultTimeout
	// Now is the clock for the certificate's validity check; nil = time.Now.
	Now func() time.Time
}

// Client implements backend.Gateway over the module type.
type Client struct {
	cfg      Config
	base     string
	http     *http.Client
	cert     *x509.Certificate
	requests atomic.Int64
	// notices serialises the difference inquiry: Paygent answers 9004 to a second
	// un-numbered 091 while one runs, and the cursor is shared anyway.
	notices sync.Mutex
	// cancelled remembers the payment_ids this client sent オーソリ取消/売上取消 for, so
	// that the inquiry after a lost answer can tell its own cancellation from a 補正
	// (see Inquire). In memory only: after a restart the inquiry is more careful.
	cancelled sync.Map
}

var _ backend.Gateway = (*Client)(nil)

var (
	digits = regexp.MustCompile(`^[0-9]+$`)
	alnum  = regexp.MustCompile(`^[A-Za-z0-9]+$`)
)

// New checks the configuration, loads the client certificate and returns a client.
// Missing or unreadable credentials are ECREDENTIAL errors in Japanese.
func New(cfg Config) (*Client, error) {
	host := strings.TrimRight(cfg.Host, "/")
	if host == "" {
		host = HostFor(cfg.Environment)
	}
	if err := ValidateHost(host); err != nil {
		return nil, err
	}
	switch {
	case cfg.MerchantID == "":
		return nil, credErr(nil, "ペイジェントのマーチャントIDが設定されていません", "the Paygent merchant ID is not set")
	case !digits.MatchString(cfg.MerchantID) || len(cfg.MerchantID) > 9:
		return nil, credErr(nil, "マーチャントIDの形式が正しくありません（半角数字9桁以内）", "the merchant ID must be up to 9 digits")
	case cfg.ConnectID == "":
		return nil, credErr(nil, "ペイジェントの接続IDが設定されていません", "the Paygent connect ID is not set")
	case !alnum.MatchString(cfg.ConnectID) || len(cfg.ConnectID) > 32:
		return nil, credErr(nil, "接続IDの形式が正しくありません（半角英数字32文字以内）", "the connect ID must be up to 32 letters and digits")
	case cfg.ConnectPassword == "":
		return nil, credErr(nil, "ペイジェントの接続パスワードがキーチェーンにありません。ゲートウェイ設定で入力してください", "the Paygent connect password is not in the keychain")
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	cert, err := loadCertificate(cfg.ClientCertPEM, cfg.ClientKeyPEM, cfg.PKCS12, cfg.CertPassword, now())
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	tlsCfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		RootCAs:      cfg.RootCAs,
		MinVersion:   tls.VersionTLS12,
		// Paygent's module guide requires renegotiation to be allowed for the client
		// certificate (research §B1). Go renegotiates only as a TLS 1.2 client.
		Renegotiation: tls.RenegotiateOnceAsClient,
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment, // the official module supports a proxy too
		DialContext:           (&net.Dialer{Timeout: min(cfg.Timeout, 15*time.Second), KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsCfg,
		TLSHandshakeTimeout:   min(cfg.Timeout, 15*time.Second),
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       30 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	c := &Client{cfg: cfg, base: host, cert: cert.Leaf, http: &http.Client{Transport: tr, Timeout: cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	return c, nil
}

// Kind is the protocol family.
func (c *Client) Kind() backend.GatewayKind { return backend.GatewayPaygent }

// Requests counts the HTTP requests sent.
func (c *Client) Requests() int64 { return c.requests.Load() }

// Certificate describes the client certificate in use (subject and expiry), for the
// settings screen; CertificateExpiry is when it stops working.
func (c *Client) Certificate() string { return describeCert(c.cert) }

// CertificateExpiry is the client certificate's NotAfter.
func (c *Client) CertificateExpiry() time.Time { return c.cert.NotAfter }

// CloseIdleConnections closes kept-alive connections (a rebuilt client calls it on the old one).
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// header is the common header of every telegram. connect_password is the only secret.
func (c *Client) header(kind string) []Field {
	return []Field{
		{"merchant_id", c.cfg.MerchantID},
		{"connect_id", c.cfg.ConnectID},
		{"connect_password", c.cfg.ConnectPassword},
		{"telegram_kind", kind},
		{"telegram_version", TelegramVersion},
	}
}

// call sends one telegram and returns its answer. A result=1 answer is an error built
// from the catalogue. Errors say whether the request may have reached Paygent:
// ClassNotSent when it provably did not, ClassUnknown when it may have been applied.
func (c *Client) call(ctx context.Context, kind string, fields []Field, required ...string) (Response, error) {
	label := KindLabel(kind)
	path := PathFor(kind)
	if path == "" {
		return nil, backend.Errorf(backend.EINTERNAL, "電文種別%sの接続先がありません", "no URL for telegram kind %s", kind)
	}
	body, err := EncodeForm(append(c.header(kind), fields...))
	if err != nil {
		return nil, err // EINVALID from textenc: a character Shift_JIS cannot carry; nothing was sent
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "%sを作成できません", "cannot build %s", label)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "KessaiDesk")
	var wrote atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				wrote.Store(true)
			}
		},
	}))
	c.requests.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(label, err, wrote.Load())
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, unknownf(err, "%sの応答を最後まで受け取れませんでした。処理されたかどうかを確認します", "the answer to %s was cut off; the outcome will be checked", label)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed:
		return nil, &backend.Error{Code: backend.EGATEWAY, Class: backend.ClassPermanent,
			Message:     fmt.Sprintf("接続先に%sの受付がありません（HTTP %d）。接続先の設定を確認してください", label, resp.StatusCode),
			MessageEn:   fmt.Sprintf("the host does not accept %s (HTTP %d); check the host", label, resp.StatusCode),
			GatewayCode: "HTTP " + strconv.Itoa(resp.StatusCode)}
	case resp.StatusCode != http.StatusOK:
		e := unknownf(nil, "ペイジェントがエラーを返しました（HTTP %[2]d, %[1]s）。処理されたかどうかを確認します", "Paygent answered HTTP %[2]d to %[1]s; the outcome will be checked", label, resp.StatusCode)
		e.GatewayCode = "HTTP " + strconv.Itoa(resp.StatusCode)
		return nil, e
	}
	r, err := ParseResponse(raw)
	if err != nil {
		return nil, unknownf(err, "%sの応答を読めませんでした（文字化けまたは途中で切れた応答）。処理されたかどうかを確認します", "the answer to %s could not be read; the outcome will be checked", label)
	}
	switch r.Result() {
	case ResultOK:
	case ResultError:
		return nil, apiError(kind, r, c.cfg.ConnectPassword, c.cfg.CertPassword)
	case Result3DS:
		if kind == KindCardAuth {
			return nil, &backend.Error{Code: backend.EGATEWAY, Class: backend.ClassPermanent, GatewayCode: "result=7",
				Message:   "3Dセキュア認証が必要と判定されたため、このアプリからはオーソリできません。お客様に再度ご購入いただいてください",
				MessageEn: "3-D Secure is required; the authorisation cannot be made from this app"}
		}
		fallthrough
	default:
		e := unknownf(nil, "%sの応答の処理結果「%s」を理解できません。処理されたかどうかを確認します", "the answer to %s has an unknown result %q; the outcome will be checked", label, clip(r.Result()))
		e.GatewayCode = "result=" + clip(r.Result())
		return nil, e
	}
	for _, k := range required {
		if r[k] == "" {
			return nil, unknownf(nil, "%sの応答に%sがありません（想定外の応答）。処理されたかどうかを確認します", "the answer to %s lacks %s; the outcome will be checked", label, k)
		}
	}
	return r, nil
}

func unknownf(cause error, ja, en string, args ...any) *backend.Error {
	e := backend.Errorf(backend.EUNKNOWN, ja, en, args...)
	e.Class, e.Err = backend.ClassUnknown, cause
	return e
}

// transportError classifies a failed HTTPS exchange without echoing anything secret
// (the URL holds no credentials; the body is never quoted).
func transportError(label string, err error, wrote bool) error {
	var opErr *net.OpError
	var dnsErr *net.DNSError
	var verifyErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &opErr) && opErr.Op == "remote error":
		// Paygent (or the simulator) ended the TLS handshake with an alert: it did not
		// accept our client certificate. No request was processed on that connection.
		return &backend.Error{Code: backend.ECREDENTIAL, Class: backend.ClassAuthFailed, Err: err, GatewayCode: "TLS " + alertName(opErr.Err),
			Message:   "ペイジェントがクライアント証明書を受け付けませんでした（証明書が未設定・発行元が違う・期限切れ・失効のいずれかです）。ペイジェントから発行された証明書を設定してください",
			MessageEn: "Paygent did not accept the client certificate (missing, wrong issuer, expired or revoked)"}
	case errors.As(err, &verifyErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalid):
		return &backend.Error{Code: backend.EGATEWAY, Class: backend.ClassNotSent, Err: err,
			Message:   "ペイジェントのサーバー証明書を確認できないため接続を中止しました（接続先の設定を確認してください）",
			MessageEn: "the server's TLS certificate could not be verified; the connection was abandoned"}
	}
	if !wrote {
		switch {
		case errors.As(err, &dnsErr):
			return &backend.Error{Code: backend.EOFFLINE, Class: backend.ClassNotSent, Err: err,
				Message: "ペイジェントの接続先が見つかりません（ネットワークに接続されていないか、接続先の設定が誤っています）", MessageEn: "the Paygent host cannot be resolved (offline or wrong host)"}
		case errors.As(err, &opErr) && opErr.Op == "dial":
			return &backend.Error{Code: backend.EOFFLINE, Class: backend.ClassNotSent, Err: err,
				Message: "ペイジェントに接続できません（ネットワークを確認してください）", MessageEn: "cannot connect to Paygent (check the network)"}
		case errors.Is(err, context.Canceled):
			return &backend.Error{Code: backend.EOFFLINE, Class: backend.ClassNotSent, Err: err,
				Message: fmt.Sprintf("%sは送信前に中断しました（送信していません）", label), MessageEn: "interrupted before sending; nothing was sent"}
		case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
			return &backend.Error{Code: backend.EOFFLINE, Class: backend.ClassNotSent, Err: err,
				Message: "ペイジェントへの接続がタイムアウトしました（送信していません）", MessageEn: "connecting to Paygent timed out; nothing was sent"}
		}
		return &backend.Error{Code: backend.EOFFLINE, Class: backend.ClassNotSent, Err: err,
			Message: fmt.Sprintf("%sを送信できませんでした（送信前に接続が切れました）", label), MessageEn: "the request could not be sent"}
	}
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return unknownf(err, "%sの応答がタイムアウトしました。処理されたかどうかをペイジェントに確認します", "%s timed out; the outcome will be checked with Paygent", label)
	}
	if errors.Is(err, context.Canceled) {
		return unknownf(err, "%sの応答を待つ前に中断しました。処理されたかどうかをペイジェントに確認します", "%s was interrupted; the outcome will be checked", label)
	}
	return unknownf(err, "%sの送信後に接続が切れました。処理されたかどうかをペイジェントに確認します", "the connection dropped after %s was sent; the outcome will be checked", label)
}

func alertName(err error) string {
	if err == nil {
		return "alert"
	}
	return strings.TrimPrefix(err.Error(), "tls: ")
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// PingTradingID is the trading_id the connection test asks about (it never exists).
const PingTradingID = "KESSAIDESK_PING"

// Ping is the connection test: a payment inquiry (094) for a trading_id that does not
// exist, which proves the TLS client certificate, the source IP and the merchant
// credentials are accepted, and changes nothing (inquiries are free of charge).
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.call(ctx, KindPaymentInquiry, []Field{{"trading_id", PingTradingID}})
	if err == nil || IsNotFound(err) {
		return nil
	}
	return err
}
