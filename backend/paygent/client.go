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
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/gwhttp"
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
	Log *slog.Logger // a summary of each exchange (gwhttp); nil = none
}

// Client implements backend.Gateway over the module type.
type Client struct {
	cfg  Config
	base string
	cert *x509.Certificate
	gw   *gwhttp.Client
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
	hc := &http.Client{Transport: tr, Timeout: cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	c := &Client{cfg: cfg, base: host, cert: cert.Leaf,
		gw: &gwhttp.Client{HTTP: hc, Name: gwhttp.Name{Ja: "ペイジェント", En: "Paygent"}, MaxAnswer: maxResponse, Transport: tlsAlert, Log: cfg.Log}}
	return c, nil
}

// Kind is the protocol family.
func (c *Client) Kind() backend.GatewayKind { return backend.GatewayPaygent }

// Requests counts the HTTP requests sent.
func (c *Client) Requests() int64 { return c.gw.Requests() }

// Certificate describes the client certificate in use (subject and expiry), for the
// settings screen; CertificateExpiry is when it stops working.
func (c *Client) Certificate() string { return describeCert(c.cert) }

// CertificateExpiry is the client certificate's NotAfter.
func (c *Client) CertificateExpiry() time.Time { return c.cert.NotAfter }

// CloseIdleConnections closes kept-alive connections (a rebuilt client calls it on the old one).
func (c *Client) CloseIdleConnections() { c.gw.HTTP.CloseIdleConnections() }

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
	ctx = gwhttp.ForTransaction(ctx, fieldValue(fields, "trading_id"), fieldValue(fields, "payment_id"))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "%sを作成できません", "cannot build %s", label)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "KessaiDesk")
	var r Response
	err = c.gw.Exchange(req, label, func(raw []byte) (err error) {
		r, err = c.readResponse(kind, label, raw, required)
		return err
	})
	return r, err
}

// readResponse parses an answer: a result=1 answer is an error built from the
// catalogue, an answer it cannot understand may have been applied.
func (c *Client) readResponse(kind, label string, raw []byte, required []string) (Response, error) {
	r, err := ParseResponse(raw)
	if err != nil {
		return nil, gwhttp.Unknownf(err, "%sの応答を読めませんでした（文字化けまたは途中で切れた応答）。処理されたかどうかを確認します", "the answer to %s could not be read; the outcome will be checked", label)
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
		e := gwhttp.Unknownf(nil, "%sの応答の処理結果「%s」を理解できません。処理されたかどうかを確認します", "the answer to %s has an unknown result %q; the outcome will be checked", label, clip(r.Result()))
		e.GatewayCode = "result=" + clip(r.Result())
		return nil, e
	}
	for _, k := range required {
		if r[k] == "" {
			return nil, gwhttp.Unknownf(nil, "%sの応答に%sがありません（想定外の応答）。処理されたかどうかを確認します", "the answer to %s lacks %s; the outcome will be checked", label, k)
		}
	}
	return r, nil
}

// fieldValue is the value of a field sent, "" when absent.
func fieldValue(fields []Field, key string) string {
	for _, f := range fields {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

// tlsAlert classifies the failure only Paygent has: the TLS handshake ended with an
// alert because Paygent (or the simulator) did not accept our client certificate. No
// request was processed on that connection. Every other failure is gwhttp's.
func tlsAlert(_ string, err error, _ bool) error {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "remote error" {
		return &backend.Error{Code: backend.ECREDENTIAL, Class: backend.ClassAuthFailed, Err: err, GatewayCode: "TLS " + alertName(opErr.Err),
			Message:   "ペイジェントがクライアント証明書を受け付けませんでした（証明書が未設定・発行元が違う・期限切れ・失効のいずれかです）。ペイジェントから発行された証明書を設定してください",
			MessageEn: "Paygent did not accept the client certificate (missing, wrong issuer, expired or revoked)"}
	}
	return nil
}

func alertName(err error) string {
	if err == nil {
		return "alert"
	}
	return strings.TrimPrefix(err.Error(), "tls: ")
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
