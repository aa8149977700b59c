package sqlite

import (
	"os"
	"os/exec"
	"path/filepath"
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

	require.NoError(t, cmd.Process.Kill())
	cmd.Wait()
	l, err := AcquireLock(path)
	require.NoError(t, err, "the OS released it with the process")
	l.Release()
}
