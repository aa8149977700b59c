package app

import (
	"bytes"
	"context"
	"log"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/system"
	"kessaidesk/backend/vault"
)

// A whole session with a real (simulated) gateway contract: create the profile, capture,
// cancel, sync, a connection test, then a wrong password. Afterwards neither secret may
// appear in the database files, the log, or any error string the UI received.
func TestSecretsNeverLeaveTheVault(t *testing.T) {
	const goodPass, wrongPass = "Secr3tPass", "Wr0ngPass9"
	var logBuf bytes.Buffer
	log.SetOutput(&logBuf)
	defer log.SetOutput(os.Stderr)

	dir := t.TempDir()
	keychain := vault.NewMemory()
	sys, err := system.Open(context.Background(), system.Config{DataDir: dir, Vault: keychain})
	require.NoError(t, err)
	defer sys.Close()
	b := Bind(NewServices(sys, "test"))

	sim, err := gmosim.Start(gmosim.Options{})
	require.NoError(t, err)
	defer sim.Close()
	sim.AddShop("tshop00012", goodPass)

	var uiErrors []string
	keep := func(err error) {
		if err != nil {
			uiErrors = append(uiErrors, FormatErrorForWails(err).(string))
		}
	}

	prof, err := b.Gateways.Save(ProfileInput{Name: "GMO-PG テスト環境", Kind: "gmo", Environment: "test", Host: sim.URL(),
		MerchantID: "tshop00012", Methods: []string{"card"}, Secrets: map[string]string{backend.SecretShopPass: goodPass}})
	require.NoError(t, err)
	require.True(t, prof.Secrets[0].Set)

	// Two orders whose card payments the shop's checkout authorised at the gateway.
	ctx := context.Background()
	var payIDs []int64
	for i, no := range []string{"5001", "5002"} {
		o := &backend.Order{OrderNo: no, OrderedAt: time.Now().Add(-time.Hour), CustomerName: "山田 太郎", CustomerKana: "ヤマダ タロウ",
			Email: "taro@example.jp", Tel: "090-0000-000" + no[3:], PaymentMethod: backend.MethodCard, Status: backend.OrderNew,
			Items: []backend.LineItem{{ProductCode: "T-1", ProductName: "煎茶", UnitPrice: 3000, Quantity: 1}}, Subtotal: 3000, Total: 3000}
		require.NoError(t, sys.Store.SaveOrder(ctx, o))
		id, pass, err := sim.AddCardTrade(gmosim.CardSpec{ShopID: "tshop00012", OrderID: "KD" + no, Amount: 3000})
		require.NoError(t, err)
		p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
			GatewayOrderID: "KD" + no, GatewayTranID: id, GatewayTranPass: pass, State: backend.StateAuthorized,
			AmountAuthorized: 3000, AuthorizedAt: time.Now().Add(-time.Hour), AuthExpiresAt: time.Now().AddDate(0, 0, 89)}
		require.NoError(t, sys.Store.SavePayment(ctx, p))
		payIDs = append(payIDs, p.ID)
		_ = i
	}

	_, err = b.Payments.Capture(payIDs[0], "k1")
	require.NoError(t, err)
	_, err = b.Payments.Run(payIDs[1], ActionInput{Intent: "cancel"}, "k2")
	require.NoError(t, err)
	_, err = sys.Syncer.RunOnce(ctx)
	keep(err)
	res, err := b.Gateways.Test(prof.ID)
	require.NoError(t, err)
	assert.True(t, res.OK, res.Message)

	// The operator types a wrong password: the test and an operation fail, clearly.
	in := ProfileInput{ID: prof.ID, Name: prof.Name, Kind: "gmo", Environment: "test", Host: sim.URL(), MerchantID: "tshop00012",
		Methods: []string{"card"}, Secrets: map[string]string{backend.SecretShopPass: wrongPass}}
	_, err = b.Gateways.Save(in)
	require.NoError(t, err)
	res, err = b.Gateways.Test(prof.ID)
	require.NoError(t, err)
	assert.False(t, res.OK)
	uiErrors = append(uiErrors, res.Message)
	_, err = b.Payments.Run(payIDs[0], ActionInput{Intent: "cancel"}, "k3")
	require.Error(t, err)
	keep(err)
	assert.NotEmpty(t, uiErrors)

	// Nothing holds a secret but the vault.
	require.NoError(t, sys.Store.Close()) // flush the WAL into the file too
	var files []string
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	require.NotEmpty(t, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, secret := range []string{goodPass, wrongPass} {
			assert.False(t, bytes.Contains(data, []byte(secret)), "%s contains a secret", f)
		}
	}
	for _, s := range append(uiErrors, logBuf.String()) {
		assert.NotContains(t, s, goodPass)
		assert.NotContains(t, s, wrongPass)
	}
	// …while the vault has the current one (under this folder's name in the keychain).
	v, err := sys.Vault.Get(backend.SecretKey(prof.ID, backend.SecretShopPass))
	require.NoError(t, err)
	assert.Equal(t, wrongPass, v)
}
