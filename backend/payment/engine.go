// Package payment is the operations engine: it turns the operator's intent (売上,
// キャンセル, 金額変更…) into the right gateway operations and sends each exactly once.
//
// The contract: an Operation row is committed (pending) before any request; the
// request is sent; the outcome is committed together with the payment's new state and
// the order's 対応状況. A timeout, a dropped connection or an answer that cannot be
// read leaves the operation unknown, and the engine asks the gateway (its inquiry
// call) before anything can be sent again — also after a crash.
package payment

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"kessaidesk/backend"
)

// Engine runs payment operations. It is safe for concurrent use.
type Engine struct {
	Store    backend.Store
	Gateways backend.GatewayFactory
	Clock    backend.Clock
	Notifier backend.Notifier
	// Timeout bounds one gateway call, including the inquiry that resolves it.
	Timeout time.Duration

	orderOnlyMu sync.Mutex // serialises the check-and-record of 要返金(口座) tasks

	// sending holds the operations this process is sending right now. The journal
	// shows them as pending/sent like those a crash left behind; Resolve must leave
	// them alone (a sync run's inquiry could find the request not yet applied and
	// record a failure while the request is still on its way).
	sendingMu sync.Mutex
	sending   map[int64]bool
}

func (e *Engine) markSending(opID int64, on bool) {
	e.sendingMu.Lock()
	defer e.sendingMu.Unlock()
	if e.sending == nil {
		e.sending = map[int64]bool{}
	}
	if on {
		e.sending[opID] = true
	} else {
		delete(e.sending, opID)
	}
}

func (e *Engine) isSending(opID int64) bool {
	e.sendingMu.Lock()
	defer e.sendingMu.Unlock()
	return e.sending[opID]
}

// Stages of an operation, sent as "operation:progress" events (OperationProgress) so
// the window can say what it is waiting for.
const (
	StageSending   = "sending"   // the request is on its way to the gateway
	StageInquiring = "inquiring" // no clear answer: the gateway is being asked what happened
	StageDone      = "done"      // the outcome is recorded (or left unknown) in the journal
)

// EventOperationProgress carries an OperationProgress.
const EventOperationProgress = "operation:progress"

// OperationProgress is the payload of an "operation:progress" event.
type OperationProgress struct {
	PaymentID   int64  `json:"paymentId"`
	OperationID int64  `json:"operationId"`
	Kind        string `json:"kind"`
	Stage       string `json:"stage"`
}

func (e *Engine) progress(op *backend.Operation, stage string) {
	if e.Notifier == nil || op.BulkJobID != 0 { // a bulk run reports its own progress
		return
	}
	e.Notifier.Emit(EventOperationProgress, OperationProgress{PaymentID: op.PaymentID, OperationID: op.ID, Kind: string(op.Kind), Stage: stage})
}

// Request is one operation the operator asked for.
type Request struct {
	PaymentID int64
	Intent    Intent
	Params    Params
	// IdempotencyKey is made by the UI when the dialog opens, so a double click sends
	// the same key and is refused by the journal. Empty: the engine makes one.
	IdempotencyKey string
	Operator       string
	BulkJobID      int64
	// AssumeState plans as if the payment were in this state — the gateway's, when
	// reconciliation brings the gateway to our state. Empty: the stored state.
	AssumeState backend.PaymentState
	// AssumeAmount plans as if the payment's current amount were this (the gateway's,
	// when reconciliation sends our amount). 0: the stored amount.
	AssumeAmount backend.Yen
	// Version is the payment's version the operator's window showed (Payment.Version):
	// a payment changed since — by another desktop, window or operation — is refused
	// (backend.ErrPaymentChanged) and nothing is sent. 0: the engine's own read.
	Version int64
}

// Result is the outcome the UI shows: the operations sent (in order) and the payment.
type Result struct {
	Operations []*backend.Operation
	Payment    *backend.Payment
	Message    string
	MessageEn  string // "" when the Japanese has no English yet (the UI then shows its own account)
}

// Operation is the last operation of the result (nil when nothing was sent).
func (r *Result) Operation() *backend.Operation {
	if len(r.Operations) == 0 {
		return nil
	}
	return r.Operations[len(r.Operations)-1]
}

func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (e *Engine) now() time.Time { return e.Clock.Now() }

func (e *Engine) timeout() time.Duration {
	if e.Timeout > 0 {
		return e.Timeout
	}
	return 45 * time.Second
}

// Capture sends 売上 and sets the order's 対応状況 to 入金済み in the same action.
func (e *Engine) Capture(ctx context.Context, req Request) (*Result, error) {
	req.Intent = IntentCapture
	return e.Run(ctx, req)
}

// Preview says what an intent will do to the payment, and why, before it is sent.
func (e *Engine) Preview(ctx context.Context, paymentID int64, intent Intent, prm Params) (*Preview, error) {
	p, err := e.Store.PaymentByID(ctx, paymentID)
	if err != nil {
		return nil, err
	}
	_, pls, only, err := e.plan(ctx, p, intent, prm)
	if err != nil {
		return nil, err
	}
	pv := &Preview{Intent: intent}
	if only != nil {
		pv.OrderOnly, pv.ManualRefund, pv.Reason, pv.ReasonEn, pv.NewStatus = true, only.manualRefund, only.reason.Ja, only.reason.En, backend.OrderCancelled
		return pv, nil
	}
	for _, pl := range pls {
		pv.Steps = append(pv.Steps, Step{Kind: pl.op.Kind, Amount: pl.op.Amount, Reason: pl.reason.Ja, ReasonEn: pl.reason.En})
		if pv.Reason != "" {
			pv.Reason += "。"
			pv.ReasonEn += ". "
		}
		pv.Reason += pl.reason.Ja
		pv.ReasonEn += pl.reason.En
		if pl.orderStatus != "" {
			pv.NewStatus = pl.orderStatus
		}
	}
	return pv, nil
}

// Run carries out an intent: it chooses the gateway operations and sends them one
// after the other, each journalled; it stops at the first that does not succeed.
//
// Each operation carries the version of the payment it was planned from
// (Operation.PaymentVersion): the store refuses to begin it when the payment has
// changed since (backend.ErrPaymentChanged), so two desktops that planned from the same
// state — a capture on one, a bulk run's stale selection on the other — do not both send.
func (e *Engine) Run(ctx context.Context, req Request) (*Result, error) {
	p, err := e.Store.PaymentByID(ctx, req.PaymentID)
	if err != nil {
		return nil, err
	}
	if req.Version != 0 && req.Version != p.Version {
		return nil, backend.PaymentChangedError()
	}
	if req.AssumeState != "" {
		p.State = req.AssumeState
	}
	if req.AssumeAmount > 0 {
		if p.State == backend.StateCaptured {
			p.AmountCaptured = req.AssumeAmount
		} else {
			p.AmountAuthorized = req.AssumeAmount
		}
	}
	p, pls, only, err := e.plan(ctx, p, req.Intent, req.Params)
	if err != nil {
		return nil, err
	}
	if only != nil {
		return e.runOrderOnly(ctx, p, req, only)
	}
	if !backend.Supports(p.Gateway, p.Method, pls[0].op.Kind) {
		return nil, backend.Errorf(backend.EUNSUPPORTED, "%[1]sでは「%[2]s」を行えません", "%[3]s does not offer %[4]s", p.Gateway.Label(), pls[0].op.Kind.Label(),
			p.Gateway.LabelEn(), pls[0].op.Kind.LabelEn())
	}
	profile, err := e.Store.ProfileByID(ctx, p.ProfileID)
	if err != nil {
		return nil, err
	}
	gw, err := e.Gateways.Gateway(ctx, profile)
	if err != nil {
		return nil, err
	}
	key := req.IdempotencyKey
	if key == "" {
		key = newKey()
	}
	res := &Result{Payment: p}
	for i, pl := range pls {
		stepKey := key
		if i > 0 {
			stepKey = fmt.Sprintf("%s/%d", key, i+1)
		}
		op, updated, err := e.execute(ctx, gw, profile, res.Payment, req, pl, stepKey)
		if op != nil {
			res.Operations = append(res.Operations, op)
		}
		if err != nil {
			if i > 0 {
				// Earlier steps stand; say so with the failure.
				return res, fmt.Errorf("%w", annotate(err, backend.Text{Ja: fmt.Sprintf("（%sは完了しています）", pls[i-1].op.Kind.Label()),
					En: fmt.Sprintf(" (the %s is done)", pls[i-1].op.Kind.LabelEn())}))
			}
			return res, err
		}
		res.Payment, res.Message, res.MessageEn = updated, op.Message, pl.doneMessage.En
	}
	return res, nil
}

// plan chooses the operations for an intent. A キャンセル whose choice rests on what only
// the gateway can tell — that nothing needs to be sent, or the date a GMO cancel kind
// is chosen by — is chosen on the gateway's answer: the engine asks first. Its facts
// (dates, amounts, tax) are kept; a state different from ours is a change made
// elsewhere (the console): listed in 差異 and not decided here.
func (e *Engine) plan(ctx context.Context, p *backend.Payment, intent Intent, prm Params) (*backend.Payment, []*plan, *orderOnly, error) {
	profile, err := e.profileOf(ctx, p)
	if err != nil {
		return nil, nil, nil, err
	}
	pls, only, err := planIntent(p, intent, prm, e.now(), profile)
	if intent != IntentCancel || !(only != nil || needsProcessingDate(p)) {
		return p, pls, only, err
	}
	if p.GatewayOrderID == "" && p.GatewayTranID == "" {
		return p, pls, only, err // nothing at the gateway to ask about (未オーソリ)
	}
	// An operation whose outcome is not known yet locks the payment: the inquiry that
	// settles it comes first (the journal would refuse a new operation anyway).
	ops, gerr := e.Store.OperationsByPayment(ctx, p.ID)
	if gerr != nil {
		return nil, nil, nil, gerr
	}
	for _, op := range ops {
		if op.State.Unresolved() {
			return nil, nil, nil, backend.Errorf(backend.EBUSY, "この決済には処理中の操作があります。結果が確定するまでお待ちください",
				"another operation on this payment is still in progress")
		}
	}
	if profile == nil {
		return nil, nil, nil, backend.Errorf(backend.ENOTFOUND, "この決済のゲートウェイ設定がありません", "the payment has no gateway profile")
	}
	gw, gerr := e.Gateways.Gateway(ctx, profile)
	if gerr != nil {
		return nil, nil, nil, gerr
	}
	callCtx, cancel := context.WithTimeout(ctx, e.timeout())
	v, gerr := gw.Inquire(callCtx, p)
	cancel()
	if gerr != nil {
		return nil, nil, nil, &backend.Error{Code: backend.ErrorCode(gerr), Class: backend.ClassNotSent, Err: gerr,
			Message: "ゲートウェイに今の状態を確認できないため、キャンセルの方法を決められません。何も送信・記録していません: " + backend.ErrorMessage(gerr, "ja"),
			MessageEn: "the gateway could not be asked for the payment's state, so the cancel cannot be chosen; nothing was sent or recorded: " +
				backend.ErrorMessage(gerr, "en")}
	}
	if !v.Found {
		if p.State == backend.StateReserved {
			return p, pls, only, err // the gateway confirms: no authorisation exists yet
		}
		return nil, nil, nil, conflict("ゲートウェイにこの取引が見つかりません。キャンセルの方法を決められないため、何も送信・記録していません。ゲートウェイの管理画面で確認してください",
			"the gateway has no record of this transaction; nothing was sent or recorded")
	}
	fresh := p.WithView(v, e.now())
	switch {
	case v.State == p.State:
	case p.State == backend.StateExpired && v.State == backend.StateAuthorized:
		// Past our capture window, but the gateway still holds the authorisation:
		// release it like any authorisation.
	default:
		e.Store.SaveDrift(ctx, &backend.Drift{PaymentID: p.ID, FoundAt: e.now(), OurState: p.State, GatewayState: v.State,
			OurAmount: p.AmountAuthorized, GatewayAmount: v.AmountAuthorized, RawStatus: v.RawStatus,
			Detail: "キャンセルの前に照会したところ、ゲートウェイの状態が違いました", DetailEn: "asked before the cancel: the gateway's state differs"})
		return nil, nil, nil, conflict("ゲートウェイではこの決済は「%[1]s」になっています（管理画面などで操作された可能性があります）。何も送信・記録していません。作業リストの「差異」で確認してください",
			"the gateway reports this payment as %[2]q (changed elsewhere?); nothing was sent or recorded: see Differences", v.State.Label(), v.State.LabelEn())
	}
	// Keep what the gateway told (dates, amounts, tax); the state stays ours until an
	// operation or the sync changes it. Only over the payment as read: one changed
	// meanwhile (another desktop) is not overwritten, and nothing is sent.
	keep := *fresh
	keep.State, keep.RawStatus = p.State, p.RawStatus
	if saved, err := e.saveIfUnchanged(ctx, &keep); err != nil {
		return nil, nil, nil, err
	} else if !saved {
		return nil, nil, nil, backend.PaymentChangedError()
	}
	fresh.ID, fresh.Version = keep.ID, keep.Version
	pls, only, err = planIntent(fresh, intent, prm, e.now(), profile)
	return fresh, pls, only, err
}

// versionedSaver is a store that saves a payment only over the version it was read at
// (both stores: backend/sqlstore.Core).
type versionedSaver interface {
	SavePaymentIfUnchanged(ctx context.Context, p *backend.Payment) (bool, error)
}

// SaveIfUnchanged saves p, a payment read earlier and changed since the read, only if
// the stored payment is still at p.Version: false, with nothing written, when another
// operation or desktop changed it meanwhile (its change stands). A store without
// versions (a test's stand-in) saves it as SavePayment does.
func SaveIfUnchanged(ctx context.Context, st backend.PaymentStore, p *backend.Payment) (bool, error) {
	if s, ok := st.(versionedSaver); ok {
		return s.SavePaymentIfUnchanged(ctx, p)
	}
	return true, st.SavePayment(ctx, p)
}

// saveIfUnchanged saves p if it is still as read (false: changed since, not saved).
func (e *Engine) saveIfUnchanged(ctx context.Context, p *backend.Payment) (bool, error) {
	return SaveIfUnchanged(ctx, e.Store, p)
}

// profileOf is the payment's gateway profile; nil for a payment without one (no
// gateway: bank transfer), whose rules are the usual ones.
func (e *Engine) profileOf(ctx context.Context, p *backend.Payment) (*backend.GatewayProfile, error) {
	if p.ProfileID == 0 {
		return nil, nil
	}
	return e.Store.ProfileByID(ctx, p.ProfileID)
}

// needsProcessingDate: a GMO-family card cancel is chosen by the transaction's latest
// processing date, which a payment learned by sync or linking may lack.
func needsProcessingDate(p *backend.Payment) bool {
	return (p.Gateway == backend.GatewayGMO || p.Gateway == backend.GatewaySGP) && p.Method == backend.MethodCard && p.ProcessedAt.IsZero()
}

// annotate adds a note to err's message in both languages (an error without English
// keeps showing its Japanese, note included).
func annotate(err error, note backend.Text) error {
	var be *backend.Error
	if errors.As(err, &be) {
		c := *be
		c.Message += note.Ja
		if c.MessageEn != "" {
			c.MessageEn += note.En
		}
		return &c
	}
	return err
}

// runOrderOnly cancels the order without a gateway call (nothing to send, or a refund
// by bank transfer), with the キャンセル在庫 and, if needed, a 要返金(口座) task.
func (e *Engine) runOrderOnly(ctx context.Context, p *backend.Payment, req Request, only *orderOnly) (*Result, error) {
	ch := &backend.OrderChange{OrderID: p.OrderID, Status: backend.OrderCancelled, Actor: req.Operator,
		Note: "キャンセル: " + only.reason.Ja, NoteEn: "Cancelled: " + only.reason.En, CancelStock: true}
	msg := backend.Text{Ja: "受注をキャンセルにし、商品をキャンセル在庫（未対応）に追加しました。ゲートウェイへの送信はありません",
		En: "The order is cancelled and its items are on the cancelled-stock list (to do). Nothing was sent to the gateway"}
	if only.manualRefund > 0 {
		// One 要返金(口座) per payment. The payment keeps its state, so a second キャンセル
		// (a double click, or the button pressed again later) would record the same
		// refund again; the lock makes the check and the record one step in this app.
		e.orderOnlyMu.Lock()
		defer e.orderOnlyMu.Unlock()
		if t, err := e.refundTaskOf(ctx, p.ID); err != nil {
			return nil, err
		} else if t != nil {
			return nil, conflict("この決済の要返金(口座)（%s）は既に記録されています。要返金の一覧を確認してください",
				"a refund task (%s) for this payment already exists", t.Amount)
		}
		ch.RefundTask = &backend.RefundTask{PaymentID: p.ID, Amount: only.manualRefund, Reason: only.reason.Ja,
			ReasonEn: only.reason.En, Operator: req.Operator}
		msg = backend.Text{Ja: fmt.Sprintf("受注をキャンセルにしました。%s をお客様の口座へ返金してください（要返金(口座)に記録しました）", only.manualRefund),
			En: fmt.Sprintf("The order is cancelled. Refund %s to the customer's bank account (recorded under bank refunds)", only.manualRefund.En())}
	}
	if err := e.Store.ApplyOrderChange(ctx, ch); err != nil {
		return nil, err
	}
	return &Result{Payment: p, Message: msg.Ja, MessageEn: msg.En}, nil
}

// execute is the exactly-once core shared by every operation.
func (e *Engine) execute(ctx context.Context, gw backend.Gateway, prof *backend.GatewayProfile, p *backend.Payment, req Request, pl *plan, key string) (*backend.Operation, *backend.Payment, error) {
	op := &backend.Operation{
		PaymentID: p.ID, Intent: string(req.Intent), Kind: pl.op.Kind, Amount: pl.op.Amount, CaptureNow: pl.op.CaptureNow,
		IdempotencyKey: key, Operator: req.Operator, BeforeState: p.State, Reason: pl.reason.Ja, BulkJobID: req.BulkJobID,
		RequestedAt: e.now(), PaymentVersion: p.Version,
	}
	// 1. The journal entry is committed before anything leaves the machine — if the
	// payment is still the one it was planned from.
	if err := e.Store.BeginOperation(ctx, op); err != nil {
		return nil, nil, err
	}
	e.markSending(op.ID, true)
	defer e.markSending(op.ID, false)
	if err := e.Store.MarkOperationSent(ctx, op.ID, e.now()); err != nil {
		return op, nil, err
	}
	e.progress(op, StageSending)
	defer e.progress(op, StageDone)
	// 2. The request. It is not tied to the caller's context: a closed window must not
	// cut a request in half; the timeout bounds it.
	callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.timeout())
	view, gwErr := gw.Do(callCtx, p, pl.op)
	cancel()
	// 3. The outcome.
	updated, err := e.settle(context.WithoutCancel(ctx), gw, prof, p, op, pl, view, gwErr)
	return op, updated, err
}

// settle commits the outcome of a sent operation; for an outcome that may or may not
// have happened it first asks the gateway.
func (e *Engine) settle(ctx context.Context, gw backend.Gateway, prof *backend.GatewayProfile, p *backend.Payment, op *backend.Operation, pl *plan, view *backend.GatewayView, gwErr error) (*backend.Payment, error) {
	if gwErr == nil {
		return e.succeed(ctx, prof, p, op, pl, view, backend.Text{})
	}
	op.GatewayCode = gatewayCode(gwErr)
	switch backend.ErrorClassOf(gwErr) {
	case backend.ClassAlreadyDone:
		// An answer, not an unknown outcome: the gateway refused this request because
		// of the payment's state there. Ask what that state is, and record it as a
		// change made at the gateway — never as this operation.
		return e.refused(ctx, gw, prof, p, op, pl, gwErr)
	case backend.ClassUnknown, backend.ClassNone:
		// It may have happened: ask the gateway what the payment looks like now.
		return e.resolveByInquiry(ctx, gw, prof, p, op, pl, gwErr)
	case backend.ClassWindowPassed:
		// Refused: the card company's window has passed (a sale cancel becomes 要返金).
		return e.windowPassed(ctx, p, op, pl, gwErr)
	default:
		// Refused, or provably never sent: nothing changed at the gateway.
		return nil, e.fail(ctx, op, gwErr)
	}
}

// resolveByInquiry decides an uncertain outcome from the gateway's own view.
func (e *Engine) resolveByInquiry(ctx context.Context, gw backend.Gateway, prof *backend.GatewayProfile, p *backend.Payment, op *backend.Operation, pl *plan, cause error) (*backend.Payment, error) {
	e.progress(op, StageInquiring)
	callCtx, cancel := context.WithTimeout(ctx, e.timeout())
	view, err := gw.Inquire(callCtx, p)
	cancel()
	done, known := false, false
	if err == nil && view != nil && view.Found {
		done, known = decide(view, pl)
	}
	if !known && err == nil && view != nil && view.Several {
		// The gateway cannot tell which of several transactions is this payment's:
		// the operator chooses, and nothing is asked again until then.
		if _, err := e.awaitChoice(ctx, gw, p, view, op); err != nil {
			return nil, err
		}
		return nil, &backend.Error{Code: backend.EUNKNOWN, Class: backend.ClassUnknown, Message: op.Message,
			MessageEn:   "The gateway holds several payments under this id and cannot say which is current: choose it in the order's detail.",
			GatewayCode: op.GatewayCode, Err: cause}
	}
	if !known {
		// Still unknown: keep the payment locked until an inquiry can tell.
		op.State = backend.OpUnknown
		op.Message = "ゲートウェイの応答を確認できませんでした。結果を確認するまで、この決済への操作を止めています: " + backend.ErrorMessage(cause, "ja")
		op.MessageEn = "The gateway's answer could not be confirmed; this payment is locked until the outcome is known: " + backend.ErrorMessage(cause, "en")
		if err == nil && view != nil && view.Found {
			op.Message = "ゲートウェイの照会でも結果を判断できません。ゲートウェイの管理画面で確認してください: " + backend.ErrorMessage(cause, "ja")
			op.MessageEn = "The gateway's inquiry cannot tell either; check in the gateway's console: " + backend.ErrorMessage(cause, "en")
		}
		if cerr := e.Store.CompleteOperation(ctx, &backend.Completion{Op: op}); cerr != nil {
			return nil, cerr
		}
		return nil, &backend.Error{Code: backend.EUNKNOWN, Class: backend.ClassUnknown, Message: op.Message,
			MessageEn: "The outcome could not be confirmed; this payment is locked until it is.", GatewayCode: op.GatewayCode, Err: cause}
	}
	if done && processedBefore(p, view, op) {
		// The gateway shows what the request would have made, but dated before it.
		return e.notOurs(ctx, gw, prof, p, op, pl, cause, view)
	}
	if done {
		return e.succeed(ctx, prof, p, op, pl, view, backend.Text{Ja: "（応答を確認できなかったため、ゲートウェイに照会して完了を確認しました）",
			En: " (the answer was lost; the gateway's inquiry confirmed it was done)"})
	}
	// The gateway did not apply it: record the failure with the state as it really is.
	op.State = backend.OpFailed
	op.Message = fmt.Sprintf("ゲートウェイに照会した結果、%sは実行されていませんでした（%s）", op.Kind.Label(), backend.ErrorMessage(cause, "ja"))
	op.MessageEn = fmt.Sprintf("The gateway's inquiry shows the %s was not done (%s)", op.Kind.LabelEn(), backend.ErrorMessage(cause, "en"))
	updated := p.WithView(view, e.now())
	op.AfterState = updated.State
	if err := e.Store.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: updated}); err != nil {
		return nil, err
	}
	// Decided: the outcome is known now. The cause of an uncertain outcome carries
	// EUNKNOWN, which callers read as "still unknown" (Resolve, ResolveUnresolved's
	// count, a bulk item left 結果確認中 and never retried); report it as a gateway failure.
	decided := annotate(cause, backend.Text{Ja: "（ゲートウェイに照会し、実行されていないことを確認しました）",
		En: " (the gateway's inquiry confirmed it was not done)"})
	var be *backend.Error
	if errors.As(decided, &be) && be.Code == backend.EUNKNOWN {
		be.Code, be.Class = backend.EGATEWAY, backend.ClassNotSent
	}
	return nil, decided
}

// decide tells from the gateway's view whether the planned operation happened, and
// whether the view is enough to know.
func decide(view *backend.GatewayView, pl *plan) (done, known bool) {
	// A gateway that itself cannot say (要確認, e.g. Paygent after a lost 補正) leaves
	// the outcome unknown: it is neither done nor provably not done.
	if view.State == backend.StateNeedsReview && pl.expect != backend.StateNeedsReview {
		return false, false
	}
	if view.State != pl.expect && !slices.Contains(pl.expectAlso, view.State) {
		return false, true
	}
	if pl.amountCheck == nil {
		return true, true
	}
	return pl.amountCheck(view)
}

func (e *Engine) succeed(ctx context.Context, prof *backend.GatewayProfile, p *backend.Payment, op *backend.Operation, pl *plan, view *backend.GatewayView, note backend.Text) (*backend.Payment, error) {
	now := e.now()
	updated := p.WithView(view, now)
	if view == nil || !view.Found {
		updated.State = pl.expect
	}
	if pl.adjust != nil {
		pl.adjust(updated, view, now, prof)
	}
	op.State = backend.OpSucceeded
	op.AfterState = updated.State
	op.Message, op.MessageEn = pl.doneMessage.Ja+note.Ja, pl.doneMessage.En+note.En
	c := &backend.Completion{Op: op, Payment: updated, OrderStatus: pl.orderStatus, CancelStock: pl.cancelStock}
	if err := e.Store.CompleteOperation(ctx, c); err != nil {
		return nil, err
	}
	return updated, nil
}

func (e *Engine) fail(ctx context.Context, op *backend.Operation, cause error) error {
	op.State = backend.OpFailed
	op.AfterState = op.BeforeState
	op.Message, op.MessageEn = backend.ErrorMessage(cause, "ja"), backend.ErrorMessage(cause, "en")
	if err := e.Store.CompleteOperation(ctx, &backend.Completion{Op: op}); err != nil {
		return err
	}
	return cause
}

func gatewayCode(err error) string {
	var be *backend.Error
	if errors.As(err, &be) {
		return be.GatewayCode
	}
	return ""
}

// Actions lists what the operator can do with the payment now (intents). Amounts are
// checked when the operator enters them.
func Actions(p *backend.Payment, now time.Time) []string {
	var out []string
	card := p.Method == backend.MethodCard
	gmo := p.Gateway == backend.GatewayGMO || p.Gateway == backend.GatewaySGP
	for _, in := range Intents {
		ok := false
		switch in {
		case IntentCapture:
			_, err := planCapture(p, p.AmountAuthorized)
			ok = err == nil && captureWindow(p, now) == nil && backend.Supports(p.Gateway, p.Method, backend.OpCapture)
		case IntentCancel:
			_, _, err := planCancel(p, now, nil) // whether, not how: the window does not matter
			ok = err == nil
		case IntentChangeAmount:
			ok = card && (p.State == backend.StateAuthorized || p.State == backend.StateCaptured) &&
				backend.Supports(p.Gateway, p.Method, backend.OpChangeAmount)
		case IntentPartialRefund:
			ok = card && (p.State == backend.StateCaptured || p.State == backend.StatePartiallyRefunded) &&
				(gmo || backend.Supports(p.Gateway, p.Method, backend.OpPartialRefund))
		case IntentReauth:
			_, err := planReauth(p, Params{})
			ok = err == nil
		case IntentAuthorize:
			_, err := planAuthorize(p)
			ok = err == nil
		}
		if ok {
			out = append(out, string(in))
		}
	}
	return out
}
