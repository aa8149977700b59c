package csvimport

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"kessaidesk/backend"
)

// RowsPer says what one row of a file is.
type RowsPer string

const (
	RowsPerOrder RowsPer = "order" // one row per order (EC-CUBE 2)
	RowsPerItem  RowsPer = "item"  // one row per line item, the order's columns repeated
)

// LineKind is what a row of a per-item file is (EC-CUBE 4 明細区分).
type LineKind string

const (
	LineProduct  LineKind = "product"
	LineShipping LineKind = "shipping" // its amount is the order's 送料
	LineFee      LineKind = "fee"      // 手数料
	LineDiscount LineKind = "discount" // 値引き (written with a negative price)
	LineTax      LineKind = "tax"      // 外税
	LinePoints   LineKind = "points"   // ポイント (written with a negative price)
)

var lineKinds = []LineKind{LineProduct, LineShipping, LineFee, LineDiscount, LineTax, LinePoints}

func (k LineKind) valid() bool {
	for _, x := range lineKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Column is where a field is in a file: one header name, or several whose values are
// joined (text: with Join, default a space; amounts: summed). "送料#2" is the second
// column named 送料 (EC-CUBE 4 has two); "A|B" takes A, or B when the file has no A.
type Column struct {
	Columns []string `json:"columns"`
	Join    string   `json:"join,omitempty"`
	// Unverified says the name is a guess (no real export seen): check it first when
	// a real file does not match.
	Unverified string `json:"unverified,omitempty"`
}

// UnmarshalJSON takes "名前", ["姓", "名"] or {"columns": […], "join": …}.
func (c *Column) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		c.Columns = []string{s}
		return nil
	}
	var list []string
	if json.Unmarshal(b, &list) == nil {
		c.Columns = list
		return nil
	}
	type plain Column
	return json.Unmarshal(b, (*plain)(c))
}

// Layout is how to read one back office's order CSV: a preset, or a mapping the
// operator built by picking columns.
type Layout struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	// Base: this is the operator's edit of the builtin preset Base (its word maps, and
	// any field it names); the rest comes from the preset.
	Base    string  `json:"base,omitempty"`
	Builtin bool    `json:"builtin,omitempty"` // a preset as shipped (set by Presets, never saved)
	Rows    RowsPer `json:"rows"`
	// Encoding the back office writes; only a hint, the file's encoding is detected.
	Encoding Encoding           `json:"encoding,omitempty"`
	Fields   map[FieldID]Column `json:"fields"`
	// DateFormats are Go time layouts tried first (JST); common ones follow them.
	DateFormats []string `json:"dateFormats,omitempty"`
	// PricesExcludeTax: a product line's 単価 is before tax; the tax-included unit
	// price is 単価 + 税 with 税 = 単価 × 税率 / 100 rounded by TaxRounding (EC-CUBE 4).
	PricesExcludeTax bool   `json:"pricesExcludeTax,omitempty"`
	TaxRounding      string `json:"taxRounding,omitempty"` // "round" (四捨五入, default), "floor", "ceil"
	// FormulaEscaped: cells were escaped against Excel formulas by our own export.
	FormulaEscaped bool `json:"formulaEscaped,omitempty"`
	// The shop's words → ours. Our own labels and ids are always understood too.
	Methods   map[string]backend.PaymentMethod `json:"methods,omitempty"`
	Statuses  map[string]backend.OrderStatus   `json:"statuses,omitempty"`
	LineKinds map[string]LineKind              `json:"lineKinds,omitempty"`
	// Notes are for whoever maintains the preset (sources, guesses); Description is
	// for the operator choosing it, in Japanese.
	Notes       []string `json:"notes,omitempty"`
	Description string   `json:"description,omitempty"`
}

// MarshalJSON writes fields in a stable order.
func (l Layout) MarshalJSON() ([]byte, error) {
	type plain Layout
	return json.Marshal(plain(l))
}

func (l Layout) perItem() bool { return l.Rows == RowsPerItem }

// Check reports what makes a layout unusable, in Japanese: unknown fields or words,
// required fields without a column.
func (l Layout) Check() error {
	var bad []string
	if strings.TrimSpace(l.Name) == "" {
		bad = append(bad, "名前がありません")
	}
	if l.Rows != RowsPerOrder && l.Rows != RowsPerItem {
		bad = append(bad, fmt.Sprintf("1行の単位「%s」は order か item です", l.Rows))
	}
	for id, c := range l.Fields {
		if _, ok := fieldIndex[id]; !ok {
			bad = append(bad, fmt.Sprintf("項目「%s」はありません", id))
		}
		if len(c.Columns) == 0 {
			bad = append(bad, fmt.Sprintf("項目「%s」に列がありません", FieldLabel(id)))
		}
	}
	for _, f := range fieldDefs {
		need := f.Required || f.RequiredPerItem && l.perItem() || f.ID == FSubtotal && !l.perItem()
		if _, ok := l.Fields[f.ID]; need && !ok {
			bad = append(bad, fmt.Sprintf("必須の項目「%s」の列が選ばれていません", f.Label))
		}
	}
	for w, m := range l.Methods {
		if !m.Valid() {
			bad = append(bad, fmt.Sprintf("支払方法「%s」の対応先「%s」はありません", w, m))
		}
	}
	for w, s := range l.Statuses {
		if !s.Valid() {
			bad = append(bad, fmt.Sprintf("対応状況「%s」の対応先「%s」はありません", w, s))
		}
	}
	for w, k := range l.LineKinds {
		if !k.valid() {
			bad = append(bad, fmt.Sprintf("明細区分「%s」の対応先「%s」はありません", w, k))
		}
	}
	switch l.TaxRounding {
	case "", "round", "floor", "ceil":
	default:
		bad = append(bad, fmt.Sprintf("端数処理「%s」は round / floor / ceil です", l.TaxRounding))
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return backend.Errorf(backend.EINVALID, "取込レイアウト「%[1]s」を使えません: %[2]s", "the import layout %[1]q cannot be used: %[3]s",
		l.Name, strings.Join(bad, "、"), strings.Join(bad, "; "))
}

// Validate checks a file's header against the layout: every required field needs a
// column. The message names the missing columns in Japanese.
func (l Layout) Validate(header []string) error {
	if err := l.Check(); err != nil {
		return err
	}
	_, err := compile(&l, header, nil, nil)
	return err
}

// ColumnNames are a header's columns as a layout addresses them: a name that occurs
// again is "名前#2", "名前#3"… (EC-CUBE 4's second 送料 is "送料#2").
func ColumnNames(header []string) []string {
	out := make([]string, len(header))
	seen := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		seen[h]++
		if n := seen[h]; n > 1 {
			out[i] = h + "#" + strconv.Itoa(n)
		} else {
			out[i] = h
		}
	}
	return out
}

// plan is a layout compiled against one file's header.
type plan struct {
	layout  *Layout
	names   []string // addressable column names
	cols    [][]int  // per field: column indexes, nil = not in this file
	join    []string
	methods map[string]backend.PaymentMethod
	states  map[string]backend.OrderStatus
	kinds   map[string]LineKind
	dates   []string
	// headFields: the order-level fields whose values every row of an order must
	// repeat identically (a per-item file may name another delivery per row).
	headFields []int
	hasItems   bool // the layout reads line items
}

func (p *plan) mapped(id FieldID) bool { return p.cols[fi(id)] != nil }

// columnLabel names a field's columns as the file does, for messages.
func (p *plan) columnLabel(f int) string {
	if p.cols[f] == nil {
		return fieldDefs[f].Label
	}
	parts := make([]string, len(p.cols[f]))
	for i, c := range p.cols[f] {
		parts[i] = p.names[c]
	}
	return strings.Join(parts, "+")
}

// compile resolves the layout's columns in the header; extra word maps (the
// operator's edits in the preview) take precedence over the layout's.
func compile(l *Layout, header []string, methods map[string]backend.PaymentMethod, statuses map[string]backend.OrderStatus) (*plan, error) {
	names := ColumnNames(header)
	pos := make(map[string]int, len(names))
	for i, n := range names {
		pos[n] = i
	}
	p := &plan{layout: l, names: names, cols: make([][]int, numFields), join: make([]string, numFields)}
	var missing []string
	for f, def := range fieldDefs {
		c, ok := l.Fields[def.ID]
		if !ok {
			c, ok = defaultGatewayColumns[def.ID]
		}
		if !ok {
			continue
		}
		for _, name := range c.Columns {
			for _, alt := range strings.Split(name, "|") {
				if i, ok := pos[strings.TrimSpace(alt)]; ok {
					p.cols[f] = append(p.cols[f], i)
					break
				}
			}
		}
		p.join[f] = c.Join
		if c.Join == "" && def.kind != kindAmount {
			p.join[f] = " "
		}
		need := def.Required || def.RequiredPerItem && l.perItem() || def.ID == FSubtotal && !l.perItem()
		if need && p.cols[f] == nil {
			missing = append(missing, fmt.Sprintf("「%s」（%s）", strings.Join(c.Columns, "+"), def.Label))
		}
	}
	if len(missing) > 0 {
		return nil, &backend.Error{Code: backend.EINVALID, Class: backend.ClassPermanent,
			Message: fmt.Sprintf("このファイルには「%s」の取込に必要な列がありません: %s。レイアウトを選び直すか、列を対応付けてください",
				l.Label, strings.Join(missing, "、")),
			MessageEn: fmt.Sprintf("the file lacks columns the %q layout needs: %s", l.Name, strings.Join(missing, ", "))}
	}
	for f, def := range fieldDefs {
		if p.cols[f] == nil || def.PerItem {
			continue
		}
		if l.perItem() && def.Group == GroupDelivery {
			continue // several shipments: the first row's delivery is kept
		}
		p.headFields = append(p.headFields, f)
	}
	for _, id := range []FieldID{FProductCode, FProductName, FUnitPrice, FQuantity} {
		if l.perItem() && p.mapped(id) {
			p.hasItems = true
		}
	}
	p.methods = map[string]backend.PaymentMethod{}
	for _, m := range backend.PaymentMethods {
		p.methods[normWord(string(m))] = m
		p.methods[normWord(m.Label())] = m
	}
	for w, m := range defaultMethodWords {
		p.methods[normWord(w)] = m
	}
	for w, m := range l.Methods {
		p.methods[normWord(w)] = m
	}
	for w, m := range methods {
		p.methods[normWord(w)] = m
	}
	p.states = map[string]backend.OrderStatus{}
	for _, s := range backend.OrderStatuses {
		p.states[normWord(string(s))] = s
		p.states[normWord(s.Label())] = s
	}
	for w, s := range l.Statuses {
		p.states[normWord(w)] = s
	}
	for w, s := range statuses {
		p.states[normWord(w)] = s
	}
	p.kinds = map[string]LineKind{}
	for w, k := range defaultLineKindWords {
		p.kinds[normWord(w)] = k
	}
	for w, k := range l.LineKinds {
		p.kinds[normWord(w)] = k
	}
	p.dates = append(append([]string{}, l.DateFormats...), commonDateFormats...)
	return p, nil
}

// defaultGatewayColumns are read by every layout that does not name its own: no back
// office exports them, but an operator can add them (EC-CUBE 2's 高度な設定, a
// spreadsheet) or copy them from the gateway's console, whose labels come second.
var defaultGatewayColumns = map[FieldID]Column{
	FGatewayOrderID: {Columns: []string{"決済オーダーID|オーダーID|OrderID|trading_id"}},
	FGatewayTranID:  {Columns: []string{"決済取引ID|取引ID|AccessID|tracking_id|トラッキングID|payment_id|決済ID"}},
	FGatewayPass:    {Columns: []string{"決済取引パスワード|取引パスワード|AccessPass"}},
}

// defaultMethodWords are words every back office uses for the same thing.
var defaultMethodWords = map[string]backend.PaymentMethod{
	"クレジットカード": backend.MethodCard, "クレジット決済": backend.MethodCard, "カード決済": backend.MethodCard,
	"クレジットカード払い": backend.MethodCard,
	"コンビニ払い":     backend.MethodKonbini, "コンビニ決済(番号方式)": backend.MethodKonbini,
	"ペイジー": backend.MethodPayEasy, "Pay-easy": backend.MethodPayEasy, "ペイジー決済": backend.MethodPayEasy,
	"銀行振込": backend.MethodOther, "代金引換": backend.MethodOther, "代引き": backend.MethodOther,
	"郵便振替": backend.MethodOther, "現金書留": backend.MethodOther,
}

var defaultLineKindWords = map[string]LineKind{
	"商品": LineProduct, "送料": LineShipping, "手数料": LineFee, "割引": LineDiscount, "値引き": LineDiscount,
	"税": LineTax, "ポイント": LinePoints,
}

// commonDateFormats are tried after a layout's own: what Excel writes back when the
// operator opened and saved the file, and ISO forms.
var commonDateFormats = []string{
	"2006/1/2 15:04:05", "2006/1/2 15:04", "2006-1-2 15:04:05", "2006-1-2 15:04", "2006-01-02T15:04:05",
	"2006/1/2", "2006-1-2", "20060102150405", "20060102",
}

// normWord is how words are compared: trimmed, full/half width folded, lower case.
func normWord(s string) string {
	return strings.ToLower(foldWidth(strings.TrimSpace(s)))
}
