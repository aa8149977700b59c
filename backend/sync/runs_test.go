package sync

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunsAreRecordedNewestFirstAndKeptToTen(t *testing.T) {
	f := newFixture(t)
	paid := f.konbini(3980)
	f.advance(time.Hour)
	require.NoError(t, f.sim.MarkPaid(paid.GatewayOrderID))
	first := f.run()
	for i := 0; i < KeptRuns+2; i++ {
		f.advance(5 * time.Minute)
		f.run()
	}
	runs, err := LastRuns(f.ctx, f.db)
	require.NoError(t, err)
	require.Len(t, runs, KeptRuns)
	assert.True(t, runs[0].StartedAt.After(runs[1].StartedAt), "newest first")
	assert.True(t, runs[KeptRuns-1].StartedAt.After(first.StartedAt), "the oldest went")
	assert.True(t, runs[0].Full)
	assert.Zero(t, runs[0].Deposits)
}

func TestExpiryWarningDaysComeFromTheSettings(t *testing.T) {
	f := newFixture(t)
	assert.Equal(t, 7, f.s.expiryWarningDays(f.ctx))
	require.NoError(t, f.db.SetSetting(f.ctx, SettingExpiryWarningDays, "14"))
	assert.Equal(t, 14, f.s.expiryWarningDays(f.ctx))
}
