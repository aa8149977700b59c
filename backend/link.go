package backend

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Linking ties a shop's order to its transaction at the gateway. Each back office forms
// the gateway's id its own way (../research/shop-csv-linking.md): the order number
// itself (futureshop×SBPS, MakeShop×GMO, EC-CUBE×Paygent), with a prefix (wc_),
// with MakeShop's re-payment suffixes -1, -2 …, or with a timestamp no order CSV
// carries (EC-CUBE's GMO plugins: {注文ID}-ddHHmmss).

// LinkRule forms the gateway's id of an order from its order number, per profile.
type LinkRule struct {
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
	// RetrySuffixes: when the id is not found, try id-1 … id-9 (MakeShop appends them
	// on a card 再決済 because the gateway refuses a reused OrderID).
	RetrySuffixes bool `json:"retrySuffixes,omitempty"`
	// Timestamped: the back office appends -ddHHmmss at checkout (GMO's EC-CUBE 2/4
	// modules), which cannot be derived: link from the console's transaction CSV or
	// by hand. The gateway is never asked for guessed timestamps.
	Timestamped bool `json:"timestamped,omitempty"`
}

// MaxRetrySuffix is the last re-payment suffix tried (-1 … -9).
const MaxRetrySuffix = 9

// GatewayID is the id the gateway knows the order by, "" when the rule cannot form it.
func (r LinkRule) GatewayID(orderNo string) string {
	if r.Timestamped || orderNo == "" {
		return ""
	}
	return r.Prefix + orderNo + r.Suffix
}

// GatewayIDs are the ids to ask for, in order: the id, then its re-payment suffixes.
func (r LinkRule) GatewayIDs(orderNo string) []string {
	id := r.GatewayID(orderNo)
	if id == "" {
		return nil
	}
	out := []string{id}
	if r.RetrySuffixes {
		for i := 1; i <= MaxRetrySuffix; i++ {
			out = append(out, id+"-"+strconv.Itoa(i))
		}
	}
	return out
}

var (
	retryTail     = regexp.MustCompile(`-[1-9][0-9]?$`)
	timestampTail = regexp.MustCompile(`-[0-3][0-9][0-2][0-9][0-5][0-9][0-5][0-9]$`)
)

// OrderNo reads the order number back from a gateway id (a console CSV row): the
// prefix and suffix removed, and a re-payment or timestamp tail the rule allows.
func (r LinkRule) OrderNo(gatewayID string) (string, bool) {
	s := strings.TrimSpace(gatewayID)
	switch {
	case r.Timestamped:
		if !timestampTail.MatchString(s) {
			return "", false
		}
		s = s[:len(s)-len("-ddHHmmss")]
	case r.RetrySuffixes:
		s = retryTail.ReplaceAllString(s, "")
	}
	if !strings.HasPrefix(s, r.Prefix) || !strings.HasSuffix(s, r.Suffix) || len(s) < len(r.Prefix)+len(r.Suffix)+1 {
		return "", false
	}
	return s[len(r.Prefix) : len(s)-len(r.Suffix)], true
}

// Describe says the rule in the operator's words, with an example.
func (r LinkRule) Describe(example string) string {
	if r.Timestamped {
		return "注文番号-日時（例: " + example + "-20061530）: 管理画面の取引CSVまたは手入力で連携します"
	}
	s := "注文番号"
	if r.Prefix != "" || r.Suffix != "" {
		s = r.Prefix + "{注文番号}" + r.Suffix
	}
	s += "（例: " + r.GatewayID(example) + "）"
	if r.RetrySuffixes {
		s += "、見つからなければ -1〜-9 の再決済番号も照会"
	}
	return s
}

// DescribeEn is Describe in English.
func (r LinkRule) DescribeEn(example string) string {
	if r.Timestamped {
		return "order number-time (e.g. " + example + "-20061530): linked from the console's transaction CSV or by hand"
	}
	s := "order number"
	if r.Prefix != "" || r.Suffix != "" {
		s = r.Prefix + "{order number}" + r.Suffix
	}
	s += " (e.g. " + r.GatewayID(example) + ")"
	if r.RetrySuffixes {
		s += "; when not found, the retry numbers -1 to -9 are asked too"
	}
	return s
}

// LinkStatus is where linking an order stands.
type LinkStatus string

const (
	LinkPending     LinkStatus = "pending"      // to be looked up by the next link run
	LinkLinked      LinkStatus = "linked"       // the order has its payment
	LinkNotFound    LinkStatus = "not_found"    // the gateway has no transaction for the id
	LinkAmbiguous   LinkStatus = "ambiguous"    // several transactions: the operator chooses
	LinkNoProfile   LinkStatus = "no_profile"   // no gateway profile (or several) for its method
	LinkConsoleOnly LinkStatus = "console_only" // the id cannot be formed: console CSV or by hand
	LinkFailed      LinkStatus = "failed"       // the gateway could not be asked (offline…); tried again next run
)

var linkStatusLabels = map[LinkStatus][2]string{
	LinkPending:     {"連携待ち", "Waiting"},
	LinkLinked:      {"連携済み", "Linked"},
	LinkNotFound:    {"取引なし", "Not found"},
	LinkAmbiguous:   {"候補が複数", "Several candidates"},
	LinkNoProfile:   {"設定なし", "No profile"},
	LinkConsoleOnly: {"取引CSVが必要", "Needs the console CSV"},
	LinkFailed:      {"照会できず", "Could not ask"},
}

// Label returns the Japanese name.
func (s LinkStatus) Label() string { return linkStatusLabels[s][0] }

// LabelEn returns the English name.
func (s LinkStatus) LabelEn() string { return linkStatusLabels[s][1] }

// TransactionIDs are a transaction's ids as the gateway names them:
// GMO-PG/SGP OrderID + AccessID + AccessPass; SBPS order_id + tracking_id;
// Paygent trading_id + payment_id.
type TransactionIDs struct {
	GatewayOrderID  string
	GatewayTranID   string
	GatewayTranPass string
}

// Transaction is a transaction at the gateway, found for an order: its ids and the
// gateway's own view of it (state, amounts, tax, dates).
type Transaction struct {
	ProfileID int64
	Gateway   GatewayKind
	Method    PaymentMethod
	TransactionIDs
	View GatewayView
	// Amount came from the console's CSV, not from an API answer (SBPS's inquiry
	// carries no amounts); the state is still the gateway's.
	AmountFromConsole bool
}

// TransactionFinder finds transactions at the gateway for linking. It changes nothing.
type TransactionFinder interface {
	// FindTransactions asks by the gateway-side order id (GMO OrderID, Paygent
	// trading_id). None found is an empty slice. ErrSeveral: the gateway holds several
	// and cannot list them (Paygent 13002). EUNSUPPORTED: the protocol cannot look up
	// by this id (SBPS looks up by tracking_id only).
	FindTransactions(ctx context.Context, method PaymentMethod, gatewayOrderID string) ([]Transaction, error)
	// LookupTransaction checks ids the operator pasted or a console CSV carried, and
	// returns the transaction as the gateway reports it (ENOTFOUND when it has none,
	// EINVALID when the ids do not belong together).
	LookupTransaction(ctx context.Context, method PaymentMethod, ids TransactionIDs) (*Transaction, error)
}

// ErrSeveral is returned by FindTransactions when the gateway holds several
// transactions for the id and cannot say which (Paygent 13002).
var ErrSeveral = &Error{Code: ECONFLICT, Class: ClassPermanent,
	Message:   "この取引IDには決済が複数あります。管理画面の決済IDを入力するか、取引CSVで連携してください",
	MessageEn: "several payments share this id; enter the payment id from the console or import the console CSV"}

// OrderLink is the link state of one order (the 未連携 work list).
type OrderLink struct {
	OrderID        int64
	OrderNo        string
	CustomerName   string
	Method         PaymentMethod
	Total          Yen
	OrderedAt      time.Time
	Status         LinkStatus
	ProfileID      int64
	GatewayOrderID string // the id asked for
	// Hint: ids an import's gateway columns carried; the link run checks them with the
	// gateway (LookupTransaction) instead of forming the id from the order number.
	Hint          TransactionIDs
	HintProfileID int64
	Reason        string // why it is not linked, in Japanese
	ReasonEn      string
	Candidates    []Transaction // LinkAmbiguous: what the operator chooses from
	UpdatedAt     time.Time
}

// LinkStore keeps link states and attaches found transactions.
type LinkStore interface {
	// QueueLinks marks orders that need a payment (a gateway method, no payment, not
	// cancelled, not demo) as pending; ids nil = every such order. Returns how many.
	QueueLinks(ctx context.Context, orderIDs []int64) (int, error)
	// PendingLinks returns up to limit orders in LinkPending (or LinkFailed), oldest first.
	PendingLinks(ctx context.Context, limit int) ([]OrderLink, error)
	// SaveLinkState records the outcome of looking an order up.
	SaveLinkState(ctx context.Context, l *OrderLink) error
	// Unlinked lists orders not linked (every status but linked and pending), for the 未連携 list.
	Unlinked(ctx context.Context, limit int) ([]OrderLink, error)
	LinkState(ctx context.Context, orderID int64) (*OrderLink, error)
	// AttachPayment saves p as the order's payment and marks the order linked, in one
	// transaction. It refuses (ECONFLICT) when the order already has a payment or the
	// transaction is already another order's.
	AttachPayment(ctx context.Context, p *Payment, actor string) error
}
