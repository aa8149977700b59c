package sandbox

import (
	"kessaidesk/backend"
	"kessaidesk/backend/simkit"
)

// Console is the console of the simulator that holds a demo payment, and the id it
// knows the payment by there (GMO-PG: the OrderID; SBPS: the tracking_id; Paygent:
// the payment_id) — for acting behind the app's back in tests.
func (s *Sandbox) Console(p *backend.Payment) (simkit.Console, string, error) {
	switch p.Gateway {
	case backend.GatewayGMO, backend.GatewaySGP:
		return s.Sim, p.GatewayOrderID, nil
	case backend.GatewaySBPS:
		return s.SBPS, p.GatewayTranID, nil
	case backend.GatewayPaygent:
		return s.Paygent, p.GatewayTranID, nil
	}
	return nil, "", backend.Errorf(backend.EUNSUPPORTED, "この決済はサンドボックスにありません", "the payment is not at the sandbox")
}
