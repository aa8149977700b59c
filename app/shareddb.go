package app

import (
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/dbmove"
	"kessaidesk/backend/shareddb"
	"kessaidesk/backend/system"
)

// SharedDB is 設定 → 共有データベース: where the orders are, the team's PostgreSQL
// server's connection (password in the keychain), its test, joining it, moving this
// PC's orders to it and back. Every change takes effect at the restart (Settings.Restart).
type SharedDB struct{ s *Services }

// SharedDBForm is the connection form; Password "" keeps the one in the keychain.
type SharedDBForm struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Database string `json:"database"`
	User     string `json:"user"`
	Password string `json:"password"`
	SSLMode  string `json:"sslMode"` // verify-full (default), verify-ca, disable (this PC only)
	CAFile   string `json:"caFile"`
}

func (f SharedDBForm) config() shareddb.Config {
	return shareddb.Config{Host: f.Host, Port: f.Port, Database: f.Database, User: f.User, SSLMode: f.SSLMode, CAFile: f.CAFile}
}

// SharedDBStatus is what the section shows.
type SharedDBStatus struct {
	// Mode: "local" (this PC's database), "shared" (the team's server) or "offline"
	// (the server cannot be reached: its last copy, read-only, no operations).
	Mode        string        `json:"mode"`
	Database    string        `json:"database"`
	Form        *SharedDBForm `json:"form"` // the server's settings (no password); nil in local mode
	HasPassword bool          `json:"hasPassword"`
	Offline     string        `json:"offline"` // why, in Japanese ("" online)
	OfflineEn   string        `json:"offlineEn"`
	CopyAt      string        `json:"copyAt"` // when the offline copy was made (RFC 3339; "" none)
	Operator    string        `json:"operator"`
	PC          string        `json:"pc"`
}

// Status says where the orders are.
func (d *SharedDB) Status() (*SharedDBStatus, error) {
	st := d.s.System.SharedStatus()
	out := &SharedDBStatus{Mode: st.Mode, Database: st.Database, HasPassword: st.HasPassword,
		Operator: d.s.operator(d.s.Ctx()), PC: d.s.Store.PC()}
	if c := st.Config; c != nil {
		out.Form = &SharedDBForm{Host: c.Host, Port: c.Port, Database: c.Database, User: c.User, SSLMode: c.SSLMode, CAFile: c.CAFile}
	}
	if st.Offline != nil {
		out.Offline, out.OfflineEn = backend.ErrorMessage(st.Offline, "ja"), backend.ErrorMessage(st.Offline, "en")
	}
	if !st.CopyAt.IsZero() {
		out.CopyAt = st.CopyAt.UTC().Format(time.RFC3339)
	}
	return out, nil
}

// Test is the connection test: what the server says, changing nothing.
func (d *SharedDB) Test(f SharedDBForm) (*shareddb.TestResult, error) {
	return d.s.System.TestShared(d.s.Ctx(), f.config(), f.Password)
}

// Join points this desktop at the team's database (at the restart).
func (d *SharedDB) Join(f SharedDBForm) (*shareddb.TestResult, error) {
	return d.s.System.JoinShared(d.s.Ctx(), f.config(), f.Password)
}

// MoveReport is a move's per-table counts, checked equal on both sides.
type MoveReport struct {
	Tables []dbmove.TableCount `json:"tables"`
}

// MoveToServer copies this PC's orders to an empty server and uses it (at the restart).
// Progress: the "shared:progress" event.
func (d *SharedDB) MoveToServer(f SharedDBForm) (*MoveReport, error) {
	r, err := d.s.System.MoveToServer(d.s.Ctx(), f.config(), f.Password)
	if err != nil {
		return nil, err
	}
	return &MoveReport{Tables: r.Tables}, nil
}

// MoveToLocal copies the server's orders to this PC and stops using the server (at the
// restart); the other desktops go on with the server.
func (d *SharedDB) MoveToLocal() (*MoveReport, error) {
	r, err := d.s.System.MoveToLocal(d.s.Ctx())
	if err != nil {
		return nil, err
	}
	return &MoveReport{Tables: r.Tables}, nil
}

// Leave stops using the server without copying (at the restart).
func (d *SharedDB) Leave() error { return d.s.System.LeaveShared(d.s.Ctx()) }

// ChooseCAFile asks for the server's CA certificate (PEM); "" when cancelled.
func (d *SharedDB) ChooseCAFile() (string, error) {
	if d.s.Dialogs == nil {
		return "", backend.Errorf(backend.EUNSUPPORTED, "ファイルを選ぶ画面を開けません", "the file dialog is not available")
	}
	return d.s.Dialogs.OpenFile(pick(d.s.lang(d.s.Ctx()), "サーバーのCA証明書（PEM）を選んでください", "Choose the server's CA certificate (PEM)"), FileCertificate)
}

// EventSharedProgress is a move's progress (a dbmove.Progress).
const EventSharedProgress = system.EventSharedProgress
