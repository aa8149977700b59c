package storetest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/csvimport"
)

// The order import (backend.ImportStore) as csvimport drives it, and the streamed
// export (backend.ExportStore) against the search it must agree with.

// OrdersFile writes orders to a file as CSV出力 writes them (the kessaidesk layout,
// CP932), for an import.
func OrdersFile(t testing.TB, orders []*backend.Order) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "orders.csv")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriter(f)
	require.NoError(t, csvimport.Write(w, orders, true))
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	return path
}

func importCommit(t *testing.T, db Store, path string, at time.Time) *csvimport.Result {
	t.Helper()
	layout, ok := csvimport.Preset(csvimport.KessaiDesk)
	require.True(t, ok)
	im := &csvimport.Importer{Store: db, Now: func() time.Time { return at }}
	res, err := im.Commit(ctx, csvimport.Request{Path: path, Layout: layout}, "取込担当")
	require.NoError(t, err)
	return res
}

// snapshot is every order as the export reads it, with its events, in order-number order.
type snapshot struct {
	orders []*backend.Order
	events [][]backend.OrderEvent
}

func snapshotOf(t *testing.T, db Store) snapshot {
	t.Helper()
	var s snapshot
	require.NoError(t, db.EachOrder(ctx, backend.OrderFilter{Sort: "order_no_asc"}, func(o *backend.Order, _ *backend.Payment) error {
		evs, err := db.OrderEvents(ctx, o.ID)
		s.orders, s.events = append(s.orders, o), append(s.events, evs)
		return err
	}))
	return s
}

// fileOrders are n orders of one to three lines, some by bank transfer, some cancelled,
// as a back office's file holds them (times to the second, no updated_at).
func fileOrders(n int) []*backend.Order {
	methods := []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini, backend.MethodOther}
	out := make([]*backend.Order, n)
	for i := range out {
		var items []backend.LineItem
		for l := range 1 + i%3 {
			items = append(items, item(fmt.Sprintf("SKU-%02d", (i+l)%40), fmt.Sprintf("商品%02d", (i+l)%40), backend.Yen(500+100*l), int64(1+l)))
		}
		o := order(fmt.Sprint(50000+i), fmt.Sprintf("山田 太郎%d", i%7), "ヤマダ タロウ", 0, Day.Add(time.Duration(i)*time.Minute), items...)
		o.Shipping, o.Total = 600, o.Subtotal+600
		o.PaymentMethod = methods[i%len(methods)]
		if i%11 == 5 {
			o.Status = backend.OrderCancelled
		}
		o.UpdatedAt, o.Source = time.Time{}, ""
		out[i] = o
	}
	return out
}

// A file imported into an empty shop saves every order; the same file imported again a
// day later changes nothing (not an updated_at, a line or an event); a changed file
// updates what changed, adds what is new, and leaves the rest as it was. More orders
// than a batch of the PostgreSQL writer, so batches meet.
func importFreshUnchangedChanged(t *testing.T, db Store) {
	const n = 2345
	orders := fileOrders(n)
	first := importCommit(t, db, OrdersFile(t, orders), Day)
	assert.Equal(t, n, first.New)
	assert.Zero(t, first.Updated+first.Unchanged+first.Conflicting)
	count, err := db.CountOrders(ctx, backend.OrderFilter{})
	require.NoError(t, err)
	assert.Equal(t, n, count)
	o, err := db.OrderByNo(ctx, "50004")
	require.NoError(t, err)
	assert.Equal(t, orders[4].Items, o.Items)
	assert.Equal(t, orders[4].Total, o.Total)
	assert.Equal(t, "山田 太郎4", o.CustomerName)
	assert.True(t, o.OrderedAt.Equal(orders[4].OrderedAt))
	assert.True(t, o.UpdatedAt.Equal(Day), "a new order is updated when imported")
	page, err := db.FindOrders(ctx, backend.OrderFilter{Name: "太郎4", Product: "商品07"})
	require.NoError(t, err)
	assert.NotZero(t, page.Total, "imported orders are found by the search")
	before := snapshotOf(t, db)
	require.Len(t, before.orders, n)

	again := importCommit(t, db, OrdersFile(t, orders), Day.Add(24*time.Hour))
	assert.Equal(t, n, again.Unchanged)
	assert.Zero(t, again.New+again.Updated+again.Conflicting)
	assert.Equal(t, before, snapshotOf(t, db), "an unchanged file changes nothing")

	// Changed: a name, a line added, a status; one order is new; the first one has a
	// captured payment and a new total, a change the file cannot make (a conflict).
	captured, err := db.OrderByNo(ctx, orders[0].OrderNo)
	require.NoError(t, err)
	payment(t, db, captured, backend.StateCaptured)
	orders[0].Total, orders[0].Shipping = orders[0].Total+100, orders[0].Shipping+100
	orders[10].CustomerName = "山田 花子"
	orders[20].Items = append(orders[20].Items, item("NEW-1", "新商品", 1200, 1))
	orders[20].Subtotal, orders[20].Total = orders[20].Subtotal+1200, orders[20].Total+1200
	orders[30].Status = backend.OrderShipped
	added := order("99999", "新規 顧客", "シンキ コキャク", 1600, Day.Add(48*time.Hour), item("SKU-01", "商品01", 1000, 1))
	added.UpdatedAt, added.Source = time.Time{}, ""
	later := Day.Add(48 * time.Hour)
	changed := importCommit(t, db, OrdersFile(t, append(orders, added)), later)
	assert.Equal(t, 1, changed.New)
	assert.Equal(t, 3, changed.Updated)
	assert.Equal(t, 1, changed.Conflicting)
	assert.Equal(t, n-4, changed.Unchanged)

	after := snapshotOf(t, db)
	require.Len(t, after.orders, n+1)
	byNo := map[string]int{}
	for i, o := range after.orders {
		byNo[o.OrderNo] = i
	}
	got := func(no string) (*backend.Order, []backend.OrderEvent) {
		i := byNo[no]
		return after.orders[i], after.events[i]
	}
	o, evs := got(orders[10].OrderNo)
	assert.Equal(t, "山田 花子", o.CustomerName)
	assert.True(t, o.UpdatedAt.Equal(later))
	require.Len(t, evs, 1)
	assert.Equal(t, "import", evs[0].Kind)
	assert.Equal(t, "取込担当", evs[0].Actor)
	assert.Equal(t, db.PC(), evs[0].PC)
	assert.Contains(t, evs[0].Detail, "取込（")
	o, _ = got(orders[20].OrderNo)
	assert.Equal(t, orders[20].Items, o.Items)
	o, _ = got(orders[30].OrderNo)
	assert.Equal(t, backend.OrderShipped, o.Status)
	o, _ = got("99999")
	assert.Equal(t, added.Items, o.Items)
	o, evs = got(orders[0].OrderNo)
	assert.Equal(t, captured.Total, o.Total, "the captured order's amounts are its payment's")
	require.Len(t, evs, 1)
	assert.Contains(t, evs[0].Detail, "実売上")
	for _, i := range []int{1, 2, 500, 1999, n - 1} { // the rest, as they were
		assert.Equal(t, before.orders[i], after.orders[byNo[before.orders[i].OrderNo]], before.orders[i].OrderNo)
	}

	// The conflict is noted once: the same file again writes nothing.
	importCommit(t, db, OrdersFile(t, append(orders, added)), later.Add(time.Hour))
	assert.Equal(t, after, snapshotOf(t, db))
}

// Target says when an order's amounts belong to its payment (money moved, or an
// operation is in flight); a preview's transaction can never save.
func importTargetMoneyMoved(t *testing.T, db Store) {
	seedSearch(t, db)
	tx, err := db.BeginImport(ctx, false)
	require.NoError(t, err)
	none, err := tx.Target(ctx, "999")
	require.NoError(t, err)
	assert.Nil(t, none)
	tg, err := tx.Target(ctx, "1")
	require.NoError(t, err)
	assert.Equal(t, []backend.LineItem{item("TS-01", "Tシャツ 白", 1000, 1)}, tg.Order.Items)
	assert.Equal(t, "山田太郎", tg.Order.CustomerName)
	assert.False(t, tg.HasPayment)
	assert.Empty(t, tg.MoneyMoved)
	ok, err := tx.Exists(ctx, "2")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = tx.Exists(ctx, "999")
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Error(t, tx.Save(ctx, order("77", "山田", "ヤマダ", 100, Day), backend.ImportSave{At: Day}))
	assert.Error(t, tx.Note(ctx, tg.Order.ID, backend.ImportSave{At: Day, Event: "x"}))
	assert.Error(t, tx.Commit(), "a preview saves nothing")
	_, err = db.OrderByNo(ctx, "77")
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))

	for _, c := range []struct {
		no    string
		state backend.PaymentState
		op    backend.OpKind
		opSt  backend.OpState
		want  string
	}{
		{"1", backend.StateAuthorized, "", "", ""},
		{"2", backend.StateCaptured, "", "", "決済が「実売上」です"},
		{"3", backend.StateDeposited, "", "", "決済が「入金済み」です"},
		{"10", backend.StateAuthorized, backend.OpChangeAmount, backend.OpSucceeded, "決済の「金額変更」が成功しています"},
		{"11", backend.StateAuthorized, backend.OpCapture, backend.OpUnknown, "決済の操作が処理中です"},
	} {
		o, err := db.OrderByNo(ctx, c.no)
		require.NoError(t, err)
		p := payment(t, db, o, c.state)
		if c.op != "" {
			op := &backend.Operation{PaymentID: p.ID, Kind: c.op, IdempotencyKey: "k" + c.no}
			require.NoError(t, db.BeginOperation(ctx, op))
			op.State = c.opSt
			require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op}))
		}
		for _, write := range []bool{false, true} {
			tx, err := db.BeginImport(ctx, write)
			require.NoError(t, err)
			tg, err := tx.Target(ctx, c.no)
			require.NoError(t, err)
			assert.True(t, tg.HasPayment, c.no)
			assert.Equal(t, c.want, tg.MoneyMoved, c.no)
			assert.Equal(t, c.want == "", tg.MoneyMovedEn == "", c.no)
			require.NoError(t, tx.Rollback())
		}
	}
}

// A saved order is queued for linking with the ids its file carried, several hundred
// orders a statement: each keeps its own ids, orders that need no gateway are left out,
// a linked order stays linked. Its event names who imported it, where.
func importQueuesLinks(t *testing.T, db Store) {
	db.SetPC("事務所PC")
	linked := saved(t, db, order("linked", "山田", "ヤマダ", 100, Day))
	require.NoError(t, db.SaveLinkState(ctx, &backend.OrderLink{OrderID: linked.ID, Status: backend.LinkLinked}))

	const n = 1234
	tx, err := db.BeginImport(ctx, true)
	require.NoError(t, err)
	orders := make([]*backend.Order, n)
	for i := range orders {
		o := order(fmt.Sprint(i+1), "山田", "ヤマダ", 100, Day)
		if i%3 == 2 {
			o.PaymentMethod = backend.MethodOther
		}
		s := backend.ImportSave{At: Day}
		if i%7 == 0 {
			s.Hint = backend.TransactionIDs{GatewayOrderID: fmt.Sprint("g", i), GatewayTranID: fmt.Sprint("t", i), GatewayTranPass: fmt.Sprint("p", i)}
			s.HintProfileID = int64(i)
		}
		if i == 0 {
			s.Actor, s.Event, s.EventEn = "担当", "取込", "Import"
		}
		require.NoError(t, tx.Save(ctx, o, s))
		orders[i] = o
	}
	linked.CustomerName = "山田 太郎"
	require.NoError(t, tx.Save(ctx, linked, backend.ImportSave{At: Day, Hint: backend.TransactionIDs{GatewayOrderID: "new"}}))
	require.NoError(t, tx.Commit())

	for i, o := range orders {
		l, err := db.LinkState(ctx, o.ID)
		if i%3 == 2 {
			assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err), "a bank transfer needs no gateway transaction: %s", o.OrderNo)
			continue
		}
		require.NoError(t, err, o.OrderNo)
		want := []any{backend.LinkPending, backend.TransactionIDs{}, int64(0)}
		if i%7 == 0 {
			want = []any{backend.LinkPending, backend.TransactionIDs{GatewayOrderID: fmt.Sprint("g", i), GatewayTranID: fmt.Sprint("t", i),
				GatewayTranPass: fmt.Sprint("p", i)}, int64(i)}
		}
		assert.Equal(t, want, []any{l.Status, l.Hint, l.HintProfileID}, o.OrderNo)
	}
	l, err := db.LinkState(ctx, linked.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkLinked, l.Status)
	assert.Empty(t, l.Hint.GatewayOrderID)
	got, err := db.OrderByID(ctx, linked.ID)
	require.NoError(t, err)
	assert.Equal(t, "山田 太郎", got.CustomerName)
	evs, err := db.OrderEvents(ctx, orders[0].ID)
	require.NoError(t, err)
	assert.Equal(t, []backend.OrderEvent{{At: Day.UTC(), Actor: "担当", PC: "事務所PC", Kind: "import", Detail: "取込", DetailEn: "Import"}}, evs)

	// QueueLinkHint: one order, with ids a console CSV carried.
	require.NoError(t, db.QueueLinkHint(ctx, orders[1].ID, backend.TransactionIDs{GatewayTranID: "acc-9"}, 4))
	l, err = db.LinkState(ctx, orders[1].ID)
	require.NoError(t, err)
	assert.Equal(t, []any{backend.LinkPending, "acc-9", int64(4)}, []any{l.Status, l.Hint.GatewayTranID, l.HintProfileID})
}

// An import's note on an order it does not save is written once: the same note again
// (a re-import of the same file) writes nothing.
func importNoteOnce(t *testing.T, db Store) {
	o := saved(t, db, order("1", "山田", "ヤマダ", 100, Day))
	for _, ev := range []string{"取込: 合計 → 200円は反映していません", "取込: 合計 → 200円は反映していません", "取込: 合計 → 300円は反映していません"} {
		tx, err := db.BeginImport(ctx, true)
		require.NoError(t, err)
		require.NoError(t, tx.Note(ctx, o.ID, backend.ImportSave{At: Day, Event: ev}))
		require.NoError(t, tx.Commit())
	}
	evs, err := db.OrderEvents(ctx, o.ID)
	require.NoError(t, err)
	assert.Len(t, evs, 2)
}

// An order the import saved is there for a look-up, whether the store has written it
// yet or not. An order saved by someone else after the file was checked fails the
// commit on its number (ECONFLICT, naming it), from Save or from Commit (a store may
// write behind the caller), and nothing of the import is saved; a rolled-back import
// leaves the store usable.
func importSavedAfterCheck(t *testing.T, db Store) {
	saved(t, db, order("1500", "山田", "ヤマダ", 100, Day))
	tx, err := db.BeginImport(ctx, true)
	require.NoError(t, err)
	for i := range 100 {
		require.NoError(t, tx.Save(ctx, order(fmt.Sprint(i), "山田", "ヤマダ", 100, Day), backend.ImportSave{At: Day}))
	}
	ok, err := tx.Exists(ctx, "99")
	require.NoError(t, err)
	assert.True(t, ok, "the last order saved is there for a look-up")
	var failed error
	for i := 100; i < 3000 && failed == nil; i++ {
		failed = tx.Save(ctx, order(fmt.Sprint(i), "山田", "ヤマダ", 100, Day), backend.ImportSave{At: Day})
	}
	if failed == nil {
		failed = tx.Commit()
	}
	var be *backend.Error
	require.ErrorAs(t, failed, &be)
	assert.Equal(t, backend.ECONFLICT, be.Code)
	assert.Contains(t, be.Message, "注文番号 1500 ")
	tx.Rollback()
	n, err := db.CountOrders(ctx, backend.OrderFilter{})
	require.NoError(t, err)
	assert.Equal(t, 1, n, "nothing of the import is saved")
	require.NoError(t, db.SaveOrder(ctx, order("1", "佐藤", "サトウ", 100, Day)), "the store is free again")

	tx, err = db.BeginImport(ctx, true)
	require.NoError(t, err)
	require.NoError(t, tx.Save(ctx, order("2", "佐藤", "サトウ", 100, Day), backend.ImportSave{At: Day}))
	require.NoError(t, tx.Rollback())
	_, err = db.OrderByNo(ctx, "2")
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err), "a rolled-back import saves nothing")
}

// EachOrder gives every order the search selects — all of them, not the screen's page —
// in the search's order, each with its lines and main payment (never its AccessPass);
// CountOrders counts them. fn's error stops it.
func exportEachOrder(t *testing.T, db Store) {
	seedSearch(t, db)
	// Ties with "1" (its time, its total), and numbers that are not numeric.
	for _, no := range []string{"A-1", "B-2", "12a"} {
		saved(t, db, order(no, "山田三郎", "ヤマダ サブロウ", 1000, Day))
	}
	two := saved(t, db, order("20", "山田二郎", "ヤマダ ジロウ", 3000, Day.Add(120*time.Hour),
		item("A", "一", 1000, 1), item("B", "二", 500, 2), item("C", "三", 1000, 1)))
	paid := payment(t, db, two, backend.StateCaptured)

	filters := map[string]backend.OrderFilter{
		"all, a page of 1":  {Limit: 1}, // the screen's page size: the export ignores it
		"order no asc":      {Sort: "order_no_asc"},
		"order no desc":     {Sort: "order_no_desc"},
		"total desc":        {Sort: "total_desc"},
		"ordered asc":       {Sort: "ordered_asc"},
		"updated desc":      {Sort: "updated_desc"},
		"name":              {Name: "山", Sort: "order_no_asc"},
		"product":           {Product: "Tシャツ"},
		"status":            {Statuses: []backend.OrderStatus{backend.OrderCancelled}},
		"total, total desc": {TotalMin: yen(1000), Sort: "total_desc"},
		"no match":          {Name: "存在しない"},
	}
	for name, f := range filters {
		t.Run(name, func(t *testing.T) {
			var got []string
			var orders []*backend.Order
			require.NoError(t, db.EachOrder(ctx, f, func(o *backend.Order, p *backend.Payment) error {
				got, orders = append(got, o.OrderNo), append(orders, o)
				if o.ID == two.ID {
					require.NotNil(t, p)
					assert.Equal(t, paid.ID, p.ID)
					assert.Equal(t, backend.StateCaptured, p.State)
					assert.Equal(t, "G-20", p.GatewayOrderID)
					assert.Equal(t, "acc-20", p.GatewayTranID)
					assert.Empty(t, p.GatewayTranPass, "the AccessPass is never read")
				} else {
					assert.Nil(t, p, o.OrderNo)
				}
				return nil
			}))
			// The search, page after page, is the reference.
			var want []string
			page := f
			page.Limit = 3
			for {
				p, err := db.FindOrders(ctx, page)
				require.NoError(t, err)
				want = append(want, nos(p)...)
				if p.Next == "" {
					break
				}
				page.After = p.Next
			}
			assert.Equal(t, want, got)
			n, err := db.CountOrders(ctx, f)
			require.NoError(t, err)
			assert.Equal(t, len(want), n)
			for _, o := range orders {
				stored, err := db.OrderByID(ctx, o.ID)
				require.NoError(t, err)
				assert.Equal(t, stored, o, "the order as stored, with its lines in order")
			}
		})
	}

	stop := fmt.Errorf("stop")
	calls := 0
	err := db.EachOrder(ctx, backend.OrderFilter{}, func(*backend.Order, *backend.Payment) error { calls++; return stop })
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, calls)
}
