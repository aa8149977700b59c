// Package sbps speaks SB Payment Service's API型 (server-to-server XML API) for
// payments that already exist at SBPS: 売上 (also of less than the authorised amount),
// 与信取消, 返金, 部分返金, 再与信, and the status inquiries that resolve unknown
// outcomes and feed the sync — card (MG01-00101-101), WEBコンビニ (MG01-00101-701) and
// Pay-easy (MG01-00101-703, unconfirmed). See ../shared/research/sbps-paygent.md §A for
// the protocol and doc.go for what is assumed where the research is unsure.
package sbps

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/gwhttp"
)

// Published hosts of the API (research §A1).
const (
	HostTest       = "https://stbfep.sps-system.com" // 接続テスト環境
	HostProduction = "https://api.sps-system.com"
	// APIPath is the one endpoint every API id is posted to.
	APIPath = "/api/xmlapi.do"
)

// HostFor returns the published host of an environment.
func HostFor(env backend.Environment) string {
	if env == backend.EnvProduction {
		return HostProduction
	}
	return HostTest
}

// ValidateHost accepts an https URL without path or credentials, or plain http only
// for a simulator on 127.0.0.1.
func ValidateHost(host string) error {
	return gwhttp.ValidateHost(host, "https://stbfep.sps-system.com")
}

// API ids used by this client (research §A4). ST01 makes a new payment, ST02 operates
// on one, MG01 reads one; the last three digits are the payment method.
const (
	APICommit         = "ST02-00101-101" // 確定
	APISales          = "ST02-00201-101" // 売上 (amount ≤ authorised; omitted = all)
	APICancelRefund   = "ST02-00303-101" // 取消返金: 与信取消 before sales, 返金 after
	APIPartialRefund  = "ST02-00307-101" // 部分返金
	APIReauthorize    = "ST01-00133-101" // 再与信 from an earlier tracking_id
	APICardInquiry    = "MG01-00101-101" // 決済結果参照 (card)
	APIWebCvsInquiry  = "MG01-00101-701" // 決済結果参照 (WEBコンビニ)
	APIPayEasyInquiry = "MG01-00101-703" // 決済結果参照 (Pay-easy) — id by pattern, unconfirmed
)

// Config configures a client.
type Config struct {
	Environment backend.Environment
	Host        string // "" = the published host of the environment
	MerchantID  string // merchant_id, 5 digits
	ServiceID   string // service_id, 3 digits
	HashKey     string // secret: never logged, never in an error
	// BasicID is the Basic authentication user; "" = merchant_id+service_id (the
	// public sandbox pattern).
	BasicID string
	// BasicPassword is the Basic authentication password; "" = the hash key (the
	// public sandbox pattern; production contracts may issue a separate one).
	BasicPassword string
	// CipherKey (24 characters) and CipherIV (8) enable encrypted_flg=1 on the card
	// inquiry, whose answer then carries the status fields 3DES-encrypted. Empty =
	// encrypted_flg=0, as the recorded sandbox exchanges do.
	CipherKey string
	CipherIV  string
	// LimitSecond is limit_second (リクエスト許容時間, ≤ 9999): how far request_date
	// may be from SBPS's clock. 0 = 600.
	LimitSecond int
	Timeout     time.Duration
	HTTPClient  *http.Client
	// RootCAs verifies the server (a test host whose CA is not public); nil = the system roots.
	RootCAs *x509.CertPool
	// Now is the clock for request_date and processing_datetime; nil = time.Now.
	// Tests point it at the simulator's clock.
	Now func() time.Time
	Log *slog.Logger // a summary of each exchange (gwhttp); nil = none
}

// Client implements backend.Gateway over the API型.
type Client struct {
	cfg       Config
	base      string
	basicID   string
	basicPass string
	cipher    *Cipher
	gw        *gwhttp.Client
}

var _ backend.Gateway = (*Client)(nil)

var (
	merchantPattern = regexp.MustCompile(`^[0-9]{5}$`)
	servicePattern  = regexp.MustCompile(`^[0-9]{3}$`)
)

func credential(ja, en string) *backend.Error {
	e := &backend.Error{Code: backend.ECREDENTIAL, Message: ja, MessageEn: en}
	e.Class = backend.ClassNotSent
	return e
}

// New checks the configuration and returns a client.
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
		return nil, credential("マーチャントIDが設定されていません", "the merchant ID is not set")
	case !merchantPattern.MatchString(cfg.MerchantID):
		return nil, credential("マーチャントIDは半角数字5桁です。ゲートウェイ設定を確認してください", "the merchant ID is 5 digits")
	case cfg.ServiceID == "":
		return nil, credential("サービスIDが設定されていません", "the service ID is not set")
	case !servicePattern.MatchString(cfg.ServiceID):
		return nil, credential("サービスIDは半角数字3桁です。ゲートウェイ設定を確認してください", "the service ID is 3 digits")
	case cfg.HashKey == "":
		return nil, credential("ハッシュキーがキーチェーンにありません。ゲートウェイ設定で入力してください", "the hash key is not in the keychain")
	}
	if cfg.LimitSecond <= 0 {
		cfg.LimitSecond = 600
	}
	if cfg.LimitSecond > 9999 {
		cfg.LimitSecond = 9999
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Client{cfg: cfg, base: host, basicID: cfg.BasicID, basicPass: cfg.BasicPassword}
	if c.basicID == "" {
		c.basicID = cfg.MerchantID + cfg.ServiceID
	}
	if c.basicPass == "" {
		c.basicPass = cfg.HashKey
	}
	if cfg.CipherKey != "" || cfg.CipherIV != "" {
		ci, err := NewCipher(cfg.CipherKey, cfg.CipherIV)
		if err != nil {
			return nil, err
		}
		c.cipher = ci
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = gwhttp.NewHTTP(cfg.Timeout, cfg.RootCAs)
	}
	c.gw = &gwhttp.Client{HTTP: hc, Name: gwhttp.Name{Ja: "SBPS", En: "SBPS"}, Status: basicAuthStatus, Log: cfg.Log, Words: apiWords}
	return c, nil
}

// Kind is backend.GatewaySBPS.
func (c *Client) Kind() backend.GatewayKind { return backend.GatewaySBPS }

// Requests counts the HTTP requests sent (benchmarks print it).
func (c *Client) Requests() int64 { return c.gw.Requests() }

// timestamp formats a time as SBPS's yyyyMMddHHmmss in JST.
func timestamp(t time.Time) string { return backend.FormatJST(t) }

// ParseTime reads SBPS's yyyyMMddHHmmss or yyyyMMdd (JST); "" or garbage is zero.
var ParseTime = backend.ParseJST

// BuildRequest is the request document for an API: merchant_id, service_id, the
// API's fields, request_date and limit_second, and sps_hashcode over all of them.
func BuildRequest(id, merchantID, serviceID, hashKey string, fields []Node, requestDate time.Time, limitSecond int) ([]byte, error) {
	nodes := make([]Node, 0, len(fields)+5)
	nodes = append(nodes, Leaf("merchant_id", merchantID), Leaf("service_id", serviceID))
	nodes = append(nodes, fields...)
	nodes = append(nodes, Leaf("request_date", timestamp(requestDate)))
	if limitSecond > 0 {
		nodes = append(nodes, Leaf("limit_second", strconv.Itoa(limitSecond)))
	}
	hash, err := Hashcode(nodes, hashKey)
	if err != nil {
		return nil, err
	}
	nodes = append(nodes, Leaf("sps_hashcode", hash))
	return Marshal(Document{Root: RootRequest, ID: id, Nodes: nodes})
}

var errNotFound = errors.New("sbps: no such transaction")

// call posts one API and returns its answer. Errors say whether the request may have
// reached SBPS: ClassNotSent when it provably did not, ClassUnknown when it may have
// been applied. An NG answer whose code means "no such transaction" returns
// errNotFound with the answer.
func (c *Client) call(ctx context.Context, id string, fields []Node, required ...string) (*Response, error) {
	body, err := BuildRequest(id, c.cfg.MerchantID, c.cfg.ServiceID, c.cfg.HashKey, fields, c.cfg.Now(), c.cfg.LimitSecond)
	if err != nil {
		var be *backend.Error
		if errors.As(err, &be) {
			c := *be
			c.Class = backend.ClassNotSent
			return nil, &c
		}
		return nil, &backend.Error{Code: backend.EINVALID, Class: backend.ClassNotSent, Err: err,
			Message: "SBPSに送る内容を組み立てられませんでした", MessageEn: "the request could not be built"}
	}
	ctx = gwhttp.ForTransaction(ctx, leafValue(fields, "order_id"), leafValue(fields, "tracking_id"))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+APIPath, bytes.NewReader(body))
	if err != nil {
		return nil, &backend.Error{Code: backend.EINVALID, Class: backend.ClassNotSent, Err: err,
			Message: "SBPSへのリクエストを作れませんでした", MessageEn: "the request could not be created"}
	}
	req.Header.Set("Content-Type", "text/xml; charset=Shift_JIS")
	req.SetBasicAuth(c.basicID, c.basicPass)
	var r *Response
	err = c.gw.Exchange(req, id, func(raw []byte) (err error) {
		r, err = readResponse(id, raw, required)
		return err
	})
	return r, err
}

// readResponse parses an answer: an NG answer is an error (errNotFound, with the
// answer, when its code means "no such transaction"); the answer must be the API's
// and carry the required fields.
func readResponse(id string, raw []byte, required []string) (*Response, error) {
	ja, en := apiWords(id)
	r, err := ParseResponse(raw)
	if err != nil {
		return nil, gwhttp.Unknownf(err, "%[1]sの応答を読めませんでした（文字化けまたは途中で切れた応答）。処理されたかどうかを確認します", "the answer to %[2]s could not be read", ja, en)
	}
	if !r.OK() {
		code := r.ErrCode()
		if IsNotFound(code) {
			return r, errNotFound
		}
		return nil, apiError(code)
	}
	if r.ID != "" && r.ID != id {
		return nil, gwhttp.Unknownf(nil, "%[1]sへの応答が別の要求の応答でした。処理されたかどうかを確認します", "the answer to %[2]s was another request's", ja, en)
	}
	for _, k := range required {
		if !r.Has(k) {
			return nil, gwhttp.Unknownf(nil, "%[1]sの応答に必要な項目（%[3]s）がありません（想定外の応答）。処理されたかどうかを確認します", "the answer to %[2]s lacks %[3]s", ja, en, k)
		}
	}
	return r, nil
}

// apiWords names an API id in the operator's words for messages (the log keeps the id).
func apiWords(id string) (string, string) {
	switch id {
	case APICommit:
		return "確定の要求", "the commit"
	case APISales:
		return "売上の要求", "the capture"
	case APICancelRefund:
		return "取消・返金の要求", "the cancel / refund"
	case APIPartialRefund:
		return "部分返金の要求", "the partial refund"
	case APIReauthorize:
		return "再与信の要求", "the re-authorisation"
	case APICardInquiry, APIWebCvsInquiry, APIPayEasyInquiry:
		return "取引の照会", "the inquiry"
	}
	return "SBPSへの要求", "the request"
}

// leafValue is the value of a top-level element sent, "" when absent.
func leafValue(fields []Node, name string) string {
	for _, n := range fields {
		if n.Name == name && n.Children == nil {
			return n.Value
		}
	}
	return ""
}

// basicAuthStatus tells the statuses of SBPS's Basic authentication, which sits in
// front of the API: the request was refused at the door, not processed. The other
// statuses are gwhttp's.
func basicAuthStatus(_ string, status int) error {
	switch status {
	case http.StatusUnauthorized:
		return &backend.Error{Code: backend.ECREDENTIAL, Class: backend.ClassAuthFailed, GatewayCode: gwhttp.HTTPCode(status),
			Message:   "SBPSのBasic認証に失敗しました。マーチャントID・サービスID・ハッシュキー（Basic認証パスワード）をゲートウェイ設定で確認してください",
			MessageEn: "SBPS rejected the Basic authentication; check the merchant ID, service ID and hash key (Basic password)"}
	case http.StatusForbidden:
		return &backend.Error{Code: backend.ECREDENTIAL, Class: backend.ClassAuthFailed, GatewayCode: gwhttp.HTTPCode(status),
			Message:   "SBPSが接続を拒否しました（HTTP 403）。接続先とご契約の設定（接続元の制限など）を確認してください",
			MessageEn: "SBPS refused the connection (HTTP 403); check the host and the contract's settings"}
	}
	return nil
}

func yenString(a backend.Yen) string { return strconv.FormatInt(int64(a), 10) }

// Commit sends 確定 (ST02-00101-101) for an authorisation. The shop's checkout commits
// its own authorisations; this client commits the ones its re-authorisation makes.
func (c *Client) Commit(ctx context.Context, trackingID string) (*Response, error) {
	return c.call(ctx, APICommit, []Node{Leaf("tracking_id", trackingID),
		Leaf("processing_datetime", timestamp(c.cfg.Now()))}, "res_process_date")
}

// Sales sends 売上 (ST02-00201-101). amount 0 = the whole authorised amount (the
// request then carries no amount, like every public client); a smaller amount is a
// partial capture.
func (c *Client) Sales(ctx context.Context, trackingID string, amount backend.Yen) (*Response, error) {
	f := []Node{Leaf("tracking_id", trackingID), Leaf("processing_datetime", timestamp(c.cfg.Now()))}
	if amount > 0 {
		f = append(f, Group("pay_option_manage", Leaf("amount", yenString(amount))))
	}
	return c.call(ctx, APISales, f, "res_process_date")
}

// CancelRefund sends 取消返金要求 (ST02-00303-101): before sales it releases the
// authorisation (与信取消), after sales it refunds the rest of the sale (返金).
func (c *Client) CancelRefund(ctx context.Context, trackingID string) (*Response, error) {
	return c.call(ctx, APICancelRefund, []Node{Leaf("tracking_id", trackingID),
		Leaf("processing_datetime", timestamp(c.cfg.Now()))}, "res_process_date")
}

// PartialRefund sends 部分返金 (ST02-00307-101) of amount. It is not guarded by the
// payment's state the way a cancel is: every call refunds again, so it must never be
// resent blindly after an unknown outcome.
func (c *Client) PartialRefund(ctx context.Context, trackingID string, amount backend.Yen) (*Response, error) {
	return c.call(ctx, APIPartialRefund, []Node{Leaf("tracking_id", trackingID),
		Leaf("processing_datetime", timestamp(c.cfg.Now())),
		Group("pay_option_manage", Leaf("amount", yenString(amount)))}, "res_process_date")
}

// Order is the order data a re-authorisation carries.
type Order struct {
	CustCode string // cust_code (≤ 64)
	OrderID  string // order_id (≤ 38)
	ItemID   string // item_id (≤ 32)
	ItemName string // item_name (multibyte, ≤ 40), optional
	Amount   backend.Yen
}

// Reauthorize sends 再与信 (ST01-00133-101): a new authorisation with the card and the
// payment method of the earlier authorisation trackingID (pay_info_control_type and
// pay_info_detail_control_type B = "as before"). The answer's res_tracking_id is the
// new payment; it still needs Commit.
func (c *Client) Reauthorize(ctx context.Context, trackingID string, o Order) (*Response, error) {
	f := []Node{Leaf("tracking_id", trackingID), Leaf("cust_code", o.CustCode), Leaf("order_id", o.OrderID), Leaf("item_id", o.ItemID)}
	if o.ItemName != "" {
		f = append(f, Multibyte("item_name", o.ItemName))
	}
	f = append(f, Leaf("amount", yenString(o.Amount)),
		Group("pay_option_manage", Leaf("pay_info_control_type", "B"), Leaf("pay_info_detail_control_type", "B")))
	return c.call(ctx, APIReauthorize, f, "res_tracking_id")
}

// CardInquiry sends 決済結果参照 (MG01-00101-101). With a cipher configured it asks
// for encrypted_flg=1 and decrypts the answer's encrypted fields in place.
func (c *Client) CardInquiry(ctx context.Context, trackingID string) (*Response, error) {
	flag := "0"
	if c.cipher != nil {
		flag = "1"
	}
	r, err := c.call(ctx, APICardInquiry, []Node{Leaf("tracking_id", trackingID), Leaf("response_info_type", "2"),
		Group("pay_option_manage", Leaf("cardbrand_return_flg", "1")), Leaf("encrypted_flg", flag)})
	if err != nil || c.cipher == nil {
		return r, err
	}
	for _, k := range EncryptedInquiryFields {
		v, ok := r.Fields[k]
		if !ok {
			continue
		}
		plain, derr := c.cipher.Decrypt(v)
		if derr != nil {
			return nil, &backend.Error{Code: backend.EGATEWAY, Class: backend.ClassPermanent, Err: derr,
				Message:   "SBPSの応答の暗号を解けませんでした。3DES暗号化キーと初期化ベクトルを確認してください",
				MessageEn: "the encrypted fields of the answer could not be decrypted; check the 3DES key and IV"}
		}
		r.Fields[k] = plain
	}
	return r, nil
}

// DepositInquiry sends 決済結果参照 for WEBコンビニ (MG01-00101-701) or Pay-easy
// (MG01-00101-703; id inferred from the naming pattern, not seen in any source).
func (c *Client) DepositInquiry(ctx context.Context, api, trackingID string) (*Response, error) {
	return c.call(ctx, api, []Node{Leaf("tracking_id", trackingID), Leaf("encrypted_flg", "0")})
}

// PingTrackingID is the tracking_id the connection test asks for: no such payment.
const PingTrackingID = "00000000000000"

// Ping is the connection test: a card inquiry for a payment that does not exist. An
// answer "no such tracking id" proves that the host answers, the Basic authentication
// passes and the hash key is right; nothing changes at SBPS.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.CardInquiry(ctx, PingTrackingID)
	if err == errNotFound {
		return nil
	}
	return err
}
