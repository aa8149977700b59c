package throttle

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestLimiterSpacesRequests(t *testing.T) {
	l := NewLimiter(100, 1) // one request per 10 ms
	ctx := context.Background()
	start := time.Now()
	for i := 0; i < 11; i++ {
		assert.NoError(t, l.Wait(ctx))
	}
	// 10 waits of ~10 ms after the first token: at least 90 ms, allowing timer slack.
	assert.GreaterOrEqual(t, time.Since(start), 90*time.Millisecond)
}

func TestLimiterBusyHalvesAndRecovers(t *testing.T) {
	l := NewLimiter(40, 1)
	l.Busy()
	assert.Equal(t, 20.0, l.Rate())
	for i := 0; i < 100; i++ {
		l.OK()
	}
	assert.Equal(t, 40.0, l.Rate(), "never above the configured rate")
}

func TestLimiterStopsWithContext(t *testing.T) {
	l := NewLimiter(0.001, 1)
	assert.NoError(t, l.Wait(context.Background()))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, l.Wait(ctx), context.DeadlineExceeded)
}

func TestRegistryOnePerProfile(t *testing.T) {
	var r Registry
	assert.Same(t, r.For(1), r.For(1))
	assert.NotSame(t, r.For(1), r.For(2))
}
