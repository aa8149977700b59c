package gmosim

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/simkit"
)

// The shop console's cancel follows GMO-PG's date rule (gmo-mulpay.md §4): from the
// transaction's latest processing date, the same day VOID, the same month RETURN, a
// later month RETURNX — an authorisation never captured RETURN — and nothing after 180
// days; 金額変更 re-authorises like ChangeTran (§3.4): a new Amount, the Tax apart, the
// processing date moved.
func TestConsoleFollowsGMORules(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, backend.JST)
	sim, err := Start(Options{Clock: simkit.NewClock(now)})
	require.NoError(t, err)
	defer sim.Close()
	add := func(id, status string, auth, sale time.Time) {
		_, _, err := sim.AddCardTrade(CardSpec{ShopID: "tshop1", OrderID: id, Amount: 3000, Tax: 300, Status: status, AuthDate: auth, SalesDate: sale})
		require.NoError(t, err)
	}
	add("AUTH-TODAY", "AUTH", now.Add(-time.Hour), time.Time{})
	add("AUTH-OLD", "AUTH", now.AddDate(0, -2, 0), time.Time{})
	add("SALE-TODAY", "SALES", now.AddDate(0, 0, -3), now.Add(-time.Hour))
	add("SALE-MONTH", "SALES", now.AddDate(0, 0, -10), now.AddDate(0, 0, -5))
	add("SALE-LAST", "SALES", now.AddDate(0, -1, -5), now.AddDate(0, -1, 0))
	add("SALE-181", "SALES", now.AddDate(0, 0, -190), now.AddDate(0, 0, -181))
	add("CHANGE", "AUTH", now.AddDate(0, 0, -2), time.Time{})

	status := func(id string) string { tr, _ := sim.Trade(id); return tr.Status }
	require.NoError(t, sim.ConsoleCancel("AUTH-TODAY"))
	assert.Equal(t, "VOID", status("AUTH-TODAY"))
	require.NoError(t, sim.ConsoleCancel("AUTH-OLD"))
	assert.Equal(t, "RETURN", status("AUTH-OLD"), "never captured: RETURN in any later month")
	require.NoError(t, sim.ConsoleRefund("SALE-TODAY"))
	assert.Equal(t, "VOID", status("SALE-TODAY"))
	require.NoError(t, sim.ConsoleRefund("SALE-MONTH"))
	assert.Equal(t, "RETURN", status("SALE-MONTH"))
	require.NoError(t, sim.ConsoleRefund("SALE-LAST"))
	assert.Equal(t, "RETURNX", status("SALE-LAST"))
	tr, _ := sim.Trade("SALE-LAST")
	assert.True(t, tr.ProcessDate.Equal(now), "the cancel is the latest processing")

	var refused *simkit.ConsoleRefusal
	err = sim.ConsoleRefund("SALE-181")
	require.True(t, errors.As(err, &refused))
	assert.Equal(t, "E11010010", refused.Code)
	assert.Equal(t, "SALES", status("SALE-181"))
	require.Error(t, sim.ConsoleCancel("SALE-MONTH"), "a sale is refunded, not cancelled")
	require.Error(t, sim.ConsoleRefund("CHANGE"), "an authorisation is cancelled, not refunded")
	require.Error(t, sim.ConsoleCancel("NO-SUCH"))

	sim.Clock.Advance(time.Minute)
	require.NoError(t, sim.ConsoleChangeAmount("CHANGE", 2500))
	tr, _ = sim.Trade("CHANGE")
	assert.Equal(t, "AUTH", tr.Status)
	assert.Equal(t, int64(2500), tr.Amount)
	assert.Equal(t, int64(300), tr.Tax, "the Tax stays apart")
	assert.True(t, tr.ProcessDate.Equal(now.Add(time.Minute)))
	assert.True(t, tr.AuthDate.Equal(now.Add(time.Minute)), "a new authorisation")
	require.NoError(t, sim.ConsoleCancel("CHANGE"))
	assert.Equal(t, "VOID", status("CHANGE"), "dated from the change: the same day")
	assert.Zero(t, len(sim.Server.Log.Entries()), "the console is not the protocol: nothing in the request log")
}
