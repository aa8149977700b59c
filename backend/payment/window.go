package payment

import (
	"context"
	"fmt"

	"kessaidesk/backend"
)

// windowPassed settles an operation the gateway refused because the card company's
// window for it has passed (ClassWindowPassed: Paygent 2007). Nothing happened at the
// gateway, and the operation fails in the gateway's words. A sale cancel so refused
// ends where the local rule ends when it knows the window (backend.ChooseCancelFor):
// the order is cancelled, its items go to the キャンセル在庫, and the sale is to be
// refunded by bank transfer — one 要返金(口座) per payment, recorded in the same
// transaction as the outcome.
func (e *Engine) windowPassed(ctx context.Context, p *backend.Payment, op *backend.Operation, pl *plan, cause error) (*backend.Payment, error) {
	if !pl.refundByTransfer {
		return nil, e.fail(ctx, op, cause)
	}
	// The stored payment, not p: p may carry a state assumed for reconciliation.
	stored, err := e.Store.PaymentByID(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	e.orderOnlyMu.Lock()
	defer e.orderOnlyMu.Unlock()
	task, err := e.refundTaskOf(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	said := backend.ErrorMessage(cause, "ja")
	op.State, op.AfterState = backend.OpFailed, op.BeforeState
	c := &backend.Completion{Op: op, Payment: stored, OrderStatus: backend.OrderCancelled, CancelStock: true}
	if task == nil {
		amount := stored.AmountCaptured - stored.AmountRefunded
		c.RefundTask = &backend.RefundTask{PaymentID: p.ID, Amount: amount, Operator: op.Operator,
			Reason:   fmt.Sprintf("ゲートウェイが%sを期限切れで受け付けませんでした（%s）", op.Kind.Label(), said),
			ReasonEn: fmt.Sprintf("the gateway refused the %s as past its window (%s)", op.Kind.LabelEn(), backend.ErrorMessage(cause, "en"))}
		op.Message = fmt.Sprintf("ゲートウェイは%sを受け付けませんでした（%s）。売上取消の期限を過ぎているため、受注をキャンセルにしました。%s をお客様の口座へ返金してください（要返金(口座)に記録しました）",
			op.Kind.Label(), said, amount)
		op.MessageEn = fmt.Sprintf("The gateway refused the %s (%s). The window to cancel the sale has passed, so the order is cancelled. Refund %s to the customer's bank account (recorded under bank refunds)",
			op.Kind.LabelEn(), backend.ErrorMessage(cause, "en"), amount.En())
	} else {
		op.Message = fmt.Sprintf("ゲートウェイは%sを受け付けませんでした（%s）。この決済の要返金(口座)（%s）は既に記録されています。受注はキャンセルにしました",
			op.Kind.Label(), said, task.Amount)
		op.MessageEn = fmt.Sprintf("The gateway refused the %s (%s). This payment's bank refund (%s) is recorded already. The order is cancelled",
			op.Kind.LabelEn(), backend.ErrorMessage(cause, "en"), task.Amount.En())
	}
	if err := e.Store.CompleteOperation(ctx, c); err != nil {
		return nil, err
	}
	return stored, nil
}

// refundTaskOf is the payment's 要返金(口座) task, nil when none was recorded. The
// caller holds orderOnlyMu, so that checking and recording are one step in this app.
func (e *Engine) refundTaskOf(ctx context.Context, paymentID int64) (*backend.RefundTask, error) {
	tasks, err := e.Store.RefundTasks(ctx, "")
	if err != nil {
		return nil, err
	}
	for i := range tasks {
		if tasks[i].PaymentID == paymentID {
			return &tasks[i], nil
		}
	}
	return nil, nil
}
