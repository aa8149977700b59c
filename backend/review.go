package backend

import (
	"context"
	"time"
)

// Review is a payment waiting for the operator to say which of the gateway's
// transactions is its own. After a correction made in Paygent's console (補正: a new
// payment_id under the same trading_id), an inquiry by trading_id answers 13002 —
// several payments — and Paygent cannot list them. The payment is 要確認 and nothing
// is asked again at every start until the operator compares the candidates and
// chooses one (payment.Engine.ChooseCandidate). A review exists only while its
// payment is 要確認.
type Review struct {
	PaymentID int64
	// OperationID is the operation left unknown that the choice settles; 0 = none
	// (the several payments were found by a refusal's inquiry or by the sync).
	OperationID int64
	FoundAt     time.Time
	// Candidates are the transactions known for the payment, each as the gateway
	// reported it when asked by its own id (Paygent 094 by payment_id): the ids the
	// payment has had, the one the operation was on, and any the operator pasted.
	Candidates []Transaction
}

// Candidate returns the candidate with the gateway's transaction id, or nil.
func (r *Review) Candidate(tranID string) *Transaction {
	for i := range r.Candidates {
		if r.Candidates[i].GatewayTranID == tranID {
			return &r.Candidates[i]
		}
	}
	return nil
}

// ReviewStore keeps reviews and the ids each payment has had at its gateway.
type ReviewStore interface {
	// SaveReview records (or replaces) the payment's review. The payment must be 要確認.
	SaveReview(ctx context.Context, r *Review) error
	// Review returns the payment's review (ENOTFOUND when none).
	Review(ctx context.Context, paymentID int64) (*Review, error)
	// AwaitingChoice lists the payments whose review waits for the operator.
	AwaitingChoice(ctx context.Context) (map[int64]bool, error)
	// TranIDs lists every gateway transaction id the payment has had, oldest first.
	TranIDs(ctx context.Context, paymentID int64) ([]string, error)
}
