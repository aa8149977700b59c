// Package csvimport reads and writes orders as CSV in Kessai Desk's own layout — one
// line per product line, the order's fields repeated, as the back offices export them —
// in UTF-8 (with or without BOM) or Shift_JIS (CP932). An import is all or nothing:
// every problem is reported with its line number before anything is saved.
package csvimport

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"kessaidesk/backend"
	"kessaidesk/backend/textenc"
)

// Columns is the header, in order.
var Columns = []string{"受注番号", "受注日時", "注文者名", "注文者フリガナ", "メールアドレス", "電話番号", "支払方法",
	"商品コード", "商品名", "バリエーション", "単価", "数量", "値引き", "送料", "手数料", "利用ポイント", "合計金額", "対応状況", "メモ"}

const timeLayout = "2006/01/02 15:04:05"

// Problem is one reason the file cannot be imported.
type Problem struct {
	Line    int
	Message string
}

// MaxProblems bounds the list shown to the operator.
const MaxProblems = 20

func problemsError(ps []Problem) error {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n")
		}
		if p.Line > 0 {
			fmt.Fprintf(&b, "%d行目: %s", p.Line, p.Message)
		} else {
			b.WriteString(p.Message)
		}
	}
	return &backend.Error{Code: backend.EINVALID, Class: backend.ClassPermanent,
		Message:   "CSVを取り込めません（何も保存していません）\n" + b.String(),
		MessageEn: fmt.Sprintf("the CSV cannot be imported (%d problems; nothing was saved)", len(ps))}
}

// decode returns the text as UTF-8: UTF-8 with or without BOM, else CP932.
func decode(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data), nil
	}
	s, err := textenc.DecodeCP932(data)
	if err != nil {
		return "", problemsError([]Problem{{Message: "文字コードを判別できません。UTF-8 または Shift_JIS で保存してください"}})
	}
	return s, nil
}

func methodFrom(s string) (backend.PaymentMethod, bool) {
	for _, m := range backend.PaymentMethods {
		if s == string(m) || s == m.Label() {
			return m, true
		}
	}
	return "", false
}

func statusFrom(s string) (backend.OrderStatus, bool) {
	for _, st := range backend.OrderStatuses {
		if s == string(st) || s == st.Label() {
			return st, true
		}
	}
	return "", false
}

// Read parses a file. Orders keep the file's order; the lines of one order are merged.
func Read(r io.Reader) ([]*backend.Order, error) {
	data, err := io.ReadAll(io.LimitReader(r, 200<<20))
	if err != nil {
		return nil, err
	}
	text, err := decode(data)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, problemsError([]Problem{{Line: 1, Message: "見出し行が読めません（空のファイルか、CSVではありません）"}})
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	var problems []Problem
	for _, c := range Columns {
		if _, ok := col[c]; !ok && c != "メモ" && c != "バリエーション" {
			problems = append(problems, Problem{Line: 1, Message: fmt.Sprintf("列「%s」がありません", c)})
		}
	}
	if len(problems) > 0 {
		return nil, problemsError(problems)
	}
	var orders []*backend.Order
	byNo := map[string]*backend.Order{}
	line := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			problems = append(problems, Problem{Line: line, Message: "CSVとして読めません（引用符の閉じ忘れなど）"})
			break
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		bad := func(format string, a ...any) {
			problems = append(problems, Problem{Line: line, Message: fmt.Sprintf(format, a...)})
		}
		yen := func(name string, required bool) backend.Yen {
			s := strings.ReplaceAll(strings.TrimSuffix(get(name), "円"), ",", "")
			if s == "" && !required {
				return 0
			}
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				bad("「%s」が金額として読めません（%q）", name, get(name))
			}
			return backend.Yen(n)
		}
		no := get("受注番号")
		if no == "" {
			bad("受注番号が空です")
			continue
		}
		o := byNo[no]
		if o == nil {
			o = &backend.Order{OrderNo: no, CustomerName: get("注文者名"), CustomerKana: get("注文者フリガナ"), Email: get("メールアドレス"),
				Tel: get("電話番号"), Memo: get("メモ"), Source: "csv", Status: backend.OrderNew}
			t, err := time.ParseInLocation(timeLayout, get("受注日時"), backend.JST)
			if err != nil {
				bad("受注日時「%s」が読めません（例: 2026/11/24 09:30:00）", get("受注日時"))
			}
			o.OrderedAt = t.UTC()
			m, ok := methodFrom(get("支払方法"))
			if !ok {
				bad("支払方法「%s」は使えません", get("支払方法"))
			}
			o.PaymentMethod = m
			if s := get("対応状況"); s != "" {
				st, ok := statusFrom(s)
				if !ok {
					bad("対応状況「%s」は使えません", s)
				}
				o.Status = st
			}
			o.Discount, o.Shipping, o.Fee, o.PointsUsed = yen("値引き", false), yen("送料", false), yen("手数料", false), yen("利用ポイント", false)
			o.Total = yen("合計金額", true)
			byNo[no] = o
			orders = append(orders, o)
		}
		qty, err := strconv.ParseInt(get("数量"), 10, 64)
		if err != nil || qty <= 0 {
			bad("数量「%s」は1以上の半角数字で入力してください", get("数量"))
		}
		it := backend.LineItem{ProductCode: get("商品コード"), ProductName: get("商品名"), Variant: get("バリエーション"),
			UnitPrice: yen("単価", true), Quantity: qty}
		o.Items = append(o.Items, it)
		o.Subtotal += it.UnitPrice * backend.Yen(it.Quantity)
		if len(problems) >= MaxProblems {
			break
		}
	}
	for _, o := range orders {
		if len(problems) >= MaxProblems {
			break
		}
		if o.ComputeTotal() != o.Total {
			problems = append(problems, Problem{Message: fmt.Sprintf("受注番号 %s: 合計金額 %s が明細から計算した %s と一致しません", o.OrderNo, o.Total, o.ComputeTotal())})
			continue
		}
		if err := o.Validate(); err != nil {
			problems = append(problems, Problem{Message: fmt.Sprintf("受注番号 %s: %s", o.OrderNo, backend.ErrorMessage(err, "ja"))})
		}
	}
	if len(problems) > 0 {
		return nil, problemsError(problems)
	}
	if len(orders) == 0 {
		return nil, problemsError([]Problem{{Message: "受注が1件もありません"}})
	}
	return orders, nil
}

// Write writes orders in the same layout; sjis writes Shift_JIS (CP932) for Excel.
func Write(w io.Writer, orders []*backend.Order, sjis bool) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	cw.Write(Columns)
	for _, o := range orders {
		for _, it := range o.Items {
			cw.Write([]string{o.OrderNo, o.OrderedAt.In(backend.JST).Format(timeLayout), o.CustomerName, o.CustomerKana, o.Email, o.Tel,
				o.PaymentMethod.Label(), it.ProductCode, it.ProductName, it.Variant, strconv.FormatInt(int64(it.UnitPrice), 10),
				strconv.FormatInt(it.Quantity, 10), strconv.FormatInt(int64(o.Discount), 10), strconv.FormatInt(int64(o.Shipping), 10),
				strconv.FormatInt(int64(o.Fee), 10), strconv.FormatInt(int64(o.PointsUsed), 10), strconv.FormatInt(int64(o.Total), 10),
				o.Status.Label(), o.Memo})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if !sjis {
		_, err := w.Write(buf.Bytes())
		return err
	}
	b, err := textenc.EncodeCP932(buf.String())
	if err != nil {
		return backend.Errorf(backend.EINVALID, "Shift_JISで書けない文字があります: %v（UTF-8で書き出してください）", "a character cannot be written in Shift_JIS: %v", err)
	}
	_, err = w.Write(b)
	return err
}
