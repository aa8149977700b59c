package sync

import (
	"context"
	gosync "sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/sqlite"
)

// afterRead is the fixture's store with hook run once, right after the first read of
// one payment by id: the sync's last look at the payment before it writes. Another
// desktop's change (on the fixture's store itself) lands between that read and the
// sync's write, where no re-read can see it.
type afterRead struct {
	*sqlite.DB
	id   int64
	once gosync.Once
	hook func()
}

func (s *afterRead) PaymentByID(ctx context.Context, id int64) (*backend.Payment, error) {
	p, err := s.DB.PaymentByID(ctx, id)
	if id == s.id {
		s.once.Do(s.hook)
	}
	return p, err
}

// otherDesktop is a second desktop on the fixture's database and gateway.
func (f *fixture) otherDesktop() (*Syncer, *payment.Engine) {
	eng := &payment.Engine{Store: f.db, Gateways: f.gws, Clock: f.clock, Timeout: 5 * time.Second}
	return &Syncer{Store: f.db, Gateways: f.gws, Engine: eng, Clock: f.clock, Notifier: newRecorder()}, eng
}

// A capture completed on another desktop just after the sync's last read of the
// payment stands: the sync, whose inquiry found it 仮売上, does not put it back to
// 仮売上 with its copy (a lost update before the write was made over the version
// read). The payment is counted as changed, not reported as an error, and the next
// run agrees with the gateway.
func TestACaptureCompletedAfterTheSyncsReadStands(t *testing.T) {
	f := newFixture(t)
	p := f.card(backend.StateAuthorized, "AUTH", 6600, 6600, f.now().AddDate(0, 0, -20), backend.OrderNew)
	_, other := f.otherDesktop()
	f.s.Store = &afterRead{DB: f.db, id: p.ID, hook: func() {
		_, err := other.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: "佐藤"})
		require.NoError(t, err)
	}}
	f.advance(time.Minute)
	rep := f.run()
	tr, _ := f.sim.Trade(p.GatewayOrderID)
	require.Equal(t, "SALES", tr.Status, "the other desktop's capture reached the gateway")

	got := f.payment(p.ID)
	assert.Equal(t, backend.StateCaptured, got.State, "the capture stands (not 仮売上 again)")
	assert.Equal(t, backend.Yen(6600), got.AmountCaptured)
	assert.Equal(t, backend.OrderPaid, f.orderOf(p).Status)
	assert.Equal(t, 1, rep.Changed, "left to the next run")
	assert.Empty(t, rep.Errors, "not an error for the operator")
	assert.Zero(t, rep.Drifts)

	f.s.Store = f.db
	f.advance(5 * time.Minute)
	rep = f.run()
	assert.Zero(t, rep.Changed)
	assert.Empty(t, f.drifts())
	assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State)
}

// A payment cancelled in the gateway's console is a difference the sync lists and
// puts on 「出荷を止める」. When another desktop's operator settles it (キャンセルにする)
// just after the sync's read, the sync neither writes its old copy back (仮売上 over
// 取消) nor lists the difference or the hold again.
func TestADifferenceSettledOnAnotherDesktopAfterTheSyncsReadStaysSettled(t *testing.T) {
	f := newFixture(t)
	p := f.card(backend.StateAuthorized, "AUTH", 5500, 5500, f.now().AddDate(0, 0, -3), backend.OrderNew)
	require.NoError(t, f.sim.SetStatus(p.GatewayOrderID, "VOID")) // cancelled in the console
	otherSync, _ := f.otherDesktop()
	f.s.Store = &afterRead{DB: f.db, id: p.ID, hook: func() {
		require.NoError(t, otherSync.CancelHeldOrder(f.ctx, p.ID, "佐藤"))
	}}
	f.advance(time.Minute)
	rep := f.run()

	got := f.payment(p.ID)
	assert.Equal(t, backend.StateVoided, got.State, "the other desktop's fix stands")
	assert.Equal(t, backend.OrderCancelled, f.orderOf(p).Status)
	assert.Empty(t, rep.Holds, "not put on 出荷を止める again")
	assert.Empty(t, f.drifts(), "no difference listed from the old copy")
	assert.Zero(t, rep.Drifts)
	assert.Equal(t, 1, rep.Changed)
	assert.Empty(t, rep.Errors)
}

// A change the sync journals (a first state from the gateway) is made only over the
// payment as the run read it: a payment another desktop has taken to 仮売上 and then
// captured since keeps its capture, and the journal has no second, stale entry.
func TestASyncFixIsNotJournalledOverAChangeMadeAfterTheRead(t *testing.T) {
	f := newFixture(t)
	authAt := f.now().Add(-2 * time.Hour)
	p := f.card(backend.StatePending, "AUTH", 4400, 4400, authAt, backend.OrderProcessing)
	otherSync, other := f.otherDesktop()
	f.s.Store = &afterRead{DB: f.db, id: p.ID, hook: func() {
		require.NoError(t, otherSync.AcceptGateway(f.ctx, p.ID, "佐藤"))
		_, err := other.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: "佐藤"})
		require.NoError(t, err)
	}}
	f.advance(time.Minute)
	rep := f.run()

	got := f.payment(p.ID)
	assert.Equal(t, backend.StateCaptured, got.State, "the capture stands (not 仮売上 again)")
	assert.Zero(t, rep.Updated, "nothing recorded by this run")
	assert.Equal(t, 1, rep.Changed)
	assert.Empty(t, rep.Errors)
	var kinds []backend.OpKind
	for _, op := range f.ops(p) {
		kinds = append(kinds, op.Kind)
	}
	assert.Equal(t, []backend.OpKind{backend.OpSyncFix, backend.OpCapture}, kinds, "the other desktop's fix and capture only")
}

// An operator's ゲートウェイに合わせる is made over the payment as read before the
// inquiry: one another desktop changed meanwhile is refused, nothing written.
func TestAcceptGatewayIsRefusedWhenThePaymentChangedDuringItsInquiry(t *testing.T) {
	f := newFixture(t)
	p := f.card(backend.StateAuthorized, "AUTH", 3300, 3300, f.now().AddDate(0, 0, -3), backend.OrderNew)
	_, other := f.otherDesktop()
	var once gosync.Once
	f.s.Gateways = afterInquiry{f.gws, func(q *backend.Payment) {
		once.Do(func() {
			_, err := other.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: "佐藤"})
			require.NoError(t, err)
		})
	}}
	err := f.s.AcceptGateway(f.ctx, p.ID, "高橋")
	require.ErrorIs(t, err, backend.ErrPaymentChanged)
	assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State, "the capture stands")
	assert.Len(t, f.ops(p), 1, "the capture only")
}
