// Package system assembles Kessai Desk from its parts — the store, the vault, the
// gateway clients, the demo sandbox and the services — for the window and the
// command line alike.
package system

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	gosync "sync"

	"kessaidesk/backend"
	"kessaidesk/backend/appdir"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/link"
	"kessaidesk/backend/logging"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/profiles"
	"kessaidesk/backend/sandbox"
	"kessaidesk/backend/shareddb"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/sync"
	"kessaidesk/backend/throttle"
	"kessaidesk/backend/vault"
)

// Config says where the data lives and how to start.
type Config struct {
	DataDir string        // "" = the OS's per-user data directory
	Clock   backend.Clock // nil = the real clock
	// SimClock is the demo sandbox's clock (tests move it with Clock); nil = real time.
	SimClock *simkit.Clock
	Vault    backend.Vault // nil = the OS keychain
	// Demo creates the demo shop on a new data folder at once (the -demo flag, tests).
	// Without it nothing is created: the window asks the operator (StartDemo or
	// StartOwnShop), and a command never seeds the demo.
	Demo      bool
	DemoCount int // orders in the demo shop (default 300)
	// Version and BuildDate are the build's (main's -ldflags), for the log and the
	// support bundle; Mode is "window" or "command", for the log.
	Version, BuildDate, Mode string
}

// LockFile is the file in the data folder that one process at a time holds.
const LockFile = "kessaidesk.lock"

// Settings keys owned here.
const (
	// SettingDemo is "seeded" once the demo shop was created, "removed" after the
	// operator removed it (so it is never created twice) and "own" when the operator
	// started with their own shop. "" on a new data folder: the first window asks.
	SettingDemo = "demo.state"
)

// Demo states (SettingDemo).
const (
	DemoSeeding = "seeding" // set before the demo shop is made: still there at a start, it was cut short
	DemoSeeded  = "seeded"
	DemoRemoved = "removed"
	DemoOwnShop = "own"
)

// System is a running Kessai Desk.
type System struct {
	DataDir string
	// Database says where the orders are: the SQLite file's path, or the shared
	// server as host/database (never its password).
	Database string
	Store    Store
	// Shared is the team's server when the orders are on one (nil: this folder's own
	// database); Offline says why its last copy is shown read-only instead (nil: online).
	Shared   *shareddb.Config
	Offline  error
	Engine   *payment.Engine
	Bulk     *payment.Bulk
	Syncer   *sync.Syncer
	Links    *link.Service
	Gateways *gateways.Factory
	Profiles *profiles.Service
	Sandbox  *sandbox.Sandbox // nil when there is no demo shop
	Vault    backend.Vault
	Clock    backend.Clock
	Limits   *throttle.Registry
	// Log is the folder's log (logs/kessaidesk.log); it discards when none could be opened.
	Log *slog.Logger

	keychain   backend.Vault // the OS keychain itself (the shared database's password)
	logFile    *logging.Log
	cfg        Config
	setup      gosync.Mutex // StartDemo / StartOwnShop
	sandboxErr error        // why the demo sandbox did not start (nil: it runs, or there is no demo)
	notifier   *switchNotifier
	stop       context.CancelFunc
	wg         gosync.WaitGroup
	closers    []func() error
}

// Open opens the database in the data directory, starts the demo sandbox when the
// demo shop exists (creating it on a first start), and wires the services.
func Open(ctx context.Context, cfg Config) (s *System, err error) {
	dir := cfg.DataDir
	if dir == "" {
		if dir, err = appdir.Default(); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "データフォルダ %s を作成できません: %v", "cannot create the data folder %s: %v", dir, err)
	}
	clock := cfg.Clock
	if clock == nil {
		clock = backend.SystemClock{}
	}
	v := cfg.Vault
	if v == nil {
		v = vault.Keyring{}
	}
	// One process per data folder: the window and the commands share it in turn.
	lock, err := sqlite.AcquireLock(filepath.Join(dir, LockFile))
	if err != nil {
		return nil, err
	}
	if err := applyPendingRestore(dir, clock.Now()); err != nil {
		lock.Release()
		return nil, err
	}
	// The folder's own database, or the team's shared server (a schema upgrade of the
	// folder's own is preceded by a copy into the backups list).
	keychain := v
	store, label, shared, offline, err := openStore(ctx, dir, clock, keychain)
	if err != nil {
		lock.Release()
		return nil, err
	}
	// Keychain entries are named after this folder (two folders on one PC never share
	// a "profile 1"); secrets too large for the keychain (client certificates) are
	// sealed in a file whose key is in the keychain.
	scoped, err := folderVault(ctx, store, v)
	if err != nil {
		store.Close()
		lock.Release()
		return nil, err
	}
	v = &vault.Sealed{Keychain: scoped, Dir: filepath.Join(dir, "secrets")}
	s = &System{DataDir: dir, Database: label, Shared: shared, Offline: offline, Store: store, keychain: keychain, Clock: clock, Vault: v, cfg: cfg, notifier: &switchNotifier{},
		Limits: &throttle.Registry{}, Log: logging.Discard}
	s.closers = append(s.closers, lock.Release, store.Close)
	s.openLog(ctx)
	if s.logFile != nil {
		s.closers = append([]func() error{s.closeLog}, s.closers...) // closed last
	}
	s.notifier.log = s.logEvent
	opened := s // the named result is nil by the time an error return runs this
	defer func() {
		if err != nil {
			opened.Log.Error("start failed", "code", backend.ErrorCode(err), "error", backend.ErrorMessage(err, "en"))
			opened.Close()
		}
	}()
	// Bulk runs a previous process left running are over (we hold the folder now).
	if _, err := store.CloseInterruptedBulkJobs(ctx); err != nil {
		return nil, err
	}

	if err := s.startSandbox(ctx, cfg); err != nil {
		return nil, err
	}
	s.Gateways = &gateways.Factory{Vault: v, SandboxErr: s.sandboxErr, Log: s.Log}
	if o, ok := store.(*offlineStore); ok {
		s.Gateways.SetUnavailable(o.refuse()) // nothing is sent from the offline copy
	}
	if s.Sandbox != nil {
		s.Gateways.Sandbox = s.Sandbox
	}
	s.Profiles = &profiles.Service{Store: store, Vault: v, Gateways: s.Gateways}
	s.Engine = &payment.Engine{Store: store, Gateways: s.Gateways, Clock: clock, Notifier: s.notifier}
	s.Bulk = &payment.Bulk{Engine: s.Engine, Limits: s.Limits}
	s.Links = &link.Service{Store: store, Gateways: s.Gateways, Clock: clock, Notifier: s.notifier, Limits: s.Limits}
	s.Syncer = &sync.Syncer{Store: store, Gateways: s.Gateways, Engine: s.Engine, Clock: clock,
		Notifier: s.notifier, Limits: s.Limits, Log: s.Log}
	return s, nil
}

// Settings keys of the folder's keychain scope.
const (
	settingVaultScope  = "vault.scope"  // the folder's id in keychain entry names
	settingVaultLegacy = "vault.legacy" // "1": the folder predates scoped names
)

// folderVault names the keychain entries after this data folder: an id made once per
// folder and kept in its database. A folder that already had profiles when the id was
// made (an older version's) may still find its secrets under the bare names.
func folderVault(ctx context.Context, store Store, keychain backend.Vault) (*vault.Scoped, error) {
	scope, err := store.Setting(ctx, settingVaultScope)
	if err != nil {
		return nil, err
	}
	if _, offline := store.(*offlineStore); offline && scope == "" {
		// An empty offline stand-in: nothing is sent from it, so no secret is needed,
		// and nothing may be written to name its scope.
		return &vault.Scoped{Inner: keychain, Scope: "offline"}, nil
	}
	if scope == "" {
		b := make([]byte, 8)
		rand.Read(b)
		scope = hex.EncodeToString(b)
		profiles, err := store.Profiles(ctx)
		if err != nil {
			return nil, err
		}
		legacy := "0"
		for _, p := range profiles {
			if !p.Demo {
				legacy = "1"
			}
		}
		if err := store.SetSetting(ctx, settingVaultLegacy, legacy); err != nil {
			return nil, err
		}
		if err := store.SetSetting(ctx, settingVaultScope, scope); err != nil {
			return nil, err
		}
	}
	legacy, err := store.Setting(ctx, settingVaultLegacy)
	if err != nil {
		return nil, err
	}
	return &vault.Scoped{Inner: keychain, Scope: scope, Legacy: legacy == "1"}, nil
}

// startSandbox starts the built-in gateway when a demo profile exists, and creates
// the demo shop when the configuration asks for it on a new data folder.
func (s *System) startSandbox(ctx context.Context, cfg Config) error {
	state, err := s.Store.Setting(ctx, SettingDemo)
	if err != nil {
		return err
	}
	if state == DemoSeeding {
		return s.reseedDemo(ctx)
	}
	if cfg.Demo {
		needed, err := s.SetupNeeded(ctx)
		if err != nil {
			return err
		}
		if needed {
			return s.seedDemo(ctx)
		}
	}
	if !s.hasDemoProfile(ctx) {
		return nil
	}
	// A broken demo sandbox (its state file damaged, say) never stops the real
	// gateways: the app starts, and the demo profiles say why they cannot answer.
	if err := s.runSandbox(); err != nil {
		s.sandboxErr = err
	}
	return nil
}

func (s *System) runSandbox() error {
	sb, err := sandbox.Start(filepath.Join(s.DataDir, "sandbox"), s.cfg.SimClock)
	if err != nil {
		return err
	}
	s.Sandbox = sb
	s.closers = append(s.closers, sb.Close)
	return nil
}

// seedDemo starts the sandbox and creates the demo shop in it.
func (s *System) seedDemo(ctx context.Context) error {
	if s.Sandbox == nil {
		if err := s.runSandbox(); err != nil {
			return err
		}
	}
	n := s.cfg.DemoCount
	if n <= 0 {
		n = 300
	}
	if err := s.Store.SetSetting(ctx, SettingDemo, DemoSeeding); err != nil {
		return err
	}
	if _, err := s.Sandbox.Seed(ctx, s.Store, n, s.Clock.Now()); err != nil {
		return err
	}
	return s.Store.SetSetting(ctx, SettingDemo, DemoSeeded)
}

// reseedDemo makes the demo shop again when its creation was cut short (the process
// killed or the disk full half-way: a demo profile without orders, or orders without
// payments): what was made is deleted, in the database and in the sandbox, first.
func (s *System) reseedDemo(ctx context.Context) error {
	if err := s.Store.DeleteDemo(ctx); err != nil {
		return err
	}
	if err := sandbox.ForgetTrades(sandbox.Dir(s.DataDir)); err != nil {
		return err
	}
	return s.seedDemo(ctx)
}

// SetupNeeded reports a new data folder whose operator has not yet chosen between
// the demo shop and their own: no decision recorded and nothing in the database.
func (s *System) SetupNeeded(ctx context.Context) (bool, error) {
	if s.Offline != nil {
		return false, nil // the shared database's copy (or an empty stand-in): nothing to set up here
	}
	state, err := s.Store.Setting(ctx, SettingDemo)
	if err != nil || state != "" {
		return false, err
	}
	return s.Store.IsEmpty(ctx)
}

// StartDemo creates the demo shop and its sandbox on a new data folder.
func (s *System) StartDemo(ctx context.Context) error {
	s.setup.Lock()
	defer s.setup.Unlock()
	needed, err := s.SetupNeeded(ctx)
	if err != nil {
		return err
	}
	if !needed {
		return backend.Errorf(backend.ECONFLICT, "このデータフォルダには既にデータがあるため、デモショップは作れません",
			"this data folder already holds data; the demo shop cannot be created here")
	}
	if err := s.seedDemo(ctx); err != nil {
		return err
	}
	s.Gateways.SetSandbox(s.Sandbox)
	return nil
}

// StartOwnShop records that the operator starts with their own shop: no demo data.
func (s *System) StartOwnShop(ctx context.Context) error {
	s.setup.Lock()
	defer s.setup.Unlock()
	needed, err := s.SetupNeeded(ctx)
	if err != nil || !needed {
		return err
	}
	return s.Store.SetSetting(ctx, SettingDemo, DemoOwnShop)
}

func (s *System) hasDemoProfile(ctx context.Context) bool {
	ps, err := s.Store.Profiles(ctx)
	if err != nil {
		return false
	}
	for _, p := range ps {
		if p.Demo {
			return true
		}
	}
	return false
}

// RemoveDemo deletes the demo shop and stops the sandbox; it is not created again.
func (s *System) RemoveDemo(ctx context.Context) error {
	if err := s.Store.DeleteDemo(ctx); err != nil {
		return err
	}
	return s.Store.SetSetting(ctx, SettingDemo, DemoRemoved)
}

// Notifier reaches the window (progress events, notifications) once it runs.
func (s *System) Notifier() backend.Notifier { return s.notifier }

// SetNotifier routes progress events and notifications (the window's, once it runs).
func (s *System) SetNotifier(n backend.Notifier) { s.notifier.set(n) }

// Start runs the background work of a window session: it settles operations left
// unresolved by a crash or a timeout before the operator starts new ones, then keeps
// payments in sync until Close.
func (s *System) Start(ctx context.Context) {
	ctx, s.stop = context.WithCancel(ctx)
	if s.Offline != nil {
		return // the shared database's last copy, read-only: nothing runs on it
	}
	s.Engine.ResolveUnresolved(ctx)
	s.watchChanges(ctx) // a shared database: other desktops' changes reach the window
	// A link run the last session did not finish goes on (it only reads the gateways).
	if n, err := s.Store.CountPendingLinks(ctx); err == nil && n > 0 {
		s.Links.Start(ctx, link.RunOptions{Resume: true})
	}
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		s.Syncer.Start(ctx)
	}()
	go func() {
		defer s.wg.Done()
		if s.Shared != nil {
			s.keepOfflineCopy(ctx) // the server is backed up on the server
		} else {
			s.autoBackups(ctx)
		}
	}()
}

// Close stops the background work, then everything else, newest first.
func (s *System) Close() error {
	if s.stop != nil {
		s.stop()
		s.wg.Wait()
	}
	if s.Links != nil {
		s.Links.Cancel() // a link run only reads the gateways: the rest waits for the next start
		s.Links.Wait()
	}
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(errs...)
}

// switchNotifier forwards to the current notifier; the window's arrives after start-up.
// It logs what passes (System.logEvent) first.
type switchNotifier struct {
	mu  gosync.Mutex
	n   backend.Notifier
	log func(event string, data any)
}

func (w *switchNotifier) set(n backend.Notifier) {
	w.mu.Lock()
	w.n = n
	w.mu.Unlock()
}

func (w *switchNotifier) get() backend.Notifier {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n == nil {
		return backend.NopNotifier{}
	}
	return w.n
}

func (w *switchNotifier) Emit(event string, data any) {
	if w.log != nil {
		w.log(event, data)
	}
	w.get().Emit(event, data)
}

func (w *switchNotifier) Notify(title, body string) {
	if w.log != nil {
		w.log("notify", notice{title, body})
	}
	w.get().Notify(title, body)
}

// NotifyText passes both languages on (the log keeps the Japanese, as for Notify).
func (w *switchNotifier) NotifyText(title, body backend.Text) {
	if w.log != nil {
		w.log("notify", notice{title.Ja, body.Ja})
	}
	backend.Announce(w.get(), title, body)
}

// notice is a notification as logEvent sees it.
type notice struct{ title, body string }
