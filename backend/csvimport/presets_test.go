package csvimport

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

func TestEveryPresetIsUsable(t *testing.T) {
	ps := Presets()
	var names []string
	for _, l := range ps {
		names = append(names, l.Name)
		assert.NoError(t, l.Check(), l.Name)
		assert.True(t, l.Builtin)
		assert.NotEmpty(t, l.Label)
	}
	assert.Equal(t, []string{"eccube4", "eccube2", "futureshop", "makeshop", "kessaidesk"}, names)
	// A copy: changing it changes nothing in the package.
	ps[0].Fields[FOrderNo] = Column{Columns: []string{"x"}}
	assert.Equal(t, []string{"注文番号"}, preset(t, "eccube4").Fields[FOrderNo].Columns)
}

func TestSuggestPicksThePresetOfAHeader(t *testing.T) {
	assert.Equal(t, "eccube4", Suggest(eccube4Header))
	assert.Equal(t, "eccube2", Suggest(eccube2Header))
	assert.Equal(t, "kessaidesk", Suggest(Columns))
	assert.Equal(t, "futureshop", Suggest(futureshopHeader))
	assert.Equal(t, "makeshop", Suggest(makeshopHeader))
	assert.Equal(t, "", Suggest([]string{"id", "name"}))
}

func TestValidateNamesTheMissingColumnsInJapanese(t *testing.T) {
	l := preset(t, "eccube4")
	err := l.Validate([]string{"注文番号", "お名前(姓)", "支払合計"})
	require.Error(t, err)
	msg := backend.ErrorMessage(err, "ja")
	assert.Contains(t, msg, "「受注日」（注文日時）")
	assert.Contains(t, msg, "「支払方法(名称)」（支払方法）")
	assert.Contains(t, msg, "「価格」（単価）")
	assert.NotContains(t, msg, "注文番号」")
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.NoError(t, l.Validate(eccube4Header))
}

func TestEcCube4LinesTaxAndDuplicateHeader(t *testing.T) {
	for _, enc := range []Encoding{EncodingCP932, EncodingUTF8} {
		t.Run(string(enc), func(t *testing.T) {
			db := newDB(t)
			path := eccube4File(t, enc)
			pv := preview(t, db, path, preset(t, "eccube4"))
			require.True(t, pv.OK(), "%+v", pv.Problems)
			assert.Equal(t, enc, pv.Encoding)
			assert.Equal(t, 10, pv.Rows)
			assert.Equal(t, 2, pv.Orders)
			assert.Equal(t, 2, pv.New)
			assert.Contains(t, pv.Header, "送料#2")
			assert.Zero(t, orderCount(t, db), "a preview saves nothing")

			res := commit(t, db, path, preset(t, "eccube4"))
			assert.Equal(t, 2, res.New)
			o := order(t, db, "1001")
			assert.Equal(t, []backend.LineItem{
				{ProductCode: "T-1", ProductName: "煎茶", Variant: "100g / 缶", UnitPrice: 1100, Quantity: 2},
				{ProductCode: "T-2", ProductName: "玉露", UnitPrice: 1333, Quantity: 1},
			}, o.Items)
			assert.Equal(t, backend.Yen(3533), o.Subtotal)
			assert.Equal(t, backend.Yen(500), o.Discount)
			assert.Equal(t, backend.Yen(800), o.Shipping)
			assert.Equal(t, backend.Yen(330), o.Fee)
			assert.Equal(t, backend.Yen(50), o.Tax)
			assert.Equal(t, backend.Yen(100), o.PointsUsed)
			assert.Equal(t, backend.Yen(4113), o.Total)
			assert.Equal(t, "髙橋 一郎", o.CustomerName)
			assert.Equal(t, "タカハシ イチロウ", o.CustomerKana)
			assert.Equal(t, "東京都 渋谷区神宮前1-2-3 ハイツ101", o.Address)
			assert.Equal(t, "髙橋 花子", o.ShipName)
			assert.Equal(t, "1234-5678-9012", o.TrackingNo)
			assert.Equal(t, "ヤマト運輸", o.DeliveryMethod)
			assert.Equal(t, "のし希望\n午前着", o.Memo)
			assert.Equal(t, backend.MethodCard, o.PaymentMethod)
			assert.Equal(t, backend.OrderNew, o.Status)
			assert.Equal(t, "新規受付", o.ShopStatus)
			assert.Equal(t, "csv", o.Source)
			assert.True(t, time.Date(2026, 11, 20, 14, 3, 9, 0, backend.JST).Equal(o.OrderedAt))

			o2 := order(t, db, "1002")
			assert.Equal(t, backend.OrderShipped, o2.Status)
			assert.Equal(t, backend.MethodOther, o2.PaymentMethod)
			assert.Equal(t, backend.Yen(3300), o2.Total)
		})
	}
}

func TestEcCube4TaxRoundingFollowsTheLayout(t *testing.T) {
	// 1,005 × 8 % = 80.4: 四捨五入 80, 切り上げ 81.
	o := eccube4Order("1", "1", "1", "新規受付", "銀行振込", "1085.00", "0.00", "1085.00")
	path := newTable(eccube4Header...).add(with(o, eccube4Line("1", "商品", "茶", "", "1005.00", "1", "8"))).file(t, EncodingCP932, false)
	pv := preview(t, newDB(t), path, preset(t, "eccube4"))
	assert.True(t, pv.OK(), "%+v", pv.Problems)

	l := preset(t, "eccube4")
	l.TaxRounding = "ceil"
	pv = preview(t, newDB(t), path, l)
	require.Len(t, pv.Problems, 1)
	assert.Equal(t, "小計 1,085円 が商品の合計 1,086円 と一致しません", pv.Problems[0].Message)
	assert.Equal(t, 2, pv.Problems[0].Line)
	assert.Equal(t, "小計", pv.Problems[0].Column)
}

func TestRoundTax(t *testing.T) {
	for _, c := range []struct {
		n    int64
		rule string
		want backend.Yen
	}{
		{1050, "round", 11}, {1049, "round", 10}, {1050, "floor", 10}, {1001, "ceil", 11}, {1000, "ceil", 10},
		{-1050, "round", -11}, {-1049, "round", -10}, {-1050, "floor", -11}, {-1050, "ceil", -10},
	} {
		assert.Equal(t, c.want, roundTax(c.n, c.rule), "%d %s", c.n, c.rule)
	}
}

func TestEcCube2OneRowPerOrderInCP932WithCRLF(t *testing.T) {
	db := newDB(t)
	tb := newTable(eccube2Header...)
	tb.add(eccube2Row("19", "6", "クレジットカード決済", "5000", "200", "800", "0", "100", "5500"))
	tb.add(eccube2Row("20", "3", "銀行振込", "3000", "0", "0", "330", "0", "3330"))
	path := tb.file(t, EncodingCP932, true)
	assert.Equal(t, "eccube2", Suggest(eccube2Header))
	res := commit(t, db, path, preset(t, "eccube2"))
	require.True(t, res.OK(), "%+v", res.Problems)
	assert.Equal(t, EncodingCP932, res.Encoding)
	assert.Equal(t, 2, res.New)
	o := order(t, db, "19")
	assert.Equal(t, "佐藤 花子", o.CustomerName)
	assert.Equal(t, "サトウ ハナコ", o.CustomerKana)
	assert.Equal(t, "03-1234-5678", o.Tel)
	assert.Equal(t, "530-0001", o.Zip)
	assert.Equal(t, "大阪府 大阪市北区梅田 1-1-1", o.Address)
	assert.Equal(t, backend.OrderPaid, o.Status)
	assert.Equal(t, "6", o.ShopStatus)
	assert.Equal(t, backend.MethodCard, o.PaymentMethod)
	assert.Empty(t, o.Items)
	assert.Equal(t, [6]backend.Yen{5000, 200, 800, 0, 100, 5500}, [6]backend.Yen{o.Subtotal, o.Discount, o.Shipping, o.Fee, o.PointsUsed, o.Total})
	assert.True(t, time.Date(2013, 5, 20, 12, 34, 56, 123000000, backend.JST).Equal(o.OrderedAt))
	assert.Equal(t, backend.OrderCancelled, order(t, db, "20").Status)
}

var futureshopHeader = []string{"受注コード", "注文日時", "請求合計金額", "商品合計金額", "消費税合計", "包装手数料", "送料",
	"決済手数料", "クール便手数料", "その他手数料", "決済方法", "コンビニ区分", "コンビニ支払番号", "通信欄", "ショップメモ", "入金フラグ",
	"入金確認日", "氏名(姓)", "氏名(名)", "フリガナ(姓)", "フリガナ(名)", "メールアドレス", "郵便番号", "都道府県区分", "住所1", "住所2",
	"住所3", "電話番号(メイン)", "お届け先氏名(姓)", "お届け先氏名(名)", "お届け先郵便番号", "お届け先都道府県区分", "お届け先住所1",
	"お届け希望日", "お届け希望時間", "商品番号", "枝番号", "商品名", "バリエーション名", "オプション価格", "販売単価", "購入数量",
	"ポイント利用の有無", "ポイント利用額", "配送サービス", "割引合計金額(商品)", "割引合計金額(送料)"}

func TestFutureshopSumsFeeAndDiscountColumns(t *testing.T) {
	db := newDB(t)
	order := map[string]string{"受注コード": "FS-000123", "注文日時": "2026/11/21 08:15:00", "請求合計金額": "6,380",
		"商品合計金額": "6,600", "消費税合計": "600", "包装手数料": "110", "送料": "550", "決済手数料": "330", "クール便手数料": "0",
		"その他手数料": "", "決済方法": "クレジットカード決済", "氏名(姓)": "鈴木", "氏名(名)": "次郎", "フリガナ(姓)": "スズキ",
		"フリガナ(名)": "ジロウ", "メールアドレス": "jiro@example.jp", "郵便番号": "460-0008", "都道府県区分": "愛知県",
		"住所1": "名古屋市中区栄", "住所2": "2-3-4", "電話番号(メイン)": "052-000-1111", "お届け先氏名(姓)": "鈴木",
		"お届け先氏名(名)": "次郎", "ポイント利用額": "210", "配送サービス": "佐川急便", "割引合計金額(商品)": "500",
		"割引合計金額(送料)": "500"}
	tb := newTable(futureshopHeader...)
	tb.add(with(order, map[string]string{"商品番号": "G-1", "商品名": "ギフトセット", "バリエーション名": "大", "オプション価格": "200",
		"販売単価": "2,000", "購入数量": "2"}))
	tb.add(with(order, map[string]string{"商品番号": "G-2", "商品名": "包装紙", "販売単価": "2,200", "購入数量": "1"}))
	path := tb.file(t, EncodingCP932, true)
	res := commit(t, db, path, preset(t, "futureshop"))
	require.True(t, res.OK(), "%+v", res.Problems)
	o := orderOf(t, db, "FS-000123")
	assert.Equal(t, backend.Yen(440), o.Fee)
	assert.Equal(t, backend.Yen(1000), o.Discount)
	assert.Equal(t, backend.Yen(210), o.PointsUsed)
	assert.Equal(t, backend.Yen(6380), o.Total)
	assert.Equal(t, backend.Yen(2200), o.Items[0].UnitPrice)
	assert.Equal(t, "愛知県 名古屋市中区栄 2-3-4", o.Address)
	assert.Equal(t, "佐川急便", o.DeliveryMethod)
}

var makeshopHeader = []string{"日付", "注文時間", "注文番号", "処理状況", "注文者", "注文者(振り仮名)", "注文者メールアドレス",
	"注文者電話番号", "支払方法", "商品合計", "送料", "手数料", "使用ポイント", "合計金額", "独自商品コード", "商品名", "オプション",
	"販売価格", "数量"}

func TestMakeShopCombinesDateAndTime(t *testing.T) {
	db := newDB(t)
	row := map[string]string{"日付": "2022/8/10", "注文時間": "103309", "注文番号": "P171323551145213731", "処理状況": "未処理",
		"注文者": "山田太郎", "注文者(振り仮名)": "ヤマダタロウ", "注文者メールアドレス": "taro@example.jp", "注文者電話番号": "090-0000-1111",
		"支払方法": "クレジットカード決済", "商品合計": "3000", "送料": "600", "手数料": "0", "使用ポイント": "0", "合計金額": "3600",
		"独自商品コード": "A-1", "商品名": "タオル", "オプション": "白", "販売価格": "1500", "数量": "2"}
	morning := with(row, map[string]string{"注文番号": "P171323551145213732", "注文時間": "93309", "処理状況": "配送"})
	path := newTable(makeshopHeader...).add(row).add(morning).file(t, EncodingCP932, true)
	res := commit(t, db, path, preset(t, "makeshop"))
	require.True(t, res.OK(), "%+v", res.Problems)
	o := orderOf(t, db, "P171323551145213731")
	assert.True(t, time.Date(2022, 8, 10, 10, 33, 9, 0, backend.JST).Equal(o.OrderedAt), o.OrderedAt)
	assert.Equal(t, "山田太郎", o.CustomerName)
	assert.Equal(t, backend.OrderNew, o.Status)
	// Excel drops the leading zero of 093309.
	o = orderOf(t, db, "P171323551145213732")
	assert.True(t, time.Date(2022, 8, 10, 9, 33, 9, 0, backend.JST).Equal(o.OrderedAt), o.OrderedAt)
	assert.Equal(t, backend.OrderShipped, o.Status)
}

func orderOf(t testing.TB, db interface {
	OrderByNo(context.Context, string) (*backend.Order, error)
}, no string) *backend.Order {
	o, err := db.OrderByNo(context.Background(), no)
	require.NoError(t, err)
	return o
}

func TestACustomMappingBuiltByPickingColumns(t *testing.T) {
	db := newDB(t)
	// A spreadsheet of the shop's own: the second 金額 is the total, name in two columns.
	header := []string{"伝票", "日時", "姓", "名", "払い方", "金額", "品名", "単価", "数", "金額", "AccessID"}
	l := Layout{Name: "my-sheet", Label: "自作の表", Rows: RowsPerItem, Fields: map[FieldID]Column{
		FOrderNo: {Columns: []string{"伝票"}}, FOrderedAt: {Columns: []string{"日時"}},
		FCustomerName: {Columns: []string{"姓", "名"}, Join: "　"}, FPaymentMethod: {Columns: []string{"払い方"}},
		FProductName: {Columns: []string{"品名"}}, FUnitPrice: {Columns: []string{"単価"}}, FQuantity: {Columns: []string{"数"}},
		FTotal: {Columns: []string{"金額#2"}}, FGatewayTranID: {Columns: []string{"AccessID"}},
	}, Methods: map[string]backend.PaymentMethod{"カード": backend.MethodCard}}
	require.NoError(t, l.Check())
	path := csvFile(t, EncodingUTF8, "\n", strings.Join(header, ","),
		"A-1,2026/11/01 10:00,田中,実,カード,999,ペン,300,2,600,acc-1",
		"A-1,2026/11/01 10:00,田中,実,カード,999,ノート,0,1,600,acc-1")
	res := commit(t, db, path, l)
	require.True(t, res.OK(), "%+v", res.Problems)
	o := order(t, db, "A-1")
	assert.Equal(t, "田中　実", o.CustomerName)
	assert.Equal(t, backend.Yen(600), o.Total)
	assert.Len(t, o.Items, 2)
}

func TestLayoutsAreSavedByNameAndPresetEditsOverlay(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	own := Layout{Name: "my-sheet", Label: "自作の表", Rows: RowsPerOrder, Fields: map[FieldID]Column{
		FOrderNo: {Columns: []string{"No"}}, FOrderedAt: {Columns: []string{"日時"}}, FPaymentMethod: {Columns: []string{"支払"}},
		FSubtotal: {Columns: []string{"小計"}}, FTotal: {Columns: []string{"合計"}}}}
	require.NoError(t, SaveLayout(ctx, db, own))
	// An edit of a preset keeps only what the operator changed, over the preset.
	require.NoError(t, SaveLayout(ctx, db, Layout{Name: "eccube4", Methods: map[string]backend.PaymentMethod{"GMOカード": backend.MethodCard}}))
	bad := own
	bad.Name, bad.Fields = "broken", map[FieldID]Column{FOrderNo: {Columns: []string{"No"}}}
	err := SaveLayout(ctx, db, bad)
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "必須の項目「お支払い合計」の列が選ばれていません")

	all, err := Layouts(ctx, db)
	require.NoError(t, err)
	require.Len(t, all, 6)
	assert.Equal(t, "eccube4", all[0].Name)
	assert.Equal(t, backend.MethodCard, all[0].Methods["GMOカード"])
	assert.Equal(t, backend.MethodOther, all[0].Methods["銀行振込"], "the preset's words stay")
	assert.Equal(t, []string{"注文番号"}, all[0].Fields[FOrderNo].Columns)
	assert.Equal(t, "my-sheet", all[5].Name)

	got, err := FindLayout(ctx, db, "my-sheet")
	require.NoError(t, err)
	b1, _ := json.Marshal(got)
	b2, _ := json.Marshal(own)
	assert.JSONEq(t, string(b2), string(b1))

	require.NoError(t, DeleteLayout(ctx, db, "eccube4"))
	l, err := FindLayout(ctx, db, "eccube4")
	require.NoError(t, err)
	assert.NotContains(t, l.Methods, "GMOカード")
	_, err = FindLayout(ctx, db, "nothing")
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
}

func TestInspectReadsTheHeaderAndSuggestsAPreset(t *testing.T) {
	info, err := Inspect(eccube4File(t, EncodingCP932), EncodingAuto, 2)
	require.NoError(t, err)
	assert.Equal(t, EncodingCP932, info.Encoding)
	assert.Equal(t, "eccube4", info.Suggest)
	assert.Contains(t, info.Header, "送料#2")
	require.Len(t, info.Sample, 2)
	assert.Equal(t, "1001", info.Sample[0][1])
	assert.Equal(t, "のし希望\n午前着", info.Sample[0][20])
	_, err = Inspect("/nonexistent.csv", EncodingAuto, 2)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	_, err = Inspect(csvFile(t, EncodingUTF8, ""), EncodingAuto, 2)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "空")
}
