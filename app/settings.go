package app

import (
	"kessaidesk/backend"
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
	return &Info{Version: st.s.Version, DataDir: st.s.DataDir, Database: st.s.Store.Path, Demo: demo,
		Language: lang, Operator: st.s.operator(ctx)}, nil
}

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
