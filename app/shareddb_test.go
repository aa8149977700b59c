package app

import (
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/logging"
	"kessaidesk/backend/system"
)

// The settings the app keeps per desktop stay on the desktop when the orders are on a
// shared server (system.IsDesktopSetting): each PC its own 操作者, language and window.
func TestTheDesktopsOwnSettingsAreKeptPerDesktop(t *testing.T) {
	for _, key := range []string{SettingOperator, SettingLanguage, SettingWindow, logging.SettingLevel} {
		assert.True(t, system.IsDesktopSetting(key), key)
	}
	assert.False(t, system.IsDesktopSetting("sync.interval_minutes"), "the team's settings are shared")
}

func TestSharedDBStatusOfTheFoldersOwnDatabase(t *testing.T) {
	sys, b := openDesk(t)
	d := &SharedDB{s: b.Settings.s}
	st, err := d.Status()
	require.NoError(t, err)
	assert.Equal(t, "local", st.Mode)
	assert.Equal(t, sys.Database, st.Database)
	assert.Nil(t, st.Form)
	assert.NotEmpty(t, st.PC)
	info, err := b.Settings.Info()
	require.NoError(t, err)
	assert.Equal(t, "local", info.DatabaseMode)
	assert.Empty(t, info.Offline)

	// A form that cannot work is refused before anything is tried, in Japanese.
	_, err = d.Test(SharedDBForm{Host: "db.example.jp", Database: "shop", User: "u", SSLMode: "disable"})
	require.Error(t, err)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	_, err = d.MoveToLocal()
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err), "nothing to copy from without a server")
}

// The shared server going away mid-session reaches the window in words (EOFFLINE), not
// as the driver's text; a refusal that merely wraps such an error stays its own.
func TestAConnectionLostIsSaidInWords(t *testing.T) {
	lost := fmt.Errorf("query orders: %w", &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")})
	ui := FormatError(lost).(UIError)
	assert.Equal(t, backend.EOFFLINE, ui.Code)
	assert.Contains(t, ui.Message, "共有データベースのサーバーに接続できません")
	assert.NotContains(t, ui.Message, "reset by peer")
	ui = FormatError(&backend.Error{Code: backend.EINTERNAL, Message: "x", Err: lost}).(UIError)
	assert.Equal(t, backend.EOFFLINE, ui.Code)
	ui = FormatError(backend.Errorf(backend.EINVALID, "金額が不正です", "bad amount")).(UIError)
	assert.Equal(t, backend.EINVALID, ui.Code)
	assert.Equal(t, "金額が不正です", ui.Message)
}
