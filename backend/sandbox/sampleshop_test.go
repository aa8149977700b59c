package sandbox_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/gmo"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/sandbox"
	"kessaidesk/backend/textenc"
)

// table is a CSV file as read back: its header, and rows as maps by the first column of
// each name (EC-CUBE 4 has two 送料 columns; the first is the order's).
type table struct {
	header []string
	rows   []map[string]string
}

func readCSV(t *testing.T, path string, crlf bool) table {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	text, err := textenc.DecodeCP932(raw)
	require.NoError(t, err, "%s is CP932", path)
	if crlf {
		assert.Equal(t, strings.Count(text, "\n"), strings.Count(text, "\r\n"), "%s: CRLF", path)
	} else {
		assert.NotContains(t, text, "\r", "%s: LF", path)
	}
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	require.NoError(t, err, path)
	require.NotEmpty(t, recs)
	tb := table{header: recs[0]}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, name := range recs[0] {
			if _, ok := m[name]; !ok {
				m[name] = r[i]
			}
		}
		tb.rows = append(tb.rows, m)
	}
	return tb
}

func num(t *testing.T, s string) backend.Yen {
	t.Helper()
	n, err := strconv.ParseFloat(s, 64) // EC-CUBE 4 writes decimals as "3600.00"
	require.NoError(t, err, "%q", s)
	return backend.Yen(n)
}

// byOrder groups rows by an order column, in file order.
func byOrder(tb table, col string) (map[string][]map[string]string, []string) {
	out := map[string][]map[string]string{}
	var keys []string
	for _, r := range tb.rows {
		if _, ok := out[r[col]]; !ok {
			keys = append(keys, r[col])
		}
		out[r[col]] = append(out[r[col]], r)
	}
	return out, keys
}

// The sample shop's files are written in each back office's encoding and layout, add
// up in the back office's own arithmetic, and every transaction they imply exists at
// its simulator with those ids — found the way the link job asks: GMO SearchTrade by
// OrderID, Paygent 094 by trading_id (13002 for the order with two payments), SBPS
// MG01 by the tracking id from the console CSV.
func TestSampleShopFilesAndTheirTransactions(t *testing.T) {
	ctx := context.Background()
	sb := start(t, t.TempDir())
	dir := filepath.Join(t.TempDir(), "sample")
	now := time.Now()
	shop, err := sb.CreateSampleShop(dir, now)
	require.NoError(t, err)
	var names []string
	for _, f := range shop.Files {
		assert.True(t, filepath.IsAbs(f))
		names = append(names, filepath.Base(f))
	}
	assert.Equal(t, []string{sandbox.MakeShopFile, sandbox.ECCube4File, sandbox.GMOConsoleFile, sandbox.FutureshopFile,
		sandbox.SBPSConsoleFile, sandbox.ECCube2File, sandbox.PaygentConsoleFile}, names)

	f := &gateways.Factory{Sandbox: sb, Timeout: 5 * time.Second}
	client := func(kind backend.GatewayKind) backend.Gateway {
		gw, err := f.Gateway(ctx, &backend.GatewayProfile{Name: "サンプル", Kind: kind, Demo: true})
		require.NoError(t, err)
		return gw
	}
	gmoc := client(backend.GatewayGMO).(*gmo.Client)
	pg := client(backend.GatewayPaygent).(*paygent.Client)
	sbpsc := client(backend.GatewaySBPS)

	orders := map[string]sandbox.SampleOrder{}
	for _, o := range shop.Orders {
		orders[o.OrderNo] = o
	}
	path := func(name string) string { return filepath.Join(dir, name) }
	authorised := map[string]int{}

	// MakeShop × GMO-PG: OrderID = 注文番号 (P + 18 digits); one 再決済 lives at 注文番号-1.
	ms := readCSV(t, path(sandbox.MakeShopFile), true)
	groups, keys := byOrder(ms, "注文番号")
	require.Len(t, keys, 6)
	repaid := 0
	for _, no := range keys {
		rows := groups[no]
		assert.Regexp(t, `^P[0-9]{18}$`, no)
		var items backend.Yen
		for _, r := range rows {
			items += num(t, r["販売価格"]) * num(t, r["数量"])
		}
		r := rows[0]
		assert.Equal(t, items, num(t, r["商品合計"]), no)
		total := num(t, r["商品合計"]) + num(t, r["送料"]) + num(t, r["決済手数料"]) - num(t, r["使用ポイント"])
		assert.Equal(t, total, num(t, r["合計金額"]), no)
		_, err := time.Parse("2006/1/2 150405", r["日付"]+" "+r["注文時間"])
		assert.NoError(t, err)
		o := orders[no]
		if r["支払方法"] != "クレジットカード決済" {
			assert.Empty(t, o.Transactions, no)
			_, err := gmoc.SearchTrade(ctx, no)
			assert.Error(t, err, "a bank transfer has no card transaction")
			continue
		}
		live, ok := o.Live()
		require.True(t, ok, no)
		a, err := gmoc.SearchTrade(ctx, live.GatewayOrderID)
		require.NoError(t, err, live.GatewayOrderID)
		assert.Equal(t, live.TranID, a["AccessID"])
		assert.Equal(t, live.TranPass, a["AccessPass"])
		assert.Equal(t, strconv.FormatInt(int64(total), 10), a["Amount"], no)
		if live.GatewayOrderID != no {
			repaid++
			assert.Equal(t, no+"-1", live.GatewayOrderID)
			first, err := gmoc.SearchTrade(ctx, no)
			require.NoError(t, err)
			assert.Equal(t, "UNPROCESSED", first["Status"], "the first attempt failed")
		}
		if a["Status"] == "AUTH" {
			authorised[sandbox.MakeShopFile]++
		}
	}
	assert.Equal(t, 1, repaid)

	// EC-CUBE 4 × GMO-PG: one row per 明細 (商品, 送料, 手数料, 割引), LF; the OrderIDs
	// ({注文ID}-ddHHmmss) only in the GMO console's CSV.
	ec4 := readCSV(t, path(sandbox.ECCube4File), false)
	assert.Equal(t, 2, strings.Count(strings.Join(ec4.header, ","), ",送料,"), "two columns named 送料")
	console := readCSV(t, path(sandbox.GMOConsoleFile), true)
	assert.Equal(t, sandbox.GMOConsoleHeader, console.header)
	consoleRows := map[string]map[string]string{}
	for _, r := range console.rows {
		id := r["オーダーID"]
		no, _, _ := strings.Cut(id, "-")
		assert.Regexp(t, `^[0-9]+-[0-9]{8}$`, id)
		consoleRows[no] = r
	}
	groups, keys = byOrder(ec4, "注文ID")
	require.Len(t, keys, 5)
	memo := false
	for _, no := range keys {
		rows := groups[no]
		r := rows[0]
		var sub, shipping, fee, discount backend.Yen
		for _, it := range rows {
			price, qty := num(t, it["価格"]), num(t, it["個数"])
			switch it["明細区分(ID)"] {
			case "1": // 商品: 価格 is before tax
				sub += (price + price*num(t, it["税率"])/100) * qty
			case "2":
				shipping += price * qty
			case "3":
				fee += price * qty
			case "4":
				discount -= price * qty
			}
		}
		assert.Equal(t, sub, num(t, r["小計"]), no)
		assert.Equal(t, shipping, num(t, r["送料"]), no)
		assert.Equal(t, discount, num(t, r["値引き"]), no)
		assert.Equal(t, sub+shipping+fee-discount, num(t, r["合計"]), no)
		assert.Equal(t, num(t, r["合計"]), num(t, r["支払合計"]), no)
		memo = memo || strings.Contains(r["ショップ用メモ欄"], "\n")
		cr, ok := consoleRows[no]
		if r["支払方法(名称)"] != "クレジットカード決済" {
			assert.False(t, ok, "no GMO transaction for %s", no)
			continue
		}
		require.True(t, ok, no)
		a, err := gmoc.SearchTrade(ctx, cr["オーダーID"])
		require.NoError(t, err)
		assert.Equal(t, cr["取引ID"], a["AccessID"])
		assert.Equal(t, cr["取引パスワード"], a["AccessPass"])
		assert.Equal(t, num(t, r["支払合計"]), num(t, a["Amount"]))
		assert.Equal(t, a["Amount"], cr["利用金額"])
		assert.Equal(t, map[string]string{"AUTH": "仮売上", "SALES": "実売上", "VOID": "取消"}[a["Status"]], cr["状態"])
		if a["Status"] == "AUTH" {
			authorised[sandbox.ECCube4File]++
		}
	}
	assert.True(t, memo, "a memo spans two lines (a quoted field with a line break)")

	// futureshop × SBPS: order_id = 受注コード; tracking ids from the 伝票検索 CSV, where
	// one order has an error row beside its live one.
	fs := readCSV(t, path(sandbox.FutureshopFile), true)
	sc := readCSV(t, path(sandbox.SBPSConsoleFile), true)
	assert.Equal(t, sandbox.SBPSConsoleHeader, sc.header)
	groups, keys = byOrder(fs, "受注コード")
	require.Len(t, keys, 5)
	for _, code := range keys {
		r := groups[code][0]
		var items backend.Yen
		for _, it := range groups[code] {
			items += num(t, it["販売単価"]) * num(t, it["購入数量"])
		}
		assert.Equal(t, items, num(t, r["商品合計金額"]), code)
		total := items + num(t, r["送料"]) + num(t, r["決済手数料"]) + num(t, r["包装手数料"]) + num(t, r["クール便手数料"]) +
			num(t, r["その他手数料"]) - num(t, r["ポイント利用額"]) - num(t, r["割引合計金額(商品)"]) - num(t, r["割引合計金額(送料)"])
		assert.Equal(t, total, num(t, r["請求合計金額"]), code)
		assert.Equal(t, total, orders[code].Total)
	}
	consoleByOrder, _ := byOrder(sc, "受注ID")
	withError := 0
	for code, rows := range consoleByOrder {
		require.Contains(t, keys, code)
		for _, r := range rows {
			v, err := sbpsc.Inquire(ctx, &backend.Payment{Gateway: backend.GatewaySBPS, Method: backend.MethodCard, GatewayTranID: r["トラッキングID"]})
			require.NoError(t, err)
			if r["請求ステータス"] == "エラー" {
				withError++
				assert.False(t, v.Found, "a declined attempt holds no payment")
				continue
			}
			assert.Equal(t, "正常", r["請求ステータス"])
			require.True(t, v.Found, r["トラッキングID"])
			assert.Equal(t, map[string]backend.PaymentState{"与信済": backend.StateAuthorized, "売上済": backend.StateCaptured,
				"与信取消済": backend.StateVoided}[r["入金ステータス"]], v.State, code)
			assert.Equal(t, orders[code].Total, num(t, r["金額"]))
			live, _ := orders[code].Live()
			assert.Equal(t, live.TranID, r["トラッキングID"])
			if v.State == backend.StateAuthorized {
				authorised[sandbox.FutureshopFile]++
			}
		}
		if len(rows) > 1 {
			assert.Len(t, rows, 2, code)
		}
	}
	assert.Equal(t, 1, withError)
	assert.Len(t, consoleByOrder, 4, "the cash-on-delivery order has no SBPS payment")

	// EC-CUBE 2 / カゴラボ × Paygent: one row per order, every field quoted, CRLF;
	// trading_id = 注文番号; one order holds two payments (13002 by trading_id).
	raw, err := os.ReadFile(path(sandbox.ECCube2File))
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(raw, []byte(`"`)), "EC-CUBE 2 quotes every field")
	ec2 := readCSV(t, path(sandbox.ECCube2File), true)
	pc := readCSV(t, path(sandbox.PaygentConsoleFile), true)
	assert.Equal(t, sandbox.PaygentConsoleHeader, pc.header)
	groups, keys = byOrder(ec2, "注文番号")
	require.Len(t, keys, 6)
	payments, _ := byOrder(pc, "取引ID")
	several := 0
	for _, no := range keys {
		require.Len(t, groups[no], 1, "one row per order")
		r := groups[no][0]
		_, err := strconv.Atoi(r["対応状況"])
		assert.NoError(t, err, "対応状況 is a number")
		total := num(t, r["小計"]) - num(t, r["値引き"]) + num(t, r["送料"]) + num(t, r["手数料"])
		assert.Equal(t, total, num(t, r["合計"]), no)
		assert.Equal(t, total-num(t, r["使用ポイント"]), num(t, r["お支払い合計"]), no)
		_, err = pg.InquirePayment(ctx, "", no, "")
		if r["支払い方法"] != "クレジットカード決済" {
			assert.True(t, paygent.IsNotFound(err), "%s: %v", no, err)
			assert.Empty(t, payments[no])
			continue
		}
		rows := payments[no]
		if len(rows) > 1 {
			several++
			var be *backend.Error
			require.True(t, errors.As(err, &be), "%v", err)
			assert.Equal(t, "13002", be.GatewayCode, "several payments share the trading_id")
		} else {
			require.NoError(t, err, no)
		}
		live, _ := orders[no].Live()
		for _, cr := range rows {
			a, err := pg.InquirePayment(ctx, cr["決済ID"], "", "")
			require.NoError(t, err)
			assert.Equal(t, no, a["trading_id"])
			assert.Equal(t, cr["決済金額"], a["payment_amount"])
			assert.Equal(t, paygent.StatusName(a["payment_status"]), cr["決済ステータス"])
			if cr["決済ID"] == live.TranID {
				assert.Equal(t, num(t, r["お支払い合計"]), num(t, a["payment_amount"]), "the live payment is the order's amount")
				if a["payment_status"] == "20" {
					authorised[sandbox.ECCube2File]++
				}
			}
		}
	}
	assert.Equal(t, 1, several)

	for _, name := range []string{sandbox.MakeShopFile, sandbox.ECCube4File, sandbox.FutureshopFile, sandbox.ECCube2File} {
		assert.GreaterOrEqual(t, authorised[name], 2, "%s has 仮売上 card orders to capture", name)
	}
}

// Making the sample shop again on the same sandbox gives a new set: fresh order
// numbers and transactions, the first set untouched.
func TestSampleShopAgainHasFreshIDs(t *testing.T) {
	sb := start(t, t.TempDir())
	first, err := sb.CreateSampleShop(t.TempDir(), time.Now())
	require.NoError(t, err)
	second, err := sb.CreateSampleShop(t.TempDir(), time.Now())
	require.NoError(t, err)
	assert.Equal(t, first.Batch+1, second.Batch)
	seen := map[string]bool{}
	for _, o := range first.Orders {
		seen[o.OrderNo] = true
	}
	require.Len(t, second.Orders, len(first.Orders))
	for _, o := range second.Orders {
		assert.False(t, seen[o.OrderNo], o.OrderNo)
	}
	// The batch counter survives a restart.
	require.NoError(t, sb.Close())
	again := start(t, sb.Dir)
	third, err := again.CreateSampleShop(t.TempDir(), time.Now())
	require.NoError(t, err)
	assert.Equal(t, second.Batch+1, third.Batch)
}
