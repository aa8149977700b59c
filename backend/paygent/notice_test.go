package paygent_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
)

// store is what the sync layer would keep: every notice by id, and the cursor.
type store struct {
	byID   map[int64]paygent.Notice
	cursor paygent.NoticeCursor
	dups   int
}

func (s *store) keep(t *testing.T, run *paygent.NoticeRun) {
	t.Helper()
	require.NotNil(t, run)
	for _, n := range run.Notices {
		if _, ok := s.byID[n.ID]; ok {
			s.dups++
		}
		s.byID[n.ID] = n
	}
	s.cursor = run.Cursor
}

// seedMany makes n konbini and n/4 card payments, pays half the konbini ones and
// captures the cards: about 2.75 n notices.
func seedMany(t *testing.T, f *fixture, n int) {
	t.Helper()
	for i := range n {
		id, err := f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: fmt.Sprintf("KD_D%04d", i), Amount: int64(1000 + i)})
		require.NoError(t, err)
		if i%2 == 0 {
			require.NoError(t, f.sim.MarkPaid(id))
		}
		if i%4 == 0 {
			p := f.card(t, fmt.Sprintf("KD_C%04d", i), 2000, "20", t0, time.Time{})
			_, err := f.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 2000})
			require.NoError(t, err)
		}
	}
}

// The difference inquiry over many payments: one call per notice, every notice once,
// in id order, mapped to our states; a lost answer and notices taken by another
// reader leave gaps that the next run fetches by id.
func TestDifferenceInquiryManyPayments(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	seedMany(t, f, 120)
	total := len(f.sim.Notices(merchantID))
	require.Equal(t, 120+60+30+30, total)
	st := &store{byID: map[int64]paygent.Notice{}}

	// Run 1 stops after 50 calls (the safety bound): the notices come back with the error.
	run, err := f.client.FetchNotices(ctx, st.cursor, paygent.NoticeOptions{MaxCalls: 50})
	require.Error(t, err)
	st.keep(t, run)
	assert.Len(t, run.Notices, 50)
	assert.Equal(t, 50, run.Calls)
	assert.Equal(t, int64(50), st.cursor.MaxID)
	for i, n := range run.Notices {
		assert.Equal(t, int64(i+1), n.ID, "in id order")
	}

	// Run 2: the first answer is lost after Paygent counted notice 51 delivered.
	f.sim.Server.Faults.Next("/n/ref/paynotice", 1, faultAfter("truncate"))
	run, err = f.client.FetchNotices(ctx, st.cursor, paygent.NoticeOptions{})
	assert.Equal(t, backend.ClassUnknown, class(err))
	st.keep(t, run)
	assert.Empty(t, run.Notices)
	assert.Equal(t, []int64{51}, st.cursor.Missing, "the next number is suspected lost")

	// Another reader of the shared cursor (the shop's back office) takes 3 notices.
	taken := f.sim.DeliverNotices(merchantID, 3)
	require.Equal(t, []int64{52, 53, 54}, taken)

	// Run 3 reads the rest and fetches 51-54 by id.
	calls := f.sim.Server.Log.Count("/n/ref/paynotice")
	run, err = f.client.FetchNotices(ctx, st.cursor, paygent.NoticeOptions{})
	require.NoError(t, err)
	st.keep(t, run)
	assert.Equal(t, []int64{51, 52, 53, 54}, run.Refetched)
	assert.Empty(t, st.cursor.Missing)
	assert.Equal(t, int64(total), st.cursor.MaxID)
	assert.Len(t, st.byID, total)
	assert.Zero(t, st.dups, "no notice twice")
	assert.Equal(t, (total-54)+1+4, f.sim.Server.Log.Count("/n/ref/paynotice")-calls, "one call per notice, one to see the end, one per gap")
	for _, id := range run.Refetched {
		assert.True(t, st.byID[id].Refetched)
	}

	// What the notices say, mapped to our states.
	count := map[backend.PaymentState]int{}
	for _, n := range st.byID {
		require.True(t, n.Known, "%d: %s/%s", n.ID, n.PaymentType, n.Status)
		count[n.State]++
		if n.State == backend.StateDeposited {
			assert.False(t, n.PaymentDate.IsZero())
			assert.Equal(t, backend.MethodKonbini, n.Method)
			assert.Equal(t, backend.StateDeposited, n.View().State)
			assert.False(t, n.View().PaidAt.IsZero())
		}
	}
	assert.Equal(t, map[backend.PaymentState]int{backend.StateAwaitingDeposit: 120, backend.StateDeposited: 60,
		backend.StateAuthorized: 30, backend.StateCaptured: 30}, count)

	// Nothing new: one call.
	run, err = f.client.FetchNotices(ctx, st.cursor, paygent.NoticeOptions{})
	require.NoError(t, err)
	assert.Empty(t, run.Notices)
	assert.Equal(t, 1, run.Calls)
	assert.Equal(t, int64(total), run.Cursor.MaxID)

	// A new deposit event later.
	require.NoError(t, f.sim.MarkPaid(f.sim.PaymentsByTrading(merchantID, "KD_D0001")[0].PaymentID))
	run, err = f.client.FetchNotices(ctx, st.cursor, paygent.NoticeOptions{})
	require.NoError(t, err)
	require.Len(t, run.Notices, 1)
	assert.Equal(t, "KD_D0001", run.Notices[0].TradingID)
	assert.Equal(t, backend.StateDeposited, run.Notices[0].State)
}

// Notices nobody read for 7 days are purged: success_code 2, the purged ids stay missing.
func TestDifferenceInquiryPurge(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for i := range 5 {
		_, err := f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: fmt.Sprintf("KD_P%d", i), Amount: 500})
		require.NoError(t, err)
	}
	f.clock.Set(t0.AddDate(0, 0, 8))
	id, err := f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: "KD_P9", Amount: 500})
	require.NoError(t, err)
	run, err := f.client.FetchNotices(ctx, paygent.NoticeCursor{}, paygent.NoticeOptions{})
	require.NoError(t, err)
	assert.True(t, run.Purged)
	// The new slip, then the five expiries the deadline produced (notices 6-11).
	require.Len(t, run.Notices, 6)
	assert.Equal(t, int64(6), run.Notices[0].ID)
	assert.Equal(t, id, run.Notices[0].PaymentID)
	for _, n := range run.Notices[1:] {
		assert.Equal(t, backend.StateExpired, n.State)
	}
	// The first five notices are gone for good: asked by id, they stay missing.
	assert.Equal(t, []int64{1, 2, 3, 4, 5}, run.Cursor.Missing)
	assert.Empty(t, run.Refetched)
	assert.Equal(t, 7+5, run.Calls)
}

// 9004 (another un-numbered 091 running) is retry-later; what was read is kept.
func TestDifferenceInquiryBusy(t *testing.T) {
	f := setup(t)
	for i := range 3 {
		_, err := f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: fmt.Sprintf("KD_B%d", i), Amount: 500})
		require.NoError(t, err)
	}
	f.sim.FailNext(paygent.KindNoticeInquiry, "9004", 1, false)
	run, err := f.client.FetchNotices(context.Background(), paygent.NoticeCursor{}, paygent.NoticeOptions{})
	assert.Equal(t, backend.ClassRetryable, class(err))
	assert.Contains(t, ja(err), "同じ処理が実行中")
	assert.Empty(t, run.Notices)
	assert.Empty(t, run.Cursor.Missing, "a refusal delivered nothing")
	run, err = f.client.FetchNotices(context.Background(), run.Cursor, paygent.NoticeOptions{})
	require.NoError(t, err)
	assert.Len(t, run.Notices, 3)
}

// Runs on one client never overlap (Paygent would answer 9004).
func TestDifferenceInquirySerialised(t *testing.T) {
	f := setup(t)
	for i := range 20 {
		_, err := f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: fmt.Sprintf("KD_S%d", i), Amount: 500})
		require.NoError(t, err)
	}
	done := make(chan *paygent.NoticeRun, 2)
	for range 2 {
		go func() {
			run, err := f.client.FetchNotices(context.Background(), paygent.NoticeCursor{}, paygent.NoticeOptions{})
			assert.NoError(t, err)
			done <- run
		}()
	}
	a, b := <-done, <-done
	assert.Equal(t, 20, len(a.Notices)+len(b.Notices)-len(a.Refetched)-len(b.Refetched))
}
