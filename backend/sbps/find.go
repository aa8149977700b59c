package sbps

import (
	"context"
	"strings"

	"kessaidesk/backend"
)

var _ backend.TransactionFinder = (*Client)(nil)

// errTrackingOnly: SBPS's API looks payments up by tracking_id only (MG01-00101-xxx);
// no lookup by order_id is published (shop-csv-linking.md §3.2).
var errTrackingOnly = &backend.Error{Code: backend.EUNSUPPORTED, Class: backend.ClassNotSent,
	Message:   "SBPSはトラッキングIDでしか照会できません。SBPS管理画面の取引CSVを取り込むか、トラッキングIDを入力してください",
	MessageEn: "SBPS looks payments up by tracking id only: import the SBPS console's transaction CSV or enter the tracking id"}

// FindTransactions cannot ask SBPS by order_id: it always returns EUNSUPPORTED.
func (c *Client) FindTransactions(context.Context, backend.PaymentMethod, string) ([]backend.Transaction, error) {
	e := *errTrackingOnly
	return nil, &e
}

// LookupTransaction reads the payment of a tracking_id (決済結果参照: card -101,
// WEBコンビニ -701, Pay-easy -703) for linking. SBPS's inquiry carries neither amounts
// nor dates nor the order_id: the transaction's amounts are zero and its order_id is
// the one given; the caller takes the amount from the console's CSV or the operator.
func (c *Client) LookupTransaction(ctx context.Context, method backend.PaymentMethod, ids backend.TransactionIDs) (*backend.Transaction, error) {
	tracking := strings.TrimSpace(ids.GatewayTranID)
	switch {
	case tracking == "":
		return nil, refuse(backend.EINVALID, "SBPSの照会にはトラッキングIDが必要です", "SBPS needs the tracking id to look a payment up")
	case len(tracking) > 14:
		return nil, refuse(backend.EINVALID, "トラッキングIDは14文字以内です（入力: %s）", "the tracking id has at most 14 characters (%s)", clip(tracking))
	}
	v, err := c.Inquire(ctx, &backend.Payment{Method: method, GatewayTranID: tracking})
	if err != nil {
		return nil, err
	}
	if !v.Found {
		return nil, backend.Errorf(backend.ENOTFOUND, "SBPSにトラッキングID %[1]s の%[2]sの決済がありません", "SBPS has no %[3]s payment with tracking id %[1]s",
			tracking, method.Label(), method.LabelEn())
	}
	return &backend.Transaction{Gateway: backend.GatewaySBPS, Method: method, View: *v,
		TransactionIDs: backend.TransactionIDs{GatewayOrderID: strings.TrimSpace(ids.GatewayOrderID), GatewayTranID: tracking}}, nil
}
