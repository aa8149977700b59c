package hostile

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend/sandbox"
)

// bin is the Kessai Desk binary under attack. KESSAIDESK_HOSTILE_BIN names another one
// (an older build, to see which attacks it fails).
var bin string

// work holds what the whole run shares: the binary, the demo shop template.
var work string

func TestMain(m *testing.M) {
	code := func() int {
		var err error
		if work, err = os.MkdirTemp("", "kessaidesk-hostile-"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(work)
		// Readable by the unprivileged user the read-only attack runs as under root.
		os.Chmod(work, 0o755)
		if bin = os.Getenv("KESSAIDESK_HOSTILE_BIN"); bin == "" {
			bin = filepath.Join(work, "kessaidesk")
			cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, buildFlags()...), "kessaidesk")...)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			if err := cmd.Run(); err != nil {
				fmt.Fprintln(os.Stderr, "hostile: cannot build the binary:", err)
				return 1
			}
		}
		defer closeShared()
		return m.Run()
	}()
	os.Exit(code)
}

// buildFlags are the flags this test was built with (-race, -tags), so the binary has
// the same SQLite features and shares the run's build cache — less the Wails tags: as
// `go test` builds package main, no GTK/WebKit is linked and nothing needs a display.
// A command line runs exactly as in the released app; a launch that would open the
// window fails at once with Wails' "build tags" message instead of showing one (an
// attack that falls through to the window is seen by its exit code).
func buildFlags() []string {
	var flags []string
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "-race":
			if s.Value == "true" {
				flags = append(flags, "-race")
			}
		case "-tags":
			var tags []string
			for _, tag := range strings.Split(s.Value, ",") {
				switch tag {
				case "desktop", "production", "dev", "webkit2_40", "webkit2_41", "bindings":
				default:
					tags = append(tags, tag)
				}
			}
			if len(tags) > 0 {
				flags = append(flags, "-tags", strings.Join(tags, ","))
			}
		}
	}
	return flags
}

// keychain is the OS keychain an attack runs with.
type keychain int

const (
	// brokenBus (the default): a session bus address where no bus listens. The keychain
	// cannot be used, and no attack can ever reach the keychain of the person running
	// the tests.
	brokenBus keychain = iota
	// noSession: no D-Bus session at all (a cron job): DBUS_SESSION_BUS_ADDRESS unset and
	// no bus socket in the runtime folder.
	noSession
	// realKeychain: gnome-keyring on a private D-Bus session of this test run.
	realKeychain
)

// lab is one attack's bench: its own folders and the environment the binary gets.
type lab struct {
	t    *testing.T
	root string
	data string // the data folder under attack
	kc   keychain
	// secrets must never appear in any output nor in any file of the data folder.
	secrets []string
	// files the setup made (CSV files, a second data folder…), by name.
	files map[string]string
	// asUser runs the binary as this uid/gid (0 = as the test).
	asUser uint32
}

func newLab(t *testing.T, kc keychain) *lab {
	root := t.TempDir()
	l := &lab{t: t, root: root, data: filepath.Join(root, "data"), kc: kc, files: map[string]string{}}
	for _, d := range []string{"home", "run", "nobin"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, d), 0o700))
	}
	return l
}

// env is the binary's whole environment: a private HOME, a runtime folder without a
// session bus, an empty PATH (nothing to start, not even go-keyring's dbus-launch),
// no display.
func (l *lab) env(kc keychain) []string {
	env := []string{
		"HOME=" + filepath.Join(l.root, "home"),
		"XDG_DATA_HOME=" + filepath.Join(l.root, "home", "share"),
		"XDG_CONFIG_HOME=" + filepath.Join(l.root, "home", "config"),
		"XDG_RUNTIME_DIR=" + filepath.Join(l.root, "run"),
		"PATH=" + filepath.Join(l.root, "nobin"),
		"LANG=C.UTF-8",
	}
	switch kc {
	case brokenBus:
		env = append(env, "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(l.root, "run", "no-bus-here"))
	case realKeychain:
		env = append(env, "DBUS_SESSION_BUS_ADDRESS="+sessionBus(l.t))
	}
	return env
}

type result struct {
	code    int
	stdout  string
	stderr  string
	elapsed time.Duration
}

func (r result) out() string { return r.stdout + r.stderr }

// run runs the binary on the lab's data folder with its keychain.
func (l *lab) run(stdin string, args ...string) result {
	return l.runWith(l.kc, stdin, append([]string{"-data", l.data}, args...)...)
}

// runWith runs the binary with exactly these arguments and that keychain, and checks
// what every run must keep to: no panic, no data race, no secret in the output.
func (l *lab) runWith(kc keychain, stdin string, args ...string) result {
	l.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = l.env(kc)
	cmd.Dir = l.root
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if l.asUser != 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: l.asUser, Gid: l.asUser}}
	}
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String(), elapsed: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case l.asUser != 0:
		l.t.Skipf("cannot run the binary as uid %d on this machine: %v", l.asUser, err)
	default:
		require.NoError(l.t, err, "kessaidesk %q", args)
	}
	require.NoError(l.t, ctx.Err(), "kessaidesk %q did not finish", args)
	for _, bad := range []string{"panic:", "goroutine ", "runtime error", "SIGSEGV", "DATA RACE"} {
		assert.NotContains(l.t, r.out(), bad, "kessaidesk %q", args)
	}
	for _, s := range l.secrets {
		assert.NotContains(l.t, r.out(), s, "kessaidesk %q echoed a secret", args)
	}
	return r
}

// must runs a command that has to succeed (a setup step, a check).
func (l *lab) must(stdin string, args ...string) result {
	l.t.Helper()
	r := l.run(stdin, args...)
	require.Equal(l.t, 0, r.code, "kessaidesk %q:\n%s", args, r.out())
	return r
}

// start runs the binary in the background until stop is called (it holds the folder).
func (l *lab) start(args ...string) (stdout *bufio.Reader, stop func()) {
	l.t.Helper()
	cmd := exec.Command(bin, append([]string{"-data", l.data}, args...)...)
	cmd.Env = l.env(l.kc)
	cmd.Dir = l.root
	pipe, err := cmd.StdoutPipe()
	require.NoError(l.t, err)
	cmd.Stderr = io.Discard
	require.NoError(l.t, cmd.Start())
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-done
			}
		})
	}
	l.t.Cleanup(stop)
	return bufio.NewReader(pipe), stop
}

// --- data folder states ---

// demoTemplate is a data folder with the demo shop (300 orders, its sandbox), made once
// by the binary itself; attacks start from copies.
var demoTemplate = struct {
	once sync.Once
	dir  string
	err  error
}{}

// demo puts a copy of the demo shop in the lab's data folder.
func (l *lab) demo() {
	l.t.Helper()
	demoTemplate.once.Do(func() {
		tl := &lab{t: l.t, root: filepath.Join(work, "template"), kc: brokenBus}
		for _, d := range []string{"home", "run", "nobin"} {
			os.MkdirAll(filepath.Join(tl.root, d), 0o700)
		}
		demoTemplate.dir = filepath.Join(tl.root, "data")
		r := tl.runWith(brokenBus, "", "-data", demoTemplate.dir, "-demo", "profile", "list")
		if r.code != 0 {
			demoTemplate.err = fmt.Errorf("the demo shop could not be made: %s", r.out())
		}
	})
	require.NoError(l.t, demoTemplate.err)
	copyTree(l.t, demoTemplate.dir, l.data)
}

// ownShop makes an empty data folder of the operator's own shop (no demo).
func (l *lab) ownShop() {
	l.t.Helper()
	l.must("", "profile", "list")
}

func (l *lab) db() string { return filepath.Join(l.data, "kessaidesk.db") }

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	require.NoError(t, filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, _ := d.Info()
		return os.WriteFile(to, b, info.Mode().Perm())
	}))
}

// snapshot is every file of a folder and its content's hash — but the support log
// (logs/), which records every run, the refused ones too.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "logs" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			snap[rel+"/"] = "dir"
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		snap[rel] = hex.EncodeToString(sum[:])
		return nil
	}))
	return snap
}

// noSecretInFiles checks that no secret was written to any file of a folder (the
// database, its WAL, the sandbox's state, sealed files): secrets live in the keychain.
func noSecretInFiles(t *testing.T, dir string, secrets []string) {
	t.Helper()
	if len(secrets) == 0 {
		return
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		for _, s := range secrets {
			assert.False(t, bytes.Contains(b, []byte(s)), "a secret is written in %s", p)
		}
		return nil
	})
}

// sqlDB opens a database file directly (to stage damage, and to look at the outcome).
func sqlDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func exec1(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db := sqlDB(t, path)
	for _, s := range stmts {
		_, err := db.Exec(s)
		require.NoError(t, err, s)
	}
	require.NoError(t, db.Close())
}

func count(t *testing.T, path, query string, args ...any) int {
	t.Helper()
	db := sqlDB(t, path)
	var n int
	require.NoError(t, db.QueryRow(query, args...).Scan(&n), query)
	require.NoError(t, db.Close())
	return n
}

// oneJSON checks that out is exactly one JSON document, and returns it.
func oneJSON(t *testing.T, out string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var doc map[string]any
	require.NoError(t, dec.Decode(&doc), "stdout is a JSON document: %s", out)
	var more any
	assert.ErrorIs(t, dec.Decode(&more), io.EOF, "one JSON document per run, got more: %s", out)
	return doc
}

// --- what the attacks share: a private keychain, the gateway simulators ---

var shared struct {
	busOnce sync.Once
	bus     string
	busErr  error
	busStop func()

	sbOnce sync.Once
	sb     *sandbox.Sandbox
	sbErr  error
}

// sessionBus is the address of a private D-Bus session with gnome-keyring unlocked in
// a throwaway HOME (as build/scripts/keyring-test.sh does): never the keychain of the
// person running the tests. The attacks that need it skip when the tools are missing
// (`make test` installs them).
func sessionBus(t *testing.T) string {
	t.Helper()
	shared.busOnce.Do(func() {
		for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon"} {
			if _, err := exec.LookPath(tool); err != nil {
				shared.busErr = fmt.Errorf("%s is not installed (build/scripts/deps.sh test installs it)", tool)
				return
			}
		}
		home := filepath.Join(work, "keyring")
		os.MkdirAll(filepath.Join(home, "run"), 0o700)
		cmd := exec.Command("dbus-run-session", "--", "sh", "-c",
			`printf %s hostile | gnome-keyring-daemon --unlock --components=secrets >/dev/null && echo "$DBUS_SESSION_BUS_ADDRESS" && exec cat`)
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, "share"), "XDG_RUNTIME_DIR="+filepath.Join(home, "run"))
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = io.Discard
		if shared.busErr = cmd.Start(); shared.busErr != nil {
			return
		}
		shared.busStop = func() {
			stdin.Close() // cat ends, and with it the session: the bus and the keyring daemon
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // the session's own process group
				<-done
			}
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		shared.bus = strings.TrimSpace(line)
		if shared.bus == "" {
			shared.busErr = fmt.Errorf("no private D-Bus session: %v", err)
		}
	})
	if shared.busErr != nil {
		t.Skip("no private keychain for this attack: ", shared.busErr)
	}
	return shared.bus
}

// simulators are the three gateway simulators on 127.0.0.1 (the demo sandbox's code,
// run by the test): real profiles of the attacks talk to them.
func simulators(t *testing.T) sandbox.Info {
	t.Helper()
	shared.sbOnce.Do(func() {
		shared.sb, shared.sbErr = sandbox.Start(filepath.Join(work, "simulators"), nil)
	})
	require.NoError(t, shared.sbErr)
	return shared.sb.Info()
}

func closeShared() {
	if shared.sb != nil {
		shared.sb.Close()
	}
	if shared.busStop != nil {
		shared.busStop()
	}
}
