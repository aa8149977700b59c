package system

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/appdir"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/vault"
)

func openAt(t *testing.T, dir string, at *time.Time, demo int) *System {
	t.Helper()
	sys, err := Open(context.Background(), Config{DataDir: dir, Vault: vault.NewMemory(), Demo: demo > 0, DemoCount: demo,
		Clock: backend.ClockFunc(func() time.Time { return *at })})
	require.NoError(t, err)
	return sys
}

func names(t *testing.T, sys *System, kind string) []string {
	t.Helper()
	list, err := sys.Backups()
	require.NoError(t, err)
	var out []string
	for _, b := range list {
		if kind == "" || b.Kind == kind {
			out = append(out, b.Name)
		}
	}
	return out
}

func TestAutomaticBackupOncePerDayKeepsTheRetention(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, backend.JST)
	sys := openAt(t, t.TempDir(), &at, 0)
	defer sys.Close()
	require.NoError(t, sys.SetBackupSettings(ctx, BackupSettings{Auto: true, Keep: 3}))
	manual, err := sys.CreateBackup(ctx)
	require.NoError(t, err)

	for day := 0; day < 5; day++ {
		at = time.Date(2026, 11, 21+day, 3, 0, 0, 0, backend.JST)
		b, err := sys.AutoBackup(ctx, at)
		require.NoError(t, err)
		require.NotNil(t, b, "day %d", day)
		assert.Equal(t, BackupAuto, b.Kind)
		// Later the same JST day: nothing more.
		again, err := sys.AutoBackup(ctx, at.Add(20*time.Hour+59*time.Minute))
		require.NoError(t, err)
		assert.Nil(t, again)
	}
	assert.Equal(t, []string{"kessaidesk-auto-20261125-030000.db", "kessaidesk-auto-20261124-030000.db", "kessaidesk-auto-20261123-030000.db"},
		names(t, sys, BackupAuto), "the newest 3 are kept")
	assert.Equal(t, []string{manual.Name}, names(t, sys, BackupManual), "a backup made by hand is never pruned")

	// Fewer kept: the older ones go at once. Off: no backup is made.
	require.NoError(t, sys.SetBackupSettings(ctx, BackupSettings{Auto: false, Keep: 1}))
	assert.Equal(t, []string{"kessaidesk-auto-20261125-030000.db"}, names(t, sys, BackupAuto))
	b, err := sys.AutoBackup(ctx, at.AddDate(0, 0, 1))
	require.NoError(t, err)
	assert.Nil(t, b)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(sys.SetBackupSettings(ctx, BackupSettings{Auto: true, Keep: 0})))
}

func TestRestoreOfAChosenFile(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, backend.JST)
	// Another folder's shop (20 demo orders) backed up to a file somewhere.
	other := openAt(t, t.TempDir(), &at, 20)
	chosen := filepath.Join(t.TempDir(), "usb", "shop.db")
	require.NoError(t, os.MkdirAll(filepath.Dir(chosen), 0o700))
	require.NoError(t, other.Store.Backup(ctx, chosen))
	require.NoError(t, other.Close())

	dir := t.TempDir()
	sys := openAt(t, dir, &at, 0)
	require.NoError(t, sys.Store.SetSetting(ctx, "probe", "before the restore"))
	name, info, err := sys.RestoreFromFile(chosen)
	require.NoError(t, err)
	assert.Equal(t, 20, info.Orders)
	assert.Equal(t, name, sys.RestorePending())
	assert.Contains(t, names(t, sys, BackupFromFile), name, "copied in: the original may move")
	require.NoError(t, os.Remove(chosen))
	require.NoError(t, sys.Close())

	at = at.Add(time.Minute)
	sys = openAt(t, dir, &at, 0)
	defer sys.Close()
	page, err := sys.Store.FindOrders(ctx, backend.OrderFilter{})
	require.NoError(t, err)
	assert.Equal(t, 20, page.Total, "the chosen file's orders")
	note := sys.LastRestore()
	require.NotNil(t, note)
	assert.Equal(t, name, note.Name)
	assert.Equal(t, 20, note.Orders)
	assert.Empty(t, note.Refused)
	require.NotEmpty(t, note.Previous)
	assert.Contains(t, names(t, sys, BackupBeforeRestore), note.Previous)
	// The replaced database is in the list, whole: the restore can be undone.
	prev, err := sqlite.Open(filepath.Join(dir, "backups", note.Previous))
	require.NoError(t, err)
	v, err := prev.Setting(ctx, "probe")
	prev.Close()
	require.NoError(t, err)
	assert.Equal(t, "before the restore", v)
	require.NoError(t, sys.DismissRestoreNote())
	assert.Nil(t, sys.LastRestore())
}

func TestADamagedOrForeignFileIsRefusedAndNothingChanges(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, backend.JST)
	files := t.TempDir()

	// A Kessai Desk backup with pages overwritten in the middle.
	src := openAt(t, t.TempDir(), &at, 40)
	damaged := filepath.Join(files, "damaged.db")
	require.NoError(t, src.Store.Backup(ctx, damaged))
	newer := filepath.Join(files, "newer.db")
	require.NoError(t, src.Store.Backup(ctx, newer))
	require.NoError(t, src.Close())
	st, err := os.Stat(damaged)
	require.NoError(t, err)
	f, err := os.OpenFile(damaged, os.O_RDWR, 0)
	require.NoError(t, err)
	junk := make([]byte, 8192)
	for i := range junk {
		junk[i] = byte(i*7 + 3)
	}
	_, err = f.WriteAt(junk, st.Size()/2/4096*4096)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	// Written by a newer version.
	c, err := sql.Open("sqlite3", newer)
	require.NoError(t, err)
	_, err = c.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', 0)`)
	require.NoError(t, err)
	c.Close()
	// Another program's SQLite database, and a file that is no database at all.
	foreign := filepath.Join(files, "foreign.db")
	c, err = sql.Open("sqlite3", foreign)
	require.NoError(t, err)
	_, err = c.Exec(`CREATE TABLE notes (body TEXT)`)
	require.NoError(t, err)
	c.Close()
	text := filepath.Join(files, "orders.csv")
	require.NoError(t, os.WriteFile(text, []byte("注文番号,合計\n1,100\n"), 0o600))

	dir := t.TempDir()
	sys := openAt(t, dir, &at, 0)
	defer sys.Close()
	for file, want := range map[string]string{damaged: "壊れています", newer: "新しいバージョン", foreign: "決済デスクのデータベースではありません",
		text: "データベース（SQLite）ではありません", appdir.DatabaseFile(dir): "使用中のデータベース"} {
		_, _, err := sys.RestoreFromFile(file)
		require.Error(t, err, file)
		assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), file)
		assert.Contains(t, backend.ErrorMessage(err, "ja"), want, file)
		assert.NotEmpty(t, backend.ErrorMessage(err, "en"))
	}
	assert.Empty(t, sys.RestorePending(), "nothing scheduled")
	assert.Empty(t, names(t, sys, ""), "nothing copied")
}

func TestABackupBeforeEveryMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// A database one upgrade behind: 0009_reports (and what follows it) not yet applied.
	db, err := sqlite.OpenWith(appdir.DatabaseFile(dir), sqlite.Options{MigrateBefore: "0009_reports"})
	require.NoError(t, err)
	require.NoError(t, db.SetSetting(ctx, "probe", "before the upgrade"))
	require.NoError(t, db.Close())

	at := time.Date(2026, 11, 24, 9, 0, 0, 0, backend.JST)
	sys := openAt(t, dir, &at, 0)
	defer sys.Close()
	list := names(t, sys, BackupBeforeUpdate)
	require.Equal(t, []string{"kessaidesk-before-update-0009_reports-20261124-090000.db"}, list)
	info, err := CheckBackup(filepath.Join(dir, "backups", list[0]))
	require.NoError(t, err, "the copy is a whole database at the old version")
	assert.Less(t, info.Migration, "0009_reports")
	// Opened again: nothing more to upgrade, no second copy.
	require.NoError(t, sys.Close())
	sys = openAt(t, dir, &at, 0)
	assert.Len(t, names(t, sys, BackupBeforeUpdate), 1)
}
