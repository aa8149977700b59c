package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// This is the only file that calls the Wails runtime. Its functions kill the process
// when given a context that did not come from Wails, so everything else talks to the
// UI through backend.Notifier and never reaches this code in tests.

// WailsNotifier sends events to the window and desktop notifications.
type WailsNotifier struct {
	ctx context.Context
}

// NewWailsNotifier must be given the context Wails passes to OnStartup.
func NewWailsNotifier(ctx context.Context) *WailsNotifier { return &WailsNotifier{ctx: ctx} }

// Emit sends an event to the frontend (progress bars, refreshes).
func (n *WailsNotifier) Emit(event string, data any) {
	runtime.EventsEmit(n.ctx, event, data)
}

// Notify shows a notice in the window; Wails v2 has no OS notification API, so the
// frontend turns the "notify" event into a toast and the window title flashes.
func (n *WailsNotifier) Notify(title, body string) {
	runtime.EventsEmit(n.ctx, "notify", map[string]string{"title": title, "body": body})
}
