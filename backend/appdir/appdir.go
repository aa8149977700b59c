// Package appdir finds the per-user data directory of Kessai Desk.
package appdir

import (
	"os"
	"path/filepath"
	"runtime"
)

// EnvDataDir overrides the data directory (as does the -data flag).
const EnvDataDir = "KESSAIDESK_DATA"

// Default returns the OS's per-user application data directory for Kessai Desk:
// Windows %AppData%\KessaiDesk, macOS ~/Library/Application Support/KessaiDesk,
// Linux $XDG_DATA_HOME/kessaidesk (default ~/.local/share/kessaidesk).
func Default() (string, error) {
	return forOS(runtime.GOOS, os.Getenv, os.UserHomeDir)
}

func forOS(goos string, getenv func(string) string, home func() (string, error)) (string, error) {
	if d := getenv(EnvDataDir); d != "" {
		return filepath.Abs(d)
	}
	switch goos {
	case "windows":
		if d := getenv("AppData"); d != "" {
			return filepath.Join(d, "KessaiDesk"), nil
		}
	case "darwin":
		h, err := home()
		if err != nil {
			return "", err
		}
		return filepath.Join(h, "Library", "Application Support", "KessaiDesk"), nil
	default:
		if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
			return filepath.Join(d, "kessaidesk"), nil
		}
	}
	h, err := home()
	if err != nil {
		return "", err
	}
	if goos == "windows" {
		return filepath.Join(h, "AppData", "Roaming", "KessaiDesk"), nil
	}
	return filepath.Join(h, ".local", "share", "kessaidesk"), nil
}

// DatabaseFile is the SQLite file inside the data directory.
func DatabaseFile(dir string) string { return filepath.Join(dir, "kessaidesk.db") }
