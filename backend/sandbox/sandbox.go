// Package sandbox is the built-in demo gateway: the project's GMO-PG simulator
// started in-process on 127.0.0.1, with its state kept in the data folder, and the
// demo shop whose payments live there. The app reaches it over HTTP through the same
// client a real contract uses.
package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/demo"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/simkit"
)

// ShopID is the demo shop's ID at the sandbox.
const ShopID = "tdemo0000001"

// Sandbox is a running demo gateway.
type Sandbox struct {
	Sim      *gmosim.Sim
	shopPass string
}

// Start runs the sandbox with its state in dir (created if needed). The shop
// password is made fresh at every start and lives in memory only.
func Start(dir string, clock *simkit.Clock) (*Sandbox, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "サンドボックスのフォルダを作成できません: %v", "cannot create the sandbox folder: %v", err)
	}
	sim, err := gmosim.Start(gmosim.Options{Clock: clock, StateFile: filepath.Join(dir, "gmo-sandbox.json")})
	if err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "デモ用サンドボックスを起動できません: %v", "cannot start the demo sandbox: %v", err)
	}
	b := make([]byte, 5) // ShopPass: 10 alphanumerics at most
	rand.Read(b)
	s := &Sandbox{Sim: sim, shopPass: hex.EncodeToString(b)}
	sim.AddShop(ShopID, s.shopPass)
	return s, nil
}

// URL is the sandbox's base URL.
func (s *Sandbox) URL() string { return s.Sim.URL() }

// Credentials are the demo shop's ID and password.
func (s *Sandbox) Credentials() (string, string) { return ShopID, s.shopPass }

// Close stops the sandbox.
func (s *Sandbox) Close() error { return s.Sim.Close() }

// Store is what seeding needs from the database.
type Store interface {
	SaveProfile(ctx context.Context, p *backend.GatewayProfile) error
	SaveOrders(ctx context.Context, orders []*backend.Order) error
	SavePayments(ctx context.Context, ps []*backend.Payment) error
}

// DemoSeed makes every install the same demo shop (the README and the E2E test refer to it).
const DemoSeed = 20261124

// DemoProfileName is the demo gateway profile's name.
const DemoProfileName = "デモ (GMO-PG サンドボックス)"

// Seed creates the demo shop: a gateway profile pointing at the sandbox and n orders
// whose payments exist at the sandbox in the states the orders show.
func (s *Sandbox) Seed(ctx context.Context, st Store, n int, now time.Time) (*backend.GatewayProfile, error) {
	prof := &backend.GatewayProfile{
		Name: DemoProfileName, Kind: backend.GatewayGMO, Demo: true, Environment: backend.EnvTest,
		MerchantID: ShopID, Methods: []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini, backend.MethodPayEasy, backend.MethodNetBank},
		AuthExpiryDays: backend.DefaultAuthExpiryDays(backend.GatewayGMO), FeePerOperation: 0,
	}
	specs := demo.Generate(DemoSeed, n, 100001, now, 120*24*time.Hour)
	orders := make([]*backend.Order, len(specs))
	for i, sp := range specs {
		orders[i] = sp.Order
	}
	if err := st.SaveProfile(ctx, prof); err != nil {
		return nil, err
	}
	if err := st.SaveOrders(ctx, orders); err != nil {
		return nil, err
	}
	var payments []*backend.Payment
	err := s.Sim.Batch(func() error {
		for _, sp := range specs {
			if sp.State == "" {
				continue
			}
			p, err := s.addTrade(sp, prof)
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
	return prof, st.SavePayments(ctx, payments)
}

// addTrade creates the gateway side of one demo payment and returns our record of it.
func (s *Sandbox) addTrade(sp demo.Spec, prof *backend.GatewayProfile) (*backend.Payment, error) {
	o := sp.Order
	p := &backend.Payment{
		OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewayGMO, Method: o.PaymentMethod,
		GatewayOrderID: "KD" + o.OrderNo, State: sp.State, AmountAuthorized: o.Total,
		AuthorizedAt: sp.AuthorizedAt, CapturedAt: sp.CapturedAt, PaymentDeadline: sp.Deadline, PaidAt: sp.PaidAt,
		LastSyncedAt: sp.Order.OrderedAt,
	}
	var err error
	if o.PaymentMethod == backend.MethodCard {
		if !sp.AuthorizedAt.IsZero() {
			p.AuthExpiresAt = sp.AuthorizedAt.AddDate(0, 0, prof.AuthExpiryDays)
		}
		status := map[backend.PaymentState]string{
			backend.StateAuthorized: "AUTH", backend.StateCaptureFailed: "AUTH", backend.StateNeedsReview: "AUTH",
			backend.StateExpired: "AUTH", backend.StateCaptured: "SALES", backend.StatePartiallyRefunded: "SALES",
			backend.StateVoided: "VOID", backend.StateRefunded: "RETURN", backend.StatePending: "UNPROCESSED",
		}[sp.State]
		switch sp.State {
		case backend.StateCaptured, backend.StatePartiallyRefunded, backend.StateRefunded:
			p.AmountCaptured = o.Total
		}
		p.AmountRefunded = sp.Refunded
		if sp.State == backend.StateRefunded {
			p.AmountRefunded = o.Total
		}
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
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox: %s: %w", p.GatewayOrderID, err)
	}
	return p, nil
}

func orNow(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t
}
