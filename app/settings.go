package app

import (
	"strconv"
	"strings"

	"kessaidesk/backend"
	"kessaidesk/backend/sync"
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
	return &Info{Version: st.s.Version, DataDir: st.s.DataDir, Database: st.s.Store.Path, Demo: demo,
		Language: lang, Operator: st.s.operator(ctx), SetupNeeded: setup}, nil
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
	ctx := st.s.Ctx()
	auto := "0"
	if r.NetBankAutoCancel {
		auto = "1"
	}
	for k, v := range map[string]string{sync.SettingInterval: strconv.Itoa(interval), sync.SettingStaleMinutes: strconv.Itoa(stale),
		sync.SettingNetBankAutoVoid: auto, sync.SettingRecheckDays: strconv.Itoa(recheck)} {
		if err := st.s.Store.SetSetting(ctx, k, v); err != nil {
			return err
		}
	}
	return nil
}

// BackupInfo is one database copy.
type BackupInfo struct {
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	Created string `json:"created"`
}

// Backups lists the database copies and the one chosen for restore at the next start.
type Backups struct {
	List           []BackupInfo `json:"list"`
	RestorePending string       `json:"restorePending"`
}

// Backups lists the copies, newest first.
func (st *Settings) Backups() (*Backups, error) {
	list, err := st.s.System.Backups()
	if err != nil {
		return nil, err
	}
	out := &Backups{List: []BackupInfo{}, RestorePending: st.s.System.RestorePending()}
	for _, b := range list {
		out.List = append(out.List, BackupInfo{Name: b.Name, Size: b.Size, Created: jst(b.ModTime)})
	}
	return out, nil
}

// Backup copies the database now (SQLite online backup).
func (st *Settings) Backup() (*BackupInfo, error) {
	b, err := st.s.System.CreateBackup(st.s.Ctx())
	if err != nil {
		return nil, err
	}
	return &BackupInfo{Name: b.Name, Size: b.Size, Created: jst(b.ModTime)}, nil
}

// Restore chooses a backup to put in place at the next start (the UI confirms first).
func (st *Settings) Restore(name string) error { return st.s.System.ScheduleRestore(name) }

// CancelRestore forgets the chosen restore.
func (st *Settings) CancelRestore() error { return st.s.System.CancelRestore() }
