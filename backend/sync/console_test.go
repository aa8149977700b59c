package sync

// Changes made in a gateway's own console, behind the app's back, over a day of
// periodic syncs against each simulator over HTTP. What the gateway reports after each
// change is written from the published rules (../../shared/research), not read from
// the simulator: GMO-PG cancels by the date of the transaction's latest processing
// (gmo-mulpay.md §4: the same day VOID, a later day RETURN for an authorisation never
// captured and for a sale of the same month), ChangeTran re-authorises with a new
// Amount and moves the processing date (§3.4); SBPS's 取消返金 releases an
// authorisation (payment_status 3) and refunds a sale (4), its inquiry carries no
// amount (sbps-paygent.md §A6, §A8); Paygent's オーソリ取消 gives 32, 売上取消 60, and a
// 補正 a new payment_id under the same trading_id with the old one cancelled (§B5, B7,
// B9: 094 by trading_id then answers 13002).

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/sbps/sbpssim"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/throttle"
)

// consoleCase is one payment changed in the console during the day, and what the
// gateway reports afterwards by its published rules.
type consoleCase struct {
	name       string
	p          *backend.Payment
	at         time.Duration // after the day's first run
	do         func() error  // the console operation
	want       backend.PaymentState
	wantAmount backend.Yen // the gateway's amount in 差異 (0: its inquiry says none)
	hold       bool        // cancelled or refunded before shipping: 出荷を止める, one alert
	// choice: the gateway holds several transactions under the payment's id and cannot
	// say which is current (Paygent 13002): 要確認 with the candidates, not a difference.
	choice bool
}

// day is a shop at one gateway through a day of periodic syncs.
type day struct {
	t     *testing.T
	ctx   context.Context
	clock *simkit.Clock
	store *sqlite.DB
	s     *Syncer
	note  *recorder
	sent  func() int // requests the simulator has received
	// extra requests one inquiry may add (Paygent's second look at a cancelled payment)
	extraPerInquiry int
	quiet           []*backend.Payment // payments nobody touches
	cases           []consoleCase
	start           time.Time
	reps            []*Report
	requests        int // sent to the simulator during the day
}

func newDay(t *testing.T, clock *simkit.Clock, store *sqlite.DB, s *Syncer, sent func() int) *day {
	note := &recorder{done: make(chan struct{}, 1000)} // a day is 288 runs
	s.Notifier = note
	// The shared throttle of the app, fast enough for a test; and the budget comes from
	// the cycle alone (ceil(N / 72) per 5-minute run), so that the rotation shows.
	s.Limits = &throttle.Registry{Rate: 1e6, Burst: 1000}
	s.RecheckMin = 1
	return &day{t: t, ctx: context.Background(), clock: clock, store: store, s: s, note: note, sent: sent}
}

// run syncs every 5 minutes (the default interval) through 24 hours of the gateway's
// clock, doing each console change at its time. Every run keeps to its budget: it
// asks about at most Budget payments and sends at most Budget × (1 + extra) requests.
func (d *day) run() {
	t := d.t
	const interval = 5 * time.Minute
	d.clock.Advance(time.Minute) // after the payments were last compared
	d.start = d.clock.Now()
	first := d.sent()
	defer func() { d.requests = d.sent() - first }()
	for at := time.Duration(0); at < 24*time.Hour; at += interval {
		for _, c := range d.cases {
			if c.at == at {
				require.NoError(t, c.do(), c.name)
			}
		}
		before := d.sent()
		rep, err := d.s.RunScheduled(d.ctx)
		require.NoError(t, err)
		require.Empty(t, rep.Errors)
		require.Positive(t, rep.Budget)
		require.LessOrEqual(t, rep.Checked, rep.Budget, "run at %v", at)
		require.LessOrEqual(t, d.sent()-before, rep.Budget*(1+d.extraPerInquiry), "run at %v", at)
		d.reps = append(d.reps, rep)
		d.clock.Advance(interval)
	}
}

func (d *day) payment(p *backend.Payment) *backend.Payment {
	got, err := d.store.PaymentByID(d.ctx, p.ID)
	require.NoError(d.t, err)
	return got
}

func (d *day) order(p *backend.Payment) *backend.Order {
	o, err := d.store.OrderByID(d.ctx, p.OrderID)
	require.NoError(d.t, err)
	return o
}

func (d *day) drifts() map[int64]backend.Drift {
	ds, err := d.store.Drifts(d.ctx)
	require.NoError(d.t, err)
	out := map[int64]backend.Drift{}
	for _, x := range ds {
		out[x.PaymentID] = x
	}
	return out
}

func (d *day) holds() map[int64]backend.ShippingHold {
	hs, err := d.store.ShippingHolds(d.ctx)
	require.NoError(d.t, err)
	out := map[int64]backend.ShippingHold{}
	for _, h := range hs {
		out[h.PaymentID] = h
	}
	return out
}

// check asserts what the day must have found, the same for every gateway family.
func (d *day) check(before map[int64]backend.Payment, statuses map[int64]backend.OrderStatus) {
	t := d.t
	drifts, holds := d.drifts(), d.holds()
	var alerts []string
	for _, n := range d.note.notifications() {
		if strings.HasPrefix(n, "出荷を止めてください") {
			alerts = append(alerts, n)
		}
	}
	wantAlerts := 0
	for _, c := range d.cases {
		if c.choice {
			_, listed := drifts[c.p.ID]
			assert.False(t, listed, "%s: a choice, not a difference", c.name)
			assert.NotContains(t, holds, c.p.ID, "%s: no cancel", c.name)
			assert.Equal(t, backend.StateNeedsReview, d.payment(c.p).State, c.name)
			rv, err := d.store.Review(d.ctx, c.p.ID)
			if assert.NoError(t, err, c.name) {
				assert.NotEmpty(t, rv.Candidates, c.name)
			}
			delete(before, c.p.ID)
			continue
		}
		dr, ok := drifts[c.p.ID]
		if !assert.True(t, ok, "%s: listed in 差異", c.name) {
			continue
		}
		assert.Equal(t, c.want, dr.GatewayState, c.name)
		assert.Equal(t, before[c.p.ID].State, dr.OurState, c.name)
		if c.wantAmount != 0 {
			assert.Equal(t, c.wantAmount, dr.GatewayAmount, "%s: the gateway's amount", c.name)
			assert.Equal(t, currentAmount(ptr(before[c.p.ID])), dr.OurAmount, "%s: ours", c.name)
			assert.Contains(t, dr.Detail, "金額", c.name)
		}
		changedAt := d.start.Add(c.at)
		assert.False(t, dr.FoundAt.Before(changedAt), c.name)
		assert.True(t, dr.FoundAt.Before(changedAt.Add(24*time.Hour)), "%s: found within a day", c.name)

		no := d.order(c.p).OrderNo
		_, held := holds[c.p.ID]
		assert.Equal(t, c.hold, held, "%s: 出荷を止める", c.name)
		named := 0
		for _, a := range alerts {
			if strings.Contains(a, no) { // order numbers of one length: no number hides in another
				named++
			}
		}
		if c.hold {
			wantAlerts++
			assert.Equal(t, 1, named, "%s: one alert names order %s", c.name, no)
		} else {
			assert.Zero(t, named, "%s: no alert", c.name)
		}
	}
	assert.Len(t, alerts, wantAlerts, "one alert per run that found a cancel: %v", alerts)
	assert.Len(t, holds, wantAlerts)

	// Nothing changed our side: states, amounts, order statuses; no journal entry.
	for id, p := range before {
		got := d.payment(&p)
		assert.Equal(t, p.State, got.State, "payment %d", id)
		assert.Equal(t, p.AmountAuthorized, got.AmountAuthorized, "payment %d", id)
		assert.Equal(t, p.AmountCaptured, got.AmountCaptured, "payment %d", id)
		assert.Equal(t, statuses[id], d.order(&p).Status, "order of payment %d", id)
		ops, err := d.store.OperationsByPayment(d.ctx, id)
		require.NoError(t, err)
		assert.Empty(t, ops, "payment %d", id)
		// Every payment was compared with the gateway during the day.
		assert.True(t, got.LastSyncedAt.After(p.LastSyncedAt), "payment %d compared today", id)
	}
	for _, p := range d.quiet {
		_, ok := drifts[p.ID]
		assert.False(t, ok, "an untouched payment is no difference")
	}
	t.Logf("%d payments compared in turn: %d runs, budget %d a run, %d requests in the day", len(before), len(d.reps), d.reps[0].Budget, d.requests)
}

// snapshot keeps every payment and its order's status before the day.
func (d *day) snapshot() (map[int64]backend.Payment, map[int64]backend.OrderStatus) {
	ps := map[int64]backend.Payment{}
	st := map[int64]backend.OrderStatus{}
	all := append([]*backend.Payment(nil), d.quiet...)
	for _, c := range d.cases {
		all = append(all, c.p)
	}
	for _, p := range all {
		ps[p.ID] = *d.payment(p)
		st[p.ID] = d.order(p).Status
	}
	return ps, st
}

func ptr(p backend.Payment) *backend.Payment { return &p }

// gmoCard is a GMO-PG card payment of amount plus a separate Tax (税送料), authorised at
// authAt and, when salesAt is set, captured then — at the simulator and in the store.
func (f *fixture) gmoCard(amount, tax backend.Yen, authAt, salesAt time.Time, status backend.OrderStatus) *backend.Payment {
	f.t.Helper()
	o := f.order(backend.MethodCard, amount+tax, status)
	p := &backend.Payment{OrderID: o.ID, ProfileID: f.prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
		GatewayOrderID: "KD" + o.OrderNo, State: backend.StateAuthorized, RawStatus: "AUTH", AmountAuthorized: amount + tax, Tax: tax,
		AuthorizedAt: authAt, AuthExpiresAt: authAt.AddDate(0, 0, 90), ProcessedAt: authAt, LastSyncedAt: f.now()}
	spec := gmosim.CardSpec{ShopID: testShopID, OrderID: p.GatewayOrderID, Amount: int64(amount), Tax: int64(tax), AuthDate: authAt}
	if !salesAt.IsZero() {
		spec.Status, spec.SalesDate = "SALES", salesAt
		p.State, p.RawStatus, p.AmountCaptured, p.CapturedAt, p.ProcessedAt = backend.StateCaptured, "SALES", amount+tax, salesAt, salesAt
	}
	var err error
	p.GatewayTranID, p.GatewayTranPass, err = f.sim.AddCardTrade(spec)
	require.NoError(f.t, err)
	require.NoError(f.t, f.db.SavePayment(f.ctx, p))
	return p
}

// GMO-PG: a cancel, a refund and an amount change made in the shop console land in
// 差異 within a day of periodic syncs, each run within its budget; the cancel and the
// refund of unshipped orders put them on 出荷を止める with one alert each, a shipped
// order's refund does not; nothing of ours changes until the operator picks a side.
func TestGMOConsoleChangesAreNoticedWithinADay(t *testing.T) {
	f := newFixture(t)
	d := newDay(t, f.simClock, f.db, f.s, func() int { return len(f.sim.Server.Log.Entries()) })
	now := f.now()
	yesterday, lastWeek := now.AddDate(0, 0, -1), now.AddDate(0, 0, -4)
	for i := range 40 {
		d.quiet = append(d.quiet, f.gmoCard(backend.Yen(2000+100*i), 200, yesterday, time.Time{}, backend.OrderNew))
	}
	for range 10 {
		d.quiet = append(d.quiet, f.gmoCard(4500, 0, lastWeek, lastWeek.Add(time.Hour), backend.OrderShipped))
	}
	for range 10 {
		d.quiet = append(d.quiet, f.konbini(1980))
	}
	cancelled := f.gmoCard(8000, 800, yesterday, time.Time{}, backend.OrderNew)
	refunded := f.gmoCard(12000, 1200, lastWeek, lastWeek.Add(time.Hour), backend.OrderPaid)
	changed := f.gmoCard(3000, 300, yesterday, time.Time{}, backend.OrderNew)
	shipped := f.gmoCard(6000, 600, lastWeek, lastWeek.Add(time.Hour), backend.OrderShipped)
	d.cases = []consoleCase{
		// Authorised yesterday, never captured: a later day → RETURN (返品).
		{name: "cancel", p: cancelled, at: 30 * time.Minute, do: func() error { return f.sim.ConsoleCancel(cancelled.GatewayOrderID) },
			want: backend.StateRefunded, hold: true},
		// Sold four days ago, in this month → RETURN.
		{name: "refund", p: refunded, at: time.Hour, do: func() error { return f.sim.ConsoleRefund(refunded.GatewayOrderID) },
			want: backend.StateRefunded, hold: true},
		// ChangeTran: Amount 2,500 with the Tax 300 kept apart → 2,800 in all.
		{name: "amount", p: changed, at: 2 * time.Hour, do: func() error { return f.sim.ConsoleChangeAmount(changed.GatewayOrderID, 2500) },
			want: backend.StateAuthorized, wantAmount: 2800},
		{name: "shipped refund", p: shipped, at: 3 * time.Hour, do: func() error { return f.sim.ConsoleRefund(shipped.GatewayOrderID) },
			want: backend.StateRefunded},
	}
	before, statuses := d.snapshot()
	d.run()
	d.check(before, statuses)
	assert.Zero(t, f.mutations(), "the app sent nothing that changes a transaction")
	assert.Equal(t, 1, d.reps[0].Budget, "%d payments at 5-minute runs over a 6-hour cycle: one a run", len(before))

	// The operator picks a side. キャンセルにする: the payment takes the gateway's 返品 and
	// the order is cancelled with its items on the キャンセル在庫 list; nothing is sent.
	sent := d.sent()
	require.NoError(t, f.s.CancelHeldOrder(f.ctx, cancelled.ID, "佐藤"))
	assert.Equal(t, backend.StateRefunded, f.payment(cancelled.ID).State)
	assert.Equal(t, backend.OrderCancelled, f.orderOf(cancelled).Status)
	assert.Equal(t, 1, f.cancelStock()[cancelled.OrderID])
	ops := f.ops(cancelled)
	require.Len(t, ops, 1)
	assert.Equal(t, "佐藤", ops[0].Operator)
	assert.Contains(t, ops[0].Reason, "出荷を止める")
	// Keep: the order stays 入金済み and leaves the list; the difference stays in 差異.
	require.NoError(t, f.s.KeepHeldOrder(f.ctx, refunded.ID, "佐藤"))
	assert.Equal(t, backend.OrderPaid, f.orderOf(refunded).Status)
	assert.Equal(t, backend.StateCaptured, f.payment(refunded.ID).State)
	assert.Empty(t, d.holds())
	assert.Contains(t, f.drifts(), refunded.ID)
	require.Error(t, f.s.KeepHeldOrder(f.ctx, refunded.ID, "佐藤"), "answered once")
	// The amount: ours takes the gateway's, with the Tax apart and the processing date
	// the change moved (the next cancel is dated from it).
	require.NoError(t, f.s.AcceptGateway(f.ctx, changed.ID, "佐藤"))
	got := f.payment(changed.ID)
	assert.Equal(t, backend.Yen(2800), got.AmountAuthorized)
	assert.Equal(t, backend.Yen(300), got.Tax)
	changeAt := d.start.Add(2 * time.Hour)
	assert.True(t, got.ProcessedAt.Equal(changeAt), "ProcessDate moved to the change: %v", got.ProcessedAt)
	assert.Zero(t, f.mutations())
	assert.Equal(t, 2, d.sent()-sent, "one inquiry for each answer that takes the gateway's side, nothing else")

	// A full run (今すぐ同期) finds nothing new and alerts nobody again.
	alerts := len(d.note.notifications())
	rep := f.run()
	assert.Empty(t, rep.Holds)
	assert.Len(t, d.note.notifications(), alerts)
	assert.ElementsMatch(t, []int64{refunded.ID, shipped.ID}, keys(f.drifts()))
}

func keys[V any](m map[int64]V) []int64 {
	var out []int64
	for k := range m {
		out = append(out, k)
	}
	return out
}

// SBPS: 与信取消 and 返金 in the console land in 差異 within a day (payment_status 3
// and 4); SBPS's inquiry carries no amount and no partial-refund status that the
// published sources confirm (A6, A8), so a console 部分返金 cannot be seen: the sync
// invents nothing for it.
func TestSBPSConsoleChangesAreNoticedWithinADay(t *testing.T) {
	clock, sim, store, prof, s := newSBPSSync(t)
	d := newDay(t, clock, store, s, func() int { return len(sim.Server.Log.Entries()) })
	seq := 0
	card := func(amount backend.Yen, status backend.OrderStatus, soldAt time.Time) *backend.Payment {
		seq++
		authAt := clock.Now().AddDate(0, 0, -5)
		o := &backend.Order{OrderNo: fmt.Sprint(300000 + seq), OrderedAt: authAt, CustomerName: "高橋 美咲", PaymentMethod: backend.MethodCard,
			Status: status, Items: []backend.LineItem{{ProductCode: "B", ProductName: "ほうじ茶", UnitPrice: amount, Quantity: 1}},
			Subtotal: amount, Total: amount}
		require.NoError(t, store.SaveOrder(d.ctx, o))
		spec := sbpssim.CardSpec{MerchantID: "62345", ServiceID: "002", OrderID: "KD" + o.OrderNo, Amount: int64(amount), AuthDate: authAt}
		p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewaySBPS, Method: backend.MethodCard,
			GatewayOrderID: spec.OrderID, State: backend.StateAuthorized, AmountAuthorized: amount, AuthorizedAt: authAt,
			AuthExpiresAt: authAt.AddDate(0, 0, 60), LastSyncedAt: clock.Now()}
		if !soldAt.IsZero() {
			spec.Status, spec.SalesDate = "2", soldAt
			p.State, p.AmountCaptured, p.CapturedAt = backend.StateCaptured, amount, soldAt
		}
		var err error
		p.GatewayTranID, err = sim.AddCardTrade(spec)
		require.NoError(t, err)
		require.NoError(t, store.SavePayment(d.ctx, p))
		return p
	}
	sold := clock.Now().AddDate(0, 0, -3)
	for i := range 40 {
		d.quiet = append(d.quiet, card(backend.Yen(1000+100*i), backend.OrderNew, time.Time{}))
	}
	for range 10 {
		d.quiet = append(d.quiet, card(3000, backend.OrderShipped, sold))
	}
	cancelled := card(8800, backend.OrderNew, time.Time{})
	refunded := card(5400, backend.OrderPaid, sold)
	shipped := card(7000, backend.OrderShipped, sold)
	// A 部分返金 of 3,000 in the console: still 売上済 to the inquiry, which carries no
	// amount; the day must not turn it into anything.
	partial := card(9000, backend.OrderShipped, sold)
	d.quiet = append(d.quiet, partial)
	require.NoError(t, sim.ConsoleChangeAmount(partial.GatewayTranID, 6000))
	d.cases = []consoleCase{
		{name: "与信取消", p: cancelled, at: 45 * time.Minute, do: func() error { return sim.ConsoleCancel(cancelled.GatewayTranID) },
			want: backend.StateVoided, hold: true},
		{name: "返金", p: refunded, at: 90 * time.Minute, do: func() error { return sim.ConsoleRefund(refunded.GatewayTranID) },
			want: backend.StateRefunded, hold: true},
		{name: "shipped 返金", p: shipped, at: 4 * time.Hour, do: func() error { return sim.ConsoleRefund(shipped.GatewayTranID) },
			want: backend.StateRefunded},
	}
	before, statuses := d.snapshot()
	d.run()
	d.check(before, statuses)
	assert.Zero(t, sim.Count("ST02-00201-101")+sim.Count("ST02-00303-101")+sim.Count("ST02-00307-101"), "the app sent no operation")

	// キャンセルにする for both: each payment takes SBPS's state, each order is cancelled.
	for _, p := range []*backend.Payment{cancelled, refunded} {
		require.NoError(t, s.CancelHeldOrder(d.ctx, p.ID, "高橋"))
		assert.Equal(t, backend.OrderCancelled, d.order(p).Status)
	}
	assert.Equal(t, backend.StateVoided, d.payment(cancelled).State)
	assert.Equal(t, backend.StateRefunded, d.payment(refunded).State)
	assert.Empty(t, d.holds())
}

// Paygent with one inquiry (094) per payment: オーソリ取消 (32) and 売上取消 (60) land in
// 差異 within a day; a 補正 in the console (a new payment_id, the old one cancelled) is
// no cancel: 094 by trading_id answers 13002, and the payment waits in 要確認 for the
// operator to choose among its candidates — no alert, no 出荷を止める.
func TestPaygentConsoleChangesAreNoticedWithinADay(t *testing.T) {
	sim, store, prof, s := newPaygentSync(t, backend.MethodCard)
	s.Engine = &payment.Engine{Store: store, Gateways: s.Gateways, Clock: s.Clock, Timeout: 5 * time.Second} // as the app wires it
	d := newDay(t, sim.Clock, store, s, func() int { return len(sim.Server.Log.Entries()) })
	// A cancelled answer for a live payment is asked again by trading_id, and when that
	// answers 13002 the candidates each by payment_id (here one known id).
	d.extraPerInquiry = 2
	seq := 0
	card := func(amount backend.Yen, status backend.OrderStatus, soldAt time.Time) *backend.Payment {
		return paygentCard(t, sim, store, prof, &seq, amount, status, soldAt)
	}
	sold := sim.Clock.Now().AddDate(0, 0, -3)
	for i := range 40 {
		d.quiet = append(d.quiet, card(backend.Yen(1000+100*i), backend.OrderNew, time.Time{}))
	}
	for range 10 {
		d.quiet = append(d.quiet, card(3000, backend.OrderShipped, sold))
	}
	cancelled := card(8800, backend.OrderNew, time.Time{})
	refunded := card(5400, backend.OrderPaid, sold)
	corrected := card(5000, backend.OrderNew, time.Time{})
	shipped := card(7000, backend.OrderShipped, sold)
	d.cases = []consoleCase{
		{name: "オーソリ取消", p: cancelled, at: 20 * time.Minute, do: func() error { return sim.ConsoleCancel(cancelled.GatewayTranID) },
			want: backend.StateVoided, hold: true},
		{name: "売上取消", p: refunded, at: 100 * time.Minute, do: func() error { return sim.ConsoleRefund(refunded.GatewayTranID) },
			want: backend.StateRefunded, hold: true},
		{name: "補正", p: corrected, at: 2 * time.Hour, do: func() error { return sim.ConsoleChangeAmount(corrected.GatewayTranID, 4000) },
			choice: true},
		{name: "shipped 売上取消", p: shipped, at: 5 * time.Hour, do: func() error { return sim.ConsoleRefund(shipped.GatewayTranID) },
			want: backend.StateRefunded},
	}
	before, statuses := d.snapshot()
	d.run()
	d.check(before, statuses)
	for _, kind := range []string{"021", "022", "023", "028", "029"} {
		assert.Zero(t, sim.Server.Log.CountApplied(kind)[corrected.GatewayTranID], kind)
	}
	assert.Len(t, sim.PaymentsByTrading("54321", corrected.GatewayOrderID), 2, "the 補正 left two payments under the trading_id")
}

// paygentCard is a Paygent card payment authorised five days ago (and captured at
// soldAt when set), at the simulator and in the store.
func paygentCard(t *testing.T, sim *paygentsim.Sim, store *sqlite.DB, prof *backend.GatewayProfile, seq *int, amount backend.Yen,
	status backend.OrderStatus, soldAt time.Time) *backend.Payment {
	t.Helper()
	*seq++
	ctx := context.Background()
	authAt := sim.Clock.Now().AddDate(0, 0, -5).Truncate(time.Second)
	o := &backend.Order{OrderNo: fmt.Sprint(400000 + *seq), OrderedAt: authAt, CustomerName: "伊藤 結衣", PaymentMethod: backend.MethodCard,
		Status: status, Items: []backend.LineItem{{ProductCode: "C", ProductName: "抹茶", UnitPrice: amount, Quantity: 1}},
		Subtotal: amount, Total: amount}
	require.NoError(t, store.SaveOrder(ctx, o))
	spec := paygentsim.CardSpec{MerchantID: "54321", TradingID: o.OrderNo, Amount: int64(amount), Status: "20", AuthDate: authAt}
	p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewayPaygent, Method: backend.MethodCard,
		GatewayOrderID: o.OrderNo, State: backend.StateAuthorized, RawStatus: "20", AmountAuthorized: amount, AuthorizedAt: authAt,
		AuthExpiresAt: authAt.AddDate(0, 0, 60), LastSyncedAt: sim.Clock.Now()}
	if !soldAt.IsZero() {
		spec.Status, spec.SalesDate = "40", soldAt
		p.State, p.RawStatus, p.AmountCaptured, p.CapturedAt = backend.StateCaptured, "40", amount, soldAt
	}
	var err error
	p.GatewayTranID, err = sim.AddCardPayment(spec)
	require.NoError(t, err)
	require.NoError(t, store.SavePayment(ctx, p))
	return p
}

// Paygent's opt-in difference inquiry (091) covers every payment in one loop of calls
// per run — one call per change and one saying there is no more — instead of an
// inquiry per payment; a 補正 in the console reads as the new payment that replaced
// ours (its amount beside ours), not as a cancel.
func TestPaygentDifferenceInquiryCoversTheConsoleInOneCall(t *testing.T) {
	sim, store, prof, s := newPaygentSync(t, backend.MethodCard)
	require.NoError(t, store.SetSetting(context.Background(), SettingChangeFeed(prof.ID), "1"))
	d := newDay(t, sim.Clock, store, s, func() int { return len(sim.Server.Log.Entries()) })
	seq := 0
	card := func(amount backend.Yen, status backend.OrderStatus, soldAt time.Time) *backend.Payment {
		return paygentCard(t, sim, store, prof, &seq, amount, status, soldAt)
	}
	sold := sim.Clock.Now().AddDate(0, 0, -3)
	for i := range 40 {
		d.quiet = append(d.quiet, card(backend.Yen(1000+100*i), backend.OrderNew, time.Time{}))
	}
	cancelled := card(8800, backend.OrderNew, time.Time{})
	refunded := card(5400, backend.OrderPaid, sold)
	corrected := card(5000, backend.OrderNew, time.Time{})
	shipped := card(7000, backend.OrderShipped, sold)
	// The first run reads the notices of the checkouts (nothing differs).
	rep, err := s.RunScheduled(d.ctx)
	require.NoError(t, err)
	require.Zero(t, rep.Drifts)

	changes := map[time.Duration]func() error{
		20 * time.Minute:  func() error { return sim.ConsoleCancel(cancelled.GatewayTranID) },
		100 * time.Minute: func() error { return sim.ConsoleRefund(refunded.GatewayTranID) },
		2 * time.Hour:     func() error { return sim.ConsoleChangeAmount(corrected.GatewayTranID, 4000) },
		5 * time.Hour:     func() error { return sim.ConsoleRefund(shipped.GatewayTranID) },
	}
	notices := map[time.Duration]int{20 * time.Minute: 1, 100 * time.Minute: 1, 2 * time.Hour: 2, 5 * time.Hour: 1}
	total := 0
	for at := time.Duration(0); at < 24*time.Hour; at += 5 * time.Minute {
		if do := changes[at]; do != nil {
			require.NoError(t, do())
		}
		before := d.sent()
		rep, err := s.RunScheduled(d.ctx)
		require.NoError(t, err)
		require.Empty(t, rep.Errors)
		sent := d.sent() - before
		assert.Equal(t, notices[at]+1, sent, "run at %v: one 091 call per change and one saying there is no more", at)
		total += sent
		sim.Clock.Advance(5 * time.Minute)
	}
	t.Logf("difference inquiry: %d requests in a day for %d payments", total, len(d.quiet)+4)
	assert.Zero(t, sim.Server.Log.Count("/n/ref/paymentref"), "no 094 per payment")

	drifts, holds := d.drifts(), d.holds()
	require.Contains(t, drifts, corrected.ID)
	dr := drifts[corrected.ID]
	assert.Equal(t, backend.StateAuthorized, dr.GatewayState)
	assert.Equal(t, backend.Yen(5000), dr.OurAmount)
	assert.Equal(t, backend.Yen(4000), dr.GatewayAmount)
	assert.NotContains(t, holds, corrected.ID, "a 補正 is no cancel")
	require.Contains(t, drifts, cancelled.ID)
	assert.Equal(t, backend.StateVoided, drifts[cancelled.ID].GatewayState)
	require.Contains(t, drifts, refunded.ID)
	assert.Equal(t, backend.StateRefunded, drifts[refunded.ID].GatewayState)
	require.Contains(t, drifts, shipped.ID)
	assert.ElementsMatch(t, []int64{cancelled.ID, refunded.ID}, keys(holds))
	assert.Len(t, drifts, 4)
	assert.Equal(t, backend.StateAuthorized, d.payment(corrected).State)
	assert.Equal(t, backend.Yen(5000), d.payment(corrected).AmountAuthorized)

	// Taking the gateway's side asks by the successor's payment_id (kept when the
	// difference was found) and gets its amount.
	require.NoError(t, s.AcceptGateway(d.ctx, corrected.ID, "伊藤"))
	got := d.payment(corrected)
	assert.Equal(t, backend.StateAuthorized, got.State)
	assert.Equal(t, backend.Yen(4000), got.AmountAuthorized)
	assert.NotEqual(t, corrected.GatewayTranID, got.GatewayTranID)
}

// The run at start compares every payment that can change (what happened while the
// app was closed); the periodic runs after it go round them in turn.
func TestStartComparesEverythingThenRunsInTurn(t *testing.T) {
	f := newFixture(t)
	f.s.RecheckMin = 1
	for range 30 {
		f.card(backend.StateAuthorized, "AUTH", 3000, 3000, f.now().AddDate(0, 0, -1), backend.OrderNew)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		f.s.Start(ctx)
		close(stopped)
	}()
	f.note.waitDone(t)
	cancel()
	<-stopped
	assert.Equal(t, 30, f.sim.Server.Log.Count("SearchTrade.idPass"), "the run at start asks about all of them")

	f.advance(5 * time.Minute)
	rep, err := f.s.RunScheduled(f.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Budget, "30 payments over 72 runs: one a run")
	assert.Equal(t, 1, rep.Checked)
}

// After a partial refund the gateway holds the rest of the sale as one amount (Paygent's
// 補正売上, the demo's GMO-PG trades): that is agreement, run after run, and our sale and
// refunds stay apart.
func TestPartiallyRefundedAgreesRunAfterRun(t *testing.T) {
	f := newFixture(t)
	p := f.gmoCard(6000, 0, f.now().AddDate(0, 0, -3), f.now().AddDate(0, 0, -2), backend.OrderShipped)
	u := f.payment(p.ID)
	u.State, u.AmountRefunded = backend.StatePartiallyRefunded, 1500
	require.NoError(t, f.db.SavePayment(f.ctx, u))
	require.NoError(t, f.sim.ConsoleChangeAmount(p.GatewayOrderID, 4500)) // the rest of the sale
	for range 3 {
		rep := f.run()
		assert.Zero(t, rep.Drifts)
		f.advance(5 * time.Minute)
	}
	got := f.payment(p.ID)
	assert.Equal(t, backend.StatePartiallyRefunded, got.State)
	assert.Equal(t, backend.Yen(6000), got.AmountCaptured)
	assert.Equal(t, backend.Yen(1500), got.AmountRefunded)

	// A further refund made in the console is a difference with both amounts.
	require.NoError(t, f.sim.ConsoleChangeAmount(p.GatewayOrderID, 4000))
	f.run()
	d, ok := f.drifts()[p.ID]
	require.True(t, ok)
	assert.Equal(t, backend.Yen(4500), d.OurAmount)
	assert.Equal(t, backend.Yen(4000), d.GatewayAmount)
}

// Taking the gateway's state in 差異 does not answer whether to ship: the order stays on
// 出荷を止める (the work list counts it) until the operator cancels or keeps it. An order
// shipped by hand leaves the list; a console cancel of an order already shipped or
// cancelled puts nothing there.
func TestTakingTheGatewaysStateLeavesTheShippingQuestionOpen(t *testing.T) {
	f := newFixture(t)
	yesterday := f.now().AddDate(0, 0, -1)
	open := f.gmoCard(5000, 500, yesterday, time.Time{}, backend.OrderNew)
	byHand := f.gmoCard(4000, 400, yesterday, time.Time{}, backend.OrderPaid)
	shipped := f.gmoCard(3000, 300, yesterday, time.Time{}, backend.OrderShipped)
	for _, p := range []*backend.Payment{open, byHand, shipped} {
		require.NoError(t, f.sim.ConsoleCancel(p.GatewayOrderID))
	}
	rep := f.run()
	assert.ElementsMatch(t, []string{f.orderOf(open).OrderNo, f.orderOf(byHand).OrderNo}, rep.Holds)
	assert.Len(t, f.drifts(), 3)
	list := func() []string {
		rows, err := f.db.WorkList(f.ctx, sqlite.ListStopShipping, f.now(), f.now(), 100)
		require.NoError(t, err)
		var out []string
		for _, r := range rows {
			out = append(out, r.OrderNo)
		}
		return out
	}
	assert.ElementsMatch(t, rep.Holds, list())
	counts, err := f.db.WorkListCounts(f.ctx, f.now(), f.now())
	require.NoError(t, err)
	assert.Equal(t, 2, counts[sqlite.ListStopShipping])

	require.NoError(t, f.s.AcceptGateway(f.ctx, open.ID, "佐藤"))
	assert.Equal(t, backend.StateRefunded, f.payment(open.ID).State)
	assert.NotContains(t, f.drifts(), open.ID)
	assert.Contains(t, list(), f.orderOf(open).OrderNo, "still to decide")
	assert.Equal(t, backend.OrderNew, f.orderOf(open).Status)
	require.NoError(t, f.db.SetOrderStatus(f.ctx, byHand.OrderID, backend.OrderShipped, "佐藤"))
	assert.Equal(t, []string{f.orderOf(open).OrderNo}, list(), "shipped by hand: the operator decided")

	require.NoError(t, f.s.KeepHeldOrder(f.ctx, open.ID, "佐藤"))
	assert.Empty(t, list())
	ev := f.events(open)
	assert.Contains(t, ev[len(ev)-1].Detail, "受注はそのまま")
	assert.Equal(t, "佐藤", ev[len(ev)-1].Actor)
	err = f.s.CancelHeldOrder(f.ctx, shipped.ID, "佐藤")
	require.Error(t, err, "a shipped order is not cancelled from here")
	assert.Equal(t, backend.OrderShipped, f.orderOf(shipped).Status)

	f.advance(5 * time.Minute)
	rep = f.run()
	assert.Empty(t, rep.Holds, "each console change is announced once")
}

// A payment the gateway cannot answer for does not hold up the rotation: it waits a
// cycle after each failure while the others go round, and a console cancel behind it
// is still found.
func TestAPaymentThatCannotBeAskedDoesNotStallTheRotation(t *testing.T) {
	f := newFixture(t)
	f.s.RecheckMin = 1
	yesterday := f.now().AddDate(0, 0, -1)
	broken := f.gmoCard(1000, 0, yesterday, time.Time{}, backend.OrderNew)
	require.NoError(t, f.sim.SetStatus(broken.GatewayOrderID, "MYSTERY")) // no status GMO-PG publishes
	for range 8 {
		f.gmoCard(2000, 0, yesterday, time.Time{}, backend.OrderNew)
	}
	cancelled := f.gmoCard(3000, 0, yesterday, time.Time{}, backend.OrderNew)
	require.NoError(t, f.sim.ConsoleCancel(cancelled.GatewayOrderID))
	asked := func(p *backend.Payment) int {
		n := 0
		for _, e := range f.sim.Server.Log.Entries() {
			if e.Fields["OrderID"] == p.GatewayOrderID {
				n++
			}
		}
		return n
	}
	found := -1
	for i := range 24 { // two hours of 5-minute runs
		rep, err := f.s.RunScheduled(f.ctx)
		require.NoError(t, err)
		if found < 0 && len(rep.Holds) > 0 {
			found = i
		}
		f.advance(5 * time.Minute)
	}
	assert.GreaterOrEqual(t, found, 0, "the cancel was found")
	assert.LessOrEqual(t, found, 12)
	assert.Equal(t, 2, asked(broken), "asked once (and once more for the answer it could not read), then passed by for the cycle")
	assert.Zero(t, f.status().Failures, "the runs after go well")
}
