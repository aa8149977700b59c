package sync

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"kessaidesk/backend"
)

// Settings of the runs' record and the expiry warning.
const (
	// SettingExpiryWarningDays: 仮売上 this close to their expiry are announced once a
	// day (default 7; Syncer.ExpiryWarningDays when set wins, for tests).
	SettingExpiryWarningDays = "sync.expiry_warning_days"
	settingRuns              = "sync.last_runs"
	// KeptRuns is how many runs the settings screen can show.
	KeptRuns = 10
)

// RunRecord is one finished run as the settings screen lists it.
type RunRecord struct {
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt"`
	Full       bool      `json:"full"`
	Checked    int       `json:"checked"`
	Deposits   int       `json:"deposits"`
	Expired    int       `json:"expired"`
	Updated    int       `json:"updated"`
	Drifts     int       `json:"drifts"`
	Resolved   int       `json:"resolved"`
	Holds      int       `json:"holds"`
	// Changed: payments changed elsewhere during the run, left to the next (Report.Changed).
	Changed int      `json:"changed,omitempty"`
	Offline []string `json:"offline"`
	Errors  []string `json:"errors"`
	// ErrorsEn are Errors in English, one for one (absent from runs recorded before).
	ErrorsEn []string `json:"errorsEn,omitempty"`
}

// LastRuns returns the latest runs, newest first.
func LastRuns(ctx context.Context, store backend.ProfileStore) ([]RunRecord, error) {
	v, err := store.Setting(ctx, settingRuns)
	if err != nil || v == "" {
		return nil, err
	}
	var runs []RunRecord
	if json.Unmarshal([]byte(v), &runs) != nil {
		return nil, nil // a record this version cannot read is no reason to fail
	}
	return runs, nil
}

// recordRun keeps the run's outcome with the previous ones.
func (s *Syncer) recordRun(ctx context.Context, rep *Report, full bool) {
	runs, _ := LastRuns(ctx, s.Store)
	r := RunRecord{StartedAt: rep.StartedAt, FinishedAt: rep.FinishedAt, Full: full, Checked: rep.Checked, Deposits: rep.Deposits,
		Expired: rep.Expired, Updated: rep.Updated, Drifts: rep.Drifts, Resolved: rep.Resolved, Holds: len(rep.Holds), Changed: rep.Changed,
		Offline: rep.Offline, Errors: rep.Errors, ErrorsEn: rep.ErrorsEn}
	if len(r.Errors) > 5 {
		r.Errors = r.Errors[:5]
	}
	if len(r.ErrorsEn) > 5 {
		r.ErrorsEn = r.ErrorsEn[:5]
	}
	runs = append([]RunRecord{r}, runs...)
	if len(runs) > KeptRuns {
		runs = runs[:KeptRuns]
	}
	if b, err := json.Marshal(runs); err == nil {
		s.Store.SetSetting(ctx, settingRuns, string(b))
	}
}

// expiryWarningDays is how close to its expiry a 仮売上 is announced.
func (s *Syncer) expiryWarningDays(ctx context.Context) int {
	if s.ExpiryWarningDays > 0 {
		return s.ExpiryWarningDays
	}
	v, _ := s.Store.Setting(ctx, SettingExpiryWarningDays)
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n
	}
	return 7
}
