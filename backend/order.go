package backend

import (
	"time"
)

// OrderStatus is the shop's 対応状況 of an order. It is kept separate from the payment
// state: an order can be 発送済み while its card payment is still 仮売上.
type OrderStatus string

const (
	OrderProcessing      OrderStatus = "processing"       // 決済処理中
	OrderNew             OrderStatus = "new"              // 新規受付
	OrderAwaitingDeposit OrderStatus = "awaiting_deposit" // 入金待ち
	OrderPaid            OrderStatus = "paid"             // 入金済み
	OrderShipped         OrderStatus = "shipped"          // 発送済み
	OrderCancelled       OrderStatus = "cancelled"        // キャンセル
	OrderOnHold          OrderStatus = "on_hold"          // 保留
	OrderReserved        OrderStatus = "reserved"         // 予約
)

// OrderStatuses lists every 対応状況 in the order the back offices show them.
var OrderStatuses = []OrderStatus{
	OrderProcessing, OrderNew, OrderAwaitingDeposit, OrderPaid, OrderShipped,
	OrderCancelled, OrderOnHold, OrderReserved,
}

var orderStatusLabels = map[OrderStatus][2]string{
	OrderProcessing:      {"決済処理中", "Payment in progress"},
	OrderNew:             {"新規受付", "New"},
	OrderAwaitingDeposit: {"入金待ち", "Awaiting payment"},
	OrderPaid:            {"入金済み", "Paid"},
	OrderShipped:         {"発送済み", "Shipped"},
	OrderCancelled:       {"キャンセル", "Cancelled"},
	OrderOnHold:          {"保留", "On hold"},
	OrderReserved:        {"予約", "Reserved"},
}

// Label returns the Japanese 対応状況.
func (s OrderStatus) Label() string { return orderStatusLabels[s][0] }

// LabelEn returns the English name.
func (s OrderStatus) LabelEn() string { return orderStatusLabels[s][1] }

// Valid reports whether s is a known 対応状況.
func (s OrderStatus) Valid() bool { _, ok := orderStatusLabels[s]; return ok }

// Order is a shop order (受注).
type Order struct {
	ID            int64
	OrderNo       string // the shop's 注文番号
	OrderedAt     time.Time
	UpdatedAt     time.Time
	CustomerName  string // お名前
	CustomerKana  string // お名前(フリガナ)
	Email         string
	Tel           string
	PaymentMethod PaymentMethod
	Items         []LineItem
	Subtotal      Yen // 小計
	Discount      Yen // 値引
	Shipping      Yen // 送料
	Fee           Yen // 手数料
	Tax           Yen // 外税: tax added on top of the prices (0 when prices include tax)
	PointsUsed    Yen // 使用ポイント (1 point = 1 yen)
	Total         Yen // お支払い合計
	Status        OrderStatus
	Memo          string
	Source        string // "demo", "csv", "manual"

	// Customer and delivery, as the back office exported them.
	Zip            string // 郵便番号
	Address        string // 都道府県 + 住所
	ShipName       string // 配送先 お名前
	ShipZip        string
	ShipAddress    string
	ShipTel        string
	DeliveryMethod string // 配送方法 / 配送業者
	TrackingNo     string // 伝票番号
	// ShopStatus is the back office's own word for the 対応状況 at the last import
	// ("注文取消し", "発送済み"…). A later import that brings another word means the
	// back office changed the status; the same word means it did not, and a status the
	// operator set here (入金済み after a capture) is kept.
	ShopStatus string
}

// LineItem is one product line of an order.
type LineItem struct {
	ProductCode string
	ProductName string
	Variant     string // 規格 (e.g. "M / ブラック")
	UnitPrice   Yen
	Quantity    int64
}

// ComputeTotal is what the customer pays: 小計 − 値引 + 送料 + 手数料 + 外税 − 使用ポイント.
func (o *Order) ComputeTotal() Yen {
	return o.Subtotal - o.Discount + o.Shipping + o.Fee + o.Tax - o.PointsUsed
}

// Validate checks the order's own consistency and returns a Japanese message. Every
// amount is within MaxOrderAmount, so the arithmetic below cannot overflow.
func (o *Order) Validate() error {
	switch {
	case o.OrderNo == "":
		return Errorf(EINVALID, "注文番号が空です", "The order number is empty")
	case !o.PaymentMethod.Valid():
		return Errorf(EINVALID, "注文番号 %s: 支払方法「%s」は使えません", "Order %s: unknown payment method %q", o.OrderNo, o.PaymentMethod)
	case !o.Status.Valid():
		return Errorf(EINVALID, "注文番号 %s: 対応状況「%s」は使えません", "Order %s: unknown status %q", o.OrderNo, o.Status)
	case o.Total < 0:
		return Errorf(EINVALID, "注文番号 %s: お支払い合計が負の金額です", "Order %s: the total is negative", o.OrderNo)
	}
	for _, a := range []Yen{o.Subtotal, o.Discount, o.Shipping, o.Fee, o.Tax, o.PointsUsed, o.Total} {
		if a < 0 || a > MaxOrderAmount {
			return Errorf(EINVALID, "注文番号 %s: 金額 %s が扱える範囲（0〜%s）を超えています", "Order %s: the amount %s is out of range (0–%s)",
				o.OrderNo, a, MaxOrderAmount)
		}
	}
	var sub Yen
	for _, it := range o.Items {
		line, ok := LineAmount(it.UnitPrice, it.Quantity)
		if !ok {
			return Errorf(EINVALID, "注文番号 %s: 商品「%s」の数量または単価が正しくありません（数量は1〜%d、金額は%sまで）",
				"Order %s: bad quantity or price for %q (quantity 1–%d, amounts up to %s)", o.OrderNo, it.ProductName, MaxQuantity, MaxOrderAmount)
		}
		if sub += line; sub > MaxOrderAmount {
			return Errorf(EINVALID, "注文番号 %s: 商品の合計が扱える範囲（%s）を超えています", "Order %s: the lines add up beyond %s", o.OrderNo, MaxOrderAmount)
		}
	}
	if len(o.Items) > 0 && sub != o.Subtotal {
		return Errorf(EINVALID, "注文番号 %s: 小計 %s が商品の合計 %s と一致しません", "Order %s: subtotal %s does not match the items (%s)", o.OrderNo, o.Subtotal, sub)
	}
	if o.ComputeTotal() != o.Total {
		return Errorf(EINVALID, "注文番号 %s: お支払い合計 %s が内訳 %s と一致しません", "Order %s: total %s does not match its parts (%s)", o.OrderNo, o.Total, o.ComputeTotal())
	}
	return nil
}

// OrderFilter is the search form of the 受注管理 screen. Empty fields do not filter.
type OrderFilter struct {
	OrderNoFrom   string
	OrderNoTo     string
	Statuses      []OrderStatus
	Name          string // substring of お名前
	Kana          string // substring of フリガナ (hiragana and katakana match each other)
	Email         string
	Tel           string // digits; hyphens are ignored
	Methods       []PaymentMethod
	PaymentStates []PaymentState
	OrderedFrom   time.Time // inclusive
	OrderedTo     time.Time // exclusive
	UpdatedFrom   time.Time
	UpdatedTo     time.Time
	TotalMin      *Yen
	TotalMax      *Yen
	Product       string // substring of a product name or code
	Sort          string // "ordered_desc" (default), "ordered_asc", "updated_desc", "total_desc", "order_no_asc", "order_no_desc"
	Limit         int    // page size; default 50, at most 500
	Offset        int    // rows to skip (ignored when After is set)
	// After is the Next of the previous page: the page starts after its last row, in
	// the same Sort (a cursor of another sort is refused). "" = the first page.
	After string
}

// OrderRow is one line of the 受注一覧: the order with its main payment's state.
type OrderRow struct {
	Order
	PaymentID     int64
	PaymentState  PaymentState
	Gateway       GatewayKind
	AuthExpiresAt time.Time
	InFlight      bool // an operation on the payment is pending or unresolved
}

// OrderPage is one page of search results.
type OrderPage struct {
	Rows  []OrderRow
	Total int // number of matching orders
	// TotalAtLeast: more orders match than were counted; Total is a lower bound.
	TotalAtLeast bool
	// Next is the cursor of the following page (OrderFilter.After); "" = this is the last.
	Next string
}

// OrderEvent is one entry of an order's audit trail (対応状況 changes and notes).
type OrderEvent struct {
	At     time.Time
	Actor  string // the operator, or "自動同期"
	PC     string // the PC it was made on (its hostname; "" in entries made before it was kept)
	Kind   string // "status", "note", "import"
	Detail string
	// DetailEn is Detail in English when the app wrote it ("" for a note typed by the
	// operator, a status change, and events written before English was kept).
	DetailEn string
}
