package app

import (
	"fmt"
	"os"
	"sync"
)

// StartupLogEnv names the environment variable that makes the window say on stderr
// when its first screen has its data — ホーム's overview, or the 受注一覧's first
// search — so build/bench/window.sh can time a cold start to rows on screen.
const StartupLogEnv = "KESSAIDESK_STARTUP_LOG"

var firstScreen sync.Once

// logFirstScreen writes "kessaidesk: first screen WHAT" once, when StartupLogEnv is set.
func logFirstScreen(what string) {
	firstScreen.Do(func() {
		if os.Getenv(StartupLogEnv) != "" {
			fmt.Fprintf(os.Stderr, "kessaidesk: first screen %s\n", what)
		}
	})
}
