package payment

import (
	"context"
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

// Start creates a bulk run and works through it in the background; it returns at once.
func (b *Bulk) Start(ctx context.Context, intent Intent, prm Params, paymentIDs []int64, operator string) (int64, error) {
	job, err := b.create(ctx, intent, paymentIDs, operator)
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
		if err := b.work(runCtx, job, intent, prm, paymentIDs, operator); err != nil {
			backend.Announce(b.notifier(), backend.Text{Ja: "一括処理を中止しました", En: "The bulk run stopped"}, backend.ErrorText(err))
		}
	}()
	return job.ID, nil
}

// Run creates a bulk run and works through it before returning (command line, tests).
func (b *Bulk) Run(ctx context.Context, intent Intent, prm Params, paymentIDs []int64, operator string) (*backend.BulkJob, []backend.BulkItem, error) {
	job, err := b.create(ctx, intent, paymentIDs, operator)
	if err != nil {
		return nil, nil, err
	}
	if err := b.work(ctx, job, intent, prm, paymentIDs, operator); err != nil {
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

func (b *Bulk) create(ctx context.Context, intent Intent, paymentIDs []int64, operator string) (*backend.BulkJob, error) {
	if len(paymentIDs) == 0 {
		return nil, backend.Errorf(backend.EINVALID, "対象の受注が選ばれていません", "no orders are selected")
	}
	job := &backend.BulkJob{Intent: string(intent), Operator: operator}
	if err := b.Engine.Store.CreateBulkJob(ctx, job, paymentIDs); err != nil {
		return nil, err
	}
	return job, nil
}

// work runs the items. A result that cannot be saved (a full disk) stops the run: no
// item is sent that could not be recorded, and the error says so; the journal of what
// was sent stands, and the next start explains every item.
func (b *Bulk) work(ctx context.Context, job *backend.BulkJob, intent Intent, prm Params, ids []int64, operator string) error {
	store := b.Engine.Store
	bg := context.WithoutCancel(ctx)
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var storeMu sync.Mutex
	var storeErr error
	stored := func(err error) {
		if err == nil {
			return
		}
		storeMu.Lock()
		if storeErr == nil {
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

	queue := make(chan int64)
	var wg sync.WaitGroup
	for range min(conc, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range queue {
				state, opID, msg := b.one(ctx, job.ID, id, intent, prm, operator)
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
	for _, id := range ids {
		if ctx.Err() != nil {
			cancelled = true
			break
		}
		select {
		case queue <- id:
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
		prog.Counts = j.Counts
	}
	mu.Unlock()
	emit(nil)
	if storeErr != nil {
		return backend.Errorf(backend.EINTERNAL, "一括処理の結果を保存できないため中止しました（ディスクの空きなどを確認してください）。送信した操作は操作履歴に記録されており、次の起動時にすべての結果を確認します: %v",
			"the bulk run stopped: its results cannot be saved (check the free disk space). What was sent is in the journal and is checked at the next start: %v", storeErr)
	}
	return nil
}

// one runs the intent on one payment, waiting for the gateway's rate limit and
// backing off when the gateway says it is busy (nothing happened, so it is safe).
func (b *Bulk) one(ctx context.Context, jobID, paymentID int64, intent Intent, prm Params, operator string) (state string, opID int64, msg backend.Text) {
	e := b.Engine
	p, err := e.Store.PaymentByID(ctx, paymentID)
	if err != nil {
		return backend.BulkFailed, 0, backend.ErrorText(err)
	}
	prof, err := e.profileOf(ctx, p)
	if err != nil {
		return backend.BulkFailed, 0, backend.ErrorText(err)
	}
	if _, _, err := planIntent(p, intent, prm, e.now(), prof); err != nil {
		return backend.BulkSkipped, 0, backend.ErrorText(err)
	}
	var lim *throttle.Limiter
	if b.Limits != nil {
		lim = b.Limits.For(p.ProfileID)
	}
	backoff := time.Second
	for attempt := 0; ; attempt++ {
		if lim != nil {
			if err := lim.Wait(ctx); err != nil {
				return backend.BulkCancelled, 0, backend.Text{Ja: "一括処理が中止されたため送信していません", En: "not sent: the bulk run was stopped"}
			}
		}
		res, err := e.Run(context.WithoutCancel(ctx), Request{PaymentID: paymentID, Intent: intent, Params: prm, Operator: operator, BulkJobID: jobID})
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

func (b *Bulk) notifier() backend.Notifier {
	if b.Engine.Notifier == nil {
		return backend.NopNotifier{}
	}
	return b.Engine.Notifier
}
