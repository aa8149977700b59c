package system

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/appdir"
	"kessaidesk/backend/sqlite"
)

// Backups live in the data folder's "backups" subfolder, one file per copy, each a
// whole database made with SQLite's online backup (or VACUUM INTO before an upgrade).
func (s *System) backupDir() string { return backupDir(s.DataDir) }

func backupDir(dataDir string) string { return filepath.Join(dataDir, "backups") }

// restoreMarker names the backup to put in place at the next start.
func restoreMarker(dir string) string { return filepath.Join(dir, "restore-pending") }

// restoreNote is what the last restore did, for the window after the restart.
func restoreNote(dir string) string { return filepath.Join(dir, "restore-note.json") }

// Kinds of backup, told by the file name.
const (
	BackupManual        = "manual"         // kessaidesk-20261124-090000.db (バックアップを作成)
	BackupAuto          = "auto"           // kessaidesk-auto-…: the daily one, pruned to the retention
	BackupBeforeRestore = "before_restore" // kessaidesk-before-restore-…: the database a restore replaced
	BackupBeforeUpdate  = "before_update"  // kessaidesk-before-update-<migration>-…: before a schema upgrade
	BackupFromFile      = "from_file"      // kessaidesk-from-file-…: a file the operator chose to restore
	BackupBeforeShared  = "before_shared"  // kessaidesk-before-shared-…: the folder's own database when it joined or left a shared one
)

var backupPrefixes = []struct{ prefix, kind string }{
	{"kessaidesk-auto-", BackupAuto},
	{"kessaidesk-before-restore-", BackupBeforeRestore},
	{"kessaidesk-before-update-", BackupBeforeUpdate},
	{"kessaidesk-from-file-", BackupFromFile},
	{"kessaidesk-before-shared-", BackupBeforeShared},
	{"kessaidesk-", BackupManual},
}

const stamp = "20060102-150405"

func backupName(prefix string, at time.Time) string {
	return prefix + at.In(backend.JST).Format(stamp) + ".db"
}

// Settings of the automatic backup.
const (
	SettingBackupAuto = "backup.auto" // "0" = off; on by default
	SettingBackupKeep = "backup.keep" // how many automatic (daily) backups to keep
	DefaultBackupKeep = 14
)

// Backup is one database copy.
type Backup struct {
	Name    string
	Path    string
	Kind    string
	Size    int64
	Created time.Time // from the name (JST), else the file's time
}

func backupOf(dir, name string, info os.FileInfo) Backup {
	b := Backup{Name: name, Path: filepath.Join(dir, name), Size: info.Size(), Created: info.ModTime()}
	for _, p := range backupPrefixes {
		if strings.HasPrefix(name, p.prefix) {
			b.Kind = p.kind
			break
		}
	}
	base := strings.TrimSuffix(name, ".db")
	if len(base) >= len(stamp) {
		if t, err := time.ParseInLocation(stamp, base[len(base)-len(stamp):], backend.JST); err == nil {
			b.Created = t
		}
	}
	return b
}

// CreateBackup copies the live database (SQLite online backup) into the backups folder.
func (s *System) CreateBackup(ctx context.Context) (*Backup, error) {
	return s.backup(ctx, "kessaidesk-", s.Clock.Now())
}

func (s *System) backup(ctx context.Context, prefix string, at time.Time) (*Backup, error) {
	if err := os.MkdirAll(s.backupDir(), 0o700); err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "バックアップ用フォルダを作成できません", "cannot create the backups folder")
	}
	name := backupName(prefix, at)
	path := filepath.Join(s.backupDir(), name)
	if err := s.Store.Backup(ctx, path); err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	b := backupOf(s.backupDir(), name, st)
	return &b, nil
}

// Backups lists the copies, newest first.
func (s *System) Backups() ([]Backup, error) {
	entries, err := os.ReadDir(s.backupDir())
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Backup
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".db") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, backupOf(s.backupDir(), e.Name(), info))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, nil
}

// BackupSettings are the automatic backup's settings.
type BackupSettings struct {
	Auto bool
	Keep int // automatic backups kept (one a day)
}

// BackupSettings returns the automatic backup's settings (defaults filled in).
func (s *System) BackupSettings(ctx context.Context) (BackupSettings, error) {
	auto, err := s.Store.Setting(ctx, SettingBackupAuto)
	if err != nil {
		return BackupSettings{}, err
	}
	keep, err := s.Store.Setting(ctx, SettingBackupKeep)
	if err != nil {
		return BackupSettings{}, err
	}
	n, err := strconv.Atoi(keep)
	if err != nil || n < 1 {
		n = DefaultBackupKeep
	}
	return BackupSettings{Auto: auto != "0", Keep: n}, nil
}

// SetBackupSettings checks and saves the automatic backup's settings.
func (s *System) SetBackupSettings(ctx context.Context, bs BackupSettings) error {
	if bs.Keep < 1 || bs.Keep > 365 {
		return backend.Errorf(backend.EINVALID, "自動バックアップを残す数は1〜365の半角数字で入力してください", "keep 1 to 365 automatic backups")
	}
	auto := "1"
	if !bs.Auto {
		auto = "0"
	}
	if err := s.Store.SetSetting(ctx, SettingBackupAuto, auto); err != nil {
		return err
	}
	if err := s.Store.SetSetting(ctx, SettingBackupKeep, strconv.Itoa(bs.Keep)); err != nil {
		return err
	}
	_, err := s.pruneAuto(bs.Keep)
	return err
}

// AutoBackup makes the day's automatic backup when there is none yet for the JST day
// of at, then deletes the automatic backups beyond the retention (the others — made by
// hand, before a restore or an upgrade — are never deleted). nil when nothing was due.
func (s *System) AutoBackup(ctx context.Context, at time.Time) (*Backup, error) {
	bs, err := s.BackupSettings(ctx)
	if err != nil || !bs.Auto {
		return nil, err
	}
	list, err := s.Backups()
	if err != nil {
		return nil, err
	}
	for _, b := range list {
		if b.Kind == BackupAuto && backend.SameDayJST(b.Created, at) {
			return nil, nil
		}
	}
	b, err := s.backup(ctx, "kessaidesk-auto-", at)
	if err != nil {
		return nil, err
	}
	if _, err := s.pruneAuto(bs.Keep); err != nil {
		return b, err
	}
	return b, nil
}

// pruneAuto deletes the oldest automatic backups beyond keep; it returns their names.
func (s *System) pruneAuto(keep int) ([]string, error) {
	list, err := s.Backups()
	if err != nil {
		return nil, err
	}
	var gone []string
	n := 0
	for _, b := range list {
		if b.Kind != BackupAuto {
			continue
		}
		if n++; n <= keep {
			continue
		}
		if err := os.Remove(b.Path); err != nil && !os.IsNotExist(err) {
			return gone, err
		}
		gone = append(gone, b.Name)
	}
	return gone, nil
}

// autoBackupDelay is how long after the start the first check waits: a backup reads
// the whole database (a gigabyte for a million orders), which must not compete with
// the window's first screens.
var autoBackupDelay = 3 * time.Minute

// autoBackups checks every hour (the first time autoBackupDelay after the start)
// whether the day's backup is due.
func (s *System) autoBackups(ctx context.Context) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(autoBackupDelay):
	}
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if _, err := s.AutoBackup(ctx, s.Clock.Now()); err != nil && ctx.Err() == nil {
			backend.Announce(s.notifier, backend.Text{Ja: "自動バックアップに失敗しました", En: "The automatic backup failed"}, backend.ErrorText(err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CheckBackup checks a backup file (integrity, a Kessai Desk database, a schema
// this version knows) without changing anything.
func CheckBackup(path string) (*sqlite.FileInfo, error) { return sqlite.CheckFile(path) }

// ScheduleRestore chooses a backup to restore. It is checked first; the database is
// replaced at the next start, before it is opened (the current one is backed up
// beside it), so no running operation is cut in half.
func (s *System) ScheduleRestore(name string) (*sqlite.FileInfo, error) {
	if name == "" || filepath.Base(name) != name || !strings.HasSuffix(name, ".db") {
		return nil, backend.Errorf(backend.EINVALID, "バックアップを一覧から選んでください", "choose a backup from the list")
	}
	path := filepath.Join(s.backupDir(), name)
	if _, err := os.Stat(path); err != nil {
		return nil, backend.Errorf(backend.ENOTFOUND, "バックアップ「%s」が見つかりません", "backup %q not found", name)
	}
	info, err := CheckBackup(path)
	if err != nil {
		return nil, err
	}
	return info, os.WriteFile(restoreMarker(s.DataDir), []byte(name), 0o600)
}

// RestoreFromFile chooses any database file (a backup copied to a USB stick, another
// PC's) to restore at the next start. It is checked, then copied into the backups
// folder, so moving the original afterwards changes nothing.
func (s *System) RestoreFromFile(path string) (string, *sqlite.FileInfo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", nil, backend.Errorf(backend.EINVALID, "ファイル %s を開けません", "cannot open %s", path)
	}
	if abs == appdir.DatabaseFile(s.DataDir) {
		return "", nil, backend.Errorf(backend.EINVALID, "使用中のデータベースそのものは復元に使えません。バックアップのファイルを選んでください",
			"that is the database in use; choose a backup file")
	}
	if _, err := CheckBackup(abs); err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(s.backupDir(), 0o700); err != nil {
		return "", nil, err
	}
	name := backupName("kessaidesk-from-file-", s.Clock.Now())
	if err := copyFile(abs, filepath.Join(s.backupDir(), name)); err != nil {
		return "", nil, backend.Errorf(backend.EINTERNAL, "ファイルをバックアップフォルダにコピーできません: %v", "cannot copy the file into the backups folder: %v", err)
	}
	info, err := s.ScheduleRestore(name)
	if err != nil {
		os.Remove(filepath.Join(s.backupDir(), name))
		return "", nil, err
	}
	return name, info, nil
}

// RestorePending names the backup chosen for the next start ("" = none).
func (s *System) RestorePending() string {
	b, _ := os.ReadFile(restoreMarker(s.DataDir))
	return strings.TrimSpace(string(b))
}

// CancelRestore forgets a chosen restore.
func (s *System) CancelRestore() error {
	err := os.Remove(restoreMarker(s.DataDir))
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

// RestoreNote says what the restore at the last start did.
type RestoreNote struct {
	At        time.Time `json:"at"`
	Name      string    `json:"name"`      // the backup put in place
	Created   time.Time `json:"created"`   // when that backup was made
	Orders    int       `json:"orders"`    // orders in it
	LastOrder time.Time `json:"lastOrder"` // its newest order's 注文日
	Previous  string    `json:"previous"`  // the backup of the database it replaced ("" = kept only as Kept)
	Kept      string    `json:"kept"`      // the replaced database file, renamed beside it
	// Refused: the restore was not done (the file changed or broke since it was
	// chosen); the database is the one before.
	Refused   string `json:"refused"`
	RefusedEn string `json:"refusedEn"`
}

// LastRestore returns what the last restore did (nil = none to report).
func (s *System) LastRestore() *RestoreNote {
	b, err := os.ReadFile(restoreNote(s.DataDir))
	if err != nil {
		return nil
	}
	var n RestoreNote
	if json.Unmarshal(b, &n) != nil {
		return nil
	}
	return &n
}

// DismissRestoreNote forgets the note once the operator has read it.
func (s *System) DismissRestoreNote() error {
	err := os.Remove(restoreNote(s.DataDir))
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

func writeNote(dir string, n *RestoreNote) error {
	b, err := json.Marshal(n)
	if err != nil {
		return err
	}
	return os.WriteFile(restoreNote(dir), b, 0o600)
}

// applyPendingRestore runs before the database is opened. The chosen backup is
// checked again; the database it replaces is kept beside it (renamed, with its WAL)
// and copied as a backup in the list, so a restore can itself be undone.
func applyPendingRestore(dir string, now time.Time) error {
	b, err := os.ReadFile(restoreMarker(dir))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	name := filepath.Base(strings.TrimSpace(string(b)))
	src := filepath.Join(backupDir(dir), name)
	db := appdir.DatabaseFile(dir)
	if _, err := os.Stat(src); err != nil {
		os.Remove(restoreMarker(dir))
		return backend.Errorf(backend.ENOTFOUND, "復元するバックアップ「%s」が見つかりません", "the backup to restore (%q) is missing", name)
	}
	note := &RestoreNote{At: now, Name: name}
	info, err := CheckBackup(src)
	if err != nil {
		// Damaged since it was chosen: the shop's database stays as it is.
		note.Refused, note.RefusedEn = backend.ErrorMessage(err, "ja"), backend.ErrorMessage(err, "en")
		os.Remove(restoreMarker(dir))
		return writeNote(dir, note)
	}
	if st, err := os.Stat(src); err == nil {
		note.Created = backupOf(backupDir(dir), name, st).Created
	}
	note.Orders, note.LastOrder = info.Orders, info.LastOrder
	if _, err := os.Stat(db); err == nil {
		// The replaced database keeps its WAL (the changes not yet checkpointed into
		// the main file): renamed along with it, SQLite reads them back when the kept
		// copy is opened.
		keep := fmt.Sprintf("%s.before-restore-%s", db, now.In(backend.JST).Format(stamp))
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(db+suffix, keep+suffix); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
		note.Kept = filepath.Base(keep)
		// A copy in the backups list, one file with the WAL's changes folded in. A
		// database too damaged to copy is still kept as renamed.
		prev := backupName("kessaidesk-before-restore-", now)
		if os.MkdirAll(backupDir(dir), 0o700) == nil && sqlite.VacuumInto(keep, filepath.Join(backupDir(dir), prev)) == nil {
			note.Previous = prev
		}
	}
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	if err := copyFile(src, db); err != nil {
		return err
	}
	if err := os.Remove(restoreMarker(dir)); err != nil {
		return err
	}
	return writeNote(dir, note)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst+".tmp", os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(dst+".tmp", dst)
}
