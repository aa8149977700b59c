package sandbox_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/gwhttp"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/profiles"
	"kessaidesk/backend/sandbox"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/vault"
)

func start(t *testing.T, dir string) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.Start(dir, nil)
	require.NoError(t, err)
	t.Cleanup(func() { sb.Close() })
	return sb
}

func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "kessaidesk.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// The demo shop spreads its card payments over the three simulators, and a client
// built by the factory for each demo profile finds every payment in the state the
// order shows, over HTTP(S).
func TestDemoProfilesReachEverySimulator(t *testing.T) {
	ctx := context.Background()
	sb := start(t, t.TempDir())
	db := openStore(t)
	profs, err := sb.Seed(ctx, db, 300, time.Now())
	require.NoError(t, err)
	require.Len(t, profs, 3)
	assert.Equal(t, sandbox.DemoProfileName, profs[0].Name)
	assert.Equal(t, []backend.GatewayKind{backend.GatewayGMO, backend.GatewaySBPS, backend.GatewayPaygent},
		[]backend.GatewayKind{profs[0].Kind, profs[1].Kind, profs[2].Kind})

	f := &gateways.Factory{Sandbox: sb, Timeout: 5 * time.Second}
	for _, prof := range profs {
		assert.True(t, prof.Demo)
		ps, err := db.FindPayments(ctx, backend.PaymentFilter{ProfileID: prof.ID})
		require.NoError(t, err)
		states := map[backend.PaymentState]int{}
		for _, p := range ps {
			states[p.State]++
		}
		assert.NotZero(t, states[backend.StateAuthorized], "%s has 仮売上 orders", prof.Name)
		assert.NotZero(t, states[backend.StateCaptured], "%s has 実売上 orders", prof.Name)
		if prof.Kind != backend.GatewayGMO {
			assert.Less(t, len(ps), 60, "%s: most payments stay on GMO-PG", prof.Name)
		} else {
			assert.Greater(t, len(ps), 120)
		}

		gw, err := f.Gateway(ctx, prof)
		require.NoError(t, err)
		assert.Equal(t, prof.Kind, gw.Kind())
		for i, p := range ps {
			if prof.Kind == backend.GatewayGMO && i%10 != 0 {
				continue // every SBPS and Paygent payment, a tenth of GMO's
			}
			v, err := gw.Inquire(ctx, p)
			require.NoError(t, err, "%s %s", prof.Name, p.GatewayOrderID)
			require.True(t, v.Found, p.GatewayOrderID)
			want := p.State
			switch want {
			case backend.StateCaptureFailed, backend.StateNeedsReview:
				want = backend.StateAuthorized // the authorisation is still open at the gateway
			case backend.StateReserved:
				continue
			}
			assert.Equal(t, want, v.State, "%s %s", prof.Name, p.GatewayOrderID)
		}
	}

	// The demo shop is the same on every install: same orders, same spread.
	other := start(t, t.TempDir())
	db2 := openStore(t)
	profs2, err := other.Seed(ctx, db2, 300, time.Now())
	require.NoError(t, err)
	for i := range profs {
		a, err := db.FindPayments(ctx, backend.PaymentFilter{ProfileID: profs[i].ID})
		require.NoError(t, err)
		b, err := db2.FindPayments(ctx, backend.PaymentFilter{ProfileID: profs2[i].ID})
		require.NoError(t, err)
		require.Equal(t, len(a), len(b))
		for j := range a {
			assert.Equal(t, a[j].GatewayOrderID, b[j].GatewayOrderID)
		}
	}
}

// Credentials, the Paygent CA and client certificate, and the ports stay the same
// across restarts, so a profile made against `kessaidesk sandbox` keeps working.
func TestCredentialsAndPortsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	sb, err := sandbox.Start(dir, nil)
	require.NoError(t, err)
	first := sb.Info()
	cert, err := os.ReadFile(first.Paygent.ClientCertFile)
	require.NoError(t, err)
	require.NoError(t, sb.Close())

	again := start(t, dir)
	second := again.Info()
	assert.Equal(t, first, second)
	cert2, err := os.ReadFile(second.Paygent.ClientCertFile)
	require.NoError(t, err)
	assert.Equal(t, cert, cert2, "the client certificate is kept")
	// …and still works with the restarted simulator, whose CA is the one in the file.
	ca, err := os.ReadFile(second.Paygent.CAFile)
	require.NoError(t, err)
	roots, err := gwhttp.RootPool(ca)
	require.NoError(t, err)
	c, err := paygent.New(paygent.Config{Host: second.Paygent.URL, MerchantID: second.Paygent.MerchantID, ConnectID: second.Paygent.ConnectID,
		ConnectPassword: second.Paygent.ConnectPassword, ClientCertPEM: cert, RootCAs: roots, Timeout: 5 * time.Second})
	require.NoError(t, err)
	require.NoError(t, c.Ping(context.Background()))
	assert.Contains(t, first.Paygent.URL, "https://127.0.0.1:")
	assert.Contains(t, first.SBPS.URL, "http://127.0.0.1:")
	assert.Contains(t, first.GMO.URL, "http://127.0.0.1:")
	assert.Len(t, first.GMO.ShopPass, 10)
	assert.Len(t, first.SBPS.HashKey, 40)

	conf, err := os.ReadFile(filepath.Join(dir, sandbox.ConfigFile))
	require.NoError(t, err)
	assert.Contains(t, string(conf), "デモ専用")
	if runtime.GOOS != "windows" {
		for _, name := range []string{sandbox.ConfigFile, sandbox.PaygentClientFile} {
			st, err := os.Stat(filepath.Join(dir, name))
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), name)
		}
	}
}

// Profiles made the way an operator makes a real shop's — through the profile form,
// with the hosts, ids and secrets `kessaidesk sandbox` prints, and for Paygent the
// client certificate and server CA files it writes — pass the 接続テスト.
func TestRealProfilesAgainstTheSandboxPassTheConnectionTest(t *testing.T) {
	ctx := context.Background()
	sb := start(t, t.TempDir())
	in := sb.Info()
	cert, err := os.ReadFile(in.Paygent.ClientCertFile)
	require.NoError(t, err)
	ca, err := os.ReadFile(in.Paygent.CAFile)
	require.NoError(t, err)

	kc := vault.NewMemory()
	svc := &profiles.Service{Store: openStore(t), Vault: kc, Gateways: &gateways.Factory{Vault: kc, Timeout: 5 * time.Second}}
	card := []backend.PaymentMethod{backend.MethodCard}
	inputs := []profiles.Input{
		{Name: "GMO-PG (サンドボックス)", Kind: backend.GatewayGMO, Environment: backend.EnvTest, Host: in.GMO.URL,
			MerchantID: in.GMO.ShopID, Methods: card, Secrets: map[string]string{backend.SecretShopPass: in.GMO.ShopPass}},
		{Name: "SBPS (サンドボックス)", Kind: backend.GatewaySBPS, Environment: backend.EnvTest, Host: in.SBPS.URL,
			MerchantID: in.SBPS.MerchantID, SubID: in.SBPS.ServiceID, Methods: card, Secrets: map[string]string{backend.SecretHashKey: in.SBPS.HashKey}},
		{Name: "ペイジェント (サンドボックス)", Kind: backend.GatewayPaygent, Environment: backend.EnvTest, Host: in.Paygent.URL,
			MerchantID: in.Paygent.MerchantID, SubID: in.Paygent.ConnectID, Methods: card,
			Secrets: map[string]string{backend.SecretConnectPassword: in.Paygent.ConnectPassword, backend.SecretClientCert: string(cert),
				backend.SecretCACert: string(ca)}},
	}
	for _, input := range inputs {
		p, err := svc.Save(ctx, input)
		require.NoError(t, err, input.Name)
		res, err := svc.Test(ctx, p.ID)
		require.NoError(t, err)
		assert.True(t, res.OK, "%s: %s", input.Name, res.Message)
	}

	// Without the server CA the simulator's certificate is not trusted: the test fails.
	noCA := inputs[2]
	noCA.Name, noCA.Secrets = "ペイジェント (CAなし)", map[string]string{backend.SecretConnectPassword: in.Paygent.ConnectPassword,
		backend.SecretClientCert: string(cert)}
	p, err := svc.Save(ctx, noCA)
	require.NoError(t, err)
	res, err := svc.Test(ctx, p.ID)
	require.NoError(t, err)
	assert.False(t, res.OK, res.Message)

	// A server CA that is not a PEM certificate is refused before anything is saved.
	bad := inputs[2]
	bad.Name, bad.Secrets = "ペイジェント (壊れたCA)", map[string]string{backend.SecretConnectPassword: "x", backend.SecretClientCert: string(cert),
		backend.SecretCACert: "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"}
	_, err = svc.Save(ctx, bad)
	require.Error(t, err)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "サーバーCA証明書")
	bad.Secrets[backend.SecretCACert] = "not pem at all"
	_, err = svc.Save(ctx, bad)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	list, err := svc.Store.Profiles(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 4, "the refused profiles were not saved")
}

// A demo profile without a running sandbox is a clear offline error, not a panic.
func TestDemoProfileWithoutSandbox(t *testing.T) {
	f := &gateways.Factory{}
	_, err := f.Gateway(context.Background(), &backend.GatewayProfile{Name: "デモ", Kind: backend.GatewaySBPS, Demo: true})
	require.Error(t, err)
	assert.Equal(t, backend.EOFFLINE, backend.ErrorCode(err))
}
