package csvimport

// FieldID names what a column means to the importer ("order_no", "total"…). A layout
// maps each field it knows to one or more of the file's columns.
type FieldID string

// The fields, in the order the mapping screen shows them.
const (
	FOrderNo        FieldID = "order_no"
	FOrderedAt      FieldID = "ordered_at"
	FPaymentMethod  FieldID = "payment_method"
	FStatus         FieldID = "status"
	FMemo           FieldID = "memo"
	FCustomerName   FieldID = "customer_name"
	FCustomerKana   FieldID = "customer_kana"
	FEmail          FieldID = "email"
	FTel            FieldID = "tel"
	FZip            FieldID = "zip"
	FAddress        FieldID = "address"
	FShipName       FieldID = "ship_name"
	FShipZip        FieldID = "ship_zip"
	FShipAddress    FieldID = "ship_address"
	FShipTel        FieldID = "ship_tel"
	FDeliveryMethod FieldID = "delivery_method"
	FTrackingNo     FieldID = "tracking_no"
	FSubtotal       FieldID = "subtotal"
	FDiscount       FieldID = "discount"
	FShipping       FieldID = "shipping"
	FFee            FieldID = "fee"
	FTax            FieldID = "tax"
	FPoints         FieldID = "points"
	FTotal          FieldID = "total"
	FLineKind       FieldID = "line_kind"
	FProductCode    FieldID = "product_code"
	FProductName    FieldID = "product_name"
	FVariant        FieldID = "variant"
	FUnitPrice      FieldID = "unit_price"
	FQuantity       FieldID = "quantity"
	FTaxRate        FieldID = "tax_rate"
	FGatewayOrderID FieldID = "gateway_order_id"
	FGatewayTranID  FieldID = "gateway_tran_id"
	FGatewayPass    FieldID = "gateway_tran_pass"
)

// Field groups, as the mapping screen groups them.
const (
	GroupOrder    = "order"    // 注文
	GroupCustomer = "customer" // お客様
	GroupDelivery = "delivery" // 配送先
	GroupAmount   = "amount"   // 金額
	GroupItem     = "item"     // 明細
	GroupGateway  = "gateway"  // 決済のID
)

// FieldSpec describes a field for the mapping screen.
type FieldSpec struct {
	ID       FieldID `json:"id"`
	Label    string  `json:"label"`   // Japanese
	LabelEn  string  `json:"labelEn"` // English
	Required bool    `json:"required"`
	// RequiredPerItem: required when the file has one row per line item.
	RequiredPerItem bool   `json:"requiredPerItem,omitempty"`
	PerItem         bool   `json:"perItem"` // a line item's value (the others are the order's, repeated)
	Group           string `json:"group"`
	Help            string `json:"help,omitempty"`
}

type fieldKind int

const (
	kindText fieldKind = iota
	kindAmount
	kindDate
	kindWord // a shop's word mapped to ours (method, status, line kind)
	kindCount
)

type fieldDef struct {
	FieldSpec
	kind fieldKind
}

var fieldDefs = []fieldDef{
	{FieldSpec{ID: FOrderNo, Label: "注文番号", LabelEn: "Order number", Required: true, Group: GroupOrder}, kindText},
	{FieldSpec{ID: FOrderedAt, Label: "注文日時", LabelEn: "Ordered at", Required: true, Group: GroupOrder,
		Help: "日付と時刻が別の列なら2列を選びます（MakeShop の日付 + 注文時間）"}, kindDate},
	{FieldSpec{ID: FPaymentMethod, Label: "支払方法", LabelEn: "Payment method", Required: true, Group: GroupOrder}, kindWord},
	{FieldSpec{ID: FStatus, Label: "対応状況", LabelEn: "Status", Group: GroupOrder}, kindWord},
	{FieldSpec{ID: FMemo, Label: "メモ", LabelEn: "Memo", Group: GroupOrder}, kindText},
	{FieldSpec{ID: FCustomerName, Label: "お名前", LabelEn: "Customer name", Group: GroupCustomer}, kindText},
	{FieldSpec{ID: FCustomerKana, Label: "フリガナ", LabelEn: "Customer name (kana)", Group: GroupCustomer}, kindText},
	{FieldSpec{ID: FEmail, Label: "メールアドレス", LabelEn: "E-mail", Group: GroupCustomer}, kindText},
	{FieldSpec{ID: FTel, Label: "電話番号", LabelEn: "Telephone", Group: GroupCustomer}, kindText},
	{FieldSpec{ID: FZip, Label: "郵便番号", LabelEn: "Postcode", Group: GroupCustomer}, kindText},
	{FieldSpec{ID: FAddress, Label: "住所", LabelEn: "Address", Group: GroupCustomer}, kindText},
	{FieldSpec{ID: FShipName, Label: "配送先 お名前", LabelEn: "Ship-to name", Group: GroupDelivery}, kindText},
	{FieldSpec{ID: FShipZip, Label: "配送先 郵便番号", LabelEn: "Ship-to postcode", Group: GroupDelivery}, kindText},
	{FieldSpec{ID: FShipAddress, Label: "配送先 住所", LabelEn: "Ship-to address", Group: GroupDelivery}, kindText},
	{FieldSpec{ID: FShipTel, Label: "配送先 電話番号", LabelEn: "Ship-to telephone", Group: GroupDelivery}, kindText},
	{FieldSpec{ID: FDeliveryMethod, Label: "配送方法", LabelEn: "Delivery method", Group: GroupDelivery}, kindText},
	{FieldSpec{ID: FTrackingNo, Label: "伝票番号", LabelEn: "Tracking number", Group: GroupDelivery}, kindText},
	{FieldSpec{ID: FSubtotal, Label: "小計", LabelEn: "Subtotal", Group: GroupAmount,
		Help: "1行1注文のファイルでは必須。明細があるときは明細の合計と照合します"}, kindAmount},
	{FieldSpec{ID: FDiscount, Label: "値引き", LabelEn: "Discount", Group: GroupAmount}, kindAmount},
	{FieldSpec{ID: FShipping, Label: "送料", LabelEn: "Shipping", Group: GroupAmount}, kindAmount},
	{FieldSpec{ID: FFee, Label: "手数料", LabelEn: "Fee", Group: GroupAmount, Help: "複数の列を選ぶと合計します"}, kindAmount},
	{FieldSpec{ID: FTax, Label: "外税", LabelEn: "Tax (added)", Group: GroupAmount,
		Help: "価格に含まれていない税だけ。税込価格の内税額は選びません"}, kindAmount},
	{FieldSpec{ID: FPoints, Label: "使用ポイント", LabelEn: "Points used", Group: GroupAmount}, kindAmount},
	{FieldSpec{ID: FTotal, Label: "お支払い合計", LabelEn: "Total", Required: true, Group: GroupAmount}, kindAmount},
	{FieldSpec{ID: FLineKind, Label: "明細区分", LabelEn: "Line kind", PerItem: true, Group: GroupItem,
		Help: "商品・送料・手数料・割引・税・ポイントの行を分ける列（EC-CUBE 4）"}, kindWord},
	{FieldSpec{ID: FProductCode, Label: "商品コード", LabelEn: "Product code", PerItem: true, Group: GroupItem}, kindText},
	{FieldSpec{ID: FProductName, Label: "商品名", LabelEn: "Product name", PerItem: true, RequiredPerItem: true, Group: GroupItem}, kindText},
	{FieldSpec{ID: FVariant, Label: "規格", LabelEn: "Variant", PerItem: true, Group: GroupItem}, kindText},
	{FieldSpec{ID: FUnitPrice, Label: "単価", LabelEn: "Unit price", PerItem: true, RequiredPerItem: true, Group: GroupItem}, kindAmount},
	{FieldSpec{ID: FQuantity, Label: "数量", LabelEn: "Quantity", PerItem: true, RequiredPerItem: true, Group: GroupItem}, kindCount},
	{FieldSpec{ID: FTaxRate, Label: "税率", LabelEn: "Tax rate", PerItem: true, Group: GroupItem,
		Help: "単価が税抜のときに使います（%）"}, kindCount},
	{FieldSpec{ID: FGatewayOrderID, Label: "決済オーダーID", LabelEn: "Gateway order id", Group: GroupGateway,
		Help: "GMO OrderID / SBPS order_id / ペイジェント trading_id"}, kindText},
	{FieldSpec{ID: FGatewayTranID, Label: "決済取引ID", LabelEn: "Gateway transaction id", Group: GroupGateway,
		Help: "GMO AccessID / SBPS tracking_id / ペイジェント payment_id"}, kindText},
	{FieldSpec{ID: FGatewayPass, Label: "決済取引パスワード", LabelEn: "Gateway transaction password", Group: GroupGateway,
		Help: "GMO AccessPass"}, kindText},
}

// numFields is how many fields there are; a row's values are an array of this size.
var numFields = len(fieldDefs)

var fieldIndex = func() map[FieldID]int {
	m := map[FieldID]int{}
	for i, f := range fieldDefs {
		m[f.ID] = i
	}
	return m
}()

func fi(id FieldID) int { return fieldIndex[id] }

// Fields lists every field the importer knows, for the mapping screen.
func Fields() []FieldSpec {
	out := make([]FieldSpec, len(fieldDefs))
	for i, f := range fieldDefs {
		out[i] = f.FieldSpec
	}
	return out
}

// FieldLabel is the Japanese name of a field ("" for an unknown id).
func FieldLabel(id FieldID) string {
	if i, ok := fieldIndex[id]; ok {
		return fieldDefs[i].Label
	}
	return ""
}
