package report

import (
	"strconv"

	"kessaidesk/backend"
)

// Table is a report as rows of text: what CSV出力 writes and what the screen's table
// shows, so the two never differ.
type Table struct {
	Header []string
	Rows   [][]string
}

func yen(v backend.Yen) string { return strconv.FormatInt(int64(v), 10) }

func pick(lang, ja, en string) string {
	if lang == "en" {
		return en
	}
	return ja
}

var methodEn = map[backend.PaymentMethod]string{
	backend.MethodCard: "Card", backend.MethodKonbini: "Convenience store", backend.MethodPayEasy: "Pay-easy (ATM)",
	backend.MethodNetBank: "Net banking", backend.MethodOther: "Other",
}

// MethodLabel names a payment method in the language.
func MethodLabel(m backend.PaymentMethod, lang string) string {
	if lang == "en" {
		if s, ok := methodEn[m]; ok {
			return s
		}
	}
	return m.Label()
}

func day(p DueLine, lang string) string {
	if p.Day.IsZero() {
		return pick(lang, "期限不明", "no date")
	}
	return p.Day.Format("2006/01/02")
}

// Table is the sales report's lines, one per period × profile × method, then the total.
func (r *Sales) Table(lang string) Table {
	t := Table{Header: []string{pick(lang, "期間", "Period"), pick(lang, "ゲートウェイ設定", "Gateway profile"), pick(lang, "支払方法", "Payment method"),
		pick(lang, "件数", "Count"), pick(lang, "売上", "Sales"), pick(lang, "返金・取消", "Refunds and cancels"), pick(lang, "純売上", "Net sales")}}
	for _, l := range r.Lines {
		t.Rows = append(t.Rows, []string{r.Periods[l.Period].Label, l.ProfileName, MethodLabel(l.Method, lang),
			strconv.Itoa(l.Count), yen(l.Gross), yen(l.Refunded), yen(l.Net)})
	}
	t.Rows = append(t.Rows, []string{pick(lang, "合計", "Total"), "", "", strconv.Itoa(r.Total.Count), yen(r.Total.Gross), yen(r.Total.Refunded), yen(r.Total.Net)})
	return t
}

// Table is the due lines by day, then the total. what names the amount column.
func (r *Due) Table(lang, what string) Table {
	t := Table{Header: []string{pick(lang, "期限", "Due by"), pick(lang, "残り日数", "Days left"), pick(lang, "ゲートウェイ設定", "Gateway profile"),
		pick(lang, "支払方法", "Payment method"), pick(lang, "件数", "Count"), what}}
	for _, l := range r.Lines {
		left := ""
		if !l.Day.IsZero() {
			left = strconv.Itoa(l.DaysLeft)
		}
		t.Rows = append(t.Rows, []string{day(l, lang), left, l.ProfileName, MethodLabel(l.Method, lang), strconv.Itoa(l.Count), yen(l.Amount)})
	}
	t.Rows = append(t.Rows, []string{pick(lang, "合計", "Total"), "", "", "", strconv.Itoa(r.Total.Count), yen(r.Total.Amount)})
	return t
}

// KindLabel names an operation kind in the language.
func KindLabel(k backend.OpKind, lang string) string {
	if lang == "en" {
		return k.LabelEn()
	}
	return k.Label()
}

// Table is the month's fees, one line per profile and kind, then the total.
func (r *Fees) Table(lang string) Table {
	t := Table{Header: []string{pick(lang, "月", "Month"), pick(lang, "ゲートウェイ設定", "Gateway profile"), pick(lang, "操作", "Operation"),
		pick(lang, "課金対象の件数", "Billable"), pick(lang, "結果確認中", "Outcome unknown"), pick(lang, "1件の手数料", "Fee each"), pick(lang, "手数料", "Fees")}}
	for _, l := range r.Lines {
		t.Rows = append(t.Rows, []string{r.Month, l.ProfileName, KindLabel(l.Kind, lang), strconv.Itoa(l.Billable), strconv.Itoa(l.Unresolved), yen(l.FeePerOp), yen(l.Fee)})
	}
	t.Rows = append(t.Rows, []string{r.Month, pick(lang, "合計", "Total"), "", strconv.Itoa(r.Billable), strconv.Itoa(r.Unresolved), "", yen(r.Total)})
	return t
}
