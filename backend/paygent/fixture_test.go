package paygent_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/simkit"
)

const (
	merchantID = "30012345"
	connectID  = "kdtest01"
	connectPW  = "s3cretConnPw9"
	certCN     = "KESSAIDESK TEST SHOP"
)

// day 1 of the tests: Tuesday 10 November 2026, 10:00 JST.
var t0 = time.Date(2026, 11, 10, 10, 0, 0, 0, backend.JST)

type fixture struct {
	sim     *paygentsim.Sim
	client  *paygent.Client
	clock   *simkit.Clock
	certPEM []byte
	keyPEM  []byte
}

type setupOpt func(*paygentsim.Options, *paygentsim.Merchant)

func setup(t *testing.T, opts ...setupOpt) *fixture {
	t.Helper()
	clock := simkit.NewClock(t0)
	so := paygentsim.Options{Clock: clock}
	m := paygentsim.Merchant{ID: merchantID, ConnectID: connectID, ConnectPassword: connectPW}
	for _, o := range opts {
		o(&so, &m)
	}
	sim, err := paygentsim.Start(so)
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	sim.AddMerchant(m)
	certPEM, keyPEM, err := sim.PKI().IssueClient(paygentsim.ClientSpec{CommonName: certCN})
	require.NoError(t, err)
	f := &fixture{sim: sim, clock: clock, certPEM: certPEM, keyPEM: keyPEM}
	f.client = f.newClient(t, nil)
	return f
}

// config is a working configuration for the fixture's simulator.
func (f *fixture) config() paygent.Config {
	return paygent.Config{Host: f.sim.URL(), MerchantID: merchantID, ConnectID: connectID, ConnectPassword: connectPW,
		ClientCertPEM: f.certPEM, ClientKeyPEM: f.keyPEM, RootCAs: f.sim.PKI().RootCAs(), Timeout: 3 * time.Second}
}

func (f *fixture) newClient(t *testing.T, mutate func(*paygent.Config)) *paygent.Client {
	t.Helper()
	cfg := f.config()
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := paygent.New(cfg)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

var cardStates = map[string]backend.PaymentState{"20": backend.StateAuthorized, "40": backend.StateCaptured,
	"32": backend.StateVoided, "60": backend.StateRefunded, "33": backend.StateExpired}

// card seeds a card payment and returns the app's view of it.
func (f *fixture) card(t *testing.T, tradingID string, amount int64, status string, auth, sales time.Time, last4 ...string) *backend.Payment {
	t.Helper()
	spec := paygentsim.CardSpec{MerchantID: merchantID, TradingID: tradingID, Amount: amount, Status: status, AuthDate: auth, SalesDate: sales}
	if len(last4) > 0 {
		spec.CardLast4 = last4[0]
	}
	id, err := f.sim.AddCardPayment(spec)
	require.NoError(t, err)
	p := &backend.Payment{Gateway: backend.GatewayPaygent, Method: backend.MethodCard, GatewayOrderID: tradingID, GatewayTranID: id,
		State: cardStates[status], AmountAuthorized: backend.Yen(amount), AuthorizedAt: auth}
	if status == "40" || status == "60" {
		p.AmountCaptured, p.CapturedAt = backend.Yen(amount), sales
	}
	return p
}

func code(err error) string { return backend.ErrorCode(err) }

func class(err error) backend.ErrorClass { return backend.ErrorClassOf(err) }

func ja(err error) string { return backend.ErrorMessage(err, "ja") }
