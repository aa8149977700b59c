package app

import (
	"strings"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo"
)

// SetStatus sets the order's 対応状況 by hand (発送済み, 保留 …) and returns the order as
// it is now. A status that would hide the payment's real state (キャンセル while it holds
// money, 入金済み before the capture) is refused with what to do instead.
func (o *Orders) SetStatus(orderID int64, status string) (*OrderDetail, error) {
	ctx := o.s.Ctx()
	ord, err := o.s.Store.OrderByID(ctx, orderID)
	if err != nil {
		return nil, err
	}
	to := backend.OrderStatus(status)
	if to == ord.Status {
		return orderDetail(o.s, orderID)
	}
	pays, err := o.s.Store.PaymentsByOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	if err := backend.CheckStatusChange(ord, pays, to); err != nil {
		return nil, err
	}
	ch := &backend.OrderChange{OrderID: orderID, Status: to, Actor: o.s.operator(ctx), CancelStock: to == backend.OrderCancelled}
	if err := o.s.Store.ApplyOrderChange(ctx, ch); err != nil {
		return nil, err
	}
	return orderDetail(o.s, orderID)
}

// slipView is the payment's slip as the detail shows it; nil when it has none.
func slipView(p *backend.Payment) *PaymentSlip {
	if p.Slip.IsZero() {
		return nil
	}
	out := &PaymentSlip{ReceiptNo: p.Slip.ReceiptNo, ConfNo: p.Slip.ConfNo, BkCode: p.Slip.BkCode, CustID: p.Slip.CustID}
	if p.Slip.Store != "" {
		out.Store = gmo.ConvenienceName(p.Slip.Store)
		out.StoreEn = gmo.ConvenienceNameEn(p.Slip.Store)
	}
	return out
}

// failureReason is the message of the newest failed 売上 in the journal (oldest first), in
// lang when the journal has it in that language.
func failureReason(ops []*backend.Operation, lang string) string {
	for i := len(ops) - 1; i >= 0; i-- {
		if ops[i].Kind == backend.OpCapture && ops[i].State == backend.OpFailed {
			return pick(lang, ops[i].Message, ops[i].MessageEn)
		}
	}
	return ""
}

// journalAmounts gives each operation (oldest first) the amount it applied to: its own,
// or for a cancel, which names none, the amount the payment held before it.
func journalAmounts(ops []*backend.Operation, p *backend.Payment) []backend.Yen {
	out := make([]backend.Yen, len(ops))
	held := p.AmountAuthorized
	if p.AmountCaptured > 0 {
		held = p.AmountCaptured
	}
	for i, op := range ops {
		if op.Amount > 0 {
			out[i] = op.Amount
			if op.Kind != backend.OpPartialRefund {
				held = op.Amount
			}
			continue
		}
		out[i] = held
	}
	return out
}

// operationEn is a short English account of an operation's outcome.
func operationEn(op *backend.Operation) string {
	kind := op.Kind.LabelEn()
	switch op.State {
	case backend.OpSucceeded:
		return kind + ": done"
	case backend.OpFailed:
		if op.GatewayCode != "" {
			return kind + ": not done (gateway code " + op.GatewayCode + ")"
		}
		return kind + ": not done"
	case backend.OpUnknown:
		return kind + ": outcome not confirmed yet; the payment is locked until the gateway is asked"
	}
	return kind + ": in progress"
}

// eventEn is a status change "新規受付 → 入金済み" in English; "" for a note.
func eventEn(e *backend.OrderEvent) string {
	if e.Kind != "status" {
		return ""
	}
	parts := strings.Split(e.Detail, " → ")
	for i, ja := range parts {
		for _, s := range backend.OrderStatuses {
			if s.Label() == ja {
				parts[i] = s.LabelEn()
			}
		}
	}
	return strings.Join(parts, " → ")
}
