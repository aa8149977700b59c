package system

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/appdir"
)

// Backups live in the data folder's "backups" subfolder, one file per copy.
func (s *System) backupDir() string { return filepath.Join(s.DataDir, "backups") }

// restoreMarker names the backup to put in place at the next start.
func restoreMarker(dir string) string { return filepath.Join(dir, "restore-pending") }

// Backup is one database copy.
type Backup struct {
	Name    string
	Path    string
	Size    int64
	ModTime time.Time
}

// CreateBackup copies the live database (SQLite online backup) into the backups folder.
func (s *System) CreateBackup(ctx context.Context) (*Backup, error) {
	if err := os.MkdirAll(s.backupDir(), 0o700); err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "バックアップ用フォルダを作成できません", "cannot create the backups folder")
	}
	name := "kessaidesk-" + s.Clock.Now().In(backend.JST).Format("20060102-150405") + ".db"
	path := filepath.Join(s.backupDir(), name)
	if err := s.Store.Backup(ctx, path); err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	return &Backup{Name: name, Path: path, Size: st.Size(), ModTime: st.ModTime()}, nil
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
		out = append(out, Backup{Name: e.Name(), Path: filepath.Join(s.backupDir(), e.Name()), Size: info.Size(), ModTime: info.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name > out[j].Name })
	return out, nil
}

// ScheduleRestore chooses a backup to restore. The database is replaced at the next
// start, before it is opened (the current one is kept beside it), so no running
// operation is cut in half.
func (s *System) ScheduleRestore(name string) error {
	if name == "" || filepath.Base(name) != name || !strings.HasSuffix(name, ".db") {
		return backend.Errorf(backend.EINVALID, "バックアップを一覧から選んでください", "choose a backup from the list")
	}
	if _, err := os.Stat(filepath.Join(s.backupDir(), name)); err != nil {
		return backend.Errorf(backend.ENOTFOUND, "バックアップ「%s」が見つかりません", "backup %q not found", name)
	}
	return os.WriteFile(restoreMarker(s.DataDir), []byte(name), 0o600)
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

// applyPendingRestore runs before the database is opened.
func applyPendingRestore(dir string, now time.Time) error {
	b, err := os.ReadFile(restoreMarker(dir))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	name := strings.TrimSpace(string(b))
	src := filepath.Join(dir, "backups", filepath.Base(name))
	db := appdir.DatabaseFile(dir)
	if _, err := os.Stat(src); err != nil {
		os.Remove(restoreMarker(dir))
		return backend.Errorf(backend.ENOTFOUND, "復元するバックアップ「%s」が見つかりません", "the backup to restore (%q) is missing", name)
	}
	if _, err := os.Stat(db); err == nil {
		// The replaced database keeps its WAL (the changes not yet checkpointed into
		// the main file): renamed along with it, SQLite reads them back when the kept
		// copy is opened.
		keep := fmt.Sprintf("%s.before-restore-%s", db, now.In(backend.JST).Format("20060102-150405"))
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(db+suffix, keep+suffix); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
	}
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	if err := copyFile(src, db); err != nil {
		return err
	}
	return os.Remove(restoreMarker(dir))
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
