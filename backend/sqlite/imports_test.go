package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

func TestImportTargetSaysWhenMoneyMoved(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	seedSearch(t, db)
	tx, err := db.BeginImport(ctx, false)
	require.NoError(t, err)
	defer tx.Rollback()
	none, err := tx.Target(ctx, "999")
	require.NoError(t, err)
	assert.Nil(t, none)
	tg, err := tx.Target(ctx, "1")
	require.NoError(t, err)
	assert.Equal(t, []backend.LineItem{item("TS-01", "Tシャツ 白", 1000, 1)}, tg.Order.Items)
	assert.False(t, tg.HasPayment)
	assert.Empty(t, tg.MoneyMoved)
	tx.Rollback()

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
		p := newPayment(t, db, o, c.state)
		if c.op != "" {
			op := &backend.Operation{PaymentID: p.ID, Kind: c.op, IdempotencyKey: "k" + c.no}
			require.NoError(t, db.BeginOperation(ctx, op))
			op.State = c.opSt
			require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op}))
		}
		tx, err := db.BeginImport(ctx, false)
		require.NoError(t, err)
		tg, err := tx.Target(ctx, c.no)
		require.NoError(t, err)
		assert.True(t, tg.HasPayment, c.no)
		assert.Equal(t, c.want, tg.MoneyMoved, c.no)
		tx.Rollback()
	}
}

func TestAPreviewTransactionCannotSave(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	tx, err := db.BeginImport(ctx, false)
	require.NoError(t, err)
	o := testOrder("1", "山田", "ヤマダ", 100, day)
	assert.Error(t, tx.Save(ctx, o, backend.ImportSave{At: day}))
	assert.Error(t, tx.Commit())
	n, err := db.CountOrders(ctx, backend.OrderFilter{})
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestImportSaveQueuesTheLinkWithTheFilesIDs(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	db.SetPC("事務所PC")
	tx, err := db.BeginImport(ctx, true)
	require.NoError(t, err)
	card := testOrder("1", "山田", "ヤマダ", 100, day)
	bank := testOrder("2", "佐藤", "サトウ", 100, day)
	bank.PaymentMethod = backend.MethodOther
	hint := backend.TransactionIDs{GatewayOrderID: "1-20101530", GatewayTranID: "acc-1", GatewayTranPass: "pass-1"}
	require.NoError(t, tx.Save(ctx, card, backend.ImportSave{At: day, Actor: "担当", Event: "取込", Hint: hint, HintProfileID: 3}))
	require.NoError(t, tx.Save(ctx, bank, backend.ImportSave{At: day, Hint: hint}))
	require.NoError(t, tx.Commit())

	var status, gwOrder, tran, pass string
	var profile int64
	require.NoError(t, db.read.QueryRow(`SELECT status, gateway_order_id, hint_tran_id, hint_tran_pass, hint_profile_id
		FROM order_links WHERE order_id = ?`, card.ID).Scan(&status, &gwOrder, &tran, &pass, &profile))
	assert.Equal(t, []any{"pending", "1-20101530", "acc-1", "pass-1", int64(3)}, []any{status, gwOrder, tran, pass, profile})
	var n int
	require.NoError(t, db.read.QueryRow(`SELECT count(*) FROM order_links WHERE order_id = ?`, bank.ID).Scan(&n))
	assert.Zero(t, n, "a bank transfer needs no gateway transaction")
	evs, err := db.OrderEvents(ctx, card.ID)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Equal(t, backend.OrderEvent{At: day.UTC(), Actor: "担当", PC: "事務所PC", Kind: "import", Detail: "取込"}, evs[0])
}

func TestImportNoteIsWrittenOnce(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	o := testOrder("1", "山田", "ヤマダ", 100, day)
	require.NoError(t, db.SaveOrder(ctx, o))
	for _, ev := range []string{"取込: 合計 → 200円は反映していません", "取込: 合計 → 200円は反映していません", "取込: 合計 → 300円は反映していません"} {
		tx, err := db.BeginImport(ctx, true)
		require.NoError(t, err)
		require.NoError(t, tx.Note(ctx, o.ID, backend.ImportSave{At: day, Event: ev}))
		require.NoError(t, tx.Commit())
	}
	evs, err := db.OrderEvents(ctx, o.ID)
	require.NoError(t, err)
	assert.Len(t, evs, 2)
}

func TestDemoPresentAndSettingsWithPrefix(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	demo, err := db.DemoPresent(ctx)
	require.NoError(t, err)
	assert.False(t, demo)
	o := testOrder("1", "山田", "ヤマダ", 100, day)
	o.Source = "demo"
	require.NoError(t, db.SaveOrder(ctx, o))
	demo, err = db.DemoPresent(ctx)
	require.NoError(t, err)
	assert.True(t, demo)

	require.NoError(t, db.SetSetting(ctx, "import.layout.a", "1"))
	require.NoError(t, db.SetSetting(ctx, "import.layout.b", "2"))
	require.NoError(t, db.SetSetting(ctx, "import.layouts", "x"))
	require.NoError(t, db.SetSetting(ctx, "other", "3"))
	got, err := db.SettingsWithPrefix(ctx, "import.layout.")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"import.layout.a": "1", "import.layout.b": "2"}, got)
	require.NoError(t, db.DeleteSetting(ctx, "import.layout.a"))
	v, err := db.Setting(ctx, "import.layout.a")
	require.NoError(t, err)
	assert.Empty(t, v)
}

// An import queues its orders' links several hundred per statement: each order keeps
// its own ids, orders that need no gateway are left out, a linked order stays linked.
func TestImportQueuesTheLinksOfManyOrders(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	linked := testOrder("linked", "山田", "ヤマダ", 100, day)
	require.NoError(t, db.SaveOrder(ctx, linked))
	_, err := db.write.Exec(`INSERT INTO order_links (order_id, status, updated_at) VALUES (?, 'linked', 0)`, linked.ID)
	require.NoError(t, err)

	const n = 2*linksPerStatement + 234
	tx, err := db.BeginImport(ctx, true)
	require.NoError(t, err)
	defer tx.Rollback() // after a failure: the writer stays usable for the cleanup
	orders := make([]*backend.Order, n)
	for i := range orders {
		o := testOrder(fmt.Sprint(i+1), "山田", "ヤマダ", 100, day)
		if i%3 == 2 {
			o.PaymentMethod = backend.MethodOther
		}
		s := backend.ImportSave{At: day}
		if i%7 == 0 {
			s.Hint = backend.TransactionIDs{GatewayOrderID: fmt.Sprint("g", i), GatewayTranID: fmt.Sprint("t", i), GatewayTranPass: fmt.Sprint("p", i)}
			s.HintProfileID = int64(i)
		}
		require.NoError(t, tx.Save(ctx, o, s))
		orders[i] = o
	}
	linked.CustomerName = "山田 太郎"
	require.NoError(t, tx.Save(ctx, linked, backend.ImportSave{At: day, Hint: backend.TransactionIDs{GatewayOrderID: "new"}}))
	require.NoError(t, tx.Commit())

	for i, o := range orders {
		var status, gwOrder, tran, pass string
		var profile int64
		err := db.read.QueryRow(`SELECT status, gateway_order_id, hint_tran_id, hint_tran_pass, hint_profile_id
			FROM order_links WHERE order_id = ?`, o.ID).Scan(&status, &gwOrder, &tran, &pass, &profile)
		if i%3 == 2 {
			assert.ErrorIs(t, err, sql.ErrNoRows, o.OrderNo)
			continue
		}
		require.NoError(t, err, o.OrderNo)
		want := []any{"pending", "", "", "", int64(0)}
		if i%7 == 0 {
			want = []any{"pending", fmt.Sprint("g", i), fmt.Sprint("t", i), fmt.Sprint("p", i), int64(i)}
		}
		assert.Equal(t, want, []any{status, gwOrder, tran, pass, profile}, o.OrderNo)
	}
	var status, gwOrder string
	require.NoError(t, db.read.QueryRow(`SELECT status, gateway_order_id FROM order_links WHERE order_id = ?`, linked.ID).Scan(&status, &gwOrder))
	assert.Equal(t, []string{"linked", ""}, []string{status, gwOrder})
}

// Saves are written behind the caller: a look-up waits for them, and a failure to
// write one comes back from a later call with nothing saved.
func TestImportSavesAreWrittenBehind(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	taken := testOrder("150", "山田", "ヤマダ", 100, day)
	require.NoError(t, db.SaveOrder(ctx, taken))

	tx, err := db.BeginImport(ctx, true)
	require.NoError(t, err)
	defer tx.Rollback()
	for i := range 100 {
		require.NoError(t, tx.Save(ctx, testOrder(fmt.Sprint(i), "山田", "ヤマダ", 100, day), backend.ImportSave{At: day}))
	}
	ok, err := tx.Exists(ctx, "99")
	require.NoError(t, err)
	assert.True(t, ok, "the last order saved is there for a look-up")

	// "150" was stored after the check: its insert fails behind the caller.
	var failed error
	for i := 100; i < 300 && failed == nil; i++ {
		failed = tx.Save(ctx, testOrder(fmt.Sprint(i), "山田", "ヤマダ", 100, day), backend.ImportSave{At: day})
	}
	if failed == nil {
		failed = tx.Commit()
	}
	var be *backend.Error
	require.ErrorAs(t, failed, &be)
	assert.Equal(t, backend.ECONFLICT, be.Code)
	assert.Contains(t, be.Message, "注文番号 150 ")
	tx.Rollback() // (done already when Commit failed)

	n, err := db.CountOrders(ctx, backend.OrderFilter{})
	require.NoError(t, err)
	assert.Equal(t, 1, n, "nothing of the import is saved")
	require.NoError(t, db.SaveOrder(ctx, testOrder("1", "佐藤", "サトウ", 100, day)), "the writer is free again")
}

// A commit runs with a larger page cache; the writer has its own back afterwards.
func TestImportCacheIsRestored(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	cache := func() int64 {
		var n int64
		require.NoError(t, db.write.QueryRow(`PRAGMA cache_size`).Scan(&n))
		return n
	}
	was := cache()
	for _, commit := range []bool{true, false} {
		tx, err := db.BeginImport(ctx, true)
		require.NoError(t, err)
		var n int64
		require.NoError(t, tx.(*importTx).tx.QueryRow(`PRAGMA cache_size`).Scan(&n))
		assert.Equal(t, int64(-importCacheKiB), n)
		require.NoError(t, tx.Save(ctx, testOrder(fmt.Sprint(commit), "山田", "ヤマダ", 100, day), backend.ImportSave{At: day}))
		if commit {
			require.NoError(t, tx.Commit())
		} else {
			require.NoError(t, tx.Rollback())
		}
		assert.Equal(t, was, cache())
	}
}
