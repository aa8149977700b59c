package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/sbps/sbpssim"
	"kessaidesk/backend/textenc"
)

// The sample shop: orders of four back offices (MakeShop, EC-CUBE 4, futureshop,
// EC-CUBE 2 / カゴラボ) whose payments exist at the simulators as those platforms
// make them, and the CSV files the back offices and the gateway consoles export for
// them — for trying a real shop's path (import → link → capture) on the sandbox. The
// files are fixtures written here from the published layouts
// (../shared/research/shop-csv-linking.md §1), independently of the importer.
//
// Every call makes a new set with fresh order numbers (the batch number is part of
// each), so a sandbox that already has sample shops gets another one; earlier sets
// stay at the simulators.

// Sample shop files.
const (
	MakeShopFile       = "makeshop-gmo.csv"    // MakeShop orders, Shift_JIS, CRLF
	ECCube4File        = "eccube4-gmo.csv"     // EC-CUBE 4 受注CSV, SJIS-win, LF, one row per 明細
	GMOConsoleFile     = "gmo-console.csv"     // the GMO-PG console's transactions of the EC-CUBE 4 orders
	FutureshopFile     = "futureshop-sbps.csv" // futureshop 受注データ, Shift_JIS, CRLF, one row per item
	SBPSConsoleFile    = "sbps-console.csv"    // SBPS 決済管理ツール 伝票検索 CSV
	ECCube2File        = "eccube2-paygent.csv" // EC-CUBE 2 / カゴラボ 受注CSV, CP932, CRLF, one row per order
	PaygentConsoleFile = "paygent-console.csv" // the Paygent console's payments of the EC-CUBE 2 orders
)

// Header rows of the gateway consoles' CSV files. Their real column lists are not
// published (research §3); these are the project's assumption, read by a mapping.
var (
	GMOConsoleHeader     = []string{"オーダーID", "取引ID", "取引パスワード", "状態", "処理日時", "利用金額", "税送料", "支払方法"}
	SBPSConsoleHeader    = []string{"受注ID", "トラッキングID", "受注日時", "決済方法", "金額", "入金ステータス", "請求ステータス"}
	PaygentConsoleHeader = []string{"取引ID", "決済ID", "決済種別", "決済ステータス", "決済金額", "登録日時"}
)

// SampleShop is one sample shop made at the sandbox.
type SampleShop struct {
	Dir    string
	Batch  int
	Files  []string // absolute paths, in the order written
	Orders []SampleOrder
}

// SampleOrder is an order of the sample shop and what its back office's gateway did.
type SampleOrder struct {
	File    string              // the back-office CSV it is in (base name)
	OrderNo string              // the order number as the back office shows it
	Gateway backend.GatewayKind // "" = no gateway payment (bank transfer, cash on delivery)
	Total   backend.Yen         // what the customer pays: the live transaction's amount
	// Transactions at the gateway for the order, oldest first.
	Transactions []SampleTransaction
}

// Live is the transaction the order is to be linked to.
func (o SampleOrder) Live() (SampleTransaction, bool) {
	for _, t := range o.Transactions {
		if t.Live {
			return t, true
		}
	}
	return SampleTransaction{}, false
}

// SampleTransaction is one transaction of a sample order.
type SampleTransaction struct {
	GatewayOrderID string      // GMO OrderID, SBPS order_id, Paygent trading_id
	TranID         string      // GMO AccessID, SBPS tracking_id, Paygent payment_id
	TranPass       string      // GMO AccessPass
	Status         string      // the gateway's own status (AUTH, SBPS payment_status, Paygent payment_status)
	Amount         backend.Yen // at the gateway
	Live           bool        // the one the order is linked to (false: failed, replaced, or an error row)
	// AtGateway is false for what only the console lists (SBPS's error row of a
	// declined attempt): the simulator holds no payment for it.
	AtGateway bool
}

// CreateSampleShop makes a new sample shop: its transactions at the simulators and its
// CSV files in dir (created if needed). Orders are dated in the three days before now.
func (s *Sandbox) CreateSampleShop(dir string, now time.Time) (*SampleShop, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, backend.Errorf(backend.EINVALID, "フォルダ %s を使えません", "cannot use the folder %s", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, backend.Errorf(backend.EINVALID, "フォルダ %s を作成できません: %v", "cannot create the folder %s: %v", dir, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.SampleShops++
	if err := s.saveConfig(); err != nil {
		return nil, err
	}
	b := &shopBuilder{s: s, batch: s.cfg.SampleShops, now: now.In(backend.JST).Truncate(time.Second),
		shop: &SampleShop{Dir: dir, Batch: s.cfg.SampleShops}}
	var files []csvFile
	err = s.batch(func() error {
		for _, build := range []func() ([]csvFile, error){b.makeShop, b.ecCube4, b.futureshop, b.ecCube2} {
			fs, err := build()
			if err != nil {
				return err
			}
			files = append(files, fs...)
		}
		return nil
	})
	if err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "サンプルショップを作成できません: %v", "cannot create the sample shop: %v", err)
	}
	for _, f := range files {
		data, err := f.encode()
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, f.name)
		if err := writeFile(path, data, 0o644); err != nil {
			return nil, backend.Errorf(backend.EINVALID, "%s に書き込めません: %v", "cannot write %s: %v", path, err)
		}
		b.shop.Files = append(b.shop.Files, path)
	}
	return b.shop, nil
}

type customer struct {
	sei, mei, seiKana, meiKana string
	email, tel, zip            string
	pref                       string
	prefID                     int
	addr1, addr2               string
}

var customers = []customer{
	{"山田", "太郎", "ヤマダ", "タロウ", "taro.yamada@example.jp", "090-1234-5678", "100-0001", "東京都", 13, "千代田区千代田", "1-1"},
	{"佐藤", "花子", "サトウ", "ハナコ", "hanako.sato@example.jp", "080-2345-6789", "530-0001", "大阪府", 27, "大阪市北区梅田", "2-4-9 梅田ハイツ301"},
	{"鈴木", "一郎", "スズキ", "イチロウ", "ichiro.suzuki@example.com", "070-3456-7890", "460-0008", "愛知県", 23, "名古屋市中区栄", "3-5-12"},
	{"高橋", "美咲", "タカハシ", "ミサキ", "misaki.t@example.ne.jp", "090-4567-8901", "812-0011", "福岡県", 40, "福岡市博多区博多駅前", "1-2-3"},
	{"田中", "健太", "タナカ", "ケンタ", "kenta.tanaka@example.jp", "080-5678-9012", "060-0001", "北海道", 1, "札幌市中央区北一条西", "4-2"},
	{"伊藤", "さくら", "イトウ", "サクラ", "sakura.ito@example.co.jp", "070-6789-0123", "980-0021", "宮城県", 4, "仙台市青葉区中央", "1-6-35"},
	{"渡辺", "結衣", "ワタナベ", "ユイ", "yui.watanabe@example.jp", "090-7890-1234", "220-0012", "神奈川県", 14, "横浜市西区みなとみらい", "2-2-1"},
	{"中村", "翔太", "ナカムラ", "ショウタ", "shota.n@example.com", "080-8901-2345", "600-8216", "京都府", 26, "京都市下京区烏丸通塩小路下ル", "東塩小路町721-1"},
	{"小林", "陽菜", "コバヤシ", "ヒナ", "hina.kobayashi@example.jp", "070-9012-3456", "730-0011", "広島県", 34, "広島市中区基町", "6-78"},
	{"加藤", "大輔", "カトウ", "ダイスケ", "daisuke.kato@example.ne.jp", "090-0123-4567", "330-0063", "埼玉県", 11, "さいたま市浦和区高砂", "3-15-1"},
	{"吉田", "恵子", "ヨシダ", "ケイコ", "keiko.yoshida@example.jp", "080-1357-2468", "650-0021", "兵庫県", 28, "神戸市中央区三宮町", "1-9-1"},
	{"山本", "直樹", "ヤマモト", "ナオキ", "naoki.yamamoto@example.com", "070-2468-1357", "900-0006", "沖縄県", 47, "那覇市おもろまち", "1-1-1"},
	{"井上", "千尋", "イノウエ", "チヒロ", "chihiro.inoue@example.jp", "090-9753-8642", "370-0841", "群馬県", 10, "高崎市栄町", "1-1"},
	{"木村", "誠", "キムラ", "マコト", "makoto.kimura@example.co.jp", "080-8642-9753", "420-0858", "静岡県", 22, "静岡市葵区伝馬町", "18-1"},
	{"林", "彩", "ハヤシ", "アヤ", "aya.hayashi@example.jp", "070-1122-3344", "700-0024", "岡山県", 33, "岡山市北区駅元町", "1-1"},
	{"清水", "隆", "シミズ", "タカシ", "takashi.shimizu@example.ne.jp", "090-5566-7788", "380-0823", "長野県", 20, "長野市南千歳", "1-22-6"},
	{"森", "由紀", "モリ", "ユキ", "yuki.mori@example.com", "080-9900-1122", "760-0011", "香川県", 37, "高松市浜ノ町", "1-20"},
	{"池田", "修", "イケダ", "オサム", "osamu.ikeda@example.jp", "070-3344-5566", "890-0053", "鹿児島県", 46, "鹿児島市中央町", "1-1"},
	{"橋本", "明美", "ハシモト", "アケミ", "akemi.hashimoto@example.co.jp", "090-7788-9900", "950-0086", "新潟県", 15, "新潟市中央区花園", "1-1-1"},
	{"石川", "亮", "イシカワ", "リョウ", "ryo.ishikawa@example.jp", "080-4455-6677", "920-0858", "石川県", 17, "金沢市木ノ新保町", "1-1"},
	{"前田", "舞", "マエダ", "マイ", "mai.maeda@example.ne.jp", "070-6677-8899", "790-0001", "愛媛県", 38, "松山市一番町", "3-2-1"},
	{"岡田", "和也", "オカダ", "カズヤ", "kazuya.okada@example.com", "090-2233-4455", "310-0015", "茨城県", 8, "水戸市宮町", "1-1-1"},
}

// product prices are before tax (EC-CUBE 4 keeps them so); rate is the tax rate in %,
// chosen so that every price's tax is whole yen.
type product struct {
	id, classID           int
	code, name            string
	className, className2 string // 規格名 (e.g. サイズ) and the chosen 規格分類名 (e.g. M)
	price                 backend.Yen
	rate                  int
}

func (p product) tax() backend.Yen  { return p.price * backend.Yen(p.rate) / 100 }
func (p product) incl() backend.Yen { return p.price + p.tax() }

// variant is p in another 規格分類 (another product class).
func (p product) variant(name string, classID int) product {
	p.className2, p.classID = name, classID
	return p
}

var (
	tshirt = product{1, 11, "TS-001", "オーガニックコットンTシャツ", "サイズ", "M", 3600, 10}
	bottle = product{2, 21, "BT-500", "ステンレスボトル 500ml", "", "", 2500, 10}
	towel  = product{3, 31, "TN-AI", "手ぬぐい（藍）", "", "", 1200, 10}
	tote   = product{4, 41, "TB-100", "帆布トートバッグ", "", "", 4000, 10}
	honey  = product{5, 51, "HC-250", "国産はちみつ 250g", "", "", 1800, 8} // 軽減税率
	tea    = product{6, 61, "HJ-020", "ほうじ茶ティーバッグ 20袋", "", "", 900, 8}
)

type line struct {
	p   product
	qty int64
}

func subtotal(lines []line) (sum, tax backend.Yen) {
	for _, l := range lines {
		sum += l.p.incl() * backend.Yen(l.qty)
		tax += l.p.tax() * backend.Yen(l.qty)
	}
	return sum, tax
}

// includedTax is the 10 % consumption tax inside a tax-included fee (送料, 手数料).
func includedTax(fee backend.Yen) backend.Yen { return fee * 10 / 110 }

// shopBuilder makes one sample shop.
type shopBuilder struct {
	s     *Sandbox
	batch int
	now   time.Time // JST, whole seconds
	shop  *SampleShop
	cust  int
}

func (b *shopBuilder) customer() customer {
	c := customers[(b.cust+b.batch*7)%len(customers)]
	b.cust++
	return c
}

// ago is a time before now (orders over the last three days, in order).
func (b *shopBuilder) ago(h, m int) time.Time {
	return b.now.Add(-time.Duration(h)*time.Hour - time.Duration(m)*time.Minute)
}

func (b *shopBuilder) add(o SampleOrder) { b.shop.Orders = append(b.shop.Orders, o) }

func yen(a backend.Yen) string { return strconv.FormatInt(int64(a), 10) }

// --- GMO-PG -----------------------------------------------------------------------

// gmoCard makes a card transaction at the GMO simulator as the shop's checkout did.
func (b *shopBuilder) gmoCard(orderID string, amount backend.Yen, status string, auth time.Time, live bool) (SampleTransaction, error) {
	spec := gmosim.CardSpec{ShopID: ShopID, OrderID: orderID, Amount: int64(amount), Status: status, AuthDate: auth}
	if status == "SALES" {
		spec.SalesDate = auth.Add(20 * time.Hour)
	}
	id, pass, err := b.s.Sim.AddCardTrade(spec)
	if err != nil {
		return SampleTransaction{}, err
	}
	return SampleTransaction{GatewayOrderID: orderID, TranID: id, TranPass: pass, Status: status, Amount: amount, Live: live,
		AtGateway: true}, nil
}

// gmoStatusWords are the console's words for a transaction's status.
var gmoStatusWords = map[string]string{"UNPROCESSED": "未決済", "AUTH": "仮売上", "SALES": "実売上", "CAPTURE": "即時売上",
	"VOID": "取消", "RETURN": "返品", "RETURNX": "月跨り返品"}

// --- MakeShop × GMO-PG --------------------------------------------------------------

// makeShop: 注文番号 is P + 18 digits and the GMO OrderID itself; a card 再決済 made
// the live transaction 注文番号-1 and left the first attempt as 未決済 (the gateway
// refuses a reused OrderID).
func (b *shopBuilder) makeShop() ([]csvFile, error) {
	type order struct {
		lines              []line
		shipping, fee, pts backend.Yen
		card               bool
		status             string // the gateway status of the live transaction
		repaid             bool
		at                 time.Time
	}
	orders := []order{
		{lines: []line{{tshirt, 1}, {towel, 2}}, card: true, status: "AUTH", at: b.ago(70, 12)},
		{lines: []line{{tote, 1}}, shipping: 660, pts: 300, card: true, status: "AUTH", at: b.ago(52, 40)},
		{lines: []line{{bottle, 2}}, card: true, status: "SALES", at: b.ago(47, 5)},
		{lines: []line{{honey, 2}, {tea, 1}}, shipping: 660, card: true, status: "AUTH", repaid: true, at: b.ago(30, 18)},
		{lines: []line{{tshirt.variant("L", 12), 1}}, shipping: 660, card: true, status: "VOID", at: b.ago(20, 51)},
		{lines: []line{{towel, 1}}, shipping: 660, at: b.ago(6, 3)},
	}
	f := csvFile{name: MakeShopFile, crlf: true, header: []string{"日付", "注文時間", "注文番号", "処理状況", "注文者", "注文者(振り仮名)",
		"メールアドレス", "電話番号", "郵便番号", "住所", "支払方法", "商品コード", "商品名", "オプション", "販売価格", "数量", "商品合計", "送料",
		"決済手数料", "使用ポイント", "合計金額"}}
	for i, o := range orders {
		c := b.customer()
		no := fmt.Sprintf("P%s%04d%02d", b.now.Format("060102150405"), b.batch%10000, i+1)
		sub, _ := subtotal(o.lines)
		total := sub + o.shipping + o.fee - o.pts
		so := SampleOrder{File: MakeShopFile, OrderNo: no, Total: total}
		state, method := "未処理", "銀行振込"
		if o.card {
			so.Gateway, method = backend.GatewayGMO, "クレジットカード決済"
			id := no
			if o.repaid {
				t, err := b.gmoCard(no, total, "UNPROCESSED", o.at.Add(-3*time.Minute), false)
				if err != nil {
					return nil, err
				}
				so.Transactions, id = append(so.Transactions, t), no+"-1"
			}
			t, err := b.gmoCard(id, total, o.status, o.at.Add(-time.Minute), true)
			if err != nil {
				return nil, err
			}
			so.Transactions = append(so.Transactions, t)
			switch o.status {
			case "SALES":
				state = "配送"
			case "VOID":
				state = "注文キャンセル"
			}
		}
		b.add(so)
		for _, l := range o.lines {
			f.rows = append(f.rows, []string{o.at.Format("2006/1/2"), o.at.Format("150405"), no, state, c.sei + c.mei,
				c.seiKana + c.meiKana, c.email, c.tel, c.zip, c.pref + c.addr1 + c.addr2, method, l.p.code, l.p.name,
				optionOf(l.p), yen(l.p.incl()), strconv.FormatInt(l.qty, 10), yen(sub), yen(o.shipping), yen(o.fee), yen(o.pts), yen(total)})
		}
	}
	return []csvFile{f}, nil
}

func optionOf(p product) string {
	if p.className == "" {
		return ""
	}
	return p.className + ":" + p.className2
}

// --- EC-CUBE 4 × GMO-PG ---------------------------------------------------------------

// ecCube4: the GMO plugin's OrderID is {注文ID}-ddHHmmss of the first payment request —
// a timestamp no order CSV carries — so the orders link through the GMO console's CSV.
func (b *shopBuilder) ecCube4() ([]csvFile, error) {
	type order struct {
		lines                   []line
		shipping, fee, discount backend.Yen
		payment                 string // 支払方法(名称)
		status                  string // GMO status; "" = no card payment
		statusID                int    // 対応状況(ID)
		memo                    string
		at                      time.Time
	}
	const card = "クレジットカード決済"
	orders := []order{
		{lines: []line{{bottle, 1}, {honey, 2}}, payment: card, status: "AUTH", statusID: 1, at: b.ago(68, 33)},
		{lines: []line{{tshirt, 2}}, discount: 550, payment: card, status: "AUTH", statusID: 1,
			memo: "クーポン利用\nギフト包装希望（のし不要）", at: b.ago(49, 2)},
		{lines: []line{{tote, 1}}, shipping: 660, payment: card, status: "SALES", statusID: 5, at: b.ago(44, 27)},
		{lines: []line{{tea, 3}}, shipping: 660, payment: card, status: "VOID", statusID: 3, at: b.ago(25, 9)},
		{lines: []line{{towel, 2}}, shipping: 660, fee: 330, payment: "代金引換", statusID: 1, at: b.ago(4, 44)},
	}
	statusNames := map[int]string{1: "新規受付", 3: "注文取消し", 5: "発送済み"}
	order4 := csvFile{name: ECCube4File, header: ecCube4Header}
	console := csvFile{name: GMOConsoleFile, crlf: true, header: GMOConsoleHeader}
	dec := func(a backend.Yen) string { return yen(a) + ".00" } // Doctrine's decimal(12,2)
	for i, o := range orders {
		c := b.customer()
		id := b.batch*1000 + 100 + i + 1
		no := strconv.Itoa(id)
		sub, tax := subtotal(o.lines)
		tax += includedTax(o.shipping) + includedTax(o.fee) - includedTax(o.discount)
		total := sub + o.shipping + o.fee - o.discount
		so := SampleOrder{File: ECCube4File, OrderNo: no, Total: total}
		if o.status != "" {
			so.Gateway = backend.GatewayGMO
			requested := o.at.Add(-4 * time.Second) // the payment request, just before the order completed
			t, err := b.gmoCard(no+"-"+requested.Format("02150405"), total, o.status, requested, true)
			if err != nil {
				return nil, err
			}
			so.Transactions = append(so.Transactions, t)
			tr, _ := b.s.Sim.Trade(t.GatewayOrderID)
			console.rows = append(console.rows, []string{t.GatewayOrderID, t.TranID, t.TranPass, gmoStatusWords[t.Status],
				tr.ProcessDate.In(backend.JST).Format("2006/01/02 15:04:05"), strconv.FormatInt(tr.Amount, 10), strconv.FormatInt(tr.Tax, 10), "一括"})
		}
		b.add(so)
		paid, shipped, slip := "", "", ""
		if o.statusID == 5 {
			paid = o.at.Add(20 * time.Hour).Format("2006-01-02 15:04:05")
			shipped, slip = o.at.Add(26*time.Hour).Format("2006-01-02 15:04:05"), fmt.Sprintf("4%011d", id)
		}
		head := []string{no, no, "", c.sei, c.mei, c.seiKana, c.meiKana, "", strings.ReplaceAll(c.zip, "-", ""),
			strconv.Itoa(c.prefID), c.pref, c.addr1, c.addr2, c.email, strings.ReplaceAll(c.tel, "-", ""), "", "", "", "", "", o.memo,
			dec(sub), dec(o.discount), dec(o.shipping), dec(tax), dec(total), dec(total), strconv.Itoa(o.statusID),
			statusNames[o.statusID], map[string]string{card: "4", "代金引換": "5"}[o.payment], o.payment,
			o.at.Format("2006-01-02 15:04:05"), paid}
		shipping := []string{strconv.Itoa(id), c.sei, c.mei, c.seiKana, c.meiKana, "", strings.ReplaceAll(c.zip, "-", ""),
			strconv.Itoa(c.prefID), c.pref, c.addr1, c.addr2, strings.ReplaceAll(c.tel, "-", ""), "1", "サンプル業者", "", "", "",
			dec(o.shipping), shipped, slip, "", shipped}
		noShipping := make([]string, len(shipping))
		item := 0
		row := func(p product, name string, price backend.Yen, qty int64, rate, typeID int, typeName string, ship []string) {
			item++
			pid, cid := "", ""
			if p.id != 0 {
				pid, cid = strconv.Itoa(p.id), strconv.Itoa(p.classID)
			}
			r := append(append([]string{}, head...), strconv.Itoa(id*10+item), pid, cid, name, p.code, p.className, "", p.className2, "",
				dec(price), strconv.FormatInt(qty, 10), strconv.Itoa(rate), "1", strconv.Itoa(typeID), typeName)
			order4.rows = append(order4.rows, append(r, ship...))
		}
		for _, l := range o.lines {
			row(l.p, l.p.name, l.p.price, l.qty, l.p.rate, 1, "商品", shipping)
		}
		row(product{}, "送料", o.shipping, 1, 10, 2, "送料", shipping)
		row(product{}, "手数料", o.fee, 1, 10, 3, "手数料", noShipping)
		if o.discount > 0 {
			row(product{}, "クーポン割引", -o.discount, 1, 10, 4, "割引", noShipping)
		}
	}
	return []csvFile{order4, console}, nil
}

// ecCube4Header is EC-CUBE 4's default 受注CSV (dtb_csv, csv_type_id=3), with the
// order-level 送料 and the shipping-level 送料 both named 送料.
var ecCube4Header = []string{
	"注文ID", "注文番号", "会員ID", "お名前(姓)", "お名前(名)", "お名前(セイ)", "お名前(メイ)", "会社名", "郵便番号", "都道府県(ID)",
	"都道府県(名称)", "住所1", "住所2", "メールアドレス", "TEL", "性別(ID)", "性別(名称)", "職業(ID)", "職業(名称)", "誕生日",
	"ショップ用メモ欄", "小計", "値引き", "送料", "税金", "合計", "支払合計", "対応状況(ID)", "対応状況(名称)", "支払方法(ID)",
	"支払方法(名称)", "受注日", "入金日",
	"注文詳細ID", "商品ID", "商品規格ID", "商品名", "商品コード", "規格名1", "規格名2", "規格分類名1", "規格分類名2", "価格", "個数",
	"税率", "税率ルール(ID)", "明細区分(ID)", "明細区分(名称)",
	"出荷ID", "配送先_お名前(姓)", "配送先_お名前(名)", "配送先_お名前(セイ)", "配送先_お名前(メイ)", "配送先_会社名", "配送先_郵便番号",
	"配送先_都道府県(ID)", "配送先_都道府県(名称)", "配送先_住所1", "配送先_住所2", "配送先_TEL", "配送業者(ID)", "配送業者(名称)",
	"お届け時間ID", "お届け時間(名称)", "お届け希望日", "送料", "発送日", "出荷伝票番号", "配達用メモ", "出荷メール送信日",
}

// --- futureshop × SBPS ----------------------------------------------------------------

// futureshop: SBPS's order_id (受注ID) is the 受注コード; SBPS looks payments up by
// tracking_id only, so the orders link through the 伝票検索 CSV, where a declined
// first attempt shows as an error row beside the live one.
func (b *shopBuilder) futureshop() ([]csvFile, error) {
	type order struct {
		lines          []line
		shipping, fee  backend.Yen
		pts            backend.Yen
		status         string // SBPS payment_status; "" = no card payment
		declinedBefore bool
		at             time.Time
	}
	orders := []order{
		{lines: []line{{tshirt.variant("L", 12), 1}, {tea, 1}}, shipping: 660, status: sbps.StatusAuthorized, at: b.ago(66, 41)},
		{lines: []line{{bottle, 1}}, shipping: 660, status: sbps.StatusAuthorized, declinedBefore: true, at: b.ago(50, 16)},
		{lines: []line{{tote, 1}, {towel, 1}}, pts: 320, status: sbps.StatusCaptured, at: b.ago(43, 58)},
		{lines: []line{{honey, 1}}, shipping: 660, status: sbps.StatusVoided, at: b.ago(23, 37)},
		{lines: []line{{tea, 2}}, shipping: 660, fee: 330, at: b.ago(3, 21)},
	}
	words := map[string]string{sbps.StatusAuthorized: "与信済", sbps.StatusCaptured: "売上済", sbps.StatusVoided: "与信取消済",
		sbps.StatusRefunded: "返金済"}
	fs := csvFile{name: FutureshopFile, crlf: true, header: []string{"受注コード", "注文日時", "請求合計金額", "商品合計金額", "消費税合計",
		"包装手数料", "送料", "決済手数料", "クール便手数料", "その他手数料", "決済方法", "通信欄", "ショップメモ", "入金フラグ", "入金確認日",
		"氏名(姓)", "氏名(名)", "フリガナ(姓)", "フリガナ(名)", "メールアドレス", "郵便番号", "都道府県区分", "住所1", "住所2", "住所3",
		"電話番号(メイン)", "お届け先氏名(姓)", "お届け先氏名(名)", "お届け先郵便番号", "お届け先都道府県区分", "お届け先住所1",
		"お届け希望日", "お届け希望時間", "商品番号", "枝番号", "商品名", "バリエーション名", "販売単価", "購入数量", "ポイント利用の有無",
		"ポイント利用額", "割引合計金額(商品)", "割引合計金額(送料)"}}
	console := csvFile{name: SBPSConsoleFile, crlf: true, header: SBPSConsoleHeader}
	stamp := func(t time.Time) string { return t.Format("2006/01/02 15:04:05") }
	for i, o := range orders {
		c := b.customer()
		code := fmt.Sprintf("%s%04d%02d", b.now.Format("060102"), b.batch%10000, i+1)
		sub, tax := subtotal(o.lines)
		tax += includedTax(o.shipping) + includedTax(o.fee)
		total := sub + o.shipping + o.fee - o.pts
		so := SampleOrder{File: FutureshopFile, OrderNo: code, Total: total}
		method, paidFlag, paidAt := "代金引換", "未入金", ""
		if o.status != "" {
			so.Gateway, method = backend.GatewaySBPS, "クレジットカード決済"
			auth := o.at.Add(-time.Minute)
			if o.declinedBefore {
				// The card was declined first: SBPS lists the attempt as an error; its
				// tracking_id has no payment to inquire.
				t := SampleTransaction{GatewayOrderID: code, TranID: b.unusedTrackingID(), Amount: total}
				so.Transactions = append(so.Transactions, t)
				console.rows = append(console.rows, []string{code, t.TranID, stamp(auth.Add(-2 * time.Minute)), "クレジットカード", yen(total), "", "エラー"})
			}
			spec := sbpssim.CardSpec{MerchantID: SBPSMerchantID, ServiceID: SBPSServiceID, OrderID: code, Amount: int64(total),
				Status: o.status, AuthDate: auth}
			if o.status == sbps.StatusCaptured {
				spec.SalesDate = auth.Add(20 * time.Hour)
				paidFlag, paidAt = "入金済", spec.SalesDate.Format("2006/01/02")
			}
			id, err := b.s.SBPS.AddCardTrade(spec)
			if err != nil {
				return nil, err
			}
			so.Transactions = append(so.Transactions, SampleTransaction{GatewayOrderID: code, TranID: id, Status: o.status, Amount: total,
				Live: true, AtGateway: true})
			console.rows = append(console.rows, []string{code, id, stamp(auth), "クレジットカード", yen(total), words[o.status], "正常"})
		}
		b.add(so)
		usedPts := "無"
		if o.pts > 0 {
			usedPts = "有"
		}
		for _, l := range o.lines {
			fs.rows = append(fs.rows, []string{code, stamp(o.at), yen(total), yen(sub), yen(tax), "0", yen(o.shipping), yen(o.fee), "0", "0",
				method, "", "", paidFlag, paidAt, c.sei, c.mei, c.seiKana, c.meiKana, c.email, c.zip, c.pref, c.addr1, c.addr2, "", c.tel,
				c.sei, c.mei, c.zip, c.pref, c.addr1 + " " + c.addr2, "", "", l.p.code, strconv.Itoa(l.p.classID % 10), l.p.name,
				l.p.className2, yen(l.p.incl()), strconv.FormatInt(l.qty, 10), usedPts, yen(o.pts), "0", "0"})
		}
	}
	return []csvFile{fs, console}, nil
}

// unusedTrackingID is a tracking_id the SBPS simulator does not hold.
func (b *shopBuilder) unusedTrackingID() string {
	for {
		id := "9" + randomDigits(13)
		if _, ok := b.s.SBPS.Trade(id); !ok {
			return id
		}
	}
}

// --- EC-CUBE 2 / カゴラボ × Paygent ----------------------------------------------------

// ecCube2: the Paygent module's trading_id is the 注文番号. One order's amount was
// lowered after checkout (補正オーソリ): Paygent holds the cancelled first payment and
// the new one under the same trading_id, so 094 by trading_id answers 13002 and the
// console CSV links it.
func (b *shopBuilder) ecCube2() ([]csvFile, error) {
	type order struct {
		lines         []line
		shipping, fee backend.Yen
		pts           backend.Yen
		statuses      []string // Paygent payment_status, oldest first; nil = no card payment
		before        []line   // the lines of the first payment, when the order changed since
		statusID      int      // 対応状況
		at            time.Time
	}
	orders := []order{
		{lines: []line{{bottle, 1}, {towel, 1}}, shipping: 660, statuses: []string{"20"}, statusID: 1, at: b.ago(64, 8)},
		{lines: []line{{tshirt, 2}}, pts: 200, statuses: []string{"20"}, statusID: 1, at: b.ago(51, 46)},
		{lines: []line{{honey, 1}, {tea, 2}}, shipping: 660, statuses: []string{"40"}, statusID: 5, at: b.ago(45, 31)},
		{lines: []line{{tote, 1}}, before: []line{{tote, 1}, {towel, 1}}, shipping: 660, statuses: []string{"32", "20"}, statusID: 1,
			at: b.ago(28, 14)},
		{lines: []line{{tshirt.variant("L", 12), 1}}, shipping: 660, statuses: []string{"32"}, statusID: 3, at: b.ago(19, 55)},
		{lines: []line{{tea, 1}}, shipping: 660, statusID: 2, at: b.ago(2, 27)},
	}
	f := csvFile{name: ECCube2File, crlf: true, quoteAll: true, header: []string{"注文番号", "会員ID", "要望等", "お名前(姓)", "お名前(名)",
		"お名前(フリガナ・姓)", "お名前(フリガナ名)", "会社名", "メールアドレス", "電話番号1", "電話番号2", "電話番号3", "FAX1", "FAX2", "FAX3",
		"郵便番号1", "郵便番号2", "都道府県", "住所1", "住所2", "性別", "生年月日", "職種", "小計", "値引き", "送料", "手数料", "使用ポイント",
		"加算ポイント", "税金", "合計", "お支払い合計", "配送業者ID", "支払い方法", "SHOPメモ", "対応状況", "注文日時", "更新日時",
		"発送完了日時", "端末種別ID", "配送情報ID"}}
	console := csvFile{name: PaygentConsoleFile, crlf: true, header: PaygentConsoleHeader}
	stamp := func(t time.Time) string { return t.Format("2006-01-02 15:04:05") }
	for i, o := range orders {
		c := b.customer()
		no := strconv.Itoa(b.batch*1000 + 500 + i + 1)
		sub, tax := subtotal(o.lines)
		total := sub + o.shipping + o.fee
		pay := total - o.pts
		so := SampleOrder{File: ECCube2File, OrderNo: no, Total: pay}
		method, updated, shipped := "銀行振込", o.at, ""
		if o.statuses != nil {
			so.Gateway, method = backend.GatewayPaygent, "クレジットカード決済"
			for j, st := range o.statuses {
				amount := pay
				if j < len(o.statuses)-1 && o.before != nil {
					first, _ := subtotal(o.before)
					amount = first + o.shipping + o.fee - o.pts
				}
				auth := o.at.Add(time.Duration(j*90-1) * time.Minute)
				spec := paygentsim.CardSpec{MerchantID: PaygentMerchantID, TradingID: no, Amount: int64(amount), Status: st, AuthDate: auth}
				if st == "40" {
					spec.SalesDate = auth.Add(20 * time.Hour)
					updated, shipped = spec.SalesDate, stamp(spec.SalesDate.Add(2*time.Hour))
				}
				id, err := b.s.Paygent.AddCardPayment(spec)
				if err != nil {
					return nil, err
				}
				live := j == len(o.statuses)-1
				so.Transactions = append(so.Transactions, SampleTransaction{GatewayOrderID: no, TranID: id, Status: st, Amount: amount,
					Live: live, AtGateway: true})
				console.rows = append(console.rows, []string{no, id, "クレジットカード", paygent.StatusName(st), yen(amount),
					auth.Format("2006/01/02 15:04:05")})
				if auth.After(updated) {
					updated = auth
				}
			}
		}
		b.add(so)
		tel := strings.Split(c.tel, "-")
		zip := strings.Split(c.zip, "-")
		sex := strconv.Itoa(1 + i%2)
		f.rows = append(f.rows, []string{no, "0", "", c.sei, c.mei, c.seiKana, c.meiKana, "", c.email, tel[0], tel[1], tel[2], "", "", "",
			zip[0], zip[1], c.pref, c.addr1, c.addr2, sex, "", "", yen(sub), "0", yen(o.shipping), yen(o.fee), yen(o.pts),
			yen(sub / 100), yen(tax), yen(total), yen(pay), "1", method, "", strconv.Itoa(o.statusID), stamp(o.at), stamp(updated),
			shipped, "10", "0"})
	}
	return []csvFile{f, console}, nil
}

// --- writing --------------------------------------------------------------------------

// csvFile is one CSV file as a back office writes it: CP932, a header row, CRLF or LF.
type csvFile struct {
	name     string
	header   []string
	rows     [][]string
	crlf     bool
	quoteAll bool // EC-CUBE 2 quotes every field
}

func (f csvFile) encode() ([]byte, error) {
	eol := "\n"
	if f.crlf {
		eol = "\r\n"
	}
	var sb strings.Builder
	for n, r := range append([][]string{f.header}, f.rows...) {
		if len(r) != len(f.header) {
			return nil, fmt.Errorf("sandbox: %s row %d has %d fields, the header %d", f.name, n, len(r), len(f.header))
		}
		for i, v := range r {
			if i > 0 {
				sb.WriteByte(',')
			}
			if f.quoteAll || strings.ContainsAny(v, ",\"\r\n\t ") {
				v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
			sb.WriteString(v)
		}
		sb.WriteString(eol)
	}
	return textenc.EncodeCP932(sb.String())
}
