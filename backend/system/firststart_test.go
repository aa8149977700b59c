package system

import (
	"context"
	"database/sql"
	"kessaidesk/backend/appdir"
	"testing"

	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/vault"
)

// A first start killed while the demo shop was being made (here: after the orders,
// before the payments) is finished at the next start, whatever that start asks for:
// the demo shop is whole, once, and agrees with its sandbox.
func TestAFirstStartCutShortIsFinishedAtTheNext(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sys, err := Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory(), Demo: true, DemoCount: 40})
	require.NoError(t, err)
	whole, err := sys.Store.FindOrders(ctx, backend.OrderFilter{Limit: 1, PaymentStates: []backend.PaymentState{backend.StateAuthorized}})
	require.NoError(t, err)
	require.NotZero(t, whole.Total)
	require.NoError(t, sys.Close())

	raw, err := sql.Open("sqlite3", appdir.DatabaseFile(dir))
	require.NoError(t, err)
	_, err = raw.Exec(`DELETE FROM payments`)
	require.NoError(t, err)
	_, err = raw.Exec(`UPDATE settings SET value = ? WHERE key = ?`, DemoSeeding, SettingDemo)
	require.NoError(t, err)
	require.NoError(t, raw.Close())

	sys, err = Open(ctx, Config{DataDir: dir, Vault: vault.NewMemory(), DemoCount: 40}) // the window, no -demo
	require.NoError(t, err)
	defer sys.Close()
	all, err := sys.Store.FindOrders(ctx, backend.OrderFilter{Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, 40, all.Total, "the demo shop once")
	again, err := sys.Store.FindOrders(ctx, backend.OrderFilter{Limit: 1, PaymentStates: []backend.PaymentState{backend.StateAuthorized}})
	require.NoError(t, err)
	assert.Equal(t, whole.Total, again.Total, "its payments made again")
	state, err := sys.Store.Setting(ctx, SettingDemo)
	require.NoError(t, err)
	assert.Equal(t, DemoSeeded, state)
	rep, err := sys.Syncer.RunOnce(ctx)
	require.NoError(t, err)
	assert.Empty(t, rep.Errors)
	assert.Zero(t, rep.Drifts, "no transaction of the first attempt left in the sandbox")
}
