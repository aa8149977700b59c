package app

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"kessaidesk/backend"
	"kessaidesk/backend/licenses"
	"kessaidesk/backend/logging"
)

// Support is 設定's help for support: the log (its level, its folder), the support
// bundle, and About (versions and the licences of the third-party code shipped).
type Support struct{ s *Services }

// AboutInfo is the About dialog.
type AboutInfo struct {
	Version   string `json:"version"`
	BuildDate string `json:"buildDate"`
	Go        string `json:"go"`
	Platform  string `json:"platform"`
	DataDir   string `json:"dataDir"`
	LogDir    string `json:"logDir"`
	// LogLevel is the log's level now; LogLevels the choices, most detailed first.
	LogLevel  string   `json:"logLevel"`
	LogLevels []string `json:"logLevels"`
	// The third-party code shipped, generated at build time (backend/licenses).
	GoModules   []LicenseEntry `json:"goModules"`
	NPMPackages []LicenseEntry `json:"npmPackages"`
}

// LicenseEntry is one shipped module or package and its licence.
type LicenseEntry struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	License string `json:"license"`
	Text    string `json:"text"`
}

// About describes this build.
func (su *Support) About() (*AboutInfo, error) {
	list, err := licenses.All()
	if err != nil {
		return nil, err
	}
	sys := su.s.System
	info := &AboutInfo{Version: su.s.Version, BuildDate: sys.Build().BuildDate, Go: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH, DataDir: sys.DataDir, LogDir: sys.LogDir(),
		LogLevel: sys.LogLevel(), LogLevels: logging.Levels}
	for _, e := range list.Go {
		info.GoModules = append(info.GoModules, LicenseEntry(e))
	}
	for _, e := range list.NPM {
		info.NPMPackages = append(info.NPMPackages, LicenseEntry(e))
	}
	return info, nil
}

// SetLogLevel sets how much the log says: "debug", "info", "warn" or "error".
func (su *Support) SetLogLevel(level string) error {
	return su.s.System.SetLogLevel(su.s.Ctx(), level)
}

// OpenLogFolder shows the log folder in the OS's file manager (Explorer, Finder…).
func (su *Support) OpenLogFolder() error {
	dir := su.s.System.LogDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return backend.Errorf(backend.EINTERNAL, "ログのフォルダ %s を作成できません: %v", "cannot create the log folder %s: %v", dir, err)
	}
	open := su.s.OpenFolder
	if open == nil {
		open = openWithOS
	}
	if err := open(dir); err != nil {
		return backend.Errorf(backend.EINTERNAL, "ログのフォルダを開けません（%s）: %v", "cannot open the log folder (%s): %v", dir, err)
	}
	return nil
}

// ExportSupportBundle asks where to save the support bundle (a zip of the logs,
// versions, schema and counts — no secrets) and writes it. It returns the file
// written, "" when the operator cancelled.
func (su *Support) ExportSupportBundle() (string, error) {
	if su.s.Dialogs == nil {
		return "", backend.Errorf(backend.EINTERNAL, "保存先を選ぶ画面を開けません", "the save dialog is not available")
	}
	name := "kessaidesk-support-" + su.s.Clock.Now().In(backend.JST).Format("20060102-150405") + ".zip"
	path, err := su.s.Dialogs.SaveZip(pick(su.s.lang(su.s.Ctx()), "サポート用情報の保存先", "Save the support information as"), name)
	if err != nil || path == "" {
		return "", err
	}
	return path, su.writeBundle(path)
}

// writeBundle writes the bundle to path through a temporary file beside it, so a
// failure leaves no half-written zip.
func (su *Support) writeBundle(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kessaidesk-support-*")
	if err != nil {
		return backend.Errorf(backend.EINTERNAL, "保存先に書き込めません: %v", "cannot write there: %v", err)
	}
	defer os.Remove(tmp.Name())
	_, err = su.s.System.SupportBundle(su.s.Ctx(), tmp, su.s.System.Build())
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	var be *backend.Error
	if err != nil && !errors.As(err, &be) {
		err = backend.Errorf(backend.EINTERNAL, "サポート用情報を保存できません: %v", "cannot save the support bundle: %v", err)
	}
	return err
}

// openWithOS opens a folder in the OS's file manager. It does not wait for it.
func openWithOS(dir string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("explorer.exe", dir)
	case "darwin":
		cmd = exec.Command("open", dir)
	default:
		cmd = exec.Command("xdg-open", dir)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // explorer.exe exits 1 even when it opened the folder: only a start failure counts
	return nil
}

// FormatErrorForWails is the window's ErrorFormatter with the error logged first: what
// the operator was shown is in the log for support.
func (s *Services) FormatErrorForWails(err error) any {
	if err != nil && s.System != nil {
		s.System.Log.Warn("error shown", "code", backend.ErrorCode(err), "error", backend.ErrorMessage(err, "en"))
	}
	return FormatErrorForWails(err)
}
