package gateways

import (
	"context"
	"encoding/pem"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/sbps/sbpssim"
	"kessaidesk/backend/vault"
)

// tlsFront serves a simulator over HTTPS with a certificate of its own CA (a test host
// whose CA is not public), and returns its URL and that CA in PEM.
func tlsFront(t *testing.T, simURL string) (string, string) {
	u, err := url.Parse(simURL)
	require.NoError(t, err)
	srv := httptest.NewTLSServer(httputil.NewSingleHostReverseProxy(u))
	t.Cleanup(srv.Close)
	return srv.URL, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
}

// A GMO or SBPS profile may name its host's server CA, as a Paygent one can: the
// certificate is verified against the system roots plus that CA, never skipped.
func TestAProfileNamesItsHostsServerCA(t *testing.T) {
	gsim, err := gmosim.Start(gmosim.Options{})
	require.NoError(t, err)
	defer gsim.Close()
	gsim.AddShop("tshop00000001", "pass1234")
	ssim, err := sbpssim.Start(sbpssim.Options{})
	require.NoError(t, err)
	defer ssim.Close()
	ssim.AddMerchant(sbpssim.Merchant{MerchantID: "30132", ServiceID: "002", HashKey: "c48e0e6bdbb6f1b0f0b3b5e7a8a9b4d1a2c3d4e5"})

	for _, c := range []struct {
		profile *backend.GatewayProfile
		sim     string
		secret  string
		payment *backend.Payment
	}{
		{&backend.GatewayProfile{ID: 1, Name: "GMO テスト", Kind: backend.GatewayGMO, Environment: backend.EnvTest, MerchantID: "tshop00000001"},
			gsim.URL(), backend.SecretShopPass, &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "KD-NONE-1"}},
		{&backend.GatewayProfile{ID: 2, Name: "SBPS テスト", Kind: backend.GatewaySBPS, Environment: backend.EnvTest, MerchantID: "30132", SubID: "002"},
			ssim.URL(), backend.SecretHashKey, &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "KD-NONE-2", GatewayTranID: "SPS0001"}},
	} {
		host, ca := tlsFront(t, c.sim)
		c.profile.Host = host
		v := vault.NewMemory()
		require.NoError(t, v.Set(backend.SecretKey(c.profile.ID, c.secret), map[string]string{
			backend.SecretShopPass: "pass1234", backend.SecretHashKey: "c48e0e6bdbb6f1b0f0b3b5e7a8a9b4d1a2c3d4e5"}[c.secret]))

		gw, err := (&Factory{Vault: v}).Gateway(context.Background(), c.profile)
		require.NoError(t, err)
		_, err = gw.Inquire(context.Background(), c.payment)
		require.Error(t, err, "%s: a certificate of an unknown CA is refused", c.profile.Name)
		assert.Equal(t, backend.ClassNotSent, backend.ErrorClassOf(err), "%s: %v", c.profile.Name, err)

		require.NoError(t, v.Set(backend.SecretKey(c.profile.ID, backend.SecretCACert), ca))
		gw, err = (&Factory{Vault: v}).Gateway(context.Background(), c.profile)
		require.NoError(t, err)
		_, err = gw.Inquire(context.Background(), c.payment)
		t.Logf("%s with its CA: %v", c.profile.Name, err)
		// The gateway itself answers now: the order is not there.
		assert.NotEqual(t, backend.ClassNotSent, backend.ErrorClassOf(err), "%s: %v", c.profile.Name, err)
	}
}
