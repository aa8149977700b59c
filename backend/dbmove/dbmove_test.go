package dbmove_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/dbmove"
	"kessaidesk/backend/logging"
	"kessaidesk/backend/pgstore"
	"kessaidesk/backend/pgstore/pgtest"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/sqlite/migrations"
	"kessaidesk/backend/system"
)

// The tests need the throwaway server: build/scripts/pg.sh run go test ./backend/dbmove/

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Cleanup()
	os.Exit(code)
}

var ctx = context.Background()

// day is the shop's reference time.
var day = time.Date(2026, 11, 20, 10, 0, 0, 0, backend.JST)

func openSQLite(t *testing.T, opts sqlite.Options) *sqlite.DB {
	t.Helper()
	db, err := sqlite.OpenWith(filepath.Join(t.TempDir(), "shop.db"), opts)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func migrate(ctx context.Context, dsn string) error {
	db, err := pgstore.Open(ctx, dsn, pgstore.Options{})
	if err != nil {
		return err
	}
	return db.Close()
}

// openServer is a fresh, migrated, empty database on the test server.
func openServer(t *testing.T) *pgstore.DB {
	t.Helper()
	db, err := pgstore.Open(ctx, pgtest.DSN(t, migrate), pgstore.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// shop is a realistic shop in SQLite: profiles with fees and sync status, orders with
// lines, payments in every kind of state (sold by card and by konbini, refunded,
// voided, waiting, 要確認), the journal with a finished and an unresolved operation,
// the order history, キャンセル在庫 and 要返金 tasks, a bulk run, differences found by the
// sync, a shipping hold, link states, and settings — the shop's and this desktop's.
func shop(t *testing.T, db *sqlite.DB) {
	t.Helper()
	gmo := &backend.GatewayProfile{Name: "GMO本番", Kind: backend.GatewayGMO, Environment: backend.EnvProduction, MerchantID: "shop0001",
		Methods: []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini}, AuthExpiryDays: 60, FeePerOperation: 5,
		LinkRule: backend.LinkRule{Prefix: "KD-"}}
	sbps := &backend.GatewayProfile{Name: "SBPS", Kind: backend.GatewaySBPS, Environment: backend.EnvTest, MerchantID: "30132", SubID: "001",
		Methods: []backend.PaymentMethod{backend.MethodCard}, AuthExpiryDays: 60, AutoCapture: true}
	require.NoError(t, db.SaveProfile(ctx, gmo))
	require.NoError(t, db.SaveProfile(ctx, sbps))
	require.NoError(t, db.SetGatewayFees(ctx, gmo.ID, backend.FeeSchedule{backend.OpCapture: 8, backend.OpVoid: 3}))

	names := [][2]string{{"山田 太郎", "ヤマダ タロウ"}, {"佐藤 花子", "サトウ ハナコ"}, {"鈴木 一郎", "スズキ イチロウ"},
		{"髙橋 美咲", "タカハシ ミサキ"}, {"山本 恵", "ヤマモト メグミ"}, {"O'Brien ジョン", "オブライエン ジョン"}}
	var orders []*backend.Order
	for i := range 30 {
		n := names[i%len(names)]
		o := &backend.Order{OrderNo: fmt.Sprintf("%d", 10001+i), OrderedAt: day.Add(-time.Duration(30-i) * 7 * time.Hour),
			CustomerName: n[0], CustomerKana: n[1], Email: fmt.Sprintf("user%d@example.co.jp", i), Tel: fmt.Sprintf("090-1234-%04d", i),
			PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Source: "csv", Memo: "ギフト包装\n「のし」あり",
			Zip: "150-0001", Address: "東京都渋谷区神宮前1-2-3", ShipName: n[0], Tax: 91, DeliveryMethod: "宅急便",
			Items: []backend.LineItem{
				{ProductCode: "TS-01", ProductName: "Tシャツ 白", Variant: "M", UnitPrice: 2500, Quantity: 1 + int64(i%3)},
				{ProductCode: "MUG", ProductName: "マグカップ", UnitPrice: 1200, Quantity: 1},
			}}
		if i%5 == 4 {
			o.PaymentMethod = backend.MethodKonbini
		}
		for _, it := range o.Items {
			o.Subtotal += it.UnitPrice * backend.Yen(it.Quantity)
		}
		o.Shipping = 600
		o.Total = o.Subtotal + o.Shipping + o.Tax
		orders = append(orders, o)
	}
	orders[29].OrderNo = "A-9001" // not a number: order_no_num is NULL
	require.NoError(t, db.SaveOrders(ctx, orders))

	var pays []*backend.Payment
	for i, o := range orders[:24] {
		p := &backend.Payment{OrderID: o.ID, ProfileID: gmo.ID, Gateway: backend.GatewayGMO, Method: o.PaymentMethod,
			GatewayOrderID: "KD-" + o.OrderNo, GatewayTranID: fmt.Sprintf("acc%04d", i), GatewayTranPass: "pass",
			State: backend.StateAuthorized, AmountAuthorized: o.Total, AuthorizedAt: o.OrderedAt, AuthExpiresAt: o.OrderedAt.AddDate(0, 0, 60),
			RawStatus: "AUTH", Tax: 91}
		switch {
		case o.PaymentMethod == backend.MethodKonbini && i%2 == 0:
			p.State, p.PaidAt, p.RawStatus = backend.StateDeposited, o.OrderedAt.Add(20*time.Hour), "PAYSUCCESS"
			p.Slip = backend.PaymentSlip{Store: "10001", ReceiptNo: "123-456", ConfNo: "7890"}
		case o.PaymentMethod == backend.MethodKonbini:
			p.State, p.PaymentDeadline, p.RawStatus = backend.StateAwaitingDeposit, o.OrderedAt.AddDate(0, 0, 7), "REQSUCCESS"
		case i%6 == 1:
			p.State, p.AmountCaptured, p.CapturedAt, p.RawStatus = backend.StateCaptured, o.Total, o.OrderedAt.Add(48*time.Hour), "SALES"
		case i%6 == 2:
			p.State, p.AmountCaptured, p.AmountRefunded, p.CapturedAt = backend.StatePartiallyRefunded, o.Total, 1000, o.OrderedAt.Add(30*time.Hour)
		case i%6 == 3:
			p.State, p.RawStatus = backend.StateVoided, "VOID"
		}
		if i == 22 {
			p.ProfileID, p.Gateway, p.GatewayOrderID = sbps.ID, backend.GatewaySBPS, "sb-"+o.OrderNo
		}
		pays = append(pays, p)
	}
	for _, p := range pays {
		require.NoError(t, db.SavePayment(ctx, p))
	}

	// The journal: a capture that succeeded (the order paid), a cancel that put the
	// items on the キャンセル在庫 list with a 要返金 task, one unresolved.
	p := pays[0]
	op := &backend.Operation{PaymentID: p.ID, Intent: "capture", Kind: backend.OpCapture, Amount: p.AmountAuthorized,
		IdempotencyKey: "cap-1", Operator: "店長", BeforeState: p.State, Reason: "発送前の売上"}
	require.NoError(t, db.BeginOperation(ctx, op))
	require.NoError(t, db.MarkOperationSent(ctx, op.ID, day))
	op.State, op.AfterState, op.Message, op.MessageEn, op.GatewayCode = backend.OpSucceeded, backend.StateCaptured, "売上が完了しました", "Captured", ""
	p.State, p.AmountCaptured, p.CapturedAt = backend.StateCaptured, p.AmountAuthorized, day
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: p, OrderStatus: backend.OrderPaid}))

	p = pays[3]
	op = &backend.Operation{PaymentID: p.ID, Intent: "cancel", Kind: backend.OpVoid, IdempotencyKey: "void-1", Operator: "鈴木", BeforeState: p.State}
	require.NoError(t, db.BeginOperation(ctx, op))
	op.State, op.AfterState = backend.OpSucceeded, backend.StateVoided
	p.State = backend.StateVoided
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: p, OrderStatus: backend.OrderCancelled, CancelStock: true,
		RefundTask: &backend.RefundTask{Amount: 600, Reason: "送料の返金", ReasonEn: "shipping refund", Operator: "鈴木"}}))

	p = pays[6]
	op = &backend.Operation{PaymentID: p.ID, Intent: "capture", Kind: backend.OpCapture, Amount: p.AmountAuthorized, IdempotencyKey: "cap-2", Operator: "店長"}
	require.NoError(t, db.BeginOperation(ctx, op))
	require.NoError(t, db.MarkOperationSent(ctx, op.ID, day)) // the answer never came: still sent

	require.NoError(t, db.SetOrderStatus(ctx, orders[1].ID, backend.OrderShipped, "佐藤"))
	require.NoError(t, db.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: orders[2].ID, Actor: "店長", Note: "電話で住所を確認", NoteEn: "address checked by phone"}))

	// A bulk capture run over three authorisations, stopped after one.
	job := &backend.BulkJob{Intent: "capture", Operator: "店長"}
	require.NoError(t, db.CreateBulkJob(ctx, job, []int64{pays[12].ID, pays[18].ID, pays[20].ID}))
	require.NoError(t, db.UpdateBulkItem(ctx, job.ID, pays[12].ID, backend.BulkFailed, 0, backend.Text{Ja: "カード会社が拒否しました", En: "declined"}))
	require.NoError(t, db.FinishBulkJob(ctx, job.ID, "cancelled"))

	// The sync: a difference, a shipping hold, its status; a payment to review
	// (要確認) whose transaction id changed.
	require.NoError(t, db.SaveDrift(ctx, &backend.Drift{PaymentID: pays[5].ID, FoundAt: day, OurState: backend.StateAuthorized,
		GatewayState: backend.StateVoided, OurAmount: 100, GatewayAmount: 100, RawStatus: "VOID", Detail: "管理画面で取消"}))
	held, err := db.HoldShipping(ctx, &backend.ShippingHold{PaymentID: pays[5].ID, GatewayState: backend.StateVoided, Detail: "取消"})
	require.NoError(t, err)
	require.True(t, held)
	st, err := db.SyncStatus(ctx, gmo.ID)
	require.NoError(t, err)
	st.LastSuccess, st.Failures, st.LastError, st.Cursor = day.UTC(), 1, "接続できません", "n-42"
	require.NoError(t, db.SaveSyncStatus(ctx, st))
	p = pays[7]
	p.State, p.GatewayTranID = backend.StateNeedsReview, "acc-new"
	require.NoError(t, db.SavePayment(ctx, p))
	require.NoError(t, db.SaveReview(ctx, &backend.Review{PaymentID: p.ID, OperationID: 0, FoundAt: day,
		Candidates: []backend.Transaction{{Gateway: backend.GatewayGMO, TransactionIDs: backend.TransactionIDs{GatewayTranID: "acc-new"}}}}))

	// Linking: the orders without payments.
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: orders[25].ID, Status: backend.LinkAmbiguous, ProfileID: gmo.ID,
		Reason: "候補が2件", ReasonEn: "2 candidates"}))
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: orders[26].ID, Status: backend.LinkPending, ProfileID: gmo.ID}))

	for k, v := range map[string]string{"sync.interval_minutes": "10", "import.layout.自社": `{"name":"自社"}`,
		"operator": "店長", "language": "ja", "vault.scope": "0123456789abcdef"} {
		require.NoError(t, db.SetSetting(ctx, k, v))
	}
}

// dump is every table of a SQLite database with its rows in order, but the record of
// migrations (when they were applied differs) and the search index's internals.
func dump(t *testing.T, db *sqlite.DB) map[string][]string {
	t.Helper()
	read, _ := db.Handles()
	names, err := read.Query(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'`)
	require.NoError(t, err)
	var tables []string
	for names.Next() {
		var n string
		require.NoError(t, names.Scan(&n))
		tables = append(tables, n)
	}
	names.Close()
	out := map[string][]string{}
	for _, tbl := range tables {
		out[tbl] = rowsOf(t, read, `SELECT * FROM "`+tbl+`"`)
	}
	return out
}

// rowsOf is a query's rows as text, with each value's type, sorted.
func rowsOf(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	require.NoError(t, err)
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		var b strings.Builder
		for i, v := range vals {
			fmt.Fprintf(&b, "%s=%T:%v ", cols[i], v, v)
		}
		out = append(out, b.String())
	}
	require.NoError(t, rows.Err())
	slices.Sort(out)
	return out
}

// searches are the order searches a move must keep answering alike.
var searches = []backend.OrderFilter{
	{Name: "山田"}, {Name: "山"}, {Name: "髙橋美咲"}, {Kana: "やまもと"}, {Kana: "タ"}, {Email: "user1"}, {Email: "example.co.jp"},
	{Tel: "0901234"}, {Tel: "0012"}, {Product: "マグ"}, {Name: "o'brien"},
	{Name: "山", Statuses: []backend.OrderStatus{backend.OrderPaid}},
	{PaymentStates: []backend.PaymentState{backend.StateCaptured}, Sort: "total_desc"},
}

func found(t *testing.T, st backend.OrderStore) []string {
	t.Helper()
	var out []string
	for _, f := range searches {
		f.Limit = 500
		page, err := st.FindOrders(ctx, f)
		require.NoError(t, err)
		var nos []string
		for _, r := range page.Rows {
			nos = append(nos, fmt.Sprintf("%d:%s:%s", r.ID, r.OrderNo, r.PaymentState))
		}
		out = append(out, fmt.Sprintf("%+v → %d %v", f, page.Total, nos))
	}
	return out
}

func TestRoundTripKeepsEveryRowAndSearch(t *testing.T) {
	server := openServer(t)
	// A server that holds only a desktop's own settings is empty: this one's stay.
	require.NoError(t, server.SetSetting(ctx, "operator", "サーバーの人"))
	local := openSQLite(t, sqlite.Options{})
	shop(t, local)
	before := dump(t, local)
	for tbl, rows := range before {
		if tbl != "sales_days" && tbl != "order_fts" && tbl != "order_grams" {
			assert.NotEmpty(t, rows, "the shop has no %s: give it some, so that the move of this table is tested", tbl)
		}
	}
	searched := found(t, local)

	last := map[string]dbmove.Progress{}
	up, err := dbmove.ToServer(ctx, local, server, func(p dbmove.Progress) { last[p.Table] = p })
	require.NoError(t, err)
	for _, tc := range up.Tables {
		want := int64(len(before[tc.Table]))
		assert.Equal(t, want, tc.Source, tc.Table)
		if tc.Table == "settings" {
			assert.Equal(t, int64(2), tc.Kept, "operator and language stay on this desktop")
		}
		assert.Equal(t, tc.Source-tc.Kept, tc.Copied, tc.Table)
		if !tc.Derived {
			assert.Equal(t, dbmove.Progress{Table: tc.Table, Done: tc.Copied, Total: tc.Copied}, last[tc.Table])
		}
	}
	assert.Len(t, up.Tables, len(before), "every table, sales_days last (derived)")
	assert.Equal(t, dbmove.TableCount{Table: "sales_days", Source: int64(len(before["sales_days"])), Copied: int64(len(before["sales_days"])), Derived: true},
		up.Tables[len(up.Tables)-1])
	assert.Equal(t, searched, found(t, server), "the server finds the same orders")
	read, _ := local.Handles()
	assert.Equal(t, rowsOf(t, read, `SELECT * FROM sales_days`), rowsOf(t, server.Pool(), `SELECT * FROM sales_days`))
	var enabled string
	require.NoError(t, server.Pool().QueryRow(`SELECT string_agg(tgenabled::text, '') FROM pg_trigger WHERE tgname IN ('payments_sales_insert', 'orders_sales_insert')`).Scan(&enabled))
	assert.Equal(t, "OO", enabled, "the sales triggers are on again")
	v, err := server.Setting(ctx, "operator")
	require.NoError(t, err)
	assert.Equal(t, "サーバーの人", v)
	v, _ = server.Setting(ctx, "vault.scope")
	assert.Equal(t, "0123456789abcdef", v, "the keychain names of the profiles travel with them")
	v, _ = server.Setting(ctx, "sync.interval_minutes")
	assert.Equal(t, "10", v)
	ops, err := server.UnresolvedOperations(ctx)
	require.NoError(t, err)
	require.Len(t, ops, 1)
	assert.Equal(t, "cap-2", ops[0].IdempotencyKey)

	// And back, to a new file.
	path := filepath.Join(t.TempDir(), "copy", "shop.db")
	down, err := dbmove.ToLocal(ctx, server, path, nil)
	require.NoError(t, err)
	assert.Equal(t, up.Total(), down.Total())
	for i, tc := range down.Tables {
		assert.Equal(t, up.Tables[i].Table, tc.Table)
		assert.Equal(t, up.Tables[i].Copied, tc.Copied, tc.Table)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	require.Len(t, entries, 1, "the copy alone, no temporary or journal file")
	back, err := sqlite.Open(path)
	require.NoError(t, err)
	defer back.Close()
	after := dump(t, back)
	before["settings"] = slices.DeleteFunc(before["settings"], func(r string) bool {
		return strings.Contains(r, "key=string:operator ") || strings.Contains(r, "key=string:language ")
	})
	assert.Equal(t, before, after)
	assert.Equal(t, searched, found(t, back), "the copy finds the same orders")
	const schema = `SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index', 'view')`
	backRead, _ := back.Handles()
	assert.Equal(t, rowsOf(t, read, schema), rowsOf(t, backRead, schema), "the copy's triggers, indexes and views are the shop's")

	// Ids go on after the copied ones on the server.
	o := &backend.Order{OrderNo: "20001", PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Subtotal: 100, Total: 100}
	require.NoError(t, server.SaveOrder(ctx, o))
	assert.Equal(t, int64(31), o.ID)
}

// serverRows is every copied table of a server database, for "nothing changed".
func serverRows(t *testing.T, db *pgstore.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, tbl := range []string{"gateway_profiles", "orders", "order_items", "products", "payments", "operations", "order_events",
		"settings", "sales_days", "bulk_jobs", "bulk_items", "order_links", "payment_tran_ids"} {
		out[tbl] = rowsOf(t, db.Pool(), `SELECT * FROM `+tbl)
	}
	return out
}

func TestRefusesServerWithShopData(t *testing.T) {
	server := openServer(t)
	require.NoError(t, server.SaveOrder(ctx, &backend.Order{OrderNo: "1", PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Subtotal: 500, Total: 500}))
	require.NoError(t, server.SetSetting(ctx, "sync.interval_minutes", "5"))
	before := serverRows(t, server)
	local := openSQLite(t, sqlite.Options{})
	shop(t, local)
	_, err := dbmove.ToServer(ctx, local, server, nil)
	require.Error(t, err)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	var be *backend.Error
	require.ErrorAs(t, err, &be)
	assert.Contains(t, be.Message, "すでに決済デスクのデータがあります（orders, settings）")
	assert.Contains(t, be.MessageEn, "already holds Kessai Desk data (orders, settings); nothing was changed")
	assert.Equal(t, before, serverRows(t, server))
}

func TestRefusesExistingFile(t *testing.T) {
	server := openServer(t)
	path := filepath.Join(t.TempDir(), "shop.db")
	require.NoError(t, os.WriteFile(path, []byte("mine"), 0o600))
	_, err := dbmove.ToLocal(ctx, server, path, nil)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	b, _ := os.ReadFile(path)
	assert.Equal(t, "mine", string(b))
	entries, _ := os.ReadDir(filepath.Dir(path))
	assert.Len(t, entries, 1)
}

func TestRefusesAnotherSchemaVersion(t *testing.T) {
	server := openServer(t)
	// A PC whose Kessai Desk is older: its database stops before the last migration.
	steps, err := migrations.SQLite()
	require.NoError(t, err)
	last, previous := steps[len(steps)-1].Name, steps[len(steps)-2].Name
	old := openSQLite(t, sqlite.Options{MigrateBefore: last})
	require.NoError(t, old.SaveOrder(ctx, &backend.Order{OrderNo: "1", PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Subtotal: 500, Total: 500}))
	before := serverRows(t, server)
	_, err = dbmove.ToServer(ctx, old, server, nil)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	var be *backend.Error
	require.ErrorAs(t, err, &be)
	assert.Contains(t, be.Message, "バージョンが違います（このPC: "+previous+"、共有データベース: "+last+"）")
	assert.Contains(t, be.MessageEn, "Update Kessai Desk on every desktop")
	assert.Equal(t, before, serverRows(t, server))

	// A server a newer Kessai Desk upgraded: no local copy is made.
	_, err = server.Pool().Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', 0)`)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "shop.db")
	_, err = dbmove.ToLocal(ctx, server, path, nil)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	entries, _ := os.ReadDir(filepath.Dir(path))
	assert.Empty(t, entries, "no file, no temporary file")
}

func TestFailureMidCopyLeavesServerEmpty(t *testing.T) {
	server := openServer(t)
	local := openSQLite(t, sqlite.Options{})
	shop(t, local)
	empty := serverRows(t, server)
	// A damaged row (text where SQLite keeps an amount) in payments, copied after
	// orders, products and their lines: the server refuses it mid-copy.
	_, write := local.Handles()
	_, err := write.Exec(`UPDATE payments SET tax = 'x' WHERE id = (SELECT min(id) FROM payments)`)
	require.NoError(t, err)
	var seen []string
	_, err = dbmove.ToServer(ctx, local, server, func(p dbmove.Progress) {
		if p.Done > 0 && p.Done == p.Total {
			seen = append(seen, p.Table)
		}
	})
	require.Error(t, err)
	assert.Equal(t, backend.EINTERNAL, backend.ErrorCode(err))
	assert.Contains(t, err.Error(), "payments: ")
	assert.Contains(t, seen, "orders", "the failure came after tables were copied")
	assert.NotContains(t, seen, "payments")
	assert.Equal(t, empty, serverRows(t, server))

	// Fixed, the move goes through, ids and all.
	_, err = write.Exec(`UPDATE payments SET tax = 0 WHERE tax = 'x'`)
	require.NoError(t, err)
	_, err = dbmove.ToServer(ctx, local, server, nil)
	require.NoError(t, err)
}

func TestCancelMidCopyLeavesNoFile(t *testing.T) {
	server := openServer(t)
	local := openSQLite(t, sqlite.Options{})
	shop(t, local)
	_, err := dbmove.ToServer(ctx, local, server, nil)
	require.NoError(t, err)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	path := filepath.Join(t.TempDir(), "shop.db")
	_, err = dbmove.ToLocal(cctx, server, path, func(p dbmove.Progress) {
		if p.Table == "payments" {
			cancel()
		}
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	entries, _ := os.ReadDir(filepath.Dir(path))
	assert.Empty(t, entries, "no file, no temporary file")
}

// The desktop's own keys are the ones their packages define, and backend/system keeps
// them per desktop; the keychain names of the profiles and the demo's state travel
// with the shop.
func TestLocalSettingsAreTheirPackagesKeys(t *testing.T) {
	for _, k := range []string{system.SettingBackupAuto, system.SettingBackupKeep, logging.SettingLevel} {
		assert.Contains(t, dbmove.LocalSettings, k)
	}
	for _, k := range dbmove.LocalSettings {
		assert.True(t, system.IsDesktopSetting(k), k)
	}
	assert.NotContains(t, dbmove.LocalSettings, system.SettingDemo)
	assert.NotContains(t, dbmove.LocalSettings, "vault.scope")
}

// A server user that does not own the tables cannot pause the sales triggers: they
// fill sales_days row by row, to the same summary.
func TestServerUserNotOwner(t *testing.T) {
	dsn := pgtest.DSN(t, migrate)
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer admin.Close()
	role := fmt.Sprintf("kd_clerk_%d", time.Now().UnixNano())
	for _, q := range []string{`CREATE ROLE ` + role + ` LOGIN PASSWORD 'clerk'`, `GRANT CREATE, USAGE ON SCHEMA public TO ` + role,
		`GRANT ALL ON ALL TABLES IN SCHEMA public TO ` + role, `GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ` + role} {
		_, err := admin.Exec(q)
		require.NoError(t, err, q)
	}
	t.Cleanup(func() {
		admin, _ := sql.Open("pgx", dsn)
		admin.Exec(`DROP OWNED BY ` + role)
		admin.Exec(`DROP ROLE ` + role)
		admin.Close()
	})
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	u.User = url.UserPassword(role, "clerk")
	server, err := pgstore.Open(ctx, u.String(), pgstore.Options{})
	require.NoError(t, err)
	defer server.Close()
	local := openSQLite(t, sqlite.Options{})
	shop(t, local)
	report, err := dbmove.ToServer(ctx, local, server, nil)
	require.NoError(t, err)
	sales := report.Tables[len(report.Tables)-1]
	assert.Equal(t, "sales_days", sales.Table)
	assert.NotZero(t, sales.Copied)
	read, _ := local.Handles()
	assert.Equal(t, rowsOf(t, read, `SELECT * FROM sales_days`), rowsOf(t, server.Pool(), `SELECT * FROM sales_days`))
	var enabled string
	require.NoError(t, server.Pool().QueryRow(`SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'payments_sales_insert'`).Scan(&enabled))
	assert.Equal(t, "O", enabled)
}

// A destination that does not keep every row it is given (here a trigger drops the
// order history) fails the count check, and the move is undone.
func TestCountsDifferUndoTheMove(t *testing.T) {
	server := openServer(t)
	for _, q := range []string{`CREATE FUNCTION kd_test_drop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
		`CREATE TRIGGER kd_test_drop BEFORE INSERT ON order_events FOR EACH ROW EXECUTE FUNCTION kd_test_drop()`} {
		_, err := server.Pool().Exec(q)
		require.NoError(t, err)
	}
	empty := serverRows(t, server)
	local := openSQLite(t, sqlite.Options{})
	shop(t, local)
	_, err := dbmove.ToServer(ctx, local, server, nil)
	assert.Equal(t, backend.EINTERNAL, backend.ErrorCode(err))
	var be *backend.Error
	require.ErrorAs(t, err, &be)
	assert.Contains(t, be.Message, "件数が一致しません（order_events: 元 4件、コピー先 0件）。移動を取り消しました")
	assert.Equal(t, empty, serverRows(t, server))
}
