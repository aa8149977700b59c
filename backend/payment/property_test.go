package payment_test

// Property: no path records money movement the gateway did not confirm (issue 12,
// defect 3). Over generated cases — gateway, payment method, the gateway's state and
// ours (a console may have changed it), authorisation and sale dates, whether we know
// the processing date, amounts, tax, today, the operator's intent — the engine plans
// and runs the intent against the simulators with faults injected at random (timeouts,
// HTTP 500, truncated, garbled and cut-off answers, before or after the gateway's
// logic), then the start-up recovery (ResolveUnresolved) runs with the faults gone.
// After each, the journal, the payment and the order must agree with what the
// gateway's answers in that case proved, the simulator's request log being the
// witness:
//   - an operation recorded as succeeded was applied by the gateway (a mutation of its
//     kind in the log), and a mutation the gateway applied is not recorded as failed;
//   - a change recorded from the gateway's view (OpSyncFix) shows the gateway's state;
//   - a payment recorded as captured, cancelled or refunded is so at the gateway;
//   - an order newly キャンセル without a gateway cancel, and any 要返金(口座), follows
//     an inquiry answer received in that case; 入金済み follows a sale at the gateway.

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/sbps/sbpssim"
	"kessaidesk/backend/simkit"
)

// propCase is one generated case.
type propCase struct {
	gw       backend.GatewayKind
	method   backend.PaymentMethod
	truth    string               // the gateway's status word
	ours     backend.PaymentState // what the store says
	today    time.Time
	authAt   time.Time
	salesAt  time.Time // zero unless sold at the gateway
	proc     string    // what we know of the processing date: "true", "zero", "stale"
	authDate bool      // we know the authorisation date (else: learned by sync)
	amount   backend.Yen
	tax      backend.Yen
	intent   payment.Intent
	prm      payment.Params
	faults   float64
	seed     int64
}

func (c propCase) String() string {
	return fmt.Sprintf("%s %s gateway=%s ours=%s today=%s auth=%s sales=%s proc=%s authKnown=%v amount=%d tax=%d %s %+v faults=%.2f seed=%d",
		c.gw, c.method, c.truth, c.ours, c.today.Format("2006-01-02 15:04"), c.authAt.Format("2006-01-02 15:04"),
		c.salesAt.Format("2006-01-02"), c.proc, c.authDate, c.amount, c.tax, c.intent, c.prm, c.faults, c.seed)
}

// propWorld is one gateway's simulator, store and engine, and how to read its log.
type propWorld struct {
	gw     backend.GatewayKind
	eng    *payment.Engine
	db     testStore
	clock  *simkit.Clock
	srv    *simkit.Server
	prof   *backend.GatewayProfile
	truths map[backend.PaymentMethod][]string
	state  map[string]backend.PaymentState // status word → our state
	// seed makes the payment at the simulator and returns its ids.
	seed func(c propCase, ref string) (orderID, tranID, tranPass string)
	// mine: the log entry is about this payment; inquiry: it is an inquiry.
	mine    func(e simkit.Entry, p *backend.Payment) bool
	inquiry func(e simkit.Entry) bool
	// applied: the log's mutation names that an operation of this kind makes.
	applied map[backend.OpKind][]string
}

const propTimeout = 150 * time.Millisecond

func gmoWorld(t *testing.T) *propWorld {
	f := newFixtureTimeout(t, propTimeout)
	return &propWorld{gw: backend.GatewayGMO, eng: f.eng, db: f.db, clock: f.clock, srv: f.sim.Server, prof: f.prof,
		truths: map[backend.PaymentMethod][]string{backend.MethodCard: {"AUTH", "SALES", "CAPTURE", "VOID", "RETURN", "RETURNX"},
			backend.MethodKonbini: {"REQSUCCESS", "PAYSUCCESS", "CANCEL"}},
		state: map[string]backend.PaymentState{"AUTH": backend.StateAuthorized, "SALES": backend.StateCaptured, "CAPTURE": backend.StateCaptured,
			"VOID": backend.StateVoided, "RETURN": backend.StateRefunded, "RETURNX": backend.StateRefunded,
			"REQSUCCESS": backend.StateAwaitingDeposit, "PAYSUCCESS": backend.StateDeposited, "CANCEL": backend.StateVoided, "EXPIRED": backend.StateExpired},
		seed: func(c propCase, ref string) (string, string, string) {
			if c.method == backend.MethodKonbini {
				d := gmosim.DepositSpec{ShopID: shopID, OrderID: ref, Amount: int64(c.amount), Status: c.truth, Issued: c.authAt}
				if c.truth == "PAYSUCCESS" {
					d.FinishDate = c.authAt.Add(30 * time.Hour)
				}
				id, pass, err := f.sim.AddCvsTrade(d)
				require.NoError(t, err)
				return ref, id, pass
			}
			id, pass, err := f.sim.AddCardTrade(gmosim.CardSpec{ShopID: shopID, OrderID: ref, Amount: int64(c.amount - c.tax), Tax: int64(c.tax),
				Status: c.truth, AuthDate: c.authAt, SalesDate: c.salesAt})
			require.NoError(t, err)
			return ref, id, pass
		},
		mine: func(e simkit.Entry, p *backend.Payment) bool {
			return e.TxID == p.GatewayOrderID || e.Fields["OrderID"] == p.GatewayOrderID || e.Fields["AccessID"] == p.GatewayTranID
		},
		inquiry: func(e simkit.Entry) bool { return strings.Contains(e.Path, "SearchTrade") },
		applied: map[backend.OpKind][]string{backend.OpCapture: {"SALES"}, backend.OpVoid: {"VOID"}, backend.OpReturn: {"RETURN"},
			backend.OpReturnX: {"RETURNX"}, backend.OpChangeAmount: {"CHANGE"}, backend.OpReauth: {"REAUTH-AUTH", "REAUTH-CAPTURE"},
			backend.OpStopPayment: {"CvsCancel"}},
	}
}

func sbpsWorld(t *testing.T) *propWorld {
	f := newSBPSFixture(t)
	f.eng.Timeout = propTimeout
	return &propWorld{gw: backend.GatewaySBPS, eng: f.eng, db: f.db, clock: f.clock, srv: f.sim.Server, prof: f.prof,
		truths: map[backend.PaymentMethod][]string{backend.MethodCard: {sbps.StatusAuthorized, sbps.StatusCaptured, sbps.StatusVoided, sbps.StatusRefunded}},
		state: map[string]backend.PaymentState{sbps.StatusAuthorized: backend.StateAuthorized, sbps.StatusCaptured: backend.StateCaptured,
			sbps.StatusVoided: backend.StateVoided, sbps.StatusRefunded: backend.StateRefunded},
		seed: func(c propCase, ref string) (string, string, string) {
			id, err := f.sim.AddCardTrade(sbpssim.CardSpec{MerchantID: sbpsMerchant, ServiceID: sbpsService, OrderID: ref,
				Amount: int64(c.amount), Status: c.truth, AuthDate: c.authAt, SalesDate: c.salesAt})
			require.NoError(t, err)
			return ref, id, ""
		},
		mine: func(e simkit.Entry, p *backend.Payment) bool {
			return e.TxID == p.GatewayTranID || e.Fields["tracking_id"] == p.GatewayTranID
		},
		inquiry: func(e simkit.Entry) bool { return strings.HasPrefix(e.Fields["@id"], "MG01-") },
		applied: map[backend.OpKind][]string{backend.OpCapture: {"capture"}, backend.OpVoid: {"void"}, backend.OpRefund: {"refund"},
			backend.OpPartialRefund: {"partial_refund"}, backend.OpReauth: {"reauth"}},
	}
}

func paygentWorld(t *testing.T) *propWorld {
	f := newPaygentFixture(t)
	f.eng.Timeout = propTimeout
	return &propWorld{gw: backend.GatewayPaygent, eng: f.eng, db: f.db, clock: f.clock, srv: f.sim.Server, prof: f.prof,
		truths: map[backend.PaymentMethod][]string{backend.MethodCard: {"20", "40", "32", "60", "33"}},
		state: map[string]backend.PaymentState{"20": backend.StateAuthorized, "40": backend.StateCaptured, "32": backend.StateVoided,
			"60": backend.StateRefunded, "33": backend.StateExpired},
		seed: func(c propCase, ref string) (string, string, string) {
			id, err := f.sim.AddCardPayment(paygentsim.CardSpec{MerchantID: "40001", TradingID: ref, Amount: int64(c.amount),
				Status: c.truth, AuthDate: c.authAt, SalesDate: c.salesAt})
			require.NoError(t, err)
			return ref, id, ""
		},
		mine: func(e simkit.Entry, p *backend.Payment) bool {
			return e.Fields["trading_id"] == p.GatewayOrderID || e.Fields["payment_id"] == p.GatewayTranID || e.TxID == p.GatewayTranID
		},
		inquiry: func(e simkit.Entry) bool { return strings.HasSuffix(e.Path, "/paymentref") },
		applied: map[backend.OpKind][]string{backend.OpCapture: {"022"}, backend.OpVoid: {"021"}, backend.OpRefund: {"023"},
			backend.OpChangeAmount: {"028", "029"}, backend.OpPartialRefund: {"029"}, backend.OpAuthorize: {"020"}},
	}
}

var propFaults = []simkit.Fault{
	{Kind: simkit.FaultTimeout}, {Kind: simkit.FaultTimeout, After: true},
	{Kind: simkit.Fault500}, {Kind: simkit.Fault500, After: true},
	{Kind: simkit.FaultTruncate, After: true}, {Kind: simkit.FaultGarble, After: true},
	{Kind: simkit.FaultReset}, {Kind: simkit.FaultReset, After: true},
}

// generate draws a case for w.
func (w *propWorld) generate(r *rand.Rand, base time.Time) propCase {
	pick := func(xs ...int) int { return xs[r.Intn(len(xs))] }
	methods := []backend.PaymentMethod{}
	for m := range w.truths {
		methods = append(methods, m)
	}
	slices.Sort(methods)
	c := propCase{gw: w.gw, method: methods[r.Intn(len(methods))], seed: r.Int63()}
	truths := w.truths[c.method]
	c.truth = truths[r.Intn(len(truths))]
	c.today = base.AddDate(0, 0, r.Intn(400)).Add(time.Duration(r.Intn(12*60)) * time.Minute) // 10:00-22:00 JST
	ago := pick(0, 0, 1, 2, 6, 20, 35, 61, 89, 95, 130, 179, 181, 200)
	c.authAt = c.today.AddDate(0, 0, -ago).Add(-time.Duration(r.Intn(10*60)) * time.Minute)
	if st := w.state[c.truth]; st == backend.StateCaptured || st == backend.StateRefunded || c.truth == "PAYSUCCESS" {
		c.salesAt = c.authAt.AddDate(0, 0, r.Intn(ago+1))
		if c.salesAt.After(c.today) {
			c.salesAt = c.today.Add(-time.Minute)
		}
	}
	c.ours = w.state[c.truth]
	if r.Intn(10) < 3 { // changed at the gateway behind our back: we believe another state
		others := []backend.PaymentState{backend.StateAuthorized, backend.StateCaptured, backend.StateVoided, backend.StateRefunded,
			backend.StateExpired, backend.StatePartiallyRefunded}
		if c.method != backend.MethodCard {
			others = []backend.PaymentState{backend.StateAwaitingDeposit, backend.StateDeposited, backend.StateExpired}
		}
		c.ours = others[r.Intn(len(others))]
	}
	c.proc = []string{"true", "true", "zero", "stale"}[r.Intn(4)]
	c.authDate = r.Intn(4) > 0
	c.amount = backend.Yen(1000 + 10*r.Intn(9000))
	if w.gw == backend.GatewayGMO && c.method == backend.MethodCard && r.Intn(2) == 0 {
		c.tax = c.amount / 11
	}
	// Mostly what the operator would do in our state; sometimes anything.
	likely := map[backend.PaymentState][]payment.Intent{
		backend.StateAuthorized:        {payment.IntentCapture, payment.IntentCapture, payment.IntentCancel, payment.IntentChangeAmount},
		backend.StateCaptured:          {payment.IntentCancel, payment.IntentCancel, payment.IntentPartialRefund, payment.IntentChangeAmount},
		backend.StatePartiallyRefunded: {payment.IntentCancel, payment.IntentPartialRefund},
		backend.StateVoided:            {payment.IntentReauth},
		backend.StateRefunded:          {payment.IntentReauth},
		backend.StateExpired:           {payment.IntentCancel},
		backend.StateAwaitingDeposit:   {payment.IntentCancel},
		backend.StateDeposited:         {payment.IntentCancel},
	}[c.ours]
	if len(likely) == 0 || r.Intn(4) == 0 {
		likely = []payment.Intent{payment.IntentCapture, payment.IntentCancel, payment.IntentChangeAmount, payment.IntentPartialRefund, payment.IntentReauth}
	}
	c.intent = likely[r.Intn(len(likely))]
	switch c.intent {
	case payment.IntentChangeAmount:
		c.prm = payment.Params{Amount: c.amount + backend.Yen(pick(-700, -300, 500)), CaptureNow: r.Intn(2) == 0}
	case payment.IntentPartialRefund:
		c.prm = payment.Params{Amount: backend.Yen(100 + 10*r.Intn(50))}
	case payment.IntentReauth:
		c.prm = payment.Params{CaptureNow: r.Intn(2) == 0}
	}
	if r.Intn(10) < 7 {
		c.faults = []float64{0.15, 0.3, 0.5}[r.Intn(3)]
	}
	return c
}

// store saves the order and the payment as the store knows them.
func (w *propWorld) store(t *testing.T, c propCase, n int) *backend.Payment {
	ref := fmt.Sprintf("KDP%s%05d", strings.ToUpper(string(w.gw[:1])), n)
	o := &backend.Order{OrderNo: ref, OrderedAt: c.authAt, CustomerName: "高橋 葵", CustomerKana: "タカハシ アオイ", Email: "a@example.jp",
		Tel: "03-5555-0101", PaymentMethod: c.method, Status: backend.OrderNew, Source: "test",
		Items: []backend.LineItem{{ProductCode: "P-" + ref, ProductName: "手ぬぐい", UnitPrice: c.amount, Quantity: 1}}, Subtotal: c.amount, Total: c.amount}
	switch c.ours {
	case backend.StateCaptured, backend.StatePartiallyRefunded, backend.StateDeposited:
		o.Status = backend.OrderPaid
	case backend.StateVoided, backend.StateRefunded:
		o.Status = backend.OrderCancelled
	case backend.StateAwaitingDeposit:
		o.Status = backend.OrderAwaitingDeposit
	}
	require.NoError(t, w.db.SaveOrder(context.Background(), o))
	orderID, tranID, pass := w.seed(c, ref)
	p := &backend.Payment{OrderID: o.ID, ProfileID: w.prof.ID, Gateway: w.gw, Method: c.method, GatewayOrderID: orderID,
		GatewayTranID: tranID, GatewayTranPass: pass, State: c.ours, AmountAuthorized: c.amount, Tax: c.tax, LastSyncedAt: c.today}
	if c.authDate {
		p.AuthorizedAt = c.authAt
		p.AuthExpiresAt = c.authAt.AddDate(0, 0, w.prof.AuthExpiryDays)
	}
	switch c.ours {
	case backend.StateCaptured, backend.StateRefunded, backend.StatePartiallyRefunded:
		p.AmountCaptured, p.CapturedAt = c.amount, c.salesAt
		if c.salesAt.IsZero() {
			p.CapturedAt = c.authAt
		}
		if c.ours == backend.StatePartiallyRefunded {
			p.AmountRefunded = 100
		}
	case backend.StateAwaitingDeposit, backend.StateDeposited, backend.StateExpired:
		if c.method != backend.MethodCard {
			p.PaymentDeadline = c.authAt.AddDate(0, 0, 7)
		}
	}
	switch c.proc {
	case "true":
		p.ProcessedAt = c.authAt
		if !c.salesAt.IsZero() {
			p.ProcessedAt = c.salesAt
		}
	case "stale":
		p.ProcessedAt = c.authAt.AddDate(0, 0, -3)
	}
	require.NoError(t, w.db.SavePayment(context.Background(), p))
	return p
}

// moneyStates are the states that record money moved (or released).
var moneyStates = map[backend.PaymentState]bool{backend.StateCaptured: true, backend.StateVoided: true, backend.StateRefunded: true,
	backend.StatePartiallyRefunded: true, backend.StateDeposited: true}

// agrees: our recorded state is what the gateway shows (a partial refund leaves the
// gateway showing a sale of the rest).
func agrees(ours, gateway backend.PaymentState) bool {
	return ours == gateway || ours == backend.StatePartiallyRefunded && gateway == backend.StateCaptured
}

func TestPropertyNoMoneyMovementIsRecordedWithoutTheGatewaysConfirmation(t *testing.T) {
	worlds := []*propWorld{gmoWorld(t), sbpsWorld(t), paygentWorld(t)}
	const perWorld = 100
	r := rand.New(rand.NewSource(20261201))
	ctx := context.Background()
	n := 0
	seen := map[string]int{}
	for i := 0; i < perWorld; i++ {
		for _, w := range worlds {
			n++
			c := w.generate(r, t0)
			w.check(t, ctx, c, n, seen)
		}
	}
	t.Logf("%d cases: %v", n, seen)
	// The generator reaches what the property is about.
	for _, k := range []string{"succeeded", "failed", "unknown→resolved", "gateway change", "order only", "refund task", "faulted"} {
		require.Positive(t, seen[k], "no case where %s", k)
	}
}

func (w *propWorld) check(t *testing.T, ctx context.Context, c propCase, n int, seen map[string]int) {
	w.clock.Set(c.authAt)
	p := w.store(t, c, n)
	before, err := w.db.OrderByID(ctx, p.OrderID)
	require.NoError(t, err)
	tasksBefore := w.refundTasks(t, ctx, p.ID)
	w.clock.Set(c.today)
	w.srv.Log.Reset()
	if c.faults > 0 {
		w.srv.Faults.Random(c.faults, c.seed, propFaults)
	}
	_, runErr := w.eng.Run(ctx, payment.Request{PaymentID: p.ID, Intent: c.intent, Params: c.prm, Operator: operator})
	w.srv.Faults.Clear()
	w.verify(t, ctx, c, p, before, tasksBefore, "run: "+backend.ErrorMessage(runErr, "ja"))
	ops, err := w.db.OperationsByPayment(ctx, p.ID)
	require.NoError(t, err)
	for _, op := range ops {
		if op.State.Unresolved() {
			seen["unknown→resolved"]++
		}
	}
	for _, e := range w.srv.Log.Entries() {
		if e.Fault.Kind != simkit.FaultNone {
			seen["faulted"]++
			break
		}
	}
	// The recovery at start, with the gateway reachable again.
	_, err = w.eng.ResolveUnresolved(ctx)
	require.NoError(t, err)
	w.verify(t, ctx, c, p, before, tasksBefore, "after recovery")
	ops, err = w.db.OperationsByPayment(ctx, p.ID)
	require.NoError(t, err)
	for _, op := range ops {
		switch {
		case op.Kind == backend.OpSyncFix:
			seen["gateway change"]++
		case op.State == backend.OpSucceeded:
			seen["succeeded"]++
		case op.State == backend.OpFailed:
			seen["failed"]++
		}
	}
	o, err := w.db.OrderByID(ctx, p.OrderID)
	require.NoError(t, err)
	if len(ops) == 0 && o.Status != before.Status {
		seen["order only"]++
	}
	if w.refundTasks(t, ctx, p.ID) > tasksBefore {
		seen["refund task"]++
	}
}

func (w *propWorld) refundTasks(t *testing.T, ctx context.Context, paymentID int64) int {
	tasks, err := w.db.RefundTasks(ctx, "")
	require.NoError(t, err)
	n := 0
	for _, tk := range tasks {
		if tk.PaymentID == paymentID {
			n++
		}
	}
	return n
}

func (w *propWorld) verify(t *testing.T, ctx context.Context, c propCase, start *backend.Payment, before *backend.Order, tasksBefore int, stage string) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s — %s\ncase: %s", fmt.Sprintf(format, args...), stage, c)
	}
	p, err := w.db.PaymentByID(ctx, start.ID)
	require.NoError(t, err)
	ops, err := w.db.OperationsByPayment(ctx, p.ID)
	require.NoError(t, err)
	// What the gateway answered in this case, from its request log.
	var mutations []string
	answered := false
	for _, e := range w.srv.Log.Entries() {
		if e.Fields == nil || !(w.mine(e, start) || w.mine(e, p)) {
			continue // lost before the gateway's logic, or another payment's
		}
		if e.Applied != "" && e.Applied != "commit" {
			mutations = append(mutations, e.Applied)
		}
		// An answer the client read: whole, or cut short after the gateway's logic (a
		// cut answer that still has every field the client requires is read as one).
		if w.inquiry(e) && (e.Fault.Kind == simkit.FaultNone || e.Fault.Kind == simkit.FaultTruncate) {
			answered = true
		}
	}
	// The gateway's state now, asked without faults (the truth the answers told).
	gw, err := w.eng.Gateways.Gateway(ctx, w.prof)
	require.NoError(t, err)
	truth, err := gw.Inquire(ctx, p)
	require.NoError(t, err, "the truth")

	unmatched := slices.Clone(mutations)
	succeeded, unknown := 0, 0
	for _, op := range ops {
		switch {
		case op.Kind == backend.OpSyncFix:
			if moneyStates[op.AfterState] && !agrees(op.AfterState, truth.State) {
				fail("a change recorded from the gateway (%s) that the gateway does not show (%s)", op.AfterState, truth.State)
			}
			if !answered {
				fail("a change recorded from the gateway without an inquiry answer")
			}
		case op.State == backend.OpSucceeded:
			succeeded++
			i := slices.IndexFunc(unmatched, func(m string) bool { return slices.Contains(w.applied[op.Kind], m) })
			if i < 0 && !w.attributable(c) && strings.Contains(op.Message, "照会") {
				continue // see attributable
			}
			if i < 0 {
				fail("%s recorded as done, but the gateway applied no %v (it applied %v)", op.Kind, w.applied[op.Kind], mutations)
			}
			unmatched = slices.Delete(unmatched, i, i+1)
		case op.State.Unresolved():
			unknown++
		}
	}
	if len(unmatched) > unknown && w.attributable(c) {
		fail("the gateway applied %v that the journal does not record as done (ops: %s)", unmatched, opsString(ops))
	}
	if p.State != start.State && moneyStates[p.State] && !agrees(p.State, truth.State) {
		fail("the payment is recorded %s, the gateway shows %s (ops: %s)", p.State, truth.State, opsString(ops))
	}
	o, err := w.db.OrderByID(ctx, p.OrderID)
	require.NoError(t, err)
	gatewayCancel := slices.ContainsFunc(ops, func(op *backend.Operation) bool {
		return op.State == backend.OpSucceeded && (op.AfterState == backend.StateVoided || op.AfterState == backend.StateRefunded)
	})
	if o.Status == backend.OrderCancelled && before.Status != backend.OrderCancelled && !gatewayCancel && !answered {
		fail("the order was cancelled with nothing sent, without an inquiry answer (ops: %s)", opsString(ops))
	}
	if tasks := w.refundTasks(t, ctx, p.ID); tasks > tasksBefore {
		if !answered {
			fail("a 要返金(口座) was recorded without an inquiry answer")
		}
		if truth.State != backend.StateCaptured && truth.State != backend.StatePartiallyRefunded && truth.State != backend.StateDeposited {
			fail("a 要返金(口座) was recorded for money the gateway shows as %s", truth.State)
		}
	}
	if o.Status == backend.OrderPaid && before.Status != backend.OrderPaid && truth.State != backend.StateCaptured && truth.State != backend.StateDeposited {
		fail("the order was set 入金済み; the gateway shows %s (ops: %s)", truth.State, opsString(ops))
	}
}

// attributable: whether a lost answer can be told from a change made at the console.
// When our state was stale (the console had already done what the operator asks) and
// the request's answer is lost, the inquiry shows the state the request would have
// made either way. GMO's ProcessDate dates the change, so the engine tells them apart;
// SBPS's inquiry has no date and Paygent's are not known to carry the time, so there
// the operation may be attributed either way — the money state recorded is the
// gateway's in both, which the other checks hold.
func (w *propWorld) attributable(c propCase) bool {
	return w.gw == backend.GatewayGMO || c.ours == w.state[c.truth]
}

func opsString(ops []*backend.Operation) string {
	var b strings.Builder
	for _, op := range ops {
		fmt.Fprintf(&b, "[%s %s %s→%s %q] ", op.Kind, op.State, op.BeforeState, op.AfterState, op.Message)
	}
	return b.String()
}
