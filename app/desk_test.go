package app

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wailsapp/wails/v2/pkg/options"

	"kessaidesk/backend"
)

// Tests of the bound methods behind 受注詳細, 作業リスト and 設定, through the real
// system: the demo shop in SQLite, its payments at the sandbox over HTTP on 127.0.0.1.

func openDesk(t *testing.T) (*System, Bound) {
	t.Helper()
	sys, _, _, _ := openDemo(t)
	return sys, Bind(NewServices(sys, "test"))
}

func findOrder(t *testing.T, o *Orders, method, state string) OrderRow {
	t.Helper()
	q := OrderSearch{Methods: []string{method}}
	if state != "" {
		q.PaymentStates = []string{state}
	}
	page, err := o.Search(q)
	require.NoError(t, err)
	require.NotEmpty(t, page.Rows, "the demo shop has a %s order in state %s", method, state)
	return page.Rows[0]
}

func labelCodes(ls []Label) []string {
	out := []string{}
	for _, l := range ls {
		out = append(out, l.Code)
	}
	return out
}

func TestStatusChangedInTheOrderDetail(t *testing.T) {
	_, b := openDesk(t)
	row := findOrder(t, b.Orders, "card", "authorized")
	d, err := b.Orders.Detail(row.ID)
	require.NoError(t, err)
	codes := labelCodes(d.StatusChoices)
	assert.Contains(t, codes, "shipped")
	assert.NotContains(t, codes, "cancelled", "the payment's キャンセル cancels both")
	assert.NotContains(t, codes, "paid", "入金済み comes with the capture")

	_, err = b.Orders.SetStatus(row.ID, "cancelled")
	require.Error(t, err)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "キャンセル")
	same, err := b.Orders.Detail(row.ID)
	require.NoError(t, err)
	assert.Equal(t, d.Status.Code, same.Status.Code, "nothing changed")

	after, err := b.Orders.SetStatus(row.ID, "shipped")
	require.NoError(t, err)
	assert.Equal(t, "shipped", after.Status.Code)
	require.NotEmpty(t, after.Events)
	assert.Equal(t, "authorized", after.Payments[0].State.Code, "the payment is untouched")

	// The capture offered from a shipped order keeps it 発送済み.
	res, err := b.Payments.Run(after.Payments[0].ID, ActionInput{Intent: "capture", Status: "shipped"}, "desk-cap-1")
	require.NoError(t, err)
	assert.Equal(t, "shipped", res.Order.Status.Code)
	assert.Equal(t, "captured", res.Order.Payments[0].State.Code)
	assert.Contains(t, res.Message, "発送済み")

	_, err = b.Payments.Preview(res.Order.Payments[0].ID, ActionInput{Intent: "capture", Status: "cancelled"})
	require.Error(t, err)
}

func TestKonbiniAndPayEasyNumbersInTheDetail(t *testing.T) {
	_, b := openDesk(t)
	row := findOrder(t, b.Orders, "konbini", "awaiting_deposit")
	d, err := b.Orders.Detail(row.ID)
	require.NoError(t, err)
	slip := d.Payments[0].Slip
	require.NotNil(t, slip, "the customer's numbers are there for the call")
	assert.Equal(t, "ローソン", slip.Store)
	assert.Equal(t, "Lawson", slip.StoreEn, "English names the chain in English")
	assert.Len(t, slip.ReceiptNo, 11)
	assert.Len(t, slip.ConfNo, 4)

	row = findOrder(t, b.Orders, "payeasy", "") // waiting or paid: the numbers stay
	d, err = b.Orders.Detail(row.ID)
	require.NoError(t, err)
	slip = d.Payments[0].Slip
	require.NotNil(t, slip)
	assert.Equal(t, "58021", slip.BkCode)
	assert.NotEmpty(t, slip.CustID)
	assert.NotEmpty(t, slip.ConfNo)
	assert.Empty(t, slip.Store)

	card := findOrder(t, b.Orders, "card", "authorized")
	d, err = b.Orders.Detail(card.ID)
	require.NoError(t, err)
	assert.Nil(t, d.Payments[0].Slip)
}

func TestWorkListsAndTasksThroughTheBoundStructs(t *testing.T) {
	sys, b := openDesk(t)
	lists, err := b.Work.Lists()
	require.NoError(t, err)
	counts := map[string]int{}
	for _, l := range lists {
		counts[l.Code] = l.Count
		assert.NotEmpty(t, l.Ja)
		assert.NotEmpty(t, l.En)
	}
	require.Greater(t, counts["to_capture"], 0)
	rows, err := b.Work.List("to_capture")
	require.NoError(t, err)
	assert.Len(t, rows, counts["to_capture"], "the list holds what its count says")
	for i, r := range rows {
		assert.Equal(t, "authorized", r.PaymentState.Code)
		if i > 0 && r.AuthDaysLeft != nil && rows[i-1].AuthDaysLeft != nil {
			assert.LessOrEqual(t, *rows[i-1].AuthDaysLeft, *r.AuthDaysLeft, "most urgent first")
		}
	}

	// A cancel fills キャンセル在庫; marking it 在庫戻し済 moves it.
	before, err := b.Work.CancelStock("pending")
	require.NoError(t, err)
	res, err := b.Payments.Run(rows[0].PaymentID, ActionInput{Intent: "cancel"}, "desk-cancel-1")
	require.NoError(t, err)
	assert.Equal(t, "cancelled", res.Order.Status.Code)
	pending, err := b.Work.CancelStock("pending")
	require.NoError(t, err)
	require.Greater(t, len(pending), len(before))
	var ids []int64
	for _, s := range pending {
		if s.OrderID == rows[0].ID {
			ids = append(ids, s.ID)
		}
	}
	require.NotEmpty(t, ids)
	require.NoError(t, b.Work.MarkStockReturned(ids))
	returned, err := b.Work.CancelStock("returned")
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(returned), len(ids))
	err = b.Work.MarkStockReturned(nil)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))

	// The operations of this month are counted for the fee report.
	month := sys.Clock.Now().In(backend.JST).Format("2006-01")
	fees, err := b.Work.Fees(month)
	require.NoError(t, err)
	total := 0
	for _, f := range fees {
		total += f.Operations
	}
	assert.GreaterOrEqual(t, total, 1)
	_, err = b.Work.Fees("11/2026")
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))

	// Sync: every profile listed; a run brings a change made in the console as a difference.
	st, err := b.Work.SyncStatus()
	require.NoError(t, err)
	assert.NotEmpty(t, st.Profiles)
	require.NoError(t, b.Work.SyncNow())

	refunds, err := b.Work.RefundTasks("")
	require.NoError(t, err)
	assert.NotNil(t, refunds)
}

func TestSettingsThroughTheBoundStruct(t *testing.T) {
	_, b := openDesk(t)
	info, err := b.Settings.Info()
	require.NoError(t, err)
	assert.Equal(t, "ja", info.Language)
	assert.True(t, info.Demo)
	assert.False(t, info.SetupNeeded)

	err = b.Settings.SetLanguage("fr")
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	require.NoError(t, b.Settings.SetLanguage("en"))
	info, err = b.Settings.Info()
	require.NoError(t, err)
	assert.Equal(t, "en", info.Language)

	require.NoError(t, b.Settings.SetOperator("佐藤"))
	row := findOrder(t, b.Orders, "card", "authorized")
	d, err := b.Orders.Detail(row.ID)
	require.NoError(t, err)
	res, err := b.Payments.Run(d.Payments[0].ID, ActionInput{Intent: "capture"}, "desk-op-1")
	require.NoError(t, err)
	assert.Equal(t, "佐藤", res.Order.Payments[0].Operations[0].Operator, "the journal names who did it")

	r, err := b.Settings.Rules()
	require.NoError(t, err)
	r.SyncIntervalMinutes = "abc"
	err = b.Settings.SaveRules(*r)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	r, err = b.Settings.Rules()
	require.NoError(t, err)
	assert.NotEqual(t, "abc", r.SyncIntervalMinutes, "nothing saved on bad input")
	r.SyncIntervalMinutes, r.StaleProcessingMinutes = "15", "90"
	require.NoError(t, b.Settings.SaveRules(*r))
	r, err = b.Settings.Rules()
	require.NoError(t, err)
	assert.Equal(t, "15", r.SyncIntervalMinutes)
	assert.Equal(t, "90", r.StaleProcessingMinutes)
}

// fakeWindow is the window as Wails would report and move it.
type fakeWindow struct {
	sw, sh int
	now    WindowState
	placed []WindowState
	center []bool
}

func (w *fakeWindow) Screen() (int, int, bool) { return w.sw, w.sh, w.sw > 0 }
func (w *fakeWindow) State() WindowState       { return w.now }
func (w *fakeWindow) Place(st WindowState, center bool) {
	w.placed, w.center = append(w.placed, st), append(w.center, center)
}

func TestLifecycleKeepsTheWindow(t *testing.T) {
	sys, _ := openDesk(t)
	s := NewServices(sys, "test")
	win := &fakeWindow{sw: 1366, sh: 768}
	newLife := func() *Lifecycle {
		l := NewLifecycle(s)
		l.window = func(context.Context) windowControl { return win }
		return l
	}

	// First start on a 1366×768 laptop: the whole screen.
	l := newLife()
	started := make(chan backend.Notifier, 1)
	l.OnStart = func(_ context.Context, n backend.Notifier) { started <- n }
	l.SecondInstance(options.SecondInstanceData{}) // before the start: nothing to show, no crash
	l.Startup(context.Background())
	select {
	case n := <-started:
		assert.NotNil(t, n)
	case <-time.After(5 * time.Second):
		t.Fatal("OnStart did not run")
	}
	assert.NotNil(t, s.Dialogs)
	l.DomReady(context.Background())
	l.DomReady(context.Background()) // a reload of the page does not move the window again
	require.Len(t, win.placed, 1)
	assert.True(t, win.placed[0].Maximised)

	// The operator makes it 1100×690 at (40, 30) and closes: kept for the next start.
	win.now = WindowState{X: 40, Y: 30, Width: 1100, Height: 690}
	assert.False(t, l.BeforeClose(context.Background()), "closing is never prevented")
	stops := 0
	l.OnStop = func() { stops++ }
	l.Shutdown(context.Background())
	l.Shutdown(context.Background())
	assert.Equal(t, 1, stops)
	w, h := s.InitialWindow()
	assert.Equal(t, []int{1100, 690}, []int{w, h})

	l = newLife()
	l.DomReady(context.Background())
	require.Len(t, win.placed, 2)
	assert.Equal(t, WindowState{X: 40, Y: 30, Width: 1100, Height: 690}, win.placed[1])
	assert.False(t, win.center[1])
}

func TestFitWindow(t *testing.T) {
	cases := []struct {
		name   string
		saved  WindowState
		have   bool
		sw, sh int
		want   WindowState
		center bool
	}{
		{"first start, 1366×768", WindowState{}, false, 1366, 768, WindowState{Width: 1366, Height: 696, Maximised: true}, true},
		{"first start, 1920×1080", WindowState{}, false, 1920, 1080, WindowState{Width: 1280, Height: 820}, true},
		{"saved on a big monitor, opened on a laptop", WindowState{X: 600, Y: 200, Width: 1800, Height: 1000}, true, 1366, 768,
			WindowState{X: 600, Y: 200, Width: 1366, Height: 696}, false},
		{"off the screen", WindowState{X: 2500, Y: 100, Width: 1200, Height: 700}, true, 1920, 1080,
			WindowState{X: 2500, Y: 100, Width: 1200, Height: 700}, true},
		{"smaller than the minimum", WindowState{X: 10, Y: 10, Width: 300, Height: 200}, true, 1920, 1080,
			WindowState{X: 10, Y: 10, Width: 960, Height: 600}, false},
		{"maximised stays maximised", WindowState{Width: 1920, Height: 1050, Maximised: true}, true, 1920, 1080,
			WindowState{Width: 1920, Height: 1050, Maximised: true}, false},
	}
	for _, c := range cases {
		got, center := fitWindow(c.saved, c.have, c.sw, c.sh)
		assert.Equal(t, c.want, got, c.name)
		assert.Equal(t, c.center, center, c.name)
	}
}
