//go:build unix

package csvimport

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time (user + system): on a busy machine it shows
// what a report costs, whatever the wall clock says.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
