package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

// needsLink is sqlstore's: the orders that must be tied to a gateway transaction.
const needsLink = sqlstore.NeedsLink

// queueLink marks one order as waiting for the next link run, with the ids an import's
// gateway columns carried (empty when none). An order already linked is left alone.
// It is the one writer of pending rows, for the importer and the link service alike.
func queueLink(ctx context.Context, tx *sql.Tx, orderID int64, hint backend.TransactionIDs, hintProfile int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, queueLinksSQL(1), queueLinkArgs(orderID, hint, hintProfile, now)...)
	return err
}

// queueLinksSQL is queueLink's statement for n orders, each with its queueLinkArgs: an
// import queues its orders hundreds at a time (one statement and one statement journal
// for them all; CROSS JOIN keeps the plan to one rowid look-up per order).
func queueLinksSQL(n int) string {
	return `INSERT INTO order_links (order_id, status, gateway_order_id, hint_tran_id, hint_tran_pass,
			hint_profile_id, updated_at)
		SELECT o.id, 'pending', v.column1, v.column2, v.column3, v.column4, v.column5
		FROM (VALUES ` + strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?),", n), ",") + `) v
		CROSS JOIN orders o WHERE o.id = v.column6 AND ` + needsLink + `
		ON CONFLICT (order_id) DO UPDATE SET status = 'pending', reason = '', reason_en = '', candidates = '',
			gateway_order_id = excluded.gateway_order_id, hint_tran_id = excluded.hint_tran_id,
			hint_tran_pass = excluded.hint_tran_pass, hint_profile_id = excluded.hint_profile_id,
			updated_at = excluded.updated_at
		WHERE order_links.status <> 'linked'`
}

func queueLinkArgs(orderID int64, hint backend.TransactionIDs, hintProfile int64, now time.Time) []any {
	return []any{hint.GatewayOrderID, hint.GatewayTranID, hint.GatewayTranPass, hintProfile, ms(now), orderID}
}

// QueueLinks marks orders that need a payment as pending for the next link run: every
// such order when orderIDs is empty — except those waiting for the operator to choose
// between candidates (LinkAmbiguous), whose candidates may have come from a console
// CSV that a run cannot read again; naming an order re-queues it whatever its state.
// A row already there keeps the ids an import gave (its hint) and loses its last
// outcome. Orders that need no link are left alone. (queueLink, the importer's
// writer, replaces the hint; a re-queue must not.)
func (db *DB) QueueLinks(ctx context.Context, orderIDs []int64) (int, error) {
	const q = `INSERT INTO order_links (order_id, status, updated_at)
		SELECT o.id, 'pending', ? FROM orders o WHERE ` + needsLink + `%s
		ON CONFLICT (order_id) DO UPDATE SET status = 'pending', reason = '', reason_en = '', candidates = '',
			updated_at = excluded.updated_at`
	n := 0
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		now := ms(db.Now())
		run := func(cond string, args ...any) error {
			res, err := tx.ExecContext(ctx, fmt.Sprintf(q, cond), append([]any{now}, args...)...)
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

// QueueLinkHint queues one order with ids that a file carried (an import's gateway
// columns, a console CSV row whose check could not be made), for the next run to check
// with the gateway.
func (db *DB) QueueLinkHint(ctx context.Context, orderID int64, hint backend.TransactionIDs, hintProfile int64) error {
	return db.withTx(ctx, func(tx *sql.Tx) error { return queueLink(ctx, tx, orderID, hint, hintProfile, db.Now()) })
}

// AttachPayment saves p as the order's payment and marks the order linked, with an
// order event, in one transaction. It refuses (ECONFLICT) when the order already has a
// payment, or when the gateway transaction (its profile with its gateway order id or
// transaction id) is already another order's payment, naming that order.
func (db *DB) AttachPayment(ctx context.Context, p *backend.Payment, actor string) error {
	if p.ID != 0 || p.OrderID == 0 {
		return backend.Errorf(backend.EINVALID, "連携する決済が正しくありません", "the payment to attach is not a new payment of an order")
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		var orderNo string
		var payments int
		err := tx.QueryRowContext(ctx, `SELECT o.order_no, (SELECT count(*) FROM payments WHERE order_id = o.id)
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
		err = tx.QueryRowContext(ctx, `SELECT o.order_no FROM payments p JOIN orders o ON o.id = p.order_id
			WHERE ifnull(p.profile_id, 0) = ? AND ((p.gw_order_id = ? AND ? <> '') OR (p.gw_tran_id = ? AND ? <> '')) LIMIT 1`,
			p.ProfileID, p.GatewayOrderID, p.GatewayOrderID, p.GatewayTranID, p.GatewayTranID).Scan(&other)
		switch {
		case err == nil:
			return backend.Errorf(backend.ECONFLICT, "この取引（%s）は受注 %s の決済として登録済みです", "this transaction (%s) is already the payment of order %s",
				transactionName(p), other)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if err := savePayment(ctx, tx, p, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_links (order_id, status, profile_id, updated_at) VALUES (?, 'linked', ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET status = 'linked', profile_id = excluded.profile_id, reason = '', reason_en = '',
				candidates = '', updated_at = excluded.updated_at`, p.OrderID, p.ProfileID, ms(now)); err != nil {
			return err
		}
		return sqlstore.InsertEvent(ctx, dialect.On(tx), p.OrderID, backend.OrderEvent{At: now, Actor: actor, PC: db.PC(), Kind: "note", Detail: linkEventDetail(p)})
	})
}

// transactionName names a payment's transaction by the gateway's words for its ids.
func transactionName(p *backend.Payment) string {
	names := map[backend.GatewayKind][2]string{
		backend.GatewayGMO:     {"オーダーID", "取引ID"},
		backend.GatewaySGP:     {"オーダーID", "取引ID"},
		backend.GatewaySBPS:    {"購入ID", "トラッキングID"},
		backend.GatewayPaygent: {"取引ID", "決済ID"},
	}[p.Gateway]
	var parts []string
	if p.GatewayOrderID != "" {
		parts = append(parts, names[0]+" "+p.GatewayOrderID)
	}
	if p.GatewayTranID != "" {
		parts = append(parts, names[1]+" "+p.GatewayTranID)
	}
	return p.Gateway.Label() + " " + strings.Join(parts, "・")
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

func isForeignKeyViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}

var _ backend.LinkStore = (*DB)(nil)
