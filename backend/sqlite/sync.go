package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"kessaidesk/backend"
)

// SaveDrift records (or refreshes) a difference found by the sync.
func (db *DB) SaveDrift(ctx context.Context, d *backend.Drift) error {
	if d.FoundAt.IsZero() {
		d.FoundAt = db.Now()
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO drifts (payment_id, found_at, our_state, gateway_state, our_amount,
		gateway_amount, raw_status, detail) VALUES (?,?,?,?,?,?,?,?)
		ON CONFLICT (payment_id) DO UPDATE SET our_state = excluded.our_state, gateway_state = excluded.gateway_state,
		our_amount = excluded.our_amount, gateway_amount = excluded.gateway_amount, raw_status = excluded.raw_status,
		detail = excluded.detail`, d.PaymentID, ms(d.FoundAt), string(d.OurState), string(d.GatewayState), d.OurAmount,
		d.GatewayAmount, d.RawStatus, d.Detail)
	return err
}

// DeleteDrift forgets a difference (fixed, or gone).
func (db *DB) DeleteDrift(ctx context.Context, paymentID int64) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM drifts WHERE payment_id = ?`, paymentID)
	return err
}

// Drifts lists the differences, oldest first.
func (db *DB) Drifts(ctx context.Context) ([]backend.Drift, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT d.payment_id, p.order_id, o.order_no, o.customer_name, p.gateway, d.found_at,
		d.our_state, d.gateway_state, d.our_amount, d.gateway_amount, d.raw_status, d.detail
		FROM drifts d JOIN payments p ON p.id = d.payment_id JOIN orders o ON o.id = p.order_id ORDER BY d.found_at, d.payment_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.Drift
	for rows.Next() {
		var d backend.Drift
		var gw, ours, theirs string
		var found int64
		if err := rows.Scan(&d.PaymentID, &d.OrderID, &d.OrderNo, &d.CustomerName, &gw, &found, &ours, &theirs, &d.OurAmount,
			&d.GatewayAmount, &d.RawStatus, &d.Detail); err != nil {
			return nil, err
		}
		d.Gateway, d.OurState, d.GatewayState, d.FoundAt = backend.GatewayKind(gw), backend.PaymentState(ours), backend.PaymentState(theirs), fromMS(found)
		out = append(out, d)
	}
	return out, rows.Err()
}

// SyncStatus returns the sync's view of a profile (zero values when never synced).
func (db *DB) SyncStatus(ctx context.Context, profileID int64) (*backend.SyncStatus, error) {
	s := &backend.SyncStatus{ProfileID: profileID}
	var last, attempt, offline, next int64
	err := db.read.QueryRowContext(ctx, `SELECT last_success, last_attempt, offline_since, failures, next_attempt, last_error, cursor
		FROM sync_status WHERE profile_id = ?`, profileID).Scan(&last, &attempt, &offline, &s.Failures, &next, &s.LastError, &s.Cursor)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	s.LastSuccess, s.LastAttempt, s.OfflineSince, s.NextAttempt = fromMS(last), fromMS(attempt), fromMS(offline), fromMS(next)
	return s, nil
}

// SaveSyncStatus stores the sync's view of a profile.
func (db *DB) SaveSyncStatus(ctx context.Context, s *backend.SyncStatus) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO sync_status (profile_id, last_success, last_attempt, offline_since, failures,
		next_attempt, last_error, cursor) VALUES (?,?,?,?,?,?,?,?)
		ON CONFLICT (profile_id) DO UPDATE SET last_success = excluded.last_success, last_attempt = excluded.last_attempt,
		offline_since = excluded.offline_since, failures = excluded.failures, next_attempt = excluded.next_attempt,
		last_error = excluded.last_error, cursor = excluded.cursor`, s.ProfileID, ms(s.LastSuccess), ms(s.LastAttempt),
		ms(s.OfflineSince), s.Failures, ms(s.NextAttempt), s.LastError, s.Cursor)
	return err
}
