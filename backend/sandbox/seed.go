package sandbox

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/demo"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/sbps/sbpssim"
)

// Store is what seeding needs from the database.
type Store interface {
	SaveProfile(ctx context.Context, p *backend.GatewayProfile) error
	SaveOrders(ctx context.Context, orders []*backend.Order) error
	SavePayments(ctx context.Context, ps []*backend.Payment) error
}

// DemoSeed makes every install the same demo shop (the README and the E2E test refer to it).
const DemoSeed = 20261124

// The demo gateway profiles' names (the README and the E2E tests name the GMO one).
const (
	DemoProfileName        = "デモ (GMO-PG サンドボックス)"
	DemoSBPSProfileName    = "デモ (SBペイメント サンドボックス)"
	DemoPaygentProfileName = "デモ (ペイジェント サンドボックス)"
)

// Seed creates the demo shop: a gateway profile per simulator and n orders whose
// payments exist at the simulators in the states the orders show. Most card payments
// are on GMO-PG; about one in five is on SBPS and one in five on Paygent (see
// gatewayOf); konbini, Pay-easy and net bank stay on GMO-PG. It returns the profiles
// (GMO-PG, SBPS, Paygent).
func (s *Sandbox) Seed(ctx context.Context, st Store, n int, now time.Time) ([]*backend.GatewayProfile, error) {
	profs := map[backend.GatewayKind]*backend.GatewayProfile{
		backend.GatewayGMO: {Name: DemoProfileName, Kind: backend.GatewayGMO, MerchantID: ShopID,
			Methods: []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini, backend.MethodPayEasy, backend.MethodNetBank}},
		backend.GatewaySBPS: {Name: DemoSBPSProfileName, Kind: backend.GatewaySBPS, MerchantID: SBPSMerchantID, SubID: SBPSServiceID,
			Methods: []backend.PaymentMethod{backend.MethodCard}},
		backend.GatewayPaygent: {Name: DemoPaygentProfileName, Kind: backend.GatewayPaygent, MerchantID: PaygentMerchantID,
			SubID: PaygentConnectID, Methods: []backend.PaymentMethod{backend.MethodCard}},
	}
	order := []backend.GatewayKind{backend.GatewayGMO, backend.GatewaySBPS, backend.GatewayPaygent}
	var out []*backend.GatewayProfile
	for _, k := range order {
		p := profs[k]
		p.Demo, p.Environment, p.AuthExpiryDays = true, backend.EnvTest, backend.DefaultAuthExpiryDays(k)
		out = append(out, p)
	}
	specs := demo.Generate(DemoSeed, n, 100001, now, 120*24*time.Hour)
	orders := make([]*backend.Order, len(specs))
	for i, sp := range specs {
		orders[i] = sp.Order
	}
	for _, p := range out {
		if err := st.SaveProfile(ctx, p); err != nil {
			return nil, err
		}
	}
	if err := st.SaveOrders(ctx, orders); err != nil {
		return nil, err
	}
	var payments []*backend.Payment
	err := s.batch(func() error {
		for _, sp := range specs {
			if sp.State == "" {
				continue
			}
			prof := profs[gatewayOf(sp, now)]
			var p *backend.Payment
			var err error
			switch prof.Kind {
			case backend.GatewaySBPS:
				p, err = s.addSBPS(sp, prof)
			case backend.GatewayPaygent:
				p, err = s.addPaygent(sp, prof)
			default:
				p, err = s.addTrade(sp, prof)
			}
			if err != nil {
				return err
			}
			payments = append(payments, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, st.SavePayments(ctx, payments)
}

// gatewayOf spreads the demo's card payments over the simulators by order number:
// numbers ending in 3 or 8 go to SBPS and in 2 or 7 to Paygent, when the payment is in a state
// those gateways report as the demo means it — 仮売上 (young enough for their 60-day
// authorisation), 実売上, 取消, 返金. Everything else stays on GMO-PG.
func gatewayOf(sp demo.Spec, now time.Time) backend.GatewayKind {
	o := sp.Order
	if o.PaymentMethod != backend.MethodCard {
		return backend.GatewayGMO
	}
	switch sp.State {
	case backend.StateCaptured, backend.StateVoided, backend.StateRefunded:
	case backend.StateAuthorized:
		if now.Sub(sp.AuthorizedAt) > 45*24*time.Hour {
			return backend.GatewayGMO
		}
	default:
		return backend.GatewayGMO
	}
	no, _ := strconv.Atoi(o.OrderNo)
	switch no % 10 {
	case 3, 8:
		return backend.GatewaySBPS
	case 2, 7:
		return backend.GatewayPaygent
	}
	return backend.GatewayGMO
}

// payment is our record of a demo payment before its gateway ids are known.
func payment(sp demo.Spec, prof *backend.GatewayProfile) *backend.Payment {
	o := sp.Order
	p := &backend.Payment{
		OrderID: o.ID, ProfileID: prof.ID, Gateway: prof.Kind, Method: o.PaymentMethod,
		GatewayOrderID: "KD" + o.OrderNo, State: sp.State, AmountAuthorized: o.Total,
		AuthorizedAt: sp.AuthorizedAt, CapturedAt: sp.CapturedAt, PaymentDeadline: sp.Deadline, PaidAt: sp.PaidAt,
		LastSyncedAt: o.OrderedAt,
	}
	if o.PaymentMethod == backend.MethodCard {
		if !sp.AuthorizedAt.IsZero() {
			p.AuthExpiresAt = sp.AuthorizedAt.AddDate(0, 0, prof.AuthExpiryDays)
		}
		switch sp.State {
		case backend.StateCaptured, backend.StatePartiallyRefunded, backend.StateRefunded:
			p.AmountCaptured = o.Total
		}
		p.AmountRefunded = sp.Refunded
		if sp.State == backend.StateRefunded {
			p.AmountRefunded = o.Total
		}
	}
	return p
}

// addTrade creates the GMO-PG side of one demo payment and returns our record of it.
func (s *Sandbox) addTrade(sp demo.Spec, prof *backend.GatewayProfile) (*backend.Payment, error) {
	o := sp.Order
	p := payment(sp, prof)
	var err error
	if o.PaymentMethod == backend.MethodCard {
		status := map[backend.PaymentState]string{
			backend.StateAuthorized: "AUTH", backend.StateCaptureFailed: "AUTH", backend.StateNeedsReview: "AUTH",
			backend.StateExpired: "AUTH", backend.StateCaptured: "SALES", backend.StatePartiallyRefunded: "SALES",
			backend.StateVoided: "VOID", backend.StateRefunded: "RETURN", backend.StatePending: "UNPROCESSED",
		}[sp.State]
		if status == "" { // 未オーソリ (予約): nothing exists at the gateway yet
			return p, nil
		}
		p.RawStatus = status
		amount := int64(o.Total - sp.Refunded)
		p.GatewayTranID, p.GatewayTranPass, err = s.Sim.AddCardTrade(gmosim.CardSpec{ShopID: ShopID, OrderID: p.GatewayOrderID,
			Amount: amount, Status: status, AuthDate: orNow(sp.AuthorizedAt, o.OrderedAt), SalesDate: sp.CapturedAt})
	} else {
		status := map[backend.PaymentState]string{backend.StateAwaitingDeposit: "REQSUCCESS", backend.StateDeposited: "PAYSUCCESS",
			backend.StateExpired: "EXPIRED"}[sp.State]
		p.RawStatus = status
		d := gmosim.DepositSpec{ShopID: ShopID, OrderID: p.GatewayOrderID, Amount: int64(o.Total), Status: status,
			Issued: o.OrderedAt, PaymentTerm: sp.Deadline, FinishDate: sp.PaidAt}
		if o.PaymentMethod == backend.MethodKonbini {
			p.GatewayTranID, p.GatewayTranPass, err = s.Sim.AddCvsTrade(d)
		} else {
			p.GatewayTranID, p.GatewayTranPass, err = s.Sim.AddPayEasyTrade(d)
		}
		if t, ok := s.Sim.Trade(p.GatewayOrderID); ok && err == nil {
			// The numbers the slip was issued with, as the shop received them at checkout.
			p.Slip = backend.PaymentSlip{Store: t.Convenience, ReceiptNo: t.ReceiptNo, ConfNo: t.ConfNo, BkCode: t.BkCode, CustID: t.CustID}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox: %s: %w", p.GatewayOrderID, err)
	}
	return p, nil
}

// addSBPS creates a demo card payment at the SBPS simulator (order_id, tracking_id).
func (s *Sandbox) addSBPS(sp demo.Spec, prof *backend.GatewayProfile) (*backend.Payment, error) {
	p := payment(sp, prof)
	p.RawStatus = map[backend.PaymentState]string{backend.StateAuthorized: sbps.StatusAuthorized, backend.StateCaptured: sbps.StatusCaptured,
		backend.StateVoided: sbps.StatusVoided, backend.StateRefunded: sbps.StatusRefunded}[sp.State]
	id, err := s.SBPS.AddCardTrade(sbpssim.CardSpec{MerchantID: SBPSMerchantID, ServiceID: SBPSServiceID, OrderID: p.GatewayOrderID,
		Amount: int64(sp.Order.Total), Status: p.RawStatus, AuthDate: sp.AuthorizedAt, SalesDate: sp.CapturedAt})
	if err != nil {
		return nil, fmt.Errorf("sandbox: %s: %w", p.GatewayOrderID, err)
	}
	p.GatewayTranID = id
	return p, nil
}

// addPaygent creates a demo card payment at the Paygent simulator (trading_id, payment_id).
func (s *Sandbox) addPaygent(sp demo.Spec, prof *backend.GatewayProfile) (*backend.Payment, error) {
	p := payment(sp, prof)
	p.RawStatus = map[backend.PaymentState]string{backend.StateAuthorized: "20", backend.StateCaptured: "40",
		backend.StateVoided: "32", backend.StateRefunded: "60"}[sp.State]
	id, err := s.Paygent.AddCardPayment(paygentsim.CardSpec{MerchantID: PaygentMerchantID, TradingID: p.GatewayOrderID,
		Amount: int64(sp.Order.Total), Status: p.RawStatus, AuthDate: sp.AuthorizedAt, SalesDate: sp.CapturedAt})
	if err != nil {
		return nil, fmt.Errorf("sandbox: %s: %w", p.GatewayOrderID, err)
	}
	p.GatewayTranID = id
	return p, nil
}

func orNow(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t
}
