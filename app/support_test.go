package app

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/system"
	"kessaidesk/backend/vault"
)

// zipDialogs answers the save dialog with a fixed path ("" = cancelled).
type zipDialogs struct {
	Dialogs
	path string
}

func (d zipDialogs) SaveZip(string, string) (string, error) { return d.path, nil }

func TestSupportAboutLogFolderAndBundle(t *testing.T) {
	dir := t.TempDir()
	sys, err := system.Open(context.Background(), system.Config{DataDir: dir, Vault: vault.NewMemory(), Version: "v1.2.3", BuildDate: "2026-01-02T03:04:05Z"})
	require.NoError(t, err)
	defer sys.Close()
	s := NewServices(sys, "v1.2.3")
	su := &Support{s: s}

	about, err := su.About()
	require.NoError(t, err)
	assert.Equal(t, "v1.2.3", about.Version)
	assert.Equal(t, "2026-01-02T03:04:05Z", about.BuildDate)
	assert.Equal(t, "info", about.LogLevel)
	names := map[string]bool{}
	for _, e := range append(about.GoModules, about.NPMPackages...) {
		names[e.Name] = true
	}
	assert.True(t, names["github.com/mattn/go-sqlite3"])
	assert.True(t, names["react"])

	assert.Equal(t, backend.EINVALID, backend.ErrorCode(su.SetLogLevel("everything")))
	require.NoError(t, su.SetLogLevel("debug"))

	var opened string
	s.OpenFolder = func(d string) error { opened = d; return nil }
	require.NoError(t, su.OpenLogFolder())
	assert.Equal(t, filepath.Join(dir, "logs"), opened)

	// An error the window shows is logged.
	s.FormatErrorForWails(backend.Errorf(backend.EINVALID, "金額が不正です", "the amount is invalid"))

	out := filepath.Join(t.TempDir(), "bundle.zip")
	s.Dialogs = zipDialogs{path: ""}
	path, err := su.ExportSupportBundle()
	require.NoError(t, err)
	assert.Empty(t, path, "cancelled: nothing written")
	s.Dialogs = zipDialogs{path: out}
	path, err = su.ExportSupportBundle()
	require.NoError(t, err)
	assert.Equal(t, out, path)

	zr, err := zip.OpenReader(out)
	require.NoError(t, err)
	defer zr.Close()
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		files[f.Name] = string(b)
	}
	require.Contains(t, files, "manifest.txt")
	require.Contains(t, files, "about.json")
	assert.Contains(t, files["manifest.txt"], "logs/kessaidesk.log")
	var a system.About
	require.NoError(t, json.Unmarshal([]byte(files["about.json"]), &a))
	assert.Equal(t, "v1.2.3", a.Version)
	assert.Contains(t, files["logs/kessaidesk.log"], `"msg":"error shown"`)
	assert.Contains(t, files["logs/kessaidesk.log"], "the amount is invalid")
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".kessaidesk-support-*"))
	assert.Empty(t, left, "no temporary file left")
	_, err = os.Stat(out)
	require.NoError(t, err)
}
