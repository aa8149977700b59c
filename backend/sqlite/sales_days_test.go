package sqlite

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

type salesKey struct {
	day     time.Time
	profile int64
	method  backend.PaymentMethod
}

type salesSums struct {
	count           int
	gross, refunded backend.Yen
}

func sumSales(days []backend.SalesDay) map[salesKey]salesSums {
	out := map[salesKey]salesSums{}
	for _, d := range days {
		k := salesKey{d.Day.UTC(), d.ProfileID, d.Method}
		s := out[k]
		s.count += d.Count
		s.gross += d.Gross
		s.refunded += d.Refunded
		out[k] = s
	}
	return out
}

// summaryDrift lists what sales_days holds that a fresh sum of payment_sales over the
// base tables does not, and the reverse: empty when the summary is in step.
func summaryDrift(t *testing.T, db *DB) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT 'summary has', * FROM (SELECT basis, day, profile_id, method, sold, gross, refunded FROM sales_days
			EXCEPT SELECT basis, day, profile_id, method, count(*), sum(gross), sum(refunded) FROM payment_sales GROUP BY 1, 2, 3, 4)`,
		`SELECT 'base has', * FROM (SELECT basis, day, profile_id, method, count(*), sum(gross), sum(refunded) FROM payment_sales GROUP BY 1, 2, 3, 4
			EXCEPT SELECT basis, day, profile_id, method, sold, gross, refunded FROM sales_days)`,
	} {
		rows, err := db.write.Query(q)
		require.NoError(t, err)
		for rows.Next() {
			var what, basis, method string
			var day, profile, sold, gross, refunded int64
			require.NoError(t, rows.Scan(&what, &basis, &day, &profile, &method, &sold, &gross, &refunded))
			out = append(out, fmt.Sprintf("%s %s day %d profile %d %s: %d sold, %d, %d refunded", what, basis, day, profile, method, sold, gross, refunded))
		}
		require.NoError(t, rows.Err())
		rows.Close()
	}
	return out
}

// The summary is moved by triggers, so no code path can leave it behind: random
// captures, partial and full refunds, cancels, amount changes, deposits, new
// payments, re-imports that move an order's date, payments moved between profiles and
// orders, deletes (one payment, an order with its payments, the demo shop) — after
// every write, sales_days equals the sum over the base tables, and the report read
// from it (whole days) and from the base tables (partial days) equals the report read
// from the base tables alone, for any period and filter.
func TestSalesSummaryNeverDrifts(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	rnd := rand.New(rand.NewSource(16))
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, backend.JST)
	// Times on the hour or near a JST midnight, over 40 days.
	at := func() time.Time {
		d := start.AddDate(0, 0, rnd.Intn(40))
		if rnd.Intn(3) == 0 {
			return d.Add(time.Duration(rnd.Intn(5)-2) * time.Minute)
		}
		return d.Add(time.Duration(rnd.Intn(24)) * time.Hour)
	}
	var profiles []*backend.GatewayProfile
	for i, kind := range []backend.GatewayKind{backend.GatewayGMO, backend.GatewayPaygent} {
		p := &backend.GatewayProfile{Name: fmt.Sprint("p", i), Kind: kind, Environment: backend.EnvTest}
		require.NoError(t, db.SaveProfile(ctx, p))
		profiles = append(profiles, p)
	}
	methods := []backend.PaymentMethod{backend.MethodCard, backend.MethodCard, backend.MethodKonbini, backend.MethodPayEasy, backend.MethodNetBank}
	orderNo := 0
	newOrder := func(source string) *backend.Order {
		orderNo++
		o := testOrder(fmt.Sprint(orderNo), "山田", "ヤマダ", backend.Yen(1000+rnd.Intn(50)*100), at())
		o.PaymentMethod, o.Source = methods[rnd.Intn(len(methods))], source
		require.NoError(t, db.SaveOrder(ctx, o))
		return o
	}
	newPayment := func(o *backend.Order, prof *backend.GatewayProfile) *backend.Payment {
		p := &backend.Payment{OrderID: o.ID, Method: o.PaymentMethod, GatewayOrderID: fmt.Sprint("G", o.ID, "-", rnd.Int63()),
			AmountAuthorized: o.Total, AuthorizedAt: o.OrderedAt, State: backend.StateAuthorized}
		if prof != nil {
			p.ProfileID, p.Gateway = prof.ID, prof.Kind
		}
		if o.PaymentMethod != backend.MethodCard {
			p.State, p.PaymentDeadline = backend.StateAwaitingDeposit, o.OrderedAt.AddDate(0, 0, 7)
		}
		require.NoError(t, db.SavePayment(ctx, p))
		return p
	}
	var demo *backend.GatewayProfile
	addDemo := func() {
		demo = &backend.GatewayProfile{Name: "デモ", Kind: backend.GatewayGMO, Environment: backend.EnvTest, Demo: true}
		require.NoError(t, db.SaveProfile(ctx, demo))
		for range 5 {
			p := newPayment(newOrder("demo"), demo)
			p.State, p.AmountCaptured, p.CapturedAt, p.PaidAt = backend.StateCaptured, p.AmountAuthorized, at(), at()
			require.NoError(t, db.SavePayment(ctx, p))
		}
	}
	for range 60 {
		o := newOrder("test")
		if rnd.Intn(6) > 0 {
			newPayment(o, profiles[rnd.Intn(2)])
		}
	}
	addDemo()

	payments := func() []*backend.Payment {
		ps, err := db.FindPayments(ctx, backend.PaymentFilter{})
		require.NoError(t, err)
		return ps
	}
	pick := func(states ...backend.PaymentState) *backend.Payment {
		var in []*backend.Payment
		for _, p := range payments() {
			for _, s := range states {
				if p.State == s {
					in = append(in, p)
				}
			}
		}
		if len(in) == 0 {
			return nil
		}
		return in[rnd.Intn(len(in))]
	}
	anyPayment := func() *backend.Payment {
		return pick(backend.StateAuthorized, backend.StateCaptured, backend.StatePartiallyRefunded, backend.StateRefunded, backend.StateVoided, backend.StateAwaitingDeposit, backend.StateDeposited, backend.StateExpired)
	}
	exec := func(q string, args ...any) {
		_, err := db.write.ExecContext(ctx, q, args...)
		require.NoError(t, err, q)
	}
	writes := []struct {
		name string
		do   func()
	}{
		{"capture", func() {
			if p := pick(backend.StateAuthorized); p != nil && p.Method == backend.MethodCard {
				p.State, p.AmountCaptured, p.CapturedAt = backend.StateCaptured, p.AmountAuthorized, at()
				require.NoError(t, db.SavePayment(ctx, p))
			}
		}},
		{"partial refund", func() {
			if p := pick(backend.StateCaptured, backend.StatePartiallyRefunded, backend.StateDeposited); p != nil {
				p.AmountRefunded += backend.Yen(100 * (1 + rnd.Intn(5)))
				p.State = backend.StatePartiallyRefunded
				require.NoError(t, db.SavePayment(ctx, p))
			}
		}},
		{"refund", func() {
			if p := pick(backend.StateCaptured, backend.StatePartiallyRefunded, backend.StateDeposited); p != nil {
				p.State, p.AmountRefunded = backend.StateRefunded, p.AmountCaptured
				require.NoError(t, db.SavePayment(ctx, p))
			}
		}},
		{"cancel", func() {
			if p := pick(backend.StateAuthorized, backend.StateCaptured); p != nil {
				p.State = backend.StateVoided
				require.NoError(t, db.SavePayment(ctx, p))
			}
		}},
		{"amount change", func() {
			if p := pick(backend.StateAuthorized, backend.StateCaptured, backend.StateAwaitingDeposit); p != nil {
				p.AmountAuthorized = backend.Yen(500 + rnd.Intn(40)*100)
				if p.State == backend.StateCaptured {
					p.AmountCaptured = p.AmountAuthorized
				}
				require.NoError(t, db.SavePayment(ctx, p))
			}
		}},
		{"deposit", func() {
			if p := pick(backend.StateAwaitingDeposit); p != nil {
				p.State, p.PaidAt = backend.StateDeposited, at()
				if rnd.Intn(2) == 0 { // reported with the amount paid, or without (paid what was asked)
					p.AmountCaptured = p.AmountAuthorized
				}
				require.NoError(t, db.SavePayment(ctx, p))
			}
		}},
		{"sale date corrected (the date alone)", func() {
			if p := pick(backend.StateCaptured, backend.StateDeposited, backend.StatePartiallyRefunded); p != nil {
				if p.Method == backend.MethodCard {
					p.CapturedAt = at()
				} else {
					p.PaidAt = at()
				}
				require.NoError(t, db.SavePayment(ctx, p))
			}
		}},
		{"expire", func() {
			if p := pick(backend.StateAuthorized, backend.StateAwaitingDeposit, backend.StateDeposited); p != nil {
				p.State = backend.StateExpired
				require.NoError(t, db.SavePayment(ctx, p))
			}
		}},
		{"sync rewrites an unchanged payment", func() {
			if p := anyPayment(); p != nil {
				p.LastSyncedAt = at()
				require.NoError(t, db.SavePayment(ctx, p))
			}
		}},
		{"new payment", func() {
			var os []int64
			rows, err := db.write.Query(`SELECT id FROM orders`)
			require.NoError(t, err)
			for rows.Next() {
				var id int64
				require.NoError(t, rows.Scan(&id))
				os = append(os, id)
			}
			rows.Close()
			o, err := db.OrderByID(ctx, os[rnd.Intn(len(os))])
			require.NoError(t, err)
			newPayment(o, profiles[rnd.Intn(2)])
		}},
		{"new order", func() { newPayment(newOrder("test"), profiles[rnd.Intn(2)]) }},
		{"re-import moves an order's date", func() {
			var no string
			if err := db.write.QueryRow(`SELECT order_no FROM orders ORDER BY random() LIMIT 1`).Scan(&no); err != nil {
				return
			}
			o, err := db.OrderByNo(ctx, no)
			require.NoError(t, err)
			o.OrderedAt = at()
			require.NoError(t, db.SaveOrders(ctx, []*backend.Order{o}))
		}},
		{"payment moved to the other profile or none", func() {
			if p := anyPayment(); p != nil {
				exec(`UPDATE payments SET profile_id = ? WHERE id = ?`, []any{profiles[0].ID, profiles[1].ID, nil}[rnd.Intn(3)], p.ID)
			}
		}},
		{"payment moved to another order", func() {
			if p := anyPayment(); p != nil {
				exec(`UPDATE payments SET order_id = (SELECT id FROM orders ORDER BY random() LIMIT 1) WHERE id = ?`, p.ID)
			}
		}},
		{"payment deleted", func() {
			if p := anyPayment(); p != nil {
				exec(`DELETE FROM payments WHERE id = ?`, p.ID)
			}
		}},
		{"order deleted with its payments", func() {
			exec(`DELETE FROM orders WHERE id IN (SELECT order_id FROM payments ORDER BY random() LIMIT 1)`)
		}},
		{"demo deleted and made again", func() {
			require.NoError(t, db.DeleteDemo(ctx))
			addDemo()
		}},
	}

	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, backend.JST) }
	for step := range 400 {
		w := writes[rnd.Intn(len(writes))]
		w.do()
		require.Empty(t, summaryDrift(t, db), "after step %d (%s)", step, w.name)

		// A random period (whole days or not) and filter, by both bases.
		from, to := at(), at()
		if to.Before(from) {
			from, to = to, from
		}
		if rnd.Intn(2) == 0 {
			from, to = day(from), day(to).AddDate(0, 0, 1)
		}
		f := backend.ReportFilter{From: from, To: to, Basis: []backend.ReportBasis{backend.BasisSale, backend.BasisOrdered}[rnd.Intn(2)]}
		if rnd.Intn(3) == 0 {
			f.ProfileIDs = []int64{profiles[rnd.Intn(2)].ID, 0}
		}
		if rnd.Intn(3) == 0 {
			f.Methods = []backend.PaymentMethod{methods[rnd.Intn(len(methods))]}
		}
		got, err := db.SalesByDay(ctx, f)
		require.NoError(t, err)
		direct, err := db.SalesDirect(ctx, f, string(f.Basis), ms(from), ms(to), nil)
		require.NoError(t, err)
		require.Equal(t, sumSales(direct), sumSales(got), "step %d (%s): %s %s–%s", step, w.name, f.Basis, from, to)
	}
	var rows int
	require.NoError(t, db.write.QueryRow(`SELECT count(*) FROM sales_days`).Scan(&rows))
	assert.Greater(t, rows, 20, "the summary was exercised")
}

// An existing database gets its summary built by the migration.
func TestSalesSummaryBuiltForAnExistingDatabase(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/old.db"
	db, err := Open(path)
	require.NoError(t, err)
	for i := range 30 {
		o := testOrder(fmt.Sprint(i+1), "山田", "ヤマダ", backend.Yen(1000+i), day.Add(time.Duration(i)*7*time.Hour))
		require.NoError(t, db.SaveOrder(ctx, o))
		p := &backend.Payment{OrderID: o.ID, Method: backend.MethodCard, GatewayOrderID: fmt.Sprint("G", i), State: backend.StateCaptured,
			AmountAuthorized: o.Total, AmountCaptured: o.Total, AmountRefunded: backend.Yen(i % 3 * 100), CapturedAt: o.OrderedAt.Add(30 * time.Hour)}
		require.NoError(t, db.SavePayment(ctx, p))
	}
	want, err := db.SalesByDay(ctx, backend.ReportFilter{From: day.AddDate(0, 0, -1), To: day.AddDate(0, 1, 0)})
	require.NoError(t, err)
	require.NotEmpty(t, want)
	// Back to before 0011.
	for _, q := range []string{`DROP TRIGGER payments_sales_insert`, `DROP TRIGGER payments_sales_delete`,
		`DROP TRIGGER payments_sales_update_old`, `DROP TRIGGER payments_sales_update_new`, `DROP TRIGGER orders_sales_insert`,
		`DROP TRIGGER orders_sales_delete`, `DROP TRIGGER orders_sales_update_old`, `DROP TRIGGER orders_sales_update_new`,
		`DROP TABLE sales_days`, `DROP VIEW payment_sales`, `DELETE FROM schema_migrations WHERE name = '0011_sales_days.sql'`} {
		_, err := db.write.Exec(q)
		require.NoError(t, err, q)
	}
	var left int
	require.NoError(t, db.write.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%sales_days%' OR name = 'payment_sales'`).Scan(&left))
	require.Zero(t, left, "0011 undone whole")
	require.NoError(t, db.Close())

	db, err = Open(path)
	require.NoError(t, err)
	defer db.Close()
	assert.Empty(t, summaryDrift(t, db))
	got, err := db.SalesByDay(ctx, backend.ReportFilter{From: day.AddDate(0, 0, -1), To: day.AddDate(0, 1, 0)})
	require.NoError(t, err)
	assert.Equal(t, sumSales(want), sumSales(got))
}
