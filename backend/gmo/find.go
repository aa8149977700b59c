package gmo

import (
	"context"
	"strings"

	"kessaidesk/backend"
	"kessaidesk/backend/gwhttp"
)

var _ backend.TransactionFinder = (*Client)(nil)

// FindTransactions finds the transaction of an OrderID for linking an order: card by
// SearchTrade, konbini by SearchTradeMulti PayType 3, Pay-easy and net bank by PayType 4
// (gmo-mulpay.md §3.5, §7). A pay type has at most one transaction per OrderID, so the
// answer is none or one. It changes nothing at the gateway.
func (c *Client) FindTransactions(ctx context.Context, method backend.PaymentMethod, orderID string) ([]backend.Transaction, error) {
	tx, err := c.find(ctx, method, strings.TrimSpace(orderID))
	if err != nil || tx == nil {
		return nil, err
	}
	return []backend.Transaction{*tx}, nil
}

// LookupTransaction checks ids an operator pasted or a console CSV carried. The
// protocol looks up by OrderID only, so the OrderID is required; the AccessID and
// AccessPass given must be the ones the gateway returns for it, else nothing is taken
// (a pass the gateway did not confirm is never stored).
func (c *Client) LookupTransaction(ctx context.Context, method backend.PaymentMethod, ids backend.TransactionIDs) (*backend.Transaction, error) {
	orderID := strings.TrimSpace(ids.GatewayOrderID)
	accessID, accessPass := strings.TrimSpace(ids.GatewayTranID), strings.TrimSpace(ids.GatewayTranPass)
	if orderID == "" {
		return nil, refuse(backend.EINVALID, "GMOの取引はオーダーIDで照会します。オーダーIDを入力してください（取引IDだけでは照会できません）",
			"GMO looks transactions up by OrderID: enter the OrderID (the access ID alone cannot be looked up)")
	}
	tx, err := c.find(ctx, method, orderID)
	if err != nil {
		return nil, err
	}
	if tx == nil {
		return nil, backend.Errorf(backend.ENOTFOUND, "%[1]sにオーダーID %[2]s の%[3]sの取引がありません", "%[4]s has no %[5]s transaction with OrderID %[2]s",
			c.cfg.Kind.Label(), orderID, method.Label(), c.cfg.Kind.LabelEn(), method.LabelEn())
	}
	if accessID != "" && accessID != tx.GatewayTranID {
		return nil, backend.Errorf(backend.EINVALID, "入力された取引ID（AccessID）はオーダーID %s の取引のものではありません。ゲートウェイが返した取引IDと一致しません",
			"the access ID entered is not the one of OrderID %s at the gateway", orderID)
	}
	if accessPass != "" && accessPass != tx.GatewayTranPass {
		return nil, backend.Errorf(backend.EINVALID, "入力された取引パスワード（AccessPass）がオーダーID %s の取引のものと一致しません",
			"the access password entered does not match the transaction of OrderID %s", orderID)
	}
	return tx, nil
}

// find returns the transaction of an OrderID, nil when the gateway has none.
func (c *Client) find(ctx context.Context, method backend.PaymentMethod, orderID string) (*backend.Transaction, error) {
	if orderID == "" {
		return nil, refuse(backend.EINVALID, "オーダーIDが空です", "the OrderID is empty")
	}
	a, states, err := c.search(ctx, method, orderID)
	if err == errNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v, err := baseView(a, states)
	if err != nil {
		return nil, err
	}
	if a["AccessID"] == "" || a["AccessPass"] == "" {
		return nil, gwhttp.Unknownf(nil, "照会の応答に取引ID・取引パスワードがありません（想定外の応答）", "the inquiry answer lacks AccessID/AccessPass")
	}
	return &backend.Transaction{Gateway: c.cfg.Kind, Method: method, View: *v,
		TransactionIDs: backend.TransactionIDs{GatewayOrderID: orderID, GatewayTranID: a["AccessID"], GatewayTranPass: a["AccessPass"]}}, nil
}
