package app

import (
	"fmt"
	"os"
	"sync"
)

// StartupLogEnv names the environment variable that makes the window say on stderr
// when its first search has answered — the moment the 受注一覧 gets its rows — so
// build/bench/window.sh can time a cold start to rows on screen.
const StartupLogEnv = "KESSAIDESK_STARTUP_LOG"

var firstRows sync.Once

// logFirstRows writes "kessaidesk: first rows N" once, when StartupLogEnv is set.
func logFirstRows(n int) {
	firstRows.Do(func() {
		if os.Getenv(StartupLogEnv) != "" {
			fmt.Fprintf(os.Stderr, "kessaidesk: first rows %d\n", n)
		}
	})
}
