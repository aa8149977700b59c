package paygentsim_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/simkit"
)

var t0 = time.Date(2026, 11, 10, 10, 0, 0, 0, backend.JST)

func TestSeedingHelpersAndStateFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "paygent.json")
	clock := simkit.NewClock(t0)
	sim, err := paygentsim.Start(paygentsim.Options{Clock: clock, StateFile: file})
	require.NoError(t, err)
	sim.AddMerchant(paygentsim.Merchant{ID: "30000001", ConnectID: "c1", ConnectPassword: "p1"})

	_, err = sim.AddCardPayment(paygentsim.CardSpec{MerchantID: "99", TradingID: "X", Amount: 1})
	assert.Error(t, err, "unknown merchant")
	card, err := sim.AddCardPayment(paygentsim.CardSpec{MerchantID: "30000001", TradingID: "KD_1", Amount: 1000})
	require.NoError(t, err)
	cvs, err := sim.AddDeposit(paygentsim.DepositSpec{MerchantID: "30000001", TradingID: "KD_2", Amount: 2000})
	require.NoError(t, err)
	assert.Error(t, sim.MarkPaid(card), "a card payment is not a deposit")
	assert.Error(t, sim.MarkExpired("0"), "no such payment")
	require.NoError(t, sim.MarkReported(cvs))
	require.NoError(t, sim.MarkPaid(cvs))
	assert.Error(t, sim.MarkReported(cvs), "already paid")

	p, ok := sim.Payment(cvs)
	require.True(t, ok)
	assert.Equal(t, "40", p.Status)
	assert.Equal(t, paygent.TypeKonbiniNumber, p.PaymentType)
	assert.Len(t, sim.Notices("30000001"), 4, "2 creations, 速報, 消込")
	require.NoError(t, sim.Close())

	// A restart keeps payments, ids and notices.
	again, err := paygentsim.Start(paygentsim.Options{Clock: clock, StateFile: file})
	require.NoError(t, err)
	defer again.Close()
	p, ok = again.Payment(card)
	require.True(t, ok)
	assert.Equal(t, "20", p.Status)
	assert.Len(t, again.Notices("30000001"), 4)
	next, err := again.AddCardPayment(paygentsim.CardSpec{MerchantID: "30000001", TradingID: "KD_3", Amount: 1})
	require.NoError(t, err)
	assert.NotEqual(t, card, next)
	assert.NotEqual(t, cvs, next)
	assert.Equal(t, []int64{1, 2, 3}, again.DeliverNotices("30000001", 3))

	// The 60-day window applies on access.
	clock.Set(t0.AddDate(0, 0, 61))
	p, _ = again.Payment(card)
	assert.Equal(t, "33", p.Status)
}
