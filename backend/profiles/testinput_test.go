package profiles

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/simkit"
)

func TestAProfileIsTestedBeforeItIsSavedAndNothingIsSaved(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	res, err := f.svc.TestInput(ctx, f.gmoInput("pw12345678"))
	require.NoError(t, err)
	assert.True(t, res.OK, res.Message)
	res, err = f.svc.TestInput(ctx, f.gmoInput("wrongpass1"))
	require.NoError(t, err)
	assert.False(t, res.OK)
	assert.Contains(t, res.Message, "認証に失敗しました")
	assert.NotContains(t, res.Message, "wrongpass1")
	ps, err := f.store.Profiles(ctx)
	require.NoError(t, err)
	assert.Empty(t, ps, "a test saves no profile")
	assert.Empty(t, f.vault.Keys(), "a test saves no secret")

	// Bad input is refused as Save refuses it; a secret left empty is asked for.
	bad := f.gmoInput("pw12345678")
	bad.MerchantID = ""
	_, err = f.svc.TestInput(ctx, bad)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))

	// A saved profile tested with a secret left empty uses the one in the keychain.
	p, err := f.svc.Save(ctx, f.gmoInput("pw12345678"))
	require.NoError(t, err)
	in := f.gmoInput("")
	in.ID = p.ID
	res, err = f.svc.TestInput(ctx, in)
	require.NoError(t, err)
	assert.True(t, res.OK, res.Message)
}

func TestAConnectionTestNeverSpeaksOfCheckingAnOutcome(t *testing.T) {
	f := setup(t)
	f.svc.Gateways = &gateways.Factory{Vault: f.vault, Timeout: 300 * time.Millisecond}
	ctx := context.Background()
	for _, fk := range []simkit.FaultKind{simkit.FaultTimeout, simkit.Fault500, simkit.FaultTruncate, simkit.FaultReset} {
		f.sim.Server.Faults.Next("", 1, simkit.Fault{Kind: fk})
		res, err := f.svc.TestInput(ctx, f.gmoInput("pw12345678"))
		require.NoError(t, err)
		assert.False(t, res.OK, fk)
		assert.NotContains(t, res.Message, "処理されたか", fk)
		assert.NotContains(t, res.Message, "確認します", fk)
		assert.NotContains(t, res.MessageEn, "will be checked", fk)
	}
}

func TestAConnectionTestCanBeStopped(t *testing.T) {
	f := setup(t)
	f.sim.Server.Faults.Next("", 1, simkit.Fault{Kind: simkit.FaultTimeout})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	res, err := f.svc.TestInput(ctx, f.gmoInput("pw12345678"))
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 10*time.Second, "stopped, not timed out (30 s)")
	assert.False(t, res.OK)
	assert.Contains(t, res.Message, "中止しました")
}
