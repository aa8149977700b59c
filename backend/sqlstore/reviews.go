package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"kessaidesk/backend"
)

// SaveReview records (or replaces) a payment's review. It refuses a payment that is
// not 要確認: a review lives only while its payment waits (WritePayment ends it).
func (db *Core) SaveReview(ctx context.Context, r *backend.Review) error {
	if r.FoundAt.IsZero() {
		r.FoundAt = db.now()
	}
	cands, err := json.Marshal(r.Candidates)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(tx Q) error {
		var state string
		err := tx.Row(ctx, `SELECT state FROM payments WHERE id = ?`, r.PaymentID).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENOTFOUND, "決済 (ID %d) は見つかりません", "payment %d was not found", r.PaymentID)
		}
		if err != nil {
			return err
		}
		if backend.PaymentState(state) != backend.StateNeedsReview {
			return backend.Errorf(backend.ECONFLICT, "決済が要確認ではないため、候補を記録できません（%[1]s）", "the payment does not need review (%[2]s)",
				backend.PaymentState(state).Label(), backend.PaymentState(state).LabelEn())
		}
		_, err = tx.Exec(ctx, `INSERT INTO payment_reviews (payment_id, operation_id, found_at, candidates) VALUES (?,?,?,?)
			ON CONFLICT (payment_id) DO UPDATE SET operation_id = excluded.operation_id, found_at = excluded.found_at,
			candidates = excluded.candidates`, r.PaymentID, r.OperationID, ms(r.FoundAt), string(cands))
		return err
	})
}

// Review returns the payment's review.
func (db *Core) Review(ctx context.Context, paymentID int64) (*backend.Review, error) {
	r := &backend.Review{PaymentID: paymentID}
	var found int64
	var cands string
	err := db.Read().Row(ctx, `SELECT operation_id, found_at, candidates FROM payment_reviews WHERE payment_id = ?`, paymentID).
		Scan(&r.OperationID, &found, &cands)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENOTFOUND, "この決済には候補がありません", "the payment has no candidates")
	}
	if err != nil {
		return nil, err
	}
	r.FoundAt = fromMS(found)
	if cands != "" {
		if err := json.Unmarshal([]byte(cands), &r.Candidates); err != nil {
			return nil, fmt.Errorf("review of payment %d: %w", paymentID, err)
		}
	}
	return r, nil
}

// AwaitingChoice lists the payments whose review waits for the operator.
func (db *Core) AwaitingChoice(ctx context.Context) (map[int64]bool, error) {
	rows, err := db.Read().Query(ctx, `SELECT payment_id FROM payment_reviews`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// TranIDs lists every gateway transaction id the payment has had, oldest first.
func (db *Core) TranIDs(ctx context.Context, paymentID int64) ([]string, error) {
	rows, err := db.Read().Query(ctx, `SELECT tran_id FROM payment_tran_ids WHERE payment_id = ? ORDER BY seen_at, tran_id`, paymentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// keepReviewAndIDs runs with every save of a payment (caller holds tx): the id the
// gateway gives the payment joins its history, and a payment no longer 要確認 ends
// its review.
func keepReviewAndIDs(ctx context.Context, tx Q, p *backend.Payment) error {
	if p.GatewayTranID != "" {
		if _, err := tx.Exec(ctx, `INSERT INTO payment_tran_ids (payment_id, tran_id, seen_at) VALUES (?,?,?)
			ON CONFLICT DO NOTHING`, p.ID, p.GatewayTranID, ms(p.UpdatedAt)); err != nil {
			return err
		}
	}
	if p.State != backend.StateNeedsReview {
		_, err := tx.Exec(ctx, `DELETE FROM payment_reviews WHERE payment_id = ?`, p.ID)
		return err
	}
	return nil
}
