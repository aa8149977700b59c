package report_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/demo"
	"kessaidesk/backend/report"
	"kessaidesk/backend/sqlite"
)

var now = time.Date(2026, 11, 24, 9, 0, 0, 0, backend.JST)

type shop struct {
	db       *sqlite.DB
	svc      *report.Service
	profiles []*backend.GatewayProfile
	specs    []demo.Spec
	payments map[string]*backend.Payment // by order number
}

// demoShop stores n demo orders over 200 days with their payments at two profiles
// (cards at the first, the other methods at the second), as the demo shop makes them.
func demoShop(t testing.TB, n int) *shop {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "kessai.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	s := &shop{db: db, svc: &report.Service{Store: db, Clock: backend.ClockFunc(func() time.Time { return now })},
		payments: map[string]*backend.Payment{}}
	for i, kind := range []backend.GatewayKind{backend.GatewayGMO, backend.GatewayPaygent} {
		p := &backend.GatewayProfile{Name: []string{"GMO-PG 本番", "ペイジェント 本番"}[i], Kind: kind, Environment: backend.EnvProduction,
			AuthExpiryDays: backend.DefaultAuthExpiryDays(kind), FeePerOperation: backend.Yen(5 * i)}
		require.NoError(t, db.SaveProfile(ctx, p))
		s.profiles = append(s.profiles, p)
	}
	s.specs = demo.Generate(7, n, 100001, now, 200*24*time.Hour)
	var orders []*backend.Order
	for _, sp := range s.specs {
		orders = append(orders, sp.Order)
	}
	require.NoError(t, db.SaveOrders(ctx, orders))
	for _, sp := range s.specs {
		if sp.State == "" {
			continue
		}
		o, err := db.OrderByNo(ctx, sp.Order.OrderNo)
		require.NoError(t, err)
		prof := s.profiles[1]
		if o.PaymentMethod == backend.MethodCard {
			prof = s.profiles[0]
		}
		p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: prof.Kind, Method: o.PaymentMethod,
			GatewayOrderID: "KD" + o.OrderNo, State: sp.State, AmountAuthorized: o.Total, AuthorizedAt: sp.AuthorizedAt,
			CapturedAt: sp.CapturedAt, PaymentDeadline: sp.Deadline, PaidAt: sp.PaidAt, AmountRefunded: sp.Refunded}
		if !sp.AuthorizedAt.IsZero() {
			p.AuthExpiresAt = sp.AuthorizedAt.AddDate(0, 0, prof.AuthExpiryDays)
		}
		switch sp.State {
		case backend.StateCaptured, backend.StatePartiallyRefunded:
			p.AmountCaptured = o.Total
		case backend.StateRefunded:
			p.AmountCaptured, p.AmountRefunded = o.Total, o.Total
		}
		require.NoError(t, db.SavePayment(ctx, p))
		s.payments[o.OrderNo] = p
	}
	return s
}

// soldStates are the payment states of the demo's sold payments: the order list's
// filter that selects what 売上集計 counts.
var soldStates = []backend.PaymentState{backend.StateCaptured, backend.StatePartiallyRefunded, backend.StateRefunded, backend.StateDeposited}

// listTotals pages through the 受注管理 search and adds up what its rows show: the
// number of orders and their お支払い合計, and what their payments gave back.
func (s *shop) listTotals(t *testing.T, f backend.OrderFilter) (count int, gross, refunded backend.Yen) {
	ctx := context.Background()
	f.Limit = 500
	for {
		page, err := s.db.FindOrders(ctx, f)
		require.NoError(t, err)
		for _, r := range page.Rows {
			count++
			gross += r.Total
			p, err := s.db.PaymentByID(ctx, r.PaymentID)
			require.NoError(t, err)
			refunded += p.AmountRefunded
		}
		if len(page.Rows) < f.Limit {
			return count, gross, refunded
		}
		f.Offset += f.Limit
	}
}

func TestSalesEqualTheOrderListTotalsForTheSameFilter(t *testing.T) {
	s := demoShop(t, 1500)
	ctx := context.Background()
	months := []time.Time{time.Date(2026, 9, 1, 0, 0, 0, 0, backend.JST), time.Date(2026, 10, 1, 0, 0, 0, 0, backend.JST),
		time.Date(2026, 11, 1, 0, 0, 0, 0, backend.JST)}
	methods := [][]backend.PaymentMethod{nil, {backend.MethodCard}, {backend.MethodKonbini, backend.MethodPayEasy}}
	for _, from := range months {
		to := from.AddDate(0, 1, 0)
		for _, m := range methods {
			r, err := s.svc.Sales(ctx, backend.ReportFilter{From: from, To: to, Basis: backend.BasisOrdered, Methods: m}, report.Day)
			require.NoError(t, err)
			count, gross, refunded := s.listTotals(t, backend.OrderFilter{OrderedFrom: from, OrderedTo: to, Methods: m, PaymentStates: soldStates})
			require.Positive(t, count)
			assert.Equal(t, count, r.Total.Count, "%s %v: count", from.Format("2006-01"), m)
			assert.Equal(t, gross, r.Total.Gross, "%s %v: sales", from.Format("2006-01"), m)
			assert.Equal(t, refunded, r.Total.Refunded, "%s %v: refunds", from.Format("2006-01"), m)
			assert.Equal(t, gross-refunded, r.Total.Net)
			// The lines add up to the total, the days to the month.
			var sum report.Figures
			for _, l := range r.Lines {
				sum.Count, sum.Gross, sum.Refunded, sum.Net = sum.Count+l.Count, sum.Gross+l.Gross, sum.Refunded+l.Refunded, sum.Net+l.Net
			}
			assert.Equal(t, r.Total, sum)
			assert.Len(t, r.Periods, to.AddDate(0, 0, -1).Day())
		}
	}
}

// TestSalesBySaleDate checks the sale-date report against the payments themselves:
// every sold payment counted once, on the JST day of its capture or deposit.
func TestSalesBySaleDateCountsEachSaleOnItsJSTDay(t *testing.T) {
	s := demoShop(t, 1500)
	ctx := context.Background()
	from, to := time.Date(2026, 6, 1, 0, 0, 0, 0, backend.JST), time.Date(2026, 12, 1, 0, 0, 0, 0, backend.JST)
	for _, g := range []report.Granularity{report.Day, report.Week, report.Month} {
		r, err := s.svc.Sales(ctx, backend.ReportFilter{From: from, To: to}, g)
		require.NoError(t, err)
		want := make([]report.Figures, len(r.Periods))
		for _, p := range s.payments {
			at := p.CapturedAt
			if p.Method != backend.MethodCard {
				at = p.PaidAt
			}
			if at.IsZero() || at.Before(from) || !at.Before(to) {
				continue
			}
			i := -1
			for k, per := range r.Periods {
				if !at.Before(per.Start) && at.Before(per.End) {
					i = k
				}
			}
			require.GreaterOrEqual(t, i, 0)
			gross := p.AmountCaptured
			if p.Method != backend.MethodCard {
				gross = p.AmountAuthorized
			}
			want[i].Count++
			want[i].Gross += gross
			want[i].Refunded += p.AmountRefunded
			want[i].Net += gross - p.AmountRefunded
		}
		assert.Equal(t, want, r.PerPeriod, g)
	}
}

func TestPeriodsFollowTheJSTCalendar(t *testing.T) {
	// A Wednesday to the next month: weeks start on Monday, months on the 1st.
	from, to := time.Date(2026, 11, 4, 0, 0, 0, 0, backend.JST), time.Date(2026, 12, 2, 0, 0, 0, 0, backend.JST)
	w, err := report.Periods(report.Week, from, to)
	require.NoError(t, err)
	assert.Equal(t, "2026/11/02〜11/08", w[0].Label)
	assert.Equal(t, "2026/11/30〜12/06", w[len(w)-1].Label)
	m, err := report.Periods(report.Month, from, to)
	require.NoError(t, err)
	assert.Equal(t, []string{"2026/11", "2026/12"}, []string{m[0].Label, m[1].Label})
	_, err = report.Periods(report.Day, to, from)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	_, err = report.Periods(report.Day, from, from.AddDate(5, 0, 0))
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), "five years of days is refused")
}

func TestASaleJustBeforeAndAfterJSTMidnight(t *testing.T) {
	s := demoShop(t, 0)
	ctx := context.Background()
	order := func(no string, total backend.Yen) *backend.Order {
		o := &backend.Order{OrderNo: no, OrderedAt: now.AddDate(0, -1, 0), PaymentMethod: backend.MethodCard, Status: backend.OrderPaid,
			Subtotal: total, Total: total}
		require.NoError(t, s.db.SaveOrder(ctx, o))
		return o
	}
	// 23:59 JST on 30 November is 14:59 UTC; 00:01 JST on 1 December is 15:01 UTC the day before.
	late, early := time.Date(2026, 11, 30, 14, 59, 0, 0, time.UTC), time.Date(2026, 11, 30, 15, 1, 0, 0, time.UTC)
	for i, at := range []time.Time{late, early} {
		o := order([]string{"A1", "A2"}[i], backend.Yen(1000*(i+1)))
		require.NoError(t, s.db.SavePayment(ctx, &backend.Payment{OrderID: o.ID, ProfileID: s.profiles[0].ID, Gateway: backend.GatewayGMO,
			Method: backend.MethodCard, GatewayOrderID: o.OrderNo, State: backend.StateCaptured, AmountAuthorized: o.Total,
			AmountCaptured: o.Total, CapturedAt: at}))
	}
	r, err := s.svc.Sales(ctx, backend.ReportFilter{From: time.Date(2026, 11, 1, 0, 0, 0, 0, backend.JST), To: time.Date(2027, 1, 1, 0, 0, 0, 0, backend.JST)}, report.Month)
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(1000), r.PerPeriod[0].Gross)
	assert.Equal(t, backend.Yen(2000), r.PerPeriod[1].Gross)
}

func TestOutstandingAndDepositsByWhenTheyAreDue(t *testing.T) {
	s := demoShop(t, 1500)
	ctx := context.Background()
	auths, err := s.svc.Outstanding(ctx, backend.ReportFilter{})
	require.NoError(t, err)
	deps, err := s.svc.Deposits(ctx, backend.ReportFilter{})
	require.NoError(t, err)
	var wantAuth, wantDep report.Figures
	for _, p := range s.payments {
		switch {
		case p.Method == backend.MethodCard && (p.State == backend.StateAuthorized || p.State == backend.StateCaptureFailed):
			wantAuth.Count++
			wantAuth.Gross += p.AmountAuthorized
		case p.State == backend.StateAwaitingDeposit:
			wantDep.Count++
			wantDep.Gross += p.AmountAuthorized
		}
	}
	require.Positive(t, wantAuth.Count)
	require.Positive(t, wantDep.Count)
	assert.Equal(t, wantAuth.Count, auths.Total.Count)
	assert.Equal(t, wantAuth.Gross, auths.Total.Amount)
	assert.Equal(t, wantDep.Count, deps.Total.Count)
	assert.Equal(t, wantDep.Gross, deps.Total.Amount)
	// Lines come by day; the bands add up to the total.
	var bands report.DueBand
	for _, b := range auths.Bands {
		bands.Count += b.Count
		bands.Amount += b.Amount
	}
	assert.Equal(t, auths.Total.Count, bands.Count)
	assert.Equal(t, auths.Total.Amount, bands.Amount)
	for i := 1; i < len(auths.Lines); i++ {
		assert.False(t, auths.Lines[i].Day.Before(auths.Lines[i-1].Day))
	}
	// A deposit line's days left is counted from today (JST).
	for _, l := range deps.Lines {
		assert.Equal(t, backend.DaysBetweenJST(now, l.Day), l.DaysLeft)
	}
}

// journal writes an operation with the given outcome on a new payment of the profile.
func journal(t *testing.T, s *shop, prof *backend.GatewayProfile, kind backend.OpKind, state backend.OpState, code string, sent bool, at time.Time) *backend.Operation {
	t.Helper()
	ctx := context.Background()
	no := "J" + at.Format("150405.000000000") + string(kind) + string(state)
	o := &backend.Order{OrderNo: no, OrderedAt: at, PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Subtotal: 1000, Total: 1000}
	require.NoError(t, s.db.SaveOrder(ctx, o))
	p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: prof.Kind, Method: backend.MethodCard, GatewayOrderID: no,
		State: backend.StateAuthorized, AmountAuthorized: 1000}
	require.NoError(t, s.db.SavePayment(ctx, p))
	op := &backend.Operation{PaymentID: p.ID, Intent: string(kind), Kind: kind, IdempotencyKey: no, RequestedAt: at, BeforeState: p.State}
	require.NoError(t, s.db.BeginOperation(ctx, op))
	if sent {
		require.NoError(t, s.db.MarkOperationSent(ctx, op.ID, at))
	}
	if state != backend.OpPending {
		op.State, op.GatewayCode, op.RespondedAt = state, code, at
		require.NoError(t, s.db.CompleteOperation(ctx, &backend.Completion{Op: op}))
	}
	return op
}

func TestFeesBillEachRequestTheGatewayAnsweredOnce(t *testing.T) {
	s := demoShop(t, 0)
	ctx := context.Background()
	gmo, paygent := s.profiles[0], s.profiles[1] // paygent: 5 yen for any operation without its own fee
	require.NoError(t, s.db.SetGatewayFees(ctx, paygent.ID, backend.FeeSchedule{backend.OpCapture: 10, backend.OpVoid: 10}))
	at := time.Date(2026, 11, 10, 12, 0, 0, 0, backend.JST)
	next := func() time.Time { at = at.Add(time.Second); return at }
	// Paygent: two captures answered (one refused with the gateway's code), one capture
	// whose request never left (failed, no code), one still unknown, one unknown later
	// settled by inquiry (succeeded: one request, billed once), a void, an amount change
	// at the default fee, a change recorded from the gateway's view (not a request).
	journal(t, s, paygent, backend.OpCapture, backend.OpSucceeded, "", true, next())
	journal(t, s, paygent, backend.OpCapture, backend.OpFailed, "P007", true, next())
	journal(t, s, paygent, backend.OpCapture, backend.OpFailed, "", true, next())
	journal(t, s, paygent, backend.OpCapture, backend.OpUnknown, "", true, next())
	journal(t, s, paygent, backend.OpCapture, backend.OpSucceeded, "", true, next()) // settled by inquiry
	journal(t, s, paygent, backend.OpVoid, backend.OpSucceeded, "", true, next())
	journal(t, s, paygent, backend.OpChangeAmount, backend.OpSucceeded, "", true, next())
	journal(t, s, paygent, backend.OpSyncFix, backend.OpSucceeded, "", false, next())
	journal(t, s, paygent, backend.OpCapture, backend.OpPending, "", false, next()) // journalled, never sent
	// GMO: no fees entered, fee_per_operation 0.
	journal(t, s, gmo, backend.OpCapture, backend.OpSucceeded, "", true, next())
	// Another month is not this month's.
	journal(t, s, paygent, backend.OpCapture, backend.OpSucceeded, "", true, time.Date(2026, 12, 1, 0, 0, 1, 0, backend.JST))
	journal(t, s, paygent, backend.OpCapture, backend.OpSucceeded, "", true, time.Date(2026, 10, 31, 23, 59, 59, 0, backend.JST))

	f, err := s.svc.Fees(ctx, "2026-11")
	require.NoError(t, err)
	type line struct {
		profile              string
		kind                 backend.OpKind
		billable, unresolved int
		each, fee            backend.Yen
	}
	var got []line
	for _, l := range f.Lines {
		got = append(got, line{l.ProfileName, l.Kind, l.Billable, l.Unresolved, l.FeePerOp, l.Fee})
	}
	assert.Equal(t, []line{
		{"GMO-PG 本番", backend.OpCapture, 1, 0, 0, 0},
		{"ペイジェント 本番", backend.OpCapture, 3, 2, 10, 30},
		{"ペイジェント 本番", backend.OpVoid, 1, 0, 10, 10},
		{"ペイジェント 本番", backend.OpChangeAmount, 1, 0, 5, 5},
	}, got)
	assert.Equal(t, backend.Yen(45), f.Total)
	assert.Equal(t, 6, f.Billable)
	assert.Equal(t, 2, f.Unresolved)

	_, err = s.svc.Fees(ctx, "11/2026")
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
}

func TestTablesMatchTheReport(t *testing.T) {
	s := demoShop(t, 600)
	ctx := context.Background()
	r, err := s.svc.Sales(ctx, backend.ReportFilter{From: time.Date(2026, 11, 1, 0, 0, 0, 0, backend.JST), To: time.Date(2026, 12, 1, 0, 0, 0, 0, backend.JST)}, report.Week)
	require.NoError(t, err)
	tab := r.Table("ja")
	require.Len(t, tab.Rows, len(r.Lines)+1)
	last := tab.Rows[len(tab.Rows)-1]
	assert.Equal(t, []string{"合計", "", ""}, last[:3])
	assert.Equal(t, r.Total.Net.String(), backend.Yen(mustAtoi(t, last[6])).String())
	en := r.Table("en")
	assert.Equal(t, "Net sales", en.Header[6])
}

func mustAtoi(t *testing.T, s string) int64 {
	var n int64
	for _, c := range s {
		require.True(t, c >= '0' && c <= '9' || c == '-', s)
		if c != '-' {
			n = n*10 + int64(c-'0')
		}
	}
	if len(s) > 0 && s[0] == '-' {
		n = -n
	}
	return n
}
