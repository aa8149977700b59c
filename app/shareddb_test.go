package app

import (
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
