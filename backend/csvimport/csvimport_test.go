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
		Status: backend.OrderAwaitingDeposit, Memo: "のし希望, \"至急\"", Fee: 330, Shipping: 660,
		Items: []backend.LineItem{{ProductCode: "T-1", ProductName: "煎茶", Variant: "100g", UnitPrice: 1500, Quantity: 2},
			{ProductCode: "T-2", ProductName: "玉露", UnitPrice: 2400, Quantity: 1}}}
	o.Subtotal = 5400
	o.Total = o.ComputeTotal()
	return []*backend.Order{o}
}

func TestRoundTripInShiftJISAndUTF8WithBOM(t *testing.T) {
	for _, sjis := range []bool{true, false} {
		var buf bytes.Buffer
		require.NoError(t, Write(&buf, sample(), sjis))
		data := buf.Bytes()
		if !sjis {
			data = append([]byte("\xef\xbb\xbf"), data...)
		}
		got, err := Read(bytes.NewReader(data))
		require.NoError(t, err)
		require.Len(t, got, 1)
		want := sample()[0]
		assert.Equal(t, want.CustomerName, got[0].CustomerName)
		assert.Equal(t, want.Memo, got[0].Memo)
		assert.Equal(t, want.Total, got[0].Total)
		assert.Equal(t, want.Status, got[0].Status)
		assert.Equal(t, want.PaymentMethod, got[0].PaymentMethod)
		assert.True(t, want.OrderedAt.Equal(got[0].OrderedAt))
		assert.Len(t, got[0].Items, 2)
	}
}

func TestProblemsAreListedByLineAndNothingIsReturned(t *testing.T) {
	head := strings.Join(Columns, ",")
	_, err := Read(strings.NewReader(head + "\n" +
		"1001,2026/11/24 09:30:00,山田,ヤマダ,a@example.jp,090,カード払い,A,煎茶,,1000,0,0,0,0,0,1000,新規受付,\n" +
		"1002,24-11-2026,佐藤,サトウ,b@example.jp,090,クレジットカード決済,B,玉露,,abc,1,0,0,0,0,2000,新規受付,\n"))
	require.Error(t, err)
	msg := backend.ErrorMessage(err, "ja")
	assert.Contains(t, msg, "何も保存していません")
	assert.Contains(t, msg, "2行目: 支払方法「カード払い」は使えません")
	assert.Contains(t, msg, "2行目: 数量「0」")
	assert.Contains(t, msg, "3行目: 受注日時「24-11-2026」が読めません")
	assert.Contains(t, msg, "3行目: 「単価」が金額として読めません")
}

func TestTotalsMustAddUp(t *testing.T) {
	head := strings.Join(Columns, ",")
	_, err := Read(strings.NewReader(head + "\n1001,2026/11/24 09:30:00,山田,ヤマダ,a@example.jp,090,クレジットカード決済,A,煎茶,,1000,2,0,0,0,0,1500,新規受付,\n"))
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "合計金額 1,500円 が明細から計算した 2,000円 と一致しません")
}

func TestMissingColumnsAndGarbage(t *testing.T) {
	_, err := Read(strings.NewReader("受注番号,注文者名\n1,山田\n"))
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "列「受注日時」がありません")
	_, err = Read(bytes.NewReader([]byte{0xff, 0xfe, 0x00, 0x81}))
	require.Error(t, err)
	_, err = Read(strings.NewReader(""))
	require.Error(t, err)
}
