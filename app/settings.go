package app

import (
	"path/filepath"
	"strconv"
	"strings"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/sync"
	"kessaidesk/backend/system"
)

// Settings is the 設定 area.
type Settings struct{ s *Services }

// Info describes the installation for the header and the settings screen.
func (st *Settings) Info() (*Info, error) {
	ctx := st.s.Ctx()
	lang, err := st.s.Store.Setting(ctx, SettingLanguage)
	if err != nil {
		return nil, err
	}
	if lang == "" {
		lang = "ja"
	}
	profiles, err := st.s.Store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	demo := false
	for _, p := range profiles {
		demo = demo || p.Demo
	}
	setup, err := st.s.System.SetupNeeded(ctx)
	if err != nil {
		return nil, err
	}
	info := &Info{Version: st.s.Version, DataDir: st.s.DataDir, Database: st.s.System.Database, Demo: demo,
		Language: lang, Operator: st.s.operator(ctx), SetupNeeded: setup, StartView: st.s.startView}
	shared := st.s.System.SharedStatus()
	info.DatabaseMode = shared.Mode
	if shared.Offline != nil {
		info.Offline, info.OfflineEn = backend.ErrorMessage(shared.Offline, "ja"), backend.ErrorMessage(shared.Offline, "en")
	}
	return info, nil
}

// StartDemo answers the first window: try the demo shop (demo orders and the built-in
// sandbox of the three gateway families; nothing real is charged).
func (st *Settings) StartDemo() error {
	if err := st.s.System.StartDemo(st.s.Ctx()); err != nil {
		return err
	}
	st.s.System.Syncer.RunNow() // the demo's payments as the sandbox sees them, at once
	return nil
}

// StartOwnShop answers the first window: start with my shop (no demo data).
func (st *Settings) StartOwnShop() error { return st.s.System.StartOwnShop(st.s.Ctx()) }

// SetLanguage switches the UI language ("ja" or "en").
func (st *Settings) SetLanguage(lang string) error {
	if lang != "ja" && lang != "en" {
		return backend.Errorf(backend.EINVALID, "言語は ja か en を選んでください", "choose ja or en")
	}
	return st.s.Store.SetSetting(st.s.Ctx(), SettingLanguage, lang)
}

// SetOperator sets the name recorded on every operation.
func (st *Settings) SetOperator(name string) error {
	if len([]rune(name)) > 40 {
		return backend.Errorf(backend.EINVALID, "担当者名は40文字以内で入力してください", "the operator name must be at most 40 characters")
	}
	return st.s.Store.SetSetting(st.s.Ctx(), SettingOperator, name)
}

// RemoveDemo deletes the demo shop (its orders and the demo gateway); real data stays.
func (st *Settings) RemoveDemo() error {
	return st.s.System.RemoveDemo(st.s.Ctx())
}

// Rules are the operator's settings of the sync and the work lists.
type Rules struct {
	SyncIntervalMinutes    string `json:"syncIntervalMinutes"`
	NetBankAutoCancel      bool   `json:"netBankAutoCancel"`
	StaleProcessingMinutes string `json:"staleProcessingMinutes"`
	// RecheckDays: captures and partial refunds of the last so many days are compared
	// with the gateway (a refund or an amount change made in its console).
	RecheckDays string `json:"recheckDays"`
	// ExpiryWarningDays: 仮売上 this close to their expiry are announced once a day.
	ExpiryWarningDays string `json:"expiryWarningDays"`
}

// Rules returns the current rules (defaults filled in).
func (st *Settings) Rules() (*Rules, error) {
	ctx := st.s.Ctx()
	auto, err := st.s.Store.Setting(ctx, sync.SettingNetBankAutoVoid)
	if err != nil {
		return nil, err
	}
	return &Rules{
		SyncIntervalMinutes:    strconv.Itoa(settingInt(st.s, sync.SettingInterval, 5)),
		NetBankAutoCancel:      auto == "1",
		StaleProcessingMinutes: strconv.Itoa(settingInt(st.s, sync.SettingStaleMinutes, 60)),
		RecheckDays:            strconv.Itoa(settingInt(st.s, sync.SettingRecheckDays, sync.DefaultRecheckDays)),
		ExpiryWarningDays:      strconv.Itoa(settingInt(st.s, sync.SettingExpiryWarningDays, 7)),
	}, nil
}

// SaveRules checks every field first and saves nothing on bad input.
func (st *Settings) SaveRules(r Rules) error {
	interval, err := strconv.Atoi(strings.TrimSpace(r.SyncIntervalMinutes))
	if err != nil || interval < 1 || interval > 1440 {
		return backend.Errorf(backend.EINVALID, "同期の間隔は1〜1440分の半角数字で入力してください", "the sync interval is 1 to 1440 minutes")
	}
	stale, err := strconv.Atoi(strings.TrimSpace(r.StaleProcessingMinutes))
	if err != nil || stale < 5 || stale > 10080 {
		return backend.Errorf(backend.EINVALID, "「決済処理中のまま」とみなす時間は5〜10080分の半角数字で入力してください", "the stale threshold is 5 to 10080 minutes")
	}
	recheck, err := strconv.Atoi(strings.TrimSpace(r.RecheckDays))
	if err != nil || recheck < 1 || recheck > 180 {
		return backend.Errorf(backend.EINVALID, "売上後にゲートウェイと照合する日数は1〜180日の半角数字で入力してください", "the days to compare captures are 1 to 180")
	}
	warn := 7
	if w := strings.TrimSpace(r.ExpiryWarningDays); w != "" {
		if warn, err = strconv.Atoi(w); err != nil || warn < 1 || warn > 60 {
			return backend.Errorf(backend.EINVALID, "与信の期限を知らせる日数は1〜60日の半角数字で入力してください", "warn 1 to 60 days before an authorisation expires")
		}
	}
	ctx := st.s.Ctx()
	auto := "0"
	if r.NetBankAutoCancel {
		auto = "1"
	}
	for k, v := range map[string]string{sync.SettingInterval: strconv.Itoa(interval), sync.SettingStaleMinutes: strconv.Itoa(stale),
		sync.SettingNetBankAutoVoid: auto, sync.SettingRecheckDays: strconv.Itoa(recheck), sync.SettingExpiryWarningDays: strconv.Itoa(warn)} {
		if err := st.s.Store.SetSetting(ctx, k, v); err != nil {
			return err
		}
	}
	return nil
}

// SyncRun is one finished sync run.
type SyncRun struct {
	StartedAt  string   `json:"startedAt"`
	FinishedAt string   `json:"finishedAt"`
	Full       bool     `json:"full"`
	Checked    int      `json:"checked"`
	Deposits   int      `json:"deposits"`
	Expired    int      `json:"expired"`
	Updated    int      `json:"updated"`
	Drifts     int      `json:"drifts"`
	Resolved   int      `json:"resolved"`
	Holds      int      `json:"holds"`
	Offline    []string `json:"offline"`
	Errors     []string `json:"errors"`
}

// SyncRuns lists the latest sync runs with their results, newest first.
func (st *Settings) SyncRuns() ([]SyncRun, error) {
	ctx := st.s.Ctx()
	runs, err := sync.LastRuns(ctx, st.s.Store)
	if err != nil {
		return nil, err
	}
	lang := st.s.lang(ctx)
	out := []SyncRun{}
	for _, r := range runs {
		v := SyncRun{StartedAt: jst(r.StartedAt), FinishedAt: jst(r.FinishedAt), Full: r.Full, Checked: r.Checked, Deposits: r.Deposits,
			Expired: r.Expired, Updated: r.Updated, Drifts: r.Drifts, Resolved: r.Resolved, Holds: r.Holds, Offline: r.Offline, Errors: r.Errors}
		if v.Offline == nil {
			v.Offline = []string{}
		}
		if lang == "en" && len(r.ErrorsEn) == len(r.Errors) { // a run recorded before English was kept stays Japanese
			v.Errors = r.ErrorsEn
		}
		if v.Errors == nil {
			v.Errors = []string{}
		}
		out = append(out, v)
	}
	return out, nil
}

// BackupInfo is one database copy.
type BackupInfo struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"` // manual, auto, before_restore, before_update, from_file
	Size    int64  `json:"size"`
	Created string `json:"created"`
}

// Backups lists the database copies, the automatic backup's settings and the one
// chosen for restore at the next start.
type Backups struct {
	List           []BackupInfo `json:"list"`
	RestorePending string       `json:"restorePending"`
	Auto           bool         `json:"auto"`
	Keep           int          `json:"keep"`
	Folder         string       `json:"folder"`
}

func backupInfo(b system.Backup) BackupInfo {
	return BackupInfo{Name: b.Name, Kind: b.Kind, Size: b.Size, Created: jst(b.Created)}
}

// Backups lists the copies, newest first.
func (st *Settings) Backups() (*Backups, error) {
	list, err := st.s.System.Backups()
	if err != nil {
		return nil, err
	}
	bs, err := st.s.System.BackupSettings(st.s.Ctx())
	if err != nil {
		return nil, err
	}
	out := &Backups{List: []BackupInfo{}, RestorePending: st.s.System.RestorePending(), Auto: bs.Auto, Keep: bs.Keep,
		Folder: filepath.Join(st.s.DataDir, "backups")}
	for _, b := range list {
		out.List = append(out.List, backupInfo(b))
	}
	return out, nil
}

// SaveBackupSettings sets the automatic daily backup on or off and how many to keep (as typed).
func (st *Settings) SaveBackupSettings(auto bool, keep string) error {
	n, err := strconv.Atoi(strings.TrimSpace(keep))
	if err != nil {
		n = 0
	}
	return st.s.System.SetBackupSettings(st.s.Ctx(), system.BackupSettings{Auto: auto, Keep: n})
}

// Backup copies the database now (SQLite online backup).
func (st *Settings) Backup() (*BackupInfo, error) {
	b, err := st.s.System.CreateBackup(st.s.Ctx())
	if err != nil {
		return nil, err
	}
	v := backupInfo(*b)
	return &v, nil
}

// RestoreChoice is a backup checked and chosen for the next start.
type RestoreChoice struct {
	Name      string `json:"name"`
	Orders    int    `json:"orders"`
	Payments  int    `json:"payments"`
	LastOrder string `json:"lastOrder"`
}

func restoreChoice(name string, info *sqlite.FileInfo) *RestoreChoice {
	return &RestoreChoice{Name: name, Orders: info.Orders, Payments: info.Payments, LastOrder: jst(info.LastOrder)}
}

// Restore checks a listed backup and chooses it for the next start (the UI confirms first).
func (st *Settings) Restore(name string) (*RestoreChoice, error) {
	info, err := st.s.System.ScheduleRestore(name)
	if err != nil {
		return nil, err
	}
	return restoreChoice(name, info), nil
}

// RestoreFromFile checks any database file and chooses it for the next start; path ""
// asks with the open dialog (nil: the operator cancelled it). A damaged file, another
// program's database or a newer version's is refused with the reason.
func (st *Settings) RestoreFromFile(path string) (*RestoreChoice, error) {
	if strings.TrimSpace(path) == "" {
		if st.s.Dialogs == nil {
			return nil, backend.Errorf(backend.EUNSUPPORTED, "ファイルを選ぶ画面を開けません", "the file dialog is not available")
		}
		p, err := st.s.Dialogs.OpenFile(pick(st.s.lang(st.s.Ctx()), "復元するバックアップファイルを選んでください", "Choose the backup to restore"), FileDatabase)
		if err != nil || p == "" {
			return nil, err
		}
		path = p
	}
	name, info, err := st.s.System.RestoreFromFile(path)
	if err != nil {
		return nil, err
	}
	return restoreChoice(name, info), nil
}

// CancelRestore forgets the chosen restore.
func (st *Settings) CancelRestore() error { return st.s.System.CancelRestore() }

// RestoreNote says what the restore at this start did (nil: nothing to report).
type RestoreNote struct {
	Name      string `json:"name"`
	Created   string `json:"created"`
	Orders    int    `json:"orders"`
	LastOrder string `json:"lastOrder"`
	Previous  string `json:"previous"`
	Refused   string `json:"refused"`
}

// RestoreNote returns what the last restore did, for the window after the restart.
func (st *Settings) RestoreNote() *RestoreNote {
	n := st.s.System.LastRestore()
	if n == nil {
		return nil
	}
	v := &RestoreNote{Name: n.Name, Created: jst(n.Created), Orders: n.Orders, LastOrder: jst(n.LastOrder), Previous: n.Previous,
		Refused: pick(st.s.lang(st.s.Ctx()), n.Refused, n.RefusedEn)}
	if v.Previous == "" {
		v.Previous = n.Kept
	}
	return v
}

// DismissRestoreNote forgets the note once read.
func (st *Settings) DismissRestoreNote() error { return st.s.System.DismissRestoreNote() }

// Restart closes the window and starts Kessai Desk again (a chosen restore is applied
// at the start).
func (st *Settings) Restart() error {
	if st.s.quit == nil {
		return backend.Errorf(backend.EUNSUPPORTED, "再起動できません。決済デスクを閉じて、もう一度起動してください", "cannot restart: close Kessai Desk and start it again")
	}
	st.s.restart.Store(true)
	st.s.quit()
	return nil
}
