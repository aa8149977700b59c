package paygentsim

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend/simkit"
)

// Paygent's console acts as its telegrams do (sbps-paygent.md §B5, §B7): オーソリ取消
// of 20 gives 32, 売上取消 of 40 gives 60 within the sales-cancel window (41 then: 2007),
// a 補正 makes a new payment_id under the same trading_id and cancels the old one, only
// lowering (2013); each change is a notice for the difference inquiry (091).
func TestConsoleFollowsPaygentRules(t *testing.T) {
	sim, err := Start(Options{})
	require.NoError(t, err)
	defer sim.Close()
	sim.AddMerchant(Merchant{ID: "54321", ConnectID: "c", ConnectPassword: "p"})
	now := sim.Clock.Now()
	add := func(trading, status string, sold time.Time) string {
		id, err := sim.AddCardPayment(CardSpec{MerchantID: "54321", TradingID: trading, Amount: 5000, Status: status,
			AuthDate: sold.Add(-time.Hour), SalesDate: sold})
		require.NoError(t, err)
		return id
	}
	auth := add("T1", "20", now.Add(-time.Hour))
	sale := add("T2", "40", now.AddDate(0, 0, -3))
	late := add("T3", "40", now.AddDate(0, 0, -(SalesCancelDays+2)))
	corr := add("T4", "20", now.Add(-time.Hour))
	sold := add("T5", "40", now.AddDate(0, 0, -3))
	notices := len(sim.Notices("54321"))

	status := func(id string) string { p, _ := sim.Payment(id); return p.Status }
	require.Error(t, sim.ConsoleRefund(auth), "an authorisation is released, not sale-cancelled")
	require.NoError(t, sim.ConsoleCancel(auth))
	assert.Equal(t, "32", status(auth))
	require.NoError(t, sim.ConsoleRefund(sale))
	assert.Equal(t, "60", status(sale))
	var refused *simkit.ConsoleRefusal
	require.True(t, errors.As(sim.ConsoleRefund(late), &refused))
	assert.Equal(t, "2007", refused.Code)

	require.True(t, errors.As(sim.ConsoleChangeAmount(corr, 6000), &refused), "補正 only lowers")
	assert.Equal(t, "2013", refused.Code)
	require.NoError(t, sim.ConsoleChangeAmount(corr, 4000))
	ps := sim.PaymentsByTrading("54321", "T4")
	require.Len(t, ps, 2)
	assert.Equal(t, "32", ps[0].Status, "the old authorisation is cancelled")
	assert.Equal(t, "20", ps[1].Status)
	assert.Equal(t, int64(4000), ps[1].Amount)
	assert.Equal(t, corr, ps[1].BasePaymentID)
	require.NoError(t, sim.ConsoleChangeAmount(sold, 3500))
	ps = sim.PaymentsByTrading("54321", "T5")
	require.Len(t, ps, 2)
	assert.Equal(t, "60", ps[0].Status)
	assert.Equal(t, "40", ps[1].Status, "補正売上: a sale for the rest")

	// Each change is a notice: 32, 60, (41 by the window), the two 補正s' new payment and cancelled one.
	assert.Equal(t, notices+1+1+1+2+2, len(sim.Notices("54321")))
	assert.Zero(t, len(sim.Server.Log.Entries()), "the console is not the protocol: nothing in the request log")
}
