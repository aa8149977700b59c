package sqlite

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/find_golden.txt from today's search")

// goldenShop is the golden test's shop: 3,000 orders of the benchmark's generator and
// orders written the ways operators and back offices write them — half-width kana,
// hiragana, full-width letters and digits, telephone numbers with hyphens, brackets
// and spaces, non-numeric order numbers, equal times and totals.
func goldenShop(t *testing.T) *DB {
	db := openTestDB(t)
	orders := BenchOrders(3000, "demo")
	at := benchNow.Add(-48 * time.Hour)
	odd := []struct{ no, name, kana, email, tel, code, product string }{
		{"W-1", "ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ", "Taro.Yamada@EXAMPLE.JP", "090-1234-5678", "ＴＳ－００１", "ｵｰｶﾞﾆｯｸｺｯﾄﾝTｼｬﾂ"},
		{"W-2", "やまだ はなこ", "やまだ はなこ", "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ", "０９０－９８７６－５４３２", "kt-210", "南部鉄器 急須"},
		{"W-3", "ＳＭＩＴＨ Ｊｏｈｎ", "スミス ジョン", "john.smith@example.com", "(03) 1234 5678", "BG-100", "帆布トートバッグ"},
		{"W-10", "ヴァーノン・ダーズリー", "ヴァーノン ダーズリー", "vernon@example.co.jp", "+81 90 1111 2222", "MG-200", "波佐見焼 マグカップ"},
		{"W-11", "林", "ハヤシ", "h@example.jp", "0311112222", "ＭＧ－２００", "マグカップ"},
		{"10", "髙橋 一郎", "タカハシ イチロウ", "ichiro@example.jp", "080-0000-0001", "ST-400", "和紙のレターセット"},
		{"0010", "高橋 一郎", "ﾀｶﾊｼ ｲﾁﾛｳ", "ICHIRO@example.jp", "080 0000 0001", "ST-400", "和紙のレターセット"},
		{"W-12", "鬮野 彌生", "クジノ ヤヨイ", "yayoi.kujino@example.jp", "06-9999-0000", "CF-500", "自家焙煎コーヒー豆 200g"},
		{"A", "吉﨑 さくら", "ヨシザキ サクラ", "sakura@example.ne.jp", "092-123-4567", "TE-510", "静岡 深蒸し煎茶 100g"},
	}
	for i, x := range odd {
		o := &backend.Order{OrderNo: x.no, OrderedAt: at, UpdatedAt: at, CustomerName: x.name, CustomerKana: x.kana,
			Email: x.email, Tel: x.tel, PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Source: "demo",
			Items: []backend.LineItem{{ProductCode: x.code, ProductName: x.product, UnitPrice: 1000, Quantity: 1}}}
		if i%2 == 1 {
			o.PaymentMethod, o.Status = backend.MethodKonbini, backend.OrderAwaitingDeposit
		}
		o.Subtotal, o.Total = 1000, 1000
		orders = append(orders, o)
	}
	require.NoError(t, db.SaveOrders(context.Background(), orders))
	return db
}

type goldenCase struct {
	name string
	f    backend.OrderFilter
}

func goldenCases() []goldenCase {
	now := benchNow
	month := now.AddDate(0, -1, 0)
	st := func(s ...backend.OrderStatus) []backend.OrderStatus { return s }
	pm := func(m ...backend.PaymentMethod) []backend.PaymentMethod { return m }
	ps := func(s ...backend.PaymentState) []backend.PaymentState { return s }
	text := map[string][]string{
		"name":    {"山", "彌", "林", "山田", "やまだ", "ﾔﾏﾀﾞ", "山田 太郎", "山田太郎", "田太郎", "太郎", "郎", "髙橋", "高橋", "吉﨑", "ＳＭＩＴＨ", "smith", "ヴァ", "ー", "ダーズリー", "存在しない名前", "-", "山田　花子", "佐藤", "佐藤花子", "鬮野", "鬮野彌生", "野彌"},
		"kana":    {"ヤ", "や", "ﾔ", "ヤマ", "やま", "ﾔﾏ", "サトウハナコ", "さとう はなこ", "ｻﾄｳ ﾊﾅｺ", "タロウ", "ロウ", "ウ", "ジ", "ダ", "ﾀﾞ", "ヴァーノン", "ヨシザキ", "サトウ", "クジノヤヨイ", "ｸｼﾞﾉ"},
		"email":   {"a", "ta", "taro", "hanako.satou", "HANAKO.SATOU", "ｈａｎａｋｏ", "example.co.jp", "@example.jp", "yayoi", "nothing-like-this", "ichiro@", "satou", "hanako.s", "yayoi.kujino"},
		"tel":     {"0", "09", "090", "090-1234", "０９０－１２３４", "1234", "(03) 1234", "0311112222", "81 90", "5678"},
		"product": {"急", "急須", "南部鉄器 急須", "KT-210", "kt-210", "ＫＴ－２１０", "マグ", "ﾏｸﾞｶｯﾌﾟ", "Tシャツ", "tシャツ", "ts-00", "g", "存在しない商品"},
	}
	var cases []goldenCase
	for _, field := range []string{"name", "kana", "email", "tel", "product"} {
		for _, q := range text[field] {
			var f backend.OrderFilter
			switch field {
			case "name":
				f.Name = q
			case "kana":
				f.Kana = q
			case "email":
				f.Email = q
			case "tel":
				f.Tel = q
			case "product":
				f.Product = q
			}
			cases = append(cases, goldenCase{field + " 「" + q + "」", f})
		}
	}
	cases = append(cases,
		goldenCase{"all", backend.OrderFilter{}},
		goldenCase{"status new", backend.OrderFilter{Statuses: st(backend.OrderNew)}},
		goldenCase{"status paid+cancelled", backend.OrderFilter{Statuses: st(backend.OrderPaid, backend.OrderCancelled)}},
		goldenCase{"status new + last month", backend.OrderFilter{Statuses: st(backend.OrderNew), OrderedFrom: month, OrderedTo: now}},
		goldenCase{"method konbini", backend.OrderFilter{Methods: pm(backend.MethodKonbini)}},
		goldenCase{"payment authorized", backend.OrderFilter{PaymentStates: ps(backend.StateAuthorized)}},
		goldenCase{"payment none", backend.OrderFilter{PaymentStates: ps("")}},
		goldenCase{"order no range", backend.OrderFilter{OrderNoFrom: "101000", OrderNoTo: "101100"}},
		goldenCase{"order no from", backend.OrderFilter{OrderNoFrom: "102990"}},
		goldenCase{"order no to", backend.OrderFilter{OrderNoTo: "100010"}},
		goldenCase{"order no text range", backend.OrderFilter{OrderNoFrom: "A", OrderNoTo: "W-2"}},
		goldenCase{"ordered range", backend.OrderFilter{OrderedFrom: now.AddDate(-1, 0, 0), OrderedTo: now.AddDate(0, -6, 0)}},
		goldenCase{"updated from", backend.OrderFilter{UpdatedFrom: now.AddDate(0, 0, -3)}},
		goldenCase{"amount range", backend.OrderFilter{TotalMin: yen(10000), TotalMax: yen(12000)}},
		goldenCase{"amount min", backend.OrderFilter{TotalMin: yen(30000)}},
		goldenCase{"name + status + method", backend.OrderFilter{Name: "佐藤", Statuses: st(backend.OrderShipped), Methods: pm(backend.MethodCard)}},
		goldenCase{"name 1 + kana 2", backend.OrderFilter{Name: "山", Kana: "ダタ"}},
		goldenCase{"name 3+ + product", backend.OrderFilter{Name: "山田太郎", Product: "急須"}},
		goldenCase{"product code + last month", backend.OrderFilter{Product: "KT-210", OrderedFrom: month, OrderedTo: now}},
		goldenCase{"product + amount", backend.OrderFilter{Product: "マグ", TotalMin: yen(5000)}},
		goldenCase{"email + tel", backend.OrderFilter{Email: "example.jp", Tel: "090"}},
		goldenCase{"kana 3+ + status", backend.OrderFilter{Kana: "タカハシ", Statuses: st(backend.OrderNew, backend.OrderShipped)}},
		goldenCase{"everything", backend.OrderFilter{Name: "田", Kana: "タ", Email: "example", Tel: "0", Product: "ー",
			Methods: pm(backend.MethodCard, backend.MethodKonbini), OrderedFrom: now.AddDate(-2, 0, 0), TotalMin: yen(1000), TotalMax: yen(40000)}},
		goldenCase{"no match", backend.OrderFilter{Name: "山田太郎", Kana: "スズキ"}},
	)
	return cases
}

var goldenSorts = []string{"ordered_desc", "ordered_asc", "updated_desc", "total_desc", "order_no_asc", "order_no_desc"}

// goldenLine is one case's result: how many match, and which orders in which order
// (a hash of every order number, and the first ones to read).
func goldenLine(name, sort string, total int, atLeast bool, nos []string) string {
	h := sha256.Sum256([]byte(strings.Join(nos, "\n")))
	head := nos[:min(len(nos), 6)]
	return fmt.Sprintf("%s | %s | total %d%s | rows %d | %s | %s", name, sort, total, map[bool]string{true: "+"}[atLeast],
		len(nos), hex.EncodeToString(h[:8]), strings.Join(head, ","))
}

// TestFindOrdersGolden pins the search's results — the same orders, in the same order,
// for every filter and sort — to what they were before FTS5: the file was written by
// the search of n-gram tables (go test -run Golden -update-golden). Every page is read,
// by offset and by cursor, on each plan.
func TestFindOrdersGolden(t *testing.T) {
	db := goldenShop(t)
	ctx := context.Background()
	path := filepath.Join("testdata", "find_golden.txt")
	var got []string
	for _, c := range goldenCases() {
		for _, sort := range goldenSorts {
			f := c.f
			f.Sort, f.Limit = sort, 500
			var lines []string
			for _, mode := range []string{"offset", "cursor", "scan"} {
				func() {
					defer func(was bool) { forceScan = was }(forceScan)
					forceScan = mode == "scan"
					f.Offset, f.After = 0, ""
					var nos []string
					var total int
					var atLeast bool
					for page := 0; ; page++ {
						p, err := db.FindOrders(ctx, f)
						require.NoError(t, err, c.name)
						if page == 0 {
							total, atLeast = p.Total, p.TotalAtLeast
						}
						for _, r := range p.Rows {
							nos = append(nos, r.OrderNo)
						}
						if len(p.Rows) < f.Limit || mode == "cursor" && p.Next == "" {
							break
						}
						if mode == "cursor" {
							f.After = p.Next
						} else {
							f.Offset += f.Limit
						}
					}
					lines = append(lines, goldenLine(c.name, sort, total, atLeast, nos))
				}()
			}
			assert.Equal(t, lines[0], lines[1], "by cursor")
			assert.Equal(t, lines[0], lines[2], "scan plan")
			got = append(got, lines[0])
		}
	}
	if *updateGolden {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(strings.Join(got, "\n")+"\n"), 0o644))
		return
	}
	fh, err := os.Open(path)
	require.NoError(t, err)
	defer fh.Close()
	var want []string
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		want = append(want, sc.Text())
	}
	require.Len(t, got, len(want))
	for i := range want {
		assert.Equal(t, want[i], got[i])
	}
}
