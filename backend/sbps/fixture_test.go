package sbps_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/sbps/sbpssim"
	"kessaidesk/backend/simkit"
)

// Test credentials (made up; never a real merchant's).
const (
	merchantID = "71234"
	serviceID  = "001"
	hashKey    = "0f3c2a9be5d7410c8e6b2d4f9a1c7e3b5d8f0a2c"
)

// day 1 of the tests: Tuesday 10 November 2026, 10:00 JST.
var t0 = time.Date(2026, 11, 10, 10, 0, 0, 0, backend.JST)

type fixture struct {
	sim    *sbpssim.Sim
	client *sbps.Client
	clock  *simkit.Clock
}

func setup(t *testing.T) *fixture {
	t.Helper()
	clock := simkit.NewClock(t0)
	sim, err := sbpssim.Start(sbpssim.Options{Clock: clock})
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	sim.AddMerchant(sbpssim.Merchant{MerchantID: merchantID, ServiceID: serviceID, HashKey: hashKey})
	return &fixture{sim: sim, client: newClient(t, sim, sbps.Config{}), clock: clock}
}

// newClient makes a client of the simulator; cfg's zero fields get the test values.
func newClient(t *testing.T, sim *sbpssim.Sim, cfg sbps.Config) *sbps.Client {
	t.Helper()
	if cfg.Host == "" {
		cfg.Host = sim.URL()
	}
	if cfg.MerchantID == "" {
		cfg.MerchantID, cfg.ServiceID = merchantID, serviceID
	}
	if cfg.HashKey == "" {
		cfg.HashKey = hashKey
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = sim.Clock.Now
	}
	c, err := sbps.New(cfg)
	require.NoError(t, err)
	return c
}

var states = map[string]backend.PaymentState{
	sbps.StatusAuthorized: backend.StateAuthorized, sbps.StatusCaptured: backend.StateCaptured,
	sbps.StatusVoided: backend.StateVoided, sbps.StatusRefunded: backend.StateRefunded,
}

// card seeds a card payment and returns the app's view of it.
func (f *fixture) card(t *testing.T, orderID string, amount int64, status string, auth, sales time.Time) *backend.Payment {
	t.Helper()
	id, err := f.sim.AddCardTrade(sbpssim.CardSpec{MerchantID: merchantID, ServiceID: serviceID, OrderID: orderID,
		Amount: amount, Status: status, AuthDate: auth, SalesDate: sales})
	require.NoError(t, err)
	p := &backend.Payment{Gateway: backend.GatewaySBPS, Method: backend.MethodCard, GatewayOrderID: orderID, GatewayTranID: id,
		State: states[status], AmountAuthorized: backend.Yen(amount), AuthorizedAt: auth, CapturedAt: sales}
	if status == sbps.StatusCaptured || status == sbps.StatusRefunded {
		p.AmountCaptured = backend.Yen(amount)
	}
	return p
}

func code(err error) string { return backend.ErrorCode(err) }

func class(err error) backend.ErrorClass { return backend.ErrorClassOf(err) }

func msg(err error) string { return backend.ErrorMessage(err, "ja") }
