package csvimport

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"kessaidesk/backend"
)

// Problem is one reason a file (or one of its orders) cannot be imported.
type Problem struct {
	Line      int    `json:"line"`              // physical line in the file (0: the whole file)
	Column    string `json:"column,omitempty"`  // the header name(s)
	OrderNo   string `json:"orderNo,omitempty"` // when the row names its order
	Message   string `json:"message"`           // Japanese
	MessageEn string `json:"messageEn"`
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%d行目: %s", p.Line, p.Message)
	}
	return p.Message
}

// maxCell bounds an amount in a cell; sums of many are checked for overflow too.
const maxCell = 999_999_999_999

// row is one record's values by field (joined when a field takes several columns).
type row struct {
	line int
	vals []string
}

func (p *plan) extract(rec []string, r *row) {
	if r.vals == nil {
		r.vals = make([]string, numFields)
	}
	for f, cols := range p.cols {
		switch len(cols) {
		case 0:
			r.vals[f] = ""
		case 1:
			r.vals[f] = cell(rec, cols[0], p.layout.FormulaEscaped)
		default:
			if fieldDefs[f].kind == kindAmount {
				r.vals[f] = "" // summed by amount()
				continue
			}
			var b strings.Builder
			for _, c := range cols {
				v := cell(rec, c, p.layout.FormulaEscaped)
				if v == "" {
					continue
				}
				if b.Len() > 0 {
					b.WriteString(p.join[f])
				}
				b.WriteString(v)
			}
			r.vals[f] = b.String()
		}
	}
}

// cell is a trimmed value; a short row's missing cells are empty.
func cell(rec []string, i int, unescape bool) string {
	if i >= len(rec) {
		return ""
	}
	v := strings.TrimSpace(rec[i])
	if unescape {
		v = unescapeFormula(v)
	}
	return v
}

// problems collects a row's problems.
type problems struct {
	p    *plan
	line int
	no   string
	list []Problem
}

func (ps *problems) add(f int, ja, en string, args ...any) {
	col := ""
	if f >= 0 {
		col = ps.p.columnLabel(f)
	}
	ps.list = append(ps.list, Problem{Line: ps.line, Column: col, OrderNo: ps.no,
		Message: fmt.Sprintf(ja, args...), MessageEn: fmt.Sprintf(en, args...)})
}

// amount reads an amount field: integer yen, full-width digits, commas, 円 and ¥
// allowed; ".00" (EC-CUBE 4 writes decimals) but no fraction of a yen. Several
// columns are summed. A missing value is 0 unless required.
func (p *plan) amount(rec []string, r *row, f int, required bool, ps *problems) (backend.Yen, bool) {
	v, _, ok := p.amountGiven(rec, r, f, required, ps)
	return v, ok
}

// amountGiven also says whether any of the field's cells holds a value.
func (p *plan) amountGiven(rec []string, r *row, f int, required bool, ps *problems) (backend.Yen, bool, bool) {
	cols := p.cols[f]
	if cols == nil {
		return 0, false, true
	}
	var sum backend.Yen
	any := false
	for _, c := range cols {
		s := cell(rec, c, p.layout.FormulaEscaped)
		if len(cols) == 1 {
			s = r.vals[f]
		}
		if s == "" {
			continue
		}
		any = true
		v, err := parseYen(s)
		if err != nil {
			ps.add(f, "「%[1]s」が金額として読めません（%[2]q: %[3]s）", "%[1]q is not an amount (%[2]q: %[4]s)", p.names[c], s, err.ja, err.en)
			return 0, any, false
		}
		var ok bool
		if sum, ok = addYen(sum, v); !ok {
			ps.add(f, "「%s」の金額が大きすぎます", "the amount in %q is too large", p.columnLabel(f))
			return 0, any, false
		}
	}
	if !any && required {
		ps.add(f, "「%s」が空です", "%q is empty", p.columnLabel(f))
		return 0, false, false
	}
	return sum, any, true
}

type parseErr struct{ ja, en string }

var (
	errNotNumber = &parseErr{"数字ではありません", "not a number"}
	errFraction  = &parseErr{"円未満の端数があります", "a fraction of a yen"}
	errTooLarge  = &parseErr{"大きすぎます（上限 999,999,999,999）", "too large"}
)

// foldWidth is width.Fold.String(s), which maps full-width letters and digits to ASCII
// and half-width kana to full-width; a cell without such a character — almost every
// cell — is returned as it is, with no allocation. (Fold changes U+3000 and characters
// in U+FF01–U+FFEE only, whose UTF-8 is E3 80 80 or starts with EF: TestFoldWidth.)
func foldWidth(s string) string {
	if strings.IndexByte(s, 0xEF) < 0 && !strings.Contains(s, "\u3000") {
		return s
	}
	return width.Fold.String(s)
}

// yenNoise is what may surround the digits of an amount (after width folding).
var yenNoise = strings.NewReplacer(",", "", "円", "", "¥", "", "\\", "", " ", "", "\u2212", "-", "▲", "-")

func parseYen(s string) (backend.Yen, *parseErr) {
	if !plainNumber(s) {
		s = yenNoise.Replace(foldWidth(s))
	}
	n, err := parseInt(s)
	if err != nil {
		return 0, err
	}
	return backend.Yen(n), nil
}

// plainNumber: ASCII digits with an optional sign and decimals (most cells): no
// folding or replacing needed.
func plainNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// parseInt reads a whole number, allowing a fraction of zeros ("1000.00").
func parseInt(s string) (int64, *parseErr) {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if strings.Trim(s[i+1:], "0") != "" {
			if _, err := strconv.ParseFloat(s, 64); err == nil {
				return 0, errFraction
			}
			return 0, errNotNumber
		}
		s = s[:i]
	}
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, errNotNumber
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > maxCell || n < -maxCell {
		return 0, errTooLarge
	}
	return n, nil
}

func addYen(a, b backend.Yen) (backend.Yen, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

func mulYen(a backend.Yen, n int64) (backend.Yen, bool) {
	if a == 0 || n == 0 {
		return 0, true
	}
	if n > math.MaxInt64/abs64(int64(a)) {
		return 0, false
	}
	return a * backend.Yen(n), true
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func (p *plan) date(r *row, f int, ps *problems) (time.Time, bool) {
	s := r.vals[f]
	if s == "" {
		ps.add(f, "「%s」が空です", "%q is empty", p.columnLabel(f))
		return time.Time{}, false
	}
	if t, ok := parseDate(s, p.dates); ok {
		return t, true
	}
	ps.add(f, "%s「%s」が日時として読めません（例: 2026/11/24 09:30:00）", "%s %q is not a date (e.g. 2026/11/24 09:30:00)",
		p.columnLabel(f), s)
	return time.Time{}, false
}

func parseDate(s string, formats []string) (time.Time, bool) {
	s = foldWidth(s)
	for _, f := range formats {
		if t, err := time.ParseInLocation(f, s, backend.JST); err == nil {
			return t.UTC(), true
		}
	}
	// A time written hhmmss loses its leading zero when Excel saves it (93309).
	if i := strings.LastIndexByte(s, ' '); i > 0 && len(s)-i-1 == 5 && strings.Trim(s[i+1:], "0123456789") == "" {
		return parseDate(s[:i+1]+"0"+s[i+1:], formats)
	}
	return time.Time{}, false
}

// head is an order's own values, as its first row gives them.
type head struct {
	order     backend.Order // without items; amounts as the columns give them
	amounts   [numAmounts]backend.Yen
	given     [numAmounts]bool // the cell held a value (an empty one defers to the lines)
	word      string           // the shop's 対応状況 word ("" = none given)
	status    backend.OrderStatus
	hint      backend.TransactionIDs
	methodRaw string
}

// The order-level amounts, in one array so a summary stays small.
const (
	aSubtotal = iota
	aDiscount
	aShipping
	aFee
	aTax
	aPoints
	aTotal
	numAmounts
)

var amountFields = [numAmounts]FieldID{FSubtotal, FDiscount, FShipping, FFee, FTax, FPoints, FTotal}

// lineAmount says which order amount a non-product line adds to.
var lineAmount = map[LineKind]int{LineShipping: aShipping, LineFee: aFee, LineDiscount: aDiscount, LineTax: aTax, LinePoints: aPoints}

// parseHead reads the order's own fields. unknown receives a shop word that is in no
// map (for the preview's list).
func (p *plan) parseHead(rec []string, r *row, ps *problems, unknown func(FieldID, string)) (*head, bool) {
	v := r.vals
	h := &head{}
	o := &h.order
	ok := true
	o.OrderNo = v[fi(FOrderNo)]
	o.CustomerName, o.CustomerKana, o.Email, o.Tel = v[fi(FCustomerName)], v[fi(FCustomerKana)], v[fi(FEmail)], v[fi(FTel)]
	o.Zip, o.Address, o.Memo = v[fi(FZip)], v[fi(FAddress)], v[fi(FMemo)]
	o.ShipName, o.ShipZip, o.ShipAddress, o.ShipTel = v[fi(FShipName)], v[fi(FShipZip)], v[fi(FShipAddress)], v[fi(FShipTel)]
	o.DeliveryMethod, o.TrackingNo = v[fi(FDeliveryMethod)], v[fi(FTrackingNo)]
	h.hint = backend.TransactionIDs{GatewayOrderID: v[fi(FGatewayOrderID)], GatewayTranID: v[fi(FGatewayTranID)],
		GatewayTranPass: v[fi(FGatewayPass)]}
	t, good := p.date(r, fi(FOrderedAt), ps)
	o.OrderedAt, ok = t, ok && good

	f := fi(FPaymentMethod)
	h.methodRaw = v[f]
	switch m, found := p.methods[normWord(v[f])]; {
	case v[f] == "":
		ps.add(f, "「%s」（支払方法）が空です", "%q (payment method) is empty", p.columnLabel(f))
		ok = false
	case !found:
		ps.add(f, "支払方法「%s」は使えません（対応表にない言葉です）", "unknown payment method %q (not in the word map)", v[f])
		unknown(FPaymentMethod, v[f])
		ok = false
	default:
		o.PaymentMethod = m
	}
	if f = fi(FStatus); v[f] != "" {
		s, found := p.states[normWord(v[f])]
		if !found {
			ps.add(f, "対応状況「%s」は使えません（対応表にない言葉です）", "unknown status %q (not in the word map)", v[f])
			unknown(FStatus, v[f])
			ok = false
		}
		h.word, h.status = v[f], s
	}
	for a, id := range amountFields {
		amt, given, good := p.amountGiven(rec, r, fi(id), id == FTotal, ps)
		if good && amt < 0 {
			ps.add(fi(id), "「%s」が負の金額です（%s）", "%q is negative (%s)", p.columnLabel(fi(id)), amt)
			good = false
		}
		h.amounts[a], h.given[a], ok = amt, given, ok && good
	}
	return h, ok
}

// line is what one row adds to its order.
type line struct {
	kind   LineKind
	item   backend.LineItem // for a product line
	amount backend.Yen      // tax-included unit price × quantity
}

// parseLine reads a row's line item; has=false when the row carries none.
func (p *plan) parseLine(rec []string, r *row, ps *problems, unknown func(FieldID, string)) (ln line, has, ok bool) {
	if !p.hasItems {
		return line{}, false, true
	}
	v := r.vals
	if v[fi(FProductCode)] == "" && v[fi(FProductName)] == "" && v[fi(FUnitPrice)] == "" && v[fi(FQuantity)] == "" {
		return line{}, false, true // an order without lines (written that way by our export)
	}
	ok = true
	ln.kind = LineProduct
	if f := fi(FLineKind); v[f] != "" {
		k, found := p.kinds[normWord(v[f])]
		if !found {
			ps.add(f, "明細区分「%s」は使えません（対応表にない言葉です）", "unknown line kind %q (not in the word map)", v[f])
			unknown(FLineKind, v[f])
			return ln, true, false
		}
		ln.kind = k
	}
	price, good := p.amount(rec, r, fi(FUnitPrice), true, ps)
	ok = ok && good
	f := fi(FQuantity)
	var qty int64 = 1
	if v[f] != "" || ln.kind == LineProduct {
		n, err := parseInt(foldWidth(strings.ReplaceAll(v[f], ",", "")))
		if err != nil || n < 0 || ln.kind == LineProduct && n == 0 {
			ps.add(f, "数量「%s」は1以上の数で入力してください", "quantity %q must be a whole number of at least 1", v[f])
			return ln, true, false
		}
		if n > backend.MaxQuantity {
			ps.add(f, "数量「%s」は%d以下で入力してください", "quantity %q must be at most %d", v[f], backend.MaxQuantity)
			return ln, true, false
		}
		qty = n
	}
	if ln.kind == LineProduct {
		if price < 0 {
			ps.add(fi(FUnitPrice), "商品の単価が負の金額です（%s）", "a product's unit price is negative (%s)", price)
			return ln, true, false
		}
		if p.layout.PricesExcludeTax {
			tax, good := p.unitTax(r, price, ps)
			if !good {
				return ln, true, false
			}
			price += tax
		}
		ln.item = backend.LineItem{ProductCode: v[fi(FProductCode)], ProductName: v[fi(FProductName)],
			Variant: v[fi(FVariant)], UnitPrice: price, Quantity: qty}
	}
	amt, good := mulYen(price, qty)
	if !good || amt > backend.MaxOrderAmount || amt < -backend.MaxOrderAmount {
		ps.add(fi(FUnitPrice), "単価×数量が扱える範囲（%sまで）を超えています", "unit price × quantity is beyond %s", backend.MaxOrderAmount)
		return ln, true, false
	}
	ln.amount = amt
	return ln, true, ok
}

// unitTax is the tax on one unit as EC-CUBE 4's TaxRuleService computes it:
// 単価 × 税率 / 100 rounded by the shop's rule (RoundingType 1 四捨五入 2 切り捨て 3 切り上げ).
func (p *plan) unitTax(r *row, price backend.Yen, ps *problems) (backend.Yen, bool) {
	f := fi(FTaxRate)
	s := foldWidth(strings.TrimSuffix(r.vals[f], "%"))
	rate, err := parseInt(s)
	if s == "" || err != nil || rate < 0 || rate > 100 {
		ps.add(f, "税率「%s」が読めません（単価が税抜のため必要です）", "tax rate %q cannot be read (needed: prices exclude tax)", r.vals[f])
		return 0, false
	}
	return roundTax(int64(price)*rate, p.layout.TaxRounding), true
}

// roundTax divides n (price × rate) by 100 with the rounding rule, exactly (PHP's
// round() rounds half away from zero).
func roundTax(n int64, rule string) backend.Yen {
	q, rem := n/100, n%100
	switch rule {
	case "floor":
		if rem < 0 {
			q--
		}
	case "ceil":
		if rem > 0 {
			q++
		}
	default:
		if rem >= 50 {
			q++
		} else if rem <= -50 {
			q--
		}
	}
	return backend.Yen(q)
}
