package paygent

import (
	"context"
	"strings"

	"kessaidesk/backend"
)

var _ backend.TransactionFinder = (*Client)(nil)

// FindTransactions asks 決済情報照会 (094) by trading_id, narrowed by the method's
// payment_type (konbini: 番号方式 03, then 払込票 04), for linking an order (research
// §B9). Paygent answers one payment, 13001 when there is none (an empty slice), and
// 13002 when several share the trading_id (backend.ErrSeveral: only payment_id can
// tell them apart). It changes nothing at Paygent.
func (c *Client) FindTransactions(ctx context.Context, method backend.PaymentMethod, tradingID string) ([]backend.Transaction, error) {
	tradingID = strings.TrimSpace(tradingID)
	if tradingID == "" {
		return nil, backend.Errorf(backend.EINVALID, "取引ID（trading_id）が空です", "the trading_id is empty")
	}
	types := paymentTypes(method)
	if types == nil {
		return nil, backend.Errorf(backend.EUNSUPPORTED, "この支払方法はペイジェントで照会できません", "this payment method cannot be looked up at Paygent")
	}
	var out []backend.Transaction
	for _, pt := range types {
		r, err := c.InquirePayment(ctx, "", tradingID, pt)
		switch {
		case IsNotFound(err):
			continue
		case isSeveral(err):
			return nil, backend.ErrSeveral
		case err != nil:
			return nil, err
		}
		tx, err := c.transaction(r, method)
		if err != nil {
			return nil, err
		}
		out = append(out, *tx)
	}
	return out, nil
}

// LookupTransaction checks a payment_id an operator pasted or a console CSV carried,
// with 094 by payment_id (unique). A trading_id given with it must be the one Paygent
// reports for the payment. Without a payment_id it asks by trading_id, like
// FindTransactions, and needs exactly one payment.
func (c *Client) LookupTransaction(ctx context.Context, method backend.PaymentMethod, ids backend.TransactionIDs) (*backend.Transaction, error) {
	paymentID, tradingID := strings.TrimSpace(ids.GatewayTranID), strings.TrimSpace(ids.GatewayOrderID)
	if paymentID == "" {
		if tradingID == "" {
			return nil, backend.Errorf(backend.EINVALID, "ペイジェントの決済ID（payment_id）または取引ID（trading_id）を入力してください", "enter Paygent's payment_id or trading_id")
		}
		txs, err := c.FindTransactions(ctx, method, tradingID)
		switch {
		case err != nil:
			return nil, err
		case len(txs) == 0:
			return nil, backend.Errorf(backend.ENOTFOUND, "ペイジェントに取引ID %s の決済がありません", "Paygent has no payment with trading_id %s", tradingID)
		case len(txs) > 1:
			return nil, backend.ErrSeveral
		}
		return &txs[0], nil
	}
	if !digits.MatchString(paymentID) || len(paymentID) > 18 {
		return nil, backend.Errorf(backend.EINVALID, "決済ID（payment_id）は18桁以内の数字です（入力: %s）", "the payment_id is up to 18 digits (%s)", clip(paymentID))
	}
	r, err := c.InquirePayment(ctx, paymentID, "", "")
	if IsNotFound(err) {
		return nil, backend.Errorf(backend.ENOTFOUND, "ペイジェントに決済ID %s の決済がありません", "Paygent has no payment %s", paymentID)
	}
	if err != nil {
		return nil, err
	}
	if tradingID != "" && r["trading_id"] != tradingID {
		return nil, backend.Errorf(backend.EINVALID, "決済ID %s は取引ID %s の決済ではありません（ペイジェントでの取引ID: %s）",
			"payment %s does not belong to trading_id %s (Paygent: %s)", paymentID, tradingID, clip(r["trading_id"]))
	}
	return c.transaction(r, method)
}

// paymentTypes are the payment_type values a method is asked with.
func paymentTypes(m backend.PaymentMethod) []string {
	if m == backend.MethodKonbini {
		return []string{TypeKonbiniNumber, TypeKonbiniSlip}
	}
	if t := TypeFor(m); t != "" {
		return []string{t}
	}
	return nil
}

func isSeveral(err error) bool {
	code := gatewayCodeOf(err)
	return code == "13002" || strings.HasPrefix(code, "13002/")
}

// transaction turns a 094 answer into a found transaction: the ids and the state as
// Paygent reports them, through the same reading as Inquire.
func (c *Client) transaction(r Response, method backend.PaymentMethod) (*backend.Transaction, error) {
	if m := MethodOf(r["payment_type"]); m != backend.MethodOther {
		method = m // Paygent's word for the payment wins over the order's
	}
	v, err := c.view(r, &backend.Payment{Method: method})
	if err != nil {
		return nil, err
	}
	v.NewTranID = ""
	// For a card authorisation Paygent's latest processing is the authorisation
	// (payment_init_date: 020, or the new payment of a 補正).
	if v.ProcessedAt.IsZero() && v.State == backend.StateAuthorized {
		v.ProcessedAt = v.AuthorizedAt
	}
	return &backend.Transaction{Gateway: backend.GatewayPaygent, Method: method, View: *v,
		TransactionIDs: backend.TransactionIDs{GatewayOrderID: r["trading_id"], GatewayTranID: r["payment_id"]}}, nil
}
