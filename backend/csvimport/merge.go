package csvimport

import (
	"fmt"
	"strings"
	"time"

	"kessaidesk/backend"
)

// The merge rules. An import updates only what the back office owns — customer,
// delivery, lines, amounts, memo, and the 対応状況 when the back office changed it —
// and only the fields the layout reads (a column a file lacks never blanks a value).
// It never touches a payment or the journal. When money moved on an order's payment
// (captured, refunded, deposited, its amount changed, an operation in flight), the
// order's amounts and lines belong to the payment: a file that differs is a conflict,
// listed and not applied; its customer and delivery changes are still applied. A
// back-office キャンセル of such an order is a conflict too: the refund or cancel is
// done here, through the gateway.
//
// Order.ShopStatus keeps the back office's word from the last import: the same word
// again means the back office did not change the status, so ours stands (入金済み set
// here after a capture); another word means it did, and the mapped status applies.

type outcome int

const (
	outNew outcome = iota
	outUpdated
	outUnchanged
	outConflict
)

type mergeResult struct {
	outcome    outcome
	save       *backend.Order // nil: nothing to write
	changed    []string       // what changes, in Japanese ("お名前", "お支払い合計 5,000円 → 6,000円")
	changedEn  []string
	conflict   string // what was not applied and why
	conflictEn string
}

func merge(t *backend.ImportTarget, in *incoming, p *plan, now time.Time) mergeResult {
	if t == nil {
		o := in.order
		o.Source, o.ShopStatus, o.UpdatedAt = "csv", in.word, now
		o.Status = backend.OrderNew
		if in.state != "" {
			o.Status = in.state
		}
		return mergeResult{outcome: outNew, save: &o}
	}
	st := t.Order
	if st.Source == "demo" {
		return mergeResult{outcome: outConflict, conflict: "デモショップの受注は取り込みで変更しません",
			conflictEn: "demo orders are never changed by an import"}
	}
	m := *st
	m.Items = append([]backend.LineItem(nil), st.Items...)
	var r mergeResult
	var refused, refusedEn []string
	change := func(ja, en string) { r.changed, r.changedEn = append(r.changed, ja), append(r.changedEn, en) }

	for _, f := range []struct {
		id       FieldID
		dst, src *string
	}{
		{FCustomerName, &m.CustomerName, &in.order.CustomerName}, {FCustomerKana, &m.CustomerKana, &in.order.CustomerKana},
		{FEmail, &m.Email, &in.order.Email}, {FTel, &m.Tel, &in.order.Tel}, {FZip, &m.Zip, &in.order.Zip},
		{FAddress, &m.Address, &in.order.Address}, {FShipName, &m.ShipName, &in.order.ShipName},
		{FShipZip, &m.ShipZip, &in.order.ShipZip}, {FShipAddress, &m.ShipAddress, &in.order.ShipAddress},
		{FShipTel, &m.ShipTel, &in.order.ShipTel}, {FDeliveryMethod, &m.DeliveryMethod, &in.order.DeliveryMethod},
		{FTrackingNo, &m.TrackingNo, &in.order.TrackingNo}, {FMemo, &m.Memo, &in.order.Memo},
	} {
		if p.mapped(f.id) && *f.dst != *f.src {
			*f.dst = *f.src
			def := fieldDefs[fi(f.id)]
			change(def.Label, def.LabelEn)
		}
	}
	if !sameTime(m.OrderedAt, in.order.OrderedAt) {
		m.OrderedAt = in.order.OrderedAt
		change("注文日時", "ordered at")
	}
	if in.order.PaymentMethod != st.PaymentMethod {
		if t.HasPayment {
			refused = append(refused, fmt.Sprintf("支払方法 %s → %s（決済があるため）", st.PaymentMethod.Label(), in.order.PaymentMethod.Label()))
			refusedEn = append(refusedEn, fmt.Sprintf("payment method %s → %s (the order has a payment)", st.PaymentMethod, in.order.PaymentMethod))
		} else {
			m.PaymentMethod = in.order.PaymentMethod
			change("支払方法 "+st.PaymentMethod.Label()+" → "+m.PaymentMethod.Label(), "payment method")
		}
	}

	money, moneyEn := diffMoney(&m, in, p)
	if len(money) > 0 {
		if t.MoneyMoved != "" {
			refused = append(refused, money...)
			refusedEn = append(refusedEn, moneyEn...)
		} else {
			applyMoney(&m, in, p)
			r.changed, r.changedEn = append(r.changed, money...), append(r.changedEn, moneyEn...)
		}
	}

	if in.word != "" && in.word != st.ShopStatus {
		switch {
		case in.state == backend.OrderCancelled && st.Status != backend.OrderCancelled && t.MoneyMoved != "":
			refused = append(refused, "対応状況 "+st.Status.Label()+" → キャンセル（返金・取消はこのアプリで行ってください）")
			refusedEn = append(refusedEn, "status "+st.Status.LabelEn()+" → cancelled (refund or cancel the payment here)")
		case in.state != st.Status:
			m.Status, m.ShopStatus = in.state, in.word
			change("対応状況 "+st.Status.Label()+" → "+in.state.Label(), "status "+st.Status.LabelEn()+" → "+in.state.LabelEn())
		default:
			m.ShopStatus = in.word
			change("対応状況（"+p.layout.Label+"）「"+st.ShopStatus+"」→「"+in.word+"」", "back-office status word")
		}
	}

	if len(refused) > 0 {
		why, whyEn := t.MoneyMoved, t.MoneyMovedEn
		if why == "" {
			why, whyEn = "決済があります", "the order has a payment"
		}
		r.outcome = outConflict
		r.conflict = strings.Join(refused, "、") + "は反映していません（" + why + "）"
		r.conflictEn = strings.Join(refusedEn, ", ") + " not applied (" + whyEn + ")"
		if len(r.changed) > 0 {
			m.UpdatedAt = now
			r.save = &m
		}
		return r
	}
	if len(r.changed) == 0 {
		r.outcome = outUnchanged
		return r
	}
	m.UpdatedAt = now
	r.outcome, r.save = outUpdated, &m
	return r
}

// sameTime compares at the stored precision (milliseconds).
func sameTime(a, b time.Time) bool { return a.UnixMilli() == b.UnixMilli() }

// itemsOwned: the layout reads lines, so the file's lines replace the stored ones.
// A layout without lines keeps the stored lines while they still add up to the
// file's 小計, and drops them when they no longer can.
func newItems(m *backend.Order, in *incoming, p *plan) []backend.LineItem {
	if p.hasItems {
		return in.order.Items
	}
	var sum backend.Yen
	for _, it := range m.Items {
		sum += it.UnitPrice * backend.Yen(it.Quantity)
	}
	if len(m.Items) > 0 && sum != in.order.Subtotal {
		return nil
	}
	return m.Items
}

func diffMoney(m *backend.Order, in *incoming, p *plan) (ja, en []string) {
	for _, a := range []struct {
		id       FieldID
		old, new backend.Yen
	}{
		{FSubtotal, m.Subtotal, in.order.Subtotal}, {FDiscount, m.Discount, in.order.Discount},
		{FShipping, m.Shipping, in.order.Shipping}, {FFee, m.Fee, in.order.Fee}, {FTax, m.Tax, in.order.Tax},
		{FPoints, m.PointsUsed, in.order.PointsUsed}, {FTotal, m.Total, in.order.Total},
	} {
		if a.old != a.new {
			def := fieldDefs[fi(a.id)]
			ja = append(ja, fmt.Sprintf("%s %s → %s", def.Label, a.old, a.new))
			en = append(en, fmt.Sprintf("%s %s → %s", strings.ToLower(def.LabelEn), a.old, a.new))
		}
	}
	if !sameItems(m.Items, newItems(m, in, p)) {
		ja, en = append(ja, "明細"), append(en, "lines")
	}
	return ja, en
}

func applyMoney(m *backend.Order, in *incoming, p *plan) {
	m.Items = newItems(m, in, p)
	m.Subtotal, m.Discount, m.Shipping, m.Fee = in.order.Subtotal, in.order.Discount, in.order.Shipping, in.order.Fee
	m.Tax, m.PointsUsed, m.Total = in.order.Tax, in.order.PointsUsed, in.order.Total
}

func sameItems(a, b []backend.LineItem) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
