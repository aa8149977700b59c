// Package storetest is the behaviour every backend.Store must have, as one suite run
// against each engine: backend/sqlite and backend/pgstore call Run with a function
// that opens a fresh, empty store. A test here states the behaviour with its expected
// values, so both engines are held to the same answers (the same orders found, in the
// same order, the same error codes) — not merely to agree with each other.
//
// What runs on both: orders (save, re-import, atomic batches, search filters, sorts,
// paging by offset and by cursor), the CSV import (fresh, unchanged and changed
// re-imports, merge conflicts, link hints), the streamed export against the search,
// payments (round trip, the order list's payment columns, the gateway-id uniqueness,
// FindPayments), the journal (one operation in
// flight per payment, idempotency keys, complete once, unresolved list, the 対応状況 and
// キャンセル在庫 in the completion), tasks (refund tasks, キャンセル在庫, bulk runs),
// profiles and settings, sync (differences, status, shipping holds, the recheck queue),
// reviews, and the fee report. Each engine keeps its own tests of what only it has
// (SQLite: files, backups, the folder lock, its search plans; PostgreSQL: claims and
// leases across processes).
package storetest

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// Store is what the suite needs: the backend.Store, and the batch save, the demo's
// removal and the PC's name both engines have beside it.
type Store interface {
	backend.Store
	SaveOrders(ctx context.Context, orders []*backend.Order) error
	DeleteDemo(ctx context.Context) error
	PC() string
	SetPC(name string)
	// The reads of 作業リスト (backend/sqlstore's work lists).
	WorkList(ctx context.Context, list string, now, staleBefore time.Time, limit int) ([]backend.OrderRow, error)
	WorkListCounts(ctx context.Context, now, staleBefore time.Time) (map[string]int, error)
	// ホーム's counts and the reads of linking (backend/sqlstore's).
	Overview(ctx context.Context, now, staleBefore time.Time) (*backend.Overview, error)
	SaveLinkState(ctx context.Context, l *backend.OrderLink) error
	LinkState(ctx context.Context, orderID int64) (*backend.OrderLink, error)
	PendingLinks(ctx context.Context, limit int) ([]backend.OrderLink, error)
	CountPendingLinks(ctx context.Context) (int, error)
	Unlinked(ctx context.Context, limit int) ([]backend.OrderLink, error)
	QueueLinks(ctx context.Context, orderIDs []int64) (int, error)
	AttachPayment(ctx context.Context, p *backend.Payment, actor string) error
	// 売上集計 (backend/sqlstore's).
	backend.ReportStore
	// Settings under a prefix (import layouts), the demo's presence, support counts.
	SettingsWithPrefix(ctx context.Context, prefix string) (map[string]string, error)
	DeleteSetting(ctx context.Context, key string) error
	DemoPresent(ctx context.Context) (bool, error)
	Counts(ctx context.Context) (map[string]int64, error)
	StateCounts(ctx context.Context) (map[string]map[string]int64, error)
	// The order import and CSV出力 (imports.go), and a link queued with a file's ids.
	backend.ImportStore
	backend.ExportStore
	QueueLinkHint(ctx context.Context, orderID int64, hint backend.TransactionIDs, hintProfile int64) error
}

// Run runs the suite; open returns a fresh, empty store (closed by the test's cleanup).
func Run(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db Store)
	}{
		{"OrderRoundTripAndReimportUpdates", orderRoundTrip},
		{"SaveOrdersIsAtomic", saveOrdersAtomic},
		{"SearchFilters", searchFilters},
		{"SearchPagingAndSort", searchPagingAndSort},
		{"CursorPagesEqualOnePage", cursorPages},
		{"CursorOfAnotherSortRefused", cursorRefused},
		{"SearchFollowsUpdates", searchFollowsUpdates},
		{"OrderStatusAndEvents", orderStatusAndEvents},
		{"WhoDidWhat", whoDidWhat},
		{"PaymentStateShownInOrderList", paymentInOrderList},
		{"FindPayments", findPayments},
		{"JournalOneOperationInFlight", journalOneInFlight},
		{"JournalOutcomeRecordedOnce", journalOnce},
		{"LateCaptureKeepsShippedOrderShipped", lateCapture},
		{"CancelStockAndRefundTasks", cancelStockAndRefunds},
		{"BulkJobs", bulkJobs},
		{"StoredTextsInEnglish", storedTextsEn},
		{"ProfilesAndSettings", profilesAndSettings},
		{"SyncDriftsStatusAndHolds", syncStore},
		{"Reviews", reviews},
		{"FeeReportByJSTMonth", feeReport},
		{"WorkLists", workLists},
		{"OverviewCountsEveryWorkList", overviewCounts},
		{"OverviewOfAnEmptyShop", overviewEmpty},
		{"LinkStates", linkStates},
		{"LinkQueueAndAttach", linkQueueAndAttach},
		{"Reports", reports},
		{"SupportCounts", supportCounts},
		{"ImportFreshUnchangedChanged", importFreshUnchangedChanged},
		{"ImportTargetSaysWhenMoneyMoved", importTargetMoneyMoved},
		{"ImportQueuesLinksWithTheFilesIDs", importQueuesLinks},
		{"ImportNoteWrittenOnce", importNoteOnce},
		{"ImportOfAnOrderSavedAfterTheCheck", importSavedAfterCheck},
		{"ExportEachOrderAsTheSearch", exportEachOrder},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var ctx = context.Background()

// Day is the suite's reference time (JST).
var Day = time.Date(2026, 11, 1, 10, 0, 0, 0, backend.JST)

func order(no, name, kana string, total backend.Yen, ordered time.Time, items ...backend.LineItem) *backend.Order {
	o := &backend.Order{
		OrderNo: no, OrderedAt: ordered, UpdatedAt: ordered, CustomerName: name, CustomerKana: kana,
		Email: "user" + no + "@example.jp", Tel: "090-1111-" + no, PaymentMethod: backend.MethodCard,
		Status: backend.OrderNew, Items: items, Source: "test",
	}
	for _, it := range items {
		o.Subtotal += it.UnitPrice * backend.Yen(it.Quantity)
	}
	o.Shipping = total - o.Subtotal
	o.Total = total
	return o
}

func item(code, name string, price backend.Yen, qty int64) backend.LineItem {
	return backend.LineItem{ProductCode: code, ProductName: name, UnitPrice: price, Quantity: qty}
}

func nos(p *backend.OrderPage) []string {
	var out []string
	for _, r := range p.Rows {
		out = append(out, r.OrderNo)
	}
	return out
}

func yen(v backend.Yen) *backend.Yen { return &v }

func payment(t *testing.T, db Store, o *backend.Order, state backend.PaymentState) *backend.Payment {
	t.Helper()
	p := &backend.Payment{OrderID: o.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
		GatewayOrderID: "G-" + o.OrderNo, GatewayTranID: "acc-" + o.OrderNo, GatewayTranPass: "pass",
		State: state, AmountAuthorized: o.Total, AuthorizedAt: Day, AuthExpiresAt: Day.AddDate(0, 0, 90)}
	require.NoError(t, db.SavePayment(ctx, p))
	return p
}

func saved(t *testing.T, db Store, o *backend.Order) *backend.Order {
	t.Helper()
	require.NoError(t, db.SaveOrder(ctx, o))
	return o
}

func orderRoundTrip(t *testing.T, db Store) {
	o := order("1001", "佐藤花子", "サトウハナコ", 5775, Day, item("A123", "サンプルB", 2625, 2))
	o.Items[0].Variant = "S ブラック"
	o.Memo, o.Zip, o.ShipName, o.TrackingNo = "ギフト包装", "150-0001", "佐藤一郎", "1234-5678-9012"
	o.Tax, o.Shipping = 25, o.Shipping-25
	saved(t, db, o)
	assert.NotZero(t, o.ID)

	got, err := db.OrderByNo(ctx, "1001")
	require.NoError(t, err)
	assert.Equal(t, o.ID, got.ID)
	assert.Equal(t, backend.Yen(5775), got.Total)
	assert.Equal(t, backend.Yen(25), got.Tax)
	assert.Equal(t, "S ブラック", got.Items[0].Variant)
	assert.Equal(t, "ギフト包装", got.Memo)
	assert.Equal(t, "佐藤一郎", got.ShipName)
	assert.Equal(t, "1234-5678-9012", got.TrackingNo)
	assert.True(t, got.OrderedAt.Equal(Day))
	byID, err := db.OrderByID(ctx, o.ID)
	require.NoError(t, err)
	assert.Equal(t, got, byID)

	// Re-import of the same order number updates, never duplicates.
	o2 := order("1001", "佐藤花子", "サトウハナコ", 6300, Day, item("A123", "サンプルB", 3150, 2))
	saved(t, db, o2)
	assert.Equal(t, o.ID, o2.ID)
	page, err := db.FindOrders(ctx, backend.OrderFilter{})
	require.NoError(t, err)
	assert.Equal(t, 1, page.Total)
	got, _ = db.OrderByNo(ctx, "1001")
	assert.Equal(t, backend.Yen(6300), got.Total)
	require.Len(t, got.Items, 1)
	assert.Equal(t, backend.Yen(3150), got.Items[0].UnitPrice)

	_, err = db.OrderByNo(ctx, "9999")
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	_, err = db.OrderByID(ctx, 999999)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
}

func saveOrdersAtomic(t *testing.T, db Store) {
	good := order("1", "山田", "ヤマダ", 100, Day)
	bad := order("2", "田中", "タナカ", 100, Day)
	bad.Total = -1
	err := db.SaveOrders(ctx, []*backend.Order{good, bad})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	page, err := db.FindOrders(ctx, backend.OrderFilter{})
	require.NoError(t, err)
	assert.Equal(t, 0, page.Total, "nothing is saved when one order is bad")
}

func seedSearch(t *testing.T, db Store) {
	t.Helper()
	orders := []*backend.Order{
		order("1", "山田太郎", "ヤマダ タロウ", 1000, Day, item("TS-01", "Tシャツ 白", 1000, 1)),
		order("2", "山本花子", "ヤマモト ハナコ", 2500, Day.Add(24*time.Hour), item("MG-02", "マグカップ", 2500, 1)),
		order("3", "田中一郎", "タナカ イチロウ", 30000, Day.Add(48*time.Hour), item("TS-01", "Tシャツ 白", 1000, 30)),
		order("10", "鈴木次郎", "スズキ ジロウ", 800, Day.Add(72*time.Hour), item("ST-09", "ステッカー", 800, 1)),
		order("11", "John Smith", "ジョン スミス", 12000, Day.Add(96*time.Hour), item("BG-11", "帆布バッグ", 12000, 1)),
	}
	orders[1].Status = backend.OrderPaid
	orders[2].Status = backend.OrderCancelled
	orders[3].PaymentMethod = backend.MethodKonbini
	orders[3].Status = backend.OrderAwaitingDeposit
	orders[4].Email = "John.Smith@Example.COM"
	orders[4].Tel = "03-1234-5678"
	require.NoError(t, db.SaveOrders(ctx, orders))
}

func searchFilters(t *testing.T, db Store) {
	seedSearch(t, db)
	cases := []struct {
		name string
		f    backend.OrderFilter
		want []string // newest first
	}{
		{"all", backend.OrderFilter{}, []string{"11", "10", "3", "2", "1"}},
		{"name 1 char", backend.OrderFilter{Name: "山"}, []string{"2", "1"}},
		{"name 1 char at the end", backend.OrderFilter{Name: "郎"}, []string{"10", "3", "1"}},
		{"name 2 chars", backend.OrderFilter{Name: "山田"}, []string{"1"}},
		{"name 2 chars at the end", backend.OrderFilter{Name: "次郎"}, []string{"10"}},
		{"name 3+ chars", backend.OrderFilter{Name: "田太郎"}, []string{"1"}},
		{"name 3+ chars, bigrams present but not adjacent", backend.OrderFilter{Name: "田一郎太"}, nil},
		{"name with a space", backend.OrderFilter{Name: "山田 太郎"}, []string{"1"}},
		{"latin name, any case", backend.OrderFilter{Name: "smith"}, []string{"11"}},
		{"latin name, full-width", backend.OrderFilter{Name: "ＳＭＩＴＨ"}, []string{"11"}},
		{"kana in hiragana", backend.OrderFilter{Kana: "やま"}, []string{"2", "1"}},
		{"kana half-width", backend.OrderFilter{Kana: "ﾀﾅｶ"}, []string{"3"}},
		{"kana 1 char", backend.OrderFilter{Kana: "ジ"}, []string{"11", "10"}},
		{"email substring", backend.OrderFilter{Email: "smith@example"}, []string{"11"}},
		{"email exact", backend.OrderFilter{Email: "user2@example.jp"}, []string{"2"}},
		{"email 2 chars", backend.OrderFilter{Email: "r1"}, []string{"10", "1"}},
		{"tel with hyphens", backend.OrderFilter{Tel: "1234-56"}, []string{"11"}},
		{"tel digits", backend.OrderFilter{Tel: "0901111"}, []string{"10", "3", "2", "1"}},
		{"tel full-width", backend.OrderFilter{Tel: "０９０１１１１３"}, []string{"3"}},
		{"status", backend.OrderFilter{Statuses: []backend.OrderStatus{backend.OrderPaid, backend.OrderCancelled}}, []string{"3", "2"}},
		{"method", backend.OrderFilter{Methods: []backend.PaymentMethod{backend.MethodKonbini}}, []string{"10"}},
		{"order no numeric range", backend.OrderFilter{OrderNoFrom: "2", OrderNoTo: "10"}, []string{"10", "3", "2"}},
		{"order no from only", backend.OrderFilter{OrderNoFrom: "10"}, []string{"11", "10"}},
		{"ordered range", backend.OrderFilter{OrderedFrom: Day.Add(24 * time.Hour), OrderedTo: Day.Add(72 * time.Hour)}, []string{"3", "2"}},
		{"updated range", backend.OrderFilter{UpdatedFrom: Day.Add(96 * time.Hour)}, []string{"11"}},
		{"amount range", backend.OrderFilter{TotalMin: yen(1000), TotalMax: yen(12000)}, []string{"11", "2", "1"}},
		{"product name", backend.OrderFilter{Product: "シャツ"}, []string{"3", "1"}},
		{"product name 1 char", backend.OrderFilter{Product: "白"}, []string{"3", "1"}},
		{"product code", backend.OrderFilter{Product: "mg-02"}, []string{"2"}},
		{"combined", backend.OrderFilter{Name: "山", Statuses: []backend.OrderStatus{backend.OrderNew}}, []string{"1"}},
		{"two sets: name + product", backend.OrderFilter{Name: "山", Product: "シャツ"}, []string{"1"}},
		{"set + range: product + ordered", backend.OrderFilter{Product: "TS-01", OrderedFrom: Day.Add(24 * time.Hour)}, []string{"3"}},
		{"long name + kana", backend.OrderFilter{Name: "田中一郎", Kana: "タナカ"}, []string{"3"}},
		{"no match", backend.OrderFilter{Name: "存在しない"}, nil},
		{"only punctuation is no condition", backend.OrderFilter{Name: "・-　"}, []string{"11", "10", "3", "2", "1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page, err := db.FindOrders(ctx, c.f)
			require.NoError(t, err)
			assert.Equal(t, len(c.want), page.Total)
			assert.False(t, page.TotalAtLeast)
			assert.Equal(t, c.want, nos(page))
		})
	}
}

func searchPagingAndSort(t *testing.T, db Store) {
	seedSearch(t, db)
	page, err := db.FindOrders(ctx, backend.OrderFilter{Limit: 2, Offset: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{"3", "2"}, nos(page))
	assert.Equal(t, 5, page.Total)
	page, _ = db.FindOrders(ctx, backend.OrderFilter{Sort: "total_desc", Limit: 2})
	assert.Equal(t, []string{"3", "11"}, nos(page))
	page, _ = db.FindOrders(ctx, backend.OrderFilter{Sort: "order_no_asc"})
	assert.Equal(t, []string{"1", "2", "3", "10", "11"}, nos(page))
	page, _ = db.FindOrders(ctx, backend.OrderFilter{Sort: "ordered_asc"})
	assert.Equal(t, []string{"1", "2", "3", "10", "11"}, nos(page))
}

// seedTies saves orders whose sort keys tie (same time, same total) and whose numbers
// are partly not numeric (order_no_num NULL), the cases a cursor must step over.
func seedTies(t *testing.T, db Store) {
	t.Helper()
	var orders []*backend.Order
	for i, no := range []string{"5", "A-2", "12", "A-10", "7", "B", "12a", "3", "100", "A-1", "44", "0"} {
		o := order(no, fmt.Sprintf("山田%d", i%3), "ヤマダ", backend.Yen(1000*(i%4)), Day.Add(time.Duration(i%5)*time.Hour))
		o.UpdatedAt = Day.Add(time.Duration(i%2) * time.Hour)
		orders = append(orders, o)
	}
	require.NoError(t, db.SaveOrders(ctx, orders))
}

func cursorPages(t *testing.T, db Store) {
	seedTies(t, db)
	// Numbers that are not numeric come first ascending, byte-wise among themselves.
	page, err := db.FindOrders(ctx, backend.OrderFilter{Sort: "order_no_asc"})
	require.NoError(t, err)
	assert.Equal(t, []string{"12a", "A-1", "A-10", "A-2", "B", "0", "3", "5", "7", "12", "44", "100"}, nos(page))
	page, err = db.FindOrders(ctx, backend.OrderFilter{Sort: "order_no_desc"})
	require.NoError(t, err)
	assert.Equal(t, []string{"100", "44", "12", "7", "5", "3", "0", "B", "A-2", "A-10", "A-1", "12a"}, nos(page))

	filters := map[string]backend.OrderFilter{
		"all":        {},
		"name":       {Name: "山田1"},
		"name+total": {Name: "山田", TotalMin: yen(1000)},
	}
	for _, sort := range []string{"", "ordered_desc", "ordered_asc", "updated_desc", "total_desc", "order_no_asc", "order_no_desc"} {
		for fname, f := range filters {
			t.Run(sort+"/"+fname, func(t *testing.T) {
				f.Sort, f.Limit = sort, 500
				whole, err := db.FindOrders(ctx, f)
				require.NoError(t, err)
				require.NotEmpty(t, whole.Rows)
				assert.Empty(t, whole.Next, "one page holds them all")
				var paged []string
				f.Limit = 2
				for pages := 0; ; pages++ {
					require.Less(t, pages, 20)
					page, err := db.FindOrders(ctx, f)
					require.NoError(t, err)
					assert.Equal(t, whole.Total, page.Total)
					paged = append(paged, nos(page)...)
					if page.Next == "" {
						break
					}
					assert.Len(t, page.Rows, 2)
					f.After = page.Next
				}
				assert.Equal(t, nos(whole), paged)
			})
		}
	}
}

func cursorRefused(t *testing.T, db Store) {
	seedTies(t, db)
	page, err := db.FindOrders(ctx, backend.OrderFilter{Limit: 2})
	require.NoError(t, err)
	require.NotEmpty(t, page.Next)
	for _, f := range []backend.OrderFilter{
		{After: page.Next, Sort: "total_desc"},
		{After: "not a cursor!"},
		{After: "b3JkZXJlZF9kZXNjCngKMQ"}, // "ordered_desc\nx\n1"
	} {
		_, err := db.FindOrders(ctx, f)
		assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), f.After)
	}
	byOffset, err := db.FindOrders(ctx, backend.OrderFilter{Limit: 2, Offset: 2})
	require.NoError(t, err)
	byCursor, err := db.FindOrders(ctx, backend.OrderFilter{Limit: 2, Offset: 6, After: page.Next})
	require.NoError(t, err)
	assert.Equal(t, nos(byOffset), nos(byCursor))
}

func searchFollowsUpdates(t *testing.T, db Store) {
	saved(t, db, order("1", "山田太郎", "ヤマダタロウ", 100, Day))
	saved(t, db, order("1", "高橋太郎", "タカハシタロウ", 100, Day))
	for q, want := range map[string]int{"山田": 0, "山田太郎": 0, "高橋": 1, "高": 1, "高橋太郎": 1} {
		page, err := db.FindOrders(ctx, backend.OrderFilter{Name: q})
		require.NoError(t, err)
		assert.Equal(t, want, page.Total, q)
	}
}

func orderStatusAndEvents(t *testing.T, db Store) {
	o := saved(t, db, order("1", "山田", "ヤマダ", 100, Day))
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(db.SetOrderStatus(ctx, o.ID, "nonsense", "店長")))
	require.NoError(t, db.SetOrderStatus(ctx, o.ID, backend.OrderShipped, "店長"))
	require.NoError(t, db.SetOrderStatus(ctx, o.ID, backend.OrderShipped, "店長")) // unchanged: no event
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(db.SetOrderStatus(ctx, 999999, backend.OrderPaid, "店長")))
	got, _ := db.OrderByID(ctx, o.ID)
	assert.Equal(t, backend.OrderShipped, got.Status)
	events, err := db.OrderEvents(ctx, o.ID)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, "新規受付 → 発送済み", events[0].Detail)
	assert.Equal(t, "店長", events[0].Actor)
	assert.Equal(t, "status", events[0].Kind)
}

// Every journal entry and every order event names the operator and the PC it was made
// on: several desktops share one database.
func whoDidWhat(t *testing.T, db Store) {
	db.SetPC("受付PC")
	o := saved(t, db, order("1", "山田", "ヤマダ", 100, Day, item("A", "商品A", 100, 1)))
	require.NoError(t, db.SetOrderStatus(ctx, o.ID, backend.OrderOnHold, "鈴木"))
	require.NoError(t, db.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: o.ID, Actor: "鈴木", Note: "電話で確認"}))

	// An operation names the PC that began it, and the change it makes to the 対応状況
	// is the operation's: its operator and its PC, even when another desktop (here
	// the same store renamed) records the outcome after a crash.
	p := payment(t, db, o, backend.StateAuthorized)
	op := &backend.Operation{PaymentID: p.ID, Kind: backend.OpCapture, Amount: 100, IdempotencyKey: "who", Operator: "佐藤", BeforeState: p.State}
	require.NoError(t, db.BeginOperation(ctx, op))
	assert.Equal(t, "受付PC", op.PC)
	db.SetPC("出荷PC")
	op.State, op.AfterState = backend.OpSucceeded, backend.StateCaptured
	p.State, p.AmountCaptured, p.CapturedAt = backend.StateCaptured, 100, Day
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: p, OrderStatus: backend.OrderPaid}))
	require.NoError(t, db.SetOrderStatus(ctx, o.ID, backend.OrderShipped, "田中"))

	ops, err := db.OperationsByPayment(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, ops, 1)
	assert.Equal(t, "佐藤", ops[0].Operator)
	assert.Equal(t, "受付PC", ops[0].PC)
	byID, err := db.OperationByID(ctx, op.ID)
	require.NoError(t, err)
	assert.Equal(t, "受付PC", byID.PC)

	events, err := db.OrderEvents(ctx, o.ID)
	require.NoError(t, err)
	type who struct{ Kind, Actor, PC string }
	var got []who
	for _, e := range events {
		got = append(got, who{e.Kind, e.Actor, e.PC})
	}
	assert.Equal(t, []who{{"status", "鈴木", "受付PC"}, {"note", "鈴木", "受付PC"}, {"status", "佐藤", "受付PC"}, {"status", "田中", "出荷PC"}}, got)
}

func paymentInOrderList(t *testing.T, db Store) {
	o := saved(t, db, order("1", "山田", "ヤマダ", 100, Day))
	p := payment(t, db, o, backend.StateAuthorized)
	page, err := db.FindOrders(ctx, backend.OrderFilter{PaymentStates: []backend.PaymentState{backend.StateAuthorized}})
	require.NoError(t, err)
	require.Len(t, page.Rows, 1)
	assert.Equal(t, p.ID, page.Rows[0].PaymentID)
	assert.Equal(t, backend.GatewayGMO, page.Rows[0].Gateway)
	assert.True(t, page.Rows[0].AuthExpiresAt.Equal(Day.AddDate(0, 0, 90)))
	assert.False(t, page.Rows[0].InFlight)

	got, err := db.PaymentByID(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, "acc-1", got.GatewayTranID)
	assert.True(t, got.AuthorizedAt.Equal(Day))
	_, err = db.PaymentByID(ctx, 999999)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))

	// The gateway order id is unique per profile.
	dup := *p
	dup.ID = 0
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(db.SavePayment(ctx, &dup)))
	bad := *p
	bad.State = "nonsense"
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(db.SavePayment(ctx, &bad)))

	// The newest payment is the order's main one in the list.
	second := &backend.Payment{OrderID: o.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: "G-1-2", State: backend.StateCaptured}
	require.NoError(t, db.SavePayment(ctx, second))
	page, _ = db.FindOrders(ctx, backend.OrderFilter{})
	assert.Equal(t, second.ID, page.Rows[0].PaymentID)
	assert.Equal(t, backend.StateCaptured, page.Rows[0].PaymentState)
	ps, err := db.PaymentsByOrder(ctx, o.ID)
	require.NoError(t, err)
	require.Len(t, ps, 2)
	assert.Equal(t, p.ID, ps[0].ID)
}

func findPayments(t *testing.T, db Store) {
	var ids []int64
	for i, st := range []backend.PaymentState{backend.StateAuthorized, backend.StateCaptured, backend.StateAuthorized} {
		o := saved(t, db, order(fmt.Sprint(i+1), "山田", "ヤマダ", 100, Day))
		p := payment(t, db, o, st)
		if i == 2 {
			p.AuthExpiresAt = Day.AddDate(0, 0, 3)
			require.NoError(t, db.SavePayment(ctx, p))
		}
		ids = append(ids, p.ID)
	}
	idsOf := func(ps []*backend.Payment) []int64 {
		var out []int64
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	got, err := db.FindPayments(ctx, backend.PaymentFilter{States: []backend.PaymentState{backend.StateAuthorized}})
	require.NoError(t, err)
	assert.Equal(t, []int64{ids[0], ids[2]}, idsOf(got))
	got, _ = db.FindPayments(ctx, backend.PaymentFilter{AuthExpiresBefore: Day.AddDate(0, 0, 10)})
	assert.Equal(t, []int64{ids[2]}, idsOf(got))
	got, _ = db.FindPayments(ctx, backend.PaymentFilter{IDs: ids[1:], Limit: 1})
	assert.Equal(t, []int64{ids[1]}, idsOf(got))
	got, _ = db.FindPayments(ctx, backend.PaymentFilter{Methods: []backend.PaymentMethod{backend.MethodKonbini}})
	assert.Empty(t, got)
}

func journalOneInFlight(t *testing.T, db Store) {
	o := order("1", "山田", "ヤマダ", 100, Day, item("A", "商品A", 100, 1))
	saved(t, db, o)
	p := payment(t, db, o, backend.StateAuthorized)

	op := &backend.Operation{PaymentID: p.ID, Intent: "capture", Kind: backend.OpCapture, Amount: 100, IdempotencyKey: "k1",
		Operator: "店長", BeforeState: p.State, Reason: "テスト", BulkJobID: 0}
	require.NoError(t, db.BeginOperation(ctx, op))
	assert.Equal(t, backend.OpPending, op.State)
	assert.NotZero(t, op.ID)

	second := &backend.Operation{PaymentID: p.ID, Kind: backend.OpVoid, IdempotencyKey: "k2"}
	assert.Equal(t, backend.EBUSY, backend.ErrorCode(db.BeginOperation(ctx, second)))

	page, _ := db.FindOrders(ctx, backend.OrderFilter{})
	assert.True(t, page.Rows[0].InFlight)

	require.NoError(t, db.MarkOperationSent(ctx, op.ID, Day))
	unresolved, err := db.UnresolvedOperations(ctx)
	require.NoError(t, err)
	require.Len(t, unresolved, 1)
	assert.Equal(t, backend.OpSent, unresolved[0].State)
	assert.Equal(t, "capture", unresolved[0].Intent)
	assert.Equal(t, "テスト", unresolved[0].Reason)

	// Completing commits the payment, the 対応状況 and the journal together.
	op.State, op.AfterState, op.Message, op.MessageEn = backend.OpSucceeded, backend.StateCaptured, "売上が完了しました", "Captured"
	p.State, p.AmountCaptured, p.CapturedAt = backend.StateCaptured, 100, Day
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: p, OrderStatus: backend.OrderPaid}))
	got, _ := db.OrderByID(ctx, o.ID)
	assert.Equal(t, backend.OrderPaid, got.Status)
	gp, _ := db.PaymentByID(ctx, p.ID)
	assert.Equal(t, backend.StateCaptured, gp.State)
	ops, _ := db.OperationsByPayment(ctx, p.ID)
	require.Len(t, ops, 1)
	assert.Equal(t, backend.OpSucceeded, ops[0].State)
	assert.Equal(t, backend.StateCaptured, ops[0].AfterState)
	assert.Equal(t, "店長", ops[0].Operator)
	assert.Equal(t, "売上が完了しました", ops[0].Message)
	assert.Equal(t, "Captured", ops[0].MessageEn, "the journal keeps the English beside the Japanese")
	assert.False(t, ops[0].RespondedAt.IsZero())
	events, _ := db.OrderEvents(ctx, o.ID)
	require.Len(t, events, 1)
	assert.Equal(t, "新規受付 → 入金済み", events[0].Detail)
	assert.Equal(t, "店長", events[0].Actor)
	unresolved, _ = db.UnresolvedOperations(ctx)
	assert.Empty(t, unresolved)

	// Now the payment is free again, but an idempotency key cannot be reused.
	assert.NoError(t, db.BeginOperation(ctx, second))
	second.State = backend.OpFailed
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: second}))
	reuse := &backend.Operation{PaymentID: p.ID, Kind: backend.OpVoid, IdempotencyKey: "k1"}
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(db.BeginOperation(ctx, reuse)))
	byID, err := db.OperationByID(ctx, second.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.OpFailed, byID.State)
	_, err = db.OperationByID(ctx, 999999)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
}

func journalOnce(t *testing.T, db Store) {
	o := saved(t, db, order("1", "山田", "ヤマダ", 100, Day))
	p := payment(t, db, o, backend.StateAuthorized)
	op := &backend.Operation{PaymentID: p.ID, Kind: backend.OpCapture, Amount: 100, IdempotencyKey: "once"}
	require.NoError(t, db.BeginOperation(ctx, op))
	require.NoError(t, db.MarkOperationSent(ctx, op.ID, Day))
	// Unknown keeps it unresolved (and the payment blocked) until it is inquired.
	op.State, op.Message = backend.OpUnknown, "結果不明"
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op}))
	un, _ := db.UnresolvedOperations(ctx)
	require.Len(t, un, 1)
	assert.Equal(t, backend.OpUnknown, un[0].State)
	assert.Equal(t, backend.EBUSY, backend.ErrorCode(db.BeginOperation(ctx, &backend.Operation{PaymentID: p.ID, Kind: backend.OpVoid, IdempotencyKey: "other"})))
	// The inquiry settles it once; a second outcome is refused and changes nothing.
	op.State = backend.OpSucceeded
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op}))
	op.State = backend.OpFailed
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(db.CompleteOperation(ctx, &backend.Completion{Op: op})))
	got, _ := db.OperationByID(ctx, op.ID)
	assert.Equal(t, backend.OpSucceeded, got.State)
	missing := &backend.Operation{ID: 999999, State: backend.OpFailed}
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(db.CompleteOperation(ctx, &backend.Completion{Op: missing})))
}

func lateCapture(t *testing.T, db Store) {
	o := order("1", "山田", "ヤマダ", 100, Day, item("A", "商品A", 100, 1))
	o.Status = backend.OrderShipped
	saved(t, db, o)
	p := payment(t, db, o, backend.StateAuthorized)
	op := &backend.Operation{PaymentID: p.ID, Kind: backend.OpCapture, Amount: 100, IdempotencyKey: "k1", Operator: "店長", BeforeState: p.State}
	require.NoError(t, db.BeginOperation(ctx, op))
	op.State, op.AfterState = backend.OpSucceeded, backend.StateCaptured
	p.State = backend.StateCaptured
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: p, OrderStatus: backend.OrderPaid}))
	got, _ := db.OrderByID(ctx, o.ID)
	assert.Equal(t, backend.OrderShipped, got.Status)
	gp, _ := db.PaymentByID(ctx, p.ID)
	assert.Equal(t, backend.StateCaptured, gp.State)
}

func cancelStockAndRefunds(t *testing.T, db Store) {
	o := saved(t, db, order("1", "山田", "ヤマダ", 3000, Day, item("A", "商品A", 1000, 1), item("B", "商品B", 1000, 2)))
	p := payment(t, db, o, backend.StateCaptured)
	op := &backend.Operation{PaymentID: p.ID, Kind: backend.OpVoid, IdempotencyKey: "v1"}
	require.NoError(t, db.BeginOperation(ctx, op))
	op.State = backend.OpSucceeded
	p.State = backend.StateVoided
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: p, OrderStatus: backend.OrderCancelled, CancelStock: true,
		RefundTask: &backend.RefundTask{Amount: 500, Reason: "送料の返金", Operator: "店長"}}))
	stock, err := db.CancelStock(ctx, "pending")
	require.NoError(t, err)
	require.Len(t, stock, 2)
	assert.Equal(t, "1", stock[0].OrderNo)
	assert.ElementsMatch(t, []string{"A", "B"}, []string{stock[0].ProductCode, stock[1].ProductCode})
	// Cancelling again adds no line twice.
	require.NoError(t, db.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: o.ID, Actor: "店長", CancelStock: true}))
	stock, _ = db.CancelStock(ctx, "")
	require.Len(t, stock, 2)
	require.NoError(t, db.MarkStockReturned(ctx, []int64{stock[0].ID}))
	pending, _ := db.CancelStock(ctx, "pending")
	returned, _ := db.CancelStock(ctx, "returned")
	assert.Len(t, pending, 1)
	assert.Len(t, returned, 1)

	tasks, err := db.RefundTasks(ctx, "open")
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	assert.Equal(t, backend.Yen(500), tasks[0].Amount)
	assert.Equal(t, p.ID, tasks[0].PaymentID)
	assert.Equal(t, "山田", tasks[0].CustomerName)
	// An order change without a gateway: a note, and a task without a payment.
	require.NoError(t, db.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: o.ID, Actor: "鈴木", Note: "電話で返金先を確認",
		RefundTask: &backend.RefundTask{Amount: 200, Reason: "差額"}}))
	all, _ := db.RefundTasks(ctx, "")
	require.Len(t, all, 2)
	assert.Zero(t, all[1].PaymentID)
	require.NoError(t, db.CompleteRefundTask(ctx, tasks[0].ID, "鈴木"))
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(db.CompleteRefundTask(ctx, tasks[0].ID, "鈴木")))
	done, _ := db.RefundTasks(ctx, "done")
	require.Len(t, done, 1)
	assert.False(t, done[0].DoneAt.IsZero())
	events, _ := db.OrderEvents(ctx, o.ID)
	var details []string
	for _, e := range events {
		details = append(details, e.Detail)
	}
	assert.Equal(t, []string{"新規受付 → キャンセル", "電話で返金先を確認", "口座への返金を完了しました"}, details)
}

func bulkJobs(t *testing.T, db Store) {
	var ids []int64
	for i, no := range []string{"11", "12", "13"} {
		o := saved(t, db, order(no, "山田", "ヤマダ", 100+backend.Yen(i), Day))
		ids = append(ids, payment(t, db, o, backend.StateAuthorized).ID)
	}
	job := &backend.BulkJob{Intent: "capture", Operator: "店長"}
	require.NoError(t, db.CreateBulkJob(ctx, job, []int64{ids[2], ids[0], ids[1]}))
	assert.NotZero(t, job.ID)
	assert.Equal(t, 3, job.Total)
	require.NoError(t, db.UpdateBulkItem(ctx, job.ID, ids[2], backend.BulkSucceeded, 0, backend.Text{Ja: "売上処理が完了しました"}))
	// The second item's operation was journalled, its item never updated (a crash):
	// finishing the run follows the journal; the third was never sent.
	op := &backend.Operation{PaymentID: ids[0], Kind: backend.OpCapture, IdempotencyKey: "b1", BulkJobID: job.ID}
	require.NoError(t, db.BeginOperation(ctx, op))
	op.State, op.Message = backend.OpFailed, "カード会社が拒否しました"
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op}))
	require.NoError(t, db.FinishBulkJob(ctx, job.ID, "cancelled"))
	got, items, err := db.BulkJobByID(ctx, job.ID)
	require.NoError(t, err)
	assert.Equal(t, "cancelled", got.State)
	assert.Equal(t, "店長", got.Operator)
	assert.False(t, got.FinishedAt.IsZero())
	assert.Equal(t, map[string]int{backend.BulkSucceeded: 1, backend.BulkFailed: 1, backend.BulkCancelled: 1}, got.Counts)
	require.Len(t, items, 3)
	assert.Equal(t, []int64{ids[2], ids[0], ids[1]}, []int64{items[0].PaymentID, items[1].PaymentID, items[2].PaymentID}, "in the order selected")
	assert.Equal(t, op.ID, items[1].OperationID)
	assert.Equal(t, "カード会社が拒否しました", items[1].Message)
	assert.Equal(t, "13", items[0].OrderNo)
	_, _, err = db.BulkJobByID(ctx, 999999)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
}

func profilesAndSettings(t *testing.T, db Store) {
	p := &backend.GatewayProfile{Name: "デモ (GMO-PG)", Kind: backend.GatewayGMO, Demo: true, Environment: backend.EnvTest,
		Host: "http://127.0.0.1:1234", MerchantID: "tshop00000001", Methods: []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini},
		AuthExpiryDays: 90, FeePerOperation: 10, AutoCapture: true, LinkRule: backend.LinkRule{Suffix: "-1"}}
	require.NoError(t, db.SaveProfile(ctx, p))
	got, err := db.ProfileByID(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, p.Methods, got.Methods)
	assert.True(t, got.Demo)
	assert.True(t, got.AutoCapture)
	assert.Equal(t, backend.Yen(10), got.FeePerOperation)
	assert.Equal(t, p.LinkRule, got.LinkRule)
	dup := *p
	dup.ID = 0
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(db.SaveProfile(ctx, &dup)))
	_, err = db.ProfileByID(ctx, 999999)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	real := &backend.GatewayProfile{Name: "本番", Kind: backend.GatewaySBPS, Environment: backend.EnvProduction, AuthExpiryDays: 60}
	require.NoError(t, db.SaveProfile(ctx, real))
	all, err := db.Profiles(ctx)
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.Equal(t, p.ID, all[0].ID, "the demo first")

	v, err := db.Setting(ctx, "operator")
	require.NoError(t, err)
	assert.Equal(t, "", v)
	require.NoError(t, db.SetSetting(ctx, "operator", "店長"))
	require.NoError(t, db.SetSetting(ctx, "operator", "鈴木"))
	v, _ = db.Setting(ctx, "operator")
	assert.Equal(t, "鈴木", v)
	// Saved import layouts are the settings under one prefix.
	require.NoError(t, db.SetSetting(ctx, "import.layout.A", "a"))
	require.NoError(t, db.SetSetting(ctx, "import.layout.B", "b"))
	require.NoError(t, db.SetSetting(ctx, "import.layoutX", "not under the prefix"))
	layouts, err := db.SettingsWithPrefix(ctx, "import.layout.")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"import.layout.A": "a", "import.layout.B": "b"}, layouts)
	require.NoError(t, db.DeleteSetting(ctx, "import.layout.A"))
	require.NoError(t, db.DeleteSetting(ctx, "import.layout.A"), "deleting what is not set is no error")
	layouts, _ = db.SettingsWithPrefix(ctx, "import.layout.")
	assert.Equal(t, map[string]string{"import.layout.B": "b"}, layouts)

	demo, err := db.DemoPresent(ctx)
	require.NoError(t, err)
	assert.True(t, demo, "the demo profile")
	o := order("1", "山田", "ヤマダ", 100, Day)
	o.Source = "demo"
	saved(t, db, o)
	pay := payment(t, db, o, backend.StateAuthorized)
	pay.ProfileID = p.ID
	require.NoError(t, db.SavePayment(ctx, pay))
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(db.DeleteProfile(ctx, p.ID)))
	require.NoError(t, db.DeleteDemo(ctx))
	demo, _ = db.DemoPresent(ctx)
	assert.False(t, demo)
	profiles, _ := db.Profiles(ctx)
	require.Len(t, profiles, 1)
	assert.Equal(t, "本番", profiles[0].Name)
	page, _ := db.FindOrders(ctx, backend.OrderFilter{Name: "山田"})
	assert.Equal(t, 0, page.Total)
	require.NoError(t, db.DeleteProfile(ctx, real.ID))
	profiles, _ = db.Profiles(ctx)
	assert.Empty(t, profiles)
}

func syncStore(t *testing.T, db Store) {
	prof := &backend.GatewayProfile{Name: "GMO", Kind: backend.GatewayGMO, Environment: backend.EnvTest, AuthExpiryDays: 60}
	require.NoError(t, db.SaveProfile(ctx, prof))
	o := saved(t, db, order("1", "山田", "ヤマダ", 100, Day))
	p := payment(t, db, o, backend.StateAuthorized)
	p.ProfileID = prof.ID
	require.NoError(t, db.SavePayment(ctx, p))

	d := &backend.Drift{PaymentID: p.ID, FoundAt: Day, OurState: backend.StateAuthorized, GatewayState: backend.StateVoided,
		OurAmount: 100, GatewayAmount: 100, RawStatus: "VOID", Detail: "管理画面で取消"}
	require.NoError(t, db.SaveDrift(ctx, d))
	d.Detail = "もう一度見つかった"
	require.NoError(t, db.SaveDrift(ctx, d))
	drifts, err := db.Drifts(ctx)
	require.NoError(t, err)
	require.Len(t, drifts, 1)
	assert.Equal(t, "もう一度見つかった", drifts[0].Detail)
	assert.Equal(t, "1", drifts[0].OrderNo)
	assert.Equal(t, backend.StateVoided, drifts[0].GatewayState)

	held, err := db.HoldShipping(ctx, &backend.ShippingHold{PaymentID: p.ID, GatewayState: backend.StateVoided, Detail: "取消"})
	require.NoError(t, err)
	assert.True(t, held)
	held, _ = db.HoldShipping(ctx, &backend.ShippingHold{PaymentID: p.ID, GatewayState: backend.StateVoided})
	assert.False(t, held, "once per payment")
	holds, err := db.ShippingHolds(ctx)
	require.NoError(t, err)
	require.Len(t, holds, 1)
	assert.Equal(t, backend.Yen(100), holds[0].Total)
	require.NoError(t, db.KeepShipping(ctx, p.ID, "店長"))
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(db.KeepShipping(ctx, p.ID, "店長")))
	holds, _ = db.ShippingHolds(ctx)
	assert.Empty(t, holds)
	require.NoError(t, db.DeleteDrift(ctx, p.ID))
	drifts, _ = db.Drifts(ctx)
	assert.Empty(t, drifts)

	st, err := db.SyncStatus(ctx, prof.ID)
	require.NoError(t, err)
	assert.True(t, st.LastSuccess.IsZero())
	st.LastSuccess, st.Failures, st.LastError, st.Cursor = Day.UTC(), 2, "接続できません", "n-42"
	require.NoError(t, db.SaveSyncStatus(ctx, st))
	st2, _ := db.SyncStatus(ctx, prof.ID)
	assert.Equal(t, st, st2)

	queue, err := db.RecheckQueue(ctx, prof.ID, Day.AddDate(0, -1, 0), 10)
	require.NoError(t, err)
	require.Len(t, queue, 1)
	n, err := db.RecheckCount(ctx, prof.ID, Day.AddDate(0, -1, 0))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

func reviews(t *testing.T, db Store) {
	o := saved(t, db, order("1", "山田", "ヤマダ", 100, Day))
	p := payment(t, db, o, backend.StateAuthorized)
	r := &backend.Review{PaymentID: p.ID, OperationID: 7, FoundAt: Day, Candidates: []backend.Transaction{{Gateway: backend.GatewayPaygent,
		TransactionIDs: backend.TransactionIDs{GatewayTranID: "tx-2"}}}}
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(db.SaveReview(ctx, r)), "only a payment 要確認 has candidates")
	p.State = backend.StateNeedsReview
	require.NoError(t, db.SavePayment(ctx, p))
	require.NoError(t, db.SaveReview(ctx, r))
	got, err := db.Review(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(7), got.OperationID)
	require.NotNil(t, got.Candidate("tx-2"))
	waiting, _ := db.AwaitingChoice(ctx)
	assert.Equal(t, map[int64]bool{p.ID: true}, waiting)
	// A new transaction id joins the history; leaving 要確認 ends the review.
	p.GatewayTranID, p.State = "acc-1b", backend.StateAuthorized
	require.NoError(t, db.SavePayment(ctx, p))
	ids, err := db.TranIDs(ctx, p.ID)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"acc-1", "acc-1b"}, ids)
	_, err = db.Review(ctx, p.ID)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	waiting, _ = db.AwaitingChoice(ctx)
	assert.Empty(t, waiting)
}

func feeReport(t *testing.T, db Store) {
	prof := &backend.GatewayProfile{Name: "GMO", Kind: backend.GatewayGMO, Environment: backend.EnvTest, AuthExpiryDays: 60, FeePerOperation: 5}
	require.NoError(t, db.SaveProfile(ctx, prof))
	// 2026-11-30 23:30 JST is November in Japan (14:30 UTC); 2026-12-01 00:30 JST is December.
	at := []time.Time{time.Date(2026, 11, 30, 23, 30, 0, 0, backend.JST), time.Date(2026, 12, 1, 0, 30, 0, 0, backend.JST)}
	states := []backend.OpState{backend.OpSucceeded, backend.OpFailed}
	for i := range at {
		o := saved(t, db, order(fmt.Sprint(i+1), "山田", "ヤマダ", 100, Day))
		p := payment(t, db, o, backend.StateAuthorized)
		p.ProfileID = prof.ID
		require.NoError(t, db.SavePayment(ctx, p))
		op := &backend.Operation{PaymentID: p.ID, Kind: backend.OpCapture, IdempotencyKey: fmt.Sprint("f", i), RequestedAt: at[i]}
		require.NoError(t, db.BeginOperation(ctx, op))
		op.State, op.GatewayCode = states[i], "E01"
		require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op}))
	}
	lines, err := db.FeeReport(ctx, Day, Day.AddDate(0, 2, 0))
	require.NoError(t, err)
	require.Len(t, lines, 2)
	assert.Equal(t, "2026-11", lines[0].Month)
	assert.Equal(t, 1, lines[0].Succeeded)
	assert.Equal(t, "2026-12", lines[1].Month)
	assert.Equal(t, 0, lines[1].Succeeded)
	assert.Equal(t, 1, lines[1].Operations)
	assert.Equal(t, backend.Yen(5), lines[1].Fee)
}

// 作業リスト: each list holds the orders the fixture put in it, most urgent first, and
// the menu's counts are the lists' sizes.
func workLists(t *testing.T, db Store) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, backend.JST)
	staleBefore := now.Add(-time.Hour)
	day := func(days, hour int) time.Time { return time.Date(2026, 11, 20+days, hour, 0, 0, 0, backend.JST) }
	withPayment := func(no string, state backend.PaymentState, edit func(o *backend.Order, p *backend.Payment)) *backend.Payment {
		o := order(no, "山田", "ヤマダ", 1000, now.Add(-48*time.Hour))
		p := &backend.Payment{Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: "G-" + no, GatewayTranID: "T-" + no,
			State: state, AmountAuthorized: 1000, AuthorizedAt: now.Add(-48 * time.Hour)}
		if edit != nil {
			edit(o, p)
		}
		saved(t, db, o)
		p.OrderID = o.ID
		require.NoError(t, db.SavePayment(ctx, p))
		return p
	}
	expires := func(at time.Time) func(o *backend.Order, p *backend.Payment) {
		return func(o *backend.Order, p *backend.Payment) { p.AuthExpiresAt = at }
	}
	konbini := func(deadline time.Time) func(o *backend.Order, p *backend.Payment) {
		return func(o *backend.Order, p *backend.Payment) {
			o.PaymentMethod, o.Status = backend.MethodKonbini, backend.OrderAwaitingDeposit
			p.Method, p.PaymentDeadline = backend.MethodKonbini, deadline
		}
	}
	withPayment("101", backend.StateAuthorized, expires(day(10, 9)))
	withPayment("102", backend.StateAuthorized, expires(day(2, 9)))
	withPayment("103", backend.StateCaptureFailed, nil)
	withPayment("104", backend.StateAwaitingDeposit, konbini(day(-1, 23)))
	withPayment("105", backend.StateAwaitingDeposit, konbini(day(2, 23))) // within its deadline
	withPayment("106", backend.StateNeedsReview, nil)
	// An authorisation whose capture is on its way: to capture, and to review.
	inFlight := withPayment("107", backend.StateAuthorized, expires(day(20, 9)))
	op := &backend.Operation{PaymentID: inFlight.ID, Kind: backend.OpCapture, Amount: 1000, IdempotencyKey: "wl-107"}
	require.NoError(t, db.BeginOperation(ctx, op))
	require.NoError(t, db.MarkOperationSent(ctx, op.ID, now))
	// 決済処理中 for two hours (stale) and for ten minutes (not yet).
	for no, at := range map[string]time.Time{"108": now.Add(-2 * time.Hour), "109": now.Add(-10 * time.Minute)} {
		o := order(no, "山田", "ヤマダ", 1000, at)
		o.Status = backend.OrderProcessing
		saved(t, db, o)
	}
	// Cancelled at the gateway before shipping: stop shipping.
	voided := withPayment("110", backend.StateVoided, nil)
	held, err := db.HoldShipping(ctx, &backend.ShippingHold{PaymentID: voided.ID, GatewayState: backend.StateVoided, Detail: "管理画面で取消"})
	require.NoError(t, err)
	require.True(t, held)

	want := map[string][]string{
		"stop_shipping":    {"110"},
		"to_capture":       {"102", "101", "107"},
		"capture_failed":   {"103"},
		"needs_review":     {"106", "107"},
		"overdue_deposit":  {"104"},
		"stale_processing": {"108"},
	}
	counts, err := db.WorkListCounts(ctx, now, staleBefore)
	require.NoError(t, err)
	for list, nos := range want {
		rows, err := db.WorkList(ctx, list, now, staleBefore, 100)
		require.NoError(t, err, list)
		var got []string
		for _, r := range rows {
			got = append(got, r.OrderNo)
		}
		if list == "needs_review" {
			assert.ElementsMatch(t, nos, got, list) // by last change: both written in this second
		} else {
			assert.Equal(t, nos, got, list)
		}
		assert.Equal(t, len(nos), counts[list], list)
	}
	rows, _ := db.WorkList(ctx, "to_capture", now, staleBefore, 100)
	require.Len(t, rows, 3)
	assert.Equal(t, backend.StateAuthorized, rows[0].PaymentState)
	assert.Equal(t, day(2, 9).UTC(), rows[0].AuthExpiresAt.UTC())
	assert.True(t, rows[2].InFlight, "the capture on its way shows in the row")
	limited, _ := db.WorkList(ctx, "to_capture", now, staleBefore, 1)
	assert.Len(t, limited, 1)
	_, err = db.WorkList(ctx, "nonsense", now, staleBefore, 10)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
}

// ホーム's counts on a shop with one or more orders in every kind of work: each count
// and yen total is what the fixture put there, and each count is the size of the work
// list it links to.
func overviewCounts(t *testing.T, db Store) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, backend.JST)
	staleBefore := now.Add(-time.Hour)
	no := 0
	newOrder := func(total backend.Yen, mutate func(o *backend.Order)) *backend.Order {
		no++
		o := order(strconv.Itoa(100+no), "山田", "ヤマダ", total, now.Add(-48*time.Hour), item("A", "商品A", total, 1))
		o.Shipping = 0
		if mutate != nil {
			mutate(o)
		}
		require.NoError(t, db.SaveOrder(ctx, o))
		return o
	}
	authorized := func(total backend.Yen, expires time.Time) *backend.Payment {
		p := payment(t, db, newOrder(total, nil), backend.StateAuthorized)
		p.AuthExpiresAt = expires
		require.NoError(t, db.SavePayment(ctx, p))
		return p
	}
	today := func(days, hour int) time.Time { return time.Date(2026, 11, 20+days, hour, 0, 0, 0, backend.JST) }

	// 仮売上 by days left: lapsed yesterday, today, in 3 days (00:30), in 4 days (midnight), in 40 days.
	authorized(1000, today(-1, 12))
	p2 := authorized(2000, today(0, 23))
	authorized(3000, today(3, 0).Add(30*time.Minute))
	authorized(4000, today(4, 0))
	p5 := authorized(5000, today(40, 9))
	// 売上失敗: two with one reason, one with another.
	failed := func(total backend.Yen, code, msg string) {
		p := payment(t, db, newOrder(total, nil), backend.StateCaptureFailed)
		op := &backend.Operation{PaymentID: p.ID, Kind: backend.OpCapture, Amount: total, IdempotencyKey: "f" + strconv.Itoa(no)}
		require.NoError(t, db.BeginOperation(ctx, op))
		op.State, op.GatewayCode, op.Message = backend.OpFailed, code, msg
		if code == "E01" {
			op.MessageEn = "The card company refused the capture"
		}
		require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op}))
	}
	failed(6000, "E01", "カード会社が売上を受け付けませんでした")
	failed(7000, "E01", "カード会社が売上を受け付けませんでした")
	failed(8000, "E02", "与信の期限が切れています")
	// 入金待ち: one within its deadline, one past it.
	deposit := func(total backend.Yen, deadline time.Time) {
		o := newOrder(total, func(o *backend.Order) {
			o.PaymentMethod, o.Status = backend.MethodKonbini, backend.OrderAwaitingDeposit
		})
		p := payment(t, db, o, backend.StateAwaitingDeposit)
		p.Method, p.AuthExpiresAt, p.PaymentDeadline = backend.MethodKonbini, time.Time{}, deadline
		require.NoError(t, db.SavePayment(ctx, p))
	}
	deposit(9000, today(2, 23))
	deposit(10000, today(-1, 23))
	// 要確認, and an authorisation whose capture is being confirmed (8–14 days left).
	payment(t, db, newOrder(11000, nil), backend.StateNeedsReview)
	p12 := authorized(12000, today(10, 9))
	op := &backend.Operation{PaymentID: p12.ID, Kind: backend.OpCapture, Amount: 12000, IdempotencyKey: "u1"}
	require.NoError(t, db.BeginOperation(ctx, op))
	require.NoError(t, db.MarkOperationSent(ctx, op.ID, now))
	// A cancelled order with two lines on キャンセル在庫.
	o13 := newOrder(3000, func(o *backend.Order) {
		o.Items = []backend.LineItem{item("A", "商品A", 1000, 1), item("B", "商品B", 1000, 2)}
	})
	require.NoError(t, db.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: o13.ID, Status: backend.OrderCancelled, Actor: "店長", CancelStock: true}))
	// A difference, and an order to stop shipping (cancelled at the gateway).
	require.NoError(t, db.SaveDrift(ctx, &backend.Drift{PaymentID: p5.ID, OurState: backend.StateAuthorized, GatewayState: backend.StateVoided}))
	held, err := db.HoldShipping(ctx, &backend.ShippingHold{PaymentID: p2.ID, GatewayState: backend.StateVoided})
	require.NoError(t, err)
	require.True(t, held)
	// 未連携: an imported card order the gateway has no transaction for.
	o15 := newOrder(15000, func(o *backend.Order) { o.Source = "csv" })
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: o15.ID, Status: backend.LinkNotFound, Reason: "取引なし"}))
	// 決済処理中 for two days (stale), and one just placed (not stale).
	newOrder(1600, func(o *backend.Order) { o.Status = backend.OrderProcessing })
	newOrder(1700, func(o *backend.Order) { o.Status, o.OrderedAt = backend.OrderProcessing, now.Add(-10*time.Minute) })

	ov, err := db.Overview(ctx, now, staleBefore)
	require.NoError(t, err)
	assert.Equal(t, 16, ov.Orders)
	u := backend.Unbounded
	assert.Equal(t, []backend.CaptureBucket{
		{MinDays: -u, MaxDays: -1, Count: 1, Amount: 1000},
		{MinDays: 0, MaxDays: 3, Count: 2, Amount: 5000},
		{MinDays: 4, MaxDays: 7, Count: 1, Amount: 4000},
		{MinDays: 8, MaxDays: 14, Count: 1, Amount: 12000},
		{MinDays: 15, MaxDays: 30, Count: 0, Amount: 0},
		{MinDays: 31, MaxDays: u, Count: 1, Amount: 5000},
	}, ov.ToCapture)
	assert.Zero(t, ov.ToCaptureNoExpiry)
	assert.Equal(t, 3, ov.CaptureFailed)
	assert.Equal(t, backend.Yen(21000), ov.CaptureFailedAmount)
	assert.Equal(t, []backend.FailReason{
		{Code: "E01", Message: "カード会社が売上を受け付けませんでした", MessageEn: "The card company refused the capture", Count: 2},
		{Code: "E02", Message: "与信の期限が切れています", Count: 1}, // journalled before English was kept
	}, ov.FailReasons)
	assert.Equal(t, 1, ov.AwaitingDeposit)
	assert.Equal(t, backend.Yen(9000), ov.AwaitingDepositAmount)
	assert.Equal(t, 1, ov.OverdueDeposit)
	assert.Equal(t, backend.Yen(10000), ov.OverdueDepositAmount)
	assert.Equal(t, 1, ov.NeedsReview)
	assert.Equal(t, 1, ov.Unresolved)
	assert.Equal(t, 1, ov.Stale)
	assert.Equal(t, 1, ov.Drifts)
	assert.Equal(t, 1, ov.StopShipping)
	assert.Equal(t, 2, ov.CancelStock, "lines, not orders")
	assert.Equal(t, 1, ov.Unlinked)

	// Every count is its work list's length.
	lists := map[string]int{
		"to_capture": 6, "capture_failed": ov.CaptureFailed, "overdue_deposit": ov.OverdueDeposit,
		"needs_review": ov.NeedsReview + ov.Unresolved, "stale_processing": ov.Stale, "stop_shipping": ov.StopShipping,
	}
	for list, n := range lists {
		rows, err := db.WorkList(ctx, list, now, staleBefore, 0)
		require.NoError(t, err)
		assert.Len(t, rows, n, list)
	}
	unlinked, err := db.Unlinked(ctx, 0)
	require.NoError(t, err)
	assert.Len(t, unlinked, ov.Unlinked)

	// A day later the buckets move: today's authorisation has lapsed.
	ov, err = db.Overview(ctx, now.Add(24*time.Hour), staleBefore)
	require.NoError(t, err)
	assert.Equal(t, 2, ov.ToCapture[0].Count)
	assert.Equal(t, backend.Yen(3000), ov.ToCapture[0].Amount)
}

// An empty shop: every count zero, the buckets there, no reasons.
func overviewEmpty(t *testing.T, db Store) {
	ov, err := db.Overview(ctx, Day, Day)
	require.NoError(t, err)
	assert.Zero(t, ov.Orders)
	assert.Len(t, ov.ToCapture, len(backend.CaptureBuckets))
	for _, b := range ov.ToCapture {
		assert.Zero(t, b.Count)
	}
	assert.Empty(t, ov.FailReasons)
	assert.Zero(t, ov.CaptureFailed+ov.AwaitingDeposit+ov.OverdueDeposit+ov.NeedsReview+ov.Unresolved+ov.Drifts+ov.CancelStock+ov.Unlinked)
}

// Where linking each order stands: the outcome of a look-up is kept (a linked order
// never goes back), the run's queue is the pending and failed ones, least recently
// tried first, and 未連携 every status but linked, newest orders first.
func linkStates(t *testing.T, db Store) {
	prof := &backend.GatewayProfile{Name: "GMO", Kind: backend.GatewayGMO, Environment: backend.EnvTest, LinkRule: backend.LinkRule{Prefix: "KD-"}}
	require.NoError(t, db.SaveProfile(ctx, prof))
	var orders []*backend.Order
	for i, no := range []string{"1001", "1002", "1003", "1004"} {
		o := order(no, "山田", "ヤマダ", 5000, Day.Add(time.Duration(i)*time.Hour))
		o.Source = "csv"
		orders = append(orders, saved(t, db, o))
	}
	save := func(o *backend.Order, l backend.OrderLink) {
		t.Helper()
		l.OrderID = o.ID
		require.NoError(t, db.SaveLinkState(ctx, &l))
		assert.False(t, l.UpdatedAt.IsZero())
	}
	cand := backend.Transaction{ProfileID: prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
		TransactionIDs: backend.TransactionIDs{GatewayOrderID: "KD-1002", GatewayTranID: "t1", GatewayTranPass: "secret"}}
	save(orders[0], backend.OrderLink{Status: backend.LinkPending, ProfileID: prof.ID})
	save(orders[1], backend.OrderLink{Status: backend.LinkAmbiguous, ProfileID: prof.ID, Reason: "候補が2件", ReasonEn: "2 candidates",
		Candidates: []backend.Transaction{cand, cand}})
	save(orders[2], backend.OrderLink{Status: backend.LinkFailed, Reason: "接続できません"})
	save(orders[3], backend.OrderLink{Status: backend.LinkLinked, ProfileID: prof.ID})
	// A linked order is never taken back.
	save(orders[3], backend.OrderLink{Status: backend.LinkNotFound, Reason: "取引なし"})

	l, err := db.LinkState(ctx, orders[1].ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkAmbiguous, l.Status)
	assert.Equal(t, []string{"1002", "山田", "候補が2件", "2 candidates", "KD-1002"}, []string{l.OrderNo, l.CustomerName, l.Reason, l.ReasonEn, l.GatewayOrderID},
		"the id asked for is the profile's rule applied to the order number")
	require.Len(t, l.Candidates, 2)
	assert.Equal(t, "t1", l.Candidates[0].GatewayTranID)
	assert.Empty(t, l.Candidates[0].GatewayTranPass, "candidates are kept without their passwords")
	linked, err := db.LinkState(ctx, orders[3].ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkLinked, linked.Status)
	assert.Empty(t, linked.Reason)

	pending, err := db.PendingLinks(ctx, 10)
	require.NoError(t, err)
	var nos []string
	for _, l := range pending {
		nos = append(nos, l.OrderNo)
	}
	assert.Equal(t, []string{"1001", "1003"}, nos)
	n, err := db.CountPendingLinks(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	unlinked, err := db.Unlinked(ctx, 0)
	require.NoError(t, err)
	nos = nil
	for _, l := range unlinked {
		nos = append(nos, l.OrderNo)
	}
	assert.Equal(t, []string{"1003", "1002", "1001"}, nos)

	// An order that gets its payment leaves the lists.
	payment(t, db, orders[0], backend.StateAuthorized)
	n, _ = db.CountPendingLinks(ctx)
	assert.Equal(t, 1, n)

	_, err = db.LinkState(ctx, 999999)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(db.SaveLinkState(ctx, &backend.OrderLink{OrderID: 999999, Status: backend.LinkPending})))
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(db.SaveLinkState(ctx, &backend.OrderLink{OrderID: orders[0].ID, Status: "nonsense"})))
}

// 売上集計's reads: sales per JST day from the summary for whole days and from the
// payments for a period's partial days, by sale date and by order date, filtered; what
// is still to come (authorisations by the day they lapse, deposits by their deadline);
// the journal's billable operations; a profile's fees.
func reports(t *testing.T, db Store) {
	jst := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, backend.JST) }
	prof := &backend.GatewayProfile{Name: "GMO", Kind: backend.GatewayGMO, Environment: backend.EnvTest}
	require.NoError(t, db.SaveProfile(ctx, prof))
	sold := func(no string, total backend.Yen, edit func(p *backend.Payment)) *backend.Payment {
		o := saved(t, db, order(no, "山田", "ヤマダ", total, jst(9, 10, 0)))
		p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
			GatewayOrderID: "G-" + no, GatewayTranID: "T-" + no, State: backend.StateCaptured, AmountAuthorized: total}
		edit(p)
		require.NoError(t, db.SavePayment(ctx, p))
		return p
	}
	captured := func(at time.Time) func(p *backend.Payment) {
		return func(p *backend.Payment) { p.AmountCaptured, p.CapturedAt = p.AmountAuthorized, at }
	}
	sold("2001", 3000, captured(jst(10, 12, 0)))
	sold("2002", 2000, func(p *backend.Payment) {
		captured(jst(10, 23, 30))(p)
		p.State, p.AmountRefunded = backend.StatePartiallyRefunded, 500
	})
	sold("2003", 4000, captured(jst(11, 9, 0)))
	sold("2004", 1500, func(p *backend.Payment) {
		p.Method, p.State, p.PaidAt = backend.MethodKonbini, backend.StateDeposited, jst(11, 10, 0)
	})
	// Still to come: two authorisations (one with no known expiry), one deposit.
	sold("2005", 5000, func(p *backend.Payment) { p.State, p.AuthExpiresAt = backend.StateAuthorized, jst(30, 10, 0) })
	sold("2006", 6000, func(p *backend.Payment) { p.State = backend.StateAuthorized })
	sold("2007", 7000, func(p *backend.Payment) {
		p.Method, p.State, p.PaymentDeadline = backend.MethodKonbini, backend.StateAwaitingDeposit, time.Date(2026, 12, 3, 23, 59, 59, 0, backend.JST)
	})

	day := func(d int, method backend.PaymentMethod, n int, gross, refunded backend.Yen) backend.SalesDay {
		return backend.SalesDay{Day: jst(d, 0, 0), ProfileID: prof.ID, Method: method, Count: n, Gross: gross, Refunded: refunded}
	}
	sales := func(f backend.ReportFilter) []backend.SalesDay {
		t.Helper()
		got, err := db.SalesByDay(ctx, f)
		require.NoError(t, err)
		for i := range got {
			got[i].Day = got[i].Day.In(backend.JST)
		}
		return got
	}
	// Whole days (the summary).
	assert.ElementsMatch(t, []backend.SalesDay{day(10, backend.MethodCard, 2, 5000, 500), day(11, backend.MethodCard, 1, 4000, 0),
		day(11, backend.MethodKonbini, 1, 1500, 0)}, sales(backend.ReportFilter{From: jst(10, 0, 0), To: jst(12, 0, 0)}))
	// A period from noon to the next morning: the payments themselves, [From, To).
	assert.ElementsMatch(t, []backend.SalesDay{day(10, backend.MethodCard, 2, 5000, 500), day(11, backend.MethodCard, 1, 4000, 0)},
		sales(backend.ReportFilter{From: jst(10, 12, 0), To: jst(11, 9, 30)}))
	assert.ElementsMatch(t, []backend.SalesDay{day(11, backend.MethodKonbini, 1, 1500, 0)},
		sales(backend.ReportFilter{From: jst(10, 0, 0), To: jst(12, 0, 0), Methods: []backend.PaymentMethod{backend.MethodKonbini}}))
	assert.Empty(t, sales(backend.ReportFilter{From: jst(10, 0, 0), To: jst(12, 0, 0), ProfileIDs: []int64{prof.ID + 1}}))
	// By order date: every sale on 9 November.
	assert.ElementsMatch(t, []backend.SalesDay{day(9, backend.MethodCard, 3, 9000, 500), day(9, backend.MethodKonbini, 1, 1500, 0)},
		sales(backend.ReportFilter{From: jst(9, 0, 0), To: jst(10, 0, 0), Basis: backend.BasisOrdered}))

	auths, err := db.AuthsDue(ctx, backend.ReportFilter{})
	require.NoError(t, err)
	require.Len(t, auths, 2)
	assert.True(t, auths[0].Day.IsZero(), "no known expiry first")
	assert.Equal(t, []any{1, backend.Yen(6000)}, []any{auths[0].Count, auths[0].Amount})
	assert.Equal(t, jst(30, 0, 0), auths[1].Day.In(backend.JST))
	assert.Equal(t, []any{prof.ID, backend.MethodCard, 1, backend.Yen(5000)}, []any{auths[1].ProfileID, auths[1].Method, auths[1].Count, auths[1].Amount})
	deposits, err := db.DepositsDue(ctx, backend.ReportFilter{})
	require.NoError(t, err)
	require.Len(t, deposits, 1)
	assert.Equal(t, time.Date(2026, 12, 3, 0, 0, 0, 0, backend.JST), deposits[0].Day.In(backend.JST))
	assert.Equal(t, backend.Yen(7000), deposits[0].Amount)

	// The journal: a capture answered (billable), one never sent, one still unknown.
	p := sold("2008", 800, func(p *backend.Payment) { p.State = backend.StateAuthorized })
	journal := func(key string, sent bool, state backend.OpState) {
		op := &backend.Operation{PaymentID: p.ID, Kind: backend.OpCapture, Amount: 800, IdempotencyKey: key, RequestedAt: jst(12, 9, 0)}
		require.NoError(t, db.BeginOperation(ctx, op))
		if sent {
			require.NoError(t, db.MarkOperationSent(ctx, op.ID, jst(12, 9, 0)))
		}
		op.State = state
		require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op}))
	}
	journal("r1", true, backend.OpSucceeded)
	journal("r2", false, backend.OpFailed)
	journal("r3", true, backend.OpUnknown)
	counts, err := db.OperationCounts(ctx, jst(12, 0, 0), jst(13, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, []backend.OpCount{{ProfileID: prof.ID, Kind: backend.OpCapture, Billable: 1, Unresolved: 1}}, counts)
	counts, _ = db.OperationCounts(ctx, jst(13, 0, 0), jst(14, 0, 0))
	assert.Empty(t, counts)

	require.NoError(t, db.SetGatewayFees(ctx, prof.ID, backend.FeeSchedule{backend.OpCapture: 5, backend.OpVoid: 3}))
	require.NoError(t, db.SetGatewayFees(ctx, prof.ID, backend.FeeSchedule{backend.OpCapture: 7}))
	fees, err := db.GatewayFees(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[int64]backend.FeeSchedule{prof.ID: {backend.OpCapture: 7}}, fees, "a schedule is replaced whole")
}

// A support bundle's counts: how much of each table, and the journal and payments per
// state — never what they say.
func supportCounts(t *testing.T, db Store) {
	o := saved(t, db, order("1", "山田", "ヤマダ", 300, Day, item("A", "商品A", 100, 1), item("B", "商品B", 100, 2)))
	p := payment(t, db, o, backend.StateAuthorized)
	saved(t, db, order("2", "佐藤", "サトウ", 100, Day))
	op := &backend.Operation{PaymentID: p.ID, Kind: backend.OpCapture, Amount: 300, IdempotencyKey: "sc"}
	require.NoError(t, db.BeginOperation(ctx, op))
	counts, err := db.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(2), counts["orders"])
	assert.Equal(t, int64(2), counts["order_items"])
	assert.Equal(t, int64(1), counts["payments"])
	assert.Equal(t, int64(1), counts["operations"])
	assert.Equal(t, int64(0), counts["drifts"])
	assert.Len(t, counts, 13)
	states, err := db.StateCounts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]map[string]int64{"operations": {"pending": 1}, "payments": {"authorized": 1}}, states)
}

// Queueing the orders that need a link (not those a payment, a cancel, the demo or a
// bank transfer exempt; not those waiting for the operator's choice unless named), and
// attaching a found transaction: once per order, once per transaction, with an event.
func linkQueueAndAttach(t *testing.T, db Store) {
	prof := &backend.GatewayProfile{Name: "GMO", Kind: backend.GatewayGMO, Environment: backend.EnvTest}
	require.NoError(t, db.SaveProfile(ctx, prof))
	mk := func(no string, edit func(o *backend.Order)) *backend.Order {
		o := order(no, "山田", "ヤマダ", 5000, Day)
		o.Source = "csv"
		if edit != nil {
			edit(o)
		}
		return saved(t, db, o)
	}
	card, card2, ambiguous := mk("1", nil), mk("2", nil), mk("3", nil)
	mk("4", func(o *backend.Order) { o.Status = backend.OrderCancelled })
	mk("5", func(o *backend.Order) { o.Source = "demo" })
	mk("6", func(o *backend.Order) { o.PaymentMethod = backend.MethodOther })
	payment(t, db, mk("7", nil), backend.StateAuthorized)
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: ambiguous.ID, Status: backend.LinkAmbiguous, Reason: "候補が2件"}))

	n, err := db.QueueLinks(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, n, "the two card orders; the one waiting for a choice is left")
	l, _ := db.LinkState(ctx, ambiguous.ID)
	assert.Equal(t, backend.LinkAmbiguous, l.Status)
	n, err = db.QueueLinks(ctx, []int64{ambiguous.ID})
	require.NoError(t, err)
	assert.Equal(t, 1, n, "named: queued again")
	l, _ = db.LinkState(ctx, ambiguous.ID)
	assert.Equal(t, []string{string(backend.LinkPending), ""}, []string{string(l.Status), l.Reason})

	db.SetPC("事務所PC")
	p := &backend.Payment{OrderID: card.ID, ProfileID: prof.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
		GatewayOrderID: "KD-1", GatewayTranID: "acc1", State: backend.StateAuthorized, AmountAuthorized: 5000}
	require.NoError(t, db.AttachPayment(ctx, p, "鈴木"))
	assert.NotZero(t, p.ID)
	l, _ = db.LinkState(ctx, card.ID)
	assert.Equal(t, backend.LinkLinked, l.Status)
	events, _ := db.OrderEvents(ctx, card.ID)
	require.Len(t, events, 1)
	assert.Equal(t, []string{"鈴木", "事務所PC", "note"}, []string{events[0].Actor, events[0].PC, events[0].Kind})
	assert.Contains(t, events[0].Detail, "オーダーID KD-1")
	pending, _ := db.PendingLinks(ctx, 10)
	assert.Len(t, pending, 2, "the linked order left the queue")

	again := *p
	again.ID = 0
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(db.AttachPayment(ctx, &again, "鈴木")), "the order has its payment")
	other := again
	other.OrderID = card2.ID
	err = db.AttachPayment(ctx, &other, "鈴木")
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err), "the transaction is another order's")
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "受注 1")
	missing := again
	missing.OrderID = 999999
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(db.AttachPayment(ctx, &missing, "鈴木")))
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(db.AttachPayment(ctx, p, "鈴木")), "a saved payment is not attached again")
}
