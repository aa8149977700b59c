package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"kessaidesk/backend"
)

// What an order import (backend.ImportTx) does the same way on both engines: telling
// when an order's amounts belong to its payment, the import's events, and queueing the
// saved orders for linking with the ids the file carried. How the orders are written
// is each engine's own (SQLite: one driver statement per row on a writer goroutine;
// PostgreSQL: a batch of orders per statement).

// MovedColumns are three columns, over orders o, that say whether money moved on the
// order's payment (or may be moving): the payment's state when it holds money
// (captured, refunded, deposited…), the kind of a succeeded operation that changed
// what it holds, and whether an operation is in flight. Scan them, then MoneyMoved.
const MovedColumns = `COALESCE((SELECT p.state FROM payments p WHERE p.order_id = o.id AND (p.state IN
			('captured', 'partially_refunded', 'refunded', 'deposited', 'subscription_reported')
			OR p.amount_captured > 0 OR p.amount_refunded > 0) LIMIT 1), ''),
		COALESCE((SELECT op.kind FROM operations op JOIN payments p ON p.id = op.payment_id
			WHERE p.order_id = o.id AND op.state = 'succeeded' AND op.kind IN
			('capture', 'change_amount', 'refund', 'partial_refund', 'return', 'returnx', 'reauth') LIMIT 1), ''),
		EXISTS (SELECT 1 FROM operations op JOIN payments p ON p.id = op.payment_id
			WHERE p.order_id = o.id AND op.state IN ` + UnresolvedStates + `)`

// MoneyMoved sets t's MoneyMoved (and its English) from MovedColumns: why the order's
// amounts now belong to its payment, or nothing.
func MoneyMoved(t *backend.ImportTarget, state, kind string, inFlight bool) {
	switch {
	case inFlight:
		t.MoneyMoved, t.MoneyMovedEn = "決済の操作が処理中です", "an operation on its payment is in progress"
	case state != "":
		s := backend.PaymentState(state)
		t.MoneyMoved, t.MoneyMovedEn = "決済が「"+s.Label()+"」です", "its payment is "+strings.ToLower(s.LabelEn())
	case kind != "":
		k := backend.OpKind(kind)
		t.MoneyMoved, t.MoneyMovedEn = "決済の「"+k.Label()+"」が成功しています", "a "+strings.ToLower(k.LabelEn())+" of its payment succeeded"
	}
}

// ErrSavedAfterCheck refuses an import whose new order (number no; "" when the engine
// cannot tell which) was saved by someone else after the file was checked: nothing is
// saved.
func ErrSavedAfterCheck(no string) error {
	if no == "" {
		return backend.Errorf(backend.ECONFLICT, "取り込む受注が確認の後に別の操作で保存されています。何も保存していません。もう一度確認してください",
			"an order of the file was saved elsewhere after the check; nothing was saved. Check the file again")
	}
	return backend.Errorf(backend.ECONFLICT, "注文番号 %s の受注が確認の後に保存されています。何も保存していません。もう一度確認してください",
		"order %s was saved after the check; nothing was saved. Check the file again", no)
}

// ImportEventSQL records an import's event: order_id, at, actor, pc, detail, detail_en.
const ImportEventSQL = `INSERT INTO order_events (order_id, at, actor, pc, kind, detail, detail_en) VALUES (?, ?, ?, ?, 'import', ?, ?)`

// NoteImport records an import's event on an order the import does not save (a
// conflict), unless the order's last import event says it already (perhaps with the
// changes applied then): an unchanged file imported again writes nothing.
func NoteImport(ctx context.Context, tx Q, orderID int64, s backend.ImportSave, pc string) error {
	var last string
	err := tx.Row(ctx, `SELECT detail FROM order_events WHERE order_id = ? AND kind = 'import' ORDER BY id DESC LIMIT 1`, orderID).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if strings.HasPrefix(last, s.Event) {
		return nil
	}
	_, err = tx.Exec(ctx, ImportEventSQL, orderID, ms(s.At), s.Actor, pc, s.Event, s.EventEn)
	return err
}

// LinkHint is a saved order to queue for the next link run, with the gateway ids its
// file carried (none: the run decides by the profile's rule).
type LinkHint struct {
	OrderID   int64
	IDs       backend.TransactionIDs
	ProfileID int64
	At        time.Time
}

// MayNeedLink spares the link queue the orders that plainly need no gateway
// transaction (QueueLinkHints decides by NeedsLink).
func MayNeedLink(o *backend.Order) bool {
	return o.PaymentMethod != backend.MethodOther && o.Status != backend.OrderCancelled && o.Source != "demo"
}

// linkHintsPerStatement bounds queueLinksSQL's batches (6 parameters an order).
const linkHintsPerStatement = 500

// QueueLinkHints marks orders as waiting for the next link run, with the ids their file
// carried (replacing the ids an earlier import gave), hundreds at a time: one statement
// for them all, prepared once for the full batches. An order already linked, or that
// needs no link (NeedsLink), is left alone. It is the one writer of a hint, for the
// importer and the link service alike.
func QueueLinkHints(ctx context.Context, tx Q, hints []LinkHint) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for start := 0; start < len(hints); start += linkHintsPerStatement {
		batch := hints[start:min(start+linkHintsPerStatement, len(hints))]
		args := make([]any, 0, 6*len(batch))
		for _, h := range batch {
			args = append(args, h.IDs.GatewayOrderID, h.IDs.GatewayTranID, h.IDs.GatewayTranPass, h.ProfileID, ms(h.At), h.OrderID)
		}
		var err error
		if len(batch) < linkHintsPerStatement {
			_, err = tx.Exec(ctx, tx.d.queueLinksSQL(len(batch)), args...)
		} else {
			if full == nil {
				if full, err = tx.Prepare(ctx, tx.d.queueLinksSQL(linkHintsPerStatement)); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// queueLinksSQL is QueueLinkHints' statement for n orders. The VALUES list's columns
// are column1… on both engines; each is cast, so that PostgreSQL knows the types of
// the parameters. On SQLite the CROSS JOIN keeps the plan to one rowid look-up an order.
func (d *Dialect) queueLinksSQL(n int) string {
	const row = `(CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)),`
	return `INSERT INTO order_links (order_id, status, gateway_order_id, hint_tran_id, hint_tran_pass,
			hint_profile_id, updated_at)
		SELECT o.id, 'pending', v.column1, v.column2, v.column3, v.column4, v.column5
		FROM (VALUES ` + strings.TrimSuffix(strings.Repeat(row, n), ",") + `) v` + d.CrossJoin() + `orders o ON o.id = v.column6
		WHERE ` + NeedsLink + `
		ON CONFLICT (order_id) DO UPDATE SET status = 'pending', reason = '', reason_en = '', candidates = '',
			gateway_order_id = excluded.gateway_order_id, hint_tran_id = excluded.hint_tran_id,
			hint_tran_pass = excluded.hint_tran_pass, hint_profile_id = excluded.hint_profile_id,
			updated_at = excluded.updated_at
		WHERE order_links.status <> 'linked'`
}

// QueueLinkHint queues one order with ids that a file carried (an import's gateway
// columns, a console CSV row whose check could not be made), for the next run to check
// with the gateway.
func (db *Core) QueueLinkHint(ctx context.Context, orderID int64, hint backend.TransactionIDs, hintProfile int64) error {
	return db.InTx(ctx, func(tx Q) error {
		return QueueLinkHints(ctx, tx, []LinkHint{{OrderID: orderID, IDs: hint, ProfileID: hintProfile, At: db.now()}})
	})
}
