package sqlstore

import "kessaidesk/backend"

// ExportColumns are what CSV出力 reads of an order and its main payment (orders o LEFT
// JOIN payments p ON p.id = o.payment_id). The AccessPass (gw_tran_pass) is not among
// them: nothing exported may carry it.
const ExportColumns = OrderColumns + `, COALESCE(p.id, 0), COALESCE(p.profile_id, 0),
	COALESCE(p.gateway, ''), COALESCE(p.method, ''), COALESCE(p.state, ''), COALESCE(p.gw_order_id, ''),
	COALESCE(p.gw_tran_id, ''), COALESCE(p.amount_authorized, 0), COALESCE(p.amount_captured, 0),
	COALESCE(p.amount_refunded, 0)`

// ScanExport reads a row of ExportColumns, then extra: the order (without its lines)
// and its main payment, nil when it has none.
func ScanExport(sc interface{ Scan(...any) error }, extra ...any) (*backend.Order, *backend.Payment, error) {
	o := &backend.Order{}
	p := &backend.Payment{}
	var gateway, method, state string
	dest := []any{&p.ID, &p.ProfileID, &gateway, &method, &state, &p.GatewayOrderID, &p.GatewayTranID,
		&p.AmountAuthorized, &p.AmountCaptured, &p.AmountRefunded}
	if err := ScanOrder(sc, o, append(dest, extra...)...); err != nil {
		return nil, nil, err
	}
	if p.ID == 0 {
		return o, nil, nil
	}
	p.OrderID, p.Gateway, p.Method, p.State = o.ID, backend.GatewayKind(gateway), backend.PaymentMethod(method), backend.PaymentState(state)
	return o, p, nil
}
