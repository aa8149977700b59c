package backend

import (
	"context"
	"fmt"
	"time"
)

// Environment is the gateway environment a profile talks to.
type Environment string

const (
	EnvTest       Environment = "test"       // テスト環境
	EnvProduction Environment = "production" // 本番環境
)

// Label returns テスト / 本番.
func (e Environment) Label() string {
	if e == EnvProduction {
		return "本番"
	}
	return "テスト"
}

// GatewayProfile is one gateway contract in one environment. A shop may hold several
// (GMO-PG for cards and Paygent for konbini; test and production of each).
// Secrets are not here: they live in the Vault under SecretKey(profile, name).
type GatewayProfile struct {
	ID          int64
	Name        string
	Kind        GatewayKind
	Demo        bool // the built-in sandbox (デモ); removable in settings
	Environment Environment
	// Host overrides the gateway's published host for the environment, e.g. the
	// gateway's per-merchant test host or a simulator on 127.0.0.1. Empty = published host.
	Host string
	// Non-secret identifiers, by gateway:
	//   GMO-PG/SGP: MerchantID = ShopID
	//   SBPS:       MerchantID = merchant_id, SubID = service_id
	//   Paygent:    MerchantID = merchant_id, SubID = connect_id
	MerchantID      string
	SubID           string
	Methods         []PaymentMethod
	AuthExpiryDays  int  // days an authorisation stays capturable
	FeePerOperation Yen  // billed per 売上/取消 etc.
	AutoCapture     bool // the contract captures at authorisation (即時売上/自動売上)
	// SalesCancel is the contract's 売上取消 window (Paygent: counted from the
	// authorisation or from the sale, by contract). The zero value is the usual one.
	SalesCancel CancelWindow
	// LinkRule forms the gateway's id of an order from the shop's order number.
	LinkRule  LinkRule
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CancelFrom is the day a sales-cancel window counts from.
type CancelFrom string

const (
	CancelFromSale CancelFrom = "sale" // 売上日 (the usual contract)
	CancelFromAuth CancelFrom = "auth" // オーソリ日
)

// Label returns the operator's word for the day.
func (f CancelFrom) Label() string {
	if f == CancelFromAuth {
		return "オーソリ日"
	}
	return "売上日"
}

// LabelEn is the English name of the date the window counts from.
func (f CancelFrom) LabelEn() string {
	if f == CancelFromAuth {
		return "authorisation"
	}
	return "sale"
}

// CancelWindow is how long a sale can still be cancelled at the card company: Days
// after the authorisation or the sale. Paygent's 売上取消 ends about 60 days after one
// or the other depending on the contract (status 41, code 2007).
type CancelWindow struct {
	From CancelFrom // "" = CancelFromSale
	Days int        // 0 = PaygentRefundLimitDays
}

// OrDefault fills in the usual window: 60 days from the sale.
func (w CancelWindow) OrDefault() CancelWindow {
	if w.From == "" {
		w.From = CancelFromSale
	}
	if w.Days <= 0 {
		w.Days = PaygentRefundLimitDays
	}
	return w
}

// Valid reports whether the window can be stored as it is (the zero value can).
func (w CancelWindow) Valid() bool {
	return (w.From == "" || w.From == CancelFromSale || w.From == CancelFromAuth) && w.Days >= 0 && w.Days <= 365
}

// DefaultAuthExpiryDays is the usual authorisation period per gateway
// (GMO family about 90 days; SBPS and Paygent about 60 days).
func DefaultAuthExpiryDays(k GatewayKind) int {
	switch k {
	case GatewayGMO, GatewaySGP:
		return 90
	default:
		return 60
	}
}

// Secret names stored in the Vault for a profile.
const (
	SecretShopPass        = "shop_pass"        // GMO-PG / SGP ShopPass
	SecretHashKey         = "hash_key"         // SBPS hash key (also the Basic auth password)
	SecretBasicPassword   = "basic_password"   // SBPS Basic auth password when it differs
	SecretCipherKey       = "cipher_key"       // SBPS 3DES key (24 characters), optional
	SecretCipherIV        = "cipher_iv"        // SBPS 3DES initialisation vector (8 characters), optional
	SecretConnectPassword = "connect_password" // Paygent connect_password
	SecretClientCert      = "client_cert"      // Paygent client certificate (PEM) or its file key
	SecretCertPassword    = "client_cert_pass" // Paygent PEM key / PKCS#12 password
	SecretCACert          = "ca_cert"          // the host's server CA (PEM) when it is not a public CA (a test host), optional
)

// Vault keeps merchant secrets in the OS keychain. Get returns an ENOTFOUND error when absent.
type Vault interface {
	Set(key, secret string) error
	Get(key string) (string, error)
	Delete(key string) error
}

// GatewayFactory builds the Gateway client for a profile, reading its secrets.
type GatewayFactory interface {
	Gateway(ctx context.Context, profile *GatewayProfile) (Gateway, error)
}

// SecretKey names a profile's secret in the keychain, e.g. "profile/3/shop_pass".
func SecretKey(profileID int64, name string) string {
	return fmt.Sprintf("profile/%d/%s", profileID, name)
}
