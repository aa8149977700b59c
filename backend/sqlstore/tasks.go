package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"kessaidesk/backend"
)

// ApplyOrderChange changes an order without a gateway call, with its side effects, in
// one transaction.
func (db *Core) ApplyOrderChange(ctx context.Context, c *backend.OrderChange) error {
	now := db.now()
	return db.InTx(ctx, func(tx Q) error {
		if c.Status != "" {
			if err := setOrderStatus(ctx, tx, c.OrderID, c.Status, c.Actor, db.pc, now); err != nil {
				return err
			}
		}
		if c.Note != "" {
			if err := InsertEvent(ctx, tx, c.OrderID, backend.OrderEvent{At: now, Actor: c.Actor, PC: db.pc, Kind: "note", Detail: c.Note, DetailEn: c.NoteEn}); err != nil {
				return err
			}
		}
		return orderSideEffects(ctx, tx, c.OrderID, c.CancelStock, c.RefundTask, now)
	})
}

// orderSideEffects fills the キャンセル在庫 list and records a 要返金(口座) task.
func orderSideEffects(ctx context.Context, tx Q, orderID int64, cancelStock bool, task *backend.RefundTask, now time.Time) error {
	if cancelStock {
		if _, err := tx.Exec(ctx, `INSERT INTO cancel_stock (order_item_id, order_id, status, created_at)
			SELECT id, order_id, 'pending', CAST(? AS BIGINT) FROM order_items WHERE order_id = ?
			ON CONFLICT (order_item_id) DO NOTHING`, ms(now), orderID); err != nil {
			return err
		}
	}
	if task != nil {
		var payment any
		if task.PaymentID != 0 {
			payment = task.PaymentID
		}
		task.OrderID, task.Status, task.CreatedAt = orderID, "open", now
		id, err := tx.ID(ctx, `INSERT INTO refund_tasks (order_id, payment_id, amount, reason, reason_en, status, operator, created_at)
			VALUES (?,?,?,?,?,?,?,?)`, orderID, payment, task.Amount, task.Reason, task.ReasonEn, task.Status, task.Operator, ms(now))
		if err != nil {
			return err
		}
		task.ID = id
	}
	return nil
}

// RefundTasks lists 要返金(口座) tasks ("open", "done" or "" for all), oldest first.
func (db *Core) RefundTasks(ctx context.Context, status string) ([]backend.RefundTask, error) {
	rows, err := db.Read().Query(ctx, `SELECT t.id, t.order_id, COALESCE(t.payment_id, 0), t.amount, t.reason, t.reason_en, t.status,
		t.operator, t.created_at, t.done_at, o.order_no, o.customer_name
		FROM refund_tasks t JOIN orders o ON o.id = t.order_id
		WHERE CAST(? AS TEXT) = '' OR t.status = ? ORDER BY t.id`, status, status)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.RefundTask
	for rows.Next() {
		var t backend.RefundTask
		var created, done int64
		if err := rows.Scan(&t.ID, &t.OrderID, &t.PaymentID, &t.Amount, &t.Reason, &t.ReasonEn, &t.Status, &t.Operator, &created, &done,
			&t.OrderNo, &t.CustomerName); err != nil {
			return nil, err
		}
		t.CreatedAt, t.DoneAt = fromMS(created), fromMS(done)
		out = append(out, t)
	}
	return out, rows.Err()
}

// CompleteRefundTask marks a 要返金(口座) task as returned by bank transfer.
func (db *Core) CompleteRefundTask(ctx context.Context, id int64, actor string) error {
	now := db.now()
	return db.InTx(ctx, func(tx Q) error {
		var orderID int64
		err := tx.Row(ctx, `SELECT order_id FROM refund_tasks WHERE id = ? AND status = 'open'`, id).Scan(&orderID)
		if errors.Is(err, sql.ErrNoRows) {
			return backend.Errorf(backend.ENOTFOUND, "未対応の返金タスク (ID %d) はありません", "no open refund task %d", id)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE refund_tasks SET status = 'done', done_at = ? WHERE id = ?`, ms(now), id); err != nil {
			return err
		}
		return InsertEvent(ctx, tx, orderID, backend.OrderEvent{At: now, Actor: actor, PC: db.pc, Kind: "note", Detail: "口座への返金を完了しました",
			DetailEn: "Refunded to the customer's bank account"})
	})
}

// CancelStock lists the キャンセル受注 在庫管理 lines ("pending", "returned" or "" for all).
func (db *Core) CancelStock(ctx context.Context, status string) ([]backend.CancelStockItem, error) {
	rows, err := db.Read().Query(ctx, `SELECT c.id, c.order_id, o.order_no, o.ordered_at, i.product_code, i.product_name,
		i.variant, i.unit_price, i.quantity, c.status, c.created_at
		FROM cancel_stock c JOIN order_items i ON i.id = c.order_item_id JOIN orders o ON o.id = c.order_id
		WHERE CAST(? AS TEXT) = '' OR c.status = ? ORDER BY c.id DESC`, status, status)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.CancelStockItem
	for rows.Next() {
		var it backend.CancelStockItem
		var ordered, created int64
		if err := rows.Scan(&it.ID, &it.OrderID, &it.OrderNo, &ordered, &it.ProductCode, &it.ProductName, &it.Variant,
			&it.UnitPrice, &it.Quantity, &it.Status, &created); err != nil {
			return nil, err
		}
		it.OrderedAt, it.CreatedAt = fromMS(ordered), fromMS(created)
		out = append(out, it)
	}
	return out, rows.Err()
}

// MarkStockReturned sets lines to 在庫戻し済.
func (db *Core) MarkStockReturned(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{ms(db.now())}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := db.Write().Exec(ctx, `UPDATE cancel_stock SET status = 'returned', returned_at = ?
		WHERE status = 'pending' AND id IN (`+placeholders(len(ids))+`)`, args...)
	return err
}

// CreateBulkJob records a bulk run and its items (all queued).
func (db *Core) CreateBulkJob(ctx context.Context, job *backend.BulkJob, paymentIDs []int64) error {
	return db.CreateClaimedBulkJob(ctx, job, paymentIDs, BulkClaim{})
}

// BulkClaim is who runs a bulk job and until when, on a store several processes share
// (PostgreSQL): Owner's process renews the lease while it lives, and a job whose lease
// lapsed is a dead process's (CloseBulkJobs). The zero claim is SQLite's: one process
// owns the data folder.
type BulkClaim struct {
	Owner string
	// Until is the SQL of the lease's end in Unix ms, with one ? for LeaseMS (in the
	// server's clock: desktops' clocks differ).
	Until   string
	LeaseMS int64
}

// CreateClaimedBulkJob is CreateBulkJob with the claim recorded in the same statement:
// no other desktop ever sees the run without its owner.
func (db *Core) CreateClaimedBulkJob(ctx context.Context, job *backend.BulkJob, paymentIDs []int64, claim BulkClaim) error {
	now := db.now()
	job.State, job.CreatedAt = "running", now
	until := claim.Until
	if until == "" {
		until = "?"
	}
	return db.InTx(ctx, func(tx Q) error {
		var err error
		job.ID, err = tx.ID(ctx, `INSERT INTO bulk_jobs (intent, operator, state, created_at, claimed_by, lease_until) VALUES (?,?,?,?,?,`+until+`)`,
			job.Intent, job.Operator, job.State, ms(now), claim.Owner, claim.LeaseMS)
		if err != nil {
			return err
		}
		if err := tx.d.InsertBulkItems(ctx, tx, job.ID, paymentIDs, backend.BulkQueued, ms(now)); err != nil {
			return err
		}
		job.Total = len(paymentIDs)
		return nil
	})
}

// UpdateBulkItem records the outcome of one item of a running job. A job no longer
// running is not reopened (ErrBulkJobClosed): on a shared database another desktop
// closed it as interrupted while this one did not answer (it froze past its lease).
// Its item then follows the journal when an operation was journalled for it (opID:
// what was sent is true whoever closed the run; the outcome given is kept when the
// journal agrees), else keeps what the closing said. A recovery settling an item of a
// finished run is so recorded too (the error tells only that the run is over).
func (db *Core) UpdateBulkItem(ctx context.Context, jobID, paymentID int64, state string, opID int64, message backend.Text) error {
	var closed string // the state of a job no longer running: refused after the commit
	err := db.InTx(ctx, func(tx Q) error {
		job, err := lockBulkJob(ctx, tx, jobID)
		if err != nil || job == "" {
			return err // no such job: nothing to record, as for an item not in it
		}
		closed = ""
		if job != "running" {
			closed = job
			if opID == 0 {
				return nil
			}
			var opState string
			var journal backend.Text
			err := tx.Row(ctx, `SELECT state, message, message_en FROM operations WHERE id = ?`, opID).Scan(&opState, &journal.Ja, &journal.En)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if fromJournal := bulkItemState(backend.OpState(opState)); err == nil && fromJournal != state {
				state, message = fromJournal, journal
			}
		}
		_, err = tx.Exec(ctx, `UPDATE bulk_items SET state = ?, operation_id = CASE WHEN CAST(? AS BIGINT) = 0 THEN operation_id ELSE CAST(? AS BIGINT) END,
			message = ?, message_en = ?, updated_at = ? WHERE job_id = ? AND payment_id = ?`, state, opID, opID, message.Ja, message.En, ms(db.now()), jobID, paymentID)
		return err
	})
	if err == nil && closed != "" {
		return bulkJobClosed(closed)
	}
	return err
}

// lockBulkJob reads a job's state, its row locked until the transaction ends (on
// PostgreSQL: a desktop closing the job and one recording its items take turns); ""
// when there is no such job.
func lockBulkJob(ctx context.Context, tx Q, jobID int64) (string, error) {
	var state string
	err := tx.Row(ctx, `SELECT state FROM bulk_jobs WHERE id = ?`+tx.d.ForUpdate, jobID).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return state, err
}

// bulkItemState is the item state an operation's journal state gives (CloseQueuedItems).
func bulkItemState(s backend.OpState) string {
	switch s {
	case backend.OpSucceeded:
		return backend.BulkSucceeded
	case backend.OpFailed:
		return backend.BulkFailed
	}
	return backend.BulkUnknown
}

// bulkJobClosed refuses a change to a run that is no longer running (its state).
func bulkJobClosed(state string) error {
	return &backend.Error{Code: backend.ECONFLICT, Err: backend.ErrBulkJobClosed,
		Message: "この一括処理は既に終わっています（" + bulkJobStateJa(state) + "）。このパソコンが応答しない間に、別のパソコンが中断として閉じた可能性があります。" +
			"送信した操作は操作履歴のとおりで、結果の記録は変えていません",
		MessageEn: "this bulk run is no longer running (" + state + "): another desktop may have closed it as interrupted while this one did not answer. " +
			"What was sent is in the journal; the run's record is left as it was"}
}

func bulkJobStateJa(state string) string {
	switch state {
	case "finished":
		return "完了"
	case "cancelled":
		return "中止"
	}
	return state
}

// FinishBulkJob closes a running job; items still queued follow the journal if an
// operation was journalled for them, else become cancelled (never sent). A job no
// longer running — closed by another desktop as interrupted — is left as it was
// (ErrBulkJobClosed): its items say what that closing found.
func (db *Core) FinishBulkJob(ctx context.Context, jobID int64, state string) error {
	now := db.now()
	return db.InTx(ctx, func(tx Q) error {
		job, err := lockBulkJob(ctx, tx, jobID)
		if err != nil || job == "" {
			return err
		}
		if job != "running" {
			return bulkJobClosed(job)
		}
		if err := CloseQueuedItems(ctx, tx, `job_id = ?`, jobID, backend.Text{Ja: "一括処理が中止されたため送信していません",
			En: "not sent: the bulk run was stopped"}, now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE bulk_jobs SET state = ?, finished_at = ? WHERE id = ?`, state, ms(now), jobID)
		return err
	})
}

// CloseBulkJobs closes the running jobs that lapsed selects (with its args; "" = every
// running job): the runs
// of a process that quit or died mid-run. Their items never sent become cancelled, so
// nothing stays 未送信 for ever; an item whose operation was journalled follows the
// journal (CloseQueuedItems). Each job is taken first (its state set, the row locked
// on PostgreSQL), so that two desktops closing at once close it once, and a renewal
// that comes late finds it closed.
func (db *Core) CloseBulkJobs(ctx context.Context, lapsed string, args ...any) (int, error) {
	return db.CloseBulkJobsSaying(ctx, backend.Text{Ja: "アプリの終了で一括処理が中断されたため送信していません",
		En: "not sent: the app closed while the bulk run was under way"}, lapsed, args...)
}

// CloseBulkJobsSaying is CloseBulkJobs with notSent as the message of the items never
// sent (what happened to the run, in the words that fit the store).
func (db *Core) CloseBulkJobsSaying(ctx context.Context, notSent backend.Text, lapsed string, args ...any) (int, error) {
	now := db.now()
	n := 0
	if lapsed != "" {
		lapsed = " AND " + lapsed
	}
	err := db.InTx(ctx, func(tx Q) error {
		rows, err := tx.Query(ctx, `UPDATE bulk_jobs SET state = 'cancelled', finished_at = ? WHERE state = 'running'`+lapsed+` RETURNING id`,
			append([]any{ms(now)}, args...)...)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		n = len(ids)
		for _, id := range ids {
			if err := CloseQueuedItems(ctx, tx, `job_id = ?`, id, notSent, now); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// CloseQueuedItems explains the queued items of the jobs jobs selects (with jobArg,
// its argument, if not nil). One whose
// operation was journalled (sent, or decided) follows the journal, even though its own
// row was never updated (a crash, a full disk); the start-up recovery settles the
// operations still unknown. The rest were never sent.
func CloseQueuedItems(ctx context.Context, tx Q, jobs string, jobArg any, notSent backend.Text, now time.Time) error {
	const latest = `FROM operations op WHERE op.bulk_job_id = bulk_items.job_id AND op.payment_id = bulk_items.payment_id ORDER BY op.id DESC LIMIT 1`
	args := func(a ...any) []any {
		if jobArg != nil {
			a = append(a, jobArg)
		}
		return a
	}
	if _, err := tx.Exec(ctx, `UPDATE bulk_items SET
			operation_id = (SELECT op.id `+latest+`),
			state = (SELECT CASE op.state WHEN 'succeeded' THEN 'succeeded' WHEN 'failed' THEN 'failed' ELSE 'unknown' END `+latest+`),
			message = (SELECT op.message `+latest+`),
			message_en = (SELECT op.message_en `+latest+`),
			updated_at = ?
		WHERE state = ? AND EXISTS (SELECT 1 `+latest+`) AND `+jobs, args(ms(now), backend.BulkQueued)...); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE bulk_items SET state = ?, message = ?, message_en = ?, updated_at = ? WHERE state = ? AND `+jobs,
		args(backend.BulkCancelled, notSent.Ja, notSent.En, ms(now), backend.BulkQueued)...)
	return err
}

// BulkJobByID returns a run with its items (in the order they were selected).
func (db *Core) BulkJobByID(ctx context.Context, id int64) (*backend.BulkJob, []backend.BulkItem, error) {
	job := &backend.BulkJob{ID: id, Counts: map[string]int{}}
	var created, finished int64
	err := db.Read().Row(ctx, `SELECT intent, operator, state, created_at, finished_at FROM bulk_jobs WHERE id = ?`, id).
		Scan(&job.Intent, &job.Operator, &job.State, &created, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, backend.Errorf(backend.ENOTFOUND, "一括処理 (ID %d) は見つかりません", "bulk run %d was not found", id)
	}
	if err != nil {
		return nil, nil, err
	}
	job.CreatedAt, job.FinishedAt = fromMS(created), fromMS(finished)
	rows, err := db.Read().Query(ctx, `SELECT b.payment_id, p.order_id, o.order_no, o.customer_name, b.state, b.operation_id,
		b.message, b.message_en, b.updated_at FROM bulk_items b JOIN payments p ON p.id = b.payment_id JOIN orders o ON o.id = p.order_id
		WHERE b.job_id = ? ORDER BY b.id`, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var items []backend.BulkItem
	for rows.Next() {
		it := backend.BulkItem{JobID: id}
		var updated int64
		if err := rows.Scan(&it.PaymentID, &it.OrderID, &it.OrderNo, &it.CustomerName, &it.State, &it.OperationID, &it.Message, &it.MessageEn, &updated); err != nil {
			return nil, nil, err
		}
		it.UpdatedAt = fromMS(updated)
		job.Counts[it.State]++
		items = append(items, it)
	}
	job.Total = len(items)
	return job, items, rows.Err()
}

// FeeReport counts, per gateway profile and JST month, the operations that reached
// the gateway (succeeded, or answered with an error), with the estimated fee.
func (db *Core) FeeReport(ctx context.Context, from, to time.Time) ([]backend.FeeLine, error) {
	rows, err := db.Read().Query(ctx, `SELECT g.id, g.name, g.kind, g.fee_per_operation,
		`+db.d.JSTMonth("op.requested_at")+` AS month,
		count(*), sum(CASE WHEN op.state = 'succeeded' THEN 1 ELSE 0 END)
		FROM operations op JOIN payments p ON p.id = op.payment_id JOIN gateway_profiles g ON g.id = p.profile_id
		WHERE op.kind <> 'sync_fix' AND (op.state = 'succeeded' OR (op.state = 'failed' AND op.gateway_code <> ''))
		  AND op.requested_at >= ? AND op.requested_at < ?
		GROUP BY g.id, month ORDER BY month, g.id`, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.FeeLine
	for rows.Next() {
		var l backend.FeeLine
		var kind string
		if err := rows.Scan(&l.ProfileID, &l.ProfileName, &kind, &l.FeePerOp, &l.Month, &l.Operations, &l.Succeeded); err != nil {
			return nil, err
		}
		l.Gateway = backend.GatewayKind(kind)
		l.Fee = l.FeePerOp * backend.Yen(l.Operations)
		out = append(out, l)
	}
	return out, rows.Err()
}
