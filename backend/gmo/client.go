// Package gmo speaks GMO Payment Gateway's マルチペイメント protocol type — also used by
// SMBC GMO PAYMENT (SGP) on its own hosts — for payments that already exist at the
// gateway: capture, cancel (取消/返品/月跨返品), amount change, re-authorisation,
// konbini payment stop, and the transaction inquiries that resolve unknown outcomes
// and feed the sync. See ../shared/research/gmo-mulpay.md for the protocol.
package gmo

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/gwhttp"
)

// Published hosts of the protocol type.
const (
	HostGMOTest       = "https://pt01.mul-pay.jp"
	HostGMOProduction = "https://p01.mul-pay.jp"
	HostSGPTest       = "https://pt01.smbc-gp.co.jp"
	HostSGPProduction = "https://p01.smbc-gp.co.jp"
)

// HostFor returns the published host of a brand and environment.
func HostFor(kind backend.GatewayKind, env backend.Environment) string {
	switch {
	case kind == backend.GatewaySGP && env == backend.EnvProduction:
		return HostSGPProduction
	case kind == backend.GatewaySGP:
		return HostSGPTest
	case env == backend.EnvProduction:
		return HostGMOProduction
	}
	return HostGMOTest
}

// ValidateHost accepts an https URL, or plain http only for a simulator on 127.0.0.1.
func ValidateHost(host string) error { return gwhttp.ValidateHost(host, "https://pt01.mul-pay.jp") }

// Config configures a client.
type Config struct {
	Kind        backend.GatewayKind // GatewayGMO or GatewaySGP
	Environment backend.Environment
	Host        string // "" = the published host
	ShopID      string
	ShopPass    string // secret: never logged, never in an error
	Timeout     time.Duration
	HTTPClient  *http.Client
	// RootCAs verifies the server (a test host whose CA is not public); nil = the system roots.
	RootCAs *x509.CertPool
	Log     *slog.Logger // a summary of each exchange (gwhttp); nil = none
}

// Client implements backend.Gateway over the protocol type.
type Client struct {
	cfg  Config
	base string
	gw   *gwhttp.Client
}

var _ backend.Gateway = (*Client)(nil)

// New checks the configuration and returns a client.
func New(cfg Config) (*Client, error) {
	if cfg.Kind == "" {
		cfg.Kind = backend.GatewayGMO
	}
	host := strings.TrimRight(cfg.Host, "/")
	if host == "" {
		host = HostFor(cfg.Kind, cfg.Environment)
	}
	if err := ValidateHost(host); err != nil {
		return nil, err
	}
	if cfg.ShopID == "" {
		return nil, backend.Errorf(backend.ECREDENTIAL, "ショップIDが設定されていません", "the shop ID is not set")
	}
	if cfg.ShopPass == "" {
		return nil, backend.Errorf(backend.ECREDENTIAL, "ショップパスワードがキーチェーンにありません。ゲートウェイ設定で入力してください", "the shop password is not in the keychain")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = gwhttp.NewHTTP(cfg.Timeout, cfg.RootCAs)
	}
	return &Client{cfg: cfg, base: host, gw: &gwhttp.Client{HTTP: hc, Name: gwhttp.Name{Ja: "ゲートウェイ", En: "the gateway"}, Log: cfg.Log, Words: apiWords}}, nil
}

// Kind is the brand.
func (c *Client) Kind() backend.GatewayKind { return c.cfg.Kind }

// Requests counts the HTTP requests sent (benchmarks print it).
func (c *Client) Requests() int64 { return c.gw.Requests() }

// call POSTs one API and returns its answer. Errors say whether the request may have
// reached the gateway: ClassNotSent when it provably did not, ClassUnknown when it
// may have been applied.
func (c *Client) call(ctx context.Context, api string, fields []Field, required ...string) (Answer, error) {
	all := append([]Field{{"ShopID", c.cfg.ShopID}, {"ShopPass", c.cfg.ShopPass}}, fields...)
	body, err := EncodeForm(all)
	if err != nil {
		return nil, err
	}
	ctx = gwhttp.ForTransaction(ctx, fieldValue(fields, "OrderID"), fieldValue(fields, "AccessID"))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/payment/"+api+".idPass", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var a Answer
	err = c.gw.Exchange(req, api, func(raw []byte) (err error) {
		a, err = readAnswer(api, raw, required)
		return err
	})
	return a, err
}

// readAnswer parses an answer: an ErrCode answer is an error (errNotFound, with the
// answer, for "no such transaction"), and the required keys must be there.
func readAnswer(api string, raw []byte, required []string) (Answer, error) {
	a, err := ParseAnswer(raw)
	if err != nil {
		ja, en := apiWords(api)
		return nil, gwhttp.Unknownf(err, "%[1]sの応答を読めませんでした（文字化けまたは途中で切れた応答）", "the answer of %[2]s could not be read", ja, en)
	}
	if pairs := a.Errors(); pairs != nil {
		if notFound(pairs) {
			return a, errNotFound
		}
		return nil, apiError(pairs)
	}
	for _, k := range required {
		if _, ok := a[k]; !ok {
			ja, en := apiWords(api)
			return nil, gwhttp.Unknownf(nil, "%[1]sの応答に%[3]sがありません（想定外の応答）", "the answer of %[2]s lacks %[3]s", ja, en, k)
		}
	}
	return a, nil
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

var errNotFound = errors.New("gmo: no such transaction")

// AlterTran changes a card transaction: SALES, VOID, RETURN, RETURNX, or AUTH/CAPTURE
// to re-authorise (with Method/PayTimes of the original). Amount and Tax (税送料) are
// separate fields, as the authorisation carries them: SALES must repeat both.
func (c *Client) AlterTran(ctx context.Context, accessID, accessPass, jobCd string, amount, tax backend.Yen, method, payTimes string) (Answer, error) {
	f := []Field{{"AccessID", accessID}, {"AccessPass", accessPass}, {"JobCd", jobCd}}
	f = appendAmount(f, amount, tax)
	if method != "" {
		f = append(f, Field{"Method", method})
		if payTimes != "" {
			f = append(f, Field{"PayTimes", payTimes})
		}
	}
	return c.call(ctx, "AlterTran", f, "AccessID", "TranDate")
}

// ChangeTran changes the amount (a new authorisation) as AUTH or CAPTURE: the new
// Amount and Tax, apart.
func (c *Client) ChangeTran(ctx context.Context, accessID, accessPass, jobCd string, amount, tax backend.Yen) (Answer, error) {
	f := appendAmount([]Field{{"AccessID", accessID}, {"AccessPass", accessPass}, {"JobCd", jobCd}}, amount, tax)
	return c.call(ctx, "ChangeTran", f, "AccessID", "TranDate")
}

// appendAmount adds Amount and, when there is one, Tax.
func appendAmount(f []Field, amount, tax backend.Yen) []Field {
	if amount > 0 {
		f = append(f, Field{"Amount", strconv.FormatInt(int64(amount), 10)})
	}
	if tax > 0 {
		f = append(f, Field{"Tax", strconv.FormatInt(int64(tax), 10)})
	}
	return f
}

// SearchTrade reads a card transaction by OrderID.
func (c *Client) SearchTrade(ctx context.Context, orderID string) (Answer, error) {
	return c.call(ctx, "SearchTrade", []Field{{"OrderID", orderID}}, "Status", "JobCd", "Amount")
}

// PayType codes of SearchTradeMulti.
const (
	PayTypeCard    = "0"
	PayTypeCvs     = "3"
	PayTypePayEasy = "4"
)

// SearchTradeMulti reads a transaction of any method by OrderID and PayType.
func (c *Client) SearchTradeMulti(ctx context.Context, orderID, payType string) (Answer, error) {
	return c.call(ctx, "SearchTradeMulti", []Field{{"OrderID", orderID}, {"PayType", payType}}, "Status", "Amount")
}

// CvsCancel stops a konbini payment slip (支払停止).
func (c *Client) CvsCancel(ctx context.Context, accessID, accessPass, orderID string) (Answer, error) {
	return c.call(ctx, "CvsCancel", []Field{{"AccessID", accessID}, {"AccessPass", accessPass}, {"OrderID", orderID}}, "OrderID", "Status")
}

// Ping is the connection test: an inquiry for an order that does not exist, which
// proves the host answers and accepts the shop's ID and password, and changes nothing.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.SearchTradeMulti(ctx, "KESSAIDESK-PING", PayTypeCard)
	if err == errNotFound {
		return nil
	}
	return err
}

// apiWords names an API in the operator's words for messages (the log keeps the API).
func apiWords(api string) (string, string) {
	switch api {
	case "AlterTran":
		return "売上・取消などの要求", "the capture / cancel request"
	case "ChangeTran":
		return "金額変更の要求", "the amount change"
	case "SearchTrade", "SearchTradeMulti":
		return "取引の照会", "the inquiry"
	case "CvsCancel":
		return "支払停止の要求", "the payment stop"
	case "EntryTran", "ExecTran", "EntryTranCvs", "ExecTranCvs", "EntryTranPayEasy", "ExecTranPayEasy":
		return "決済の要求", "the payment request"
	}
	return "ゲートウェイへの要求", "the request"
}
