//go:build !unix

package dbmove_test

import "time"

func cpuTime() time.Duration { return 0 }

func procCPU(pid int) time.Duration { return 0 }
