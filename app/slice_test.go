package app

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/system"
	"kessaidesk/backend/vault"
)

// openDemo starts a real system on a fresh data folder: the demo shop is seeded and
// its payments live at the sandbox, reached over HTTP on 127.0.0.1.
func openDemo(t *testing.T) (*System, *Orders, *Payments, *Settings) {
	t.Helper()
	sys, err := system.Open(context.Background(), system.Config{DataDir: t.TempDir(), Vault: vault.NewMemory(), Demo: true, DemoCount: 120})
	require.NoError(t, err)
	t.Cleanup(func() { sys.Close() })
	s := NewServices(sys, "test")
	b := Bind(s)
	return sys, b.Orders, b.Payments, b.Settings
}

type System = system.System

// firstAuthorizedCard finds a 仮売上 card order through the search form.
func firstAuthorizedCard(t *testing.T, o *Orders) OrderRow {
	t.Helper()
	page, err := o.Search(OrderSearch{Methods: []string{"card"}, PaymentStates: []string{"authorized"}})
	require.NoError(t, err)
	require.NotEmpty(t, page.Rows, "the demo shop has 仮売上 card orders")
	return page.Rows[0]
}

func TestCaptureSliceThroughEveryLayer(t *testing.T) {
	sys, o, p, _ := openDemo(t)
	row := firstAuthorizedCard(t, o)
	before, err := o.Detail(row.ID)
	require.NoError(t, err)
	require.Len(t, before.Payments, 1)
	pay := before.Payments[0]
	assert.Equal(t, "authorized", pay.State.Code)
	assert.Contains(t, pay.Actions, "capture")
	assert.True(t, pay.Demo)

	res, err := p.Capture(pay.ID, "key-1")
	require.NoError(t, err)
	assert.Equal(t, "paid", res.Order.Status.Code, "対応状況 becomes 入金済み in the same action")
	assert.Equal(t, "captured", res.Order.Payments[0].State.Code)
	assert.Equal(t, "succeeded", res.Operation.State.Code)
	assert.Len(t, res.Order.Payments[0].Operations, 1)

	// The gateway really has it: the sandbox's own record says SALES.
	tr, ok := sys.Sandbox.Sim.Trade(pay.GatewayOrderID)
	require.True(t, ok)
	assert.Equal(t, "SALES", tr.Status)

	// A double click (same key) sends nothing more and changes nothing.
	n := sys.Sandbox.Sim.Server.Log.Count("AlterTran.idPass")
	require.Equal(t, 1, n)
	_, err = p.Capture(pay.ID, "key-1")
	require.Error(t, err)
	assert.Equal(t, n, sys.Sandbox.Sim.Server.Log.Count("AlterTran.idPass"))
	after, err := o.Detail(row.ID)
	require.NoError(t, err)
	assert.Len(t, after.Payments[0].Operations, 1)

	// The search sees the new states.
	page, err := o.Search(OrderSearch{OrderNoFrom: row.OrderNo, OrderNoTo: row.OrderNo})
	require.NoError(t, err)
	require.Len(t, page.Rows, 1)
	assert.Equal(t, "captured", page.Rows[0].PaymentState.Code)
	assert.Equal(t, "paid", page.Rows[0].Status.Code)
}

func TestCaptureOfACapturedPaymentIsRefusedInJapanese(t *testing.T) {
	_, o, p, _ := openDemo(t)
	page, err := o.Search(OrderSearch{Methods: []string{"card"}, PaymentStates: []string{"captured"}})
	require.NoError(t, err)
	require.NotEmpty(t, page.Rows)
	_, err = p.Capture(page.Rows[0].PaymentID, "k")
	require.Error(t, err)
	f := FormatError(err).(UIError)
	assert.Contains(t, f.Message, "売上")
}

func TestBadSearchInputIsAJapaneseMessage(t *testing.T) {
	_, o, _, _ := openDemo(t)
	_, err := o.Search(OrderSearch{TotalMin: "abc"})
	require.Error(t, err)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	_, err = o.Search(OrderSearch{OrderedFrom: "2026-13-01"})
	require.Error(t, err)
	_, err = o.Search(OrderSearch{PaymentStates: []string{"nope"}})
	require.Error(t, err)
}

func TestDemoCanBeRemovedAndIsNotSeededAgain(t *testing.T) {
	dir := t.TempDir()
	sys, err := system.Open(context.Background(), system.Config{DataDir: dir, Vault: vault.NewMemory(), Demo: true, DemoCount: 30})
	require.NoError(t, err)
	s := NewServices(sys, "test")
	b := Bind(s)
	o, st := b.Orders, b.Settings
	info, err := st.Info()
	require.NoError(t, err)
	assert.True(t, info.Demo)
	require.NoError(t, st.RemoveDemo())
	page, err := o.Search(OrderSearch{})
	require.NoError(t, err)
	assert.Zero(t, page.Total)
	require.NoError(t, sys.Close())

	sys, err = system.Open(context.Background(), system.Config{DataDir: dir, Vault: vault.NewMemory(), Demo: true, DemoCount: 30})
	require.NoError(t, err)
	defer sys.Close()
	assert.Nil(t, sys.Sandbox)
	o = Bind(NewServices(sys, "test")).Orders
	page, err = o.Search(OrderSearch{})
	require.NoError(t, err)
	assert.Zero(t, page.Total)
}

func TestWindowErrorsAreJSONTheFrontendReads(t *testing.T) {
	_, o, _, _ := openDemo(t)
	_, err := o.Search(OrderSearch{TotalMin: "abc"})
	require.Error(t, err)
	s, ok := FormatErrorForWails(err).(string)
	require.True(t, ok)
	var u UIError
	require.NoError(t, json.Unmarshal([]byte(s), &u))
	assert.Equal(t, backend.EINVALID, u.Code)
	assert.Contains(t, u.Message, "合計金額")
	assert.NotEmpty(t, u.MessageEn)
}

func TestUnknownOrderIsAJapaneseMessage(t *testing.T) {
	_, o, p, _ := openDemo(t)
	_, err := o.Detail(999999)
	require.Error(t, err)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	assert.Contains(t, FormatError(err).(UIError).Message, "受注")
	_, err = p.Capture(999999, "k")
	require.Error(t, err)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
}

func TestCaptureWithTheGatewayDownChangesNothing(t *testing.T) {
	sys, o, p, _ := openDemo(t)
	row := firstAuthorizedCard(t, o)
	before, err := o.Detail(row.ID)
	require.NoError(t, err)
	require.NoError(t, sys.Sandbox.Close()) // the gateway is unreachable now

	_, err = p.Capture(row.PaymentID, "key-down")
	require.Error(t, err)
	msg := FormatError(err).(UIError).Message
	assert.Contains(t, msg, "接続")
	t.Log(msg)

	after, err := o.Detail(row.ID)
	require.NoError(t, err)
	assert.Equal(t, before.Status, after.Status, "対応状況 unchanged")
	assert.Equal(t, "authorized", after.Payments[0].State.Code, "still 仮売上")
	assert.False(t, after.Payments[0].InFlight, "nothing left in flight: the request provably never left")
	assert.Contains(t, after.Payments[0].Actions, "capture", "the operator can try again")
	for _, op := range after.Payments[0].Operations {
		assert.NotEqual(t, "succeeded", op.State.Code)
	}
}

func TestBulkCaptureFromTheApp(t *testing.T) {
	sys, o, p, _ := openDemo(t)
	page, err := o.Search(OrderSearch{PaymentStates: []string{"authorized"}, PageSize: 100})
	require.NoError(t, err)
	require.Greater(t, len(page.Rows), 3)
	var ids []int64
	for _, r := range page.Rows {
		ids = append(ids, r.PaymentID)
	}
	_, err = p.BulkStart("change_amount", ids)
	require.Error(t, err, "bulk runs are for capture and cancel only")

	jobID, err := p.BulkStart("capture", ids)
	require.NoError(t, err)
	var job *BulkJob
	require.Eventually(t, func() bool {
		job, err = p.BulkJob(jobID)
		return err == nil && job.State != "running"
	}, 10*time.Second, 20*time.Millisecond)
	assert.Equal(t, "finished", job.State)
	assert.Equal(t, len(ids), job.Counts["succeeded"])
	for _, it := range job.Items {
		assert.Equal(t, "succeeded", it.State, it.Message)
		assert.NotEmpty(t, it.OrderNo)
	}
	assert.Empty(t, sys.Sandbox.Sim.Server.Log.Duplicates("SALES"))
	_, err = p.BulkRetryFailed(jobID)
	require.Error(t, err, "nothing failed")
}
