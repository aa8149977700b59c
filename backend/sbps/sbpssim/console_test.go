package sbpssim

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/simkit"
)

// SBPS's console acts as 取消返金要求 and 部分返金 do (sbps-paygent.md §A5, §A7): 与信取消
// before the sale (payment_status 3), 返金 after it (4) until the end of the third month
// after the sale (56), 部分返金 only of a sale and not above it.
func TestConsoleFollowsSBPSRules(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, backend.JST)
	sim, err := Start(Options{Clock: simkit.NewClock(now)})
	require.NoError(t, err)
	defer sim.Close()
	sim.AddMerchant(Merchant{MerchantID: "62345", ServiceID: "002", HashKey: "k"})
	add := func(order, status string, sold time.Time) string {
		id, err := sim.AddCardTrade(CardSpec{MerchantID: "62345", ServiceID: "002", OrderID: order, Amount: 9000, Status: status,
			AuthDate: sold.Add(-time.Hour), SalesDate: sold})
		require.NoError(t, err)
		return id
	}
	auth := add("A", "1", now.Add(-time.Hour))
	sale := add("S", "2", now.AddDate(0, 0, -3))
	old := add("O", "2", now.AddDate(0, -4, 0))
	part := add("P", "2", now.AddDate(0, 0, -3))

	status := func(id string) string { tr, _ := sim.Trade(id); return tr.PaymentStatus }
	require.Error(t, sim.ConsoleRefund(auth), "an authorisation is released, not refunded")
	require.Error(t, sim.ConsoleChangeAmount(auth, 5000), "no amount change before the sale")
	require.NoError(t, sim.ConsoleCancel(auth))
	assert.Equal(t, "3", status(auth))
	require.Error(t, sim.ConsoleCancel(sale), "a sale is refunded, not released")
	require.NoError(t, sim.ConsoleRefund(sale))
	assert.Equal(t, "4", status(sale))
	var refused *simkit.ConsoleRefusal
	require.True(t, errors.As(sim.ConsoleRefund(old), &refused))
	assert.Equal(t, "10156999", refused.Code, "past the end of the third month after the sale")

	require.NoError(t, sim.ConsoleChangeAmount(part, 6000))
	tr, _ := sim.Trade(part)
	assert.Equal(t, int64(3000), tr.Refunded, "部分返金 of the difference")
	assert.Equal(t, "2", tr.PaymentStatus)
	require.Error(t, sim.ConsoleChangeAmount(part, 7000), "only lower")
	assert.Zero(t, len(sim.Server.Log.Entries()))
}
