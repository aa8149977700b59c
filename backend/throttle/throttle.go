// Package throttle keeps Kessai Desk polite to the gateways: a request-rate limit per
// gateway profile, shared by bulk runs and the sync, that slows down when a gateway
// says it is busy (GMO E92 流量制限, Paygent E002, SBPS maintenance).
package throttle

import (
	"context"
	"sync"
	"time"
)

// Limiter spaces requests to at most Rate per second, with bursts of Burst.
type Limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	max    float64 // the configured rate; backoff never goes above it
	burst  float64
	tokens float64
	last   time.Time
}

// NewLimiter returns a limiter allowing rate requests per second.
func NewLimiter(rate float64, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	return &Limiter{rate: rate, max: rate, burst: float64(burst), tokens: float64(burst)}
}

// Wait blocks until a request may be sent, or ctx ends.
func (l *Limiter) Wait(ctx context.Context) error {
	for {
		l.mu.Lock()
		now := time.Now()
		if !l.last.IsZero() {
			l.tokens = min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
		}
		l.last = now
		if l.tokens >= 1 {
			l.tokens--
			l.mu.Unlock()
			return nil
		}
		wait := time.Duration((1 - l.tokens) / l.rate * float64(time.Second))
		l.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Busy halves the rate after a gateway's "too many requests" answer.
func (l *Limiter) Busy() {
	l.mu.Lock()
	l.rate = max(l.rate/2, 0.5)
	l.mu.Unlock()
}

// OK lets the rate grow back towards the configured one after a good answer.
func (l *Limiter) OK() {
	l.mu.Lock()
	l.rate = min(l.rate*1.1, l.max)
	l.mu.Unlock()
}

// Rate is the current rate per second.
func (l *Limiter) Rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rate
}

// Registry hands out one limiter per gateway profile.
type Registry struct {
	mu sync.Mutex
	// Rate is requests per second per profile (default 100). The gateways publish a
	// limit on requests processed at once (GMO-PG E92 同時処理数超過), which the bulk
	// run's concurrency bounds; this rate only spaces very fast answers, and halves
	// after a "busy" answer.
	Rate     float64
	Burst    int // default 10
	limiters map[int64]*Limiter
}

// For returns the limiter of a profile.
func (r *Registry) For(profileID int64) *Limiter {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.limiters == nil {
		r.limiters = map[int64]*Limiter{}
	}
	l, ok := r.limiters[profileID]
	if !ok {
		rate, burst := r.Rate, r.Burst
		if rate <= 0 {
			rate = 100
		}
		if burst <= 0 {
			burst = 10
		}
		l = NewLimiter(rate, burst)
		r.limiters[profileID] = l
	}
	return l
}
