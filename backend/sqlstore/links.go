package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"kessaidesk/backend"
)

// Linking orders to their gateway transactions: the reads (the link service's queue,
// 未連携, 受注詳細's panel) and a look-up's outcome (SaveLinkState). Queueing orders and
// attaching a payment stay with SQLite's store for now (backend/sqlite/links.go: its
// queue statement reads a VALUES list by SQLite's column names).

// NeedsLink is the condition on orders o that must be tied to a gateway transaction: a
// gateway payment method, no payment yet, not cancelled, not the demo shop's.
const NeedsLink = `o.payment_method IN ('card', 'konbini', 'payeasy', 'netbank') AND o.payment_id IS NULL
	AND o.status <> 'cancelled' AND o.source <> 'demo'`

const linkColumns = `l.order_id, o.order_no, o.customer_name, o.payment_method, o.total, o.ordered_at, l.status, l.profile_id,
	l.gateway_order_id, l.hint_tran_id, l.hint_tran_pass, l.hint_profile_id, l.reason, l.reason_en, l.candidates, l.updated_at,
	p.id IS NOT NULL, COALESCE(p.link_rule, '')`

// linkFrom reads the links first (on SQLite CROSS JOIN, Dialect.CrossJoin): a list of
// links costs what it holds, never a walk of the orders in date order looking for the
// few that wait.
func (d *Dialect) linkFrom() string {
	return ` FROM order_links l` + d.CrossJoin() + `orders o ON o.id = l.order_id LEFT JOIN gateway_profiles p ON p.id = l.profile_id`
}

func scanLink(sc interface{ Scan(...any) error }) (*backend.OrderLink, error) {
	l := &backend.OrderLink{}
	var method, status, candidates, rule string
	var ordered, updated int64
	var hasProfile bool
	err := sc.Scan(&l.OrderID, &l.OrderNo, &l.CustomerName, &method, &l.Total, &ordered, &status, &l.ProfileID,
		&l.Hint.GatewayOrderID, &l.Hint.GatewayTranID, &l.Hint.GatewayTranPass, &l.HintProfileID, &l.Reason, &l.ReasonEn,
		&candidates, &updated, &hasProfile, &rule)
	if err != nil {
		return nil, err
	}
	l.Method, l.Status = backend.PaymentMethod(method), backend.LinkStatus(status)
	l.OrderedAt, l.UpdatedAt = fromMS(ordered), fromMS(updated)
	if candidates != "" {
		if err := json.Unmarshal([]byte(candidates), &l.Candidates); err != nil {
			return nil, fmt.Errorf("order %d: link candidates: %w", l.OrderID, err)
		}
	}
	// The id asked for: the one the import gave, else the one the profile's rule forms.
	l.GatewayOrderID = l.Hint.GatewayOrderID
	if l.GatewayOrderID == "" && hasProfile {
		var r backend.LinkRule
		if rule == "" || json.Unmarshal([]byte(rule), &r) == nil {
			l.GatewayOrderID = r.GatewayID(l.OrderNo)
		}
	}
	return l, nil
}

func (db *Core) queryLinks(ctx context.Context, q string, args ...any) ([]backend.OrderLink, error) {
	rows, err := db.Read().Query(ctx, `SELECT `+linkColumns+db.d.linkFrom()+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.OrderLink
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *l)
	}
	return out, rows.Err()
}

// PendingLinks returns up to limit orders waiting for a run (pending, or failed last
// time), least recently tried first. Orders that no longer need a link are skipped.
func (db *Core) PendingLinks(ctx context.Context, limit int) ([]backend.OrderLink, error) {
	if limit <= 0 {
		limit = 100
	}
	return db.queryLinks(ctx, ` WHERE l.status IN ('pending', 'failed') AND `+NeedsLink+` ORDER BY l.updated_at, l.order_id LIMIT ?`, limit)
}

// CountPendingLinks counts the orders the next link run picks up (at every start: read
// from the links' status index, CROSS JOIN, never by walking the orders).
func (db *Core) CountPendingLinks(ctx context.Context) (int, error) {
	var n int
	err := db.Read().Row(ctx, `SELECT count(*) FROM order_links l`+db.d.CrossJoin()+`orders o ON o.id = l.order_id
		WHERE l.status IN ('pending', 'failed') AND `+NeedsLink).Scan(&n)
	return n, err
}

// Unlinked lists the 未連携 work list: orders that still need a payment and were looked
// up without success or wait for the next run (every status but linked), newest orders first.
func (db *Core) Unlinked(ctx context.Context, limit int) ([]backend.OrderLink, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	// Every status but linked, as two ranges of order_links_status (linked ones are most).
	return db.queryLinks(ctx, ` WHERE (l.status < 'linked' OR l.status > 'linked') AND `+NeedsLink+` ORDER BY o.ordered_at DESC, o.id DESC LIMIT ?`, limit)
}

// LinkState returns where linking an order stands; ENOTFOUND when it was never queued.
func (db *Core) LinkState(ctx context.Context, orderID int64) (*backend.OrderLink, error) {
	l, err := scanLink(db.Read().Row(ctx, `SELECT `+linkColumns+db.d.linkFrom()+` WHERE l.order_id = ?`, orderID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENOTFOUND, "受注 (ID %d) の連携状況はまだありません", "order %d has no link state yet", orderID)
	}
	return l, err
}

// linkStatuses are the statuses a row may hold.
var linkStatuses = map[backend.LinkStatus]bool{backend.LinkPending: true, backend.LinkLinked: true, backend.LinkNotFound: true,
	backend.LinkAmbiguous: true, backend.LinkNoProfile: true, backend.LinkConsoleOnly: true, backend.LinkFailed: true}

// SaveLinkState records the outcome of looking an order up. The ids an import gave are
// kept. A linked order is never taken back to another status.
func (db *Core) SaveLinkState(ctx context.Context, l *backend.OrderLink) error {
	if !linkStatuses[l.Status] {
		return backend.Errorf(backend.EINVALID, "連携状況「%s」は使えません", "unknown link status %q", l.Status)
	}
	cand, err := candidatesJSON(l.Candidates)
	if err != nil {
		return err
	}
	l.UpdatedAt = db.now()
	return db.InTx(ctx, func(tx Q) error {
		_, err := tx.Exec(ctx, `INSERT INTO order_links (order_id, status, profile_id, reason, reason_en, candidates, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, profile_id = excluded.profile_id, reason = excluded.reason,
				reason_en = excluded.reason_en, candidates = excluded.candidates, updated_at = excluded.updated_at
			WHERE order_links.status <> 'linked' OR excluded.status = 'linked'`,
			l.OrderID, string(l.Status), l.ProfileID, l.Reason, l.ReasonEn, cand, ms(l.UpdatedAt))
		if db.d.ForeignKeyViolation != nil && db.d.ForeignKeyViolation(err) {
			return backend.Errorf(backend.ENOTFOUND, "受注 (ID %d) は見つかりません", "order %d was not found", l.OrderID)
		}
		return err
	})
}

// candidatesJSON stores the candidates without their passwords: choosing one asks the
// gateway again, which returns the password with the transaction.
func candidatesJSON(cs []backend.Transaction) (string, error) {
	if len(cs) == 0 {
		return "", nil
	}
	out := make([]backend.Transaction, len(cs))
	for i, c := range cs {
		c.GatewayTranPass = ""
		out[i] = c
	}
	b, err := json.Marshal(out)
	return string(b), err
}
