package logging

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Rotation: past the size limit the file is renamed and a new one begun, and only the
// newest backups are kept.
func TestRotationKeepsAFewFiles(t *testing.T) {
	dir := t.TempDir()
	l, err := open(dir, 1, 2) // 1 MB per file, 2 backups
	require.NoError(t, err)
	pad := strings.Repeat("x", 1000)
	for i := range 5000 { // about 5 MB: four rotations
		l.Logger().Info("line", "n", i, "pad", pad)
	}
	logs := filepath.Join(dir, Dir)
	require.Eventually(t, func() bool { // lumberjack removes old backups in the background
		entries, _ := os.ReadDir(logs)
		return len(entries) == 3
	}, 5*time.Second, 20*time.Millisecond)
	require.NoError(t, l.Close())

	entries, err := os.ReadDir(logs)
	require.NoError(t, err)
	var total int64
	names := []string{}
	for _, e := range entries {
		fi, err := e.Info()
		require.NoError(t, err)
		assert.LessOrEqual(t, fi.Size(), int64(1<<20), e.Name())
		total += fi.Size()
		names = append(names, e.Name())
	}
	assert.Contains(t, names, File)
	for _, n := range names {
		assert.True(t, strings.HasPrefix(n, "kessaidesk") && strings.HasSuffix(n, ".log"), n)
	}
	// The newest line is in the current file, and every line is whole JSON.
	last := lastLine(t, filepath.Join(logs, File))
	var rec map[string]any
	require.NoError(t, json.Unmarshal([]byte(last), &rec))
	assert.EqualValues(t, 4999, rec["n"])
	assert.Equal(t, "line", rec["msg"])
}

func lastLine(t *testing.T, path string) string {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var last string
	for sc.Scan() {
		last = sc.Text()
	}
	return last
}

func TestLevelChangesAtOnceAndSecretKeysAreBlanked(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir)
	require.NoError(t, err)
	log := l.Logger().With("component", "test")
	log.Debug("hidden at info")
	l.SetLevel(slog.LevelDebug)
	log.Debug("shown at debug", "ShopPass", "CANARY-SECRET-123", "connect_password", "CANARY-SECRET-123", "api_key", "k")
	l.SetLevel(slog.LevelError)
	log.Warn("hidden at error")
	ctx := With(With(context.Background(), slog.String("order", "100268")), slog.String("tran", "A1"))
	log.LogAttrs(ctx, slog.LevelError, "with context", Attrs(ctx)...)
	require.NoError(t, l.Close())
	log.Error("after close: dropped, the file is not opened again")

	raw, err := os.ReadFile(filepath.Join(dir, Dir, File))
	require.NoError(t, err)
	text := string(raw)
	assert.NotContains(t, text, "hidden")
	assert.NotContains(t, text, "CANARY")
	assert.NotContains(t, text, "after close")
	lines := strings.Split(strings.TrimSpace(text), "\n")
	require.Len(t, lines, 2)
	var rec map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &rec))
	assert.Equal(t, "[redacted]", rec["ShopPass"])
	assert.Equal(t, "test", rec["component"])
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &rec))
	assert.Equal(t, "100268", rec["order"])
	assert.Equal(t, "A1", rec["tran"])
}

func TestParseLevel(t *testing.T) {
	for _, name := range Levels {
		l, ok := ParseLevel(name)
		require.True(t, ok, name)
		assert.Equal(t, name, LevelName(l))
	}
	_, ok := ParseLevel("verbose")
	assert.False(t, ok)
}
