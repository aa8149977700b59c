package csvimport

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

func sample() []*backend.Order {
	o := &backend.Order{OrderNo: "1001", OrderedAt: time.Date(2026, 11, 24, 9, 30, 0, 0, backend.JST).UTC(), CustomerName: "髙橋 ～ 一郎",
		CustomerKana: "タカハシ イチロウ", Email: "t@example.jp", Tel: "090-1111-2222", PaymentMethod: backend.MethodKonbini,
		Status: backend.OrderAwaitingDeposit, Memo: "のし希望, \"至急\"\n=SUM(A1)", Fee: 330, Shipping: 660,
		Items: []backend.LineItem{{ProductCode: "T-1", ProductName: "煎茶", Variant: "100g", UnitPrice: 1500, Quantity: 2},
			{ProductCode: "-T-2", ProductName: "玉露", UnitPrice: 2400, Quantity: 1}}}
	o.Subtotal = 5400
	o.Total = o.ComputeTotal()
	return []*backend.Order{o}
}

func TestReadWriteRoundTripInShiftJISAndUTF8WithBOM(t *testing.T) {
	for _, sjis := range []bool{true, false} {
		var buf bytes.Buffer
		require.NoError(t, Write(&buf, sample(), sjis))
		assert.Equal(t, !sjis, bytes.HasPrefix(buf.Bytes(), utf8BOM))
		got, err := Read(bytes.NewReader(buf.Bytes()))
		require.NoError(t, err)
		require.Len(t, got, 1)
		want := sample()[0]
		want.Source, want.ShopStatus = "csv", want.Status.Label()
		got[0].UpdatedAt = time.Time{}
		assert.Equal(t, want, got[0])
	}
}

func TestReadListsProblemsByLineAndReturnsNoOrder(t *testing.T) {
	head := strings.Join(Columns, ",")
	orders, err := Read(strings.NewReader(head + "\n" +
		"1001,2026/11/24 09:30:00,山田,ヤマダ,a@example.jp,090,カード払い,A,煎茶,,1000,0,0,0,0,0,1000,新規受付,\n" +
		"1002,24-11-2026,佐藤,サトウ,b@example.jp,090,クレジットカード決済,B,玉露,,abc,1,0,0,0,0,2000,新規受付,\n" +
		"1003,2026/11/24 09:30:00,山田,ヤマダ,a@example.jp,090,クレジットカード決済,A,煎茶,,1000,2,0,0,0,0,1500,新規受付,\n"))
	require.Error(t, err)
	assert.Nil(t, orders)
	assert.Equal(t, "CSVを取り込めません（問題 5 件。何も保存していません）\n"+
		"2行目: 支払方法「カード払い」は使えません（対応表にない言葉です）\n"+
		"2行目: 数量「0」は1以上の数で入力してください\n"+
		"3行目: 受注日時「24-11-2026」が日時として読めません（例: 2026/11/24 09:30:00）\n"+
		"3行目: 「単価」が金額として読めません（\"abc\": 数字ではありません）\n"+
		"4行目: 合計金額 1,500円 が内訳の計算 2,000円 と一致しません（小計 2,000円 − 値引き 0円 + 送料 0円 + 手数料 0円 + 外税 0円 − ポイント 0円）",
		backend.ErrorMessage(err, "ja"))
}

func TestReadRefusesMissingColumnsGarbageAndEmptyFiles(t *testing.T) {
	_, err := Read(strings.NewReader("受注番号,注文者名\n1,山田\n"))
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "「受注日時」（注文日時）")
	_, err = Read(bytes.NewReader([]byte{0xff, 0xfe, 0x00, 0x81}))
	require.Error(t, err)
	_, err = Read(strings.NewReader(""))
	require.Error(t, err)
	_, err = Read(strings.NewReader(strings.Join(Columns, ",") + "\n"))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "受注が1件もありません")
}
