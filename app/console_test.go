package app

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// An authorisation cancelled in the gateway's console, through the bound structs: after
// a sync the order heads 出荷を止める, its difference says so, and キャンセルにする
// cancels it.
func TestStopShippingThroughTheBoundStructs(t *testing.T) {
	sys, orders, _, _ := openDemo(t)
	w := Bind(NewServices(sys, "test")).Work
	row := firstAuthorizedCard(t, orders)
	require.NotEqual(t, string(backend.OrderShipped), row.Status.Code)
	p, err := sys.Store.PaymentByID(context.Background(), row.PaymentID)
	require.NoError(t, err)
	console, id, err := sys.Sandbox.Console(p)
	require.NoError(t, err)
	require.NoError(t, console.ConsoleCancel(id))
	_, err = sys.Syncer.RunOnce(context.Background())
	require.NoError(t, err)

	lists, err := w.Lists()
	require.NoError(t, err)
	assert.Equal(t, WorkListInfo{Code: "stop_shipping", Ja: "出荷を止める", En: "Stop shipping", Count: 1}, lists[0], "the most urgent list first")
	holds, err := w.Holds()
	require.NoError(t, err)
	require.Len(t, holds, 1)
	h := holds[0]
	assert.Equal(t, row.OrderNo, h.OrderNo)
	assert.Equal(t, row.PaymentID, h.PaymentID)
	assert.Contains(t, []string{"voided", "refunded"}, h.GatewayState.Code)
	assert.Equal(t, row.Status, h.Status)
	assert.NotEmpty(t, h.FoundAt)
	drifts, err := w.Drifts()
	require.NoError(t, err)
	require.Len(t, drifts, 1)
	assert.True(t, drifts[0].Hold)
	assert.Equal(t, "authorized", drifts[0].OurState.Code)
	assert.Contains(t, h.Detail, "管理画面")
	// in an English window, the sync's words in English
	require.NoError(t, Bind(NewServices(sys, "test")).Settings.SetLanguage("en"))
	holds, err = w.Holds()
	require.NoError(t, err)
	assert.Contains(t, holds[0].Detail, "shows Voided (changed in its console or elsewhere); ours is still Authorised")
	drifts, err = w.Drifts()
	require.NoError(t, err)
	assert.Contains(t, drifts[0].Detail, "ours: Authorised, the gateway's: Voided")

	require.NoError(t, w.CancelHeldOrder(row.PaymentID))
	o, err := orders.Detail(row.ID)
	require.NoError(t, err)
	assert.Equal(t, "cancelled", o.Status.Code)
	holds, err = w.Holds()
	require.NoError(t, err)
	assert.Empty(t, holds)
	err = w.KeepHeldOrder(row.PaymentID)
	require.Error(t, err)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
}

// The days captures are compared with the gateway: 30 by default, 1 to 180, nothing
// saved on bad input.
func TestRecheckDaysRule(t *testing.T) {
	_, _, _, settings := openDemo(t)
	r, err := settings.Rules()
	require.NoError(t, err)
	assert.Equal(t, "30", r.RecheckDays)
	bad := *r
	bad.RecheckDays, bad.SyncIntervalMinutes = "0", "10"
	err = settings.SaveRules(bad)
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "1〜180日")
	got, err := settings.Rules()
	require.NoError(t, err)
	assert.Equal(t, *r, *got, "nothing saved")
	r.RecheckDays = " 45 "
	require.NoError(t, settings.SaveRules(*r))
	got, err = settings.Rules()
	require.NoError(t, err)
	assert.Equal(t, "45", got.RecheckDays)
}
