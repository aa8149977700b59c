package payment

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/throttle"
)

// BulkProgress is the event sent to the UI while a bulk run works ("bulk:progress").
type BulkProgress struct {
	JobID  int64          `json:"jobId"`
	Intent string         `json:"intent"`
	State  string         `json:"state"` // running, finished, cancelled
	Total  int            `json:"total"`
	Done   int            `json:"done"`
	Counts map[string]int `json:"counts"` // items per state
	Last   *BulkLast      `json:"last,omitempty"`
}

// BulkLast is the item that just finished.
type BulkLast struct {
	PaymentID int64  `json:"paymentId"`
	State     string `json:"state"`
	Message   string `json:"message"`
	MessageEn string `json:"messageEn"` // "" when the outcome has no English
}

// EventBulkProgress is the name of the progress event.
const EventBulkProgress = "bulk:progress"

// Bulk runs an intent on many payments.
type Bulk struct {
	Engine      *Engine
	Limits      *throttle.Registry // per-gateway rate limit
	Concurrency int                // requests in flight at once (default 16)

	mu      sync.Mutex
	cancels map[int64]context.CancelFunc
}

// Selected is a payment as the operator's selection showed it. A run of a selection
// does not send an item whose payment has changed since its Version (another desktop
// sold or refunded it meanwhile): see one. Version 0: as the item reads it.
type Selected struct {
	PaymentID int64
	Version   int64
}

func selectIDs(ids []int64) []Selected {
	out := make([]Selected, len(ids))
	for i, id := range ids {
		out[i] = Selected{PaymentID: id}
	}
	return out
}

// Start creates a bulk run and works through it in the background; it returns at once.
func (b *Bulk) Start(ctx context.Context, intent Intent, prm Params, paymentIDs []int64, operator string) (int64, error) {
	return b.StartSelected(ctx, intent, prm, selectIDs(paymentIDs), operator)
}

// StartSelected is Start for payments with the versions the operator's selection showed.
func (b *Bulk) StartSelected(ctx context.Context, intent Intent, prm Params, sel []Selected, operator string) (int64, error) {
	job, err := b.create(ctx, intent, sel, operator)
	if err != nil {
		return 0, err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	b.mu.Lock()
	if b.cancels == nil {
		b.cancels = map[int64]context.CancelFunc{}
	}
	b.cancels[job.ID] = cancel
	b.mu.Unlock()
	go func() {
		defer cancel()
		if err := b.work(runCtx, job, intent, prm, sel, operator); err != nil {
			backend.Announce(b.notifier(), backend.Text{Ja: "一括処理を中止しました", En: "The bulk run stopped"}, backend.ErrorText(err))
		}
	}()
	return job.ID, nil
}

// Run creates a bulk run and works through it before returning (command line, tests).
func (b *Bulk) Run(ctx context.Context, intent Intent, prm Params, paymentIDs []int64, operator string) (*backend.BulkJob, []backend.BulkItem, error) {
	return b.RunSelected(ctx, intent, prm, selectIDs(paymentIDs), operator)
}

// RunSelected is Run for payments with the versions the operator's selection showed.
func (b *Bulk) RunSelected(ctx context.Context, intent Intent, prm Params, sel []Selected, operator string) (*backend.BulkJob, []backend.BulkItem, error) {
	job, err := b.create(ctx, intent, sel, operator)
	if err != nil {
		return nil, nil, err
	}
	if err := b.work(ctx, job, intent, prm, sel, operator); err != nil {
		return nil, nil, err
	}
	return b.Engine.Store.BulkJobByID(context.WithoutCancel(ctx), job.ID)
}

// Cancel stops a running bulk run: nothing new is sent; what is in flight finishes and
// is recorded; the rest is marked as not sent.
func (b *Bulk) Cancel(jobID int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.cancels[jobID]; ok {
		c()
		return true
	}
	return false
}

// RetryFailed starts a new run with the failed items of an earlier one.
func (b *Bulk) RetryFailed(ctx context.Context, jobID int64, prm Params, operator string) (int64, error) {
	job, items, err := b.Engine.Store.BulkJobByID(ctx, jobID)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for _, it := range items {
		if it.State == backend.BulkFailed {
			ids = append(ids, it.PaymentID)
		}
	}
	if len(ids) == 0 {
		return 0, backend.Errorf(backend.EINVALID, "やり直す失敗分はありません", "there are no failed items to retry")
	}
	return b.Start(ctx, Intent(job.Intent), prm, ids, operator)
}

func (b *Bulk) create(ctx context.Context, intent Intent, sel []Selected, operator string) (*backend.BulkJob, error) {
	if len(sel) == 0 {
		return nil, backend.Errorf(backend.EINVALID, "対象の受注が選ばれていません", "no orders are selected")
	}
	job := &backend.BulkJob{Intent: string(intent), Operator: operator}
	paymentIDs := make([]int64, len(sel))
	for i, s := range sel {
		paymentIDs[i] = s.PaymentID
	}
	if err := b.Engine.Store.CreateBulkJob(ctx, job, paymentIDs); err != nil {
		return nil, err
	}
	return job, nil
}

// work runs the items. A result that cannot be saved (a full disk) stops the run: no
// item is sent that could not be recorded, and the error says so; the journal of what
// was sent stands, and the next start explains every item. So does a run another
// desktop closed as interrupted (this one froze past its lease on a shared database):
// nothing more is sent, and its record stays as that desktop closed it.
func (b *Bulk) work(ctx context.Context, job *backend.BulkJob, intent Intent, prm Params, ids []Selected, operator string) error {
	store := b.Engine.Store
	bg := context.WithoutCancel(ctx)
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var storeMu sync.Mutex
	var storeErr error
	closedElsewhere := false
	stored := func(err error) {
		if err == nil {
			return
		}
		storeMu.Lock()
		switch {
		case errors.Is(err, backend.ErrBulkJobClosed):
			closedElsewhere = true
		case storeErr == nil:
			storeErr = err
		}
		storeMu.Unlock()
		stop()
	}
	conc := b.Concurrency
	if conc <= 0 {
		conc = 16
	}
	prog := &BulkProgress{JobID: job.ID, Intent: string(intent), State: "running", Total: len(ids), Counts: map[string]int{}}
	var mu sync.Mutex
	emit := func(last *BulkLast) {
		mu.Lock()
		defer mu.Unlock()
		if last != nil {
			prog.Done++
			prog.Counts[last.State]++
			prog.Last = last
		}
		ev := *prog
		ev.Counts = make(map[string]int, len(prog.Counts)) // each event owns its counts
		for k, v := range prog.Counts {
			ev.Counts[k] = v
		}
		b.notifier().Emit(EventBulkProgress, ev)
	}
	emit(nil)

	queue := make(chan Selected)
	var wg sync.WaitGroup
	for range min(conc, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sel := range queue {
				if ctx.Err() != nil {
					continue // stopped: left queued, and closed as not sent
				}
				id := sel.PaymentID
				state, opID, msg := b.one(ctx, job.ID, sel, intent, prm, operator)
				stored(store.UpdateBulkItem(bg, job.ID, id, state, opID, msg))
				if state == backend.BulkUnknown && opID != 0 {
					// A sync run may have decided it between the answer and this
					// write: the journal has the last word.
					b.Engine.settleBulkItem(bg, opID)
				}
				emit(&BulkLast{PaymentID: id, State: state, Message: msg.Ja, MessageEn: msg.En})
			}
		}()
	}
	cancelled := false
	for _, it := range ids {
		if ctx.Err() != nil {
			cancelled = true
			break
		}
		select {
		case queue <- it:
		case <-ctx.Done():
			cancelled = true
		}
		if cancelled {
			break
		}
	}
	close(queue)
	wg.Wait()
	final := "finished"
	if cancelled {
		final = "cancelled"
	}
	stored(store.FinishBulkJob(bg, job.ID, final))
	j, _, err := store.BulkJobByID(bg, job.ID)
	stored(err)
	mu.Lock()
	prog.State = final
	if err == nil {
		prog.State, prog.Counts = j.State, j.Counts
	}
	mu.Unlock()
	emit(nil)
	if storeErr == nil && closedElsewhere {
		return &backend.Error{Code: backend.ECONFLICT, Err: backend.ErrBulkJobClosed,
			Message: "この一括処理は、このパソコンが応答しなかった間に別のパソコンが中断として閉じたため、残りを送信せずに止めました。" +
				"送信した操作は操作履歴のとおりです。送信していない受注は、もう一度一括処理を実行してください",
			MessageEn: "another desktop closed this bulk run as interrupted while this one did not answer, so the rest was not sent. " +
				"What was sent is in the journal; run the bulk action again for the orders not sent"}
	}
	if storeErr != nil {
		return backend.Errorf(backend.EINTERNAL, "一括処理の結果を保存できないため中止しました（ディスクの空きなどを確認してください）。送信した操作は操作履歴に記録されており、次の起動時にすべての結果を確認します: %v",
			"the bulk run stopped: its results cannot be saved (check the free disk space). What was sent is in the journal and is checked at the next start: %v", storeErr)
	}
	return nil
}

// one runs the intent on one payment, waiting for the gateway's rate limit and
// backing off when the gateway says it is busy (nothing happened, so it is safe).
//
// Another desktop (or window, or operation) may change the payment after the
// operator's selection (sel.Version) or the item's own read: overlapping selections on
// two desktops. The journal then refuses to begin the operation — planned from an
// older version, or another operation is in flight — and nothing is sent. The item is
// not sent again blindly: the payment is read again once what is in flight on it is
// settled. When nothing is left to do (the other desktop sold it) the item is skipped
// and says why. It is planned again from the fresh read only when that cannot do what
// the operator did not choose: the payment did not change after all (the operation in
// flight changed nothing), or a 売上 or オーソリ (they only move a payment forward, and
// take the amount authorised now), or a キャンセル of a payment still in the state the
// item planned from. Otherwise (a キャンセル of a payment whose state moved, an amount
// change or partial refund chosen from the old amounts) the item fails with the
// refusal, for the operator to look and retry.
func (b *Bulk) one(ctx context.Context, jobID int64, sel Selected, intent Intent, prm Params, operator string) (state string, opID int64, msg backend.Text) {
	e := b.Engine
	paymentID := sel.PaymentID
	p, err := e.Store.PaymentByID(ctx, paymentID)
	if err != nil {
		return backend.BulkFailed, 0, backend.ErrorText(err)
	}
	// What the item plans from: the selection's version, else this read (and its
	// state, when the selection's is not changed since).
	basis, from := p.Version, p.State
	if sel.Version != 0 {
		basis = sel.Version
		if p.Version != sel.Version {
			from = ""
		}
	}
	prof, err := e.profileOf(ctx, p)
	if err != nil {
		return backend.BulkFailed, 0, backend.ErrorText(err)
	}
	if _, _, err := planIntent(p, intent, prm, e.now(), prof); err != nil {
		if basis != p.Version {
			return backend.BulkSkipped, 0, changedText(p, err)
		}
		return backend.BulkSkipped, 0, backend.ErrorText(err)
	}
	var lim *throttle.Limiter
	if b.Limits != nil {
		lim = b.Limits.For(p.ProfileID)
	}
	backoff := time.Second
	replans := 0
	for attempt := 0; ; attempt++ {
		if lim != nil {
			if err := lim.Wait(ctx); err != nil {
				return backend.BulkCancelled, 0, backend.Text{Ja: "一括処理が中止されたため送信していません", En: "not sent: the bulk run was stopped"}
			}
		}
		res, err := e.Run(context.WithoutCancel(ctx), Request{PaymentID: paymentID, Intent: intent, Params: prm, Operator: operator,
			BulkJobID: jobID, Version: sel.Version})
		if res != nil && res.Operation() != nil {
			opID = res.Operation().ID
		}
		switch {
		case err == nil:
			if lim != nil {
				lim.OK()
			}
			return backend.BulkSucceeded, opID, backend.Text{Ja: res.Message, En: res.MessageEn}
		case backend.ErrorCode(err) == backend.EUNKNOWN:
			return backend.BulkUnknown, opID, backend.ErrorText(err)
		case changedElsewhere(err):
			fresh, busy := e.afterInFlight(ctx, paymentID)
			if fresh == nil || busy {
				return backend.BulkFailed, opID, backend.ErrorText(err)
			}
			if _, _, perr := planIntent(fresh, intent, prm, e.now(), prof); perr != nil {
				return backend.BulkSkipped, opID, changedText(fresh, perr)
			}
			replan := fresh.Version == basis || intent == IntentCapture || intent == IntentAuthorize ||
				intent == IntentCancel && fresh.State == from
			if !replan || replans >= 2 {
				return backend.BulkFailed, opID, backend.ErrorText(err)
			}
			// Plan again from the fresh read (its version, this time).
			replans++
			sel.Version, basis, from = 0, fresh.Version, fresh.State
		case backend.ErrorClassOf(err) == backend.ClassRetryable && attempt < 3 && ctx.Err() == nil:
			if lim != nil {
				lim.Busy()
			}
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return backend.BulkFailed, opID, backend.ErrorText(err)
			}
			backoff *= 2
		default:
			return backend.BulkFailed, opID, backend.ErrorText(err)
		}
	}
}

// changedElsewhere: the journal refused to begin the operation because the payment
// changed since it was read, or another operation on it is unresolved. Nothing was sent.
func changedElsewhere(err error) bool {
	return errors.Is(err, backend.ErrPaymentChanged) || backend.ErrorCode(err) == backend.EBUSY
}

// afterInFlight reads the payment again once no operation on it is in flight. One
// this desktop is sending, or one a live desktop holds, is waited for with a short
// poll (50 ms, growing to a second), at most twice the gateway timeout. On a shared
// store (backend.OperationClaimer) an unresolved operation nobody live holds — its
// desktop died or froze and its claim lapsed, or it was left unknown — is resolved
// here as the recovery does (Resolve: claimed first, then a pending one fails as never
// sent and a sent or unknown one is decided by the gateway's inquiry), so the item is
// planned again from what the gateway did, and nothing is sent before that is decided.
// busy: an operation on it is still unresolved (being sent, or its outcome unknown
// until the gateway can tell). nil: it cannot be read, or the run was stopped.
func (e *Engine) afterInFlight(ctx context.Context, paymentID int64) (p *backend.Payment, busy bool) {
	_, shared := e.Store.(backend.OperationClaimer)
	deadline := time.Now().Add(2 * e.timeout())
	poll := 50 * time.Millisecond
	tries := map[int64]int{} // resolutions that did not leave the operation held or unknown
	for {
		ops, err := e.Store.OperationsByPayment(ctx, paymentID)
		if err != nil {
			return nil, false
		}
		var open *backend.Operation
		for _, op := range ops {
			if op.State.Unresolved() {
				open = op
			}
		}
		wait := open != nil && (open.State == backend.OpPending || open.State == backend.OpSent)
		if open != nil && shared && !e.isSending(open.ID) && tries[open.ID] < 2 {
			_, rerr := e.Resolve(ctx, open.ID)
			switch backend.ErrorCode(rerr) {
			case backend.EBUSY:
				wait = true // a live desktop holds it: its outcome comes soon
			case backend.EUNKNOWN:
				tries[open.ID], wait = 2, false // the gateway cannot tell now: left unresolved
			default:
				tries[open.ID]++ // decided (here or by another resolution first): read again
				continue
			}
		}
		if !wait || time.Now().After(deadline) {
			p, err := e.Store.PaymentByID(ctx, paymentID)
			if err != nil {
				return nil, false
			}
			return p, open != nil
		}
		select {
		case <-time.After(poll):
		case <-ctx.Done():
			return nil, false
		}
		poll = min(2*poll, time.Second)
	}
}

// changedText says why an item the payment's change left nothing to do for was not sent.
func changedText(now *backend.Payment, why error) backend.Text {
	return backend.Text{
		Ja: fmt.Sprintf("別のパソコンまたは別の操作でこの決済が変更されていたため、送信していません（今は「%s」）: %s", now.State.Label(), backend.ErrorMessage(why, "ja")),
		En: fmt.Sprintf("not sent: the payment was changed by another desktop or operation (now %s): %s", now.State.LabelEn(), backend.ErrorMessage(why, "en"))}
}

func (b *Bulk) notifier() backend.Notifier {
	if b.Engine.Notifier == nil {
		return backend.NopNotifier{}
	}
	return b.Engine.Notifier
}
