package app

import (
	"context"
	"strings"
)

// Start options: two environment variables, read once when the window starts, let a
// script open the real window on a given screen in a given language without a browser
// driver (build/scripts/screenshots.sh photographs every screen this way). Unset, they
// change nothing.
//
//	KESSAIDESK_LANG=ja|en   the window's language, as if chosen in 設定 → 表示 (kept in
//	                        the data folder like that choice)
//	KESSAIDESK_START_VIEW   the screen the window opens on instead of ホーム; the page
//	                        reads it from Info.StartView once (frontend/src/startView.ts):
//	                        home | orders | import | work | reports | settings,
//	                        orders:<quick search>, order:<order no>[:<action>],
//	                        work:<tab>, reports:<tab>, settings:<section>
const (
	EnvLang      = "KESSAIDESK_LANG"
	EnvStartView = "KESSAIDESK_START_VIEW"
)

// ApplyStartOptions reads the start options through getenv (os.Getenv in main). A
// language other than ja or en is ignored and logged.
func (s *Services) ApplyStartOptions(ctx context.Context, getenv func(string) string) error {
	s.startView = strings.TrimSpace(getenv(EnvStartView))
	switch lang := strings.TrimSpace(getenv(EnvLang)); lang {
	case "":
	case "ja", "en":
		return s.Store.SetSetting(ctx, SettingLanguage, lang)
	default:
		if s.System != nil && s.System.Log != nil {
			s.System.Log.Warn("start option ignored", "name", EnvLang, "value", lang)
		}
	}
	return nil
}
