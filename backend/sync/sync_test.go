package sync

// Behaviour tests of the sync against the GMO-PG simulator over HTTP on 127.0.0.1,
// through the real client, gateway factory, engine and SQLite store. The app and the
// simulator share one instant: the syncer's and the store's backend.Clock reads the
// simulator's simkit.Clock, which the tests move.

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/vault"
)

// t0 is a Tuesday morning in Japan, on a whole second (GMO-PG times have seconds).
var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, backend.JST)

const (
	testShopID   = "tshop00000001" // 13 alphanumerics
	testShopPass = "Pass1234ab"    // 10 alphanumerics at most
)

// recorder is the Notifier: it keeps what the UI and the desktop would have been told.
type recorder struct {
	mu      gosync.Mutex
	events  []string
	notes   []string
	notesEn []string
	done    chan struct{}      // one value per "sync:done"
	onEmit  func(event string) // called before recording (may block)
	onEmitM gosync.Mutex
}

func newRecorder() *recorder { return &recorder{done: make(chan struct{}, 100)} }

func (r *recorder) Emit(event string, data any) {
	r.onEmitM.Lock()
	hook := r.onEmit
	r.onEmitM.Unlock()
	if hook != nil {
		hook(event)
	}
	r.mu.Lock()
	r.events = append(r.events, event)
	r.mu.Unlock()
	if event == EventDone {
		r.done <- struct{}{}
	}
}

func (r *recorder) Notify(title, body string) {
	r.mu.Lock()
	r.notes = append(r.notes, title+": "+body)
	r.mu.Unlock()
}

// NotifyText keeps the Japanese with the other notes and the English beside them.
func (r *recorder) NotifyText(title, body backend.Text) {
	r.Notify(title.Ja, body.Ja)
	r.mu.Lock()
	r.notesEn = append(r.notesEn, title.En+": "+body.En)
	r.mu.Unlock()
}

func (r *recorder) setHook(h func(string)) {
	r.onEmitM.Lock()
	r.onEmit = h
	r.onEmitM.Unlock()
}

func (r *recorder) notificationsEn() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.notesEn...)
}

func (r *recorder) notifications() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.notes...)
}

func (r *recorder) waitDone(t *testing.T) {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		t.Fatal("no sync:done within 10 s")
	}
}

type fixture struct {
	t        testing.TB
	ctx      context.Context
	simClock *simkit.Clock
	clock    backend.Clock
	sim      *gmosim.Sim
	simState string // the simulator's state file: a restarted simulator keeps its trades
	db       *sqlite.DB
	vault    *vault.Memory
	gws      *gateways.Factory
	prof     *backend.GatewayProfile
	engine   *payment.Engine
	s        *Syncer
	note     *recorder
	seq      int
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{t: t, ctx: context.Background(), simClock: simkit.NewClock(t0), simState: filepath.Join(dir, "gmo-sim.json")}
	f.clock = backend.ClockFunc(f.simClock.Now) // one instant for the app and the gateway

	sim, err := gmosim.Start(gmosim.Options{Clock: f.simClock, StateFile: f.simState})
	require.NoError(t, err)
	f.sim = sim
	t.Cleanup(func() { f.sim.Close() })
	sim.AddShop(testShopID, testShopPass)

	db, err := sqlite.Open(filepath.Join(dir, "kessaidesk.db"))
	require.NoError(t, err)
	db.Now = f.clock.Now
	f.db = db
	t.Cleanup(func() { db.Close() })

	f.prof = &backend.GatewayProfile{Name: "GMO-PG テスト環境", Kind: backend.GatewayGMO, Environment: backend.EnvTest,
		Host: sim.URL(), MerchantID: testShopID, AuthExpiryDays: 90,
		Methods: []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini, backend.MethodPayEasy, backend.MethodNetBank}}
	require.NoError(t, db.SaveProfile(f.ctx, f.prof))
	f.vault = vault.NewMemory()
	require.NoError(t, f.vault.Set(backend.SecretKey(f.prof.ID, backend.SecretShopPass), testShopPass))
	f.gws = &gateways.Factory{Vault: f.vault, Timeout: 5 * time.Second}
	f.engine = &payment.Engine{Store: db, Gateways: f.gws, Clock: f.clock, Timeout: 5 * time.Second}
	f.note = newRecorder()
	f.s = &Syncer{Store: db, Gateways: f.gws, Engine: f.engine, Clock: f.clock, Notifier: f.note}
	return f
}

func (f *fixture) now() time.Time { return f.clock.Now() }

// advance moves the app and the gateway forward together.
func (f *fixture) advance(d time.Duration) { f.simClock.Advance(d) }

func (f *fixture) order(method backend.PaymentMethod, amount backend.Yen, status backend.OrderStatus) *backend.Order {
	f.t.Helper()
	f.seq++
	no := fmt.Sprint(100000 + f.seq)
	o := &backend.Order{OrderNo: no, OrderedAt: f.now(), CustomerName: "山田 太郎", CustomerKana: "ヤマダ タロウ",
		Email: "yamada@example.jp", Tel: "03-1234-5678", PaymentMethod: method, Status: status, Source: "test",
		Items:    []backend.LineItem{{ProductCode: "TS-" + no, ProductName: "オーガニックコットンTシャツ", Variant: "M / ブラック", UnitPrice: amount, Quantity: 1}},
		Subtotal: amount, Total: amount}
	require.NoError(f.t, f.db.SaveOrder(f.ctx, o))
	return o
}

// deposit is a konbini / Pay-easy / net-bank slip issued now: REQSUCCESS at the
// simulator for theirs yen, 入金待ち for ours yen in the store, the order 入金待ち.
func (f *fixture) deposit(method backend.PaymentMethod, ours, theirs backend.Yen, term time.Time) *backend.Payment {
	f.t.Helper()
	o := f.order(method, ours, backend.OrderAwaitingDeposit)
	p := &backend.Payment{OrderID: o.ID, ProfileID: f.prof.ID, Gateway: backend.GatewayGMO, Method: method,
		GatewayOrderID: "KD" + o.OrderNo, State: backend.StateAwaitingDeposit, AmountAuthorized: ours,
		RawStatus: "REQSUCCESS", LastSyncedAt: f.now()}
	spec := gmosim.DepositSpec{ShopID: testShopID, OrderID: p.GatewayOrderID, Amount: int64(theirs), PaymentTerm: term}
	var err error
	if method == backend.MethodKonbini {
		p.GatewayTranID, p.GatewayTranPass, err = f.sim.AddCvsTrade(spec)
	} else {
		p.GatewayTranID, p.GatewayTranPass, err = f.sim.AddPayEasyTrade(spec)
	}
	require.NoError(f.t, err)
	tr, ok := f.sim.Trade(p.GatewayOrderID)
	require.True(f.t, ok)
	p.PaymentDeadline = tr.PaymentTerm
	require.NoError(f.t, f.db.SavePayment(f.ctx, p))
	return p
}

func (f *fixture) konbini(amount backend.Yen) *backend.Payment {
	return f.deposit(backend.MethodKonbini, amount, amount, time.Time{})
}

// card is a card payment: state in the store, status at the simulator, authorised at authAt.
func (f *fixture) card(state backend.PaymentState, status string, ours, theirs backend.Yen, authAt time.Time, orderStatus backend.OrderStatus) *backend.Payment {
	f.t.Helper()
	o := f.order(backend.MethodCard, ours, orderStatus)
	p := &backend.Payment{OrderID: o.ID, ProfileID: f.prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
		GatewayOrderID: "KD" + o.OrderNo, State: state, AmountAuthorized: ours, AuthorizedAt: authAt,
		AuthExpiresAt: authAt.AddDate(0, 0, f.prof.AuthExpiryDays), RawStatus: status, LastSyncedAt: f.now()}
	spec := gmosim.CardSpec{ShopID: testShopID, OrderID: p.GatewayOrderID, Amount: int64(theirs), Status: status, AuthDate: authAt}
	if state == backend.StateCaptured {
		p.AmountCaptured, p.CapturedAt = ours, f.now().Add(-time.Hour)
	}
	if status == "SALES" {
		spec.SalesDate = f.now().Add(-time.Hour)
	}
	var err error
	p.GatewayTranID, p.GatewayTranPass, err = f.sim.AddCardTrade(spec)
	require.NoError(f.t, err)
	require.NoError(f.t, f.db.SavePayment(f.ctx, p))
	return p
}

func (f *fixture) payment(id int64) *backend.Payment {
	f.t.Helper()
	p, err := f.db.PaymentByID(f.ctx, id)
	require.NoError(f.t, err)
	return p
}

func (f *fixture) orderOf(p *backend.Payment) *backend.Order {
	f.t.Helper()
	o, err := f.db.OrderByID(f.ctx, p.OrderID)
	require.NoError(f.t, err)
	return o
}

func (f *fixture) ops(p *backend.Payment) []*backend.Operation {
	f.t.Helper()
	ops, err := f.db.OperationsByPayment(f.ctx, p.ID)
	require.NoError(f.t, err)
	return ops
}

func (f *fixture) events(p *backend.Payment) []backend.OrderEvent {
	f.t.Helper()
	ev, err := f.db.OrderEvents(f.ctx, p.OrderID)
	require.NoError(f.t, err)
	return ev
}

func (f *fixture) drifts() map[int64]backend.Drift {
	f.t.Helper()
	ds, err := f.db.Drifts(f.ctx)
	require.NoError(f.t, err)
	out := map[int64]backend.Drift{}
	for _, d := range ds {
		out[d.PaymentID] = d
	}
	require.Len(f.t, out, len(ds), "one drift per payment")
	return out
}

func (f *fixture) cancelStock() map[int64]int {
	f.t.Helper()
	items, err := f.db.CancelStock(f.ctx, "pending")
	require.NoError(f.t, err)
	out := map[int64]int{}
	for _, it := range items {
		out[it.OrderID]++
	}
	return out
}

func (f *fixture) status() *backend.SyncStatus {
	f.t.Helper()
	st, err := f.db.SyncStatus(f.ctx, f.prof.ID)
	require.NoError(f.t, err)
	return st
}

func (f *fixture) run() *Report {
	f.t.Helper()
	rep, err := f.s.RunOnce(f.ctx)
	require.NoError(f.t, err)
	return rep
}

// mutations counts the requests that may change a transaction at the simulator.
func (f *fixture) mutations() int {
	n := 0
	for _, api := range []string{"AlterTran.idPass", "ChangeTran.idPass", "CvsCancel.idPass", "ExecTran.idPass", "EntryTran.idPass"} {
		n += f.sim.Server.Log.Count(api)
	}
	return n
}

// 1. A konbini slip paid at the store becomes 入金済み, and so does its order, journalled
// as 自動同期.
func TestDepositAtTheGatewayMarksThePaymentDepositedAndTheOrderPaid(t *testing.T) {
	f := newFixture(t)
	paid := f.konbini(3980)
	waiting := f.konbini(12800)

	f.advance(26 * time.Hour)
	require.NoError(t, f.sim.MarkPaid(paid.GatewayOrderID)) // the customer pays at the Lawson till
	paidAt := f.now()
	f.advance(3 * time.Minute)
	syncedAt := f.now()

	rep := f.run()
	assert.Equal(t, 1, rep.Deposits)
	assert.Equal(t, 2, rep.Checked)
	assert.Equal(t, 2, rep.Requests)
	assert.Zero(t, rep.Expired+rep.Updated+rep.Drifts+rep.Resolved)
	assert.Empty(t, rep.Errors)
	assert.Empty(t, rep.Offline)
	assert.Equal(t, syncedAt, rep.StartedAt)
	assert.Equal(t, 2, f.sim.Server.Log.Count("SearchTradeMulti.idPass"))
	assert.Zero(t, f.mutations(), "the sync only asks")

	p := f.payment(paid.ID)
	assert.Equal(t, backend.StateDeposited, p.State, "入金済み")
	assert.Equal(t, "PAYSUCCESS", p.RawStatus)
	assert.True(t, p.PaidAt.Equal(paidAt), "PaidAt is the gateway's FinishDate: %v", p.PaidAt)
	assert.True(t, p.LastSyncedAt.Equal(syncedAt))
	assert.Equal(t, backend.Yen(3980), p.AmountAuthorized)
	assert.Equal(t, backend.OrderPaid, f.orderOf(p).Status, "the order is 入金済み")

	ops := f.ops(p)
	require.Len(t, ops, 1, "the change is journalled like an operator's")
	op := ops[0]
	assert.Equal(t, backend.ActorSync, op.Operator)
	assert.Equal(t, "自動同期", op.Operator)
	assert.Equal(t, backend.OpSyncFix, op.Kind)
	assert.Equal(t, backend.OpSucceeded, op.State)
	assert.Equal(t, backend.StateAwaitingDeposit, op.BeforeState)
	assert.Equal(t, backend.StateDeposited, op.AfterState)
	assert.Equal(t, "PAYSUCCESS", op.GatewayCode)
	assert.Contains(t, op.Message, "入金を確認しました")
	assert.Equal(t, "Deposit received", op.MessageEn, "the journal says it in English too")
	assert.True(t, op.RequestedAt.Equal(syncedAt))
	assert.False(t, op.Kind.Billable(), "an inquiry costs nothing")

	ev := f.events(p)
	require.NotEmpty(t, ev)
	last := ev[len(ev)-1]
	assert.Equal(t, backend.ActorSync, last.Actor)
	assert.Equal(t, "status", last.Kind)
	assert.Equal(t, "入金待ち → 入金済み", last.Detail)
	assert.True(t, last.At.Equal(syncedAt))

	// The slip not yet paid is untouched but for the time it was last read.
	w := f.payment(waiting.ID)
	assert.Equal(t, backend.StateAwaitingDeposit, w.State)
	assert.True(t, w.LastSyncedAt.Equal(syncedAt))
	assert.Empty(t, f.ops(w))
	assert.Equal(t, backend.OrderAwaitingDeposit, f.orderOf(w).Status)
	assert.Empty(t, f.drifts())

	assert.Equal(t, []string{"入金を確認しました: 1件の入金を確認し、対応状況を入金済みにしました"}, f.note.notifications())
	assert.Equal(t, []string{"Deposits received: 1 deposit received; its order is set to paid"}, f.note.notificationsEn(), "the notification carries English for the English window")
	st := f.status()
	assert.True(t, st.LastSuccess.Equal(syncedAt))
	assert.Zero(t, st.Failures)
	assert.True(t, st.OfflineSince.IsZero())

	// The next run no longer asks about the deposited slip, and records nothing twice.
	f.advance(5 * time.Minute)
	rep = f.run()
	assert.Equal(t, 1, rep.Checked)
	assert.Zero(t, rep.Deposits)
	assert.Len(t, f.ops(p), 1)
	assert.Len(t, f.notifications(), 1)
}

func (f *fixture) notifications() []string { return f.note.notifications() }

// The sync does not overrule an operator who moved the order on by hand.
func TestDepositLeavesAnOrderMovedByHandAlone(t *testing.T) {
	f := newFixture(t)
	p := f.konbini(5400)
	require.NoError(t, f.db.SetOrderStatus(f.ctx, p.OrderID, backend.OrderOnHold, "佐藤"))
	require.NoError(t, f.sim.MarkPaid(p.GatewayOrderID))
	f.advance(time.Minute)

	rep := f.run()
	assert.Equal(t, 1, rep.Deposits)
	assert.Equal(t, backend.StateDeposited, f.payment(p.ID).State)
	assert.Equal(t, backend.OrderOnHold, f.orderOf(p).Status, "保留 stays 保留")
	for _, e := range f.events(p) {
		assert.NotEqual(t, backend.ActorSync, e.Actor, "no 対応状況 change by the sync: %+v", e)
	}
	require.Len(t, f.ops(p), 1)
	assert.Equal(t, backend.ActorSync, f.ops(p)[0].Operator)
}

// A deposit the sync could not record (an operator's operation on the payment is in
// flight) is neither counted nor announced; the next run records it.
func TestDepositBlockedByAnOperationInFlightIsNotAnnounced(t *testing.T) {
	f := newFixture(t)
	f.s.Engine = nil // another window's operation stays in flight during the run
	p := f.konbini(2200)
	op := &backend.Operation{PaymentID: p.ID, Intent: "cancel", Kind: backend.OpStopPayment, IdempotencyKey: "other-window",
		Operator: "佐藤", BeforeState: p.State, RequestedAt: f.now()}
	require.NoError(t, f.db.BeginOperation(f.ctx, op))
	require.NoError(t, f.sim.MarkPaid(p.GatewayOrderID))
	f.advance(time.Minute)

	rep := f.run()
	assert.Equal(t, backend.StateAwaitingDeposit, f.payment(p.ID).State, "not recorded while the operation is in flight")
	assert.Equal(t, backend.OrderAwaitingDeposit, f.orderOf(p).Status)
	assert.Zero(t, rep.Deposits, "a deposit that was not recorded is not reported")
	assert.Empty(t, f.notifications(), "the operator is not told the order became 入金済み when it did not")

	// The operation ends (refused: the slip is paid); the next run records the deposit.
	op.State, op.AfterState, op.Message = backend.OpFailed, p.State, "支払済みのため停止できません"
	require.NoError(t, f.db.CompleteOperation(f.ctx, &backend.Completion{Op: op}))
	f.advance(5 * time.Minute)
	rep = f.run()
	assert.Equal(t, 1, rep.Deposits)
	assert.Equal(t, backend.StateDeposited, f.payment(p.ID).State)
	assert.Equal(t, backend.OrderPaid, f.orderOf(p).Status)
	assert.Len(t, f.notifications(), 1)
}

// 2. A konbini slip past its deadline expires and cancels the order, with its items on
// the キャンセル在庫 list; a Pay-easy (ATM) slip too.
func TestKonbiniPastItsDeadlineExpiresAndCancelsTheOrder(t *testing.T) {
	f := newFixture(t)
	k := f.konbini(3300)                                                           // default term: 7 days, 23:59:59 JST
	atm := f.deposit(backend.MethodPayEasy, 6100, 6100, time.Time{})               // Pay-easy at an ATM
	later := f.deposit(backend.MethodKonbini, 990, 990, f.now().AddDate(0, 0, 30)) // not due yet
	require.True(t, k.PaymentDeadline.Equal(time.Date(2026, 12, 1, 23, 59, 59, 0, backend.JST)), "%v", k.PaymentDeadline)

	// The day of the deadline: nothing expires yet.
	f.simClock.Set(time.Date(2026, 12, 1, 23, 0, 0, 0, backend.JST))
	rep := f.run()
	assert.Zero(t, rep.Expired)
	assert.Equal(t, backend.StateAwaitingDeposit, f.payment(k.ID).State)

	f.simClock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, backend.JST))
	rep = f.run()
	assert.Equal(t, 2, rep.Expired)
	assert.Zero(t, rep.Deposits+rep.Drifts)
	assert.Empty(t, rep.Errors)

	for _, p := range []*backend.Payment{k, atm} {
		got := f.payment(p.ID)
		assert.Equal(t, backend.StateExpired, got.State, "期限切れ")
		assert.Equal(t, "EXPIRED", got.RawStatus)
		assert.Equal(t, backend.OrderCancelled, f.orderOf(p).Status, "the order is cancelled")
		ops := f.ops(p)
		require.Len(t, ops, 1)
		assert.Equal(t, backend.ActorSync, ops[0].Operator)
		assert.Equal(t, backend.StateExpired, ops[0].AfterState)
		assert.Contains(t, ops[0].Message, "受注をキャンセルにしました")
		ev := f.events(p)
		require.NotEmpty(t, ev)
		assert.Equal(t, "入金待ち → キャンセル", ev[len(ev)-1].Detail)
		assert.Equal(t, backend.ActorSync, ev[len(ev)-1].Actor)
	}
	stock := f.cancelStock()
	assert.Equal(t, 1, stock[k.OrderID], "the konbini order's item is on the キャンセル在庫 list")
	assert.Equal(t, 1, stock[atm.OrderID])
	assert.Zero(t, stock[later.OrderID])
	assert.Equal(t, backend.StateAwaitingDeposit, f.payment(later.ID).State)
	assert.Equal(t, backend.OrderAwaitingDeposit, f.orderOf(later).Status)

	// Expired is final for the sync: no more inquiries, nothing recorded twice.
	rep = f.run()
	assert.Equal(t, 1, rep.Checked)
	assert.Len(t, f.ops(k), 1)
}

// 2. A net-bank payment that expires keeps its order (the customer may still pay by
// other means) unless sync.netbank_autocancel is "1".
func TestNetBankExpiryKeepsTheOrderUnlessAutoCancelIsOn(t *testing.T) {
	f := newFixture(t)
	nb := f.deposit(backend.MethodNetBank, 8800, 8800, f.now().Add(48*time.Hour))
	f.advance(72 * time.Hour)

	rep := f.run()
	assert.Equal(t, 1, rep.Expired)
	got := f.payment(nb.ID)
	assert.Equal(t, backend.StateExpired, got.State)
	assert.Equal(t, backend.OrderAwaitingDeposit, f.orderOf(nb).Status, "not cancelled by default")
	assert.Zero(t, f.cancelStock()[nb.OrderID], "nothing on the キャンセル在庫 list")
	ops := f.ops(nb)
	require.Len(t, ops, 1)
	assert.Equal(t, backend.ActorSync, ops[0].Operator)
	assert.Contains(t, ops[0].Message, "銀行ネット決済は受注をキャンセルしません")
	for _, e := range f.events(nb) {
		assert.NotEqual(t, "status", e.Kind, "no 対応状況 change: %+v", e)
	}

	// With the setting on, the next net-bank expiry cancels its order.
	require.NoError(t, f.db.SetSetting(f.ctx, SettingNetBankAutoVoid, "1"))
	nb2 := f.deposit(backend.MethodNetBank, 4400, 4400, f.now().Add(24*time.Hour))
	f.advance(25 * time.Hour)
	rep = f.run()
	assert.Equal(t, 1, rep.Expired)
	assert.Equal(t, backend.StateExpired, f.payment(nb2.ID).State)
	assert.Equal(t, backend.OrderCancelled, f.orderOf(nb2).Status, "cancelled with sync.netbank_autocancel = 1")
	assert.Equal(t, 1, f.cancelStock()[nb2.OrderID])
	require.Len(t, f.ops(nb2), 1)
	assert.Contains(t, f.ops(nb2)[0].Message, "受注をキャンセルにしました")
	ev := f.events(nb2)
	assert.Equal(t, backend.ActorSync, ev[len(ev)-1].Actor)
	// The first one was already settled and stays as it was.
	assert.Equal(t, backend.OrderAwaitingDeposit, f.orderOf(nb).Status)
}

// A checkout still 決済処理中 on our side takes the gateway's first state.
func TestPendingCheckoutTakesTheGatewayState(t *testing.T) {
	f := newFixture(t)
	p := f.konbini(1500)
	o := f.orderOf(p)
	o.Status = backend.OrderProcessing
	require.NoError(t, f.db.SaveOrder(f.ctx, o))
	p.State, p.RawStatus, p.PaymentDeadline = backend.StatePending, "UNPROCESSED", time.Time{}
	require.NoError(t, f.db.SavePayment(f.ctx, p))
	f.advance(time.Minute)

	rep := f.run()
	assert.Equal(t, 1, rep.Updated)
	got := f.payment(p.ID)
	assert.Equal(t, backend.StateAwaitingDeposit, got.State)
	assert.True(t, got.PaymentDeadline.Equal(time.Date(2026, 12, 1, 23, 59, 59, 0, backend.JST)), "the deadline comes from the gateway")
	assert.Equal(t, backend.OrderAwaitingDeposit, f.orderOf(p).Status)
	require.Len(t, f.ops(p), 1)
	assert.Equal(t, backend.ActorSync, f.ops(p)[0].Operator)
}

// 3. Differences the rules do not cover are listed and nothing changes until the
// operator fixes each one; AcceptGateway makes ours the gateway's.
func TestDriftsAreListedAndFixedOnlyByTheOperator(t *testing.T) {
	f := newFixture(t)
	// A 仮売上 close to its expiry that someone captured in the GMO console.
	authAt := f.now().AddDate(0, 0, -85)
	captured := f.card(backend.StateAuthorized, "AUTH", 15000, 15000, authAt, backend.OrderNew)
	require.NoError(t, f.sim.SetStatus(captured.GatewayOrderID, "SALES"))
	// A konbini slip whose amount differs (the order was changed after the slip).
	amount := f.deposit(backend.MethodKonbini, 5000, 5500, time.Time{})
	// A 仮売上 far from its expiry, cancelled in the console: every open authorisation
	// is compared, and its order (not shipped) is to be stopped.
	quiet := f.card(backend.StateAuthorized, "AUTH", 7000, 7000, f.now().AddDate(0, 0, -3), backend.OrderNew)
	require.NoError(t, f.sim.SetStatus(quiet.GatewayOrderID, "VOID"))
	f.advance(time.Minute)

	rep := f.run()
	assert.Equal(t, 3, rep.Drifts)
	assert.Equal(t, 3, rep.Checked)
	assert.Zero(t, rep.Deposits+rep.Expired+rep.Updated)
	assert.Equal(t, []string{f.orderOf(quiet).OrderNo}, rep.Holds)

	ds := f.drifts()
	require.Len(t, ds, 3)
	d := ds[captured.ID]
	assert.Equal(t, backend.StateAuthorized, d.OurState)
	assert.Equal(t, backend.StateCaptured, d.GatewayState)
	assert.Equal(t, "SALES", d.RawStatus)
	assert.Equal(t, backend.GatewayGMO, d.Gateway)
	assert.Equal(t, "山田 太郎", d.CustomerName)
	assert.Equal(t, "当方は「仮売上」、ゲートウェイは「実売上」", d.Detail)
	d = ds[amount.ID]
	assert.Equal(t, backend.StateAwaitingDeposit, d.OurState)
	assert.Equal(t, backend.StateAwaitingDeposit, d.GatewayState)
	assert.Equal(t, backend.Yen(5000), d.OurAmount)
	assert.Equal(t, backend.Yen(5500), d.GatewayAmount)
	assert.Contains(t, d.Detail, "金額")

	assert.Equal(t, backend.StateVoided, ds[quiet.ID].GatewayState)

	// Nothing changed on either side, and another run changes nothing either.
	f.advance(5 * time.Minute)
	rep = f.run()
	assert.Equal(t, 3, rep.Drifts)
	assert.Len(t, f.drifts(), 3, "refreshed, not duplicated")
	assert.Empty(t, rep.Holds, "announced once")
	for _, p := range []*backend.Payment{captured, amount, quiet} {
		got := f.payment(p.ID)
		assert.Equal(t, p.State, got.State)
		assert.Equal(t, p.AmountAuthorized, got.AmountAuthorized)
		assert.Empty(t, f.ops(p))
	}
	assert.Equal(t, backend.OrderNew, f.orderOf(captured).Status)
	assert.Zero(t, f.mutations(), "nothing was sent to the gateway")
	tr, _ := f.sim.Trade(amount.GatewayOrderID)
	assert.Equal(t, int64(5500), tr.Amount)

	// The operator accepts the gateway's state for the capture…
	f.advance(time.Minute)
	require.NoError(t, f.s.AcceptGateway(f.ctx, captured.ID, "佐藤"))
	got := f.payment(captured.ID)
	assert.Equal(t, backend.StateCaptured, got.State)
	assert.Equal(t, "SALES", got.RawStatus)
	assert.Equal(t, backend.Yen(15000), got.AmountCaptured)
	ops := f.ops(captured)
	require.Len(t, ops, 1)
	assert.Equal(t, "佐藤", ops[0].Operator, "journalled under the operator's name")
	assert.Equal(t, backend.OpSyncFix, ops[0].Kind)
	assert.Equal(t, backend.StateAuthorized, ops[0].BeforeState)
	assert.Equal(t, backend.StateCaptured, ops[0].AfterState)
	assert.Contains(t, ops[0].Message, "実売上")
	// …and for the amount.
	require.NoError(t, f.s.AcceptGateway(f.ctx, amount.ID, "佐藤"))
	assert.Equal(t, backend.Yen(5500), f.payment(amount.ID).AmountAuthorized)
	assert.Len(t, f.drifts(), 1, "the cancel waits for the operator")
	assert.Zero(t, f.mutations(), "accepting the gateway's state sends nothing that changes it")

	f.advance(5 * time.Minute)
	rep = f.run()
	assert.Equal(t, 1, rep.Drifts, "the others are fixed for good")
	assert.Equal(t, 3, rep.Checked, "a capture of the last days is still compared")

	// AcceptGateway of a payment the gateway does not have is refused.
	ghost := f.konbini(700)
	require.NoError(t, f.db.SavePayment(f.ctx, func() *backend.Payment { g := *ghost; g.GatewayOrderID = "KD-NOT-AT-GMO"; return &g }()))
	err := f.s.AcceptGateway(f.ctx, ghost.ID, "佐藤")
	require.Error(t, err)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Equal(t, backend.StateAwaitingDeposit, f.payment(ghost.ID).State)
}

// 3. The sync also reads the captures of the last days (30 by default); PushOurs sends
// the operation that brings the gateway to our state.
func TestSyncFindsARecentCaptureMissingAtTheGatewayAndPushOursSendsIt(t *testing.T) {
	f := newFixture(t)
	// We recorded 実売上 (say the answer was lost and then mis-resolved), the gateway
	// still holds the authorisation.
	p := f.card(backend.StateCaptured, "AUTH", 24800, 24800, f.now().AddDate(0, 0, -2), backend.OrderPaid)
	// A capture older than the days compared is not asked about.
	old := f.card(backend.StateCaptured, "AUTH", 3000, 3000, f.now().AddDate(0, 0, -40), backend.OrderShipped)
	oldP := f.payment(old.ID)
	oldP.CapturedAt = f.now().AddDate(0, 0, -31)
	require.NoError(t, f.db.SavePayment(f.ctx, oldP))
	f.advance(time.Minute)

	rep := f.run()
	assert.Equal(t, 1, rep.Drifts)
	assert.Equal(t, 1, rep.Checked)
	assert.Empty(t, rep.Errors)
	assert.Empty(t, rep.Holds, "the gateway holds the money: nothing to stop")
	d, ok := f.drifts()[p.ID]
	require.True(t, ok)
	assert.Equal(t, backend.StateCaptured, d.OurState)
	assert.Equal(t, backend.StateAuthorized, d.GatewayState)
	assert.Equal(t, "AUTH", d.RawStatus)
	assert.Zero(t, f.mutations(), "the sync only asks")
	tr, _ := f.sim.Trade(p.GatewayOrderID)
	assert.Equal(t, "AUTH", tr.Status)
	assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State)
	assert.Empty(t, f.ops(p))

	f.advance(time.Minute)
	res, err := f.s.PushOurs(f.ctx, p.ID, "佐藤")
	require.NoError(t, err)
	require.NotNil(t, res.Operation())
	assert.Equal(t, backend.OpCapture, res.Operation().Kind)
	assert.Equal(t, backend.OpSucceeded, res.Operation().State)
	assert.Equal(t, "佐藤", res.Operation().Operator)
	assert.Equal(t, backend.StateAuthorized, res.Operation().BeforeState, "planned from the gateway's state")
	assert.Equal(t, 1, f.sim.Server.Log.Count("AlterTran.idPass"), "one 売上 sent")
	assert.Empty(t, f.sim.Server.Log.Duplicates("SALES"))
	tr, _ = f.sim.Trade(p.GatewayOrderID)
	assert.Equal(t, "SALES", tr.Status, "the gateway is where we are")
	got := f.payment(p.ID)
	assert.Equal(t, backend.StateCaptured, got.State)
	assert.Equal(t, backend.Yen(24800), got.AmountCaptured)
	assert.Empty(t, f.drifts())

	rep = f.run()
	assert.Zero(t, rep.Drifts)
	_, err = f.s.PushOurs(f.ctx, p.ID, "佐藤")
	require.Error(t, err)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err), "no drift, nothing to push")
	assert.Equal(t, 1, f.sim.Server.Log.Count("AlterTran.idPass"))
}

// PushOurs of an amount difference changes the amount at the gateway to ours.
func TestPushOursChangesTheAmountAtTheGateway(t *testing.T) {
	f := newFixture(t)
	// We lowered the amount to 8,000 yen; the gateway still holds 10,000.
	p := f.card(backend.StateAuthorized, "AUTH", 8000, 10000, f.now().AddDate(0, 0, -1), backend.OrderNew)
	rep := f.run()
	require.Equal(t, 1, rep.Drifts)
	d := f.drifts()[p.ID]
	assert.Equal(t, backend.Yen(8000), d.OurAmount)
	assert.Equal(t, backend.Yen(10000), d.GatewayAmount)
	assert.Contains(t, d.Detail, "金額")

	res, err := f.s.PushOurs(f.ctx, p.ID, "佐藤")
	require.NoError(t, err)
	assert.Equal(t, backend.OpChangeAmount, res.Operation().Kind)
	assert.Equal(t, backend.Yen(8000), res.Operation().Amount)
	assert.Equal(t, 1, f.sim.Server.Log.Count("ChangeTran.idPass"))
	tr, _ := f.sim.Trade(p.GatewayOrderID)
	assert.Equal(t, int64(8000), tr.Amount)
	assert.Equal(t, "AUTH", tr.Status)
	assert.Equal(t, backend.Yen(8000), f.payment(p.ID).AmountAuthorized)
	assert.Empty(t, f.drifts())
}

// PushOurs refuses a difference no operation can fix, and sends nothing.
func TestPushOursRefusesWhatNoOperationCanDo(t *testing.T) {
	f := newFixture(t)
	p := f.konbini(2980)
	require.NoError(t, f.sim.SetStatus(p.GatewayOrderID, "CANCEL")) // stopped in the console
	rep := f.run()
	require.Equal(t, 1, rep.Drifts)
	assert.Equal(t, backend.StateVoided, f.drifts()[p.ID].GatewayState)

	_, err := f.s.PushOurs(f.ctx, p.ID, "佐藤")
	require.Error(t, err)
	assert.Equal(t, backend.EUNSUPPORTED, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "ゲートウェイの状態に合わせてください")
	assert.Zero(t, f.mutations())
	assert.Len(t, f.drifts(), 1, "the difference stays listed")
	assert.Equal(t, backend.StateAwaitingDeposit, f.payment(p.ID).State)
}

// 売上失敗 with the authorisation still open at the gateway is not a difference, and an
// authorisation the gateway lacks says so.
func TestCaptureFailedAgreesAndAMissingTransactionIsListed(t *testing.T) {
	f := newFixture(t)
	failed := f.card(backend.StateCaptureFailed, "AUTH", 4000, 4000, f.now().AddDate(0, 0, -88), backend.OrderNew)
	ghost := f.card(backend.StateAuthorized, "AUTH", 1200, 1200, f.now().AddDate(0, 0, -1), backend.OrderNew)
	g := f.payment(ghost.ID)
	g.GatewayOrderID = "KD-NOT-AT-GMO"
	require.NoError(t, f.db.SavePayment(f.ctx, g))

	rep := f.run()
	ds := f.drifts()
	_, listed := ds[failed.ID]
	assert.False(t, listed, "the sync reads 売上失敗 + AUTH as agreement")
	require.Contains(t, ds, ghost.ID)
	assert.Equal(t, "ゲートウェイにこの取引がありません", ds[ghost.ID].Detail)
	assert.Equal(t, 1, rep.Drifts)
}

// 4. With the gateway unreachable nothing is marked failed; the profile is shown
// offline since the first failed run, and the run after the network is back catches up.
func TestOfflineMarksNothingFailedAndTheNextRunCatchesUp(t *testing.T) {
	f := newFixture(t)
	paid := f.konbini(4200)
	waiting := f.konbini(1800)
	rep := f.run() // a first good run while the network is up
	require.Empty(t, rep.Offline)
	addr := strings.TrimPrefix(f.sim.URL(), "http://")

	require.NoError(t, f.sim.Close()) // the network goes down
	f.advance(time.Minute)
	down := f.now()
	rep = f.run()
	assert.Equal(t, []string{f.prof.Name}, rep.Offline)
	assert.Empty(t, rep.Errors, "offline is not an error")
	assert.Zero(t, rep.Deposits+rep.Expired+rep.Updated+rep.Drifts)
	st := f.status()
	assert.True(t, st.OfflineSince.Equal(down), "offline since %v", st.OfflineSince)
	assert.True(t, st.LastAttempt.Equal(down))
	assert.True(t, st.LastSuccess.Equal(t0))
	assert.Zero(t, st.Failures, "no back-off: the next run tries again")
	assert.True(t, st.NextAttempt.IsZero())
	assert.Contains(t, st.LastError, "接続")
	assert.NotEmpty(t, st.LastErrorEn)
	assert.NotContains(t, st.LastErrorEn, "接続", "the English is English")
	for _, p := range []*backend.Payment{paid, waiting} {
		got := f.payment(p.ID)
		assert.Equal(t, backend.StateAwaitingDeposit, got.State, "nothing marked failed or expired")
		assert.True(t, got.LastSyncedAt.Equal(t0))
		assert.Empty(t, f.ops(p))
		assert.Equal(t, backend.OrderAwaitingDeposit, f.orderOf(p).Status)
	}
	assert.Empty(t, f.drifts())

	// Still down ten minutes later: offline since the first time.
	f.advance(10 * time.Minute)
	rep = f.run()
	assert.Equal(t, []string{f.prof.Name}, rep.Offline)
	st = f.status()
	assert.True(t, st.OfflineSince.Equal(down))
	assert.True(t, st.LastAttempt.Equal(f.now()))
	assert.Zero(t, st.Failures)

	// The gateway is back on the same address with its trades; the slip was paid meanwhile.
	sim, err := gmosim.Start(gmosim.Options{Clock: f.simClock, Addr: addr, StateFile: f.simState})
	require.NoError(t, err)
	f.sim = sim
	require.NoError(t, sim.MarkPaid(paid.GatewayOrderID))
	f.advance(time.Minute)
	back := f.now()
	rep = f.run()
	assert.Empty(t, rep.Offline)
	assert.Empty(t, rep.Errors)
	assert.Equal(t, 1, rep.Deposits, "caught up")
	st = f.status()
	assert.True(t, st.OfflineSince.IsZero())
	assert.True(t, st.LastSuccess.Equal(back))
	assert.Empty(t, st.LastError)
	assert.Equal(t, backend.StateDeposited, f.payment(paid.ID).State)
	assert.Equal(t, backend.OrderPaid, f.orderOf(paid).Status)
	assert.Equal(t, backend.StateAwaitingDeposit, f.payment(waiting.ID).State)
}

// A profile whose host refuses connections is offline from the first run.
func TestRefusedPortIsOffline(t *testing.T) {
	f := newFixture(t)
	p := f.konbini(1000)
	other, err := gmosim.Start(gmosim.Options{Clock: f.simClock})
	require.NoError(t, err)
	f.prof.Host = other.URL()
	require.NoError(t, other.Close()) // nothing listens there any more
	require.NoError(t, f.db.SaveProfile(f.ctx, f.prof))

	rep := f.run()
	assert.Equal(t, []string{f.prof.Name}, rep.Offline)
	assert.Empty(t, rep.Errors)
	st := f.status()
	assert.True(t, st.OfflineSince.Equal(t0))
	assert.Zero(t, st.Failures)
	assert.Equal(t, backend.StateAwaitingDeposit, f.payment(p.ID).State)
	assert.Empty(t, f.ops(p))
}

// A gateway that answers with an error (wrong shop password) is a failure: the sync
// backs off 1, 2, 4… minutes and recovers once the password is fixed.
func TestGatewayErrorsBackOff(t *testing.T) {
	f := newFixture(t)
	p := f.konbini(1000)
	require.NoError(t, f.vault.Set(backend.SecretKey(f.prof.ID, backend.SecretShopPass), "Wrong12345"))

	rep := f.run()
	require.Len(t, rep.Errors, 1)
	assert.Contains(t, rep.Errors[0], "ショップIDまたはショップパスワードが正しくありません")
	require.Len(t, rep.ErrorsEn, 1, "in English too, for an English window")
	assert.Contains(t, rep.ErrorsEn[0], f.prof.Name+": wrong shop ID or shop password")
	assert.Empty(t, rep.Offline)
	st := f.status()
	assert.Equal(t, 1, st.Failures)
	assert.Contains(t, st.LastErrorEn, "wrong shop ID or shop password")
	runs, err := LastRuns(f.ctx, f.db)
	require.NoError(t, err)
	assert.Equal(t, rep.ErrorsEn, runs[0].ErrorsEn, "the settings screen's record keeps the English")
	assert.True(t, st.NextAttempt.Equal(t0.Add(time.Minute)))
	assert.True(t, st.OfflineSince.IsZero())
	assert.Equal(t, backend.StateAwaitingDeposit, f.payment(p.ID).State, "nothing changed")

	sent := f.sim.Server.Log.Count("SearchTradeMulti.idPass")
	f.advance(30 * time.Second)
	rep = f.run()
	assert.Zero(t, rep.Requests, "backing off")
	assert.Equal(t, sent, f.sim.Server.Log.Count("SearchTradeMulti.idPass"))

	f.advance(30 * time.Second)
	f.run()
	st = f.status()
	assert.Equal(t, 2, st.Failures)
	assert.True(t, st.NextAttempt.Equal(f.now().Add(2*time.Minute)))

	require.NoError(t, f.vault.Set(backend.SecretKey(f.prof.ID, backend.SecretShopPass), testShopPass))
	f.gws.Forget(f.prof.ID)
	require.NoError(t, f.sim.MarkPaid(p.GatewayOrderID))
	f.advance(2 * time.Minute)
	rep = f.run()
	assert.Empty(t, rep.Errors)
	assert.Equal(t, 1, rep.Deposits)
	st = f.status()
	assert.Zero(t, st.Failures)
	assert.True(t, st.NextAttempt.IsZero())
	assert.Empty(t, st.LastError)
	assert.Empty(t, st.LastErrorEn)
}

// Operations left unresolved (a crash after sending) are settled first, by inquiry.
func TestUnresolvedOperationIsSettledAtTheStartOfARun(t *testing.T) {
	f := newFixture(t)
	p := f.card(backend.StateAuthorized, "AUTH", 9800, 9800, f.now().AddDate(0, 0, -1), backend.OrderNew)
	op := &backend.Operation{PaymentID: p.ID, Intent: "capture", Kind: backend.OpCapture, Amount: 9800, IdempotencyKey: "crashed",
		Operator: "佐藤", BeforeState: p.State, RequestedAt: f.now()}
	require.NoError(t, f.db.BeginOperation(f.ctx, op))
	require.NoError(t, f.db.MarkOperationSent(f.ctx, op.ID, f.now()))
	require.NoError(t, f.sim.SetStatus(p.GatewayOrderID, "SALES")) // it did reach the gateway
	f.advance(time.Minute)

	rep := f.run()
	assert.Equal(t, 1, rep.Resolved)
	got, err := f.db.OperationByID(f.ctx, op.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.OpSucceeded, got.State)
	assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State)
	assert.Zero(t, f.sim.Server.Log.Count("AlterTran.idPass"), "settled by asking, not by sending again")
}

// 5. Runs never overlap: a run asked for while one is under way is refused as busy.
func TestRunsNeverOverlap(t *testing.T) {
	f := newFixture(t)
	p := f.konbini(3000)
	require.NoError(t, f.sim.MarkPaid(p.GatewayOrderID))

	entered, release := make(chan struct{}), make(chan struct{})
	var once gosync.Once
	f.note.setHook(func(ev string) {
		if ev == EventProgress { // inside the run, after the inquiry
			once.Do(func() { close(entered); <-release })
		}
	})
	first := make(chan error, 1)
	var firstRep *Report
	go func() {
		rep, err := f.s.RunOnce(f.ctx)
		firstRep = rep
		first <- err
	}()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the first run did not start")
	}

	rep, err := f.s.RunOnce(f.ctx)
	assert.Nil(t, rep)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrRunning))
	assert.Equal(t, backend.EBUSY, backend.ErrorCode(err))
	assert.Equal(t, "同期を実行中です", backend.ErrorMessage(err, "ja"))
	f.s.RunNow() // never blocks, even during a run

	close(release)
	require.NoError(t, <-first)
	assert.Equal(t, 1, firstRep.Deposits)
	assert.Len(t, f.ops(p), 1, "recorded once")
	assert.Equal(t, 1, f.sim.Server.Log.Count("SearchTradeMulti.idPass"))

	rep = f.run() // free again
	assert.Zero(t, rep.Deposits)
}

// 5. Start runs at once, again on RunNow, and returns when its context ends — also in
// the middle of a run — leaving no back-off or offline mark behind.
func TestStartRunsOnKickAndStopsWhenCancelled(t *testing.T) {
	f := newFixture(t)
	p := f.konbini(3000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan struct{})
	go func() {
		f.s.Start(ctx)
		close(stopped)
	}()
	f.note.waitDone(t) // the run at start-up
	assert.Equal(t, 1, f.sim.Server.Log.Count("SearchTradeMulti.idPass"))

	require.NoError(t, f.sim.MarkPaid(p.GatewayOrderID))
	f.s.RunNow() // 今すぐ同期
	f.note.waitDone(t)
	assert.Equal(t, backend.StateDeposited, f.payment(p.ID).State)

	// Cancel in the middle of a slow run.
	q := f.konbini(1200)
	f.sim.Server.SetLatency(3 * time.Second)
	f.s.RunNow()
	time.Sleep(300 * time.Millisecond) // the inquiry is on its way
	began := time.Now()
	cancel()
	select {
	case <-stopped:
	case <-time.After(2 * time.Second):
		t.Fatal("Start did not return within 2 s of the cancel")
	}
	assert.Less(t, time.Since(began), 2*time.Second, "the in-flight inquiry is abandoned, not awaited")

	st := f.status()
	assert.Zero(t, st.Failures, "a cancelled run is not a failure")
	assert.True(t, st.NextAttempt.IsZero())
	assert.True(t, st.OfflineSince.IsZero(), "a cancelled run is not offline")
	assert.Equal(t, backend.StateAwaitingDeposit, f.payment(q.ID).State)
	assert.Empty(t, f.ops(q))
	unresolved, err := f.db.UnresolvedOperations(f.ctx)
	require.NoError(t, err)
	assert.Empty(t, unresolved)

	// The syncer is free: a new run works at once.
	f.sim.Server.SetLatency(0)
	rep := f.run()
	assert.Empty(t, rep.Errors)
	assert.Equal(t, 1, rep.Checked)
}

// afterInquiry wraps the real gateway factory: after the real client's inquiry of a
// payment (over HTTP, at the simulator) it runs hook, to place an operator's action
// between the sync's inquiry and what the sync does with the answer.
type afterInquiry struct {
	backend.GatewayFactory
	hook func(p *backend.Payment)
}

func (a afterInquiry) Gateway(ctx context.Context, prof *backend.GatewayProfile) (backend.Gateway, error) {
	gw, err := a.GatewayFactory.Gateway(ctx, prof)
	if err != nil {
		return nil, err
	}
	return hookedGateway{gw, a.hook}, nil
}

type hookedGateway struct {
	backend.Gateway
	hook func(p *backend.Payment)
}

func (g hookedGateway) Inquire(ctx context.Context, p *backend.Payment) (*backend.GatewayView, error) {
	v, err := g.Gateway.Inquire(ctx, p)
	g.hook(p)
	return v, err
}

// An operator who captures a payment while the sync is reading it keeps the capture:
// the sync does not write back the copy it listed at the start of the run.
func TestOperatorChangeDuringARunIsNotOverwritten(t *testing.T) {
	f := newFixture(t)
	p := f.card(backend.StateAuthorized, "AUTH", 6600, 6600, f.now().AddDate(0, 0, -86), backend.OrderNew)
	k := f.konbini(1400)
	var captured *payment.Result
	f.s.Gateways = afterInquiry{f.gws, func(q *backend.Payment) {
		switch q.ID {
		case p.ID: // 売上 in another window, after the gateway answered AUTH to the sync
			res, err := f.engine.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: "佐藤"})
			require.NoError(t, err)
			captured = res
		case k.ID: // 支払停止, after the gateway answered REQSUCCESS
			_, err := f.engine.Run(f.ctx, payment.Request{PaymentID: k.ID, Intent: payment.IntentCancel, Operator: "佐藤"})
			require.NoError(t, err)
		}
	}}
	f.advance(time.Minute)
	rep := f.run()
	require.NotNil(t, captured)
	tr, _ := f.sim.Trade(p.GatewayOrderID)
	require.Equal(t, "SALES", tr.Status)
	tr, _ = f.sim.Trade(k.GatewayOrderID)
	require.Equal(t, "CANCEL", tr.Status)

	assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State, "the operator's capture stands")
	assert.Equal(t, backend.OrderPaid, f.orderOf(p).Status)
	assert.Equal(t, backend.StateVoided, f.payment(k.ID).State, "the operator's 支払停止 stands")
	assert.Equal(t, backend.OrderCancelled, f.orderOf(k).Status)
	assert.Zero(t, rep.Drifts)

	// And the next run agrees with the gateway on both.
	f.s.Gateways = f.gws
	f.advance(5 * time.Minute)
	rep = f.run()
	assert.Zero(t, rep.Drifts)
	assert.Empty(t, f.drifts())
}

// 仮売上 about to lapse are announced once a day, not at every run.
func TestExpiringAuthorisationsAreAnnouncedOnceADay(t *testing.T) {
	f := newFixture(t)
	f.card(backend.StateAuthorized, "AUTH", 5000, 5000, f.now().AddDate(0, 0, -85), backend.OrderNew)
	f.card(backend.StateAuthorized, "AUTH", 7000, 7000, f.now().AddDate(0, 0, -10), backend.OrderNew) // far from expiry
	rep := f.run()
	assert.Equal(t, 1, rep.Expiring)
	require.Len(t, f.notifications(), 1)
	assert.Contains(t, f.notifications()[0], "1件の仮売上が7日以内に期限を迎えます")
	f.run()
	assert.Len(t, f.notifications(), 1, "not again the same day")
	f.advance(24 * time.Hour)
	f.run()
	assert.Len(t, f.notifications(), 2, "again the next day")
}

// A checkout the app first learns as pending (no authorisation date) becomes 仮売上 with
// the gateway's authorisation date (GMO: the ProcessDate of an AUTH) and the expiry
// counted from it — never from a zero date.
func TestPendingCardTakesItsAuthorisationDateFromTheGateway(t *testing.T) {
	f := newFixture(t)
	authAt := f.now().Add(-26 * time.Hour)
	p := f.card(backend.StatePending, "AUTH", 6600, 6600, authAt, backend.OrderProcessing)
	p.AuthorizedAt, p.AuthExpiresAt = time.Time{}, time.Time{}
	require.NoError(t, f.db.SavePayment(f.ctx, p))
	f.advance(time.Minute)

	rep := f.run()
	assert.Equal(t, 1, rep.Updated)
	got := f.payment(p.ID)
	assert.Equal(t, backend.StateAuthorized, got.State)
	assert.True(t, got.AuthorizedAt.Equal(authAt), "the gateway's date: %v", got.AuthorizedAt)
	assert.True(t, got.ProcessedAt.Equal(authAt))
	assert.True(t, got.AuthExpiresAt.Equal(authAt.AddDate(0, 0, f.prof.AuthExpiryDays)), "expiry from that date: %v", got.AuthExpiresAt)
	assert.Greater(t, got.AuthExpiresAt.Year(), 2000)
}
