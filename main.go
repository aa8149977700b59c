// Kessai Desk (決済デスク): the desktop app for the daily payment work of Japanese online
// shops. main.go only wires: it opens the system and runs the window.
package main

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"
	"github.com/wailsapp/wails/v2/pkg/options/windows"

	"kessaidesk/app"
	"kessaidesk/app/cli"
	"kessaidesk/backend"
	"kessaidesk/backend/appdir"
	"kessaidesk/backend/system"
)

//go:embed all:frontend/dist
var assets embed.FS

// version and buildDate are set at build time (make build, build/scripts/windows.sh,
// the macOS workflow): -ldflags "-X main.version=$(git describe --tags) -X main.buildDate=…".
var (
	version   = "0.1.0-dev"
	buildDate = ""
)

func main() {
	if !windowLaunch(os.Args[1:]) {
		cli.AttachConsole()
		os.Exit(cli.Run(context.Background(), os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
			Config: system.Config{Version: version, BuildDate: buildDate}}))
	}
	if err := runWindow(dataDirFlag(os.Args[1:])); err != nil {
		fmt.Fprintln(os.Stderr, "決済デスクを起動できません:", err)
		os.Exit(1)
	}
}

// windowLaunch reports whether the arguments ask for the window: none, or only the
// data folder (and the process serial number macOS's Finder may add). Anything else
// is the command line, which runs a command or explains a command line it does not
// understand (exit 2) — never a window by accident.
func windowLaunch(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-data" || a == "--data":
			if i+1 >= len(args) {
				return false // the value is missing: the command line says so
			}
			i++
		case strings.HasPrefix(a, "-data=") || strings.HasPrefix(a, "--data="):
		case strings.HasPrefix(a, "-psn_"):
		default:
			return false
		}
	}
	return true
}

// dataDirFlag finds -data DIR / -data=DIR among arguments that also carry the Wails
// dev server's own flags (which a strict flag parser would reject).
func dataDirFlag(args []string) string {
	for i, a := range args {
		a = strings.TrimPrefix(a, "-")
		switch {
		case strings.HasPrefix(a, "-data="):
			return strings.TrimPrefix(a, "-data=")
		case strings.HasPrefix(a, "data="):
			return strings.TrimPrefix(a, "data=")
		case (a == "data" || a == "-data") && i+1 < len(args):
			return args[i+1]
		}
	}
	return ""
}

// restartEnv marks a start made by restart: it waits for the window before it to be gone.
const restartEnv = "KESSAIDESK_RESTARTED"

// restart starts Kessai Desk again with the same arguments.
func restart() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), restartEnv+"=1")
	return cmd.Start()
}

func runWindow(dataDir string) error {
	if os.Getenv(restartEnv) != "" {
		// The previous window's process may still hold the single-instance lock for a
		// moment; a launch that found it would hand over to it and exit.
		os.Unsetenv(restartEnv)
		time.Sleep(1500 * time.Millisecond)
	}
	if app.GeneratingBindings {
		return wails.Run(&options.App{Title: "決済デスク", Bind: app.Bindings(&app.Services{})})
	}
	ctx := context.Background()
	instance := instanceID(dataDir)
	sys, err := system.Open(ctx, system.Config{DataDir: dataDir, Version: version, BuildDate: buildDate, Mode: "window"})
	if backend.ErrorCode(err) == backend.EBUSY {
		// Another window has the folder: Wails hands this launch over to it and exits.
		// A command has it: say so in a small window rather than vanish silently.
		return wails.Run(&options.App{
			Title: "決済デスク Kessai Desk", Width: 560, Height: 260, DisableResize: true,
			AssetServer:        &assetserver.Options{Handler: messagePage(backend.ErrorMessage(err, "ja"), backend.ErrorMessage(err, "en"))},
			SingleInstanceLock: &options.SingleInstanceLock{UniqueId: instance},
		})
	}
	if err != nil {
		// A start that fails (a damaged database, an unreadable folder) says why in a
		// window: an operator who double-clicked the app sees no terminal.
		wails.Run(&options.App{
			Title: "決済デスク Kessai Desk", Width: 640, Height: 340,
			AssetServer: &assetserver.Options{Handler: messagePage(backend.ErrorMessage(err, "ja"), backend.ErrorMessage(err, "en"))},
		})
		return err
	}
	defer sys.Close()

	services := app.NewServices(sys, version)
	if err := services.ApplyStartOptions(ctx, os.Getenv); err != nil {
		return err
	}
	life := app.NewLifecycle(services)
	life.OnStart = func(ctx context.Context, n backend.Notifier) {
		sys.SetNotifier(n)
		sys.Start(ctx)
	}

	width, height := services.InitialWindow()
	err = wails.Run(&options.App{
		Title:            "決済デスク Kessai Desk",
		Width:            width,
		Height:           height,
		MinWidth:         960,
		MinHeight:        600,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 248, G: 249, B: 251, A: 1},
		OnStartup:        life.Startup,
		OnDomReady:       life.DomReady,
		OnBeforeClose:    life.BeforeClose,
		OnShutdown:       life.Shutdown,
		// The window follows the OS's light or dark mode (the page does with
		// prefers-color-scheme).
		Windows:        &windows.Options{Theme: windows.SystemDefault},
		Mac:            &mac.Options{Appearance: mac.DefaultAppearance},
		Linux:          &linux.Options{ProgramName: "kessaidesk"},
		ErrorFormatter: services.FormatErrorForWails, // logged, then shown
		Bind:           app.Bindings(services),
		// A second launch on the same data folder shows this window instead.
		SingleInstanceLock: &options.SingleInstanceLock{UniqueId: instance, OnSecondInstanceLaunch: life.SecondInstance},
	})
	if err == nil && services.RestartRequested() {
		// 設定 → 再起動 (after a restore was chosen): the folder is released first, then
		// the app starts again on it.
		sys.Close()
		return restart()
	}
	return err
}

// instanceID names the running app per data folder (two folders are two shops).
func instanceID(dataDir string) string {
	if dataDir == "" {
		dataDir, _ = appdir.Default()
	}
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs
	}
	sum := sha256.Sum256([]byte(dataDir))
	return "kessaidesk-" + hex.EncodeToString(sum[:6])
}

// messagePage is the whole UI of a launch that cannot open the data folder: in use by
// another Kessai Desk, or damaged.
func messagePage(ja, en string) http.Handler {
	page := `<!doctype html><html lang="ja"><meta charset="utf-8"><title>決済デスク</title>
<body style="font-family:sans-serif;margin:24px;color:#1f2937;background:#f8f9fb">
<h2 style="font-size:18px">決済デスク Kessai Desk</h2><p>` + html.EscapeString(ja) + `</p><p style="color:#6b7280">` + html.EscapeString(en) + `</p></body></html>`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	})
}
