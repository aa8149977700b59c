package payment_test

// The crash test: a separate process — this test binary re-executed to run only
// TestCrashChild — does what the app does at every start (settle what the last
// process left unresolved, then 売上 every 仮売上 in one bulk run), and is killed with
// SIGKILL at random points, ten times. The simulator lives in this process and
// survives every kill, so it remembers each sale and each request; both processes
// use the same database (the SQLite file, or the PostgreSQL database of the pass:
// stores_test.go). At the end every payment must be sold exactly once at
// the gateway, 実売上 locally with its order 入金済み, and every journal entry decided.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/throttle"
	"kessaidesk/backend/vault"
)

const (
	crashChildEnv = "KESSAIDESK_CRASH_CHILD" // JSON crashChildConfig; set only in the child
	crashSeedEnv  = "KESSAIDESK_CRASH_SEED"  // replays the kill points of an earlier run
	crashLine     = "KDCRASH "               // prefix of the child's lines to the parent
	crashOrders   = 300
	crashRounds   = 10
	crashLease    = time.Second // PostgreSQL's claim lease in the child
)

// crashChildConfig is what the child needs to act as the app: the database, the
// gateway and its ShopPass (the keychain of the real app), and the shared instant.
type crashChildConfig struct {
	Store       storeRef  `json:"store"`
	SimURL      string    `json:"simURL"`
	ProfileID   int64     `json:"profileID"`
	ShopID      string    `json:"shopID"`
	ShopPass    string    `json:"shopPass"`
	Now         time.Time `json:"now"`
	Concurrency int       `json:"concurrency"`
}

// TestCrashChild is the app in the child process; without the environment variable
// (a normal `go test`) it does nothing.
func TestCrashChild(t *testing.T) {
	raw := os.Getenv(crashChildEnv)
	if raw == "" {
		t.Skip("runs only as the child process of TestCrashBulkCaptureSurvivesKills")
	}
	var cfg crashChildConfig
	require.NoError(t, json.Unmarshal([]byte(raw), &cfg))
	say := func(format string, args ...any) { fmt.Fprintf(os.Stdout, crashLine+format+"\n", args...) }
	say("started")

	clock := simkit.NewClock(cfg.Now)
	// On PostgreSQL a killed child's claims on its operations outlive it by their
	// lease: a short one lets the next child recover them soon.
	db, err := reopenStore(t.Context(), cfg.Store, clock.Now, crashLease)
	require.NoError(t, err)
	defer db.Close()
	prof, err := db.ProfileByID(t.Context(), cfg.ProfileID)
	require.NoError(t, err)
	require.Equal(t, cfg.SimURL, prof.Host)
	require.Equal(t, cfg.ShopID, prof.MerchantID)
	keychain := vault.NewMemory()
	require.NoError(t, keychain.Set(backend.SecretKey(prof.ID, backend.SecretShopPass), cfg.ShopPass))
	eng := &payment.Engine{Store: db, Gateways: &gateways.Factory{Vault: keychain, Timeout: 5 * time.Second}, Clock: clock,
		Notifier: progressLines{say}, Timeout: 5 * time.Second}

	// Start-up: never send anything on top of an outcome the last process left open.
	// (On PostgreSQL what the killed child held stays its own until the lease lapses.)
	deadline := time.Now().Add(4 * crashLease)
	for {
		remaining, err := eng.ResolveUnresolved(t.Context())
		require.NoError(t, err)
		if remaining == 0 {
			break
		}
		require.True(t, cfg.Store.Kind == storePostgres && time.Now().Before(deadline),
			"the simulator answers every inquiry: %d left unresolved", remaining)
		time.Sleep(crashLease / 4)
	}
	say("resolved")

	// capture -all-authorised
	ps, err := db.FindPayments(t.Context(), backend.PaymentFilter{States: []backend.PaymentState{backend.StateAuthorized}})
	require.NoError(t, err)
	say("capturing %d", len(ps))
	if len(ps) == 0 {
		return
	}
	bulk := &payment.Bulk{Engine: eng, Limits: &throttle.Registry{Rate: 5000, Burst: 100}, Concurrency: cfg.Concurrency}
	job, items, err := bulk.Run(t.Context(), payment.IntentCapture, payment.Params{}, paymentIDs(ps), operator)
	require.NoError(t, err)
	// A run that was not killed sells every payment it took.
	for _, it := range items {
		assert.Equal(t, backend.BulkSucceeded, it.State, "%s: %s", it.OrderNo, it.Message)
	}
	say("finished %v", job.Counts)
}

// progressLines reports each finished bulk item to the parent (the kill trigger).
type progressLines struct{ say func(string, ...any) }

func (n progressLines) Emit(event string, data any) {
	if bp, ok := data.(payment.BulkProgress); ok && event == payment.EventBulkProgress && bp.State == "running" && bp.Last != nil {
		n.say("progress %d", bp.Done)
	}
}

func (progressLines) Notify(string, string) {}

// crashKill is when a round's child is killed: after its afterDone-th finished bulk
// item plus a jitter, or (afterDone 0) at a delay after the process started, which
// may fall in its start-up, in its recovery or in its bulk run.
type crashKill struct {
	afterDone int
	delay     time.Duration
}

func (k crashKill) String() string {
	if k.afterDone > 0 {
		return fmt.Sprintf("after item %d +%v", k.afterDone, k.delay)
	}
	return fmt.Sprintf("at %v after start", k.delay)
}

type crashOutcome struct {
	killed bool
	lines  []string
	stderr string
	took   time.Duration
}

// runCrashChild runs the child and kills it as k says (kill nil: let it finish).
func runCrashChild(t *testing.T, cfg []byte, k *crashKill) crashOutcome {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1", "-test.timeout=2m")
	// The race detector's exit pause (1 s by default) would only slow every round.
	cmd.Env = append(os.Environ(), crashChildEnv+"="+string(cfg), "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	start := time.Now()
	require.NoError(t, cmd.Start())

	var (
		mu     sync.Mutex
		exited bool
		killed bool
	)
	kill := func() {
		mu.Lock()
		defer mu.Unlock()
		if !exited && !killed {
			// SIGKILL: no deferred function, no flush, no goodbye.
			killed = cmd.Process.Signal(syscall.SIGKILL) == nil
		}
	}
	if k != nil && k.afterDone == 0 {
		timer := time.AfterFunc(k.delay, kill)
		defer timer.Stop()
	}
	var lines []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		lines = append(lines, line)
		if k == nil || k.afterDone == 0 {
			continue
		}
		if done, ok := strings.CutPrefix(line, crashLine+"progress "); ok {
			if n, _ := strconv.Atoi(done); n >= k.afterDone {
				if k.delay > 0 {
					time.Sleep(k.delay)
				}
				kill()
			}
		}
	}
	werr := cmd.Wait()
	mu.Lock()
	exited = true
	wasKilled := killed
	mu.Unlock()
	out := crashOutcome{lines: lines, stderr: stderr.String(), took: time.Since(start)}
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL && wasKilled {
			out.killed = true
			return out
		}
	}
	require.NoError(t, werr, "the child failed on its own:\n%s\n%s", strings.Join(lines, "\n"), out.stderr)
	return out
}

// waitQuiet waits until the simulator has taken no request for a while: a request
// of the killed child may still be in the simulator, waiting out its latency.
func waitQuiet(log *simkit.Log) {
	n, still := len(log.Entries()), 0
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) && still < 5; {
		time.Sleep(10 * time.Millisecond)
		if m := len(log.Entries()); m != n {
			n, still = m, 0
			continue
		}
		still++
	}
}

func TestCrashBulkCaptureSurvivesKills(t *testing.T) {
	seed := time.Now().UnixNano()
	if s := os.Getenv(crashSeedEnv); s != "" {
		var err error
		seed, err = strconv.ParseInt(s, 10, 64)
		require.NoError(t, err)
	}
	t.Logf("kill points seed %d (replay with %s=%d)", seed, crashSeedEnv, seed)
	rng := rand.New(rand.NewSource(seed))

	env := newSimEnv(t)
	pays := seedCards(t, env.db, env.sim, env.prof, env.clock.Now(), crashOrders, 300001)
	byID := map[int64]*backend.Payment{}
	for _, p := range pays {
		byID[p.ID] = p
	}
	cfg, err := json.Marshal(crashChildConfig{Store: env.ref, SimURL: env.sim.URL(), ProfileID: env.prof.ID, ShopID: shopID,
		ShopPass: shopPass, Now: env.clock.Now(), Concurrency: 12})
	require.NoError(t, err)

	var (
		killedMidRun   int // killed during its bulk run
		leftUnresolved int // journal entries a kill left pending or sent
		leftPending    int // … committed but not yet sent
		leftApplied    int // … sent and applied by the gateway, not recorded by the app
		leftNotApplied int // … sent, never applied
		openBefore     = map[int64]string{}
	)
	for round := 1; round <= crashRounds+1; round++ {
		final := round > crashRounds
		var k *crashKill
		if !final {
			// Mostly in the bulk run, after a share of what is left that spreads the
			// work over the rounds; sometimes at a time that may fall anywhere in the
			// process's start: opening the database, the recovery, the first sales.
			left, err := env.db.FindPayments(env.ctx, backend.PaymentFilter{States: []backend.PaymentState{backend.StateAuthorized}})
			require.NoError(t, err)
			share := max(2, 2*len(left)/(crashRounds-round+2))
			k = &crashKill{afterDone: 1 + rng.Intn(share), delay: time.Duration(rng.Intn(4000)) * time.Microsecond}
			if rng.Intn(4) == 0 {
				k = &crashKill{delay: time.Duration(rng.Intn(80)) * time.Millisecond}
			}
		}
		latency := time.Duration(2+rng.Intn(9)) * time.Millisecond
		env.sim.Server.SetLatency(latency)

		out := runCrashChild(t, cfg, k)
		if final {
			require.False(t, out.killed)
		}
		waitQuiet(env.sim.Server.Log)

		// What the previous kill left open has been decided by this child's recovery
		// (if the child got that far) — as the gateway says.
		unresolved, err := env.db.UnresolvedOperations(env.ctx)
		require.NoError(t, err)
		stillOpen := map[int64]bool{}
		for _, op := range unresolved {
			stillOpen[op.ID] = true
		}
		for id, was := range openBefore {
			if stillOpen[id] {
				continue // the child died before its recovery reached it
			}
			op, err := env.db.OperationByID(env.ctx, id)
			require.NoError(t, err)
			switch was {
			case "applied":
				assert.Equal(t, backend.OpSucceeded, op.State, "op %d was applied at the gateway: %s", id, op.Message)
				assert.Contains(t, op.Message, "照会して完了を確認しました")
				assert.Contains(t, op.MessageEn, "the gateway's inquiry confirmed it was done")
			case "not applied":
				assert.Equal(t, backend.OpFailed, op.State, "op %d never reached the gateway: %s", id, op.Message)
				assert.Contains(t, op.Message, "実行されていませんでした")
			case "pending":
				assert.Equal(t, backend.OpFailed, op.State, "op %d was never sent: %s", id, op.Message)
				assert.Contains(t, op.Message, "送信前に中断")
			}
			delete(openBefore, id)
		}

		var pending, applied, notApplied int
		for _, op := range unresolved {
			if _, ok := openBefore[op.ID]; ok {
				continue
			}
			p := byID[op.PaymentID]
			require.NotNil(t, p)
			tr, ok := env.sim.Trade(p.GatewayOrderID)
			require.True(t, ok)
			switch {
			case op.State == backend.OpPending:
				pending++
				openBefore[op.ID] = "pending"
				assert.Equal(t, "AUTH", tr.Status, "a pending operation was never sent")
			case tr.Status == "SALES":
				applied++
				openBefore[op.ID] = "applied"
			default:
				notApplied++
				openBefore[op.ID] = "not applied"
			}
		}
		progressed := 0
		for _, l := range out.lines {
			if strings.HasPrefix(l, crashLine+"progress ") {
				progressed++
			}
		}
		captured, err := env.db.FindPayments(env.ctx, backend.PaymentFilter{States: []backend.PaymentState{backend.StateCaptured}})
		require.NoError(t, err)
		what := "finished"
		if out.killed {
			what = "killed " + k.String()
		}
		t.Logf("round %2d: latency %v, %s after %v; %d items done; left pending %d, sent+applied %d, sent+not applied %d; %d/%d 実売上 locally, %d sold at the gateway",
			round, latency, what, out.took.Round(time.Millisecond), progressed, pending, applied, notApplied, len(captured), crashOrders,
			len(env.sim.Server.Log.CountApplied("SALES")))
		if out.killed {
			if progressed > 0 && slicesContainPrefix(out.lines, crashLine+"capturing ") && !slicesContainPrefix(out.lines, crashLine+"finished") {
				killedMidRun++
			}
			leftUnresolved += pending + applied + notApplied
			leftPending += pending
			leftApplied += applied
			leftNotApplied += notApplied
		} else {
			require.Empty(t, unresolved, "a process that finished leaves nothing unresolved")
		}
	}
	t.Logf("kills: %d mid-run; they left %d operations unresolved (%d pending, %d applied at the gateway but not recorded, %d sent and lost)",
		killedMidRun, leftUnresolved, leftPending, leftApplied, leftNotApplied)
	require.Positive(t, killedMidRun, "no kill landed in a bulk run")
	require.Positive(t, leftApplied, "no kill landed between the gateway's sale and the app's record of it: the recovery was not exercised")
	require.Empty(t, openBefore, "the final run decided everything earlier kills left open")

	// The gateway: every payment sold exactly once, and never asked twice.
	sales := env.sim.Server.Log.CountApplied("SALES")
	assert.Empty(t, env.sim.Server.Log.Duplicates("SALES"))
	assert.Len(t, sales, crashOrders)
	reqs := salesRequests(env.sim.Server.Log, pays)
	for _, p := range pays {
		tr, ok := env.sim.Trade(p.GatewayOrderID)
		require.True(t, ok)
		assert.Equal(t, "SALES", tr.Status, p.GatewayOrderID)
		assert.Equal(t, int64(p.AmountAuthorized), tr.Amount, p.GatewayOrderID)
		assert.Equal(t, 1, sales[p.GatewayOrderID], "%s: sales applied", p.GatewayOrderID)
		assert.Equal(t, 1, reqs[p.GatewayOrderID], "%s: SALES requests that reached the gateway (a second one is a blind re-send)", p.GatewayOrderID)
	}

	// The app: every payment 実売上 with its order 入金済み; every journal entry decided
	// and explained, one success per payment.
	unresolved, err := env.db.UnresolvedOperations(env.ctx)
	require.NoError(t, err)
	assert.Empty(t, unresolved)
	var succeeded, failed int
	for _, want := range pays {
		p, err := env.db.PaymentByID(env.ctx, want.ID)
		require.NoError(t, err)
		assert.Equal(t, backend.StateCaptured, p.State, want.GatewayOrderID)
		assert.Equal(t, want.AmountAuthorized, p.AmountCaptured, want.GatewayOrderID)
		assert.Equal(t, "SALES", p.RawStatus, want.GatewayOrderID)
		assert.False(t, p.CapturedAt.IsZero(), want.GatewayOrderID)
		o, err := env.db.OrderByID(env.ctx, p.OrderID)
		require.NoError(t, err)
		assert.Equal(t, backend.OrderPaid, o.Status, o.OrderNo)

		ops, err := env.db.OperationsByPayment(env.ctx, p.ID)
		require.NoError(t, err)
		wins := 0
		for _, op := range ops {
			assert.Equal(t, backend.OpCapture, op.Kind)
			assertJapanese(t, op.Message)
			switch op.State {
			case backend.OpSucceeded:
				wins++
				succeeded++
				assert.Equal(t, backend.StateCaptured, op.AfterState)
				assert.Contains(t, op.Message, "売上処理が完了しました")
			case backend.OpFailed:
				failed++
				assert.Equal(t, backend.StateAuthorized, op.AfterState, "a failed sale leaves 仮売上: %s", op.Message)
				if !strings.Contains(op.Message, "実行されていませんでした") && !strings.Contains(op.Message, "送信前に中断") {
					assert.Failf(t, "a failed operation without its reason", "%s op %d: %q", o.OrderNo, op.ID, op.Message)
				}
			default:
				assert.Failf(t, "an operation left undecided", "%s op %d: %s", o.OrderNo, op.ID, op.State)
			}
		}
		assert.Equal(t, 1, wins, "%s: one successful 売上 in the journal", o.OrderNo)
	}
	t.Logf("journal: %d 売上 succeeded, %d failed (interrupted before sending, or proven not applied)", succeeded, failed)
}

func slicesContainPrefix(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}
