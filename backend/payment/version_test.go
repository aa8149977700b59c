package payment_test

// A payment's version (backend.Payment.Version): every change of the stored payment is
// a new one, each operation carries the version it was planned from, and the journal
// refuses to begin one planned from an older version — nothing is sent. Two desktops
// on one database (PostgreSQL: two stores with their own pools and claims; SQLite: two
// handles on one file) plan from stale reads, and each change still reaches the
// gateway once.

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/payment"
)

// desktop is another desktop on the fixture's database and gateway.
type desktop struct {
	db  testStore
	eng *payment.Engine
}

func (f *fixture) otherDesktop() *desktop {
	f.t.Helper()
	db, err := reopenStore(f.ctx, f.ref, f.clock.Now, 0)
	require.NoError(f.t, err)
	f.t.Cleanup(func() { db.Close() })
	return &desktop{db: db, eng: &payment.Engine{Store: db, Gateways: &gateways.Factory{Vault: f.vault, Timeout: 5 * time.Second},
		Clock: f.clock, Timeout: 5 * time.Second}}
}

func assertChangedRefusal(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.True(t, errors.Is(err, backend.ErrPaymentChanged), "%v", err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "別のパソコンまたは別の操作で変更されています")
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "何も送信していません")
	assert.Contains(t, backend.ErrorMessage(err, "en"), "changed by another desktop or operation since it was read")
	assert.Contains(t, backend.ErrorMessage(err, "en"), "Nothing was sent")
}

func TestEveryChangeOfAPaymentIsANewVersionAndAnOlderOneCannotBegin(t *testing.T) {
	f := newFixture(t)
	p := f.card(cardSpec{amount: 5000})
	assert.Equal(t, int64(1), p.Version, "saved first")
	assert.Equal(t, int64(1), f.payment(p.ID).Version)

	p.LastSyncedAt = f.clock.Now().Add(time.Minute) // a sync's save
	require.NoError(t, f.db.SavePayment(f.ctx, p))
	assert.Equal(t, int64(2), p.Version)
	assert.Equal(t, int64(2), f.payment(p.ID).Version)

	// An operation planned from version 1 is refused; nothing is journalled.
	stale := &backend.Operation{PaymentID: p.ID, Intent: "capture", Kind: backend.OpCapture, Amount: 5000,
		IdempotencyKey: "stale-1", Operator: operator, BeforeState: backend.StateAuthorized, PaymentVersion: 1}
	assertChangedRefusal(t, f.db.BeginOperation(f.ctx, stale))
	assert.Empty(t, f.ops(p.ID))

	// The engine plans from what it reads: its operation carries version 2, and the
	// outcome is version 3.
	res, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: operator})
	require.NoError(t, err)
	assert.Equal(t, int64(3), res.Payment.Version)
	got := f.payment(p.ID)
	assert.Equal(t, int64(3), got.Version)
	ops := f.ops(p.ID)
	require.Len(t, ops, 1)
	assert.Equal(t, int64(2), ops[0].PaymentVersion)
	assert.Equal(t, backend.OpSucceeded, ops[0].State)

	// Version 0 is an entry not planned from a read (a change the gateway made): unchecked.
	fix := &backend.Operation{PaymentID: p.ID, Intent: "sync", Kind: backend.OpSyncFix, IdempotencyKey: "fix-1", Operator: backend.ActorSync,
		BeforeState: backend.StateCaptured}
	require.NoError(t, f.db.BeginOperation(f.ctx, fix))
	fix.State, fix.AfterState = backend.OpSucceeded, backend.StateCaptured
	got.LastSyncedAt = f.clock.Now().Add(2 * time.Minute)
	require.NoError(t, f.db.CompleteOperation(f.ctx, &backend.Completion{Op: fix, Payment: got}))
	assert.Equal(t, int64(4), got.Version, "a sync's fix is a change too")
	assert.Equal(t, int64(4), f.payment(p.ID).Version)
}

// Two desktops show the same payment; one changes it, the other's window still holds
// the old state: its operation is refused without a request, and the journal has only
// the first desktop's.
func TestAStaleWindowOnAnotherDesktopIsRefusedWithoutSending(t *testing.T) {
	f := newFixture(t)
	b := f.otherDesktop()

	t.Run("a capture after an amount change", func(t *testing.T) {
		p := f.card(cardSpec{amount: 5000})
		shown, err := b.db.PaymentByID(f.ctx, p.ID) // desktop B's window
		require.NoError(t, err)
		_, err = f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentChangeAmount, Params: payment.Params{Amount: 4200}, Operator: operator})
		require.NoError(t, err)

		_, err = b.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: "副店長", Version: shown.Version})
		assertChangedRefusal(t, err)
		assert.Equal(t, []string{"ChangeTran:AUTH"}, f.calls(p), "the capture of 5,000円 was never sent")
		assert.Equal(t, "AUTH", f.trade(p).Status)
		ops := f.ops(p.ID)
		require.Len(t, ops, 1)
		assert.Equal(t, backend.OpChangeAmount, ops[0].Kind)

		// Reloaded, B sees 4,200円 and captures that.
		shown, err = b.db.PaymentByID(f.ctx, p.ID)
		require.NoError(t, err)
		assert.Equal(t, backend.Yen(4200), shown.AmountAuthorized)
		res, err := b.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: "副店長", Version: shown.Version})
		require.NoError(t, err)
		assert.Equal(t, backend.Yen(4200), res.Payment.AmountCaptured)
		assert.Equal(t, []string{"ChangeTran:AUTH", "AlterTran:SALES"}, f.calls(p))
	})

	t.Run("a partial refund after a partial refund", func(t *testing.T) {
		p := f.card(cardSpec{amount: 8000, status: "SALES"})
		p.ProcessedAt = f.clock.Now()
		require.NoError(t, f.db.SavePayment(f.ctx, p))
		shown, err := b.db.PaymentByID(f.ctx, p.ID)
		require.NoError(t, err)
		refund := payment.Request{PaymentID: p.ID, Intent: payment.IntentPartialRefund, Params: payment.Params{Amount: 1500}, Operator: operator}
		_, err = f.eng.Run(f.ctx, refund)
		require.NoError(t, err)
		before := f.calls(p)

		refund.Operator, refund.Version = "副店長", shown.Version
		_, err = b.eng.Run(f.ctx, refund)
		assertChangedRefusal(t, err)
		assert.Equal(t, before, f.calls(p), "no second refund was sent")
		assert.Equal(t, int64(6500), f.trade(p).Amount, "refunded once")
		got := f.payment(p.ID)
		assert.Equal(t, backend.Yen(1500), got.AmountRefunded)
		assert.Len(t, f.ops(p.ID), 1)
	})
}

// beforeBegin is a desktop's store on which something happens on the other desktop
// just before this one begins its next operation — after it read and planned.
type beforeBegin struct {
	testStore
	once sync.Once
	hook func()
}

func (s *beforeBegin) BeginOperation(ctx context.Context, op *backend.Operation) error {
	s.once.Do(s.hook)
	return s.testStore.BeginOperation(ctx, op)
}

// Desktop A sells the payment between desktop B's read (and plan) and its journal
// entry: B's operation, planned from the older version, is refused and never sent. A
// bulk item refused so is read again and skipped: nothing is left to do.
func TestAChangeBetweenTheReadAndTheBeginIsRefused(t *testing.T) {
	f := newFixture(t)
	b := f.otherDesktop()
	for _, bulk := range []bool{false, true} {
		p := f.card(cardSpec{amount: 5000})
		store := &beforeBegin{testStore: b.db, hook: func() {
			_, err := f.eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: operator})
			require.NoError(t, err)
		}}
		eng := &payment.Engine{Store: store, Gateways: b.eng.Gateways, Clock: f.clock, Timeout: b.eng.Timeout}
		if !bulk {
			_, err := eng.Capture(f.ctx, payment.Request{PaymentID: p.ID, Operator: "副店長"})
			assertChangedRefusal(t, err)
		} else {
			_, items, err := (&payment.Bulk{Engine: eng}).Run(f.ctx, payment.IntentCapture, payment.Params{}, []int64{p.ID}, "副店長")
			require.NoError(t, err)
			require.Len(t, items, 1)
			assert.Equal(t, backend.BulkSkipped, items[0].State)
			assert.Contains(t, items[0].Message, "別のパソコンまたは別の操作でこの決済が変更されていたため、送信していません（今は「実売上」）")
			assert.Contains(t, items[0].MessageEn, "not sent: the payment was changed by another desktop or operation (now Captured)")
		}
		assert.Equal(t, []string{"AlterTran:SALES"}, f.calls(p), "bulk %v: A's sale only", bulk)
		ops := f.ops(p.ID)
		require.Len(t, ops, 1, "B's capture was never journalled")
		assert.Equal(t, operator, ops[0].Operator)
		assert.Equal(t, backend.StateCaptured, f.payment(p.ID).State)
	}
}

// Two desktops run 一括売上 at once over overlapping selections, desktop B's made before
// desktop A changed some amounts; then B runs 一部返金 over a selection A has partly
// refunded meanwhile. Every change reaches the gateway once (the simulator's requests
// are counted per payment): a sale the other desktop made is skipped, a capture planned
// from an old amount captures the new one, and a refund planned from the old amounts
// is refused without a request.
func TestTwoDesktopsOverlappingBulkRunsSendEachChangeOnce(t *testing.T) {
	f := newFixture(t)
	b := f.otherDesktop()
	const n = 60
	pays := seedCards(t, f.db, f.sim, f.prof, f.clock.Now(), n, 410001)
	ids := paymentIDs(pays)
	f.sim.Server.SetLatency(3 * time.Millisecond)

	selection := func(d testStore, ids []int64) []payment.Selected {
		ps, err := d.FindPayments(f.ctx, backend.PaymentFilter{IDs: ids})
		require.NoError(t, err)
		require.Len(t, ps, len(ids))
		out := make([]payment.Selected, len(ps))
		for i, p := range ps {
			out[i] = payment.Selected{PaymentID: p.ID, Version: p.Version}
		}
		return out
	}
	// B's list shows 20..59 as they are now; A then lowers five of them.
	selB := selection(b.db, ids[20:])
	changed := map[int64]backend.Yen{}
	for _, p := range pays[50:55] {
		amount := p.AmountAuthorized - 500
		_, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentChangeAmount, Params: payment.Params{Amount: amount}, Operator: operator})
		require.NoError(t, err)
		changed[p.ID] = amount
	}

	bulkA := &payment.Bulk{Engine: f.eng, Concurrency: 4}
	bulkB := &payment.Bulk{Engine: b.eng, Concurrency: 4}
	var (
		wg             sync.WaitGroup
		itemsA, itemsB []backend.BulkItem
		errA, errB     error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		// The overlap first on both desktops: they meet on every one of its items.
		_, itemsA, errA = bulkA.Run(f.ctx, payment.IntentCapture, payment.Params{}, append(append([]int64{}, ids[20:40]...), ids[:20]...), operator)
	}()
	go func() {
		defer wg.Done()
		_, itemsB, errB = bulkB.RunSelected(f.ctx, payment.IntentCapture, payment.Params{}, selB, "副店長")
	}()
	wg.Wait()
	require.NoError(t, errA)
	require.NoError(t, errB)

	outcome := map[int64][]string{}
	for _, it := range append(append([]backend.BulkItem{}, itemsA...), itemsB...) {
		outcome[it.PaymentID] = append(outcome[it.PaymentID], it.State)
		assert.NotEqual(t, backend.BulkFailed, it.State, "payment %d: %s", it.PaymentID, it.Message)
		if it.State == backend.BulkSkipped {
			assert.Contains(t, it.Message, "実売上", "a skip names the state the other desktop left")
		}
	}
	sales := salesRequests(f.sim.Server.Log, pays)
	for i, p := range pays {
		assert.Equal(t, 1, sales[p.GatewayOrderID], "%s: one SALES request", p.GatewayOrderID)
		tr := f.trade(p)
		assert.Equal(t, "SALES", tr.Status)
		want := p.AmountAuthorized
		if a, ok := changed[p.ID]; ok {
			want = a
			assert.Equal(t, 1, countCalls(f.calls(p), "ChangeTran:AUTH"), "%s: one amount change", p.GatewayOrderID)
		}
		assert.Equal(t, int64(want), tr.Amount, p.GatewayOrderID)
		got := f.payment(p.ID)
		assert.Equal(t, backend.StateCaptured, got.State)
		assert.Equal(t, want, got.AmountCaptured)
		var captures int
		for _, op := range f.ops(p.ID) {
			if op.Kind == backend.OpCapture {
				captures++
				assert.Equal(t, backend.OpSucceeded, op.State, "no capture refused at the gateway: the journal refused it first")
			}
		}
		assert.Equal(t, 1, captures, p.GatewayOrderID)
		if i >= 20 && i < 40 {
			assert.ElementsMatch(t, []string{backend.BulkSucceeded, backend.BulkSkipped}, outcome[p.ID], "%s: sold by one desktop, skipped by the other", p.GatewayOrderID)
		} else {
			assert.Equal(t, []string{backend.BulkSucceeded}, outcome[p.ID], p.GatewayOrderID)
		}
	}

	// 一部返金: B's list shows 0..9 as sold; A refunds 500円 of 0..4 meanwhile.
	selB = selection(b.db, ids[:10])
	for _, p := range pays[:5] {
		_, err := f.eng.Run(f.ctx, payment.Request{PaymentID: p.ID, Intent: payment.IntentPartialRefund, Params: payment.Params{Amount: 500}, Operator: operator})
		require.NoError(t, err)
	}
	before := map[int64]int{}
	for _, p := range pays[:10] {
		before[p.ID] = len(f.calls(p))
	}
	_, items, err := bulkB.RunSelected(f.ctx, payment.IntentPartialRefund, payment.Params{Amount: 500}, selB, "副店長")
	require.NoError(t, err)
	require.Len(t, items, 10)
	for _, it := range items {
		p := f.payment(it.PaymentID)
		if it.PaymentID <= pays[4].ID {
			assert.Equal(t, backend.BulkFailed, it.State, "refunded by A since B's list: not sent again")
			assert.Contains(t, it.Message, "別のパソコンまたは別の操作で変更されています")
			assert.Equal(t, before[p.ID], len(f.calls(p)), "no request for a refused refund")
			assert.Equal(t, backend.Yen(500), p.AmountRefunded)
		} else {
			assert.Equal(t, backend.BulkSucceeded, it.State, it.Message)
			assert.Equal(t, before[p.ID]+1, len(f.calls(p)), "one refund request")
			assert.Equal(t, backend.Yen(500), p.AmountRefunded)
		}
		assert.Equal(t, int64(p.AmountCaptured-500), f.trade(p).Amount, "refunded once at the gateway")
	}
}

func countCalls(calls []string, name string) int {
	n := 0
	for _, c := range calls {
		if c == name {
			n++
		}
	}
	return n
}
