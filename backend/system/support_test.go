package system

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/logging"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/profiles"
	"kessaidesk/backend/vault"
)

const (
	canary          = "CANARY-SECRET-123"
	canaryShopPass  = "CANARY9876"
	canaryCipherKey = "CANARY-SECRET-3DES-KEY24"
)

// A full run — the demo shop's captures, cancels, a bulk run and a sync, plus profiles
// whose secrets are canaries tested against the sandbox's simulators — leaves a log
// that says what happened and holds no secret, and so does the support bundle.
func TestNoSecretInTheLogOrTheSupportBundleAfterAFullRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sys, err := Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory(), Demo: true, DemoCount: 60, Version: "v9.9.9-test", Mode: "test"})
	require.NoError(t, err)
	defer sys.Close()
	require.NoError(t, sys.SetLogLevel(ctx, "debug")) // the most the log ever says

	// Profiles with canary secrets pointing at the sandbox's simulators: the requests
	// carry the canaries (ShopPass in the form, the SBPS hash key in the hash and the
	// Basic password), the simulators refuse them, the log records the refusals.
	secrets := []string{canary, canaryShopPass, canaryCipherKey, "CANARYIV"}
	for _, kind := range []backend.GatewayKind{backend.GatewayGMO, backend.GatewaySBPS} {
		acct, ok := sys.Sandbox.Account(kind)
		require.True(t, ok)
		secrets = append(secrets, acct.Secret) // the demo's own secrets are secrets too
		in := profiles.Input{Name: "canary " + string(kind), Kind: kind, Environment: backend.EnvTest, Host: acct.URL,
			MerchantID: acct.MerchantID, SubID: acct.SubID, Methods: []backend.PaymentMethod{backend.MethodCard}}
		if kind == backend.GatewayGMO {
			in.Secrets = map[string]string{backend.SecretShopPass: canaryShopPass} // at most 10 letters and digits
		} else {
			in.Secrets = map[string]string{backend.SecretHashKey: canary, backend.SecretBasicPassword: canary + "-BASIC",
				backend.SecretCipherKey: canaryCipherKey, backend.SecretCipherIV: "CANARYIV"}
		}
		p, err := sys.Profiles.Save(ctx, in)
		require.NoError(t, err, kind)
		res, err := sys.Profiles.Test(ctx, p.ID)
		if err == nil {
			assert.False(t, res.OK, "the simulator refuses the canary credentials")
		}
	}
	if acct, ok := sys.Sandbox.Account(backend.GatewayPaygent); ok {
		secrets = append(secrets, acct.Secret)
	}

	authorised, err := sys.Store.FindOrders(ctx, backend.OrderFilter{PaymentStates: []backend.PaymentState{backend.StateAuthorized}, Limit: 12})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(authorised.Rows), 4)
	rows := authorised.Rows
	_, err = sys.Engine.Capture(ctx, payment.Request{PaymentID: rows[0].PaymentID, Operator: "店長"})
	require.NoError(t, err)
	_, err = sys.Engine.Run(ctx, payment.Request{PaymentID: rows[1].PaymentID, Intent: payment.IntentCancel, Operator: "店長"})
	require.NoError(t, err)
	var ids []int64
	for _, r := range rows[2:] {
		ids = append(ids, r.PaymentID)
	}
	_, _, err = sys.Bulk.Run(ctx, payment.IntentCapture, payment.Params{}, ids, "店長")
	require.NoError(t, err)
	_, err = sys.Syncer.RunOnce(ctx)
	require.NoError(t, err)

	p, err := sys.Store.PaymentByID(ctx, rows[0].PaymentID)
	require.NoError(t, err)
	var bundle bytes.Buffer
	names, err := sys.SupportBundle(ctx, &bundle, sys.Build())
	require.NoError(t, err)
	require.NoError(t, sys.Close())

	// The log files, byte for byte.
	logs, err := filepath.Glob(filepath.Join(dir, logging.Dir, "*"))
	require.NoError(t, err)
	require.NotEmpty(t, logs)
	var all []byte
	for _, p := range logs {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		all = append(all, b...)
	}
	for _, s := range secrets {
		require.NotEmpty(t, s)
		assert.False(t, bytes.Contains(all, []byte(s)), "a secret (%d bytes) is in the log", len(s))
	}
	text := string(all)
	for _, want := range []string{`"msg":"start"`, `"version":"v9.9.9-test"`, `"msg":"gateway exchange"`, `"op":"AlterTran"`,
		`"msg":"bulk run ended"`, `"msg":"sync run"`, `"msg":"stop"`, `"level":"WARN"`} {
		assert.Contains(t, text, want)
	}
	assert.GreaterOrEqual(t, strings.Count(text, `"order":"`+p.GatewayOrderID+`"`), 2,
		"the capture's exchange and the sync's inquiry name the order they were for")
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
	}

	// The bundle: every byte of it, and each file inflated.
	for _, s := range secrets {
		assert.False(t, bytes.Contains(bundle.Bytes(), []byte(s)), "a secret is in the bundle's bytes")
	}
	zr, err := zip.NewReader(bytes.NewReader(bundle.Bytes()), int64(bundle.Len()))
	require.NoError(t, err)
	var inZip []string
	files := map[string][]byte{}
	for _, f := range zr.File {
		inZip = append(inZip, f.Name)
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		files[f.Name] = b
		for _, s := range secrets {
			assert.False(t, bytes.Contains(b, []byte(s)), "a secret is in %s", f.Name)
		}
	}
	assert.Equal(t, names, inZip)
	assert.Contains(t, inZip, "about.json")
	assert.Contains(t, inZip, "logs/kessaidesk.log")
	assert.Equal(t, "manifest.txt", inZip[len(inZip)-1])
	for _, n := range inZip[:len(inZip)-1] {
		assert.Contains(t, string(files["manifest.txt"]), n, "the manifest lists what the bundle holds")
	}
	var about About
	require.NoError(t, json.Unmarshal(files["about.json"], &about))
	assert.Equal(t, "v9.9.9-test", about.Version)
	assert.EqualValues(t, 60, about.Counts["orders"])
	assert.NotZero(t, about.States["operations"]["done"]+about.States["operations"]["succeeded"])
	assert.NotEmpty(t, about.Schema)
	assert.Equal(t, "local", about.DatabaseMode)
	assert.Len(t, about.Profiles, 5, "three demo profiles and the two canary ones, by kind only")
	assert.NotContains(t, string(files["about.json"]), rows[0].OrderNo, "no order contents")
}

func TestLogLevelIsASettingKeptForTheNextStart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sys, err := Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory()})
	require.NoError(t, err)
	assert.Equal(t, "info", sys.LogLevel())
	err = sys.SetLogLevel(ctx, "loud")
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.Equal(t, "info", sys.LogLevel(), "bad input changes nothing")
	require.NoError(t, sys.SetLogLevel(ctx, "warn"))
	sys.Log.Info("not written at warn")
	require.NoError(t, sys.Close())

	sys, err = Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory()})
	require.NoError(t, err)
	assert.Equal(t, "warn", sys.LogLevel())
	require.NoError(t, sys.Close())
	b, err := os.ReadFile(filepath.Join(dir, logging.Dir, logging.File))
	require.NoError(t, err)
	assert.NotContains(t, string(b), "not written at warn")
}
