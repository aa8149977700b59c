package csvimport

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/textenc"
)

// shopOrders are orders with everything an export must carry: lines or none,
// delivery, 外税, points, a multi-line memo, cells Excel would run as formulas.
func shopOrders() []*backend.Order {
	at := time.Date(2026, 11, 20, 9, 5, 7, 0, backend.JST).UTC()
	mk := func(no string, m backend.PaymentMethod, st backend.OrderStatus, items []backend.LineItem, sub, disc, ship, fee, tax, pts backend.Yen) *backend.Order {
		o := &backend.Order{OrderNo: no, OrderedAt: at, CustomerName: "髙橋 一郎", CustomerKana: "タカハシ イチロウ", Email: "t@example.jp",
			Tel: "090-1111-2222", PaymentMethod: m, Status: st, Items: items, Subtotal: sub, Discount: disc, Shipping: ship, Fee: fee,
			Tax: tax, PointsUsed: pts, Source: "csv", Zip: "150-0001", Address: "東京都 渋谷区神宮前1-2-3",
			ShipName: "髙橋 花子", ShipZip: "150-0002", ShipAddress: "東京都 渋谷区渋谷2-2-2", ShipTel: "03-1234-5678",
			DeliveryMethod: "ヤマト運輸", TrackingNo: "1234-5678", ShopStatus: st.Label()}
		o.Total = o.ComputeTotal()
		return o
	}
	a := mk("1001", backend.MethodCard, backend.OrderPaid, []backend.LineItem{
		{ProductCode: "T-1", ProductName: "煎茶", Variant: "100g / 缶", UnitPrice: 1100, Quantity: 2},
		{ProductCode: "-5", ProductName: "=HYPERLINK(\"http://evil\")", Variant: "+1", UnitPrice: 0, Quantity: 1},
	}, 2200, 200, 800, 330, 0, 100)
	a.Memo = "のし希望\n@午前着, \"至急\""
	a.CustomerName = "'引用 さん"
	b := mk("1002", backend.MethodOther, backend.OrderShipped, nil, 5000, 0, 0, 0, 500, 0) // EC-CUBE 2: no lines; 外税
	b.Tel = "\t0312345678"
	c := mk("P171323551145213731", backend.MethodKonbini, backend.OrderAwaitingDeposit, []backend.LineItem{
		{ProductName: "タオル", UnitPrice: 1500, Quantity: 3}}, 4500, 0, 600, 0, 0, 0)
	return []*backend.Order{a, b, c}
}

func exportAll(t testing.TB, db *sqlite.DB, enc Encoding) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := Export(context.Background(), &buf, db, backend.OrderFilter{Sort: "order_no_asc"}, enc, nil)
	require.NoError(t, err)
	require.Positive(t, n)
	return buf.Bytes()
}

func TestExportImportRoundTripGivesTheSameOrders(t *testing.T) {
	for _, enc := range []Encoding{EncodingCP932, EncodingUTF8} {
		t.Run(string(enc), func(t *testing.T) {
			ctx := context.Background()
			src := newDB(t)
			require.NoError(t, src.SaveOrders(ctx, shopOrders()))
			capture(t, src, "1001")
			data := exportAll(t, src, enc)
			assert.NotContains(t, string(data), "secret-pass", "never an AccessPass")
			if enc == EncodingUTF8 {
				assert.True(t, bytes.HasPrefix(data, utf8BOM))
			} else {
				_, err := textenc.DecodeCP932(data)
				require.NoError(t, err)
			}
			path := filepath.Join(t.TempDir(), "export.csv")
			require.NoError(t, os.WriteFile(path, data, 0o600))

			dst := newDB(t)
			assert.Equal(t, KessaiDesk, Suggest(headerOf(t, path)))
			res := commit(t, dst, path, preset(t, KessaiDesk))
			require.True(t, res.OK(), "%+v", res.Problems)
			assert.Equal(t, 3, res.New)
			for _, want := range shopOrders() {
				got := order(t, dst, want.OrderNo)
				got.ID, got.UpdatedAt, want.UpdatedAt = 0, time.Time{}, time.Time{}
				if want.OrderNo == "1001" {
					want.Status, want.ShopStatus = backend.OrderPaid, "入金済み" // as the capture left it
				}
				assert.Equal(t, want, got)
			}
			// Exported again from the copy, the file is the same but for the payment columns.
			again := exportAll(t, dst, enc)
			assert.Equal(t, withoutPayment(t, data, enc), withoutPayment(t, again, enc))
		})
	}
}

func headerOf(t testing.TB, path string) []string {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	enc, err := Detect(f)
	require.NoError(t, err)
	f.Seek(0, io.SeekStart)
	rd, err := NewReader(f, enc)
	require.NoError(t, err)
	return rd.Header()
}

// records decodes an export.
func records(t testing.TB, data []byte, enc Encoding) [][]string {
	text := string(bytes.TrimPrefix(data, utf8BOM))
	if enc == EncodingCP932 {
		var err error
		text, err = textenc.DecodeCP932(data)
		require.NoError(t, err)
	}
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	require.NoError(t, err)
	return recs
}

func withoutPayment(t testing.TB, data []byte, enc Encoding) [][]string {
	var out [][]string
	for _, r := range records(t, data, enc) {
		out = append(out, r[:len(r)-3])
	}
	return out
}

func TestExportEscapesFormulasAndCarriesThePayment(t *testing.T) {
	db := newDB(t)
	require.NoError(t, db.SaveOrders(context.Background(), shopOrders()))
	capture(t, db, "1001")
	recs := records(t, exportAll(t, db, EncodingUTF8), EncodingUTF8)
	assert.Equal(t, Columns, recs[0])
	require.Len(t, recs, 5, "header, two lines of 1001, one row for 1002 (no lines), 1 line of P…")
	col := map[string]int{}
	for i, c := range recs[0] {
		col[c] = i
	}
	for _, r := range recs[1:] {
		for i, v := range r {
			if v != "" {
				assert.NotContains(t, "=+-@\t\r", v[:1], "column %s: %q would run as a formula", recs[0][i], v)
			}
		}
	}
	rows := map[string][][]string{}
	for _, r := range recs[1:] {
		rows[r[0]] = append(rows[r[0]], r)
	}
	a, b := rows["1001"], rows["1002"]
	require.Len(t, a, 2)
	require.Len(t, b, 1)
	assert.Equal(t, `'=HYPERLINK("http://evil")`, a[1][col["商品名"]])
	assert.Equal(t, "'-5", a[1][col["商品コード"]])
	assert.Equal(t, "'+1", a[1][col["バリエーション"]])
	assert.Equal(t, "''引用 さん", a[0][col["注文者名"]])
	assert.Equal(t, "のし希望\n@午前着, \"至急\"", a[0][col["メモ"]], "only the first character matters")
	assert.Equal(t, "'\t0312345678", b[0][col["電話番号"]])
	assert.Equal(t, "実売上", a[1][col["決済状態"]])
	assert.Equal(t, "GMO-1001", a[1][col["決済オーダーID"]])
	assert.Equal(t, "access-1001", a[1][col["決済取引ID"]])
	assert.Equal(t, "", b[0][col["決済状態"]])
	assert.Equal(t, []string{"", "", "", ""}, []string{b[0][col["商品名"]], b[0][col["単価"]], b[0][col["数量"]], b[0][col["商品コード"]]})
	assert.Equal(t, "5000", b[0][col["小計"]])
	assert.Equal(t, "500", b[0][col["外税"]])
	assert.Equal(t, "2026/11/20 09:05:07", a[0][col["受注日時"]])
}

func TestFormulaEscapingReadsBackUnchanged(t *testing.T) {
	for _, s := range []string{"=1+1", "+81", "-", "@a", "\tx", "\rx", "'", "'=x", "''", "'a", "a'", "", "普通"} {
		assert.Equal(t, s, unescapeFormula(escapeFormula(s)), "%q", s)
	}
	assert.Equal(t, "'a", unescapeFormula("'a"), "an operator's own quote stays")
}

func TestExportInShiftJISNamesTheCharacterItCannotWrite(t *testing.T) {
	db := newDB(t)
	orders := shopOrders()
	orders[1].Memo = "ありがとう😀"
	require.NoError(t, db.SaveOrders(context.Background(), orders))
	var buf bytes.Buffer
	_, err := Export(context.Background(), &buf, db, backend.OrderFilter{Sort: "order_no_asc"}, EncodingCP932, nil)
	require.Error(t, err)
	assert.Equal(t, "注文番号 1002 の「メモ」に Shift_JIS（CP932）で書けない文字「😀」(U+1F600) があります。UTF-8（BOM付き）で書き出すか、この文字を直してください。書き出し先のファイルは変更していません",
		backend.ErrorMessage(err, "ja"))
	buf.Reset()
	_, err = Export(context.Background(), &buf, db, backend.OrderFilter{}, EncodingUTF8, nil)
	require.NoError(t, err)
	assert.Contains(t, buf.String(), "😀")
}

func TestExportFollowsTheSearchFilterAndReportsProgress(t *testing.T) {
	db := newDB(t)
	require.NoError(t, db.SaveOrders(context.Background(), shopOrders()))
	var buf bytes.Buffer
	var calls [][2]int
	n, err := Export(context.Background(), &buf, db, backend.OrderFilter{Statuses: []backend.OrderStatus{backend.OrderPaid, backend.OrderShipped}},
		EncodingUTF8, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, [][2]int{{2, 2}}, calls)
	recs := records(t, buf.Bytes(), EncodingUTF8)
	assert.Len(t, recs, 4)
	assert.Equal(t, "1002", recs[1][0], "newest first, the search's default sort (1002 and 1001 share a time: higher id first)")
}

func TestWriteFileAtomicNeverDestroysTheExistingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "orders.csv")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o640))
	boom := errors.New("disk full")
	err := WriteFileAtomic(path, "", func(w io.Writer) error {
		w.Write([]byte("half a file"))
		return boom
	})
	assert.ErrorIs(t, err, boom)
	got, _ := os.ReadFile(path)
	assert.Equal(t, "old", string(got))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temporary file is left behind")

	require.NoError(t, WriteFileAtomic(path, "", func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }))
	got, _ = os.ReadFile(path)
	assert.Equal(t, "new", string(got))
	st, _ := os.Stat(path)
	assert.Equal(t, os.FileMode(0o640), st.Mode().Perm(), "the replaced file keeps its permissions")
}

func TestWriteFileAtomicRefusesTheDataFolder(t *testing.T) {
	data := t.TempDir()
	for _, p := range []string{filepath.Join(data, "orders.csv"), filepath.Join(data, "backups", "x.csv"), filepath.Join(data, "sub", "..", "kessaidesk.db")} {
		err := WriteFileAtomic(p, data, func(w io.Writer) error { return nil })
		require.Error(t, err, p)
		assert.Contains(t, backend.ErrorMessage(err, "ja"), "データフォルダ")
		assert.Contains(t, backend.ErrorMessage(err, "ja"), "の中には書き出せません")
	}
	link := filepath.Join(t.TempDir(), "link")
	require.NoError(t, os.Symlink(data, link))
	assert.Error(t, WriteFileAtomic(filepath.Join(link, "orders.csv"), data, func(w io.Writer) error { return nil }), "through a symbolic link")
	assert.NoError(t, WriteFileAtomic(filepath.Join(t.TempDir(), "orders.csv"), data, func(w io.Writer) error { return nil }))
	require.NoError(t, os.MkdirAll(data+"-other", 0o700))
	assert.NoError(t, WriteFileAtomic(filepath.Join(data+"-other", "orders.csv"), data, func(w io.Writer) error { return nil }),
		"a sibling whose name starts like the data folder's")
}

func TestExportStopsWhenCancelled(t *testing.T) {
	db := newDB(t)
	var orders []*backend.Order
	for i := range 3000 {
		o := &backend.Order{OrderNo: fmt.Sprint(i + 1), OrderedAt: testNow, PaymentMethod: backend.MethodCard, Status: backend.OrderNew,
			Source: "csv", Subtotal: 100, Total: 100, Items: []backend.LineItem{{ProductName: "茶", UnitPrice: 100, Quantity: 1}}}
		orders = append(orders, o)
	}
	require.NoError(t, db.SaveOrders(context.Background(), orders))
	ctx, cancel := context.WithCancel(context.Background())
	n, err := Export(ctx, io.Discard, db, backend.OrderFilter{}, EncodingCP932, func(done, total int) {
		if done >= 1000 {
			cancel()
		}
	})
	require.Error(t, err)
	assert.Less(t, n, 3000)
}
