package app

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/wailsapp/wails/v2/pkg/options"

	"kessaidesk/backend"
)

// Lifecycle hooks the services to the window's start and end.
type Lifecycle struct {
	s *Services
	// OnStart runs in the background once the window exists (start-up recovery,
	// sync), with the notifier that reaches the window; OnStop when the window closes.
	OnStart func(ctx context.Context, n backend.Notifier)
	OnStop  func()
	once    sync.Once
	started atomic.Bool
}

// NewLifecycle returns the hooks for wails.Run.
func NewLifecycle(s *Services) *Lifecycle { return &Lifecycle{s: s} }

// Startup is Wails' OnStartup.
func (l *Lifecycle) Startup(ctx context.Context) {
	l.s.SetCtx(ctx)
	l.s.Notifier = NewWailsNotifier(ctx)
	l.s.Dialogs = WailsDialogs{ctx: ctx}
	l.started.Store(true)
	if l.OnStart != nil {
		go l.OnStart(ctx, l.s.Notifier)
	}
}

// SecondInstance is Wails' OnSecondInstanceLaunch: the operator started the app again
// (a desktop shortcut clicked twice): show the window that already runs. The other
// launch's arguments are not used.
func (l *Lifecycle) SecondInstance(options.SecondInstanceData) {
	if l.started.Load() {
		showWindow(l.s.Ctx())
	}
}

// Shutdown is Wails' OnShutdown.
func (l *Lifecycle) Shutdown(ctx context.Context) {
	l.once.Do(func() {
		if l.OnStop != nil {
			l.OnStop()
		}
	})
}

var _ backend.Notifier = (*WailsNotifier)(nil)
