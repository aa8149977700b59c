package demo

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"kessaidesk/backend"
)

func TestGenerateIsValidAndCoversEveryMethodAndManyStates(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, backend.JST)
	specs := Generate(1, 400, 1001, now, 120*24*time.Hour)
	assert.Len(t, specs, 400)
	methods := map[backend.PaymentMethod]int{}
	states := map[backend.PaymentState]int{}
	statuses := map[backend.OrderStatus]int{}
	for i, s := range specs {
		o := s.Order
		assert.NoError(t, o.Validate(), o.OrderNo)
		assert.True(t, o.Total > 0, o.OrderNo)
		assert.False(t, o.OrderedAt.After(now), o.OrderNo)
		if i > 0 {
			assert.False(t, o.OrderedAt.Before(specs[i-1].Order.OrderedAt.Add(-10*time.Minute)), "orders are oldest first")
		}
		methods[o.PaymentMethod]++
		states[s.State]++
		statuses[o.Status]++
		if s.State == backend.StateAuthorized {
			assert.Less(t, now.Sub(s.AuthorizedAt), 90*24*time.Hour, "an open authorisation is capturable")
		}
		if s.State != "" {
			assert.True(t, backend.CanTransition(backend.StatePending, s.State) || s.State == backend.StateCaptureFailed ||
				s.State == backend.StateNeedsReview || s.State == backend.StatePartiallyRefunded || s.State == backend.StateRefunded ||
				s.State == backend.StateDeposited, "state %s", s.State)
		}
	}
	for _, m := range backend.PaymentMethods {
		assert.Greater(t, methods[m], 0, "method %s", m)
	}
	for _, st := range []backend.PaymentState{backend.StateAuthorized, backend.StateCaptured, backend.StateVoided,
		backend.StateRefunded, backend.StateAwaitingDeposit, backend.StateDeposited, backend.StateExpired} {
		assert.Greater(t, states[st], 0, "state %s", st)
	}
	assert.Greater(t, statuses[backend.OrderNew], 0)
	assert.Greater(t, statuses[backend.OrderAwaitingDeposit], 0)
	assert.Greater(t, statuses[backend.OrderCancelled], 0)

	again := Generate(1, 400, 1001, now, 120*24*time.Hour)
	assert.Equal(t, specs[17].Order.CustomerName, again[17].Order.CustomerName, "same seed, same shop")
}

func TestKanaRomaji(t *testing.T) {
	assert.Equal(t, "yamada", kanaRomaji("ヤマダ"))
	assert.Equal(t, "shouta", kanaRomaji("ショウタ"))
	assert.Equal(t, "hattori", kanaRomaji("ハットリ"))
}
