package profiles

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/sbps/sbpssim"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/vault"
)

type fixture struct {
	svc   *Service
	store *sqlite.DB
	vault *vault.Memory
	sim   *gmosim.Sim
}

func setup(t *testing.T) *fixture {
	t.Helper()
	store, err := sqlite.Open(t.TempDir() + "/kd.db")
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	sim, err := gmosim.Start(gmosim.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	sim.AddShop("tshop0001", "pw12345678")
	v := vault.NewMemory()
	return &fixture{svc: &Service{Store: store, Vault: v, Gateways: &gateways.Factory{Vault: v}}, store: store, vault: v, sim: sim}
}

func (f *fixture) gmoInput(pass string) Input {
	return Input{Name: "GMO-PG テスト", Kind: backend.GatewayGMO, Environment: backend.EnvTest, Host: f.sim.URL(),
		MerchantID: "tshop0001", Methods: []backend.PaymentMethod{backend.MethodCard},
		Secrets: map[string]string{backend.SecretShopPass: pass}}
}

func TestSaveKeepsSecretsOnlyInTheVault(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p, err := f.svc.Save(ctx, f.gmoInput("pw12345678"))
	require.NoError(t, err)
	assert.Equal(t, 90, p.AuthExpiryDays, "the GMO default")
	v, err := f.vault.Get(backend.SecretKey(p.ID, backend.SecretShopPass))
	require.NoError(t, err)
	assert.Equal(t, "pw12345678", v)
	assert.True(t, f.svc.HasSecret(p.ID, backend.SecretShopPass))

	// Editing without retyping the password keeps it.
	in := f.gmoInput("")
	in.ID, in.Name = p.ID, "GMO-PG 本番前テスト"
	_, err = f.svc.Save(ctx, in)
	require.NoError(t, err)
	v, _ = f.vault.Get(backend.SecretKey(p.ID, backend.SecretShopPass))
	assert.Equal(t, "pw12345678", v)
}

func TestBadInputSavesNothing(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	cases := map[string]func(in *Input){
		"empty name":        func(in *Input) { in.Name = " " },
		"no gateway":        func(in *Input) { in.Kind = "" },
		"malformed host":    func(in *Input) { in.Host = "pt01.mul-pay.jp/payment" },
		"plain http remote": func(in *Input) { in.Host = "http://pt01.mul-pay.jp" },
		"bad shop id":       func(in *Input) { in.MerchantID = "ショップ" },
		"no password":       func(in *Input) { in.Secrets = nil },
		"bad password":      func(in *Input) { in.Secrets[backend.SecretShopPass] = "has space" },
		"no method":         func(in *Input) { in.Methods = nil },
		"foreign secret":    func(in *Input) { in.Secrets[backend.SecretHashKey] = "x" },
		"expiry too long":   func(in *Input) { in.AuthExpiryDays = 400 },
		"SBPS service id": func(in *Input) {
			in.Kind, in.MerchantID, in.SubID = backend.GatewaySBPS, "12345", "01"
			in.Secrets = map[string]string{backend.SecretHashKey: "k"}
		},
		"SBPS 3DES key without IV": func(in *Input) {
			in.Kind, in.MerchantID, in.SubID = backend.GatewaySBPS, "12345", "001"
			in.Secrets = map[string]string{backend.SecretHashKey: "k", backend.SecretCipherKey: "123456789012345678901234"}
		},
		"SBPS 3DES key too short": func(in *Input) {
			in.Kind, in.MerchantID, in.SubID = backend.GatewaySBPS, "12345", "001"
			in.Secrets = map[string]string{backend.SecretHashKey: "k", backend.SecretCipherKey: "short", backend.SecretCipherIV: "12345678"}
		},
		"unreadable cert": func(in *Input) {
			in.Kind, in.MerchantID, in.SubID = backend.GatewayPaygent, "12345", "conn01"
			in.Secrets = map[string]string{backend.SecretConnectPassword: "pw", backend.SecretClientCert: "-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----\n"}
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			in := f.gmoInput("pw12345678")
			mutate(&in)
			_, err := f.svc.Save(ctx, in)
			require.Error(t, err)
			assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
			msg := backend.ErrorMessage(err, "ja")
			assert.Regexp(t, `[ぁ-んァ-ン一-龥]`, msg, "a Japanese message")
			assert.NotRegexp(t, `[ぁ-んァ-ン一-龥]`, backend.ErrorMessage(err, "en"), "and an English one")
			ps, err := f.store.Profiles(ctx)
			require.NoError(t, err)
			assert.Empty(t, ps, "no profile saved")
			assert.Empty(t, f.vault.Keys(), "no secret saved")
		})
	}
}

// Every secret has its name in English for an English form.
func TestSecretsAreNamedInBothLanguages(t *testing.T) {
	for _, k := range Kinds {
		for _, sp := range Secrets(k) {
			assert.Regexp(t, `[ぁ-んァ-ン一-龥]`, sp.Label, sp.Name)
			assert.NotEmpty(t, sp.LabelEn, sp.Name)
			assert.NotRegexp(t, `[ぁ-んァ-ン一-龥]`, sp.LabelEn, sp.Name)
		}
	}
}

func TestDeleteRemovesTheSecrets(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p, err := f.svc.Save(ctx, f.gmoInput("pw12345678"))
	require.NoError(t, err)
	require.NoError(t, f.svc.Delete(ctx, p.ID))
	assert.Empty(t, f.vault.Keys())
	ps, _ := f.store.Profiles(ctx)
	assert.Empty(t, ps)
}

func TestConnectionTestExplainsTheOutcome(t *testing.T) {
	f := setup(t)
	ctx := context.Background()

	ok, err := f.svc.Save(ctx, f.gmoInput("pw12345678"))
	require.NoError(t, err)
	res, err := f.svc.Test(ctx, ok.ID)
	require.NoError(t, err)
	assert.True(t, res.OK, res.Message)
	assert.Contains(t, res.Message, "接続できました")

	in := f.gmoInput("wrongpass1")
	in.Name = "パスワード違い"
	wrong, err := f.svc.Save(ctx, in)
	require.NoError(t, err)
	res, err = f.svc.Test(ctx, wrong.ID)
	require.NoError(t, err)
	assert.False(t, res.OK)
	assert.Contains(t, res.Message, "認証に失敗しました")
	assert.NotContains(t, res.Message, "wrongpass1")

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	in = f.gmoInput("pw12345678")
	in.Name, in.Host = "つながらない", "http://"+addr
	down, err := f.svc.Save(ctx, in)
	require.NoError(t, err)
	res, err = f.svc.Test(ctx, down.ID)
	require.NoError(t, err)
	assert.False(t, res.OK)
	assert.True(t, strings.Contains(res.Message, "接続"), res.Message)
}

func TestPaygentProfileWithAClientCertificate(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(t.TempDir() + "/kd.db")
	require.NoError(t, err)
	defer store.Close()
	sim, err := paygentsim.Start(paygentsim.Options{})
	require.NoError(t, err)
	defer sim.Close()
	sim.AddMerchant(paygentsim.Merchant{ID: "12345", ConnectID: "shopconn", ConnectPassword: "ConnPass99", CertCN: "12345"})
	certPEM, keyPEM, err := sim.PKI().IssueClient(paygentsim.ClientSpec{CommonName: "12345"})
	require.NoError(t, err)

	v := vault.NewMemory()
	// Certificates are large: the vault seals them in a file, the keychain keeps the key.
	sealed := &vault.Sealed{Keychain: v, Dir: t.TempDir()}
	svc := &Service{Store: store, Vault: sealed, Gateways: &gateways.Factory{Vault: sealed, RootCAs: sim.PKI().RootCAs()}}
	in := Input{Name: "ペイジェント テスト", Kind: backend.GatewayPaygent, Environment: backend.EnvTest, Host: sim.URL(),
		MerchantID: "12345", SubID: "shopconn", Methods: []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini},
		Secrets: map[string]string{backend.SecretConnectPassword: "ConnPass99", backend.SecretClientCert: string(certPEM) + string(keyPEM)}}
	p, err := svc.Save(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, 60, p.AuthExpiryDays, "the Paygent default")
	res, err := svc.Test(ctx, p.ID)
	require.NoError(t, err)
	assert.True(t, res.OK, res.Message)

	// A certificate from another CA is rejected by the gateway, with a clear message.
	other, err := paygentsim.NewPKI("another CA")
	require.NoError(t, err)
	c2, k2, err := other.IssueClient(paygentsim.ClientSpec{CommonName: "12345"})
	require.NoError(t, err)
	in.ID, in.Secrets = p.ID, map[string]string{backend.SecretClientCert: string(c2) + string(k2)}
	_, err = svc.Save(ctx, in)
	require.NoError(t, err)
	res, err = svc.Test(ctx, p.ID)
	require.NoError(t, err)
	assert.False(t, res.OK)
	assert.Contains(t, res.Message, "証明書")
	assert.NotContains(t, res.Message, "ConnPass99")

	// A certificate without its key is refused before anything is saved.
	in.Secrets = map[string]string{backend.SecretClientCert: string(certPEM)}
	_, err = svc.Save(ctx, in)
	require.Error(t, err)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
}

func TestSBPSProfileConnectionTest(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(t.TempDir() + "/kd.db")
	require.NoError(t, err)
	defer store.Close()
	sim, err := sbpssim.Start(sbpssim.Options{})
	require.NoError(t, err)
	defer sim.Close()
	const key = "9b1d5e7f3a2c4b6d8e0f1a3b5c7d9e1f2a4b6c8d"
	sim.AddMerchant(sbpssim.Merchant{MerchantID: "54321", ServiceID: "001", HashKey: key})
	v := vault.NewMemory()
	svc := &Service{Store: store, Vault: v, Gateways: &gateways.Factory{Vault: v}}
	in := Input{Name: "SBPS 接続テスト環境", Kind: backend.GatewaySBPS, Environment: backend.EnvTest, Host: sim.URL(),
		MerchantID: "54321", SubID: "001", Methods: []backend.PaymentMethod{backend.MethodCard},
		Secrets: map[string]string{backend.SecretHashKey: key}}
	p, err := svc.Save(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, 60, p.AuthExpiryDays, "the SBPS default")
	res, err := svc.Test(ctx, p.ID)
	require.NoError(t, err)
	assert.True(t, res.OK, res.Message)

	// A wrong hash key fails SBPS's Basic authentication: said so, the key never quoted.
	in.ID, in.Secrets = p.ID, map[string]string{backend.SecretHashKey: "wrongwrongwrongwrongwrongwrongwrongwrong"}
	_, err = svc.Save(ctx, in)
	require.NoError(t, err)
	res, err = svc.Test(ctx, p.ID)
	require.NoError(t, err)
	assert.False(t, res.OK)
	assert.Contains(t, res.Message, "認証に失敗しました")
	assert.NotContains(t, res.Message, "wrongwrong")

	// The 3DES pair can be added later, one half at a time only when the other is stored.
	in.Secrets = map[string]string{backend.SecretHashKey: key, backend.SecretCipherKey: "abcdefghijklmnopqrstuvwx", backend.SecretCipherIV: "12345678"}
	_, err = svc.Save(ctx, in)
	require.NoError(t, err)
	in.Secrets = map[string]string{backend.SecretCipherIV: "87654321"}
	_, err = svc.Save(ctx, in)
	require.NoError(t, err)
	require.NoError(t, svc.Delete(ctx, p.ID))
	assert.Empty(t, v.Keys(), "every SBPS secret deleted with the profile")
}

func TestTheLinkRuleIsSavedAndChecked(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	in := f.gmoInput("pw12345678")
	in.LinkRule = backend.LinkRule{Prefix: " wc_ ", RetrySuffixes: true}
	p, err := f.svc.Save(ctx, in)
	require.NoError(t, err)
	stored, err := f.store.ProfileByID(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkRule{Prefix: "wc_", RetrySuffixes: true}, stored.LinkRule)
	assert.Equal(t, []string{"wc_100", "wc_100-1"}, stored.LinkRule.GatewayIDs("100")[:2])

	for name, rule := range map[string]backend.LinkRule{
		"not an id character":        {Prefix: "注文"},
		"too long":                   {Suffix: "abcdefghijklmnopqrstu"},
		"timestamp and re-payment":   {Timestamped: true, RetrySuffixes: true},
		"timestamp and a prefix too": {Timestamped: true, Prefix: "x"},
	} {
		bad := f.gmoInput("pw12345678")
		bad.Name, bad.LinkRule = "別の設定 "+name, rule
		_, err := f.svc.Save(ctx, bad)
		assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), name)
	}
	ps, err := f.store.Profiles(ctx)
	require.NoError(t, err)
	assert.Len(t, ps, 1, "a refused rule saves nothing")
}

// A connection test that gets a 500 or no answer says that the test changed nothing —
// never "it will be checked whether it was processed".
func TestConnectionTestServerErrorSaysNothingChanged(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p, err := f.svc.Save(ctx, f.gmoInput("pw12345678"))
	require.NoError(t, err)
	f.sim.Server.Faults.Next("", 1, simkit.Fault{Kind: simkit.Fault500})
	res, err := f.svc.Test(ctx, p.ID)
	require.NoError(t, err)
	assert.False(t, res.OK)
	assert.Contains(t, res.Message, "何も変更しない")
	assert.NotContains(t, res.Message, "確認します")
	assert.Contains(t, res.MessageEn, "changes nothing")
}

// brokenVault is a keychain that cannot be used (locked, no service).
type brokenVault struct{ backend.Vault }

func (brokenVault) Get(string) (string, error) {
	return "", backend.Errorf(backend.ECREDENTIAL, "OSのキーチェーンを使えません", "the keychain is not available")
}
func (brokenVault) Delete(string) error {
	return backend.Errorf(backend.ECREDENTIAL, "OSのキーチェーンを使えません", "the keychain is not available")
}

// Deleting a profile is all or nothing: with the keychain unavailable, the profile
// stays (no secret is orphaned); a profile that payments use keeps its secrets.
func TestDeleteIsAllOrNothing(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p, err := f.svc.Save(ctx, f.gmoInput("pw12345678"))
	require.NoError(t, err)

	broken := &Service{Store: f.store, Vault: brokenVault{f.vault}, Gateways: f.svc.Gateways}
	require.Error(t, broken.Delete(ctx, p.ID))
	_, err = f.store.ProfileByID(ctx, p.ID)
	require.NoError(t, err, "the profile stays")
	v, err := f.vault.Get(backend.SecretKey(p.ID, backend.SecretShopPass))
	require.NoError(t, err)
	assert.Equal(t, "pw12345678", v)

	require.NoError(t, f.svc.Delete(ctx, p.ID))
	_, err = f.vault.Get(backend.SecretKey(p.ID, backend.SecretShopPass))
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
}
