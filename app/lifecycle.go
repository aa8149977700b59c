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
	// window reaches the running window (the Wails runtime); tests set a fake.
	window func(ctx context.Context) windowControl
	placed sync.Once // the window is placed once, not at every reload of the page
}

func (l *Lifecycle) windowOf(ctx context.Context) windowControl {
	if l.window != nil {
		return l.window(ctx)
	}
	return wailsWindow{ctx: ctx}
}

// DomReady is Wails' OnDomReady: the window takes its saved size and place, fitted to
// the screen it opens on.
func (l *Lifecycle) DomReady(ctx context.Context) {
	l.placed.Do(func() { l.place(ctx) })
}

func (l *Lifecycle) place(ctx context.Context) {
	w := l.windowOf(ctx)
	sw, sh, ok := w.Screen()
	if !ok {
		return
	}
	saved, have := l.s.loadWindowState(l.s.Ctx())
	st, center := fitWindow(saved, have, sw, sh)
	w.Place(st, center)
}

// BeforeClose is Wails' OnBeforeClose: the window's size and place are kept for the
// next start. It never prevents the close.
func (l *Lifecycle) BeforeClose(ctx context.Context) bool {
	st := l.windowOf(ctx).State()
	if st.Width > 0 && st.Height > 0 {
		l.s.saveWindowState(l.s.Ctx(), st)
	}
	return false
}

// NewLifecycle returns the hooks for wails.Run.
func NewLifecycle(s *Services) *Lifecycle { return &Lifecycle{s: s} }

// Startup is Wails' OnStartup.
func (l *Lifecycle) Startup(ctx context.Context) {
	l.s.SetCtx(ctx)
	wn := NewWailsNotifier(ctx)
	wn.Lang = func() string { return l.s.lang(context.Background()) }
	l.s.Notifier = wn
	l.s.Dialogs = WailsDialogs{ctx: ctx}
	l.s.quit = func() { quitWindow(ctx) }
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

var (
	_ backend.Notifier     = (*WailsNotifier)(nil)
	_ backend.TextNotifier = (*WailsNotifier)(nil)
)
