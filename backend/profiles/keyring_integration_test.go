//go:build keyring_integration

package profiles

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/vault"
)

// Through the app's own profile service, against the real Secret Service
// (build/scripts/keyring-test.sh runs it under a private D-Bus with gnome-keyring).
func TestKeyringProfileSecretsRoundTrip(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(t.TempDir() + "/kd.db")
	require.NoError(t, err)
	defer store.Close()
	sim, err := gmosim.Start(gmosim.Options{})
	require.NoError(t, err)
	defer sim.Close()
	sim.AddShop("tshopkr01", "KeyRing123")

	kc := &vault.Sealed{Keychain: vault.Keyring{Service: "Kessai Desk integration test"}, Dir: t.TempDir()}
	svc := &Service{Store: store, Vault: kc, Gateways: &gateways.Factory{Vault: kc}}
	p, err := svc.Save(ctx, Input{Name: "GMO-PG テスト", Kind: backend.GatewayGMO, Environment: backend.EnvTest, Host: sim.URL(),
		MerchantID: "tshopkr01", Methods: []backend.PaymentMethod{backend.MethodCard},
		Secrets: map[string]string{backend.SecretShopPass: "KeyRing123"}})
	require.NoError(t, err)

	got, err := vault.Keyring{Service: "Kessai Desk integration test"}.Get(backend.SecretKey(p.ID, backend.SecretShopPass))
	require.NoError(t, err)
	assert.Equal(t, "KeyRing123", got, "stored in the real keychain")
	res, err := svc.Test(ctx, p.ID)
	require.NoError(t, err)
	assert.True(t, res.OK, res.Message)

	require.NoError(t, svc.Delete(ctx, p.ID))
	_, err = vault.Keyring{Service: "Kessai Desk integration test"}.Get(backend.SecretKey(p.ID, backend.SecretShopPass))
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err), "deleted with the profile")
}
