package appdir

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestForOS(t *testing.T) {
	home := func() (string, error) { return "/home/shop", nil }
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	d, _ := forOS("windows", env(map[string]string{"AppData": `C:\Users\shop\AppData\Roaming`}), home)
	assert.Equal(t, filepath.Join(`C:\Users\shop\AppData\Roaming`, "KessaiDesk"), d)
	d, _ = forOS("darwin", env(nil), home)
	assert.Equal(t, "/home/shop/Library/Application Support/KessaiDesk", d)
	d, _ = forOS("linux", env(map[string]string{"XDG_DATA_HOME": "/data/xdg"}), home)
	assert.Equal(t, "/data/xdg/kessaidesk", d)
	d, _ = forOS("linux", env(map[string]string{"XDG_DATA_HOME": "relative"}), home)
	assert.Equal(t, "/home/shop/.local/share/kessaidesk", d, "a relative XDG path is ignored, as the spec says")
	d, _ = forOS("linux", env(map[string]string{EnvDataDir: "/tmp/kd"}), home)
	assert.Equal(t, "/tmp/kd", d)
}
