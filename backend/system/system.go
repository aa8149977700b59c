// Package system assembles Kessai Desk from its parts — the store, the vault, the
// gateway clients, the demo sandbox and the services — for the window and the
// command line alike.
package system

import (
	"context"
	"errors"
	"os"

	"kessaidesk/backend"
	"kessaidesk/backend/appdir"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/sqlite"
)

// Config says where the data lives and how to start.
type Config struct {
	DataDir string        // "" = the OS's per-user data directory
	Clock   backend.Clock // nil = the real clock
	Vault   backend.Vault // nil = the OS keychain
	NoDemo  bool          // do not create the demo shop on an empty database
}

// System is a running Kessai Desk.
type System struct {
	DataDir string
	Store   *sqlite.DB
	Engine  *payment.Engine
	Clock   backend.Clock
	closers []func() error
}

// Open opens the database in the data directory and wires the services.
func Open(ctx context.Context, cfg Config) (*System, error) {
	dir := cfg.DataDir
	if dir == "" {
		var err error
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
	store, err := sqlite.Open(appdir.DatabaseFile(dir))
	if err != nil {
		return nil, err
	}
	store.Now = clock.Now
	s := &System{DataDir: dir, Store: store, Clock: clock}
	s.closers = append(s.closers, store.Close)
	s.Engine = &payment.Engine{Store: store, Clock: clock, Notifier: backend.NopNotifier{}}
	return s, nil
}

// Close stops everything, newest first.
func (s *System) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	return errors.Join(errs...)
}

// Start runs the background work of a window session: it settles operations left
// unresolved by a crash or a timeout before the operator starts new ones.
func (s *System) Start(ctx context.Context) {
	s.Engine.ResolveUnresolved(ctx)
}
