package app

import (
	"cmp"
	"time"

	"kessaidesk/backend"
)

// Times cross to the UI as RFC 3339 strings in JST ("" for none); amounts as integer yen.

func jst(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(backend.JST).Format(time.RFC3339)
}

// Label is a code with its Japanese and English names, for selects and badges.
type Label struct {
	Code string `json:"code"`
	Ja   string `json:"ja"`
	En   string `json:"en"`
}

// OrderSearch is the 受注管理 search form as the UI sends it. Numbers and dates arrive
// as the operator typed them and are checked here with Japanese messages.
type OrderSearch struct {
	OrderNoFrom   string   `json:"orderNoFrom"`
	OrderNoTo     string   `json:"orderNoTo"`
	Statuses      []string `json:"statuses"`
	Name          string   `json:"name"`
	Kana          string   `json:"kana"`
	Email         string   `json:"email"`
	Tel           string   `json:"tel"`
	Methods       []string `json:"methods"`
	PaymentStates []string `json:"paymentStates"`
	OrderedFrom   string   `json:"orderedFrom"` // YYYY-MM-DD, JST, inclusive
	OrderedTo     string   `json:"orderedTo"`   // YYYY-MM-DD, JST, inclusive
	UpdatedFrom   string   `json:"updatedFrom"`
	UpdatedTo     string   `json:"updatedTo"`
	TotalMin      string   `json:"totalMin"`
	TotalMax      string   `json:"totalMax"`
	Product       string   `json:"product"`
	Sort          string   `json:"sort"`
	Page          int      `json:"page"`     // 1-based
	PageSize      int      `json:"pageSize"` // default 50
	// After is the previous page's next: the page that follows it (Page is then ignored).
	After string `json:"after,omitempty"`
}

// OrderRow is one line of the 受注一覧.
type OrderRow struct {
	ID            int64  `json:"id"`
	OrderNo       string `json:"orderNo"`
	OrderedAt     string `json:"orderedAt"`
	UpdatedAt     string `json:"updatedAt"`
	CustomerName  string `json:"customerName"`
	CustomerKana  string `json:"customerKana"`
	PaymentMethod Label  `json:"paymentMethod"`
	Total         int64  `json:"total"`
	Status        Label  `json:"status"`
	PaymentID     int64  `json:"paymentId"`
	PaymentState  Label  `json:"paymentState"`
	Gateway       string `json:"gateway"`
	AuthExpiresAt string `json:"authExpiresAt"`
	AuthDaysLeft  *int   `json:"authDaysLeft"` // days left to capture, for 仮売上 only
	InFlight      bool   `json:"inFlight"`
	Demo          bool   `json:"demo"`
	// PaymentVersion is the version of the row's payment as listed (Payment.version): a
	// bulk run of a selection sends it, so a payment changed since is not sent blindly.
	PaymentVersion int64 `json:"paymentVersion"`
}

// OrderPage is one page of results.
type OrderPage struct {
	Rows         []OrderRow `json:"rows"`
	Total        int        `json:"total"`
	TotalAtLeast bool       `json:"totalAtLeast"` // more match than counted: show "10,000件以上"
	Page         int        `json:"page"`
	PageSize     int        `json:"pageSize"`
	Next         string     `json:"next"` // the following page's cursor (OrderSearch.after); "" = last page
}

// LineItem is a product line.
type LineItem struct {
	ProductCode string `json:"productCode"`
	ProductName string `json:"productName"`
	Variant     string `json:"variant"`
	UnitPrice   int64  `json:"unitPrice"`
	Quantity    int64  `json:"quantity"`
	Amount      int64  `json:"amount"`
}

// Payment is a payment as the detail screen shows it.
type Payment struct {
	ID               int64       `json:"id"`
	Gateway          string      `json:"gateway"`
	GatewayLabel     string      `json:"gatewayLabel"`
	ProfileName      string      `json:"profileName"`
	Demo             bool        `json:"demo"`
	Method           Label       `json:"method"`
	State            Label       `json:"state"`
	RawStatus        string      `json:"rawStatus"`
	GatewayOrderID   string      `json:"gatewayOrderId"`
	GatewayTranID    string      `json:"gatewayTranId"`
	AmountAuthorized int64       `json:"amountAuthorized"`
	AmountCaptured   int64       `json:"amountCaptured"`
	AmountRefunded   int64       `json:"amountRefunded"`
	AuthorizedAt     string      `json:"authorizedAt"`
	CapturedAt       string      `json:"capturedAt"`
	AuthExpiresAt    string      `json:"authExpiresAt"`
	AuthDaysLeft     *int        `json:"authDaysLeft"`
	PaymentDeadline  string      `json:"paymentDeadline"`
	PaidAt           string      `json:"paidAt"`
	LastSyncedAt     string      `json:"lastSyncedAt"`
	InFlight         bool        `json:"inFlight"`
	Actions          []string    `json:"actions"` // what the operator can do now: "capture", …
	Operations       []Operation `json:"operations"`
	Tax              int64       `json:"tax"`         // the gateway's separate tax field, included in the amounts
	ProcessedAt      string      `json:"processedAt"` // the gateway's latest processing date
	// Review: the gateway holds several transactions under the payment's id (Paygent
	// 13002) and the operator chooses the current one; nil when not waiting.
	Review *Review `json:"review"`
	// Slip: the numbers the customer pays a konbini / Pay-easy payment with; nil for none.
	Slip *PaymentSlip `json:"slip"`
	// FailureReason: why the last 売上 failed (売上失敗), in the gateway's words explained.
	FailureReason string `json:"failureReason"`
	// Version is the payment's version as shown (one more at every change of it): an
	// action sends it back (ActionInput.version) and is refused, nothing sent, when the
	// payment changed since — on another desktop, by the sync or another operation.
	Version int64 `json:"version"`
}

// PaymentSlip is what the customer needs at the store or the ATM.
type PaymentSlip struct {
	Store     string `json:"store"`     // the chain's name (ローソン …), "" for Pay-easy
	StoreEn   string `json:"storeEn"`   // in English (Lawson …)
	ReceiptNo string `json:"receiptNo"` // 受付番号 / 支払番号
	ConfNo    string `json:"confNo"`    // 確認番号
	BkCode    string `json:"bkCode"`    // 収納機関番号
	CustID    string `json:"custId"`    // お客様番号
}

// Review is a payment 要確認 waiting for the operator's choice among candidates, each
// as the gateway reported it when asked by its own id (side by side, like the link panel).
type Review struct {
	FoundAt     string   `json:"foundAt"`
	OperationID int64    `json:"operationId"` // the operation the choice settles; 0 = none
	Candidates  []TxView `json:"candidates"`
}

// Operation is one journal entry.
type Operation struct {
	ID          int64  `json:"id"`
	Kind        Label  `json:"kind"`
	Amount      int64  `json:"amount"`
	State       Label  `json:"state"`
	RequestedAt string `json:"requestedAt"`
	RespondedAt string `json:"respondedAt"`
	GatewayCode string `json:"gatewayCode"`
	Message     string `json:"message"`
	Operator    string `json:"operator"`
	PC          string `json:"pc"` // the PC it was begun on ("" before it was kept)
	Reason      string `json:"reason"`
	BeforeState Label  `json:"beforeState"`
	AfterState  Label  `json:"afterState"`
	// NewIDNeeded: done, this operation made a new payment at the gateway, so recording
	// its outcome by hand takes that payment's id.
	NewIDNeeded bool `json:"newIdNeeded"`
	// MessageEn is the outcome in English: the journal's own, or for an entry made before
	// the journal kept English, a short account from its state.
	MessageEn string `json:"messageEn"`
	// AmountImplied: the operation carries no amount of its own (a cancel); Amount is
	// the amount it applied to, as the journal and the payment show it.
	AmountImplied bool `json:"amountImplied"`
}

// OrderEvent is an audit entry of the order.
type OrderEvent struct {
	At       string `json:"at"`
	Actor    string `json:"actor"`
	PC       string `json:"pc"` // the PC it was made on ("" before it was kept)
	Kind     string `json:"kind"`
	Detail   string `json:"detail"`
	DetailEn string `json:"detailEn"` // in English: a status change, a note the app wrote ("" for one the operator typed)
}

// OrderDetail is the 受注詳細 screen.
type OrderDetail struct {
	ID            int64        `json:"id"`
	OrderNo       string       `json:"orderNo"`
	OrderedAt     string       `json:"orderedAt"`
	UpdatedAt     string       `json:"updatedAt"`
	CustomerName  string       `json:"customerName"`
	CustomerKana  string       `json:"customerKana"`
	Email         string       `json:"email"`
	Tel           string       `json:"tel"`
	PaymentMethod Label        `json:"paymentMethod"`
	Items         []LineItem   `json:"items"`
	Subtotal      int64        `json:"subtotal"`
	Discount      int64        `json:"discount"`
	Shipping      int64        `json:"shipping"`
	Fee           int64        `json:"fee"`
	PointsUsed    int64        `json:"pointsUsed"`
	Total         int64        `json:"total"`
	Status        Label        `json:"status"`
	Memo          string       `json:"memo"`
	Demo          bool         `json:"demo"`
	Payments      []Payment    `json:"payments"`
	Events        []OrderEvent `json:"events"`
	// Delivery and 外税, as the back office exported them.
	Tax            int64  `json:"tax"`
	Zip            string `json:"zip"`
	Address        string `json:"address"`
	ShipName       string `json:"shipName"`
	ShipZip        string `json:"shipZip"`
	ShipAddress    string `json:"shipAddress"`
	ShipTel        string `json:"shipTel"`
	DeliveryMethod string `json:"deliveryMethod"`
	TrackingNo     string `json:"trackingNo"`
	// Link is where linking the order to its gateway transaction stands; nil when the
	// order has a payment or needs none.
	Link *LinkRow `json:"link"`
	// StatusChoices are the 対応状況 the operator may set here now (the current first).
	StatusChoices []Label `json:"statusChoices"`
}

// OperationResult is what an action returns.
type OperationResult struct {
	Message   string      `json:"message"`
	Operation Operation   `json:"operation"`
	Order     OrderDetail `json:"order"`
}

// Options are the labelled choices of the search form.
type Options struct {
	Statuses      []Label `json:"statuses"`
	Methods       []Label `json:"methods"`
	PaymentStates []Label `json:"paymentStates"`
}

// Info is what the window shows about the installation.
type Info struct {
	Version  string `json:"version"`
	DataDir  string `json:"dataDir"`
	Database string `json:"database"`
	Demo     bool   `json:"demo"`     // the demo shop is installed
	Language string `json:"language"` // "ja" or "en"
	Operator string `json:"operator"`
	// SetupNeeded: a new data folder; the first window asks demo or my shop.
	SetupNeeded bool `json:"setupNeeded"`
	// StartView: the screen a script asked the window to open on (start.go); "" = ホーム.
	StartView string `json:"startView,omitempty"`
	// DatabaseMode: "local" (this PC's database), "shared" (the team's server) or
	// "offline" (its last copy, read-only: Offline says why, and nothing can be sent).
	DatabaseMode string `json:"databaseMode"`
	Offline      string `json:"offline,omitempty"`
	OfflineEn    string `json:"offlineEn,omitempty"`
}

func statusLabel(s backend.OrderStatus) Label {
	return Label{Code: string(s), Ja: s.Label(), En: s.LabelEn()}
}

func methodLabel(m backend.PaymentMethod) Label {
	return Label{Code: string(m), Ja: m.Label(), En: m.LabelEn()}
}

func stateLabel(s backend.PaymentState) Label {
	if s == "" {
		return Label{}
	}
	return Label{Code: string(s), Ja: s.Label(), En: s.LabelEn()}
}

func opKindLabel(k backend.OpKind) Label {
	return Label{Code: string(k), Ja: k.Label(), En: k.LabelEn()}
}

func opStateLabel(s backend.OpState) Label {
	en := map[backend.OpState]string{backend.OpPending: "Queued", backend.OpSent: "In progress", backend.OpSucceeded: "Succeeded",
		backend.OpFailed: "Failed", backend.OpUnknown: "Checking result"}[s]
	return Label{Code: string(s), Ja: s.Label(), En: en}
}

func toOperation(op *backend.Operation) Operation {
	return Operation{
		ID: op.ID, Kind: opKindLabel(op.Kind), Amount: int64(op.Amount), State: opStateLabel(op.State),
		RequestedAt: jst(op.RequestedAt), RespondedAt: jst(op.RespondedAt), GatewayCode: op.GatewayCode,
		Message: op.Message, Operator: op.Operator, PC: op.PC, Reason: op.Reason,
		BeforeState: stateLabel(op.BeforeState), AfterState: stateLabel(op.AfterState), MessageEn: cmp.Or(op.MessageEn, operationEn(op)),
	}
}
