// Package sync keeps payments up to date with the gateways: it runs at start-up, every
// few minutes and on 「今すぐ同期」, and compares every payment whose state can still
// change at its gateway — 決済処理中, 要確認 and 売上失敗 at every run; open
// authorisations, captures and partial refunds of the last days and awaited deposits
// in turn, least recently compared first, within a per-run budget that goes round
// them all several times a day. It records deposits and expiries by rule and lists
// every other difference for the operator to fix; a payment cancelled or refunded at
// the gateway (in its console, behind the app's back) before its order was shipped
// also puts the order on 「出荷を止める」 with an alert.
package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/throttle"
)

// Events sent to the UI.
const (
	EventProgress = "sync:progress"
	EventDone     = "sync:done"
)

// Settings keys the sync reads.
const (
	SettingInterval        = "sync.interval_minutes"   // default 5
	SettingNetBankAutoVoid = "sync.netbank_autocancel" // "1": a net-bank expiry cancels the order
	SettingStaleMinutes    = "sync.stale_processing_minutes"
	// SettingRecheckDays: captures and partial refunds of the last so many days are
	// compared with the gateway (a refund or an amount change in its console).
	SettingRecheckDays = "sync.recheck_days"
)

// DefaultRecheckDays is SettingRecheckDays when unset.
const DefaultRecheckDays = 30

// Syncer is the scheduler and the run.
type Syncer struct {
	Store    backend.Store
	Gateways backend.GatewayFactory
	Engine   *payment.Engine // resolves unknown operations the same way at every run
	Clock    backend.Clock
	Notifier backend.Notifier
	Limits   *throttle.Registry
	// Log receives what the operator need not be shown (a payment left to the next run
	// because it changed during this one); nil: slog's default logger.
	Log *slog.Logger
	// Concurrency is the number of inquiries in flight per gateway (default 8).
	Concurrency int
	// ExpiryWarningDays: 仮売上 payments this close to their auth expiry are announced
	// (default 7).
	ExpiryWarningDays int
	// RecheckCycle: periodic runs go round every payment of the rotation (RecheckQueue)
	// at least once per cycle at the sync interval (default 6 hours, so a window open
	// for a working day compares each of them at least once that day).
	RecheckCycle time.Duration
	// RecheckMin is the least number of rotating payments a periodic run asks (default
	// 20): a small shop's are all asked at every run.
	RecheckMin int

	mu      gosync.Mutex
	running bool
	kick    chan struct{}
	// failedAt: payments whose inquiry failed, and when. The rotation passes them by
	// for a cycle so that one payment the gateway cannot answer for does not hold up
	// the others (a full run asks them again). Only a run touches it.
	failedAt map[int64]time.Time
}

// Report is the outcome of one run.
type Report struct {
	StartedAt  time.Time
	FinishedAt time.Time
	Checked    int // payments asked about
	Requests   int // inquiries sent
	Deposits   int // newly deposited
	Expired    int // newly expired
	Updated    int // other state changes recorded
	Drifts     int // differences listed for the operator
	Resolved   int // unknown operations settled
	// Changed counts the payments an operator or another desktop changed while the run
	// was comparing them: nothing of the run's is written over their change, and the
	// next run compares them again. Not an error.
	Changed  int
	Expiring int // 仮売上 lapsing within the warning days
	// Budget is the number of payments the run could ask about: those asked at every
	// run and its share of the rotation (a full run: all of them). One inquiry is one
	// request, but for a lost answer asked again and Paygent's second look at a
	// cancelled payment (by trading_id, and when several payments share it, each known
	// candidate by payment_id).
	Budget int
	// Holds are the order numbers put on 「出荷を止める」 by this run.
	Holds   []string
	Offline []string
	Errors  []string // in Japanese
	// ErrorsEn are Errors in English, one for one.
	ErrorsEn []string
}

// fail adds an error to the report in both languages.
func (r *Report) fail(t backend.Text) {
	r.Errors, r.ErrorsEn = append(r.Errors, t.Ja), append(r.ErrorsEn, t.In("en"))
}

// Progress is the "sync:progress" event.
type Progress struct {
	Profile string `json:"profile"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
}

func (s *Syncer) notifier() backend.Notifier {
	if s.Notifier == nil {
		return backend.NopNotifier{}
	}
	return s.Notifier
}

// ErrRunning is returned when a run is asked for while one is under way.
var ErrRunning = backend.Errorf(backend.EBUSY, "同期を実行中です", "a sync is already running")

// ErrRunningElsewhere is returned when another desktop sharing the database is
// running the sync (backend.RunLocker): its results show here too.
var ErrRunningElsewhere = backend.Errorf(backend.EBUSY, "別のパソコンが同期を実行中です。結果はこのパソコンにも表示されます",
	"another desktop is running the sync; its results show here too")

// RunLockName is the lock a shared store holds for a run (backend.RunLocker).
const RunLockName = "sync"

// Start runs a full sync now (what changed while the app was closed), then a periodic
// one every interval until ctx ends; RunNow kicks a full one.
func (s *Syncer) Start(ctx context.Context) {
	s.mu.Lock()
	if s.kick == nil {
		s.kick = make(chan struct{}, 1)
	}
	kick := s.kick
	s.mu.Unlock()
	full := true
	for {
		s.run(ctx, full)
		select {
		case <-ctx.Done():
			return
		case <-kick:
			full = true
		case <-time.After(s.interval(ctx)):
			full = false
		}
	}
}

// RunNow asks the scheduler for a run as soon as possible (今すぐ同期).
func (s *Syncer) RunNow() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.kick == nil {
		s.kick = make(chan struct{}, 1)
	}
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

func (s *Syncer) interval(ctx context.Context) time.Duration {
	v, _ := s.Store.Setting(ctx, SettingInterval)
	var m int
	fmt.Sscan(v, &m)
	if m <= 0 {
		m = 5
	}
	return time.Duration(m) * time.Minute
}

// RunOnce runs one full sync over every gateway profile: every payment that can still
// change is compared with its gateway (今すぐ同期, the command line, the start). Runs
// never overlap.
func (s *Syncer) RunOnce(ctx context.Context) (*Report, error) { return s.run(ctx, true) }

// RunScheduled runs one periodic sync: the payments asked at every run, and the
// rotation's share — least recently compared first, at most the per-run budget.
func (s *Syncer) RunScheduled(ctx context.Context) (*Report, error) { return s.run(ctx, false) }

func (s *Syncer) run(ctx context.Context, full bool) (*Report, error) {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return nil, ErrRunning
	}
	s.running = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.running = false
		s.mu.Unlock()
	}()
	// On a shared database one desktop runs it at a time, the recovery of unknown
	// operations included; the others skip their turn.
	if l, ok := s.Store.(backend.RunLocker); ok {
		unlock, held, err := l.TryRunLock(ctx, RunLockName)
		if err != nil {
			return nil, err
		}
		if !held {
			return nil, ErrRunningElsewhere
		}
		defer unlock()
	}

	rep := &Report{StartedAt: s.Clock.Now()}
	// Unknown operations first: the engine settles them by inquiry, as at start-up.
	if s.Engine != nil {
		before, _ := s.Store.UnresolvedOperations(ctx)
		remaining, err := s.Engine.ResolveUnresolved(ctx)
		if err == nil {
			rep.Resolved = len(before) - remaining
		}
	}
	profiles, err := s.Store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	for _, prof := range profiles {
		if ctx.Err() != nil {
			break
		}
		s.syncProfile(ctx, prof, full, rep)
	}
	rep.FinishedAt = s.Clock.Now()
	s.notifier().Emit(EventDone, map[string]any{"deposits": rep.Deposits, "expired": rep.Expired, "drifts": rep.Drifts,
		"holds": len(rep.Holds), "offline": rep.Offline, "finishedAt": rep.FinishedAt})
	if rep.Deposits > 0 {
		backend.Announce(s.notifier(), backend.Text{Ja: "入金を確認しました", En: "Deposits received"},
			backend.Textf("%d件の入金を確認し、対応状況を入金済みにしました", plural(rep.Deposits, "%d deposit received; its order is set to paid", "%d deposits received; their orders are set to paid"), rep.Deposits))
	}
	s.announceHolds(rep)
	s.announceExpiring(ctx, rep)
	s.recordRun(ctx, rep, full)
	return rep, nil
}

// announceHolds alerts the operator, once per run, to the orders just put on 「出荷を止める」.
func (s *Syncer) announceHolds(rep *Report) {
	n := len(rep.Holds)
	if n == 0 {
		return
	}
	which, whichEn := "受注 "+rep.Holds[0], "order "+rep.Holds[0]+" was"
	if n > 1 {
		list := rep.Holds[:min(n, 5)]
		which = fmt.Sprintf("%d件の受注（%s", n, strings.Join(list, "、"))
		whichEn = fmt.Sprintf("%d orders (%s", n, strings.Join(list, ", "))
		if n > len(list) {
			which += " ほか"
			whichEn += " and more"
		}
		which += "）"
		whichEn += ") were"
	}
	backend.Announce(s.notifier(), backend.Text{Ja: "出荷を止めてください", En: "Stop shipping"}, backend.Text{
		Ja: which + "の決済が、発送前にゲートウェイの管理画面などで取消・返金されました。" +
			"作業リストの「出荷を止める」で、受注をキャンセルにするか、そのままにするかを選んでください",
		En: "The payment of " + whichEn + " cancelled or refunded before shipping (at the gateway's console, for instance). " +
			"In Work › Stop shipping, choose whether to cancel each order or keep it",
	})
}

// settingExpiryNotified holds the JST day the expiring authorisations were last announced.
const settingExpiryNotified = "sync.expiry_notified_day"

// announceExpiring tells the operator, once a day, how many 仮売上 lapse soon.
func (s *Syncer) announceExpiring(ctx context.Context, rep *Report) {
	days := s.expiryWarningDays(ctx)
	now := s.Clock.Now()
	ps, err := s.Store.FindPayments(ctx, backend.PaymentFilter{States: []backend.PaymentState{backend.StateAuthorized},
		AuthExpiresBefore: now.AddDate(0, 0, days)})
	if err != nil {
		return
	}
	rep.Expiring = len(ps)
	today := now.In(backend.JST).Format("2006-01-02")
	if last, _ := s.Store.Setting(ctx, settingExpiryNotified); len(ps) == 0 || last == today {
		return
	}
	backend.Announce(s.notifier(), backend.Text{Ja: "与信の期限が近づいています", En: "Authorisations expire soon"},
		backend.Textf("%d件の仮売上が%d日以内に期限を迎えます。作業リストの「売上待ち」から売上してください",
			plural(len(ps), "%d authorisation expires within %d days. Capture it from Work › To capture", "%d authorisations expire within %d days. Capture them from Work › To capture"), len(ps), days))
	s.Store.SetSetting(ctx, settingExpiryNotified, today)
}

// everyRun are the states asked about at every run: a checkout in progress, an answer
// to be settled, a capture to retry — few, and each waits on the gateway.
var everyRun = []backend.PaymentState{backend.StatePending, backend.StateNeedsReview, backend.StateCaptureFailed}

// candidates are the payments of a profile a run asks about: those of every run, and
// the rotation's share — all of it in a full run, else the least recently compared
// up to the budget. It returns them with the run's budget.
func (s *Syncer) candidates(ctx context.Context, prof *backend.GatewayProfile, full bool) ([]*backend.Payment, int, error) {
	pays, err := s.Store.FindPayments(ctx, backend.PaymentFilter{ProfileID: prof.ID, States: everyRun})
	if err != nil {
		return nil, 0, err
	}
	// A payment waiting for the operator to choose among several transactions (Paygent
	// 13002) is not asked about: the gateway's answer cannot change until then.
	waiting, err := s.Store.AwaitingChoice(ctx)
	if err != nil {
		return nil, 0, err
	}
	pays = slices.DeleteFunc(pays, func(p *backend.Payment) bool { return waiting[p.ID] })
	since := s.capturedSince(ctx)
	limit := 0
	if !full {
		total, err := s.Store.RecheckCount(ctx, prof.ID, since)
		if err != nil {
			return nil, 0, err
		}
		if limit = s.budget(ctx, total); limit == 0 {
			return pays, len(pays), nil
		}
	}
	skip := s.recentFailures()
	more := limit
	if limit > 0 {
		more += len(skip)
	}
	queue, err := s.Store.RecheckQueue(ctx, prof.ID, since, more)
	if err != nil {
		return nil, 0, err
	}
	if limit > 0 {
		queue = slices.DeleteFunc(queue, func(p *backend.Payment) bool { return skip[p.ID] })
		queue = queue[:min(len(queue), limit)]
	}
	return append(pays, queue...), len(pays) + len(queue), nil
}

// recentFailures are the payments whose inquiry failed within the last cycle.
func (s *Syncer) recentFailures() map[int64]bool {
	now := s.Clock.Now()
	out := map[int64]bool{}
	for id, at := range s.failedAt {
		if now.Sub(at) < s.cycle() {
			out[id] = true
		} else {
			delete(s.failedAt, id)
		}
	}
	return out
}

// cycle is RecheckCycle, 6 hours by default.
func (s *Syncer) cycle() time.Duration {
	if s.RecheckCycle <= 0 {
		return 6 * time.Hour
	}
	return s.RecheckCycle
}

// capturedSince bounds the captures and partial refunds still compared (SettingRecheckDays).
func (s *Syncer) capturedSince(ctx context.Context) time.Time {
	return s.Clock.Now().AddDate(0, 0, -settingDays(ctx, s.Store, SettingRecheckDays, DefaultRecheckDays))
}

// budget is the rotation's share of one periodic run: enough to go round all total
// payments once per RecheckCycle at the sync interval, at least RecheckMin.
func (s *Syncer) budget(ctx context.Context, total int) int {
	least := s.RecheckMin
	if least <= 0 {
		least = 20
	}
	runs := max(int(s.cycle()/s.interval(ctx)), 1)
	return min(total, max(least, (total+runs-1)/runs))
}

func settingDays(ctx context.Context, st backend.Store, key string, def int) int {
	v, _ := st.Setting(ctx, key)
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return def
	}
	return n
}

func (s *Syncer) syncProfile(ctx context.Context, prof *backend.GatewayProfile, full bool, rep *Report) {
	now := s.Clock.Now()
	st, err := s.Store.SyncStatus(ctx, prof.ID)
	if err != nil {
		rep.fail(backend.ErrorText(err))
		return
	}
	if !st.NextAttempt.IsZero() && now.Before(st.NextAttempt) {
		return // backing off after errors
	}
	st.LastAttempt = now
	gw, err := s.Gateways.Gateway(ctx, prof)
	if err != nil {
		s.failed(ctx, st, prof, err, rep)
		return
	}
	pays, budget, err := s.candidates(ctx, prof, full)
	if err != nil {
		rep.fail(backend.ErrorText(err))
		return
	}
	if feed, ok := gw.(backend.ChangeFeed); ok && s.feedEnabled(ctx, prof.ID) {
		// One difference inquiry instead of one inquiry per payment: it covers every
		// payment that can change, the whole rotation included.
		all := pays
		if !full {
			all, _, err = s.candidates(ctx, prof, true)
			if err != nil {
				rep.fail(backend.ErrorText(err))
				return
			}
		}
		var rest []*backend.Payment
		rest, err = s.syncByFeed(ctx, prof, feed, st, all, rep)
		if rest == nil {
			pays, budget = nil, 0
		}
		if err != nil {
			if backend.ErrorCode(err) == backend.EOFFLINE || backend.ErrorClassOf(err) == backend.ClassNotSent {
				if st.OfflineSince.IsZero() {
					st.OfflineSince = now
				}
				rep.Offline = append(rep.Offline, prof.Name)
				st.LastError, st.LastErrorEn = backend.ErrorMessage(err, "ja"), backend.ErrorMessage(err, "en")
				s.Store.SaveSyncStatus(ctx, st)
				return
			}
			s.failed(ctx, st, prof, err, rep)
			return
		}
	}
	rep.Budget += budget
	conc := s.Concurrency
	if conc <= 0 {
		conc = 8
	}
	var lim *throttle.Limiter
	if s.Limits != nil {
		lim = s.Limits.For(prof.ID)
	}
	var (
		mu       gosync.Mutex
		done     int
		offline  error
		firstErr error
	)
	queue := make(chan *backend.Payment)
	var wg gosync.WaitGroup
	for range min(conc, max(len(pays), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range queue {
				if lim != nil && lim.Wait(ctx) != nil {
					continue
				}
				view, sent, err := inquire(ctx, gw, p)
				mu.Lock()
				rep.Requests += sent
				rep.Checked++
				done++
				n := done
				mu.Unlock()
				switch {
				case err == nil:
					if lim != nil {
						lim.OK()
					}
					mu.Lock()
					delete(s.failedAt, p.ID)
					mu.Unlock()
					s.apply(ctx, prof, p, view, rep, &mu)
				case backend.ErrorCode(err) == backend.EOFFLINE || backend.ErrorClassOf(err) == backend.ClassNotSent:
					mu.Lock()
					if offline == nil {
						offline = err
					}
					mu.Unlock()
				default:
					if backend.ErrorClassOf(err) == backend.ClassRetryable && lim != nil {
						lim.Busy()
					}
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					if s.failedAt == nil {
						s.failedAt = map[int64]time.Time{}
					}
					s.failedAt[p.ID] = s.Clock.Now()
					mu.Unlock()
				}
				if n%20 == 0 || n == len(pays) {
					s.notifier().Emit(EventProgress, Progress{Profile: prof.Name, Done: n, Total: len(pays)})
				}
			}
		}()
	}
	for _, p := range pays {
		mu.Lock()
		stop := offline != nil
		mu.Unlock()
		if stop || ctx.Err() != nil {
			break // the network is down: nothing is marked failed; the next run catches up
		}
		queue <- p
	}
	close(queue)
	wg.Wait()
	switch {
	case offline != nil:
		if st.OfflineSince.IsZero() {
			st.OfflineSince = now
		}
		rep.Offline = append(rep.Offline, prof.Name)
		st.LastError, st.LastErrorEn = backend.ErrorMessage(offline, "ja"), backend.ErrorMessage(offline, "en")
		s.Store.SaveSyncStatus(ctx, st)
	case firstErr != nil:
		s.failed(ctx, st, prof, firstErr, rep)
	default:
		st.LastSuccess, st.OfflineSince, st.Failures, st.NextAttempt, st.LastError, st.LastErrorEn = s.Clock.Now(), time.Time{}, 0, time.Time{}, "", ""
		s.Store.SaveSyncStatus(ctx, st)
	}
}

// inquire asks the gateway about a payment and returns the number of requests sent.
// An inquiry changes nothing, so one whose answer was lost after sending (ClassUnknown,
// not a timeout) is asked once more. Fix: when the network has just gone, the request
// is written to a pooled keep-alive connection that is already dead and fails as
// "sent, answer lost"; without the second ask — on a new connection, which is refused
// — a shop with one or two open payments got a failed run with back-off instead of
// "offline" (TestOfflineMarksNothingFailedAndTheNextRunCatchesUp).
func inquire(ctx context.Context, gw backend.Gateway, p *backend.Payment) (*backend.GatewayView, int, error) {
	v, err := gw.Inquire(ctx, p)
	if err == nil || backend.ErrorClassOf(err) != backend.ClassUnknown || ctx.Err() != nil || isTimeout(err) {
		return v, 1, err
	}
	v, err = gw.Inquire(ctx, p)
	return v, 2, err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// failed records an error run and backs off exponentially (1, 2, 4 … 60 minutes).
func (s *Syncer) failed(ctx context.Context, st *backend.SyncStatus, prof *backend.GatewayProfile, err error, rep *Report) {
	st.Failures++
	wait := time.Minute << min(st.Failures-1, 6)
	st.NextAttempt = s.Clock.Now().Add(min(wait, time.Hour))
	st.LastError, st.LastErrorEn = backend.ErrorMessage(err, "ja"), backend.ErrorMessage(err, "en")
	rep.fail(backend.Text{Ja: prof.Name + ": " + st.LastError, En: prof.Name + ": " + st.LastErrorEn})
	s.Store.SaveSyncStatus(ctx, st)
}

// apply records what the gateway says: deposits and expiries by rule, first states of
// payments in progress; any other difference is listed, not changed.
func (s *Syncer) apply(ctx context.Context, prof *backend.GatewayProfile, p *backend.Payment, v *backend.GatewayView, rep *Report, mu *gosync.Mutex) {
	// Fix: a change is counted only once it is recorded. record fails when an
	// operator's operation on the payment is in flight (EBUSY); the deposit was then
	// counted and announced (「対応状況を入金済みにしました」) although nothing changed.
	count := func(f *int, err error) {
		if err != nil {
			return // the next run sees the payment again
		}
		mu.Lock()
		*f++
		mu.Unlock()
	}
	// Fix: p was read when the run listed its candidates, possibly minutes ago. An
	// operator who captured or stopped the payment since had their change overwritten
	// with this old copy (lost update) or got a false drift that no later run cleared.
	// A payment changed meanwhile is left to the next run. Every write below is also
	// made only over this version of the payment (saveIfUnchanged, and the journal's
	// check of Operation.PaymentVersion): a change that lands after this read — an
	// operation completed on another desktop — stands too.
	cur, err := s.Store.PaymentByID(ctx, p.ID)
	if err != nil {
		return
	}
	if *cur != *p {
		s.changed(ctx, p, rep, mu)
		return
	}
	if v == nil || !v.Found {
		if p.State == backend.StatePending {
			return // the checkout never reached the gateway; the stale list shows it
		}
		s.drift(ctx, p, v, backend.Text{Ja: "ゲートウェイにこの取引がありません", En: "the gateway does not have this transaction"}, rep, mu)
		return
	}
	now := s.Clock.Now()
	switch {
	case v.Several && s.Engine != nil:
		// Several transactions under the payment's id (Paygent 13002 after a 補正 made
		// elsewhere): 要確認 with the candidates, until the operator chooses.
		_, err := s.Engine.AwaitChoice(ctx, p, v, nil)
		count(&rep.Updated, err)
	case agree(p, v) && amountsAgree(p, v):
		// Keep what the gateway tells besides the state (processing date, tax, a
		// payment_id it names), which later decisions rest on.
		u := p.WithView(v, now)
		u.State = p.State
		if p.State == backend.StatePartiallyRefunded {
			// The gateway's amount is the rest of the sale; ours keeps the sale and
			// the refunds apart.
			u.AmountAuthorized, u.AmountCaptured, u.AmountRefunded = p.AmountAuthorized, p.AmountCaptured, p.AmountRefunded
		}
		if s.saveIfUnchanged(ctx, u, rep, mu) {
			s.Store.DeleteDrift(ctx, p.ID)
		}
	case p.State == backend.StateAwaitingDeposit && v.State == backend.StateDeposited:
		u := p.WithView(v, now)
		if u.PaidAt.IsZero() {
			u.PaidAt = now
		}
		err := s.record(ctx, p, u, orderStatusIf(ctx, s.Store, p.OrderID, backend.OrderAwaitingDeposit, backend.OrderPaid), false,
			backend.Text{Ja: "入金を確認しました", En: "Deposit received"}, rep, mu)
		count(&rep.Deposits, err)
	case p.State == backend.StateAwaitingDeposit && v.State == backend.StateExpired:
		u := p.WithView(v, now)
		cancel := p.Method != backend.MethodNetBank
		if !cancel {
			auto, _ := s.Store.Setting(ctx, SettingNetBankAutoVoid)
			cancel = auto == "1"
		}
		status := backend.OrderStatus("")
		msg := backend.Text{Ja: "支払期限が過ぎました（銀行ネット決済は受注をキャンセルしません。確認してください）",
			En: "The payment deadline has passed (a net-banking order is not cancelled: check it)"}
		if cancel {
			status = orderStatusIf(ctx, s.Store, p.OrderID, backend.OrderAwaitingDeposit, backend.OrderCancelled)
			msg = backend.Text{Ja: "支払期限が過ぎたため、受注をキャンセルにしました", En: "The payment deadline has passed: the order is cancelled"}
		}
		err := s.record(ctx, p, u, status, cancel && status != "", msg, rep, mu)
		count(&rep.Expired, err)
	case (p.State == backend.StatePending || p.State == backend.StateNeedsReview) && backend.CanTransition(p.State, v.State):
		u := p.WithView(v, now)
		status := backend.OrderStatus("")
		switch v.State {
		case backend.StateAuthorized:
			status = orderStatusIf(ctx, s.Store, p.OrderID, backend.OrderProcessing, backend.OrderNew)
			// The expiry counts from the gateway's authorisation date; without one it
			// stays unknown (a zero date never becomes an expiry).
			if u.AuthExpiresAt.IsZero() && !u.AuthorizedAt.IsZero() {
				u.AuthExpiresAt = u.AuthorizedAt.AddDate(0, 0, max(prof.AuthExpiryDays, 1))
			}
		case backend.StateAwaitingDeposit:
			status = orderStatusIf(ctx, s.Store, p.OrderID, backend.OrderProcessing, backend.OrderAwaitingDeposit)
		}
		msg := backend.Text{Ja: "ゲートウェイの状態を反映しました: " + v.State.Label(), En: "Set to the gateway's state: " + v.State.LabelEn()}
		if note := amountFromOrder(ctx, s.Store, u); note.Ja != "" {
			msg.Ja += "（" + note.Ja + "）"
			msg.En += " (" + note.En + ")"
		}
		err := s.record(ctx, p, u, status, false, msg, rep, mu)
		count(&rep.Updated, err)
	case p.State == backend.StateAuthorized && v.State == backend.StateExpired:
		u := p.WithView(v, now)
		err := s.record(ctx, p, u, "", false, backend.Text{Ja: "与信の有効期限が切れました", En: "The authorisation has expired"}, rep, mu)
		count(&rep.Expired, err)
	default:
		s.drift(ctx, p, v, backend.Text{}, rep, mu)
	}
}

// agree tells whether the gateway's state is ours. 売上失敗 leaves the authorisation
// open at the gateway; after a partial refund SBPS still reads 売上済 (its inquiry
// knows no refunds) and Paygent holds one sale for the rest.
func agree(p *backend.Payment, v *backend.GatewayView) bool {
	return v.State == p.State || p.State == backend.StateCaptureFailed && v.State == backend.StateAuthorized ||
		p.State == backend.StatePartiallyRefunded && v.State == backend.StateCaptured
}

// amountsAgree compares what both sides say about the money, where the gateway says it.
func amountsAgree(p *backend.Payment, v *backend.GatewayView) bool {
	ours := currentAmount(p)
	return v.AmountAuthorized == 0 || ours == 0 || v.AmountAuthorized == ours
}

// currentAmount is the money the payment holds as the gateway's inquiry reports it:
// the authorisation, the sale once captured, the sale less the refunds.
func currentAmount(p *backend.Payment) backend.Yen {
	switch {
	case p.State == backend.StatePartiallyRefunded && p.AmountCaptured > 0:
		return p.AmountCaptured - p.AmountRefunded
	case p.State == backend.StateCaptured && p.AmountCaptured > 0:
		return p.AmountCaptured
	}
	return p.AmountAuthorized
}

// cancelledAtGateway: the gateway reports released or returned money we still hold.
func cancelledAtGateway(p *backend.Payment, v *backend.GatewayView) bool {
	switch p.State {
	case backend.StateAuthorized, backend.StateCaptured, backend.StateCaptureFailed, backend.StatePartiallyRefunded:
		return v != nil && v.Found && (v.State == backend.StateVoided || v.State == backend.StateRefunded)
	}
	return false
}

// amountFromOrder fills in an amount the gateway's inquiry does not carry (SBPS answers
// with a status only) from the order's total, and says so; "" when nothing was filled.
func amountFromOrder(ctx context.Context, st backend.Store, u *backend.Payment) backend.Text {
	if u.AmountAuthorized != 0 {
		return backend.Text{}
	}
	o, err := st.OrderByID(ctx, u.OrderID)
	if err != nil || o.Total <= 0 {
		return backend.Text{}
	}
	u.AmountAuthorized = o.Total
	if u.State == backend.StateCaptured && u.AmountCaptured == 0 {
		u.AmountCaptured = o.Total
	}
	return backend.Text{Ja: fmt.Sprintf("金額 %s は受注の合計から。%sの照会は金額を返しません", o.Total, u.Gateway.Label()),
		En: fmt.Sprintf("the amount %s is the order's total; %s's inquiry does not return amounts", o.Total.En(), u.Gateway.LabelEn())}
}

// orderStatusIf returns to when the order is still in from (the operator may have moved
// it on by hand; the sync does not overrule that), else "".
func orderStatusIf(ctx context.Context, st backend.Store, orderID int64, from, to backend.OrderStatus) backend.OrderStatus {
	o, err := st.OrderByID(ctx, orderID)
	if err != nil || o.Status != from {
		return ""
	}
	return to
}

// record journals an automatic change like an operator's, with 自動同期 as the actor.
// The journal begins it only over the payment as the run read it (PaymentVersion): a
// payment changed since — an operation completed on another desktop — keeps its
// change, and the next run compares it again.
func (s *Syncer) record(ctx context.Context, p, u *backend.Payment, status backend.OrderStatus, cancelStock bool, msg backend.Text,
	rep *Report, mu *gosync.Mutex) error {
	now := s.Clock.Now()
	op := &backend.Operation{PaymentID: p.ID, Intent: "sync", Kind: backend.OpSyncFix, IdempotencyKey: fmt.Sprintf("sync/%d/%d", p.ID, now.UnixNano()),
		Operator: backend.ActorSync, BeforeState: p.State, RequestedAt: now, Reason: "自動同期", PaymentVersion: p.Version}
	if err := s.Store.BeginOperation(ctx, op); err != nil {
		if errors.Is(err, backend.ErrPaymentChanged) {
			s.changed(ctx, p, rep, mu)
		}
		return err // changed, or an operator's operation is in flight: the next run sees the result
	}
	op.State, op.AfterState, op.Message, op.MessageEn, op.GatewayCode = backend.OpSucceeded, u.State, msg.Ja, msg.En, u.RawStatus
	s.Store.DeleteDrift(ctx, p.ID)
	return s.Store.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: u, OrderStatus: status, CancelStock: cancelStock})
}

// drift lists a difference for the operator; nothing of the payment changes but the
// time it was last compared (and an id the gateway names). A payment cancelled or
// refunded at the gateway before its order was shipped also stops the shipping.
func (s *Syncer) drift(ctx context.Context, p *backend.Payment, v *backend.GatewayView, detail backend.Text, rep *Report, mu *gosync.Mutex) {
	now := s.Clock.Now()
	d := &backend.Drift{PaymentID: p.ID, FoundAt: now, OurState: p.State, OurAmount: currentAmount(p), Detail: detail.Ja, DetailEn: detail.En}
	if v != nil {
		d.GatewayState, d.GatewayAmount, d.RawStatus = v.State, v.AmountAuthorized, v.RawStatus
	}
	if d.Detail == "" {
		d.Detail = fmt.Sprintf("当方は「%s」、ゲートウェイは「%s」", p.State.Label(), d.GatewayState.Label())
		d.DetailEn = fmt.Sprintf("ours: %s, the gateway's: %s", p.State.LabelEn(), d.GatewayState.LabelEn())
		if d.GatewayAmount != 0 && d.GatewayAmount != d.OurAmount {
			d.Detail += fmt.Sprintf("（金額: 当方 %s / ゲートウェイ %s）", d.OurAmount, d.GatewayAmount)
			d.DetailEn += fmt.Sprintf(" (amount: ours %s, the gateway's %s)", d.OurAmount.En(), d.GatewayAmount.En())
		}
	}
	// Compared now: the rotation moves on to the others. Only over the payment as read:
	// one changed since (another desktop fixed it, or an operation completed) keeps
	// its change, and the difference, if any, is found again by the next run.
	u := *p
	u.LastSyncedAt = now
	if v != nil && v.Found && v.NewTranID != "" {
		u.GatewayTranID = v.NewTranID // Paygent's successor after a 補正: the id to ask next
	}
	if !s.saveIfUnchanged(ctx, &u, rep, mu) {
		return
	}
	if err := s.Store.SaveDrift(ctx, d); err != nil {
		return
	}
	mu.Lock()
	rep.Drifts++
	mu.Unlock()
	if !cancelledAtGateway(p, v) {
		return
	}
	h := &backend.ShippingHold{PaymentID: p.ID, FoundAt: now, GatewayState: v.State,
		Detail:   fmt.Sprintf("%sで「%s」になりました（管理画面などでの操作）。当方は「%s」のままです", p.Gateway.Label(), v.State.Label(), p.State.Label()),
		DetailEn: fmt.Sprintf("%s shows %s (changed in its console or elsewhere); ours is still %s", p.Gateway.LabelEn(), v.State.LabelEn(), p.State.LabelEn())}
	held, err := s.Store.HoldShipping(ctx, h)
	if err != nil || !held {
		return
	}
	no := fmt.Sprint(p.OrderID)
	if o, err := s.Store.OrderByID(ctx, p.OrderID); err == nil {
		no = o.OrderNo
	}
	mu.Lock()
	rep.Holds = append(rep.Holds, no)
	mu.Unlock()
}

// saveIfUnchanged saves u, the run's update of a payment it read, only if the payment
// is still at u.Version; false when it was changed since (left to the next run, and
// counted) or could not be saved.
func (s *Syncer) saveIfUnchanged(ctx context.Context, u *backend.Payment, rep *Report, mu *gosync.Mutex) bool {
	saved, err := payment.SaveIfUnchanged(ctx, s.Store, u)
	if err != nil {
		s.log().WarnContext(ctx, "sync: payment not saved", slog.Int64("payment_id", u.ID), slog.String("error", err.Error()))
		return false
	}
	if !saved {
		s.changed(ctx, u, rep, mu)
	}
	return saved
}

// changed counts a payment changed by an operator or another desktop while the run
// compared it; the next run compares it again.
func (s *Syncer) changed(ctx context.Context, p *backend.Payment, rep *Report, mu *gosync.Mutex) {
	mu.Lock()
	rep.Changed++
	mu.Unlock()
	s.log().InfoContext(ctx, "sync: payment changed during the run, left to the next run", slog.Int64("payment_id", p.ID),
		slog.Int64("version_read", p.Version))
}

func (s *Syncer) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// plural is English's singular or plural form for n.
func plural(n int, one, other string) string {
	if n == 1 {
		return one
	}
	return other
}
