package app

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// ホーム on the seeded demo shop: every count is the length of the work list it links
// to, the 仮売上 buckets add up to 売上待ち, and the sandbox's profiles are synced.
func TestOverviewOfTheDemoShopMatchesItsWorkLists(t *testing.T) {
	sys, orders, _, _ := openDemo(t)
	w := Bind(NewServices(sys, "test")).Work
	_, err := sys.Syncer.RunOnce(context.Background())
	require.NoError(t, err)

	ov, err := orders.Overview()
	require.NoError(t, err)
	assert.True(t, ov.Demo)
	assert.Equal(t, 120, ov.Orders)
	lists, err := w.Lists()
	require.NoError(t, err)
	counts := map[string]int{}
	for _, l := range lists {
		counts[l.Code] = l.Count
	}
	require.Positive(t, counts["to_capture"], "the demo shop has orders to capture")
	assert.Equal(t, counts["to_capture"], ov.ToCaptureCount)
	assert.Equal(t, counts["capture_failed"], ov.CaptureFailed)
	assert.Equal(t, counts["overdue_deposit"], ov.OverdueDeposit)
	assert.Equal(t, counts["stale_processing"], ov.Stale)
	assert.Equal(t, counts["stop_shipping"], ov.StopShipping)
	assert.Equal(t, counts["unlinked"], ov.Unlinked)
	assert.LessOrEqual(t, counts["needs_review"], ov.NeedsReview+ov.Unresolved)

	rows, err := w.List("to_capture")
	require.NoError(t, err)
	var sum int64
	for _, r := range rows {
		sum += r.Total
	}
	assert.Equal(t, sum, ov.ToCaptureAmount, "the yen total of 売上待ち")
	n := ov.ToCaptureNoExpiry
	for _, b := range ov.ToCapture {
		n += b.Count
	}
	assert.Equal(t, ov.ToCaptureCount, n)
	assert.Nil(t, ov.ToCapture[0].MinDays, "the lapsed bucket is open below")
	assert.Equal(t, -1, *ov.ToCapture[0].MaxDays)
	assert.Nil(t, ov.ToCapture[len(ov.ToCapture)-1].MaxDays)

	require.NotEmpty(t, ov.Sync)
	for _, h := range ov.Sync {
		assert.Equal(t, "ok", h.State, h.Name)
		assert.NotEmpty(t, h.LastSuccess)
		assert.True(t, h.Demo)
	}
}

// A profile whose last run failed or that is offline is reported with its reason, not
// by the time of an earlier success.
func TestProfileHealth(t *testing.T) {
	p := &backend.GatewayProfile{ID: 3, Name: "GMO-PG 本番"}
	ok := time.Date(2026, 11, 20, 9, 0, 0, 0, backend.JST)
	later := ok.Add(time.Hour)
	cases := []struct {
		name   string
		st     backend.SyncStatus
		state  string
		since  time.Time
		reason string
	}{
		{"never synced", backend.SyncStatus{}, "never", time.Time{}, ""},
		{"ok", backend.SyncStatus{LastSuccess: ok, LastAttempt: ok}, "ok", time.Time{}, ""},
		{"failed after a success", backend.SyncStatus{LastSuccess: ok, LastAttempt: later, Failures: 1, LastError: "認証に失敗しました"}, "error", later, "認証に失敗しました"},
		{"offline", backend.SyncStatus{LastSuccess: ok, LastAttempt: later, OfflineSince: later, LastError: "接続できません"}, "offline", later, "接続できません"},
	}
	for _, c := range cases {
		h := profileHealth(p, &c.st, "ja")
		assert.Equal(t, c.state, h.State, c.name)
		assert.Equal(t, jst(c.since), h.Since, c.name)
		assert.Equal(t, c.reason, h.Reason, c.name)
		assert.Equal(t, jst(c.st.LastSuccess), h.LastSuccess, c.name)
	}
}
