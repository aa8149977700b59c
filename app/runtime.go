package app

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"kessaidesk/backend"
)

// This is the only file that calls the Wails runtime. Its functions kill the process
// when given a context that did not come from Wails, so everything else talks to the
// UI through backend.Notifier and never reaches this code in tests.

// WailsNotifier sends events to the window and desktop notifications.
type WailsNotifier struct {
	ctx  context.Context
	once sync.Once
	os   atomic.Bool // the OS notification centre is available
	seq  atomic.Int64
	// Lang is the operator's language ("ja" or "en") for desktop notifications.
	Lang func() string
}

// NewWailsNotifier must be given the context Wails passes to OnStartup.
func NewWailsNotifier(ctx context.Context) *WailsNotifier { return &WailsNotifier{ctx: ctx} }

// Emit sends an event to the frontend (progress bars, refreshes).
func (n *WailsNotifier) Emit(event string, data any) {
	runtime.EventsEmit(n.ctx, event, data)
}

// Notify shows a desktop notification (Windows toast, macOS Notification Centre, Linux
// notification daemon) when the OS offers one, and always a notice in the window. It
// never blocks the caller: a notification service that does not answer (no daemon on
// the session bus) must not hold up a sync run.
func (n *WailsNotifier) Notify(title, body string) {
	n.NotifyText(backend.Text{Ja: title}, backend.Text{Ja: body})
}

// NotifyText is Notify in both languages: the window picks the operator's, and so does
// the desktop notification (Lang, read when it is shown).
func (n *WailsNotifier) NotifyText(titleText, bodyText backend.Text) {
	runtime.EventsEmit(n.ctx, "notify", map[string]string{"title": titleText.Ja, "body": bodyText.Ja, "titleEn": titleText.En, "bodyEn": bodyText.En})
	lang := "ja"
	if n.Lang != nil {
		lang = n.Lang()
	}
	title, body := titleText.In(lang), bodyText.In(lang)
	id := fmt.Sprintf("kessaidesk-%d", n.seq.Add(1))
	go func() {
		n.once.Do(func() {
			if runtime.InitializeNotifications(n.ctx) == nil && runtime.IsNotificationAvailable(n.ctx) {
				ok, err := runtime.RequestNotificationAuthorization(n.ctx)
				n.os.Store(ok && err == nil)
			}
		})
		if n.os.Load() {
			runtime.SendNotification(n.ctx, runtime.NotificationOptions{ID: id, Title: title, Body: body})
		}
	}()
}

// showWindow brings the window to the front (a second launch of the app).
func showWindow(ctx context.Context) {
	runtime.WindowUnminimise(ctx)
	runtime.WindowShow(ctx)
}

// Dialogs are the OS file dialogs; tests and the command line never reach them.
type Dialogs interface {
	// OpenCSV asks for a CSV file to read; "" when the operator cancelled.
	OpenCSV(title string) (string, error)
	// SaveCSV asks where to write a CSV file; "" when the operator cancelled.
	SaveCSV(title, defaultName string) (string, error)
	// OpenFile asks for a file of a kind (FileDatabase, FileCertificate) to read; "" when cancelled.
	OpenFile(title, kind string) (string, error)
	// SaveZip asks where to write a zip file (the support bundle); "" when cancelled.
	SaveZip(title, defaultName string) (string, error)
}

// Kinds of file OpenFile asks for.
const (
	FileDatabase    = "database"    // a Kessai Desk database (a backup)
	FileCertificate = "certificate" // a client certificate: PEM or PKCS#12
)

// WailsDialogs are the window's dialogs (Windows, macOS and GTK native).
type WailsDialogs struct{ ctx context.Context }

var csvFilters = []runtime.FileFilter{{DisplayName: "CSV (*.csv, *.txt)", Pattern: "*.csv;*.CSV;*.txt;*.TXT"}, {DisplayName: "すべてのファイル", Pattern: "*"}}

// OpenCSV shows the open dialog.
func (d WailsDialogs) OpenCSV(title string) (string, error) {
	return runtime.OpenFileDialog(d.ctx, runtime.OpenDialogOptions{Title: title, Filters: csvFilters})
}

// SaveCSV shows the save dialog.
func (d WailsDialogs) SaveCSV(title, defaultName string) (string, error) {
	return runtime.SaveFileDialog(d.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName, Filters: csvFilters})
}

var fileFilters = map[string][]runtime.FileFilter{
	FileDatabase:    {{DisplayName: "決済デスクのバックアップ (*.db)", Pattern: "*.db;*.DB;*.db.bak-*;*.before-restore-*"}, {DisplayName: "すべてのファイル", Pattern: "*"}},
	FileCertificate: {{DisplayName: "証明書 (*.pem, *.p12, *.pfx, *.crt)", Pattern: "*.pem;*.PEM;*.p12;*.P12;*.pfx;*.PFX;*.crt;*.CRT;*.cer;*.CER"}, {DisplayName: "すべてのファイル", Pattern: "*"}},
}

// OpenFile shows the open dialog for a kind of file.
func (d WailsDialogs) OpenFile(title, kind string) (string, error) {
	return runtime.OpenFileDialog(d.ctx, runtime.OpenDialogOptions{Title: title, Filters: fileFilters[kind]})
}

// SaveZip shows the save dialog for a zip file.
func (d WailsDialogs) SaveZip(title, defaultName string) (string, error) {
	return runtime.SaveFileDialog(d.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName,
		Filters: []runtime.FileFilter{{DisplayName: "ZIP (*.zip)", Pattern: "*.zip"}}})
}

// quitWindow closes the window as the operator would; Shutdown follows.
func quitWindow(ctx context.Context) { runtime.Quit(ctx) }
