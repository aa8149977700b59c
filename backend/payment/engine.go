// Package payment is the operations engine: it turns the operator's intent (売上,
// キャンセル, 金額変更…) into the right gateway operation and sends it exactly once.
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
}

// Request is one operation the operator asked for.
type Request struct {
	PaymentID int64
	Amount    backend.Yen
	// IdempotencyKey is made by the UI when the dialog opens, so a double click sends
	// the same key and is refused by the journal. Empty: the engine makes one.
	IdempotencyKey string
	Operator       string
	BulkJobID      int64
}

// Result is the outcome the UI shows.
type Result struct {
	Operation *backend.Operation
	Payment   *backend.Payment
}

// plan is the gateway operation chosen for an intent, with its expected outcome.
type plan struct {
	op          backend.GatewayOp
	expect      backend.PaymentState // the payment state that proves the operation happened
	orderStatus backend.OrderStatus  // the 対応状況 to set on success ("" = unchanged)
	cancelStock bool
	reason      string // why this operation, in the operator's words
	doneMessage string
}

func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Capture sends 売上 for an authorised card payment and sets the order's 対応状況 to
// 入金済み in the same action.
func (e *Engine) Capture(ctx context.Context, req Request) (*Result, error) {
	p, err := e.Store.PaymentByID(ctx, req.PaymentID)
	if err != nil {
		return nil, err
	}
	pl, err := planCapture(p)
	if err != nil {
		return nil, err
	}
	return e.execute(ctx, p, req, pl)
}

func planCapture(p *backend.Payment) (*plan, error) {
	if p.Method != backend.MethodCard {
		return nil, backend.Errorf(backend.ECONFLICT, "売上処理はクレジットカード決済だけに行えます（この決済は%s）", "only card payments can be captured (this is %s)", p.Method.Label())
	}
	switch p.State {
	case backend.StateAuthorized, backend.StateCaptureFailed:
	case backend.StateCaptured:
		return nil, backend.Errorf(backend.ECONFLICT, "この決済は既に実売上です", "this payment is already captured")
	default:
		return nil, backend.Errorf(backend.ECONFLICT, "決済状態が「%s」のため売上処理できません。売上処理できるのは仮売上の決済です", "a payment in state %q cannot be captured; only authorised payments can", p.State.Label())
	}
	return &plan{
		op:          backend.GatewayOp{Kind: backend.OpCapture, Amount: p.AmountAuthorized},
		expect:      backend.StateCaptured,
		orderStatus: backend.OrderPaid,
		reason:      "仮売上を実売上にします",
		doneMessage: "売上処理が完了しました。対応状況を入金済みにしました",
	}, nil
}

func (e *Engine) now() time.Time { return e.Clock.Now() }

func (e *Engine) timeout() time.Duration {
	if e.Timeout > 0 {
		return e.Timeout
	}
	return 45 * time.Second
}

// execute is the exactly-once core shared by every operation.
func (e *Engine) execute(ctx context.Context, p *backend.Payment, req Request, pl *plan) (*Result, error) {
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
	op := &backend.Operation{
		PaymentID: p.ID, Kind: pl.op.Kind, Amount: pl.op.Amount, IdempotencyKey: key,
		Operator: req.Operator, BeforeState: p.State, Reason: pl.reason, BulkJobID: req.BulkJobID,
		RequestedAt: e.now(),
	}
	// 1. The journal entry is committed before anything leaves the machine.
	if err := e.Store.BeginOperation(ctx, op); err != nil {
		return nil, err
	}
	if err := e.Store.MarkOperationSent(ctx, op.ID, e.now()); err != nil {
		return nil, err
	}
	// 2. The request. It is not tied to the caller's context: a closed window must not
	// cut a request in half; the timeout bounds it.
	callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.timeout())
	view, gwErr := gw.Do(callCtx, p, pl.op)
	cancel()
	// 3. The outcome.
	return e.settle(context.WithoutCancel(ctx), gw, p, op, pl, view, gwErr)
}

// settle commits the outcome of a sent operation; for an unknown outcome it first
// asks the gateway.
func (e *Engine) settle(ctx context.Context, gw backend.Gateway, p *backend.Payment, op *backend.Operation, pl *plan, view *backend.GatewayView, gwErr error) (*Result, error) {
	if gwErr == nil {
		return e.succeed(ctx, p, op, pl, view, "")
	}
	op.GatewayCode = gatewayCode(gwErr)
	switch backend.ErrorClassOf(gwErr) {
	case backend.ClassAlreadyDone, backend.ClassUnknown, backend.ClassNone:
		// It may have happened: ask the gateway what the payment looks like now.
		return e.resolveByInquiry(ctx, gw, p, op, pl, gwErr)
	default:
		// Refused, or provably never sent: nothing changed at the gateway.
		return e.fail(ctx, op, gwErr)
	}
}

// resolveByInquiry decides an unknown outcome from the gateway's own view.
func (e *Engine) resolveByInquiry(ctx context.Context, gw backend.Gateway, p *backend.Payment, op *backend.Operation, pl *plan, cause error) (*Result, error) {
	callCtx, cancel := context.WithTimeout(ctx, e.timeout())
	view, err := gw.Inquire(callCtx, p)
	cancel()
	if err != nil || view == nil || !view.Found {
		// Still unknown: keep the payment locked until an inquiry succeeds.
		op.State = backend.OpUnknown
		op.Message = "ゲートウェイの応答を確認できませんでした。結果を確認するまで、この決済への操作を止めています: " + backend.ErrorMessage(cause, "ja")
		if cerr := e.Store.CompleteOperation(ctx, &backend.Completion{Op: op}); cerr != nil {
			return nil, cerr
		}
		return nil, &backend.Error{Code: backend.EUNKNOWN, Class: backend.ClassUnknown, Message: op.Message,
			MessageEn: "The gateway's answer could not be confirmed; this payment is locked until its state is confirmed.", Err: cause}
	}
	if reached(view, pl) {
		return e.succeed(ctx, p, op, pl, view, "（応答を確認できなかったため、ゲートウェイに照会して成功を確認しました）")
	}
	// The gateway did not apply it: record the failure with the state as it really is.
	op.State = backend.OpFailed
	op.Message = fmt.Sprintf("ゲートウェイに照会した結果、%sは実行されていませんでした（%s）", op.Kind.Label(), backend.ErrorMessage(cause, "ja"))
	updated := applyView(p, view, e.now())
	op.AfterState = updated.State
	if err := e.Store.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: updated}); err != nil {
		return nil, err
	}
	return nil, cause
}

// reached reports whether the gateway's view shows the planned operation as done.
func reached(view *backend.GatewayView, pl *plan) bool {
	if view.State != pl.expect {
		return false
	}
	switch pl.op.Kind {
	case backend.OpCapture:
		return pl.op.Amount == 0 || view.AmountCaptured == 0 || view.AmountCaptured == pl.op.Amount
	}
	return true
}

func (e *Engine) succeed(ctx context.Context, p *backend.Payment, op *backend.Operation, pl *plan, view *backend.GatewayView, note string) (*Result, error) {
	updated := applyView(p, view, e.now())
	if view == nil || !view.Found {
		updated.State = pl.expect
	}
	if pl.op.Kind == backend.OpCapture {
		if updated.AmountCaptured == 0 {
			updated.AmountCaptured = pl.op.Amount
		}
		if updated.CapturedAt.IsZero() {
			updated.CapturedAt = e.now()
		}
	}
	op.State = backend.OpSucceeded
	op.AfterState = updated.State
	op.Message = pl.doneMessage + note
	c := &backend.Completion{Op: op, Payment: updated, OrderStatus: pl.orderStatus, CancelStock: pl.cancelStock}
	if err := e.Store.CompleteOperation(ctx, c); err != nil {
		return nil, err
	}
	return &Result{Operation: op, Payment: updated}, nil
}

func (e *Engine) fail(ctx context.Context, op *backend.Operation, cause error) (*Result, error) {
	op.State = backend.OpFailed
	op.AfterState = op.BeforeState
	op.Message = backend.ErrorMessage(cause, "ja")
	if err := e.Store.CompleteOperation(ctx, &backend.Completion{Op: op}); err != nil {
		return nil, err
	}
	return nil, cause
}

// applyView returns a copy of p updated with what the gateway reported.
func applyView(p *backend.Payment, v *backend.GatewayView, now time.Time) *backend.Payment {
	u := *p
	u.LastSyncedAt = now
	if v == nil || !v.Found {
		return &u
	}
	u.State = v.State
	u.RawStatus = v.RawStatus
	if v.AmountAuthorized != 0 {
		u.AmountAuthorized = v.AmountAuthorized
	}
	if v.AmountCaptured != 0 {
		u.AmountCaptured = v.AmountCaptured
	}
	if v.AmountRefunded != 0 {
		u.AmountRefunded = v.AmountRefunded
	}
	if !v.AuthorizedAt.IsZero() {
		u.AuthorizedAt = v.AuthorizedAt
	}
	if !v.PaymentDeadline.IsZero() {
		u.PaymentDeadline = v.PaymentDeadline
	}
	if !v.PaidAt.IsZero() {
		u.PaidAt = v.PaidAt
	}
	if v.State == backend.StateCaptured && u.CapturedAt.IsZero() {
		u.CapturedAt = v.ProcessedAt
	}
	if v.NewTranID != "" {
		u.GatewayTranID = v.NewTranID
	}
	if v.NewTranPass != "" {
		u.GatewayTranPass = v.NewTranPass
	}
	return &u
}

func gatewayCode(err error) string {
	var be *backend.Error
	if errors.As(err, &be) {
		return be.GatewayCode
	}
	return ""
}

// Actions lists what the operator can do with the payment now, as the UI names them.
func Actions(p *backend.Payment) []string {
	var out []string
	if _, err := planCapture(p); err == nil {
		out = append(out, "capture")
	}
	return out
}
