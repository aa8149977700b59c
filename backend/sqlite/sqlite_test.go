package sqlite

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

func openTestDB(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "kessai.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

var day = time.Date(2026, 11, 1, 10, 0, 0, 0, backend.JST)

func testOrder(no, name, kana string, total backend.Yen, ordered time.Time, items ...backend.LineItem) *backend.Order {
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

func allMigrations(t *testing.T) []string {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	require.NoError(t, err)
	for i := range names {
		names[i] = filepath.Base(names[i])
	}
	return names
}

func TestMigrationsFromEmptyFileAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "kessai.db")
	db, err := Open(path)
	require.NoError(t, err)
	names, err := db.Migrations(context.Background())
	require.NoError(t, err)
	assert.Equal(t, allMigrations(t), names)
	assert.GreaterOrEqual(t, len(names), 2)
	var mode string
	require.NoError(t, db.read.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	assert.Equal(t, "wal", mode)
	var fk int
	require.NoError(t, db.read.QueryRow(`PRAGMA foreign_keys`).Scan(&fk))
	assert.Equal(t, 1, fk)
	require.NoError(t, db.SaveOrder(context.Background(), testOrder("1", "山田太郎", "ヤマダタロウ", 1000, day)))
	require.NoError(t, db.Close())
	_, err = os.Stat(path + ".bak-0002_tasks_bulk")
	assert.True(t, os.IsNotExist(err), "a new database needs no backup")

	// Reopening applies nothing twice and keeps the data.
	db, err = Open(path)
	require.NoError(t, err)
	names, _ = db.Migrations(context.Background())
	assert.Equal(t, allMigrations(t), names)
	o, err := db.OrderByNo(context.Background(), "1")
	require.NoError(t, err)
	assert.Equal(t, "山田太郎", o.CustomerName)

	// An older database (only 0001) is backed up, then upgraded.
	_, err = db.write.Exec(`DROP TABLE bulk_items; DROP TABLE bulk_jobs; DROP TABLE refund_tasks;
		DELETE FROM schema_migrations WHERE name = '0002_tasks_bulk.sql'`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	db, err = Open(path)
	require.NoError(t, err)
	defer db.Close()
	names, _ = db.Migrations(context.Background())
	assert.Equal(t, allMigrations(t), names)
	_, err = os.Stat(path + ".bak-0002_tasks_bulk")
	assert.NoError(t, err, "the database is copied before an upgrade")
	// the table is back (counted, not listed: a later step's columns were not re-added)
	var tasks int
	require.NoError(t, db.read.QueryRow(`SELECT count(*) FROM refund_tasks`).Scan(&tasks))
	assert.Zero(t, tasks)
}

func TestReaderIsReadOnly(t *testing.T) {
	db := openTestDB(t)
	_, err := db.read.Exec(`INSERT INTO settings (key, value) VALUES ('x', 'y')`)
	assert.Error(t, err)
}

func TestSaveOrderRoundTripAndReimportUpdates(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	o := testOrder("1001", "佐藤花子", "サトウハナコ", 5775, day, item("A123", "サンプルB", 2625, 2))
	o.Items[0].Variant = "S ブラック"
	o.Memo = "ギフト包装"
	require.NoError(t, db.SaveOrder(ctx, o))
	assert.NotZero(t, o.ID)

	got, err := db.OrderByNo(ctx, "1001")
	require.NoError(t, err)
	assert.Equal(t, o.ID, got.ID)
	assert.Equal(t, backend.Yen(5775), got.Total)
	assert.Equal(t, "S ブラック", got.Items[0].Variant)
	assert.Equal(t, "ギフト包装", got.Memo)
	assert.True(t, got.OrderedAt.Equal(day))

	// Re-import of the same order number updates, never duplicates.
	o2 := testOrder("1001", "佐藤花子", "サトウハナコ", 6300, day, item("A123", "サンプルB", 3150, 2))
	require.NoError(t, db.SaveOrder(ctx, o2))
	assert.Equal(t, o.ID, o2.ID)
	page, err := db.FindOrders(ctx, backend.OrderFilter{})
	require.NoError(t, err)
	assert.Equal(t, 1, page.Total)
	got, _ = db.OrderByNo(ctx, "1001")
	assert.Equal(t, backend.Yen(6300), got.Total)
	assert.Equal(t, backend.Yen(3150), got.Items[0].UnitPrice)

	_, err = db.OrderByNo(ctx, "9999")
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
}

func TestSaveOrdersIsAtomic(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	good := testOrder("1", "山田", "ヤマダ", 100, day)
	bad := testOrder("2", "田中", "タナカ", 100, day)
	bad.Total = -1
	err := db.SaveOrders(ctx, []*backend.Order{good, bad})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	page, _ := db.FindOrders(ctx, backend.OrderFilter{})
	assert.Equal(t, 0, page.Total, "nothing is saved when one order is bad")
}

func seedSearch(t *testing.T, db *DB) {
	t.Helper()
	orders := []*backend.Order{
		testOrder("1", "山田太郎", "ヤマダ タロウ", 1000, day, item("TS-01", "Tシャツ 白", 1000, 1)),
		testOrder("2", "山本花子", "ヤマモト ハナコ", 2500, day.Add(24*time.Hour), item("MG-02", "マグカップ", 2500, 1)),
		testOrder("3", "田中一郎", "タナカ イチロウ", 30000, day.Add(48*time.Hour), item("TS-01", "Tシャツ 白", 1000, 30)),
		testOrder("10", "鈴木次郎", "スズキ ジロウ", 800, day.Add(72*time.Hour), item("ST-09", "ステッカー", 800, 1)),
		testOrder("11", "John Smith", "ジョン スミス", 12000, day.Add(96*time.Hour), item("BG-11", "帆布バッグ", 12000, 1)),
	}
	orders[1].Status = backend.OrderPaid
	orders[2].Status = backend.OrderCancelled
	orders[3].PaymentMethod = backend.MethodKonbini
	orders[3].Status = backend.OrderAwaitingDeposit
	orders[4].Email = "John.Smith@Example.COM"
	orders[4].Tel = "03-1234-5678"
	require.NoError(t, db.SaveOrders(context.Background(), orders))
}

func nos(p *backend.OrderPage) []string {
	var out []string
	for _, r := range p.Rows {
		out = append(out, r.OrderNo)
	}
	return out
}

func yen(v backend.Yen) *backend.Yen { return &v }

func TestFindOrdersFilters(t *testing.T) {
	db := openTestDB(t)
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
		{"name 3+ chars", backend.OrderFilter{Name: "田太郎"}, []string{"1"}},
		{"name 3+ chars, bigrams present but not adjacent", backend.OrderFilter{Name: "田一郎太"}, nil},
		{"name with a space", backend.OrderFilter{Name: "山田 太郎"}, []string{"1"}},
		{"latin name, any case", backend.OrderFilter{Name: "smith"}, []string{"11"}},
		{"kana in hiragana", backend.OrderFilter{Kana: "やま"}, []string{"2", "1"}},
		{"kana half-width", backend.OrderFilter{Kana: "ﾀﾅｶ"}, []string{"3"}},
		{"kana 1 char", backend.OrderFilter{Kana: "ジ"}, []string{"11", "10"}},
		{"email substring", backend.OrderFilter{Email: "smith@example"}, []string{"11"}},
		{"email exact", backend.OrderFilter{Email: "user2@example.jp"}, []string{"2"}},
		{"tel with hyphens", backend.OrderFilter{Tel: "1234-56"}, []string{"11"}},
		{"tel digits", backend.OrderFilter{Tel: "0901111"}, []string{"10", "3", "2", "1"}},
		{"status", backend.OrderFilter{Statuses: []backend.OrderStatus{backend.OrderPaid, backend.OrderCancelled}}, []string{"3", "2"}},
		{"method", backend.OrderFilter{Methods: []backend.PaymentMethod{backend.MethodKonbini}}, []string{"10"}},
		{"order no numeric range", backend.OrderFilter{OrderNoFrom: "2", OrderNoTo: "10"}, []string{"10", "3", "2"}},
		{"order no from only", backend.OrderFilter{OrderNoFrom: "10"}, []string{"11", "10"}},
		{"ordered range", backend.OrderFilter{OrderedFrom: day.Add(24 * time.Hour), OrderedTo: day.Add(72 * time.Hour)}, []string{"3", "2"}},
		{"updated range", backend.OrderFilter{UpdatedFrom: day.Add(96 * time.Hour)}, []string{"11"}},
		{"amount range", backend.OrderFilter{TotalMin: yen(1000), TotalMax: yen(12000)}, []string{"11", "2", "1"}},
		{"product name", backend.OrderFilter{Product: "シャツ"}, []string{"3", "1"}},
		{"product code", backend.OrderFilter{Product: "mg-02"}, []string{"2"}},
		{"combined", backend.OrderFilter{Name: "山", Statuses: []backend.OrderStatus{backend.OrderNew}}, []string{"1"}},
		{"two sets: name + product", backend.OrderFilter{Name: "山", Product: "シャツ"}, []string{"1"}},
		{"set + range: product + ordered", backend.OrderFilter{Product: "TS-01", OrderedFrom: day.Add(24 * time.Hour)}, []string{"3"}},
		{"long name + kana", backend.OrderFilter{Name: "田中一郎", Kana: "タナカ"}, []string{"3"}},
		{"no match", backend.OrderFilter{Name: "存在しない"}, nil},
	}
	// Every plan must find the same orders: the natural one, the scan in display order,
	// and the capped count.
	for _, mode := range []string{"natural", "scan", "capped"} {
		for _, c := range cases {
			t.Run(mode+"/"+c.name, func(t *testing.T) {
				oldCap, oldScan := CountCap, forceScan
				defer func() { CountCap, forceScan = oldCap, oldScan }()
				switch mode {
				case "scan":
					forceScan = true
				case "capped":
					CountCap = 1
				}
				page, err := db.FindOrders(context.Background(), c.f)
				require.NoError(t, err)
				if mode == "capped" && len(c.want) > 1 {
					assert.Equal(t, 1, page.Total)
					assert.True(t, page.TotalAtLeast)
				} else {
					assert.Equal(t, len(c.want), page.Total)
					assert.False(t, page.TotalAtLeast)
				}
				assert.Equal(t, c.want, nos(page))
			})
		}
	}
}

func TestFindOrdersPagingAndSort(t *testing.T) {
	db := openTestDB(t)
	seedSearch(t, db)
	ctx := context.Background()
	page, err := db.FindOrders(ctx, backend.OrderFilter{Limit: 2, Offset: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{"3", "2"}, nos(page))
	assert.Equal(t, 5, page.Total)
	page, _ = db.FindOrders(ctx, backend.OrderFilter{Sort: "total_desc", Limit: 2})
	assert.Equal(t, []string{"3", "11"}, nos(page))
	page, _ = db.FindOrders(ctx, backend.OrderFilter{Sort: "order_no_asc"})
	assert.Equal(t, []string{"1", "2", "3", "10", "11"}, nos(page))
}

func TestSearchFollowsUpdates(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	require.NoError(t, db.SaveOrder(ctx, testOrder("1", "山田太郎", "ヤマダタロウ", 100, day)))
	require.NoError(t, db.SaveOrder(ctx, testOrder("1", "高橋太郎", "タカハシタロウ", 100, day)))
	page, _ := db.FindOrders(ctx, backend.OrderFilter{Name: "山田"})
	assert.Equal(t, 0, page.Total)
	page, _ = db.FindOrders(ctx, backend.OrderFilter{Name: "高橋"})
	assert.Equal(t, 1, page.Total)
}

func newPayment(t *testing.T, db *DB, o *backend.Order, state backend.PaymentState) *backend.Payment {
	t.Helper()
	p := &backend.Payment{OrderID: o.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard,
		GatewayOrderID: "G-" + o.OrderNo, GatewayTranID: "acc", GatewayTranPass: "pass",
		State: state, AmountAuthorized: o.Total, AuthorizedAt: day, AuthExpiresAt: day.AddDate(0, 0, 90)}
	require.NoError(t, db.SavePayment(context.Background(), p))
	return p
}

func TestPaymentStateShownInOrderList(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	o := testOrder("1", "山田", "ヤマダ", 100, day)
	require.NoError(t, db.SaveOrder(ctx, o))
	p := newPayment(t, db, o, backend.StateAuthorized)
	page, _ := db.FindOrders(ctx, backend.OrderFilter{PaymentStates: []backend.PaymentState{backend.StateAuthorized}})
	require.Len(t, page.Rows, 1)
	assert.Equal(t, p.ID, page.Rows[0].PaymentID)
	assert.Equal(t, backend.GatewayGMO, page.Rows[0].Gateway)
	assert.False(t, page.Rows[0].InFlight)

	// The gateway order id is unique per profile.
	dup := *p
	dup.ID = 0
	err := db.SavePayment(ctx, &dup)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
}

func TestJournalOneOperationInFlightPerPayment(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	o := testOrder("1", "山田", "ヤマダ", 100, day, item("A", "商品A", 100, 1))
	o.Shipping = 0
	require.NoError(t, db.SaveOrder(ctx, o))
	p := newPayment(t, db, o, backend.StateAuthorized)

	op := &backend.Operation{PaymentID: p.ID, Kind: backend.OpCapture, Amount: 100, IdempotencyKey: "k1", Operator: "店長", BeforeState: p.State}
	require.NoError(t, db.BeginOperation(ctx, op))
	assert.Equal(t, backend.OpPending, op.State)

	second := &backend.Operation{PaymentID: p.ID, Kind: backend.OpVoid, IdempotencyKey: "k2"}
	assert.Equal(t, backend.EBUSY, backend.ErrorCode(db.BeginOperation(ctx, second)))

	page, _ := db.FindOrders(ctx, backend.OrderFilter{})
	assert.True(t, page.Rows[0].InFlight)

	require.NoError(t, db.MarkOperationSent(ctx, op.ID, day))
	unresolved, err := db.UnresolvedOperations(ctx)
	require.NoError(t, err)
	require.Len(t, unresolved, 1)
	assert.Equal(t, backend.OpSent, unresolved[0].State)

	// Completing commits the payment, the 対応状況 and the journal together.
	op.State, op.AfterState, op.Message = backend.OpSucceeded, backend.StateCaptured, "売上が完了しました"
	p.State, p.AmountCaptured, p.CapturedAt = backend.StateCaptured, 100, day
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: p, OrderStatus: backend.OrderPaid}))
	got, _ := db.OrderByID(ctx, o.ID)
	assert.Equal(t, backend.OrderPaid, got.Status)
	gp, _ := db.PaymentByID(ctx, p.ID)
	assert.Equal(t, backend.StateCaptured, gp.State)
	ops, _ := db.OperationsByPayment(ctx, p.ID)
	require.Len(t, ops, 1)
	assert.Equal(t, backend.OpSucceeded, ops[0].State)
	assert.Equal(t, "店長", ops[0].Operator)
	events, _ := db.OrderEvents(ctx, o.ID)
	require.Len(t, events, 1)
	assert.Equal(t, "新規受付 → 入金済み", events[0].Detail)
	assert.Equal(t, "店長", events[0].Actor)

	// Now the payment is free again, but an idempotency key cannot be reused.
	assert.NoError(t, db.BeginOperation(ctx, second))
	reuse := &backend.Operation{PaymentID: p.ID, Kind: backend.OpVoid, IdempotencyKey: "k1"}
	second.State = backend.OpFailed
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: second}))
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(db.BeginOperation(ctx, reuse)))
}

func TestCancelStockFilledOnCancel(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	o := testOrder("1", "山田", "ヤマダ", 3000, day, item("A", "商品A", 1000, 1), item("B", "商品B", 1000, 2))
	require.NoError(t, db.SaveOrder(ctx, o))
	p := newPayment(t, db, o, backend.StateAuthorized)
	op := &backend.Operation{PaymentID: p.ID, Kind: backend.OpVoid, IdempotencyKey: "v1"}
	require.NoError(t, db.BeginOperation(ctx, op))
	op.State = backend.OpSucceeded
	p.State = backend.StateVoided
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: p, OrderStatus: backend.OrderCancelled, CancelStock: true}))
	var n int
	require.NoError(t, db.read.QueryRow(`SELECT count(*) FROM cancel_stock WHERE status = 'pending'`).Scan(&n))
	assert.Equal(t, 2, n)
}

func TestProfilesAndSettings(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	p := &backend.GatewayProfile{Name: "デモ (GMO-PG)", Kind: backend.GatewayGMO, Demo: true, Environment: backend.EnvTest,
		Host: "http://127.0.0.1:1234", MerchantID: "tshop00000001", Methods: []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini},
		AuthExpiryDays: 90, FeePerOperation: 0}
	require.NoError(t, db.SaveProfile(ctx, p))
	got, err := db.ProfileByID(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, p.Methods, got.Methods)
	assert.True(t, got.Demo)
	dup := *p
	dup.ID = 0
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(db.SaveProfile(ctx, &dup)))

	v, err := db.Setting(ctx, "operator")
	require.NoError(t, err)
	assert.Equal(t, "", v)
	require.NoError(t, db.SetSetting(ctx, "operator", "店長"))
	require.NoError(t, db.SetSetting(ctx, "operator", "鈴木"))
	v, _ = db.Setting(ctx, "operator")
	assert.Equal(t, "鈴木", v)

	o := testOrder("1", "山田", "ヤマダ", 100, day)
	o.Source = "demo"
	require.NoError(t, db.SaveOrder(ctx, o))
	pay := newPayment(t, db, o, backend.StateAuthorized)
	pay.ProfileID = p.ID
	require.NoError(t, db.SavePayment(ctx, pay))
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(db.DeleteProfile(ctx, p.ID)))
	require.NoError(t, db.DeleteDemo(ctx))
	profiles, _ := db.Profiles(ctx)
	assert.Empty(t, profiles)
	page, _ := db.FindOrders(ctx, backend.OrderFilter{Name: "山田"})
	assert.Equal(t, 0, page.Total)
}

func TestOnlineBackupIsAConsistentCopy(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	require.NoError(t, db.SaveOrders(ctx, []*backend.Order{
		testOrder("1001", "山田 太郎", "ヤマダ タロウ", 5000, day, item("A-1", "煎茶", 5000, 1)),
		testOrder("1002", "佐藤 花子", "サトウ ハナコ", 3000, day, item("A-2", "玉露", 3000, 1)),
	}))
	dest := filepath.Join(t.TempDir(), "backup.db")
	require.NoError(t, db.Backup(ctx, dest))

	// The copy opens as a Kessai Desk database with the same orders, searchable.
	copyDB, err := Open(dest)
	require.NoError(t, err)
	defer copyDB.Close()
	page, err := copyDB.FindOrders(ctx, backend.OrderFilter{Name: "山田"})
	require.NoError(t, err)
	require.Equal(t, 1, page.Total)
	assert.Equal(t, "1001", page.Rows[0].OrderNo)

	// It never overwrites a file.
	err = db.Backup(ctx, dest)
	require.Error(t, err)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
}

func TestALateCaptureKeepsAShippedOrderShipped(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	o := testOrder("1", "山田", "ヤマダ", 100, day, item("A", "商品A", 100, 1))
	o.Shipping, o.Status = 0, backend.OrderShipped
	require.NoError(t, db.SaveOrder(ctx, o))
	p := newPayment(t, db, o, backend.StateAuthorized)
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

// A run its process never finished is closed at the next start: what was never sent
// is cancelled, what was done stays done, a finished run is untouched.
func TestInterruptedBulkJobsAreClosed(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	var ids []int64
	for i, no := range []string{"11", "12", "13"} {
		o := testOrder(no, "山田", "ヤマダ", 100+backend.Yen(i), day)
		require.NoError(t, db.SaveOrder(ctx, o))
		ids = append(ids, newPayment(t, db, o, backend.StateAuthorized).ID)
	}
	left := &backend.BulkJob{Intent: "capture", Operator: "店長"}
	require.NoError(t, db.CreateBulkJob(ctx, left, ids))
	require.NoError(t, db.UpdateBulkItem(ctx, left.ID, ids[0], backend.BulkSucceeded, 0, backend.Text{Ja: "売上処理が完了しました"}))
	done := &backend.BulkJob{Intent: "capture", Operator: "店長"}
	require.NoError(t, db.CreateBulkJob(ctx, done, ids[:1]))
	require.NoError(t, db.FinishBulkJob(ctx, done.ID, "finished"))

	n, err := db.CloseInterruptedBulkJobs(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	job, items, err := db.BulkJobByID(ctx, left.ID)
	require.NoError(t, err)
	assert.Equal(t, "cancelled", job.State)
	assert.Equal(t, map[string]int{backend.BulkSucceeded: 1, backend.BulkCancelled: 2}, job.Counts)
	assert.Contains(t, items[1].Message, "中断")
	job, _, err = db.BulkJobByID(ctx, done.ID)
	require.NoError(t, err)
	assert.Equal(t, "finished", job.State)
	n, err = db.CloseInterruptedBulkJobs(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
}

// A damaged database (an empty file, or one that is not SQLite) is never replaced by a
// fresh one: Open refuses, changes nothing, and points to the backups.
func TestOpenRefusesADamagedDatabaseAndChangesNothing(t *testing.T) {
	for name, content := range map[string][]byte{"empty": {}, "garbage": []byte(strings.Repeat("not a database ", 400))} {
		path := filepath.Join(t.TempDir(), "kessaidesk.db")
		require.NoError(t, os.WriteFile(path, content, 0o600))
		_, err := Open(path)
		require.Error(t, err, name)
		msg := backend.ErrorMessage(err, "ja")
		assert.Contains(t, msg, "何も変更せずに止めました", name)
		assert.Contains(t, msg, "backups", name)
		assert.Contains(t, msg, ".bak-", name)
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, content, got, "%s: the file is untouched", name)
	}
}

// A folder name with "?", "#" or "%" (and spaces, Japanese) keeps the database inside
// the folder: the SQLite URI is escaped, for the store and the folder lock alike.
func TestDataFolderNamesThatLookLikeURIParts(t *testing.T) {
	for _, name := range []string{"shop?mode=memory", "shop#1", "shop%20x", "ショップ 1"} {
		dir := filepath.Join(t.TempDir(), name)
		path := filepath.Join(dir, "kessaidesk.db")
		db, err := Open(path)
		require.NoError(t, err, name)
		require.NoError(t, db.SetSetting(context.Background(), "probe", name))
		require.NoError(t, db.Close())
		st, err := os.Stat(path)
		require.NoError(t, err, "%s: the database is in its folder", name)
		assert.Positive(t, st.Size())
		lock, err := AcquireLock(filepath.Join(dir, "kessaidesk.lock"))
		require.NoError(t, err, name)
		_, err = AcquireLock(filepath.Join(dir, "kessaidesk.lock"))
		assert.Error(t, err, "%s: the lock holds", name)
		require.NoError(t, lock.Release())
		_, err = os.Stat(filepath.Join(dir, "kessaidesk.lock"))
		assert.NoError(t, err, "%s: the lock file is in its folder", name)
	}
}

// A database a newer Kessai Desk upgraded is refused, untouched, naming the migration.
func TestOpenRefusesADatabaseFromANewerVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kessaidesk.db")
	db, err := Open(path)
	require.NoError(t, err)
	_, err = db.write.Exec(`INSERT INTO schema_migrations(name, applied_at) VALUES ('9999_future.sql', 0)`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	_, err = Open(path)
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "新しいバージョン")
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "9999_future")
}
