package sqlstore

import (
	"context"
	"strings"
	"time"

	"kessaidesk/backend"
)

// jstDay is the JST calendar day (days since 1970-01-01 JST) of a stored time column.
func jstDay(col string) string { return "((" + col + " + 32400000) / 86400000)" }

// fromJSTDay is the start of a JST day number.
func fromJSTDay(d int64) time.Time {
	return time.UnixMilli(d*86400000 - 32400000).In(backend.JST)
}

// reportConds adds the profile and method filters on payments p.
func reportConds(f backend.ReportFilter) (string, []any) {
	return filterConds(f, "COALESCE(p.profile_id, 0)", "p.method")
}

// filterConds adds the profile and method filters on the given columns.
func filterConds(f backend.ReportFilter, profile, method string) (string, []any) {
	var conds []string
	var args []any
	if len(f.ProfileIDs) > 0 {
		conds = append(conds, profile+" IN ("+placeholders(len(f.ProfileIDs))+")")
		for _, id := range f.ProfileIDs {
			args = append(args, id)
		}
	}
	if len(f.Methods) > 0 {
		conds = append(conds, method+" IN ("+placeholders(len(f.Methods))+")")
		args = append(args, anys(f.Methods)...)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(conds, " AND "), args
}

// msPerDay and jstOffset place a stored time on its JST day number, as sales_days and
// payment_sales (migration 0011) count days.
const msPerDay, jstOffset = 86400000, 32400000

// The reports of 売上集計 (backend.ReportStore): the same SQL on both engines — the
// summary sales_days is kept by triggers on each (migration 0011 and its twin).
var _ backend.ReportStore = (*Core)(nil)

// SalesByDay sums the sales of [f.From, f.To) per JST day, profile and method. Whole
// days are read from sales_days, which triggers keep in step with every payment (0011);
// a period starting or ending within a day counts that day's part from payment_sales,
// the same definition over the base tables.
func (db *Core) SalesByDay(ctx context.Context, f backend.ReportFilter) ([]backend.SalesDay, error) {
	basis := string(f.Basis)
	if f.Basis != backend.BasisOrdered {
		basis = string(backend.BasisSale)
	}
	from, to := ms(f.From), ms(f.To)
	if to <= from {
		return nil, nil
	}
	// The whole days: [firstDay, lastDay).
	firstDay := (from + jstOffset + msPerDay - 1) / msPerDay
	lastDay := (to + jstOffset) / msPerDay
	var out []backend.SalesDay
	if firstDay >= lastDay { // within one day, or across one midnight without a whole day
		return db.SalesDirect(ctx, f, basis, from, to, out)
	}
	var err error
	if dayStart := firstDay*msPerDay - jstOffset; from < dayStart {
		if out, err = db.SalesDirect(ctx, f, basis, from, dayStart, out); err != nil {
			return nil, err
		}
	}
	if dayStart := lastDay*msPerDay - jstOffset; dayStart < to {
		if out, err = db.SalesDirect(ctx, f, basis, dayStart, to, out); err != nil {
			return nil, err
		}
	}
	conds, cargs := filterConds(f, "profile_id", "method")
	return db.salesDays(ctx, `SELECT day, profile_id, method, sold, gross, refunded FROM sales_days
		WHERE basis = ? AND day >= ? AND day < ?`+conds, append([]any{basis, firstDay, lastDay}, cargs...), out)
}

// SalesDirect sums the sales of [from, to) from the base tables (payment_sales) and
// appends them to out: a period's partial days, and the drift tests' reference for
// what the summary holds.
func (db *Core) SalesDirect(ctx context.Context, f backend.ReportFilter, basis string, from, to int64, out []backend.SalesDay) ([]backend.SalesDay, error) {
	conds, cargs := filterConds(f, "profile_id", "method")
	return db.salesDays(ctx, `SELECT day, profile_id, method, count(*), sum(gross), sum(refunded) FROM payment_sales
		WHERE basis = ? AND at >= ? AND at < ?`+conds+` GROUP BY 1, 2, 3`, append([]any{basis, from, to}, cargs...), out)
}

func (db *Core) salesDays(ctx context.Context, q string, args []any, out []backend.SalesDay) ([]backend.SalesDay, error) {
	rows, err := db.Read().Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s backend.SalesDay
		var day int64
		var method string
		if err := rows.Scan(&day, &s.ProfileID, &method, &s.Count, &s.Gross, &s.Refunded); err != nil {
			return nil, err
		}
		s.Day, s.Method = fromJSTDay(day), backend.PaymentMethod(method)
		out = append(out, s)
	}
	return out, rows.Err()
}

// AuthsDue lists card authorisations still to capture (仮売上, 売上失敗) per day they
// lapse. The period does not apply: everything outstanding is due.
func (db *Core) AuthsDue(ctx context.Context, f backend.ReportFilter) ([]backend.DueDay, error) {
	conds, args := reportConds(f)
	return db.dueDays(ctx, `SELECT CASE WHEN p.auth_expires_at > 0 THEN `+jstDay("p.auth_expires_at")+` ELSE -1 END,
		COALESCE(p.profile_id, 0), p.method, count(*), sum(p.amount_authorized)
		FROM payments p WHERE p.state IN ('authorized', 'capture_failed') AND p.method = 'card'`+conds+` GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, args)
}

// DepositsDue lists konbini / Pay-easy / net-bank payments awaiting the customer's
// deposit, per deadline day.
func (db *Core) DepositsDue(ctx context.Context, f backend.ReportFilter) ([]backend.DueDay, error) {
	conds, args := reportConds(f)
	return db.dueDays(ctx, `SELECT CASE WHEN p.payment_deadline > 0 THEN `+jstDay("p.payment_deadline")+` ELSE -1 END,
		COALESCE(p.profile_id, 0), p.method, count(*), sum(p.amount_authorized)
		FROM payments p WHERE p.state = 'awaiting_deposit'`+conds+` GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, args)
}

func (db *Core) dueDays(ctx context.Context, q string, args []any) ([]backend.DueDay, error) {
	rows, err := db.Read().Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.DueDay
	for rows.Next() {
		var d backend.DueDay
		var day int64
		var method string
		if err := rows.Scan(&day, &d.ProfileID, &method, &d.Count, &d.Amount); err != nil {
			return nil, err
		}
		if day >= 0 {
			d.Day = fromJSTDay(day)
		}
		d.Method = backend.PaymentMethod(method)
		out = append(out, d)
	}
	return out, rows.Err()
}

// OperationCounts counts the journal's operations requested in [from, to) per profile
// and kind (backend.OpCount says which are billable). Changes recorded from the
// gateway's own view (sync_fix) are never requests.
func (db *Core) OperationCounts(ctx context.Context, from, to time.Time) ([]backend.OpCount, error) {
	rows, err := db.Read().Query(ctx, `SELECT COALESCE(p.profile_id, 0), op.kind,
		sum(CASE WHEN op.sent_at > 0 AND (op.state = 'succeeded' OR (op.state = 'failed' AND op.gateway_code <> '')) THEN 1 ELSE 0 END),
		sum(CASE WHEN op.state IN `+unresolvedStates+` THEN 1 ELSE 0 END)
		FROM operations op JOIN payments p ON p.id = op.payment_id
		WHERE op.requested_at >= ? AND op.requested_at < ? AND op.kind <> 'sync_fix'
		GROUP BY 1, 2 ORDER BY 1, 2`, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backend.OpCount
	for rows.Next() {
		var c backend.OpCount
		var kind string
		if err := rows.Scan(&c.ProfileID, &kind, &c.Billable, &c.Unresolved); err != nil {
			return nil, err
		}
		c.Kind = backend.OpKind(kind)
		out = append(out, c)
	}
	return out, rows.Err()
}

// GatewayFees returns every profile's fee schedule.
func (db *Core) GatewayFees(ctx context.Context) (map[int64]backend.FeeSchedule, error) {
	rows, err := db.Read().Query(ctx, `SELECT profile_id, kind, fee FROM gateway_fees`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]backend.FeeSchedule{}
	for rows.Next() {
		var id int64
		var kind string
		var fee backend.Yen
		if err := rows.Scan(&id, &kind, &fee); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = backend.FeeSchedule{}
		}
		out[id][backend.OpKind(kind)] = fee
	}
	return out, rows.Err()
}

// SetGatewayFees replaces a profile's fee schedule in one transaction.
func (db *Core) SetGatewayFees(ctx context.Context, profileID int64, fees backend.FeeSchedule) error {
	return db.InTx(ctx, func(tx Q) error {
		if _, err := tx.Exec(ctx, `DELETE FROM gateway_fees WHERE profile_id = ?`, profileID); err != nil {
			return err
		}
		for kind, fee := range fees {
			if _, err := tx.Exec(ctx, `INSERT INTO gateway_fees (profile_id, kind, fee) VALUES (?, ?, ?)`, profileID, string(kind), int64(fee)); err != nil {
				return err
			}
		}
		return nil
	})
}
