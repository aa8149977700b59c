package pgstore

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// seedPayments saves n orders with an authorised payment each, through db.
func seedPayments(t *testing.T, db *DB, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	var orders []*backend.Order
	for i := range n {
		orders = append(orders, &backend.Order{OrderNo: fmt.Sprint(1000 + i), OrderedAt: time.Now(), CustomerName: "山田",
			PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Total: 100, Shipping: 100})
	}
	require.NoError(t, db.SaveOrders(ctx, orders))
	var ids []int64
	for _, o := range orders {
		p := &backend.Payment{OrderID: o.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: "G" + o.OrderNo,
			State: backend.StateAuthorized, AmountAuthorized: 100}
		require.NoError(t, db.SavePayment(ctx, p))
		ids = append(ids, p.ID)
	}
	return ids
}

// Two desktops (two stores, two pools) capture the same 100 payments at once, with
// their own keys and with the same key: each payment gets one operation, and only
// the desktop that began it may mark it sent.
func TestTwoProcessesClaimEachOperationOnce(t *testing.T) {
	dsn := testDSN(t)
	a, b := openDSN(t, dsn, Options{}), openDSN(t, dsn, Options{})
	ids := seedPayments(t, a, 100)
	ctx := context.Background()
	type win struct {
		db *DB
		op *backend.Operation
	}
	var mu sync.Mutex
	wins := map[int64][]win{}
	refused := map[string]int{}
	var wg sync.WaitGroup
	for _, db := range []*DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, id := range ids {
				key := fmt.Sprintf("%s-%d", db.Owner, id) // its own intent
				if i%2 == 0 {
					key = fmt.Sprintf("same-%d", id) // a double click seen on two desktops
				}
				op := &backend.Operation{PaymentID: id, Kind: backend.OpCapture, Amount: 100, IdempotencyKey: key}
				err := db.BeginOperation(ctx, op)
				mu.Lock()
				if err == nil {
					wins[id] = append(wins[id], win{db, op})
				} else {
					refused[backend.ErrorCode(err)]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Len(t, wins, len(ids))
	total := 0
	for id, w := range wins {
		require.Len(t, w, 1, "payment %d", id)
		total++
		other := a
		if w[0].db == a {
			other = b
		}
		// The other desktop can neither send it nor record an outcome for it.
		assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(other.MarkOperationSent(ctx, w[0].op.ID, time.Now())))
		w[0].op.State = backend.OpFailed
		assert.Equal(t, backend.EBUSY, backend.ErrorCode(other.CompleteOperation(ctx, &backend.Completion{Op: w[0].op})))
		require.NoError(t, w[0].db.MarkOperationSent(ctx, w[0].op.ID, time.Now()))
	}
	assert.Equal(t, len(ids), total)
	assert.Equal(t, len(ids), refused[backend.EBUSY]+refused[backend.ECONFLICT], "every other attempt was refused: %v", refused)
	var n int
	require.NoError(t, a.sql.QueryRow(`SELECT count(*) FROM operations`).Scan(&n))
	assert.Equal(t, len(ids), n)
}

// A live desktop's claim is renewed and keeps the others off; when it dies, its
// operations are recovered by exactly one of the desktops racing for them, and a
// desktop whose claim lapsed (frozen) cannot send afterwards.
func TestLeaseRenewedWhileAliveRecoveredOnceAfterACrash(t *testing.T) {
	dsn := testDSN(t)
	lease := Options{Lease: 600 * time.Millisecond}
	a := openDSN(t, dsn, lease)
	ids := seedPayments(t, a, 20)
	ctx := context.Background()
	var ops []*backend.Operation
	for i, id := range ids {
		op := &backend.Operation{PaymentID: id, Kind: backend.OpCapture, Amount: 100, IdempotencyKey: fmt.Sprint("k", i)}
		require.NoError(t, a.BeginOperation(ctx, op))
		if i%2 == 1 {
			require.NoError(t, a.MarkOperationSent(ctx, op.ID, time.Now())) // on the wire when it dies
		}
		ops = append(ops, op)
	}
	b, c := openDSN(t, dsn, lease), openDSN(t, dsn, lease)

	// Alive, past several leases: nobody else may take them.
	time.Sleep(3 * lease.Lease)
	for _, op := range ops {
		claimed, err := b.ClaimOperation(ctx, op.ID)
		require.NoError(t, err)
		assert.False(t, claimed, "op %d is a live desktop's", op.ID)
	}

	// It dies (no renewal any more). Once the lease lapses, b and c race for each
	// operation: exactly one gets it, and only that one records the outcome.
	require.NoError(t, a.Close())
	time.Sleep(lease.Lease + 200*time.Millisecond)
	claims := map[int64]*DB{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, db := range []*DB{b, c} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, op := range ops {
				ok, err := db.ClaimOperation(ctx, op.ID)
				assert.NoError(t, err)
				if ok {
					mu.Lock()
					assert.Nil(t, claims[op.ID], "op %d claimed twice", op.ID)
					claims[op.ID] = db
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	require.Len(t, claims, len(ops))
	for _, op := range ops {
		winner, loser := claims[op.ID], b
		if winner == b {
			loser = c
		}
		op.State = backend.OpFailed
		assert.Equal(t, backend.EBUSY, backend.ErrorCode(loser.CompleteOperation(ctx, &backend.Completion{Op: op})))
		require.NoError(t, winner.CompleteOperation(ctx, &backend.Completion{Op: op}))
		assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(loser.CompleteOperation(ctx, &backend.Completion{Op: op})))
	}
	un, err := b.UnresolvedOperations(ctx)
	require.NoError(t, err)
	assert.Empty(t, un)

	// A frozen desktop: its pending operation's lease lapses, another fails it as never
	// sent; when it wakes it cannot mark it sent — so the engine sends nothing.
	d := openDSN(t, dsn, lease)
	frozen := &backend.Operation{PaymentID: ids[0], Kind: backend.OpVoid, IdempotencyKey: "frozen"}
	require.NoError(t, d.BeginOperation(ctx, frozen))
	_, err = d.sql.Exec(`UPDATE operations SET lease_until = 0 WHERE id = $1`, frozen.ID) // as if it had not renewed
	require.NoError(t, err)
	ok, err := b.ClaimOperation(ctx, frozen.ID)
	require.NoError(t, err)
	require.True(t, ok)
	frozen.State = backend.OpFailed
	require.NoError(t, b.CompleteOperation(ctx, &backend.Completion{Op: frozen}))
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(d.MarkOperationSent(ctx, frozen.ID, time.Now())))

	// An unknown outcome releases the claim: any desktop may then inquire.
	unk := &backend.Operation{PaymentID: ids[1], Kind: backend.OpVoid, IdempotencyKey: "unknown"}
	require.NoError(t, d.BeginOperation(ctx, unk))
	require.NoError(t, d.MarkOperationSent(ctx, unk.ID, time.Now()))
	unk.State = backend.OpUnknown
	require.NoError(t, d.CompleteOperation(ctx, &backend.Completion{Op: unk}))
	ok, err = c.ClaimOperation(ctx, unk.ID)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = b.ClaimOperation(ctx, unk.ID)
	require.NoError(t, err)
	assert.False(t, ok, "c holds it now")
	require.NoError(t, c.ReleaseOperation(ctx, unk.ID))
	ok, err = b.ClaimOperation(ctx, unk.ID)
	require.NoError(t, err)
	assert.True(t, ok, "released")
}
