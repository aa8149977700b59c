package system

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/link"
	"kessaidesk/backend/logging"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/sync"
)

// openLog starts the folder's log (logs/kessaidesk.log) at the level set in 設定. A log
// that cannot be opened never stops the app: it runs without one.
func (s *System) openLog(ctx context.Context) {
	l, err := logging.Open(s.DataDir)
	if err != nil {
		return
	}
	s.logFile = l
	s.Log = l.Logger()
	if name, err := s.Store.Setting(ctx, logging.SettingLevel); err == nil {
		if level, ok := logging.ParseLevel(name); ok {
			l.SetLevel(level)
		}
	}
	migrations, _ := s.Store.Migrations(ctx)
	s.Log.Info("start", "version", s.cfg.Version, "build_date", s.cfg.BuildDate, "go", runtime.Version(),
		"os", runtime.GOOS, "arch", runtime.GOARCH, "pid", os.Getpid(), "schema", lastOf(migrations),
		"mode", s.cfg.Mode)
}

func lastOf(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[len(xs)-1]
}

// LogLevel is the level in use ("debug", "info", "warn", "error").
func (s *System) LogLevel() string {
	if s.logFile == nil {
		return "info"
	}
	return logging.LevelName(s.logFile.Level())
}

// SetLogLevel changes the log's level at once and keeps it for the next start.
func (s *System) SetLogLevel(ctx context.Context, name string) error {
	level, ok := logging.ParseLevel(name)
	if !ok {
		return backend.Errorf(backend.EINVALID, "ログの詳しさは debug・info・warn・error から選んでください", "the log level is one of debug, info, warn, error")
	}
	if err := s.Store.SetSetting(ctx, logging.SettingLevel, logging.LevelName(level)); err != nil {
		return err
	}
	if s.logFile != nil {
		s.logFile.SetLevel(level)
	}
	s.Log.Info("log level", "level", logging.LevelName(level))
	return nil
}

// Build is the version and build date the system was opened with (Config).
func (s *System) Build() BundleInfo {
	return BundleInfo{Version: s.cfg.Version, BuildDate: s.cfg.BuildDate}
}

// LogDir is the folder of the log files.
func (s *System) LogDir() string { return filepath.Join(s.DataDir, logging.Dir) }

// logEvent writes what a run reports through the notifier: a sync run's outcome, a
// bulk or link run's start and end, each bulk item that failed, every notification.
// Progress in between is not logged (the gateway exchanges already are).
func (s *System) logEvent(event string, data any) {
	l := s.Log
	switch ev := data.(type) {
	case payment.BulkProgress:
		if event != payment.EventBulkProgress {
			return
		}
		switch {
		case ev.Done == 0 && ev.State == "running":
			l.Info("bulk run started", "job", ev.JobID, "intent", ev.Intent, "total", ev.Total)
		case ev.State != "running":
			l.Info("bulk run ended", "job", ev.JobID, "intent", ev.Intent, "state", ev.State, "total", ev.Total,
				"done", ev.Done, "counts", ev.Counts)
		case ev.Last != nil && ev.Last.State != "succeeded":
			l.Warn("bulk item", "job", ev.JobID, "intent", ev.Intent, "payment", ev.Last.PaymentID, "state", ev.Last.State,
				"message", ev.Last.Message)
		}
	case link.Progress:
		if ev.Running {
			return
		}
		attrs := []any{"done", ev.Done, "total", ev.Total, "linked", ev.Linked, "already", ev.Already, "not_found", ev.NotFound,
			"ambiguous", ev.Ambiguous, "failed", ev.Failed}
		if ev.Error != "" {
			l.Warn("link run stopped", append(attrs, "error", ev.Error)...)
		} else {
			l.Info("link run ended", attrs...)
		}
	case payment.OperationProgress:
		if ev.Stage == payment.StageInquiring {
			l.Warn("operation outcome unclear: asking the gateway", "operation", ev.OperationID, "payment", ev.PaymentID, "kind", ev.Kind)
		}
	case notice:
		l.Info("notification", "title", ev.title, "body", ev.body)
	case map[string]any:
		if event == sync.EventDone {
			attrs := make([]any, 0, 2*len(ev))
			keys := make([]string, 0, len(ev))
			for k := range ev {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				attrs = append(attrs, k, ev[k])
			}
			l.Info("sync run", attrs...)
		}
	}
}

// BundleInfo is what the bundle says about the build (the window and the command
// line know it; the system does not).
type BundleInfo struct {
	Version   string `json:"version"`
	BuildDate string `json:"buildDate"`
}

// SupportBundle writes a zip for support: manifest.txt (what it holds), about.json
// (versions, platform, schema, row counts, the gateway profiles' kinds — no merchant
// ids, hosts or secrets) and the log files. It returns the names of the files written.
// Nothing in it is read from the keychain; the database's contents are counted, not
// copied.
func (s *System) SupportBundle(ctx context.Context, w io.Writer, info BundleInfo) ([]string, error) {
	about, err := s.about(ctx, info)
	if err != nil {
		return nil, err
	}
	zw := zip.NewWriter(w)
	now := s.Clock.Now()
	var names []string
	var sizes []int64
	add := func(name string, r io.Reader) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
		if err != nil {
			return err
		}
		n, err := io.Copy(f, r)
		if err != nil {
			return err
		}
		names, sizes = append(names, name), append(sizes, n)
		return nil
	}
	aboutJSON, _ := json.MarshalIndent(about, "", "  ")
	if err := add("about.json", strings.NewReader(string(aboutJSON)+"\n")); err != nil {
		return nil, bundleError(err)
	}
	logs, _ := filepath.Glob(filepath.Join(s.LogDir(), "kessaidesk*.log"))
	sort.Strings(logs)
	for _, p := range logs {
		f, err := os.Open(p)
		if err != nil {
			continue // rotated away meanwhile
		}
		err = add("logs/"+filepath.Base(p), f)
		f.Close()
		if err != nil {
			return nil, bundleError(err)
		}
	}
	var m strings.Builder
	fmt.Fprintf(&m, "決済デスク サポート用情報 / Kessai Desk support bundle\n%s\nversion %s\n\n",
		now.In(backend.JST).Format("2006-01-02 15:04:05 JST"), info.Version)
	m.WriteString("秘密情報（パスワード・ハッシュキー・証明書）と受注の内容は含まれていません。\n")
	m.WriteString("No secrets (passwords, hash keys, certificates) and no order contents are included.\n\n")
	for i, n := range names {
		fmt.Fprintf(&m, "%10d  %s\n", sizes[i], n)
	}
	if err := add("manifest.txt", strings.NewReader(m.String())); err != nil {
		return nil, bundleError(err)
	}
	if err := zw.Close(); err != nil {
		return nil, bundleError(err)
	}
	s.Log.Info("support bundle written", "files", len(names))
	return names, nil
}

func bundleError(err error) error {
	return backend.Errorf(backend.EINTERNAL, "サポート用情報を書き出せません: %v", "cannot write the support bundle: %v", err)
}

// About is the contents of about.json.
type About struct {
	BundleInfo
	Go         string                      `json:"go"`
	Platform   string                      `json:"platform"`
	Created    time.Time                   `json:"created"`
	Schema     []string                    `json:"schemaMigrations"`
	LogLevel   string                      `json:"logLevel"`
	Counts     map[string]int64            `json:"counts"`
	States     map[string]map[string]int64 `json:"states"`
	Profiles   []ProfileSummary            `json:"profiles"`
	Unresolved int                         `json:"unresolvedOperations"`
	// DatabaseMode: "local", "shared" (a team's PostgreSQL server; its address is not
	// included) or "offline" (the server's last copy, read-only).
	DatabaseMode string `json:"databaseMode"`
}

// ProfileSummary is a gateway profile as a bundle describes it: its kind, never its ids.
type ProfileSummary struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Environment string `json:"environment"`
	Demo        bool   `json:"demo"`
	CustomHost  bool   `json:"customHost"`
}

func (s *System) about(ctx context.Context, info BundleInfo) (*About, error) {
	a := &About{BundleInfo: info, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
		Created: s.Clock.Now().UTC(), LogLevel: s.LogLevel(), DatabaseMode: s.SharedStatus().Mode}
	var err error
	if a.Schema, err = s.Store.Migrations(ctx); err != nil {
		return nil, err
	}
	if a.Counts, err = s.Store.Counts(ctx); err != nil {
		return nil, err
	}
	if a.States, err = s.Store.StateCounts(ctx); err != nil {
		return nil, err
	}
	profiles, err := s.Store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range profiles {
		a.Profiles = append(a.Profiles, ProfileSummary{ID: p.ID, Kind: string(p.Kind), Environment: string(p.Environment),
			Demo: p.Demo, CustomHost: p.Host != ""})
	}
	if ops, err := s.Store.UnresolvedOperations(ctx); err == nil {
		a.Unresolved = len(ops)
	}
	return a, nil
}

// closeLog writes the last line and closes the log (the last thing Close closes).
func (s *System) closeLog() error {
	s.Log.Info("stop", "mode", s.cfg.Mode)
	return s.logFile.Close() // later records (a request finishing late) are dropped
}
