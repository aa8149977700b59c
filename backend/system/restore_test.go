package system

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend/appdir"
	"kessaidesk/backend/sqlite"
)

// A restore keeps the database it replaces — with the changes still in its WAL, as a
// crash leaves them — so nothing written before the restore is lost.
func TestRestoreKeepsTheReplacedDatabaseWithItsWAL(t *testing.T) {
	ctx := context.Background()
	live, dir := t.TempDir(), t.TempDir()
	db, err := sqlite.Open(appdir.DatabaseFile(live))
	require.NoError(t, err)
	require.NoError(t, db.SetSetting(ctx, "probe", "written before the restore"))
	// The state a crash leaves: the main file and its WAL, not checkpointed.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(appdir.DatabaseFile(live) + suffix)
		require.NoError(t, err, suffix)
		require.NoError(t, os.WriteFile(appdir.DatabaseFile(dir)+suffix, b, 0o600))
	}
	require.NoError(t, db.Close())
	wal, err := os.Stat(appdir.DatabaseFile(dir) + "-wal")
	require.NoError(t, err)
	require.Positive(t, wal.Size(), "the change is in the WAL")

	// A backup to restore (an empty shop) and the marker.
	backup, err := sqlite.Open(filepath.Join(t.TempDir(), "b.db"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "backups"), 0o700))
	require.NoError(t, backup.Backup(ctx, filepath.Join(dir, "backups", "kessaidesk-1.db")))
	require.NoError(t, backup.Close())
	require.NoError(t, os.WriteFile(restoreMarker(dir), []byte("kessaidesk-1.db"), 0o600))

	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	require.NoError(t, applyPendingRestore(dir, now))
	main := appdir.DatabaseFile(dir) + ".before-restore-20261201-180000" // 09:00 UTC is 18:00 JST
	_, err = os.Stat(main)
	require.NoError(t, err, "the replaced database is kept")
	old, err := sqlite.Open(main)
	require.NoError(t, err)
	defer old.Close()
	v, err := old.Setting(ctx, "probe")
	require.NoError(t, err)
	assert.Equal(t, "written before the restore", v, "the WAL's changes are in the kept copy")
}
