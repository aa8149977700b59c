package csvimport

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend/textenc"
)

// table builds a back office's CSV: its real header (duplicates and all) and rows
// given by column name ("送料#2" for the second 送料).
type table struct {
	header []string
	rows   [][]string
}

func newTable(header ...string) *table { return &table{header: header} }

func (tb *table) add(cells map[string]string) *table {
	names := ColumnNames(tb.header)
	rec := make([]string, len(names))
	used := 0
	for i, n := range names {
		if v, ok := cells[n]; ok {
			rec[i] = v
			used++
		}
	}
	if used != len(cells) {
		panic("a cell names no column of the header")
	}
	tb.rows = append(tb.rows, rec)
	return tb
}

// file writes the table with the line ending and encoding the back office uses.
func (tb *table) file(t testing.TB, enc Encoding, crlf bool) string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = crlf
	require.NoError(t, w.Write(tb.header))
	require.NoError(t, w.WriteAll(tb.rows))
	data := buf.Bytes()
	if enc == EncodingCP932 {
		var err error
		data, err = textenc.EncodeCP932(buf.String())
		require.NoError(t, err)
	}
	path := filepath.Join(t.TempDir(), "export.csv")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// eccube4Header is EC-CUBE 4's 受注CSV header as dtb_csv (csv_type 3) defines it,
// with its two 送料 columns.
var eccube4Header = []string{"注文ID", "注文番号", "会員ID", "お名前(姓)", "お名前(名)", "お名前(セイ)", "お名前(メイ)", "会社名",
	"郵便番号", "都道府県(ID)", "都道府県(名称)", "住所1", "住所2", "メールアドレス", "TEL", "性別(ID)", "性別(名称)", "職業(ID)",
	"職業(名称)", "誕生日", "ショップ用メモ欄", "小計", "値引き", "送料", "税金", "合計", "支払合計", "対応状況(ID)", "対応状況(名称)",
	"支払方法(ID)", "支払方法(名称)", "受注日", "入金日", "注文詳細ID", "商品ID", "商品規格ID", "商品名", "商品コード", "規格名1", "規格名2",
	"規格分類名1", "規格分類名2", "価格", "個数", "税率", "税率ルール(ID)", "明細区分(ID)", "明細区分(名称)", "出荷ID",
	"配送先_お名前(姓)", "配送先_お名前(名)", "配送先_お名前(セイ)", "配送先_お名前(メイ)", "配送先_会社名", "配送先_郵便番号",
	"配送先_都道府県(ID)", "配送先_都道府県(名称)", "配送先_住所1", "配送先_住所2", "配送先_TEL", "配送業者(ID)", "配送業者(名称)",
	"お届け時間ID", "お届け時間(名称)", "お届け希望日", "送料ID", "送料", "発送日", "出荷伝票番号", "配達用メモ", "出荷メール送信日"}

// eccube4Order is the order columns of one EC-CUBE 4 order, repeated on its rows.
func eccube4Order(id, no, status, statusName, method string, subtotal, delivery, total string) map[string]string {
	return map[string]string{"注文ID": id, "注文番号": no, "会員ID": "12", "お名前(姓)": "髙橋", "お名前(名)": "一郎",
		"お名前(セイ)": "タカハシ", "お名前(メイ)": "イチロウ", "郵便番号": "1500001", "都道府県(ID)": "13", "都道府県(名称)": "東京都",
		"住所1": "渋谷区神宮前1-2-3", "住所2": "ハイツ101", "メールアドレス": "ichiro@example.jp", "TEL": "09011112222",
		"ショップ用メモ欄": "のし希望\n午前着", "小計": subtotal, "値引き": "500.00", "送料": delivery, "税金": "321.00",
		"合計": total, "支払合計": total, "対応状況(ID)": status, "対応状況(名称)": statusName, "支払方法(ID)": "5",
		"支払方法(名称)": method, "受注日": "2026-11-20 14:03:09", "出荷ID": "7", "配送先_お名前(姓)": "髙橋", "配送先_お名前(名)": "花子",
		"配送先_郵便番号": "1500001", "配送先_都道府県(名称)": "東京都", "配送先_住所1": "渋谷区神宮前1-2-3", "配送先_TEL": "0312345678",
		"配送業者(名称)": "ヤマト運輸", "送料#2": delivery, "出荷伝票番号": "1234-5678-9012"}
}

func with(base map[string]string, cells map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range cells {
		out[k] = v
	}
	return out
}

// eccube4Line is one OrderItem row: kind id and name, price (EC-CUBE 4 writes
// decimals), quantity, tax rate.
func eccube4Line(kindID, kindName, name, code, price, qty, rate string) map[string]string {
	return map[string]string{"明細区分(ID)": kindID, "明細区分(名称)": kindName, "商品名": name, "商品コード": code,
		"価格": price, "個数": qty, "税率": rate, "税率ルール(ID)": ""}
}

// eccube4File: order 1001 with every kind of line (two products at 10 % and 8 %, 送料,
// 手数料, 割引, 税, ポイント) and a multi-line memo; order 1002 a shipped card order.
func eccube4File(t testing.TB, enc Encoding) string {
	o1 := eccube4Order("1001", "1001", "1", "新規受付", "クレジットカード決済", "3533.00", "800.00", "4113.00")
	o2 := eccube4Order("1002", "1002", "5", "発送済み", "銀行振込", "3300.00", "0.00", "3300.00")
	tb := newTable(eccube4Header...)
	// 煎茶 1,000 + 10 % = 1,100 × 2; 玉露 1,234 + round(98.72) = 1,333 at 8 %.
	tb.add(with(o1, with(eccube4Line("1", "商品", "煎茶", "T-1", "1000.00", "2", "10"), map[string]string{"規格分類名1": "100g", "規格分類名2": "缶"})))
	tb.add(with(o1, eccube4Line("1", "商品", "玉露", "T-2", "1234.00", "1", "8")))
	tb.add(with(o1, eccube4Line("2", "送料", "送料", "", "800.00", "1", "10")))
	tb.add(with(o1, eccube4Line("3", "手数料", "代引手数料", "", "330.00", "1", "10")))
	tb.add(with(o1, eccube4Line("4", "割引", "クーポン", "", "-500.00", "1", "10")))
	tb.add(with(o1, eccube4Line("5", "税", "税", "", "50.00", "1", "0")))
	tb.add(with(o1, eccube4Line("6", "ポイント", "ポイント", "", "-100.00", "1", "0")))
	tb.add(with(o2, eccube4Line("1", "商品", "急須", "K-1", "3000.00", "1", "10")))
	tb.add(with(o2, eccube4Line("2", "送料", "送料", "", "0.00", "1", "10")))
	tb.add(with(o2, eccube4Line("3", "手数料", "手数料", "", "0.00", "1", "10")))
	return tb.file(t, enc, false) // EC-CUBE 4 writes LF (PHP fputcsv)
}

// eccube2Header is EC-CUBE 2's 受注管理 CSV (dtb_csv csv_id 3).
var eccube2Header = []string{"注文番号", "会員ID", "要望等", "お名前(姓)", "お名前(名)", "お名前(フリガナ・姓)", "お名前(フリガナ名)",
	"会社名", "メールアドレス", "電話番号1", "電話番号2", "電話番号3", "FAX1", "FAX2", "FAX3", "郵便番号1", "郵便番号2", "都道府県",
	"住所1", "住所2", "性別", "生年月日", "職種", "小計", "値引き", "送料", "手数料", "使用ポイント", "加算ポイント", "税金", "合計",
	"お支払い合計", "配送業者ID", "支払い方法", "SHOPメモ", "対応状況", "注文日時", "更新日時", "発送完了日時", "端末種別ID", "配送先数", "配送情報ID"}

func eccube2Row(no, status, method, subtotal, discount, shipping, fee, points, total string) map[string]string {
	return map[string]string{"注文番号": no, "会員ID": "0", "要望等": "", "お名前(姓)": "佐藤", "お名前(名)": "花子",
		"お名前(フリガナ・姓)": "サトウ", "お名前(フリガナ名)": "ハナコ", "メールアドレス": "hanako@example.jp", "電話番号1": "03",
		"電話番号2": "1234", "電話番号3": "5678", "郵便番号1": "530", "郵便番号2": "0001", "都道府県": "大阪府", "住所1": "大阪市北区梅田",
		"住所2": "1-1-1", "小計": subtotal, "値引き": discount, "送料": shipping, "手数料": fee, "使用ポイント": points,
		"加算ポイント": "30", "税金": "200", "合計": total, "お支払い合計": total, "支払い方法": method, "SHOPメモ": "",
		"対応状況": status, "注文日時": "2013-05-20 12:34:56.123456", "更新日時": "2013-05-21 09:00:00"}
}
