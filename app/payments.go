package app

import (
	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"strings"
)

// Payments is the area of payment operations (売上, キャンセル, 金額変更…).
type Payments struct{ s *Services }

// ActionInput is what the operator entered in an action dialog.
type ActionInput struct {
	Intent     string `json:"intent"`     // capture, cancel, change_amount, partial_refund, reauth, authorize
	Amount     string `json:"amount"`     // as typed (金額変更: new total; 部分返金: refund amount; 再オーソリ: amount, empty = as before)
	CaptureNow bool   `json:"captureNow"` // 即時売上
	Status     string `json:"status"`     // 売上: the 対応状況 to set, paid (default, "") or shipped
	// Version is the payment's version the window showed (Payment.version; to confirm, the
	// preview's paymentVersion): a payment changed since — by another desktop, the sync
	// or another operation — is refused (backend.ErrPaymentChanged) and nothing is sent.
	// 0: as the payment reads now, unchecked (the command line, scripts).
	Version int64 `json:"version"`
}

// PreviewStep is one gateway operation the action will send.
type PreviewStep struct {
	Kind   Label  `json:"kind"`
	Amount int64  `json:"amount"`
	Reason string `json:"reason"`
}

// ActionPreview tells the operator, before sending, what will happen and why.
type ActionPreview struct {
	Intent       string        `json:"intent"`
	Steps        []PreviewStep `json:"steps"`
	OrderOnly    bool          `json:"orderOnly"`    // nothing is sent to the gateway
	ManualRefund int64         `json:"manualRefund"` // a 要返金(口座) task will be recorded
	Reason       string        `json:"reason"`
	NewStatus    Label         `json:"newStatus"`
	// PaymentVersion is the version of the payment this preview was made for: the window
	// sends it back with the confirm (ActionInput.Version), so what is sent is what the
	// operator saw previewed, or nothing.
	PaymentVersion int64 `json:"paymentVersion"`
}

func (in ActionInput) params() (payment.Params, error) {
	prm := payment.Params{CaptureNow: in.CaptureNow, Status: backend.OrderStatus(in.Status)}
	required := in.Intent == string(payment.IntentChangeAmount) || in.Intent == string(payment.IntentPartialRefund)
	if in.Intent == string(payment.IntentChangeAmount) || in.Intent == string(payment.IntentPartialRefund) || in.Intent == string(payment.IntentReauth) {
		label := map[string]backend.Text{"change_amount": {Ja: "変更後の金額", En: "new amount"}, "partial_refund": {Ja: "返金額", En: "amount to refund"},
			"reauth": {Ja: "オーソリ金額", En: "amount to authorise"}}[in.Intent]
		y, err := parseAmount(in.Amount, label, required)
		if err != nil {
			return prm, err
		}
		if y != nil {
			prm.Amount = *y
		}
	}
	return prm, nil
}

// Preview says what an action will do before the operator confirms it. With
// in.Version, a payment changed since the window read it is refused as the confirm
// would be (backend.ErrPaymentChanged): the window reads it again first.
func (p *Payments) Preview(paymentID int64, in ActionInput) (*ActionPreview, error) {
	prm, err := in.params()
	if err != nil {
		return nil, err
	}
	ctx := p.s.Ctx()
	// The version is read before the engine plans: should the payment change in
	// between, the preview shows the newer plan under the older version, and the
	// confirm is refused — never the other way round.
	cur, err := p.s.Store.PaymentByID(ctx, paymentID)
	if err != nil {
		return nil, err
	}
	if in.Version != 0 && in.Version != cur.Version {
		return nil, backend.PaymentChangedError()
	}
	pv, err := p.s.Engine.Preview(ctx, paymentID, payment.Intent(in.Intent), prm)
	if err != nil {
		return nil, err
	}
	lang := p.s.lang(ctx) // the preview is read now, in the window's language
	out := &ActionPreview{Intent: in.Intent, OrderOnly: pv.OrderOnly, ManualRefund: int64(pv.ManualRefund), Reason: pick(lang, pv.Reason, pv.ReasonEn),
		Steps: []PreviewStep{}, PaymentVersion: cur.Version}
	if pv.NewStatus != "" {
		out.NewStatus = statusLabel(pv.NewStatus)
	}
	for _, st := range pv.Steps {
		out.Steps = append(out.Steps, PreviewStep{Kind: opKindLabel(st.Kind), Amount: int64(st.Amount), Reason: pick(lang, st.Reason, st.ReasonEn)})
	}
	return out, nil
}

// Run carries out an action. The UI makes idempotencyKey when the dialog opens, so a
// double click sends the same key and the journal refuses the second. in.Version is
// the version the preview was made for: a payment changed since is refused
// (backend.ErrPaymentChanged, UIError.changed) and nothing is sent.
func (p *Payments) Run(paymentID int64, in ActionInput, idempotencyKey string) (*OperationResult, error) {
	prm, err := in.params()
	if err != nil {
		return nil, err
	}
	ctx := p.s.Ctx()
	res, err := p.s.Engine.Run(ctx, payment.Request{PaymentID: paymentID, Intent: payment.Intent(in.Intent), Params: prm,
		IdempotencyKey: idempotencyKey, Operator: p.s.operator(ctx), Version: in.Version})
	if err != nil {
		return nil, err
	}
	return p.result(res)
}

// Capture sends 売上 for the payment and sets the order to 入金済み in the same action
// (as the payment reads now: unchecked).
func (p *Payments) Capture(paymentID int64, idempotencyKey string) (*OperationResult, error) {
	return p.Run(paymentID, ActionInput{Intent: string(payment.IntentCapture)}, idempotencyKey)
}

// Resolve asks the gateway for the outcome of an operation left unknown.
func (p *Payments) Resolve(operationID int64) (*OperationResult, error) {
	res, err := p.s.Engine.Resolve(p.s.Ctx(), operationID)
	if err != nil {
		return nil, err
	}
	return p.result(res)
}

// RecordOutcome records the outcome of an operation the gateway's inquiry cannot
// decide, as the operator read it in the gateway's console (applied = done there;
// newID = the new payment id the console shows, for operations that make one).
func (p *Payments) RecordOutcome(operationID int64, applied bool, newID string) (*OperationResult, error) {
	ctx := p.s.Ctx()
	res, err := p.s.Engine.RecordOutcome(ctx, operationID, applied, strings.TrimSpace(newID), p.s.operator(ctx))
	if err != nil {
		return nil, err
	}
	return p.result(res)
}

// AddCandidates checks payment ids the operator pasted from the gateway's console for
// a payment waiting for a choice (each asked by its own id) and shows them with the
// other candidates; one that does not check out adds nothing.
func (p *Payments) AddCandidates(paymentID int64, ids []string) (*OperationResult, error) {
	ctx := p.s.Ctx()
	if _, err := p.s.Engine.AddCandidates(ctx, paymentID, ids); err != nil {
		return nil, err
	}
	pay, err := p.s.Store.PaymentByID(ctx, paymentID)
	if err != nil {
		return nil, err
	}
	return p.result(&payment.Result{Payment: pay})
}

// ChooseCandidate makes tranID the payment's current transaction at the gateway, after
// asking the gateway about it again; an operation left unknown is settled from it.
func (p *Payments) ChooseCandidate(paymentID int64, tranID string) (*OperationResult, error) {
	ctx := p.s.Ctx()
	res, err := p.s.Engine.ChooseCandidate(ctx, paymentID, tranID, p.s.operator(ctx))
	if err != nil {
		return nil, err
	}
	return p.result(res)
}

func (p *Payments) result(res *payment.Result) (*OperationResult, error) {
	d, err := orderDetail(p.s, res.Payment.OrderID)
	if err != nil {
		return nil, err
	}
	lang := p.s.lang(p.s.Ctx())
	out := &OperationResult{Message: pick(lang, res.Message, res.MessageEn), Order: *d}
	if op := res.Operation(); op != nil {
		out.Operation = toOperation(op)
		if out.Message == "" {
			out.Message = op.Message
		}
		if lang == "en" && res.MessageEn == "" { // no English of its own: the journal's English account
			out.Message = out.Operation.MessageEn
		}
	}
	return out, nil
}

// BulkItem is one order of a bulk run.
type BulkItem struct {
	PaymentID    int64  `json:"paymentId"`
	OrderID      int64  `json:"orderId"`
	OrderNo      string `json:"orderNo"`
	CustomerName string `json:"customerName"`
	State        string `json:"state"` // queued, succeeded, failed, unknown, skipped, cancelled
	Message      string `json:"message"`
}

// BulkJob is a bulk run with its items.
type BulkJob struct {
	ID     int64          `json:"id"`
	Intent string         `json:"intent"`
	State  string         `json:"state"` // running, finished, cancelled
	Total  int            `json:"total"`
	Counts map[string]int `json:"counts"`
	Items  []BulkItem     `json:"items"`
}

// BulkSelection is one selected row's payment with the version the list showed
// (OrderRow.paymentVersion).
type BulkSelection struct {
	PaymentID int64 `json:"paymentId"`
	Version   int64 `json:"version"` // 0: as the item reads it, unchecked
}

// BulkStart runs an action (売上, キャンセル) on many payments, as each reads when its
// turn comes, in the background and returns the run's id; progress arrives as
// "bulk:progress" events.
func (p *Payments) BulkStart(intent string, paymentIDs []int64) (int64, error) {
	sel := make([]BulkSelection, len(paymentIDs))
	for i, id := range paymentIDs {
		sel[i] = BulkSelection{PaymentID: id}
	}
	return p.BulkStartSelected(intent, sel)
}

// BulkStartSelected is BulkStart for the rows the operator selected, each with the
// version its row showed: a payment changed since (another desktop sold or cancelled
// it meanwhile) is not sent blindly — the item is skipped or refused with the reason
// (payment.Bulk's one), the others are sent.
func (p *Payments) BulkStartSelected(intent string, sel []BulkSelection) (int64, error) {
	in := payment.Intent(intent)
	if in != payment.IntentCapture && in != payment.IntentCancel {
		return 0, backend.Errorf(backend.EINVALID, "一括処理できるのは売上とキャンセルです", "bulk runs are for capture and cancel")
	}
	items := make([]payment.Selected, len(sel))
	for i, s := range sel {
		items[i] = payment.Selected{PaymentID: s.PaymentID, Version: s.Version}
	}
	ctx := p.s.Ctx()
	return p.s.System.Bulk.StartSelected(ctx, in, payment.Params{}, items, p.s.operator(ctx))
}

// BulkCancel stops a running bulk run: nothing new is sent, what is in flight finishes.
func (p *Payments) BulkCancel(jobID int64) bool { return p.s.System.Bulk.Cancel(jobID) }

// BulkRetryFailed starts a new run over the failed items of a run.
func (p *Payments) BulkRetryFailed(jobID int64) (int64, error) {
	ctx := p.s.Ctx()
	return p.s.System.Bulk.RetryFailed(ctx, jobID, payment.Params{}, p.s.operator(ctx))
}

// BulkJob returns a run with the result of every order.
func (p *Payments) BulkJob(jobID int64) (*BulkJob, error) {
	ctx := p.s.Ctx()
	job, items, err := p.s.Store.BulkJobByID(ctx, jobID)
	if err != nil {
		return nil, err
	}
	lang := p.s.lang(ctx) // an item recorded before English was kept stays Japanese
	out := &BulkJob{ID: job.ID, Intent: job.Intent, State: job.State, Total: job.Total, Counts: job.Counts, Items: []BulkItem{}}
	for _, it := range items {
		out.Items = append(out.Items, BulkItem{PaymentID: it.PaymentID, OrderID: it.OrderID, OrderNo: it.OrderNo,
			CustomerName: it.CustomerName, State: it.State, Message: pick(lang, it.Message, it.MessageEn)})
	}
	return out, nil
}
