package sqlite

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// linkFixture: a profile and three card orders without payments, plus one cancelled order.
func linkFixture(t *testing.T) (*DB, *backend.GatewayProfile, []*backend.Order) {
	t.Helper()
	db := openTestDB(t)
	ctx := context.Background()
	prof := &backend.GatewayProfile{Name: "GMO本番", Kind: backend.GatewayGMO, Environment: backend.EnvProduction, MerchantID: "tshop1",
		Methods: []backend.PaymentMethod{backend.MethodCard}, AuthExpiryDays: 90, LinkRule: backend.LinkRule{Prefix: "KD-"}}
	require.NoError(t, db.SaveProfile(ctx, prof))
	var orders []*backend.Order
	for _, no := range []string{"1001", "1002", "1003"} {
		o := testOrder(no, "佐藤 美咲", "サトウ ミサキ", 5000, day)
		require.NoError(t, db.SaveOrder(ctx, o))
		orders = append(orders, o)
	}
	c := testOrder("1004", "鈴木 一郎", "スズキ イチロウ", 5000, day)
	c.Status = backend.OrderCancelled
	require.NoError(t, db.SaveOrder(ctx, c))
	return db, prof, orders
}

func testPayment(o *backend.Order, prof *backend.GatewayProfile, orderID, tranID string) *backend.Payment {
	return &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: prof.Kind, Method: backend.MethodCard,
		GatewayOrderID: orderID, GatewayTranID: tranID, GatewayTranPass: "pass", State: backend.StateAuthorized,
		AmountAuthorized: 5000, RawStatus: "AUTH"}
}

func TestQueueLinksKeepsImportHintsAndSkipsOrdersThatNeedNoLink(t *testing.T) {
	db, prof, orders := linkFixture(t)
	ctx := context.Background()
	hint := backend.TransactionIDs{GatewayOrderID: "KD-1001-20061530", GatewayTranID: "a1", GatewayTranPass: "p1"}
	require.NoError(t, db.QueueLinkHint(ctx, orders[0].ID, hint, prof.ID))
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: orders[0].ID, Status: backend.LinkFailed, ProfileID: prof.ID, Reason: "接続できません"}))

	n, err := db.QueueLinks(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "the three card orders; the cancelled one needs no link")

	l, err := db.LinkState(ctx, orders[0].ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkPending, l.Status)
	assert.Empty(t, l.Reason)
	assert.Equal(t, hint, l.Hint, "a re-queue keeps what the import gave")
	assert.Equal(t, prof.ID, l.HintProfileID)

	pending, err := db.PendingLinks(ctx, 10)
	require.NoError(t, err)
	assert.Len(t, pending, 3)

	// Only the orders named.
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: orders[1].ID, Status: backend.LinkNotFound, ProfileID: prof.ID}))
	n, err = db.QueueLinks(ctx, []int64{orders[1].ID})
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	// An order waiting for the operator's choice keeps its candidates, unless named.
	cands := []backend.Transaction{{ProfileID: prof.ID, TransactionIDs: backend.TransactionIDs{GatewayOrderID: "KD-1003-10101010"}}}
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: orders[2].ID, Status: backend.LinkAmbiguous, ProfileID: prof.ID, Candidates: cands}))
	n, err = db.QueueLinks(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	l, err = db.LinkState(ctx, orders[2].ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkAmbiguous, l.Status)
	assert.Len(t, l.Candidates, 1)
	n, err = db.QueueLinks(ctx, []int64{orders[2].ID})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	l, err = db.LinkState(ctx, orders[2].ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkPending, l.Status)
}

func TestUnlinkedListsOutcomesWithTheIDAsked(t *testing.T) {
	db, prof, orders := linkFixture(t)
	ctx := context.Background()
	cands := []backend.Transaction{{ProfileID: prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
		TransactionIDs: backend.TransactionIDs{GatewayOrderID: "KD-1002", GatewayTranID: "acc", GatewayTranPass: "secret-pass"},
		View:           backend.GatewayView{State: backend.StateAuthorized, AmountAuthorized: 5000}}}
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: orders[1].ID, Status: backend.LinkAmbiguous, ProfileID: prof.ID,
		Reason: "候補が複数あります", Candidates: cands}))
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: orders[2].ID, Status: backend.LinkPending}))

	list, err := db.Unlinked(ctx, 0)
	require.NoError(t, err)
	require.Len(t, list, 2, "orders waiting for the next run are listed too (連携待ち)")
	assert.Equal(t, backend.LinkPending, list[0].Status)
	l := list[1]
	assert.Equal(t, "1002", l.OrderNo)
	assert.Equal(t, "佐藤 美咲", l.CustomerName)
	assert.Equal(t, backend.Yen(5000), l.Total)
	assert.Equal(t, "KD-1002", l.GatewayOrderID, "formed by the profile's rule")
	require.Len(t, l.Candidates, 1)
	assert.Equal(t, "acc", l.Candidates[0].GatewayTranID)
	assert.Empty(t, l.Candidates[0].GatewayTranPass, "a candidate's password is not kept")
	var raw string
	require.NoError(t, db.read.QueryRow(`SELECT candidates FROM order_links WHERE order_id = ?`, orders[1].ID).Scan(&raw))
	assert.NotContains(t, raw, "secret-pass")
}

func TestAttachPaymentLinksOnceAndNamesTheOtherOrder(t *testing.T) {
	db, prof, orders := linkFixture(t)
	ctx := context.Background()
	_, err := db.QueueLinks(ctx, nil)
	require.NoError(t, err)

	p := testPayment(orders[0], prof, "KD-1001", "acc1")
	db.SetPC("事務所PC")
	require.NoError(t, db.AttachPayment(ctx, p, "山田"))
	assert.NotZero(t, p.ID)
	l, err := db.LinkState(ctx, orders[0].ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkLinked, l.Status)
	o, err := db.OrderByID(ctx, orders[0].ID)
	require.NoError(t, err)
	rows, err := db.FindOrders(ctx, backend.OrderFilter{OrderNoFrom: "1001", OrderNoTo: "1001"})
	require.NoError(t, err)
	require.Len(t, rows.Rows, 1)
	assert.Equal(t, p.ID, rows.Rows[0].PaymentID)
	evs, err := db.OrderEvents(ctx, o.ID)
	require.NoError(t, err)
	require.NotEmpty(t, evs)
	last := evs[len(evs)-1]
	assert.Equal(t, "山田", last.Actor)
	assert.Equal(t, "事務所PC", last.PC, "the link names the PC it was made on")
	assert.Contains(t, last.Detail, "決済を連携しました（GMO-PG オーダーID KD-1001・取引ID acc1、仮売上 5,000円）")
	assert.Contains(t, last.DetailEn, "Payment linked (GMO-PG order ID KD-1001, transaction ID acc1; Authorised ¥5,000)")
	assert.Contains(t, last.Detail, "与信の有効期限は不明", "no AuthExpiresAt: the event says so")

	// A second payment for the same order.
	err = db.AttachPayment(ctx, testPayment(orders[0], prof, "KD-1001-1", "acc9"), "山田")
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "受注 1001 には既に決済があります")

	// The same transaction for another order: by gateway order id, and by transaction id.
	err = db.AttachPayment(ctx, testPayment(orders[1], prof, "KD-1001", "acc2"), "山田")
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "受注 1001 の決済として登録済み")
	err = db.AttachPayment(ctx, testPayment(orders[1], prof, "KD-1002", "acc1"), "山田")
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	ps, err := db.PaymentsByOrder(ctx, orders[1].ID)
	require.NoError(t, err)
	assert.Empty(t, ps, "a refused attach saves nothing")
	l, err = db.LinkState(ctx, orders[1].ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkPending, l.Status)

	// A linked row is never taken back by a late outcome.
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: orders[0].ID, Status: backend.LinkFailed, Reason: "遅れた結果"}))
	l, err = db.LinkState(ctx, orders[0].ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkLinked, l.Status)

	// Unknown orders and statuses.
	err = db.SaveLinkState(ctx, &backend.OrderLink{OrderID: 9999, Status: backend.LinkFailed})
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	err = db.SaveLinkState(ctx, &backend.OrderLink{OrderID: orders[2].ID, Status: "maybe"})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	_, err = db.LinkState(ctx, orders[2].ID)
	require.NoError(t, err)
	_, err = db.LinkState(ctx, 9999)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	var n int
	require.NoError(t, db.read.QueryRow(`SELECT count(*) FROM order_links WHERE order_id = 9999`).Scan(&n))
	assert.Zero(t, n)
}
