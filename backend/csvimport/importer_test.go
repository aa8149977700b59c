package csvimport

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/textenc"
)

// kd is one row of Kessai Desk's own layout.
func kd(no, name, method string, price, qty, total int, status string, extra ...string) map[string]string {
	row := map[string]string{"受注番号": no, "受注日時": "2026/11/20 10:00:00", "注文者名": name, "注文者フリガナ": "カナ",
		"メールアドレス": "a@example.jp", "電話番号": "090-1111-2222", "支払方法": method, "商品コード": "C-" + no,
		"商品名": "商品" + no, "単価": fmt.Sprint(price), "数量": fmt.Sprint(qty), "合計金額": fmt.Sprint(total), "対応状況": status}
	for i := 0; i+1 < len(extra); i += 2 {
		row[extra[i]] = extra[i+1]
	}
	return row
}

func kdFile(t testing.TB, rows ...map[string]string) string {
	tb := newTable(Columns...)
	for _, r := range rows {
		tb.add(r)
	}
	return tb.file(t, EncodingUTF8, true)
}

func events(t testing.TB, db *sqlite.DB, no string) []backend.OrderEvent {
	evs, err := db.OrderEvents(context.Background(), order(t, db, no).ID)
	require.NoError(t, err)
	return evs
}

func TestReimportingTheSameFileChangesNothing(t *testing.T) {
	db := newDB(t)
	path := eccube4File(t, EncodingCP932)
	commit(t, db, path, preset(t, "eccube4"))
	before := order(t, db, "1001")

	later := &Importer{Store: db, Now: func() time.Time { return testNow.Add(time.Hour) }}
	res, err := later.Commit(context.Background(), Request{Path: path, Layout: preset(t, "eccube4")}, "テスト担当")
	require.NoError(t, err)
	assert.Equal(t, 2, res.Unchanged)
	assert.Zero(t, res.New+res.Updated+res.Conflicting)
	after := order(t, db, "1001")
	assert.Equal(t, before, after, "not even updated_at moves")
	assert.Empty(t, events(t, db, "1001"))
}

func TestAnImportUpdatesOnlyTheFieldsItsLayoutReads(t *testing.T) {
	db := newDB(t)
	commit(t, db, kdFile(t, kd("9", "山田 太郎", "銀行振込", 3000, 1, 3000, "新規受付", "配送先氏名", "山田 花子", "メモ", "午前着")), preset(t, KessaiDesk))

	// EC-CUBE 2 knows no delivery: the ship-to name stays; its own fields update.
	tb := newTable(eccube2Header...).add(with(eccube2Row("9", "1", "銀行振込", "3000", "0", "500", "0", "0", "3500"),
		map[string]string{"SHOPメモ": "午前着"}))
	path := tb.file(t, EncodingCP932, true)
	pv := preview(t, db, path, preset(t, "eccube2"))
	require.True(t, pv.OK(), "%+v", pv.Problems)
	assert.Equal(t, 1, pv.Updated)
	require.Len(t, pv.Changes, 1)
	assert.Equal(t, []string{"お名前", "フリガナ", "メールアドレス", "電話番号", "郵便番号", "住所", "注文日時",
		"送料 0円 → 500円", "お支払い合計 3,000円 → 3,500円", "対応状況（EC-CUBE 2 / カゴラボ）「新規受付」→「1」"}, pv.Changes[0].Fields)
	assert.Equal(t, "山田 太郎", order(t, db, "9").CustomerName, "a preview saves nothing")

	res := commit(t, db, path, preset(t, "eccube2"))
	assert.Equal(t, 1, res.Updated)
	o := order(t, db, "9")
	assert.Equal(t, "佐藤 花子", o.CustomerName)
	assert.Equal(t, "山田 花子", o.ShipName, "a column the layout lacks never blanks a value")
	assert.Equal(t, backend.Yen(3500), o.Total)
	assert.Equal(t, []backend.LineItem{{ProductCode: "C-9", ProductName: "商品9", UnitPrice: 3000, Quantity: 1}}, o.Items,
		"a layout without lines keeps the lines while they add up to its 小計")
	assert.True(t, testNow.Equal(o.UpdatedAt))
	evs := events(t, db, "9")
	require.Len(t, evs, 1)
	assert.Equal(t, "import", evs[0].Kind)
	assert.Equal(t, "テスト担当", evs[0].Actor)
	assert.Contains(t, evs[0].Detail, "取込（EC-CUBE 2 / カゴラボ）: お名前")
	assert.True(t, strings.HasPrefix(evs[0].DetailEn, "Import (EC-CUBE 2 / カゴラボ): "), "in English too: %s", evs[0].DetailEn)
	assert.NotContains(t, evs[0].DetailEn, "お名前")

	// Another 小計: the stored lines can no longer be right and are dropped.
	tb = newTable(eccube2Header...).add(eccube2Row("9", "1", "銀行振込", "4000", "0", "500", "0", "0", "4500"))
	commit(t, db, tb.file(t, EncodingCP932, true), preset(t, "eccube2"))
	assert.Empty(t, order(t, db, "9").Items)
}

func TestTheStatusFollowsTheBackOfficeOnlyWhenItChangedThere(t *testing.T) {
	db := newDB(t)
	file := func(status string) string {
		return newTable(eccube2Header...).add(eccube2Row("30", status, "クレジットカード決済", "1000", "0", "0", "0", "0", "1000")).file(t, EncodingCP932, true)
	}
	commit(t, db, file("1"), preset(t, "eccube2"))
	o := order(t, db, "30")
	assert.Equal(t, backend.OrderNew, o.Status)
	// The operator marks it 入金済み here (as a capture does).
	require.NoError(t, db.SetOrderStatus(context.Background(), o.ID, backend.OrderPaid, "テスト担当"))

	res := commit(t, db, file("1"), preset(t, "eccube2"))
	assert.Equal(t, 1, res.Unchanged, "the same word: the back office did not change it, ours stands")
	assert.Equal(t, backend.OrderPaid, order(t, db, "30").Status)

	res = commit(t, db, file("5"), preset(t, "eccube2"))
	assert.Equal(t, 1, res.Updated)
	assert.Equal(t, []string{"対応状況 入金済み → 発送済み"}, res.Changes[0].Fields)
	o = order(t, db, "30")
	assert.Equal(t, backend.OrderShipped, o.Status)
	assert.Equal(t, "5", o.ShopStatus)
}

func TestACapturedOrderIsNeverOverwrittenSilently(t *testing.T) {
	db := newDB(t)
	row := eccube2Row("40", "1", "クレジットカード決済", "5000", "0", "500", "0", "0", "5500")
	commit(t, db, newTable(eccube2Header...).add(row).file(t, EncodingCP932, true), preset(t, "eccube2"))
	pay := capture(t, db, "40")
	paid := order(t, db, "40")
	require.Equal(t, backend.OrderPaid, paid.Status)

	// The back office changed the amount, the customer's name and the method.
	changed := with(eccube2Row("40", "1", "銀行振込", "5500", "0", "500", "0", "0", "6000"), map[string]string{"お名前(姓)": "加藤"})
	path := newTable(eccube2Header...).add(changed).file(t, EncodingCP932, true)
	pv := preview(t, db, path, preset(t, "eccube2"))
	require.True(t, pv.OK())
	assert.Equal(t, 1, pv.Conflicting)
	require.Len(t, pv.Conflicts, 1)
	c := pv.Conflicts[0]
	assert.Equal(t, "40", c.OrderNo)
	assert.Equal(t, 2, c.Line)
	assert.Equal(t, "支払方法 クレジットカード決済 → その他（決済があるため）、小計 5,000円 → 5,500円、お支払い合計 5,500円 → 6,000円は反映していません（決済が「実売上」です）", c.Reason)

	res := commit(t, db, path, preset(t, "eccube2"))
	assert.Equal(t, 1, res.Conflicting)
	o := order(t, db, "40")
	assert.Equal(t, backend.Yen(5500), o.Total, "the amount the payment owns is kept")
	assert.Equal(t, backend.MethodCard, o.PaymentMethod)
	assert.Equal(t, "加藤 花子", o.CustomerName, "the customer's name is the back office's")
	assert.Equal(t, backend.OrderPaid, o.Status)
	got, err := db.PaymentByID(context.Background(), pay.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, got.State)
	assert.Equal(t, backend.Yen(5500), got.AmountCaptured)
	ops, err := db.OperationsByPayment(context.Background(), pay.ID)
	require.NoError(t, err)
	assert.Len(t, ops, 1, "the journal is untouched")

	evs := events(t, db, "40")
	n := len(evs)
	assert.Equal(t, "import", evs[n-1].Kind)
	assert.Contains(t, evs[n-1].Detail, "お支払い合計 5,500円 → 6,000円")
	assert.Contains(t, evs[n-1].Detail, "反映した変更: お名前")

	// The same file again: the conflict is listed again but written once.
	res = commit(t, db, path, preset(t, "eccube2"))
	assert.Equal(t, 1, res.Conflicting)
	assert.Len(t, events(t, db, "40"), n)
}

func TestABackOfficeCancelOfAnOrderWhoseMoneyMovedIsAConflict(t *testing.T) {
	db := newDB(t)
	file := func(status string) string {
		return newTable(eccube2Header...).add(eccube2Row("41", status, "クレジットカード決済", "2000", "0", "0", "0", "0", "2000")).file(t, EncodingCP932, true)
	}
	commit(t, db, file("1"), preset(t, "eccube2"))
	capture(t, db, "41")
	res := commit(t, db, file("3"), preset(t, "eccube2"))
	require.Equal(t, 1, res.Conflicting)
	assert.Contains(t, res.Conflicts[0].Reason, "対応状況 入金済み → キャンセル（返金・取消はこのアプリで行ってください）")
	o := order(t, db, "41")
	assert.Equal(t, backend.OrderPaid, o.Status)
	assert.Equal(t, "1", o.ShopStatus, "kept, so the next import still sees the back office's change")
}

func TestAnAmountChangeMakesTheAmountsThePayments(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	file := func(total string) string {
		return newTable(eccube2Header...).add(eccube2Row("42", "1", "クレジットカード決済", total, "0", "0", "0", "0", total)).file(t, EncodingCP932, true)
	}
	commit(t, db, file("3000"), preset(t, "eccube2"))
	o := order(t, db, "42")
	p := &backend.Payment{OrderID: o.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: "42",
		State: backend.StateAuthorized, AmountAuthorized: 3000}
	require.NoError(t, db.SavePayment(ctx, p))

	// Authorised only: the back office may still change the amount (金額変更 follows here).
	res := commit(t, db, file("3200"), preset(t, "eccube2"))
	assert.Equal(t, 1, res.Updated)

	op := &backend.Operation{PaymentID: p.ID, Intent: "change_amount", Kind: backend.OpChangeAmount, Amount: 2800, IdempotencyKey: "ca-42"}
	require.NoError(t, db.BeginOperation(ctx, op))
	op.State, op.AfterState = backend.OpSucceeded, backend.StateAuthorized
	p.AmountAuthorized = 2800
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: p}))
	res = commit(t, db, file("3500"), preset(t, "eccube2"))
	require.Equal(t, 1, res.Conflicting)
	assert.Contains(t, res.Conflicts[0].Reason, "決済の「金額変更」が成功しています")
	assert.Equal(t, backend.Yen(3200), order(t, db, "42").Total)
}

func TestRowsOfOneOrderThatDisagreeAreRefusedWithBothLines(t *testing.T) {
	db := newDB(t)
	path := kdFile(t,
		kd("1", "山田", "銀行振込", 1000, 1, 2000, "新規受付"),
		kd("1", "山田", "銀行振込", 1000, 1, 2500, "新規受付"), // another total: line 3
		kd("2", "佐藤", "銀行振込", 500, 1, 500, "新規受付"),
		kd("1", "田中", "銀行振込", 1000, 1, 2000, "新規受付"), // rows 1 again, apart: line 5
		kd("3", "鈴木", "銀行振込", 700, 1, 1400, "新規受付"),
		kd("3", "鈴木", "銀行振込", 700, 1, 1400, "新規受付"))
	pv := preview(t, db, path, preset(t, KessaiDesk))
	require.Len(t, pv.Problems, 2)
	assert.Equal(t, 3, pv.Problems[0].Line)
	assert.Equal(t, "注文番号 1 の注文の内容（合計金額）が 2行目 と異なります。同じ注文の行は同じ内容でなければ取り込めません", pv.Problems[0].Message)
	assert.Equal(t, 5, pv.Problems[1].Line)
	assert.Contains(t, pv.Problems[1].Message, "注文番号 1 の注文の内容が 2行目 と異なります")
	assert.Equal(t, 1, pv.Invalid)
	assert.Equal(t, 2, pv.New, "orders 2 and 3 (two lines of the same product) are fine")
	_, err := newImporter(db).Commit(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk)}, "")
	require.Error(t, err)
	assert.Zero(t, orderCount(t, db))

	// One row per order: the same order twice, identical, is one order.
	row := eccube2Row("7", "1", "銀行振込", "100", "0", "0", "0", "0", "100")
	res := commit(t, db, newTable(eccube2Header...).add(row).add(row).file(t, EncodingCP932, true), preset(t, "eccube2"))
	assert.Equal(t, 1, res.New)
}

func TestLineNumbersAreThePhysicalLinesAfterQuotedMultilineFields(t *testing.T) {
	o := eccube4Order("5", "5", "1", "新規受付", "銀行振込", "1100.00", "0.00", "1100.00") // its memo spans two lines
	tb := newTable(eccube4Header...)
	tb.add(with(o, eccube4Line("1", "商品", "茶", "", "1000.00", "1", "10")))
	tb.add(with(o, eccube4Line("2", "送料", "送料", "", "0.00", "1", "10")))
	tb.add(with(o, eccube4Line("3", "手数料", "手数料", "", "abc", "1", "10")))
	pv := preview(t, newDB(t), tb.file(t, EncodingCP932, false), preset(t, "eccube4"))
	require.Len(t, pv.Problems, 1)
	p := pv.Problems[0]
	assert.Equal(t, 6, p.Line, "header 1, rows at 2–3, 4–5, 6–7")
	assert.Equal(t, "価格", p.Column)
	assert.Equal(t, "5", p.OrderNo)
	assert.Equal(t, `「価格」が金額として読めません（"abc": 数字ではありません）`, p.Message)
	assert.Equal(t, `"価格" is not an amount ("abc": not a number)`, p.MessageEn)
}

func TestAmountsParseStrictlyAndNeverOverflow(t *testing.T) {
	for _, c := range []struct {
		in   string
		want backend.Yen
		err  string
	}{
		{"1,234", 1234, ""}, {"１，２３４円", 1234, ""}, {"¥1,000", 1000, ""}, {"1000.00", 1000, ""}, {" 12 ", 12, ""},
		{"-500", -500, ""}, {"−500", -500, ""}, {"12.5", 0, "円未満の端数があります"}, {"1e3", 0, "数字ではありません"},
		{"99999999999999999999", 0, "大きすぎます"}, {"1000000000000", 0, "大きすぎます"}, {"", 0, "数字ではありません"},
	} {
		got, err := parseYen(c.in)
		if c.err == "" {
			assert.Nil(t, err, c.in)
			assert.Equal(t, c.want, got, c.in)
		} else {
			require.NotNil(t, err, c.in)
			assert.Contains(t, err.ja, c.err, c.in)
		}
	}

	// Lines whose sum would overflow int64 are refused, not wrapped round.
	var rows []map[string]string
	for range 12 {
		rows = append(rows, kd("1", "山田", "銀行振込", 999_999_999_999, 1_000_000, 1, "新規受付"))
	}
	pv := preview(t, newDB(t), kdFile(t, rows...), preset(t, KessaiDesk))
	require.NotEmpty(t, pv.Problems)
	assert.Contains(t, pv.Problems[0].Message, "単価×数量が扱える範囲（99,999,999,999円まで）を超えています")
}

func TestATotalBeyondWhatAGatewayAcceptsIsRefused(t *testing.T) {
	db := newDB(t)
	pv := preview(t, db, kdFile(t,
		kd("1", "山田", "クレジットカード決済", 10_000_000, 1, 10_000_000, "新規受付"),
		kd("2", "山田", "銀行振込", 10_000_000, 1, 10_000_000, "新規受付")), preset(t, KessaiDesk))
	require.Len(t, pv.Problems, 1)
	assert.Equal(t, "合計金額 10,000,000円 は決済代行会社が受け付ける上限 9,999,999円 を超えています（クレジットカード決済）", pv.Problems[0].Message)
	assert.Equal(t, 1, pv.New, "a bank transfer has no gateway limit")
}

func TestTotalsMustAddUpAndTheMessageSaysTheNumbers(t *testing.T) {
	path := newTable(eccube2Header...).add(eccube2Row("8", "1", "銀行振込", "3000", "100", "500", "330", "50", "3700")).file(t, EncodingCP932, true)
	pv := preview(t, newDB(t), path, preset(t, "eccube2"))
	require.Len(t, pv.Problems, 1)
	assert.Equal(t, "お支払い合計 3,700円 が内訳の計算 3,680円 と一致しません（小計 3,000円 − 値引き 100円 + 送料 500円 + 手数料 330円 + 外税 0円 − ポイント 50円）",
		pv.Problems[0].Message)
	assert.Equal(t, "お支払い合計", pv.Problems[0].Column)
	assert.Equal(t, 2, pv.Problems[0].Line)
}

func TestRowsWithoutAnOrderNumberOrADateAreRefused(t *testing.T) {
	pv := preview(t, newDB(t), kdFile(t,
		kd("", "山田", "銀行振込", 100, 1, 100, "新規受付"),
		kd("2", "山田", "銀行振込", 100, 1, 100, "新規受付", "受注日時", "2026/13/45"),
		kd("3", "山田", "銀行振込", 100, 0, 100, "未知の状態")), preset(t, KessaiDesk))
	var msgs []string
	for _, p := range pv.Problems {
		msgs = append(msgs, p.String())
	}
	assert.Equal(t, []string{
		"2行目: 注文番号（受注番号）が空です",
		"3行目: 受注日時「2026/13/45」が日時として読めません（例: 2026/11/24 09:30:00）",
		"4行目: 対応状況「未知の状態」は使えません（対応表にない言葉です）",
		"4行目: 数量「0」は1以上の数で入力してください",
	}, msgs)
	assert.Equal(t, 3, pv.InvalidRows)
	assert.Equal(t, 2, pv.Invalid)
}

func TestAnUndecodableLineIsReportedOnItsLine(t *testing.T) {
	db := newDB(t)
	path := eccube4File(t, EncodingCP932)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	// Break the fourth record (lines 8–9) with bytes no Shift_JIS text has.
	name, err := textenc.EncodeCP932("一郎")
	require.NoError(t, err)
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines[7] = bytes.Replace(lines[7], name, []byte("\xff\xfe"), 1)
	require.NoError(t, os.WriteFile(path, bytes.Join(lines, nil), 0o600))
	pv := preview(t, db, path, preset(t, "eccube4"))
	require.NotEmpty(t, pv.Problems)
	assert.Equal(t, 8, pv.Problems[0].Line)
	assert.Contains(t, pv.Problems[0].Message, "Shift_JIS (CP932)として読めません")
	assert.Equal(t, 1, pv.New, "order 1002 is fine; 1001 is not imported")
	_, err = newImporter(db).Commit(context.Background(), Request{Path: path, Layout: preset(t, "eccube4")}, "")
	require.Error(t, err)
	assert.Zero(t, orderCount(t, db))
}

func TestACSVSyntaxErrorRefusesTheFile(t *testing.T) {
	db := newDB(t)
	path := csvFile(t, EncodingUTF8, "\n", strings.Join(Columns, ","),
		`1,2026/11/20 10:00:00,山田,ヤマダ,a@example.jp,090,銀行振込,A,茶,,100,1,0,0,0,0,100,新規受付,`,
		`2,2026/11/20 10:00:00,"佐藤,サトウ`)
	pv := preview(t, db, path, preset(t, KessaiDesk))
	assert.True(t, pv.Fatal)
	require.Len(t, pv.Problems, 1)
	assert.Equal(t, 3, pv.Problems[0].Line)
	assert.Contains(t, pv.Problems[0].Message, "引用符")
	assert.Zero(t, pv.New)
	res, err := newImporter(db).Commit(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk)}, "")
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "3行目: CSVとして読めません")
	assert.True(t, res.Fatal)
	assert.Zero(t, orderCount(t, db))
}

func TestUnknownWordsAreListedAndMappedForTheImport(t *testing.T) {
	db := newDB(t)
	tb := newTable(eccube2Header...)
	tb.add(eccube2Row("1", "1", "GMOクレジット", "100", "0", "0", "0", "0", "100"))
	tb.add(eccube2Row("2", "8", "GMOクレジット", "100", "0", "0", "0", "0", "100"))
	tb.add(eccube2Row("3", "1", "GMOクレジット", "100", "0", "0", "0", "0", "100"))
	path := tb.file(t, EncodingCP932, true)
	pv := preview(t, db, path, preset(t, "eccube2"))
	assert.Equal(t, []UnknownWord{{Field: FPaymentMethod, Word: "GMOクレジット", Count: 3, Line: 2}, {Field: FStatus, Word: "8", Count: 1, Line: 3}},
		pv.UnknownWords)
	res, err := newImporter(db).Commit(context.Background(), Request{Path: path, Layout: preset(t, "eccube2"),
		Methods:  map[string]backend.PaymentMethod{"GMOクレジット": backend.MethodCard},
		Statuses: map[string]backend.OrderStatus{"8": backend.OrderOnHold}}, "")
	require.NoError(t, err)
	assert.Equal(t, 3, res.New)
	assert.Equal(t, backend.OrderOnHold, order(t, db, "2").Status)
	assert.Equal(t, backend.MethodCard, order(t, db, "3").PaymentMethod)
}

func TestProblemsAreCountedBeyondTheListedOnes(t *testing.T) {
	var rows []map[string]string
	for i := range 30 {
		rows = append(rows, kd(fmt.Sprint(i+1), "山田", "現金", 100, 1, 100, "新規受付"))
	}
	im := newImporter(newDB(t))
	im.MaxListed = 5
	pv, err := im.Preview(context.Background(), Request{Path: kdFile(t, rows...), Layout: preset(t, KessaiDesk)})
	require.NoError(t, err)
	assert.Len(t, pv.Problems, 5)
	assert.Equal(t, 30, pv.ProblemCount)
	assert.Equal(t, 30, pv.Invalid)
	assert.Equal(t, []UnknownWord{{Field: FPaymentMethod, Word: "現金", Count: 30, Line: 2}}, pv.UnknownWords)
}

func TestCommitRefusesAFileChangedSinceThePreview(t *testing.T) {
	db := newDB(t)
	path := kdFile(t, kd("1", "山田", "銀行振込", 1000, 1, 1000, "新規受付"))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	for _, same := range []bool{true, false} { // the importer that previewed (it keeps the first pass), or another
		im := newImporter(db)
		pv, err := im.Preview(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk)})
		require.NoError(t, err)
		// Same size, same modification time, another content: the hash tells.
		require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), "山田", "田中", 1)), 0o600))
		require.NoError(t, os.Chtimes(path, pv.File.ModTime, pv.File.ModTime))
		if !same {
			im = newImporter(db)
		}
		_, err = im.Commit(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk), Expect: &pv.File}, "")
		require.Error(t, err)
		assert.Contains(t, backend.ErrorMessage(err, "ja"), "ファイルが確認（プレビュー）の後に変更されています")
		assert.Zero(t, orderCount(t, db))
		require.NoError(t, os.WriteFile(path, data, 0o600))
	}

	// Touched: refused without reading.
	pv := preview(t, db, path, preset(t, KessaiDesk))
	require.NoError(t, os.Chtimes(path, time.Now().Add(time.Minute), time.Now().Add(time.Minute)))
	_, err = newImporter(db).Commit(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk), Expect: &pv.File}, "")
	assert.ErrorIs(t, err, errFileChanged)

	pv = preview(t, db, path, preset(t, KessaiDesk))
	_, err = newImporter(db).Commit(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk), Expect: &pv.File}, "")
	require.NoError(t, err)
	assert.Equal(t, 1, orderCount(t, db))
}

func TestCancellingMidwaySavesNothing(t *testing.T) {
	db := newDB(t)
	var rows []map[string]string
	for i := range 3000 {
		rows = append(rows, kd(fmt.Sprint(100000+i), "山田", "クレジットカード決済", 1000, 1, 1000, "新規受付"))
	}
	path := kdFile(t, rows...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var saw []string
	im := newImporter(db)
	im.Progress = func(p Progress) {
		saw = append(saw, p.Phase)
		if p.Phase == "save" && p.Rows > 0 {
			cancel()
		}
	}
	im.Progress(Progress{}) // the first call is not throttled away below
	_, err := im.Commit(ctx, Request{Path: path, Layout: preset(t, KessaiDesk)}, "")
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "取り込みを中止しました。何も保存していません")
	assert.Contains(t, saw, "save")
	assert.Zero(t, orderCount(t, db))
}

func TestProgressReportsBytesAndRows(t *testing.T) {
	var rows []map[string]string
	for i := range 600 {
		rows = append(rows, kd(fmt.Sprint(i+1), "山田", "銀行振込", 100, 1, 100, "新規受付"))
	}
	path := kdFile(t, rows...)
	st, err := os.Stat(path)
	require.NoError(t, err)
	var last map[string]Progress = map[string]Progress{}
	im := newImporter(newDB(t))
	im.Progress = func(p Progress) { last[p.Phase] = p }
	_, err = im.Commit(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk)}, "")
	require.NoError(t, err)
	assert.Equal(t, Progress{Phase: "check", Bytes: st.Size(), Total: st.Size(), Rows: 600}, last["check"])
	assert.Equal(t, Progress{Phase: "save", Bytes: st.Size(), Total: st.Size(), Rows: 600}, last["save"])
}

func TestTheDemoShopIsNeverMixedWithImportedOrders(t *testing.T) {
	db := newDB(t)
	demo := &backend.Order{OrderNo: "100001", OrderedAt: testNow, PaymentMethod: backend.MethodCard, Status: backend.OrderNew,
		Source: "demo", Subtotal: 100, Total: 100, Items: []backend.LineItem{{ProductName: "茶", UnitPrice: 100, Quantity: 1}}}
	require.NoError(t, db.SaveOrder(context.Background(), demo))
	path := kdFile(t, kd("100001", "山田", "銀行振込", 100, 1, 100, "新規受付"))
	_, err := newImporter(db).Preview(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk)})
	require.ErrorIs(t, err, ErrDemoPresent)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "設定 → デモを削除")
	_, err = newImporter(db).Commit(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk)}, "")
	require.ErrorIs(t, err, ErrDemoPresent)
	assert.Equal(t, "demo", order(t, db, "100001").Source)

	require.NoError(t, db.DeleteDemo(context.Background()))
	res := commit(t, db, path, preset(t, KessaiDesk))
	assert.Equal(t, 1, res.New)
}

func TestAFileThatCannotBeOpenedOrHasNoHeader(t *testing.T) {
	db := newDB(t)
	_, err := newImporter(db).Preview(context.Background(), Request{Path: "/nonexistent/orders.csv", Layout: preset(t, KessaiDesk)})
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	pv := preview(t, db, csvFile(t, EncodingUTF8, ""), preset(t, KessaiDesk))
	assert.True(t, pv.Fatal)
	assert.Contains(t, pv.Problems[0].Message, "空")
	_, err = newImporter(db).Preview(context.Background(), Request{Path: eccube4File(t, EncodingCP932), Layout: preset(t, "eccube2")})
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "「EC-CUBE 2 / カゴラボ」の取込に必要な列がありません")
}

func TestGatewayIDColumnsQueueTheOrderForLinking(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	// EC-CUBE 2 with columns the operator added (高度な設定): the GMO console's labels.
	header := append(append([]string{}, eccube2Header...), "オーダーID", "取引ID", "取引パスワード")
	tb := newTable(header...)
	tb.add(with(eccube2Row("50", "1", "クレジットカード決済", "1000", "0", "0", "0", "0", "1000"),
		map[string]string{"オーダーID": "50-20101530", "取引ID": "a1b2c3", "取引パスワード": "p4ss"}))
	tb.add(eccube2Row("51", "1", "クレジットカード決済", "1000", "0", "0", "0", "0", "1000"))
	tb.add(eccube2Row("52", "1", "銀行振込", "1000", "0", "0", "0", "0", "1000"))
	res, err := newImporter(db).Commit(ctx, Request{Path: tb.file(t, EncodingCP932, true), Layout: preset(t, "eccube2"), ProfileID: 7}, "")
	require.NoError(t, err)
	require.Equal(t, 3, res.New)

	l, err := db.LinkState(ctx, order(t, db, "50").ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkPending, l.Status)
	assert.Equal(t, backend.TransactionIDs{GatewayOrderID: "50-20101530", GatewayTranID: "a1b2c3", GatewayTranPass: "p4ss"}, l.Hint)
	assert.Equal(t, int64(7), l.HintProfileID)
	l, err = db.LinkState(ctx, order(t, db, "51").ID)
	require.NoError(t, err)
	assert.Equal(t, backend.LinkPending, l.Status, "no ids: the link run forms them from the order number")
	assert.Empty(t, l.Hint)
	_, err = db.LinkState(ctx, order(t, db, "52").ID)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err), "a bank transfer needs no link")
}

func TestAnOrderSavedBetweenPreviewAndCommitStopsTheCommit(t *testing.T) {
	db := newDB(t)
	path := kdFile(t, kd("1", "山田", "銀行振込", 1000, 1, 1000, "新規受付"), kd("2", "佐藤", "銀行振込", 500, 1, 500, "新規受付"))
	im := newImporter(db)
	pv, err := im.Preview(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk)})
	require.NoError(t, err)
	require.Equal(t, 2, pv.New)
	other := &backend.Order{OrderNo: "2", OrderedAt: testNow, PaymentMethod: backend.MethodOther, Status: backend.OrderNew, Source: "manual", Subtotal: 9, Total: 9}
	require.NoError(t, db.SaveOrder(context.Background(), other))
	_, err = im.Commit(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk), Expect: &pv.File}, "")
	require.Error(t, err)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "注文番号 2 の受注が確認の後に保存されています")
	assert.Equal(t, 1, orderCount(t, db), "nothing of the file is saved")

	// Previewed again, it is an update.
	pv, err = im.Preview(context.Background(), Request{Path: path, Layout: preset(t, KessaiDesk)})
	require.NoError(t, err)
	assert.Equal(t, []int{1, 1}, []int{pv.New, pv.Updated})
}

// What the store would refuse at the commit (amounts beyond backend.MaxOrderAmount,
// quantities beyond backend.MaxQuantity) is a problem of the preview, with its line.
func TestAmountsTheStoreRefusesAreProblemsOfThePreview(t *testing.T) {
	pv := preview(t, newDB(t), kdFile(t,
		kd("1", "山田", "銀行振込", 100_000_000_000, 1, 100_000_000_000, "新規受付"),
		kd("2", "山田", "銀行振込", 1, 2_000_000, 2_000_000, "新規受付"),
		kd("3", "山田", "銀行振込", 99_999_999_999, 1, 99_999_999_999, "新規受付")), preset(t, KessaiDesk))
	require.Len(t, pv.Problems, 2)
	assert.Equal(t, 2, pv.Problems[0].Line)
	assert.Contains(t, pv.Problems[0].Message, "扱える範囲（99,999,999,999円まで）を超えています")
	assert.Equal(t, 3, pv.Problems[1].Line)
	assert.Contains(t, pv.Problems[1].Message, "数量「2000000」は1000000以下で入力してください")
	assert.Equal(t, 1, pv.New, "the largest amount the store takes is fine")
}
