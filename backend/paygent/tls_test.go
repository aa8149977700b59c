package paygent_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
)

// The simulator refuses a TLS connection without a client certificate.
func TestSimulatorRequiresAClientCertificate(t *testing.T) {
	f := setup(t)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: f.sim.PKI().RootCAs()}}}
	defer hc.CloseIdleConnections()
	_, err := hc.Post(f.sim.URL()+paygent.PathFor(paygent.KindPaymentInquiry), "application/x-www-form-urlencoded", strings.NewReader("telegram_kind=094"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "remote error: tls:")
	assert.Empty(t, f.sim.Server.Log.Entries(), "nothing reached the protocol")
}

// A certificate from another CA (the Go client then offers none: the server asks for
// certificates of its own CA only) is refused in the handshake: a credential error in
// Japanese, provably not processed.
func TestClientCertificateFromTheWrongCA(t *testing.T) {
	for _, tls13 := range []bool{false, true} {
		name := "TLS1.2"
		if tls13 {
			name = "TLS1.3"
		}
		t.Run(name, func(t *testing.T) {
			f := setup(t, func(o *paygentsim.Options, _ *paygentsim.Merchant) { o.TLS13 = tls13 })
			other, err := paygentsim.NewPKI("Other CA")
			require.NoError(t, err)
			cert, key, err := other.IssueClient(paygentsim.ClientSpec{CommonName: certCN})
			require.NoError(t, err)
			c := f.newClient(t, func(c *paygent.Config) { c.ClientCertPEM, c.ClientKeyPEM = cert, key })
			p := f.card(t, "KD_TLS", 1000, "20", t0, t0)
			for range 5 { // the TLS 1.3 refusal arrives after the request is written: check it is stable
				_, err = c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
				require.Error(t, err)
				assert.Equal(t, backend.ECREDENTIAL, code(err), ja(err))
				assert.Equal(t, backend.ClassAuthFailed, class(err))
				assert.Contains(t, ja(err), "ペイジェントがクライアント証明書を受け付けませんでした")
			}
			assert.Error(t, c.Ping(context.Background()))
			assert.Empty(t, f.sim.Server.Log.Entries())
			got, _ := f.sim.Payment(p.GatewayTranID)
			assert.Equal(t, "20", got.Status)
		})
	}
}

// An untrusted server certificate (the simulator's CA is not given) stops the client
// before it sends anything.
func TestServerCertificateNotTrusted(t *testing.T) {
	f := setup(t)
	c := f.newClient(t, func(c *paygent.Config) { c.RootCAs = nil }) // system roots
	err := c.Ping(context.Background())
	require.Error(t, err)
	assert.Equal(t, backend.ClassNotSent, class(err))
	assert.Contains(t, ja(err), "サーバー証明書を確認できない")
	assert.Empty(t, f.sim.Server.Log.Entries())
}

// A valid certificate of the simulator's CA that belongs to another merchant: P016.
func TestCertificateOfAnotherMerchant(t *testing.T) {
	f := setup(t, func(_ *paygentsim.Options, m *paygentsim.Merchant) { m.CertCN = certCN })
	cert, key, err := f.sim.PKI().IssueClient(paygentsim.ClientSpec{CommonName: "ANOTHER SHOP"})
	require.NoError(t, err)
	c := f.newClient(t, func(c *paygent.Config) { c.ClientCertPEM, c.ClientKeyPEM = cert, key })
	err = c.Ping(context.Background())
	assert.Equal(t, backend.ClassAuthFailed, class(err))
	assert.Contains(t, ja(err), "クライアント証明書がこの加盟店のものとして認められませんでした")
	assert.Contains(t, ja(err), "P016")
	assert.NoError(t, f.client.Ping(context.Background()), "the merchant's own certificate works")
}

// Paygent rejects callers by source IP (P015): the connection test explains it.
func TestSourceIPNotRegistered(t *testing.T) {
	f := setup(t, func(_ *paygentsim.Options, m *paygentsim.Merchant) { m.AllowedIPs = []string{"192.0.2.10"} })
	err := f.client.Ping(context.Background())
	require.Error(t, err)
	assert.Equal(t, backend.ECREDENTIAL, code(err))
	assert.Contains(t, ja(err), "接続元IPアドレスはペイジェントに登録されていません")
	assert.Contains(t, ja(err), "P015")
}
