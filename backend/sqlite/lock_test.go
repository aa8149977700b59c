package sqlite

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

func TestLockIsExclusiveAndReleased(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kessaidesk.lock")
	first, err := AcquireLock(path)
	require.NoError(t, err)

	_, err = AcquireLock(path)
	require.Error(t, err, "a second holder in the same process")
	assert.Equal(t, backend.EBUSY, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "既に動いています")

	require.NoError(t, first.Release())
	again, err := AcquireLock(path)
	require.NoError(t, err, "free after release")
	require.NoError(t, again.Release())
}

// A process killed while holding the lock does not leave the folder locked.
func TestLockDiesWithItsProcess(t *testing.T) {
	if os.Getenv("KESSAIDESK_LOCK_CHILD") != "" {
		l, err := AcquireLock(os.Getenv("KESSAIDESK_LOCK_CHILD"))
		if err != nil {
			os.Exit(3)
		}
		_ = l
		os.Stdout.WriteString("locked\n")
		select {} // held until killed
	}
	path := filepath.Join(t.TempDir(), "kessaidesk.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockDiesWithItsProcess$")
	cmd.Env = append(os.Environ(), "KESSAIDESK_LOCK_CHILD="+path)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	buf := make([]byte, 7)
	_, err = out.Read(buf)
	require.NoError(t, err)
	require.Equal(t, "locked\n", string(buf))

	_, err = AcquireLock(path)
	require.Error(t, err, "held by the other process")
	assert.Equal(t, backend.EBUSY, backend.ErrorCode(err))

	// Someone deletes the lock file: the folder stays held.
	require.NoError(t, os.Remove(path))
	_, err = AcquireLock(path)
	require.Error(t, err, "held by the other process, its lock file deleted")
	assert.Equal(t, backend.EBUSY, backend.ErrorCode(err))

	require.NoError(t, cmd.Process.Kill())
	cmd.Wait()
	l, err := AcquireLock(path)
	require.NoError(t, err, "the OS released it with the process")
	l.Release()
}

// A lock file that is garbage or a folder, or a folder that cannot be written, says
// what to do instead of an SQLite message.
func TestLockProblemsSayWhatToDo(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.lock")
	require.NoError(t, os.WriteFile(garbage, []byte(strings.Repeat("garbage ", 600)), 0o600))
	_, err := AcquireLock(garbage)
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "壊れています")
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "削除してください")

	folder := filepath.Join(dir, "folder.lock")
	require.NoError(t, os.Mkdir(folder, 0o700))
	_, err = AcquireLock(folder)
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "フォルダがあります")

	if os.Geteuid() == 0 {
		t.Skip("root writes into a read-only folder")
	}
	ro := filepath.Join(dir, "ro")
	require.NoError(t, os.Mkdir(ro, 0o500))
	_, err = AcquireLock(filepath.Join(ro, "kessaidesk.lock"))
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "書き込めません")
}
