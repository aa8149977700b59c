//go:build unix

package sqlite

import (
	"errors"
	"os"
	"syscall"
)

// holdFolder takes an flock on the data folder itself, beside the lock file: deleting
// kessaidesk.lock while a process holds it lets a second process make a new one and
// lock that, but not the folder, which cannot go while the database is in it. (On
// Windows the open lock file cannot be deleted.) flock is per open file, apart from
// SQLite's fcntl locks, and the OS drops it with the process.
func holdFolder(dir string) (release func() error, busy bool, err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, true, err
		}
		return nil, false, err
	}
	return f.Close, false, nil
}
