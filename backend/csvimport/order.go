package csvimport

import (
	"kessaidesk/backend"
)

// acc adds up what an order's rows say about its money.
type acc struct {
	head     [numAmounts]backend.Yen // the order's amount columns
	given    [numAmounts]bool        // which of them held a value
	lines    [numAmounts]backend.Yen // its lines, by the amount they add to (aSubtotal: products)
	seen     [numAmounts]bool
	overflow bool
}

func (a *acc) add(ln line) {
	slot := aSubtotal
	amt := ln.amount
	if ln.kind != LineProduct {
		slot = lineAmount[ln.kind]
		if slot == aDiscount || slot == aPoints {
			amt = abs(amt) // written as negative lines; the order's 値引き/ポイント are positive
		}
	}
	sum, ok := addYen(a.lines[slot], amt)
	a.lines[slot], a.seen[slot], a.overflow = sum, true, a.overflow || !ok
}

func abs(y backend.Yen) backend.Yen {
	if y < 0 {
		return -y
	}
	return y
}

// maxGatewayAmount is the most any gateway accepts in one transaction.
var maxGatewayAmount = func() backend.Yen {
	var m backend.Yen
	for _, g := range []backend.GatewayKind{backend.GatewayGMO, backend.GatewaySGP, backend.GatewaySBPS, backend.GatewayPaygent} {
		m = max(m, backend.MaxAmount(g))
	}
	return m
}()

func gatewayMethod(m backend.PaymentMethod) bool {
	return m != backend.MethodOther && m.Valid()
}

// resolve gives the order's amounts from its columns and lines and checks they add
// up: 小計 − 値引き + 送料 + 手数料 + 外税 − ポイント = お支払い合計. A column and the
// lines of the same amount must agree. ps carries the order's first line.
func (p *plan) resolve(a *acc, method backend.PaymentMethod, ps *problems) ([numAmounts]backend.Yen, bool) {
	var out [numAmounts]backend.Yen
	totalCol := fi(FTotal)
	if a.overflow {
		ps.add(totalCol, "明細の金額の合計が大きすぎます", "the lines add up to too much")
		return out, false
	}
	ok := true
	for slot := range numAmounts {
		if slot == aTotal {
			continue
		}
		id := amountFields[slot]
		switch {
		case a.given[slot] && a.seen[slot] && a.head[slot] != a.lines[slot]:
			what := "商品の合計"
			if slot != aSubtotal {
				what = "明細の" + FieldLabel(id)
			}
			ps.add(fi(id), "%s %s が%s %s と一致しません", "%[1]s %[2]s does not match the lines (%[4]s)",
				p.columnLabel(fi(id)), a.head[slot], what, a.lines[slot])
			ok = false
		case a.given[slot]:
			out[slot] = a.head[slot]
		default:
			out[slot] = a.lines[slot]
		}
	}
	if !ok {
		return out, false
	}
	out[aTotal] = a.head[aTotal]
	// What the store refuses (backend.Order.Validate) is said here, with its line.
	for slot, v := range out {
		if v < 0 || v > backend.MaxOrderAmount {
			col := fi(amountFields[slot])
			ps.add(col, "%s %s が扱える範囲（0〜%s）を超えています", "%s %s is out of range (0–%s)",
				p.columnLabel(col), v, backend.MaxOrderAmount)
			return out, false
		}
	}
	sum := out[aSubtotal]
	good := true
	for _, part := range []struct {
		slot int
		sign backend.Yen
	}{{aDiscount, -1}, {aShipping, 1}, {aFee, 1}, {aTax, 1}, {aPoints, -1}} {
		var g bool
		sum, g = addYen(sum, part.sign*out[part.slot])
		good = good && g
	}
	switch {
	case !good:
		ps.add(totalCol, "金額の合計が大きすぎます", "the amounts add up to too much")
		return out, false
	case sum != out[aTotal]:
		ps.add(totalCol, "%s %s が内訳の計算 %s と一致しません（小計 %s − 値引き %s + 送料 %s + 手数料 %s + 外税 %s − ポイント %s）",
			"%s %s does not match its parts, %s (subtotal %s − discount %s + shipping %s + fee %s + tax %s − points %s)",
			p.columnLabel(totalCol), out[aTotal], sum, out[aSubtotal], out[aDiscount], out[aShipping], out[aFee], out[aTax], out[aPoints])
		return out, false
	case gatewayMethod(method) && out[aTotal] > maxGatewayAmount:
		ps.add(totalCol, "%s %s は決済代行会社が受け付ける上限 %s を超えています（%s）",
			"%s %s is more than the gateways accept (%s) for %s",
			p.columnLabel(totalCol), out[aTotal], maxGatewayAmount, method.Label())
		return out, false
	}
	return out, true
}

// builder collects one order's rows in the second pass.
type builder struct {
	head  *head
	acc   acc
	items []backend.LineItem
	line  int
}

func (b *builder) add(ln line) {
	b.acc.add(ln)
	if ln.kind == LineProduct {
		b.items = append(b.items, ln.item)
	}
}

// incoming is an order as the file has it, ready to merge.
type incoming struct {
	order backend.Order
	word  string
	state backend.OrderStatus // mapped from word ("" when no word)
	hint  backend.TransactionIDs
	line  int
}

func (b *builder) finish(p *plan) (*incoming, bool) {
	ps := &problems{p: p, line: b.line}
	b.acc.head, b.acc.given = b.head.amounts, b.head.given
	amounts, ok := p.resolve(&b.acc, b.head.order.PaymentMethod, ps)
	if !ok {
		return nil, false
	}
	o := b.head.order
	o.Items = b.items
	o.Subtotal, o.Discount, o.Shipping, o.Fee = amounts[aSubtotal], amounts[aDiscount], amounts[aShipping], amounts[aFee]
	o.Tax, o.PointsUsed, o.Total = amounts[aTax], amounts[aPoints], amounts[aTotal]
	return &incoming{order: o, word: b.head.word, state: b.head.status, hint: b.head.hint, line: b.line}, true
}
