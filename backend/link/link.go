// Package link ties a real shop's orders to their transactions at the gateways: a
// background run that asks each gateway for the transaction of every order without a
// payment (by the id the profile's rule forms from the order number, or by ids an
// import carried), the import of a gateway console's transaction CSV for the platforms
// whose order CSV cannot carry the id, and linking one order by hand from ids the
// operator pastes. Linking only reads at the gateway; a found transaction becomes the
// order's payment with the state, amounts, tax and dates the gateway reported — never
// defaults. Where things stand per order lives in the store (order_links), so a run
// that stops half-way, or a crash, loses nothing: the next run picks up what is left,
// and the store refuses a second payment for an order.
package link

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/throttle"
)

// EventProgress is emitted while a run or a console import goes on, and once at the
// end with Running false. Its payload is a Progress.
const EventProgress = "link:progress"

// Actors of the order events when the caller names none.
const (
	ActorRun     = "連携ジョブ"
	ActorConsole = "取引CSV取込"
)

// Store is what linking needs from the database (*sqlite.DB).
type Store interface {
	backend.LinkStore
	// QueueLinkHint queues an order with ids a file carried, for the next run to check.
	QueueLinkHint(ctx context.Context, orderID int64, hint backend.TransactionIDs, hintProfile int64) error
	// CountPendingLinks counts the orders a run would pick up (pending or failed).
	CountPendingLinks(ctx context.Context) (int, error)
	Profiles(ctx context.Context) ([]*backend.GatewayProfile, error)
	ProfileByID(ctx context.Context, id int64) (*backend.GatewayProfile, error)
	OrderByID(ctx context.Context, id int64) (*backend.Order, error)
	OrderByNo(ctx context.Context, orderNo string) (*backend.Order, error)
	PaymentsByOrder(ctx context.Context, orderID int64) ([]*backend.Payment, error)
}

// Service links orders to gateway transactions. One run or console import at a time;
// Check, Attach and Choose (one order each) may be called meanwhile.
type Service struct {
	Store    Store
	Gateways backend.GatewayFactory
	Clock    backend.Clock
	Notifier backend.Notifier
	Limits   *throttle.Registry // per-profile request rate, shared with bulk runs and the sync; nil = none
	// Concurrency is the number of orders looked up at once (default 4): the gateways
	// limit requests processed at once, and linking is never urgent.
	Concurrency int
	// BatchSize is how many waiting orders a run reads at a time (default 100).
	BatchSize int

	wg       sync.WaitGroup // background runs (Start), for Close
	mu       sync.Mutex
	running  bool
	cancel   context.CancelFunc
	progress Progress
	lastEmit time.Time
}

// RunOptions choose what a run links.
type RunOptions struct {
	// ProfileID links with this profile (kessaidesk link -profile N); 0 = the profile
	// whose methods include the order's method, when there is exactly one. Ids an
	// import gave with their profile use that profile.
	ProfileID int64
	// OrderIDs are the orders to link; empty = every order that needs a payment.
	OrderIDs []int64
	// Actor is named in the order events of linked payments (default ActorRun).
	Actor string
	// Resume continues only what an interrupted run left pending (the window's start
	// after a crash): nothing is queued anew, so orders the gateway did not have are
	// not asked again until the operator runs the link.
	Resume bool
}

// Progress is the "link:progress" event and what Progress() returns.
type Progress struct {
	Running     bool   `json:"running"`
	Done        int    `json:"done"`
	Total       int    `json:"total"`
	Linked      int    `json:"linked"`
	Already     int    `json:"already"` // the order had a payment by then
	NotFound    int    `json:"notFound"`
	Ambiguous   int    `json:"ambiguous"`
	Failed      int    `json:"failed"`
	NoProfile   int    `json:"noProfile"`
	ConsoleOnly int    `json:"consoleOnly"`
	Message     string `json:"message"` // the outcome in words (Japanese)
	// Error: the run stopped before its end for this reason (Japanese); "" otherwise.
	Error   string `json:"error"`
	ErrorEn string `json:"errorEn"` // Error in English
}

// Report is the outcome of a run.
type Report struct {
	Progress
	StartedAt  time.Time
	FinishedAt time.Time
	Requests   int  // lookups sent to the gateways
	Cancelled  bool // stopped before the end; what is left waits for the next run
}

// ErrRunning is returned when a run or a console import is asked for while one goes on.
var ErrRunning = backend.Errorf(backend.EBUSY, "連携を実行中です。終わってから実行してください", "linking is already running")

func (s *Service) now() time.Time {
	if s.Clock == nil {
		return time.Now()
	}
	return s.Clock.Now()
}

func (s *Service) notifier() backend.Notifier {
	if s.Notifier == nil {
		return backend.NopNotifier{}
	}
	return s.Notifier
}

// begin marks the service running and returns the run's context, which Cancel ends.
func (s *Service) begin(ctx context.Context, total int) (context.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return nil, ErrRunning
	}
	ctx, cancel := context.WithCancel(ctx)
	s.running, s.cancel = true, cancel
	s.progress = Progress{Running: true, Total: total}
	return ctx, nil
}

func (s *Service) end(msg string) {
	s.mu.Lock()
	s.running = false
	s.cancel()
	s.progress.Running, s.progress.Message = false, msg
	p := s.progress
	s.mu.Unlock()
	s.notifier().Emit(EventProgress, p)
}

// Wait returns once a background run has stopped (cancel it first to stop it soon).
func (s *Service) Wait() { s.wg.Wait() }

// Cancel stops the run or console import under way. Orders being asked about are
// finished; the rest wait for the next run.
func (s *Service) Cancel() {
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
}

// Progress is where the current (or last) run stands.
func (s *Service) Progress() Progress {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.progress
}

// update changes the progress and emits it, at most every 100 ms (and always at the end).
func (s *Service) update(fn func(p *Progress)) {
	s.mu.Lock()
	fn(&s.progress)
	p := s.progress
	emit := time.Since(s.lastEmit) >= 100*time.Millisecond || p.Done == p.Total
	if emit {
		s.lastEmit = time.Now()
	}
	s.mu.Unlock()
	if emit {
		s.notifier().Emit(EventProgress, p)
	}
}

func (p *Progress) count(st backend.LinkStatus) {
	p.Done++
	switch st {
	case backend.LinkLinked:
		p.Linked++
	case statusAlready:
		p.Already++
	case backend.LinkNotFound:
		p.NotFound++
	case backend.LinkAmbiguous:
		p.Ambiguous++
	case backend.LinkFailed:
		p.Failed++
	case backend.LinkNoProfile:
		p.NoProfile++
	case backend.LinkConsoleOnly:
		p.ConsoleOnly++
	}
}

// statusAlready counts an order that had a payment by the time it was looked at.
const statusAlready backend.LinkStatus = "already"

// summary says the counts in the operator's words.
func (p Progress) summary(cancelled bool) string {
	var parts []string
	for _, c := range []struct {
		n     int
		label string
	}{{p.Linked, "連携"}, {p.Already, "連携済み"}, {p.NotFound, "取引なし"}, {p.Ambiguous, "候補が複数"},
		{p.NoProfile, "設定なし"}, {p.ConsoleOnly, "取引CSVが必要"}, {p.Failed, "照会できず"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d件", c.label, c.n))
		}
	}
	s := "連携しました"
	if cancelled {
		s = "中断しました（残りは次の連携で続けます）"
	}
	if len(parts) == 0 {
		return s + "（対象の受注はありません）"
	}
	return s + ": " + strings.Join(parts, "・")
}

// Start runs Run in the background (the window); ErrRunning while one goes on. The
// progress comes as "link:progress" events and from Progress.
func (s *Service) Start(ctx context.Context, opt RunOptions) error {
	ctx, err := s.begin(ctx, 0)
	if err != nil {
		return err
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		rep, err := s.run(ctx, opt)
		msg := ""
		switch {
		case err != nil:
			msg = "連携を続けられませんでした: " + backend.ErrorMessage(err, "ja")
			en := "The link run could not go on: " + backend.ErrorMessage(err, "en")
			s.update(func(p *Progress) { p.Error, p.ErrorEn = msg, en })
		case rep != nil:
			msg = rep.summary(rep.Cancelled)
		}
		s.end(msg)
	}()
	return nil
}

// Run links the orders that need a payment, or opt.OrderIDs, and returns when done or
// when ctx ends (the report then says Cancelled). It queues the orders, then works
// through the waiting ones in batches, a few at a time, throttled per profile.
func (s *Service) Run(ctx context.Context, opt RunOptions) (*Report, error) {
	ctx, err := s.begin(ctx, 0)
	if err != nil {
		return nil, err
	}
	rep, err := s.run(ctx, opt)
	msg := ""
	if rep != nil {
		msg = rep.summary(rep.Cancelled)
	}
	s.end(msg)
	return rep, err
}

func (s *Service) run(ctx context.Context, opt RunOptions) (*Report, error) {
	rep := &Report{StartedAt: s.now()}
	if opt.Actor == "" {
		opt.Actor = ActorRun
	}
	if opt.ProfileID != 0 {
		p, err := s.Store.ProfileByID(ctx, opt.ProfileID)
		if err != nil {
			return nil, err
		}
		if p.Demo {
			return nil, backend.Errorf(backend.EINVALID, "デモの設定「%s」は実際の受注の連携に使えません", "the demo profile %q cannot link real orders", p.Name)
		}
	}
	var total int
	var err error
	if opt.Resume {
		total, err = s.Store.CountPendingLinks(ctx)
	} else {
		total, err = s.Store.QueueLinks(ctx, opt.OrderIDs)
	}
	if err != nil {
		return nil, err
	}
	profiles, err := s.Store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	r := &runState{s: s, opt: opt, profiles: profiles, broken: map[int64]error{}}
	s.update(func(p *Progress) { p.Total = total })

	if len(opt.OrderIDs) > 0 {
		var links []backend.OrderLink
		for _, id := range opt.OrderIDs {
			l, err := s.Store.LinkState(ctx, id)
			if err == nil && (l.Status == backend.LinkPending || l.Status == backend.LinkFailed) {
				links = append(links, *l)
			}
		}
		r.process(ctx, links)
	} else {
		// Rows tried in this run and still waiting (failed) come back from
		// PendingLinks; asking for that many more keeps a batch of new ones in each read.
		seen := map[int64]bool{}
		left := 0
		for ctx.Err() == nil {
			batch, err := s.Store.PendingLinks(ctx, s.batchSize()+left)
			if ctx.Err() != nil {
				break // cancelled: the rest waits for the next run
			}
			if err != nil {
				return s.finish(ctx, rep, r), err
			}
			var todo []backend.OrderLink
			for _, l := range batch {
				if !seen[l.OrderID] {
					seen[l.OrderID] = true
					todo = append(todo, l)
				}
			}
			if len(todo) == 0 {
				break
			}
			left += r.process(ctx, todo)
		}
	}
	return s.finish(ctx, rep, r), nil
}

func (s *Service) finish(ctx context.Context, rep *Report, r *runState) *Report {
	rep.Progress = s.Progress()
	rep.Running = false
	rep.Requests = int(r.requests.Load())
	rep.Cancelled = ctx.Err() != nil
	rep.Message = rep.summary(rep.Cancelled)
	rep.FinishedAt = s.now()
	return rep
}

func (s *Service) batchSize() int {
	if s.BatchSize > 0 {
		return s.BatchSize
	}
	return 100
}

// each calls fn for 0…n-1 with a few calls at once, until ctx ends.
func (s *Service) each(ctx context.Context, n int, fn func(i int)) {
	conc := s.Concurrency
	if conc <= 0 {
		conc = 4
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(conc, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// runState is one run's shared state.
type runState struct {
	s        *Service
	opt      RunOptions
	profiles []*backend.GatewayProfile
	requests atomic.Int64

	mu sync.Mutex
	// broken: profiles that cannot be asked in this run (offline, credentials): their
	// other orders are marked failed with the same reason without sending anything.
	broken map[int64]error
}

// process links one batch and returns how many of its orders still wait (failed, or
// left pending by a cancel).
func (r *runState) process(ctx context.Context, links []backend.OrderLink) int {
	var mu sync.Mutex
	left := 0
	r.s.each(ctx, len(links), func(i int) {
		st := r.linkOne(ctx, &links[i])
		if st == backend.LinkFailed || st == "" {
			mu.Lock()
			left++
			mu.Unlock()
		}
		if st != "" {
			r.s.update(func(p *Progress) { p.count(st) })
		}
	})
	return left
}

// linkOne looks one order up and records the outcome; "" = left waiting (cancelled).
func (r *runState) linkOne(ctx context.Context, l *backend.OrderLink) backend.LinkStatus {
	o, err := r.s.Store.OrderByID(ctx, l.OrderID)
	if err != nil {
		return r.s.save(ctx, l.OrderID, outcome{status: backend.LinkFailed, err: err})
	}
	if st, done := r.s.alreadyPaid(ctx, o); done {
		return st
	}
	prof, out := r.s.chooseProfile(o, l.HintProfileID, r.opt.ProfileID, r.profiles)
	if prof != nil {
		out = r.lookup(ctx, o, prof, l.Hint)
	}
	if out.status == "" {
		return "" // cancelled: the order waits for the next run
	}
	if out.status == backend.LinkLinked {
		return r.s.attach(ctx, o, prof, out.tx, r.opt.Actor)
	}
	return r.s.save(ctx, o.ID, out)
}

// outcome is the result of looking one order up.
type outcome struct {
	status     backend.LinkStatus // "" = cancelled, nothing to record
	profileID  int64
	reason     string
	reasonEn   string
	candidates []backend.Transaction
	tx         *backend.Transaction // LinkLinked: the transaction to attach
	err        error                // the reason as an error (its messages are used)
}

func (s *Service) save(ctx context.Context, orderID int64, out outcome) backend.LinkStatus {
	if out.err != nil && out.reason == "" {
		out.reason, out.reasonEn = backend.ErrorMessage(out.err, "ja"), backend.ErrorMessage(out.err, "en")
	}
	err := s.Store.SaveLinkState(context.WithoutCancel(ctx), &backend.OrderLink{OrderID: orderID, Status: out.status,
		ProfileID: out.profileID, Reason: out.reason, ReasonEn: out.reasonEn, Candidates: out.candidates})
	if err != nil {
		return backend.LinkFailed
	}
	return out.status
}

// alreadyPaid records an order that has a payment by now (linked by hand meanwhile).
func (s *Service) alreadyPaid(ctx context.Context, o *backend.Order) (backend.LinkStatus, bool) {
	ps, err := s.Store.PaymentsByOrder(ctx, o.ID)
	if err != nil || len(ps) == 0 {
		return "", false
	}
	s.Store.SaveLinkState(context.WithoutCancel(ctx), &backend.OrderLink{OrderID: o.ID, Status: backend.LinkLinked, ProfileID: ps[0].ProfileID})
	return statusAlready, true
}

// usable profiles link real orders: every profile but the demo's.
func usable(p *backend.GatewayProfile) bool { return p != nil && !p.Demo }

func serves(p *backend.GatewayProfile, m backend.PaymentMethod) bool {
	for _, x := range p.Methods {
		if x == m {
			return true
		}
	}
	return false
}

// chooseProfile picks the profile to ask for an order: the one an import named with
// its ids, else the one asked for, else the only profile whose methods include the
// order's method. Nil with a LinkNoProfile outcome when there is none to choose.
func (s *Service) chooseProfile(o *backend.Order, hinted, asked int64, profiles []*backend.GatewayProfile) (*backend.GatewayProfile, outcome) {
	byID := func(id int64) *backend.GatewayProfile {
		for _, p := range profiles {
			if p.ID == id && usable(p) {
				return p
			}
		}
		return nil
	}
	noProfile := func(ja, en string, args ...any) outcome {
		return outcome{status: backend.LinkNoProfile, reason: fmt.Sprintf(ja, args...), reasonEn: fmt.Sprintf(en, args...)}
	}
	if hinted != 0 {
		if p := byID(hinted); p != nil {
			return p, outcome{}
		}
		return nil, noProfile("取込時に指定されたゲートウェイ設定（ID %d）がありません", "the gateway profile %d named by the import no longer exists", hinted)
	}
	if asked != 0 {
		p := byID(asked)
		if p == nil {
			return nil, noProfile("指定されたゲートウェイ設定（ID %d）がありません", "the gateway profile %d does not exist", asked)
		}
		if !serves(p, o.PaymentMethod) {
			return nil, noProfile("ゲートウェイ設定「%[1]s」は%[2]sを扱いません", "the gateway profile %[1]q does not handle %[3]s", p.Name,
				o.PaymentMethod.Label(), o.PaymentMethod.LabelEn())
		}
		return p, outcome{}
	}
	var found []*backend.GatewayProfile
	for _, p := range profiles {
		if usable(p) && serves(p, o.PaymentMethod) {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return nil, noProfile("この支払方法のゲートウェイ設定がありません（%[1]s）", "no gateway profile handles this payment method (%[2]s)",
			o.PaymentMethod.Label(), o.PaymentMethod.LabelEn())
	case 1:
		return found[0], outcome{}
	}
	names := make([]string, len(found))
	for i, p := range found {
		names[i] = "「" + p.Name + "」"
	}
	return nil, noProfile("この支払方法（%s）のゲートウェイ設定が複数あります（%s）。使う設定を指定して連携してください",
		"several gateway profiles handle %s (%s): choose the one to use", o.PaymentMethod.Label(), strings.Join(names, "、"))
}

// finder returns the profile's client as a TransactionFinder.
func (s *Service) finder(ctx context.Context, prof *backend.GatewayProfile) (backend.TransactionFinder, error) {
	gw, err := s.Gateways.Gateway(ctx, prof)
	if err != nil {
		return nil, err
	}
	f, ok := gw.(backend.TransactionFinder)
	if !ok {
		return nil, backend.Errorf(backend.EUNSUPPORTED, "%[1]sの取引は照会して連携できません", "%[2]s transactions cannot be looked up for linking", prof.Kind.Label(), prof.Kind.LabelEn())
	}
	return f, nil
}

// wait spaces requests to a profile like the bulk runs and the sync do.
func (s *Service) wait(ctx context.Context, profileID int64) error {
	if s.Limits == nil {
		return ctx.Err()
	}
	return s.Limits.For(profileID).Wait(ctx)
}

func (r *runState) brokenErr(id int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.broken[id]
}

func (r *runState) breakProfile(id int64, err error) {
	r.mu.Lock()
	if r.broken[id] == nil {
		r.broken[id] = err
	}
	r.mu.Unlock()
}

// lookup asks the profile's gateway for an order's transaction: by the ids an import
// gave, else by the ids the profile's rule forms from the order number.
func (r *runState) lookup(ctx context.Context, o *backend.Order, prof *backend.GatewayProfile, hint backend.TransactionIDs) outcome {
	if err := r.brokenErr(prof.ID); err != nil {
		return outcome{status: backend.LinkFailed, profileID: prof.ID, err: err}
	}
	finder, err := r.s.finder(ctx, prof)
	if err != nil {
		out := r.s.failure(ctx, prof, err)
		if out.status == backend.LinkFailed {
			r.breakProfile(prof.ID, err)
		}
		return out
	}
	if hint.GatewayTranID != "" {
		if hint.GatewayOrderID == "" && (prof.Kind == backend.GatewayGMO || prof.Kind == backend.GatewaySGP) {
			// GMO looks up by OrderID only: the AccessID given is checked against the
			// transaction of the id the profile's rule forms.
			hint.GatewayOrderID = prof.LinkRule.GatewayID(o.OrderNo)
		}
		tx, err := r.s.ask(ctx, prof, func() (*backend.Transaction, error) {
			r.requests.Add(1)
			return finder.LookupTransaction(ctx, o.PaymentMethod, hint)
		})
		if err != nil {
			return r.failed(ctx, prof, err)
		}
		return r.s.found(o, prof, tx)
	}
	ids := []string{hint.GatewayOrderID}
	if hint.GatewayOrderID == "" {
		rule := prof.LinkRule
		if ids = rule.GatewayIDs(o.OrderNo); len(ids) == 0 {
			return outcome{status: backend.LinkConsoleOnly, profileID: prof.ID,
				reason:   "注文番号からゲートウェイのIDを作れません（" + rule.Describe(o.OrderNo) + "）。管理画面の取引CSVを取り込むか、IDを入力して連携してください",
				reasonEn: "the gateway id cannot be formed from the order number: import the console's transaction CSV or enter the ids"}
		}
	}
	// MakeShop's re-payment: the first id that holds a payment wins. The original of a
	// re-payment stays at the gateway as a failed attempt (UNPROCESSED, shop-csv-
	// linking.md §2.1 [M2]), so a found transaction that never completed is kept only
	// when no later id holds one.
	var attempt *backend.Transaction
	for i, id := range ids {
		var txs []backend.Transaction
		_, err := r.s.ask(ctx, prof, func() (*backend.Transaction, error) {
			r.requests.Add(1)
			var err error
			txs, err = finder.FindTransactions(ctx, o.PaymentMethod, id)
			return nil, err
		})
		switch {
		case errors.Is(err, backend.ErrSeveral):
			return outcome{status: backend.LinkAmbiguous, profileID: prof.ID, err: err}
		case err != nil:
			return r.failed(ctx, prof, err)
		case len(txs) > 1:
			return r.s.ambiguous(prof, txs, "ゲートウェイにID "+id+" の取引が複数あります。正しいものを選んでください",
				"the gateway holds several transactions with id "+id+": choose the right one")
		case len(txs) == 1 && txs[0].View.State == backend.StatePending && i < len(ids)-1:
			attempt = &txs[0]
		case len(txs) == 1:
			return r.s.found(o, prof, &txs[0])
		}
	}
	if attempt != nil {
		return r.s.found(o, prof, attempt)
	}
	reason := fmt.Sprintf("%sにID %s の取引がありません", prof.Kind.Label(), ids[0])
	reasonEn := fmt.Sprintf("%s has no transaction with id %s", prof.Kind.LabelEn(), ids[0])
	if len(ids) > 1 {
		reason += fmt.Sprintf("（%s〜%s も照会しました）", ids[1], ids[len(ids)-1])
		reasonEn += fmt.Sprintf(" (%s … %s asked too)", ids[1], ids[len(ids)-1])
	}
	return outcome{status: backend.LinkNotFound, profileID: prof.ID, reason: reason, reasonEn: reasonEn}
}

// ask sends one lookup, throttled. An answer lost after sending (ClassUnknown, not a
// timeout) is asked once more: a lookup changes nothing.
func (s *Service) ask(ctx context.Context, prof *backend.GatewayProfile, call func() (*backend.Transaction, error)) (*backend.Transaction, error) {
	for attempt := 0; ; attempt++ {
		if err := s.wait(ctx, prof.ID); err != nil {
			return nil, err
		}
		tx, err := call()
		if s.Limits != nil {
			switch backend.ErrorClassOf(err) {
			case backend.ClassRetryable:
				s.Limits.For(prof.ID).Busy()
			case backend.ClassNone:
				s.Limits.For(prof.ID).OK()
			}
		}
		if tx != nil {
			tx.ProfileID = prof.ID
		}
		if attempt == 0 && backend.ErrorClassOf(err) == backend.ClassUnknown && ctx.Err() == nil && !timedOut(err) {
			continue
		}
		return tx, err
	}
}

func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// failed turns a lookup error into an outcome, and stops asking a profile that is
// offline or whose credentials fail for the rest of the run.
func (r *runState) failed(ctx context.Context, prof *backend.GatewayProfile, err error) outcome {
	out := r.s.failure(ctx, prof, err)
	code, class := backend.ErrorCode(err), backend.ErrorClassOf(err)
	if out.status == backend.LinkFailed && (code == backend.EOFFLINE || code == backend.ECREDENTIAL ||
		class == backend.ClassAuthFailed || class == backend.ClassNotSent) {
		r.breakProfile(prof.ID, err)
	}
	return out
}

// failure says what a gateway error means for an order's link: failed (asked again by
// the next run) when the gateway could not be asked or its answer was lost; not found
// when the gateway refused the ids; console only when the protocol cannot look up so.
func (s *Service) failure(ctx context.Context, prof *backend.GatewayProfile, err error) outcome {
	out := outcome{profileID: prof.ID, err: err}
	var be *backend.Error
	errors.As(err, &be)
	switch code := backend.ErrorCode(err); {
	case ctx.Err() != nil:
		out.status = "" // cancelled
	case code == backend.ENOTFOUND || code == backend.EINVALID:
		out.status = backend.LinkNotFound
	case code == backend.EUNSUPPORTED:
		out.status = backend.LinkConsoleOnly
	case code == backend.EGATEWAY && be.Class == backend.ClassPermanent && !strings.HasPrefix(be.GatewayCode, "HTTP "):
		out.status = backend.LinkNotFound // the gateway refused the id itself (e.g. characters it does not take)
	default:
		out.status = backend.LinkFailed // offline, credentials, busy, an answer lost or unreadable
	}
	return out
}

// ambiguous keeps several candidates for the operator to choose from.
func (s *Service) ambiguous(prof *backend.GatewayProfile, txs []backend.Transaction, ja, en string) outcome {
	for i := range txs {
		txs[i].ProfileID = prof.ID
	}
	return outcome{status: backend.LinkAmbiguous, profileID: prof.ID, candidates: txs, reason: ja, reasonEn: en}
}

// found decides whether a found transaction can become the order's payment as it is.
func (s *Service) found(o *backend.Order, prof *backend.GatewayProfile, tx *backend.Transaction) outcome {
	tx.ProfileID = prof.ID
	if noAmount(tx) {
		return outcome{status: backend.LinkConsoleOnly, profileID: prof.ID,
			reason:   fmt.Sprintf("トラッキングID %s の決済はSBPSにありますが、SBPSの照会には金額がないため連携できません。SBPS管理画面の取引CSVを取り込むか、受注詳細で金額を入力して連携してください", tx.GatewayTranID),
			reasonEn: fmt.Sprintf("SBPS holds tracking id %s but its inquiry has no amount: import the console CSV or link it by hand with the amount", tx.GatewayTranID)}
	}
	if tx.Method != "" && tx.Method != o.PaymentMethod {
		return s.ambiguous(prof, []backend.Transaction{*tx},
			fmt.Sprintf("ゲートウェイの取引は%sです（受注の支払方法は%s）。確かめてから選んでください", tx.Method.Label(), o.PaymentMethod.Label()),
			fmt.Sprintf("the gateway's transaction is %s, the order says %s: check before choosing it", tx.Method, o.PaymentMethod))
	}
	return outcome{status: backend.LinkLinked, profileID: prof.ID, tx: tx}
}

// noAmount: SBPS's inquiry has no amount, and none came from a console CSV.
func noAmount(tx *backend.Transaction) bool {
	return tx.Gateway == backend.GatewaySBPS && !tx.AmountFromConsole
}

// attach saves the transaction as the order's payment and records the outcome.
func (s *Service) attach(ctx context.Context, o *backend.Order, prof *backend.GatewayProfile, tx *backend.Transaction, actor string) backend.LinkStatus {
	p := newPayment(o, prof, tx, s.now())
	err := s.Store.AttachPayment(context.WithoutCancel(ctx), p, actor)
	switch {
	case err == nil:
		return backend.LinkLinked
	case backend.ErrorCode(err) == backend.ECONFLICT:
		if st, done := s.alreadyPaid(ctx, o); done {
			return st
		}
		// The transaction is another order's payment: the message names that order.
		return s.save(ctx, o.ID, outcome{status: backend.LinkNotFound, profileID: prof.ID, err: err})
	}
	return s.save(ctx, o.ID, outcome{status: backend.LinkFailed, profileID: prof.ID, err: err})
}

// newPayment is the payment of a found transaction, from the gateway's answer only:
//   - state, status word, amounts, tax, processing date, authorisation date, deadline
//     and deposit date as the gateway reported them (SBPS: the amount from the console
//     CSV or the operator, since its inquiry has none);
//   - CapturedAt: the processing date while the payment is captured (the gateway's
//     latest processing of a captured transaction is its capture);
//   - AuthExpiresAt: the authorisation date plus the profile's authorisation days, only
//     when the gateway gave that date; otherwise zero (unknown), which the order event
//     says. Never a date made up.
func newPayment(o *backend.Order, prof *backend.GatewayProfile, tx *backend.Transaction, now time.Time) *backend.Payment {
	v := tx.View
	method := tx.Method
	if !method.Valid() {
		method = o.PaymentMethod
	}
	p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: prof.Kind, Method: method,
		GatewayOrderID: tx.GatewayOrderID, GatewayTranID: tx.GatewayTranID, GatewayTranPass: tx.GatewayTranPass,
		State: v.State, RawStatus: v.RawStatus, AmountAuthorized: v.AmountAuthorized, AmountCaptured: v.AmountCaptured,
		AmountRefunded: v.AmountRefunded, Tax: v.Tax, ProcessedAt: v.ProcessedAt, AuthorizedAt: v.AuthorizedAt,
		PaymentDeadline: v.PaymentDeadline, PaidAt: v.PaidAt, LastSyncedAt: now}
	if p.GatewayOrderID == "" {
		p.GatewayOrderID = prof.LinkRule.GatewayID(o.OrderNo) // SBPS: the order_id the profile's rule names
	}
	if v.State == backend.StateCaptured || v.State == backend.StatePartiallyRefunded {
		p.CapturedAt = v.ProcessedAt
	}
	if (v.State == backend.StateAuthorized || v.State == backend.StateCaptureFailed) && !v.AuthorizedAt.IsZero() {
		days := prof.AuthExpiryDays
		if days <= 0 {
			days = backend.DefaultAuthExpiryDays(prof.Kind)
		}
		p.AuthExpiresAt = v.AuthorizedAt.AddDate(0, 0, days)
	}
	return p
}

// withAmount puts an amount that came from outside the gateway's answer (SBPS: the
// console CSV or the operator) on a transaction, as the gateway's inquiry would have.
func withAmount(tx *backend.Transaction, amount backend.Yen) {
	tx.AmountFromConsole = true
	tx.View.AmountAuthorized = amount
	if tx.View.State == backend.StateCaptured || tx.View.State == backend.StatePartiallyRefunded {
		tx.View.AmountCaptured = amount
	}
}
