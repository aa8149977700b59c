package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"kessaidesk/backend"
)

// Linking orders to their gateway transactions (backend.LinkStore): the reads (the
// link service's queue, 未連携, 受注詳細's panel), queueing orders, a look-up's outcome
// and attaching the payment found. Queueing orders with the ids a file carried stays
// with SQLite's store (backend/sqlite/links.go: the importer's statement reads a
// VALUES list by SQLite's column names).

var _ backend.LinkStore = (*Core)(nil)

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

// QueueLinks marks orders that need a payment as pending for the next link run: every
// such order when orderIDs is empty — except those waiting for the operator to choose
// between candidates (LinkAmbiguous), whose candidates may have come from a console
// CSV that a run cannot read again; naming an order re-queues it whatever its state.
// A row already there keeps the ids an import gave (its hint) and loses its last
// outcome. Orders that need no link are left alone. (queueLink, the importer's
// writer, replaces the hint; a re-queue must not.)
func (db *Core) QueueLinks(ctx context.Context, orderIDs []int64) (int, error) {
	const q = `INSERT INTO order_links (order_id, status, updated_at)
		SELECT o.id, 'pending', CAST(? AS BIGINT) FROM orders o WHERE ` + NeedsLink + `%s
		ON CONFLICT (order_id) DO UPDATE SET status = 'pending', reason = '', reason_en = '', candidates = '',
			updated_at = excluded.updated_at`
	n := 0
	err := db.InTx(ctx, func(tx Q) error {
		n = 0 // a retried transaction counts again
		now := ms(db.now())
		run := func(cond string, args ...any) error {
			res, err := tx.Exec(ctx, fmt.Sprintf(q, cond), append([]any{now}, args...)...)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			n += int(k)
			return err
		}
		if len(orderIDs) == 0 {
			return run(" AND NOT EXISTS (SELECT 1 FROM order_links a WHERE a.order_id = o.id AND a.status = 'ambiguous')")
		}
		for start := 0; start < len(orderIDs); start += 500 {
			chunk := orderIDs[start:min(start+500, len(orderIDs))]
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			if err := run(" AND o.id IN ("+placeholders(len(chunk))+")", args...); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// AttachPayment saves p as the order's payment and marks the order linked, with an
// order event, in one transaction. It refuses (ECONFLICT) when the order already has a
// payment, or when the gateway transaction (its profile with its gateway order id or
// transaction id) is already another order's payment, naming that order.
func (db *Core) AttachPayment(ctx context.Context, p *backend.Payment, actor string) error {
	if p.ID != 0 || p.OrderID == 0 {
		return backend.Errorf(backend.EINVALID, "連携する決済が正しくありません", "the payment to attach is not a new payment of an order")
	}
	return db.InTx(ctx, func(tx Q) error {
		now := db.now()
		var orderNo string
		var payments int
		err := tx.Row(ctx, `SELECT o.order_no, (SELECT count(*) FROM payments WHERE order_id = o.id)
			FROM orders o WHERE o.id = ?`, p.OrderID).Scan(&orderNo, &payments)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENOTFOUND, "受注 (ID %d) は見つかりません", "order %d was not found", p.OrderID)
		}
		if err != nil {
			return err
		}
		if payments > 0 {
			return backend.Errorf(backend.ECONFLICT, "受注 %s には既に決済があります", "order %s already has a payment", orderNo)
		}
		var other string
		err = tx.Row(ctx, `SELECT o.order_no FROM payments p JOIN orders o ON o.id = p.order_id
			WHERE COALESCE(p.profile_id, 0) = ? AND ((p.gw_order_id = ? AND ? <> '') OR (p.gw_tran_id = ? AND ? <> '')) LIMIT 1`,
			p.ProfileID, p.GatewayOrderID, p.GatewayOrderID, p.GatewayTranID, p.GatewayTranID).Scan(&other)
		switch {
		case err == nil:
			return backend.Errorf(backend.ECONFLICT, "この取引（%s）は受注 %s の決済として登録済みです", "this transaction (%s) is already the payment of order %s",
				transactionName(p), other)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if err := WritePayment(ctx, tx, p, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO order_links (order_id, status, profile_id, updated_at) VALUES (?, 'linked', ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET status = 'linked', profile_id = excluded.profile_id, reason = '', reason_en = '',
				candidates = '', updated_at = excluded.updated_at`, p.OrderID, p.ProfileID, ms(now)); err != nil {
			return err
		}
		return InsertEvent(ctx, tx, p.OrderID, backend.OrderEvent{At: now, Actor: actor, PC: db.pc, Kind: "note", Detail: linkEventDetail(p),
			DetailEn: linkEventDetailEn(p)})
	})
}

// idWords are each gateway's words for its two ids (order, transaction), in Japanese
// and in English.
var idWords = map[backend.GatewayKind][2][2]string{
	backend.GatewayGMO:     {{"オーダーID", "取引ID"}, {"order ID", "transaction ID"}},
	backend.GatewaySGP:     {{"オーダーID", "取引ID"}, {"order ID", "transaction ID"}},
	backend.GatewaySBPS:    {{"購入ID", "トラッキングID"}, {"purchase ID", "tracking ID"}},
	backend.GatewayPaygent: {{"取引ID", "決済ID"}, {"transaction ID", "payment ID"}},
}

// transactionName names a payment's transaction by the gateway's words for its ids.
func transactionName(p *backend.Payment) string {
	return nameTransaction(p, 0, p.Gateway.Label(), "・")
}

// transactionNameEn is transactionName in English.
func transactionNameEn(p *backend.Payment) string {
	return nameTransaction(p, 1, p.Gateway.LabelEn(), ", ")
}

func nameTransaction(p *backend.Payment, lang int, gateway, sep string) string {
	names := idWords[p.Gateway][lang]
	var parts []string
	if p.GatewayOrderID != "" {
		parts = append(parts, names[0]+" "+p.GatewayOrderID)
	}
	if p.GatewayTranID != "" {
		parts = append(parts, names[1]+" "+p.GatewayTranID)
	}
	return gateway + " " + strings.Join(parts, sep)
}

// linkEventDetailEn is linkEventDetail in English.
func linkEventDetailEn(p *backend.Payment) string {
	s := "Payment linked (" + transactionNameEn(p) + "; " + p.State.LabelEn()
	if p.AmountAuthorized > 0 {
		s += " " + p.AmountAuthorized.En()
	}
	if p.Tax > 0 {
		s += ", of which tax and shipping " + p.Tax.En()
	}
	s += ")"
	if (p.State == backend.StateAuthorized || p.State == backend.StateCaptureFailed) && p.AuthExpiresAt.IsZero() {
		s += ". The gateway's answer has no authorisation date, so the authorisation's expiry is unknown"
	}
	if p.Gateway == backend.GatewaySBPS {
		s += ". SBPS's inquiry gives no amount: the amount is the transaction CSV's or the one entered"
	}
	return s
}

// linkEventDetail is the order event of a linked payment: what was linked, in which
// state, and what the gateway could not say.
func linkEventDetail(p *backend.Payment) string {
	s := "決済を連携しました（" + transactionName(p) + "、" + p.State.Label()
	if p.AmountAuthorized > 0 {
		s += " " + p.AmountAuthorized.String()
	}
	if p.Tax > 0 {
		s += "（うち税送料 " + p.Tax.String() + "）"
	}
	s += "）"
	if (p.State == backend.StateAuthorized || p.State == backend.StateCaptureFailed) && p.AuthExpiresAt.IsZero() {
		s += "。ゲートウェイの応答に与信日がないため、与信の有効期限は不明です"
	}
	if p.Gateway == backend.GatewaySBPS {
		s += "。SBPSの照会には金額がないため、金額は取引CSVまたは入力された金額です"
	}
	return s
}
