// Package app is the Wails-facing adapter: small bound structs per area that translate
// DTOs and errors and emit progress events. It holds no business rules; the one file
// that touches the Wails runtime is runtime.go.
package app

import (
	"context"
	"sync"
	"sync/atomic"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/system"
)

// Services are the backend pieces the bound structs use; main wires them.
type Services struct {
	System   *system.System
	Store    system.Store
	Engine   *payment.Engine
	Clock    backend.Clock
	Notifier backend.Notifier
	Dialogs  Dialogs // nil until the window starts
	DataDir  string
	Version  string
	// OpenFolder shows a folder in the OS's file manager; nil = the OS's own (tests set it).
	OpenFolder func(dir string) error

	mu  sync.Mutex
	ctx context.Context
	// quit closes the window (set at start-up); restart asks main to start again after.
	quit    func()
	restart atomic.Bool
	// cancelTest stops the running 接続テスト of the profile form.
	cancelTest context.CancelFunc
	// startView is KESSAIDESK_START_VIEW (start.go), passed to the page in Info.
	startView string
}

// RestartRequested reports whether the operator asked for a restart (設定 → 再起動):
// main starts the app again once the window is closed and the data folder released.
func (s *Services) RestartRequested() bool { return s.restart.Load() }

// NewServices wraps a running system.
func NewServices(sys *system.System, version string) *Services {
	return &Services{System: sys, Store: sys.Store, Engine: sys.Engine, Clock: sys.Clock, DataDir: sys.DataDir, Version: version}
}

// Ctx is the application context (set at start-up; Background before).
func (s *Services) Ctx() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil {
		return context.Background()
	}
	return s.ctx
}

// SetCtx records the application context.
func (s *Services) SetCtx(ctx context.Context) {
	s.mu.Lock()
	s.ctx = ctx
	s.mu.Unlock()
}

// Setting keys.
const (
	SettingLanguage = "language"
	SettingOperator = "operator"
)

// operator is the name recorded on every operation for the audit trail.
func (s *Services) operator(ctx context.Context) string {
	name, _ := s.Store.Setting(ctx, SettingOperator)
	if name == "" {
		return "オペレーター"
	}
	return name
}

// Bindings returns the structs to bind, in one place for main and the tests.
func Bindings(s *Services) []any {
	b := []any{&Orders{s: s}, &Payments{s: s}, &Settings{s: s}, &Work{s: s}, &Gateways{s: s}, &Link{s: s}, &Import{s: s}, &Reports{s: s}, &Support{s: s}, &SharedDB{s: s}}
	for _, dev := range devBindings {
		b = append(b, dev(s))
	}
	return b
}

// devBindings are structs bound only in a dev build (the end-to-end tests' doors); a
// release build has none.
var devBindings []func(*Services) any

// Bound are the bound structs by area, for tests.
type Bound struct {
	Orders   *Orders
	Payments *Payments
	Settings *Settings
	Work     *Work
	Gateways *Gateways
	Link     *Link
	Import   *Import
	Reports  *Reports
}

// Bind returns the bound structs by area.
func Bind(s *Services) Bound {
	b := Bindings(s)
	out := Bound{Orders: b[0].(*Orders), Payments: b[1].(*Payments), Settings: b[2].(*Settings), Work: b[3].(*Work), Gateways: b[4].(*Gateways),
		Link: b[5].(*Link), Import: b[6].(*Import)}
	for _, x := range b {
		if r, ok := x.(*Reports); ok {
			out.Reports = r
		}
	}
	return out
}

// lang is the UI language ("ja" unless the operator chose English).
func (s *Services) lang(ctx context.Context) string {
	if l, _ := s.Store.Setting(ctx, SettingLanguage); l == "en" {
		return "en"
	}
	return "ja"
}

// emit sends a progress event to the window (nothing before it runs, or in tests).
func (s *Services) emit(event string, data any) {
	if s.System != nil {
		s.System.Notifier().Emit(event, data)
	}
}
