package system

// The shared database (issue 18): a data folder whose shared-db.json names a
// PostgreSQL server keeps its orders there, with every desktop of the team. What stays
// in the folder: the lock (one process per folder still), the log, the keychain scope's
// sealed files, the desktop's own settings (desktopKeys) and the last copy of the
// server, opened read-only when the server cannot be reached.

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/appdir"
	"kessaidesk/backend/dbmove"
	"kessaidesk/backend/pgstore"
	"kessaidesk/backend/shareddb"
	"kessaidesk/backend/sqlite"
)

// DesktopSettingsFile keeps this desktop's own settings while the orders are on a
// shared server (on SQLite they are in the folder's database, which is this desktop's).
const DesktopSettingsFile = "desktop-settings.json"

// desktopKeys are the settings that belong to one desktop, not to the team: who sits
// at it (操作者), its language and window, its log level and its own backups — the
// keys a move leaves behind (dbmove.LocalSettings; app's test checks its own keys are
// among them).
var desktopKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range dbmove.LocalSettings {
		m[k] = true
	}
	return m
}()

// IsDesktopSetting reports whether key is kept per desktop.
func IsDesktopSetting(key string) bool { return desktopKeys[key] }

// openStore opens the folder's database: its own SQLite file, or the team's server
// named by shared-db.json. A server that cannot be used (unreachable, the password
// missing or refused) opens the last copy read-only instead, with why in offline.
func openStore(ctx context.Context, dir string, clock backend.Clock, keychain backend.Vault) (store Store, label string, shared *shareddb.Config, offline error, err error) {
	shared, err = shareddb.Load(dir)
	if err != nil {
		return nil, "", nil, nil, err
	}
	if shared == nil {
		db, err := sqlite.OpenWith(appdir.DatabaseFile(dir), sqlite.Options{MigrationBackup: func(migration string) (string, error) {
			if err := os.MkdirAll(backupDir(dir), 0o700); err != nil {
				return "", err
			}
			return filepath.Join(backupDir(dir), backupName("kessaidesk-before-update-"+migration+"-", clock.Now())), nil
		}})
		if err != nil {
			return nil, "", nil, nil, err
		}
		db.Now = clock.Now
		return db, db.Path, nil, nil, nil
	}
	local := &desktopSettings{path: filepath.Join(dir, DesktopSettingsFile)}
	pg, err := openServer(ctx, shared, keychain)
	if err == nil {
		pg.Now = clock.Now
		return &sharedStore{DB: pg, local: local}, shared.Label(), shared, nil, nil
	}
	if backend.ErrorCode(err) != backend.EOFFLINE && backend.ErrorCode(err) != backend.ECREDENTIAL {
		// A newer schema or a damaged configuration: not something to work around.
		return nil, "", nil, nil, err
	}
	copyDB, err2 := openOfflineCopy(dir)
	if err2 != nil {
		return nil, "", nil, nil, errors.Join(err, err2)
	}
	copyDB.Now = clock.Now
	return &offlineStore{DB: copyDB, local: local, why: err}, copyDB.Path, shared, err, nil
}

// openServer connects to the shared database with the password from the keychain.
func openServer(ctx context.Context, c *shareddb.Config, keychain backend.Vault) (*pgstore.DB, error) {
	password, err := shareddb.Passwords(keychain, c).Get(shareddb.PasswordKey)
	if err != nil {
		return nil, backend.Errorf(backend.ECREDENTIAL, "共有データベース %s のパスワードがこのPCのキーチェーンにありません。設定 → 共有データベースで入力してください",
			"the password of the shared database %s is not in this PC's keychain; enter it in Settings → Shared database", c.Label())
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	db, err := pgstore.Open(ctx, c.DSN(password), pgstore.Options{})
	if err != nil {
		be := (*backend.Error)(nil)
		if errors.As(err, &be) && be.Code != backend.EOFFLINE {
			return nil, err // pgstore's own refusal (a newer schema)
		}
		if be != nil && be.Err != nil {
			err = be.Err // the driver's error, explained once rather than twice
		}
		return nil, shareddb.Explain(c, err)
	}
	return db, nil
}

// openOfflineCopy opens the last copy of the server read-only; without one, an empty
// database, so that the window can start and say what is wrong.
func openOfflineCopy(dir string) (*sqlite.DB, error) {
	path := filepath.Join(dir, shareddb.CopyFile)
	if _, err := os.Stat(path); err != nil {
		path = filepath.Join(dir, "shared-offline-empty.db")
		os.Remove(path)
	}
	return sqlite.OpenWith(path, sqlite.Options{ReadOnly: true})
}

// sharedStore is the shared database with this desktop's own settings kept in the
// data folder. It embeds the PostgreSQL store itself (not the Store interface) so that
// what only a shared store has — claims on operations, the run lock, the change feed —
// stays visible to the engine, the sync and the live view.
type sharedStore struct {
	*pgstore.DB
	local *desktopSettings
}

func (d *sharedStore) Setting(ctx context.Context, key string) (string, error) {
	if desktopKeys[key] {
		return d.local.get(key)
	}
	return d.DB.Setting(ctx, key)
}

func (d *sharedStore) SetSetting(ctx context.Context, key, value string) error {
	if desktopKeys[key] {
		return d.local.set(key, value)
	}
	return d.DB.SetSetting(ctx, key, value)
}

// desktopSettings is a small JSON file of settings.
type desktopSettings struct {
	mu   sync.Mutex
	path string
}

func (f *desktopSettings) read() (map[string]string, error) {
	m := map[string]string{}
	b, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "このPCの設定 %s を読めません: %v", "cannot read this desktop's settings %s: %v", f.path, err)
	}
	if json.Unmarshal(b, &m) != nil {
		return map[string]string{}, nil // damaged: the defaults, and the next change rewrites it
	}
	return m, nil
}

func (f *desktopSettings) get(key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	return m[key], err
}

func (f *desktopSettings) set(key, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	if value == "" {
		delete(m, key)
	} else {
		m[key] = value
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	tmp := f.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return backend.Errorf(backend.EINTERNAL, "このPCの設定を保存できません: %v", "cannot save this desktop's settings: %v", err)
	}
	return os.Rename(tmp, f.path)
}

// offlineStore is the last copy of the shared database while the server cannot be
// reached: it reads, and refuses every change with why (the copy itself is opened
// read-only too, so a change not listed here fails as well). Nothing is sent to a
// gateway: an operation is refused before it is journalled.
type offlineStore struct {
	*sqlite.DB
	local *desktopSettings
	why   error
}

func (o *offlineStore) Setting(ctx context.Context, key string) (string, error) {
	if desktopKeys[key] {
		return o.local.get(key)
	}
	return o.DB.Setting(ctx, key)
}

func (o *offlineStore) refuse() error {
	return &backend.Error{Code: backend.EOFFLINE,
		Message: "共有データベースに接続できないため、最後のコピーを読み取り専用で表示しています。決済の操作や変更はできません（何も送信していません）。" +
			"サーバーに接続できるようになったら、設定 → 共有データベースの「再接続」を押してください。理由: " + backend.ErrorMessage(o.why, "ja"),
		MessageEn: "the shared database cannot be reached: this is its last copy, read-only. Payment operations and changes are not possible (nothing was sent). " +
			"Once the server can be reached, press Reconnect in Settings → Shared database. Reason: " + backend.ErrorMessage(o.why, "en")}
}

func (o *offlineStore) BeginOperation(context.Context, *backend.Operation) error { return o.refuse() }
func (o *offlineStore) SaveOrder(context.Context, *backend.Order) error          { return o.refuse() }
func (o *offlineStore) SaveOrders(context.Context, []*backend.Order) error       { return o.refuse() }
func (o *offlineStore) SavePayment(context.Context, *backend.Payment) error      { return o.refuse() }
func (o *offlineStore) SavePayments(context.Context, []*backend.Payment) error   { return o.refuse() }
func (o *offlineStore) SetOrderStatus(context.Context, int64, backend.OrderStatus, string) error {
	return o.refuse()
}
func (o *offlineStore) SaveProfile(context.Context, *backend.GatewayProfile) error { return o.refuse() }
func (o *offlineStore) DeleteProfile(context.Context, int64) error                 { return o.refuse() }
func (o *offlineStore) AttachPayment(context.Context, *backend.Payment, string) error {
	return o.refuse()
}
func (o *offlineStore) QueueLinks(context.Context, []int64) (int, error) { return 0, o.refuse() }
func (o *offlineStore) BeginImport(ctx context.Context, write bool) (backend.ImportTx, error) {
	if write {
		return nil, o.refuse()
	}
	return o.DB.BeginImport(ctx, write)
}
func (o *offlineStore) SetSetting(ctx context.Context, key, value string) error {
	if desktopKeys[key] {
		return o.local.set(key, value)
	}
	return o.refuse()
}
func (o *offlineStore) CloseInterruptedBulkJobs(context.Context) (int, error) { return 0, nil }
