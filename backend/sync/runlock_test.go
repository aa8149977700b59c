package sync

import (
	"context"
	gosync "sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlite"
)

// sharedStore is the fixture's store as one of several desktops sees a shared
// database: the run lock (backend.RunLocker, pg_try_advisory_lock on PostgreSQL —
// backend/pgstore's test holds it across two stores) is a lock in this process, and
// another desktop holds it while elsewhere is set.
type sharedStore struct {
	*sqlite.DB
	mu        gosync.Mutex
	elsewhere bool // another desktop is running the sync
	held      bool // this desktop holds the lock
}

func (s *sharedStore) TryRunLock(ctx context.Context, name string) (func(), bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name != RunLockName || s.elsewhere || s.held {
		return nil, false, nil
	}
	s.held = true
	return func() { s.mu.Lock(); s.held = false; s.mu.Unlock() }, true, nil
}

// On a shared database a desktop whose turn another desktop is taking asks the
// gateway nothing and changes nothing; once the lock is free it runs, and gives the
// lock back when done.
func TestSyncRunsOnOneDesktopAtATime(t *testing.T) {
	f := newFixture(t)
	shared := &sharedStore{DB: f.db, elsewhere: true}
	f.s.Store = shared
	paid := f.konbini(3980)
	f.advance(26 * time.Hour)
	require.NoError(t, f.sim.MarkPaid(paid.GatewayOrderID))
	f.advance(3 * time.Minute)

	rep, err := f.s.RunOnce(f.ctx)
	assert.Nil(t, rep)
	require.Error(t, err)
	assert.Equal(t, backend.EBUSY, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "別のパソコン")
	assert.Zero(t, f.sim.Server.Log.Count("SearchTradeMulti.idPass"), "nothing asked")
	assert.Equal(t, backend.StateAwaitingDeposit, f.payment(paid.ID).State)

	shared.mu.Lock()
	shared.elsewhere = false
	shared.mu.Unlock()
	rep, err = f.s.RunOnce(f.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Deposits)
	assert.Equal(t, backend.StateDeposited, f.payment(paid.ID).State)
	shared.mu.Lock()
	assert.False(t, shared.held, "the lock is given back after the run")
	shared.mu.Unlock()
}
