package pgstore

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two desktops on one database: the sync's lock is held by one at a time, another
// name is another lock, and a desktop whose session ends without unlocking (it
// crashed: here its connection is ended by the server) leaves the lock to the next.
func TestRunLockHeldByOneDesktopAtATime(t *testing.T) {
	dsn := testDSN(t)
	a, b := openDSN(t, dsn, Options{}), openDSN(t, dsn, Options{})
	ctx := context.Background()

	unlockA, ok, err := a.TryRunLock(ctx, "sync")
	require.NoError(t, err)
	require.True(t, ok)
	_, ok, err = b.TryRunLock(ctx, "sync")
	require.NoError(t, err)
	assert.False(t, ok, "the other desktop is syncing")
	_, ok, _ = a.TryRunLock(ctx, "sync")
	assert.False(t, ok, "a second run on the same desktop waits too (its own session)")
	unlockOther, ok, err := b.TryRunLock(ctx, "another job")
	require.NoError(t, err)
	require.True(t, ok, "another name is another lock")
	unlockOther()

	unlockA()
	unlockB, ok, err := b.TryRunLock(ctx, "sync")
	require.NoError(t, err)
	require.True(t, ok, "released: the next desktop takes it")
	_ = unlockB // b crashes holding it
	var ended bool
	require.NoError(t, a.sql.QueryRowContext(ctx, `SELECT bool_and(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND granted`, runLockClass).Scan(&ended))
	require.True(t, ended)
	require.Eventually(t, func() bool {
		unlock, ok, err := a.TryRunLock(ctx, "sync")
		if ok {
			unlock()
		}
		return err == nil && ok
	}, 5*time.Second, 20*time.Millisecond, "a desktop that crashed holds nothing")
}
