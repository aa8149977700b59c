package system

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/appdir"
	"kessaidesk/backend/dbmove"
	"kessaidesk/backend/pgstore"
	"kessaidesk/backend/shareddb"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/sqlite/migrations"
)

// SharedStatus is what 設定 → 共有データベース shows.
type SharedStatus struct {
	Mode        string           // "local", "shared" or "offline"
	Database    string           // the SQLite file, or user@host:port/database
	Config      *shareddb.Config // nil in local mode
	HasPassword bool             // the keychain holds the server's password
	Offline     error            // why the server is not used (offline mode)
	CopyAt      time.Time        // when the last copy of the server was made (zero: none)
}

// SharedStatus says where the orders are.
func (s *System) SharedStatus() SharedStatus {
	st := SharedStatus{Mode: "local", Database: s.Database, Config: s.Shared, Offline: s.Offline}
	if s.Shared == nil {
		return st
	}
	st.Mode = "shared"
	if s.Offline != nil {
		st.Mode = "offline"
	}
	_, err := shareddb.Passwords(s.keychain, s.Shared).Get(shareddb.PasswordKey)
	st.HasPassword = err == nil
	if fi, err := os.Stat(filepath.Join(s.DataDir, shareddb.CopyFile)); err == nil {
		st.CopyAt = fi.ModTime()
	}
	return st
}

// migrationNames are this version's schema steps.
func migrationNames() []string {
	ms, _ := migrations.Postgres()
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	return names
}

// passwordFor is the password typed, or the one kept for the current server when the
// operator left the field empty.
func (s *System) passwordFor(c *shareddb.Config, typed string) string {
	if typed != "" || s.Shared == nil {
		return typed
	}
	c.ID = s.Shared.ID
	p, _ := shareddb.Passwords(s.keychain, s.Shared).Get(shareddb.PasswordKey)
	return p
}

// TestShared is the connection test: it changes nothing, here or on the server.
func (s *System) TestShared(ctx context.Context, c shareddb.Config, password string) (*shareddb.TestResult, error) {
	return shareddb.Test(ctx, &c, s.passwordFor(&c, password), migrationNames())
}

// JoinShared points this desktop at a team's server that already holds (or will hold)
// the shop's orders. This folder's own orders are not copied: a folder holding a real
// shop's orders is refused (move them with MoveToServer instead). It takes effect at
// the restart.
func (s *System) JoinShared(ctx context.Context, c shareddb.Config, password string) (*shareddb.TestResult, error) {
	password = s.passwordFor(&c, password)
	res, err := shareddb.Test(ctx, &c, password, migrationNames())
	if err != nil {
		return nil, err
	}
	if err := refuseSchema(res); err != nil {
		return nil, err
	}
	if s.Shared == nil {
		own, err := s.ownShopData(ctx)
		if err != nil {
			return nil, err
		}
		if own && res.Orders > 0 {
			return nil, backend.Errorf(backend.ECONFLICT, "このPCのデータベースにもショップの受注があります。サーバーにも受注があるため、そのまま参加すると、このPCの受注は使われなくなります。"+
				"このPCの受注をサーバーへ移すか（サーバーが空のとき）、不要ならバックアップを取ってから参加してください",
				"this PC's database holds a shop's orders and so does the server; joining would leave this PC's orders unused. Move them to the server (when it is empty), or back them up before joining")
		}
	}
	if err := s.saveShared(ctx, &c, password); err != nil {
		return nil, err
	}
	s.awaitRestart()
	return res, nil
}

// ownShopData reports whether the folder's own database holds a shop's (not the demo's)
// orders.
func (s *System) ownShopData(ctx context.Context) (bool, error) {
	empty, err := s.Store.IsEmpty(ctx)
	if err != nil || empty {
		return false, err
	}
	demo, err := s.Store.DemoPresent(ctx)
	return !demo, err
}

func refuseSchema(res *shareddb.TestResult) error {
	switch res.Schema {
	case "newer":
		return backend.Errorf(backend.ECONFLICT, "サーバーのデータベースは、この決済デスクより新しい版で使われています。先にこのPCの決済デスクを更新してください",
			"the server's database is used by a newer Kessai Desk; update Kessai Desk on this PC first")
	case "foreign":
		return backend.Errorf(backend.ECONFLICT, "このデータベースには決済デスクのものではない表があります。決済デスク専用の空のデータベースを指定してください",
			"this database holds tables that are not Kessai Desk's; choose an empty database of its own")
	}
	return nil
}

// saveShared keeps the configuration and the password, and carries this desktop's own
// settings (操作者, language…) over to the folder's desktop settings file.
func (s *System) saveShared(ctx context.Context, c *shareddb.Config, password string) error {
	if c.ID == "" && s.Shared != nil {
		c.ID = s.Shared.ID
	}
	if s.Shared == nil {
		local := &desktopSettings{path: filepath.Join(s.DataDir, DesktopSettingsFile)}
		for key := range desktopKeys {
			if v, err := s.Store.Setting(ctx, key); err == nil && v != "" {
				if err := local.set(key, v); err != nil {
					return err
				}
			}
		}
	}
	if err := shareddb.Save(s.DataDir, c); err != nil {
		return err
	}
	if password != "" {
		if err := shareddb.Passwords(s.keychain, c).Set(shareddb.PasswordKey, password); err != nil {
			return backend.Errorf(backend.ECREDENTIAL, "パスワードをキーチェーンに保存できません: %s", "cannot keep the password in the keychain: %s",
				backend.ErrorMessage(err, "ja"))
		}
	}
	return nil
}

// Progress of a move, for the window (event "shared:progress").
const EventSharedProgress = "shared:progress"

// MoveToServer copies this folder's database to an empty shared server, checks every
// table's count, and points the folder at the server (at the restart). The background
// work stops first: nothing changes the database during the copy. The demo shop is not
// moved (its sandbox lives on this PC).
func (s *System) MoveToServer(ctx context.Context, c shareddb.Config, password string) (*dbmove.Report, error) {
	local, ok := s.Store.(*sqlite.DB)
	if !ok || s.Shared != nil {
		return nil, backend.Errorf(backend.ECONFLICT, "既に共有データベースを使っています", "the shared database is already in use")
	}
	if demo, err := s.Store.DemoPresent(ctx); err != nil || demo {
		if err != nil {
			return nil, err
		}
		return nil, backend.Errorf(backend.ECONFLICT, "デモショップはサーバーへ移せません（デモの決済はこのPCの中にあります）。設定でデモショップを削除してから移してください",
			"the demo shop cannot be moved to a server (its payments live on this PC); remove the demo shop in Settings first")
	}
	password = s.passwordFor(&c, password)
	res, err := shareddb.Test(ctx, &c, password, migrationNames())
	if err != nil {
		return nil, err
	}
	if err := refuseSchema(res); err != nil {
		return nil, err
	}
	if res.Orders > 0 {
		return nil, backend.Errorf(backend.ECONFLICT, "サーバーのデータベースには既に %d 件の受注があります。移行は空のデータベースにだけできます。チームのデータベースに加わるときは「参加」を使ってください",
			"the server's database already holds %d orders; a move needs an empty database. To join the team's database use Join", res.Orders)
	}
	s.stopBackground()
	pg, err := pgstore.Open(ctx, c.DSN(password), pgstore.Options{})
	if err != nil {
		return nil, shareddb.Explain(&c, err)
	}
	defer pg.Close()
	report, err := dbmove.ToServer(ctx, local, pg, s.moveProgress)
	if err != nil {
		return nil, err
	}
	s.Log.Info("moved to the shared database", "server", c.Label(), "tables", len(report.Tables))
	if err := s.saveShared(ctx, &c, password); err != nil {
		return nil, err
	}
	s.awaitRestart()
	return report, nil
}

// MoveToLocal copies the shared database into this folder's own file and stops using
// the server (at the restart). The server keeps its data for the other desktops. The
// folder's previous own database, if any, goes to the backups list.
func (s *System) MoveToLocal(ctx context.Context) (*dbmove.Report, error) {
	shared, ok := s.Store.(*sharedStore)
	if !ok {
		return nil, backend.Errorf(backend.ECONFLICT, "共有データベースに接続していないため、コピーできません", "not connected to the shared database: nothing to copy")
	}
	s.stopBackground()
	path := appdir.DatabaseFile(s.DataDir)
	tmp := path + ".from-server"
	removeDatabase(tmp)
	report, err := dbmove.ToLocal(ctx, shared.DB, tmp, s.moveProgress)
	if err != nil {
		removeDatabase(tmp)
		return nil, err
	}
	if err := s.setAsideOwnDatabase(); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "コピーしたデータベースを置けません: %v", "cannot put the copied database in place: %v", err)
	}
	// This desktop's settings go back into its own database.
	if db, err := sqlite.Open(path); err == nil {
		for key := range desktopKeys {
			if v, _ := shared.local.get(key); v != "" {
				db.SetSetting(ctx, key, v)
			}
		}
		db.Close()
	}
	if err := shareddb.Remove(s.DataDir, s.keychain); err != nil {
		return nil, err
	}
	s.awaitRestart()
	return report, nil
}

// LeaveShared stops using the server without copying anything (at the restart). The
// folder's own database from before is set aside in the backups list — its orders are
// older than the server's — so the next start begins empty.
func (s *System) LeaveShared(ctx context.Context) error {
	if s.Shared == nil {
		return nil
	}
	s.stopBackground()
	if err := s.setAsideOwnDatabase(); err != nil {
		return err
	}
	if err := shareddb.Remove(s.DataDir, s.keychain); err != nil {
		return err
	}
	s.awaitRestart()
	return nil
}

// awaitRestart: the folder now points at another database, which the next start
// opens. Until then nothing is sent from this one (its changes would not be where the
// orders now are) and nothing runs in the background.
func (s *System) awaitRestart() {
	s.stopBackground()
	s.Gateways.SetUnavailable(backend.Errorf(backend.ECONFLICT,
		"受注データの場所を変えました。決済デスクを再起動するまで、決済の操作は送信できません（設定 → 共有データベースの「再起動」）",
		"the orders' database was changed; no payment operation can be sent until Kessai Desk restarts (Settings → Shared database → Restart)"))
}

// setAsideOwnDatabase moves the folder's own (unused) database into the backups list.
func (s *System) setAsideOwnDatabase() error {
	path := appdir.DatabaseFile(s.DataDir)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err := os.MkdirAll(backupDir(s.DataDir), 0o700); err != nil {
		return err
	}
	dest := filepath.Join(backupDir(s.DataDir), backupName("kessaidesk-before-shared-", s.Clock.Now()))
	if err := os.Rename(path, dest); err != nil {
		return backend.Errorf(backend.EINTERNAL, "このPCの以前のデータベースをバックアップへ移せません: %v", "cannot move this PC's previous database to the backups: %v", err)
	}
	for _, ext := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + ext); err == nil {
			os.Rename(path+ext, dest+ext)
		}
	}
	return nil
}

func removeDatabase(path string) {
	for _, ext := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + ext)
	}
}

func (s *System) moveProgress(p dbmove.Progress) { s.notifier.Emit(EventSharedProgress, p) }

// stopBackground stops the sync, the backups and a link run (a move, then a restart).
func (s *System) stopBackground() {
	if s.stop != nil {
		s.stop()
		s.wg.Wait()
	}
	if s.Links != nil {
		s.Links.Cancel()
		s.Links.Wait()
	}
}

// offlineCopyEvery is how often the last copy of the shared database is renewed.
const offlineCopyEvery = time.Hour

// keepOfflineCopy renews the folder's copy of the shared database (shown read-only
// when the server cannot be reached) soon after the start and then every hour.
func (s *System) keepOfflineCopy(ctx context.Context) {
	wait := time.Minute
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = offlineCopyEvery
		if err := s.RenewOfflineCopy(ctx); err != nil && ctx.Err() == nil {
			s.Log.Warn("the offline copy of the shared database was not renewed", "error", backend.ErrorMessage(err, "en"))
		}
	}
}

// RenewOfflineCopy copies the shared database into the folder's offline copy (a new
// file put in place only when complete).
func (s *System) RenewOfflineCopy(ctx context.Context) error {
	shared, ok := s.Store.(*sharedStore)
	if !ok {
		return nil
	}
	path := filepath.Join(s.DataDir, shareddb.CopyFile)
	tmp := path + ".new"
	removeDatabase(tmp)
	if _, err := dbmove.ToLocal(ctx, shared.DB, tmp, nil); err != nil {
		removeDatabase(tmp)
		return err
	}
	removeDatabase(path)
	if err := os.Rename(tmp, path); err != nil {
		return backend.Errorf(backend.EINTERNAL, "オフライン用のコピーを置けません: %v", "cannot put the offline copy in place: %v", err)
	}
	return nil
}
