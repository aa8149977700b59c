package system

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/profiles"
	"kessaidesk/backend/vault"
)

func TestFreshDemoShopAgreesWithItsSandbox(t *testing.T) {
	ctx := context.Background()
	sys, err := Open(ctx, Config{DataDir: t.TempDir(), Vault: vault.NewMemory(), Demo: true, DemoCount: 300})
	require.NoError(t, err)
	defer sys.Close()
	require.NotNil(t, sys.Sandbox)

	page, err := sys.Store.FindOrders(ctx, backend.OrderFilter{Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, 300, page.Total)

	// The E2E test and the README's walkthrough search for 山田 with 仮売上.
	yamada, err := sys.Store.FindOrders(ctx, backend.OrderFilter{Name: "山田", PaymentStates: []backend.PaymentState{backend.StateAuthorized}, Limit: 5})
	require.NoError(t, err)
	assert.NotZero(t, yamada.Total, "the demo shop has a 山田 order in 仮売上")

	rep, err := sys.Syncer.RunOnce(ctx)
	require.NoError(t, err)
	assert.Empty(t, rep.Errors)
	assert.Empty(t, rep.Offline)
	assert.Zero(t, rep.Drifts, "a fresh demo shop matches the sandbox")
	assert.NotZero(t, rep.Checked)
}

func TestDemoSurvivesARestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sys, err := Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory(), Demo: true, DemoCount: 40})
	require.NoError(t, err)
	require.NoError(t, sys.Close())

	sys, err = Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory(), Demo: true, DemoCount: 40})
	require.NoError(t, err)
	defer sys.Close()
	require.NotNil(t, sys.Sandbox, "the sandbox starts again for the existing demo shop")
	page, err := sys.Store.FindOrders(ctx, backend.OrderFilter{Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, 40, page.Total, "not seeded twice")
	rep, err := sys.Syncer.RunOnce(ctx)
	require.NoError(t, err)
	assert.Empty(t, rep.Errors)
	assert.Zero(t, rep.Drifts)
}

func TestANewFolderSeedsNothingUntilTheOperatorChooses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sys, err := Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory()})
	require.NoError(t, err)
	assert.Nil(t, sys.Sandbox)
	needed, err := sys.SetupNeeded(ctx)
	require.NoError(t, err)
	assert.True(t, needed, "the first window asks")
	empty, err := sys.Store.IsEmpty(ctx)
	require.NoError(t, err)
	assert.True(t, empty)
	require.NoError(t, sys.Close())

	// Opening again (a command, say) still seeds nothing.
	sys, err = Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory()})
	require.NoError(t, err)
	empty, _ = sys.Store.IsEmpty(ctx)
	assert.True(t, empty)

	require.NoError(t, sys.StartOwnShop(ctx))
	needed, err = sys.SetupNeeded(ctx)
	require.NoError(t, err)
	assert.False(t, needed)
	err = sys.StartDemo(ctx)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err), "the demo never mixes with a shop's own data")
	empty, _ = sys.Store.IsEmpty(ctx)
	assert.True(t, empty, "starting with my shop creates no demo data")
	require.NoError(t, sys.Close())
}

func TestStartDemoFromTheFirstWindow(t *testing.T) {
	ctx := context.Background()
	sys, err := Open(ctx, Config{DataDir: t.TempDir(), Vault: vault.NewMemory(), DemoCount: 20})
	require.NoError(t, err)
	defer sys.Close()
	require.Nil(t, sys.Sandbox)
	require.NoError(t, sys.StartDemo(ctx))
	require.NotNil(t, sys.Sandbox)
	needed, err := sys.SetupNeeded(ctx)
	require.NoError(t, err)
	assert.False(t, needed)
	page, err := sys.Store.FindOrders(ctx, backend.OrderFilter{PaymentStates: []backend.PaymentState{backend.StateAuthorized}, Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, page.Rows)
	// The demo profile reaches the sandbox started after the factory was built.
	p, err := sys.Store.PaymentByID(ctx, page.Rows[0].PaymentID)
	require.NoError(t, err)
	prof, err := sys.Store.ProfileByID(ctx, p.ProfileID)
	require.NoError(t, err)
	gw, err := sys.Gateways.Gateway(ctx, prof)
	require.NoError(t, err)
	v, err := gw.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(sys.StartDemo(ctx)), "created once")
}

func TestBackupAndRestoreAtTheNextStart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sys, err := Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory(), Demo: true, DemoCount: 20})
	require.NoError(t, err)
	b, err := sys.CreateBackup(ctx)
	require.NoError(t, err)
	list, err := sys.Backups()
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, b.Name, list[0].Name)

	// After the backup the demo is removed; restoring brings the 20 orders back.
	require.NoError(t, sys.RemoveDemo(ctx))
	_, err = sys.ScheduleRestore("../kessaidesk.db")
	require.Error(t, err, "only a listed backup")
	_, err = sys.ScheduleRestore(b.Name)
	require.NoError(t, err)
	assert.Equal(t, b.Name, sys.RestorePending())
	require.NoError(t, sys.Close())

	sys, err = Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory(), Demo: true, DemoCount: 20})
	require.NoError(t, err)
	defer sys.Close()
	assert.Empty(t, sys.RestorePending())
	page, err := sys.Store.FindOrders(ctx, backend.OrderFilter{Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, 20, page.Total)
}

// One process at a time on a data folder: a second window or command is told so in
// Japanese and starts nothing (no second sandbox on the same state file).
func TestOneSystemPerDataFolder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sys, err := Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory(), Demo: true, DemoCount: 10})
	require.NoError(t, err)

	_, err = Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory(), Demo: true, DemoCount: 10})
	require.Error(t, err)
	assert.Equal(t, backend.EBUSY, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "既に動いています")

	other, err := Open(ctx, Config{DataDir: t.TempDir(), Vault: vault.NewMemory()})
	require.NoError(t, err, "another folder is another shop")
	require.NoError(t, other.Close())

	require.NoError(t, sys.Close())
	sys, err = Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory(), Demo: true, DemoCount: 10})
	require.NoError(t, err, "free again once closed")
	require.NoError(t, sys.Close())
}

// Two data folders on one PC share the keychain: each folder's "profile 1" keeps its own
// secret (a trial folder no longer replaces the shop's).
func TestTwoFoldersKeepTheirOwnSecrets(t *testing.T) {
	ctx := context.Background()
	kc := vault.NewMemory()
	secret := func(dir, pass string) string {
		sys, err := Open(ctx, Config{DataDir: dir, Vault: kc})
		require.NoError(t, err)
		defer sys.Close()
		if pass != "" {
			_, err = sys.Profiles.Save(ctx, profiles.Input{Name: "GMO-PG", Kind: backend.GatewayGMO, Environment: backend.EnvTest,
				MerchantID: "tshop00000001", Methods: []backend.PaymentMethod{backend.MethodCard},
				Secrets: map[string]string{backend.SecretShopPass: pass}})
			require.NoError(t, err)
		}
		ps, err := sys.Store.Profiles(ctx)
		require.NoError(t, err)
		require.Len(t, ps, 1)
		v, err := sys.Vault.Get(backend.SecretKey(ps[0].ID, backend.SecretShopPass))
		require.NoError(t, err)
		return v
	}
	shop, trial := t.TempDir(), t.TempDir()
	assert.Equal(t, "shopPass01", secret(shop, "shopPass01"))
	assert.Equal(t, "trialPass2", secret(trial, "trialPass2"))
	assert.Equal(t, "shopPass01", secret(shop, ""), "the shop's secret survives the trial folder's profile 1")
}
