package payment

import (
	"context"
	"strings"

	"kessaidesk/backend"
)

// settleBulkItem brings the bulk item of a decided operation up to date. The run left
// it 結果確認中 (unknown) — or 未送信 (queued) when the process died — and やり直し
// (RetryFailed) takes only the failed items: without this, a sale the recovery proved
// not applied stayed 結果確認中 for ever and was never retried. The state is read
// back from the journal, so a resolution that lost a race records nothing here.
func (e *Engine) settleBulkItem(ctx context.Context, opID int64) {
	op, err := e.Store.OperationByID(ctx, opID)
	if err != nil || op.BulkJobID == 0 || op.State.Unresolved() {
		return
	}
	state := backend.BulkFailed
	if op.State == backend.OpSucceeded {
		state = backend.BulkSucceeded
	}
	e.Store.UpdateBulkItem(ctx, op.BulkJobID, op.PaymentID, state, op.ID, journalText(op))
}

// journalText is op's outcome in both languages, naming the gateway's code once.
func journalText(op *backend.Operation) backend.Text {
	code := func(msg string) string {
		if msg != "" && op.GatewayCode != "" && !strings.Contains(msg, op.GatewayCode) {
			msg += "（" + op.GatewayCode + "）"
		}
		return msg
	}
	return backend.Text{Ja: code(op.Message), En: code(op.MessageEn)}
}
