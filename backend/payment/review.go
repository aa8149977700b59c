package payment

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"kessaidesk/backend"
)

// Several transactions under one id (Paygent 13002). After a 補正 made in Paygent's
// console, the trading_id holds the old payment (cancelled) and the new one, and an
// inquiry by trading_id cannot say which is current; Paygent cannot list them either.
// The engine then collects the candidates it can know — the ids the payment has had
// (backend.ReviewStore.TranIDs), the one the operation was on, and any the operator
// pastes — asks about each by its own id, marks the payment 要確認 and keeps them
// (backend.Review). Nothing is asked again at start or by the sync until the operator
// chooses (ChooseCandidate): the choice is checked with the gateway once more, the
// payment follows it, and an operation left unknown is settled from what the chosen
// payment shows. No money movement is recorded that the gateway's answer about the
// chosen payment does not prove.

// AwaitChoice marks a payment 要確認 because its gateway holds several transactions
// under its id (view.Several), with the candidates, asked about one by one. With op,
// an operation whose outcome the inquiry could not tell, the operation stays unknown
// until the operator chooses; without, the change is journalled by the system. It
// returns the review. The sync and a refusal's inquiry call it as the engine does.
func (e *Engine) AwaitChoice(ctx context.Context, p *backend.Payment, view *backend.GatewayView, op *backend.Operation) (*backend.Review, error) {
	prof, err := e.Store.ProfileByID(ctx, p.ProfileID)
	if err != nil {
		return nil, err
	}
	gw, err := e.Gateways.Gateway(ctx, prof)
	if err != nil {
		return nil, err
	}
	return e.awaitChoice(ctx, gw, p, view, op)
}

const severalJa = "ゲートウェイではこの取引IDに決済が複数あり（管理画面での金額変更など）、どれが現在の決済か照会では分かりません。受注詳細で候補を比べ、現在の決済を選んでください"

func (e *Engine) awaitChoice(ctx context.Context, gw backend.Gateway, p *backend.Payment, view *backend.GatewayView, op *backend.Operation) (*backend.Review, error) {
	stored, err := e.Store.PaymentByID(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	rv, err := e.Store.Review(ctx, p.ID)
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		rv, err = &backend.Review{PaymentID: p.ID}, nil
	}
	if err != nil {
		return nil, err
	}
	if op != nil {
		rv.OperationID = op.ID
	}
	known, err := e.Store.TranIDs(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	rv.Candidates = e.candidates(ctx, gw, stored, rv.Candidates, append(known, p.GatewayTranID))
	rv.FoundAt = e.now()

	marked := stored.WithView(view, e.now())
	marked.State = backend.StateNeedsReview
	if op != nil {
		op.State = backend.OpUnknown
		op.Message = fmt.Sprintf("%sの結果は、まだ分かりません。%s", op.Kind.Label(), severalJa)
		if err := e.Store.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: marked}); err != nil {
			return nil, err
		}
	} else if stored.State != backend.StateNeedsReview {
		if err := e.journal(ctx, stored, marked, backend.ActorSync, "要確認にしました。"+severalJa); err != nil {
			return nil, err
		}
	} else if saved, err := e.saveIfUnchanged(ctx, marked); err != nil {
		return nil, err
	} else if !saved {
		return nil, backend.PaymentChangedError() // changed while the candidates were asked about
	}
	if err := e.Store.SaveReview(ctx, rv); err != nil {
		return nil, err
	}
	return rv, nil
}

// candidates asks the gateway about each id (old first, then the new ones) by its own
// id; an id the gateway cannot be asked about now keeps what was known of it.
func (e *Engine) candidates(ctx context.Context, gw backend.Gateway, p *backend.Payment, old []backend.Transaction, ids []string) []backend.Transaction {
	finder, ok := gw.(backend.TransactionFinder)
	var all []string
	for _, c := range old {
		all = append(all, c.GatewayTranID)
	}
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(all, id) {
			all = append(all, id)
		}
	}
	var out []backend.Transaction
	for _, id := range all {
		if ok {
			if tx, err := e.lookup(ctx, finder, p, id); err == nil {
				out = append(out, *tx)
				continue
			}
		}
		if i := slices.IndexFunc(old, func(c backend.Transaction) bool { return c.GatewayTranID == id }); i >= 0 {
			out = append(out, old[i])
		}
	}
	return out
}

// lookup asks the gateway about one transaction of the payment's order id by its own id.
func (e *Engine) lookup(ctx context.Context, finder backend.TransactionFinder, p *backend.Payment, tranID string) (*backend.Transaction, error) {
	callCtx, cancel := context.WithTimeout(ctx, e.timeout())
	defer cancel()
	tx, err := finder.LookupTransaction(callCtx, p.Method, backend.TransactionIDs{GatewayOrderID: p.GatewayOrderID, GatewayTranID: tranID})
	if err != nil {
		return nil, err
	}
	tx.View.Found = true
	return tx, nil
}

// AddCandidates checks ids the operator pasted from the gateway's console (each asked
// by its own id, and it must belong to the payment's order id) and shows them with
// the other candidates. One that does not check out is refused, with nothing added.
func (e *Engine) AddCandidates(ctx context.Context, paymentID int64, tranIDs []string) (*backend.Review, error) {
	p, rv, finder, err := e.reviewSetup(ctx, paymentID)
	if err != nil {
		return nil, err
	}
	var found []backend.Transaction
	for _, id := range tranIDs {
		if id = strings.TrimSpace(id); id == "" || rv.Candidate(id) != nil {
			continue
		}
		tx, err := e.lookup(ctx, finder, p, id)
		if err != nil {
			return nil, err
		}
		found = append(found, *tx)
	}
	if len(found) == 0 {
		return nil, backend.Errorf(backend.EINVALID, "新しい決済IDが入力されていません", "no new payment id entered")
	}
	rv.Candidates = append(rv.Candidates, found...)
	if err := e.Store.SaveReview(ctx, rv); err != nil {
		return nil, err
	}
	return rv, nil
}

// ChooseCandidate settles a payment waiting in 要確認 (AwaitChoice): tranID is the
// transaction the operator says is the payment's current one. It is asked about again
// (it must exist under the payment's order id and its state must be settled), the
// payment follows it, and the journal names the operator. An operation left unknown
// is decided from the gateway's answer: about the chosen transaction when the
// operation makes a new one (補正), else about the one it was sent to. Only what that
// answer proves is recorded as done; no request is sent.
func (e *Engine) ChooseCandidate(ctx context.Context, paymentID int64, tranID, operator string) (*Result, error) {
	if operator == "" {
		return nil, backend.Errorf(backend.EINVALID, "担当者名を設定してから選んでください（設定 → 担当者名）", "set the operator name first")
	}
	tranID = strings.TrimSpace(tranID)
	if tranID == "" {
		return nil, backend.Errorf(backend.EINVALID, "現在の決済の決済IDを選んでください", "choose the current payment's id")
	}
	p, _, finder, err := e.reviewSetup(ctx, paymentID)
	if err != nil {
		return nil, err
	}
	prof, err := e.Store.ProfileByID(ctx, p.ProfileID)
	if err != nil {
		return nil, err
	}
	op, err := e.openOperation(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	chosen, err := e.lookup(ctx, finder, p, tranID)
	if err != nil {
		return nil, err
	}
	view := chosen.View
	if view.State == backend.StateNeedsReview {
		return nil, conflict("決済ID %s はゲートウェイで処理中です（%s）。結果が出てから選んでください", "payment %s is still in progress at the gateway (%s); choose it once it is settled",
			tranID, view.RawStatus)
	}
	if tranID != p.GatewayTranID {
		view.NewTranID = tranID
	}
	note := fmt.Sprintf("（%sが候補から決済ID %s（%s）を現在の決済に選び、ゲートウェイに照会して確認）", operator, tranID, view.State.Label())
	res := &Result{}
	if op == nil {
		updated := e.follow(p, &view, prof)
		if err := e.journal(ctx, p, updated, operator, "現在の決済を選びました"+note); err != nil {
			return nil, err
		}
		res.Payment, res.Message = updated, "現在の決済を選びました"+note
		return res, nil
	}
	pl, err := planFromJournal(op, p, e.now())
	if err != nil {
		return nil, err
	}
	// What the operation did is read where it would show: on the chosen transaction
	// when it makes a new one, else on the one it was sent to.
	opView, onChosen := &view, true
	if tranID != p.GatewayTranID && !backend.CreatesTransaction(p.Gateway, op.Kind) && p.GatewayTranID != "" {
		sent, err := e.lookup(ctx, finder, p, p.GatewayTranID)
		if err != nil {
			return nil, err
		}
		opView, onChosen = &sent.View, false
	}
	done, known := decide(opView, pl)
	if !known {
		return nil, conflict("ゲートウェイの状態（%[1]s）からは%[2]sの結果を判断できません。時間をおいてもう一度選んでください", "the gateway's state (%[1]s) does not tell whether the %[3]s was done; choose again later",
			opView.RawStatus, op.Kind.Label(), op.Kind.LabelEn())
	}
	res.Operations = []*backend.Operation{op}
	if done && onChosen {
		updated, err := e.succeed(ctx, prof, p, op, pl, &view, backend.Text{Ja: note,
			En: fmt.Sprintf(" (%s chose payment id %s (%s) among the candidates; confirmed with the gateway)", operator, tranID, view.State.LabelEn())})
		if err != nil {
			return nil, err
		}
		e.settleBulkItem(ctx, op.ID)
		res.Payment, res.Message = updated, op.Message
		return res, nil
	}
	if done {
		return nil, conflict("%[1]sは決済ID %[2]s で完了していますが、選んだ決済は %[3]s です。決済ID %[2]s を選ぶか、管理画面で確認してください",
			"the %[4]s was done on payment %[2]s, not on %[3]s: choose %[2]s or check the console", op.Kind.Label(), p.GatewayTranID, tranID, op.Kind.LabelEn())
	}
	updated := e.follow(p, &view, prof)
	op.State, op.AfterState = backend.OpFailed, updated.State
	op.Message = fmt.Sprintf("%sは実行されていませんでした%s", op.Kind.Label(), note)
	if err := e.Store.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: updated}); err != nil {
		return nil, err
	}
	e.settleBulkItem(ctx, op.ID)
	res.Payment, res.Message = updated, op.Message
	return res, nil
}

// reviewSetup reads a payment waiting for a choice, its review and its gateway.
func (e *Engine) reviewSetup(ctx context.Context, paymentID int64) (*backend.Payment, *backend.Review, backend.TransactionFinder, error) {
	p, err := e.Store.PaymentByID(ctx, paymentID)
	if err != nil {
		return nil, nil, nil, err
	}
	rv, err := e.Store.Review(ctx, paymentID)
	if p.State != backend.StateNeedsReview || backend.ErrorCode(err) == backend.ENOTFOUND {
		return nil, nil, nil, conflict("この決済は候補から選ぶ状態ではありません（%[1]s）", "the payment is not waiting for a choice (%[2]s)", p.State.Label(), p.State.LabelEn())
	}
	if err != nil {
		return nil, nil, nil, err
	}
	prof, err := e.Store.ProfileByID(ctx, p.ProfileID)
	if err != nil {
		return nil, nil, nil, err
	}
	gw, err := e.Gateways.Gateway(ctx, prof)
	if err != nil {
		return nil, nil, nil, err
	}
	finder, ok := gw.(backend.TransactionFinder)
	if !ok {
		return nil, nil, nil, backend.Errorf(backend.EUNSUPPORTED, "%[1]sの取引は決済IDで照会できません", "%[2]s transactions cannot be asked about by id", prof.Kind.Label(), prof.Kind.LabelEn())
	}
	return p, rv, finder, nil
}

// openOperation is the payment's operation whose outcome is not known yet (nil when
// none). One this process is sending is refused; one never sent fails first.
func (e *Engine) openOperation(ctx context.Context, paymentID int64) (*backend.Operation, error) {
	ops, err := e.Store.OperationsByPayment(ctx, paymentID)
	if err != nil {
		return nil, err
	}
	for _, op := range ops {
		switch {
		case !op.State.Unresolved():
		case e.isSending(op.ID):
			return nil, conflict("この決済の操作を送信中です。ゲートウェイの応答を待っています", "an operation on this payment is being sent")
		case op.State == backend.OpPending:
			if _, err := e.Resolve(ctx, op.ID); err != nil {
				return nil, err
			}
		default:
			return op, nil
		}
	}
	return nil, nil
}

// follow is the payment as the chosen transaction shows it; a new id brings its own
// dates, and the authorisation's expiry counts from its date.
func (e *Engine) follow(p *backend.Payment, v *backend.GatewayView, prof *backend.GatewayProfile) *backend.Payment {
	u := p.WithView(v, e.now())
	if v.NewTranID != "" {
		if !v.AuthorizedAt.IsZero() {
			u.AuthExpiresAt = authExpiry(v.AuthorizedAt, prof)
		}
		if v.State == backend.StateCaptured && !v.ProcessedAt.IsZero() {
			u.CapturedAt = v.ProcessedAt
		}
	}
	return u
}

// journal records a change of the payment no operation made — found by an inquiry
// or chosen by the operator — with who recorded it.
func (e *Engine) journal(ctx context.Context, before, after *backend.Payment, actor, msg string) error {
	now := e.now()
	// Only over before as read: a payment changed since (while the gateway was asked
	// about the candidates) is refused, nothing written (ErrPaymentChanged).
	op := &backend.Operation{PaymentID: before.ID, Intent: "review", Kind: backend.OpSyncFix, Operator: actor,
		IdempotencyKey: "review/" + newKey(), BeforeState: before.State, RequestedAt: now,
		Reason: "複数の決済から現在の決済を確認", PaymentVersion: before.Version}
	if err := e.Store.BeginOperation(ctx, op); err != nil {
		return err
	}
	op.State, op.AfterState, op.Message, op.GatewayCode = backend.OpSucceeded, after.State, msg, after.RawStatus
	return e.Store.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: after})
}
