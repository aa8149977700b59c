package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/csvimport"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/sandbox"
	"kessaidesk/backend/system"
	"kessaidesk/backend/vault"
)

type result struct {
	code           int
	stdout, stderr string
}

// run runs the command line on a data folder shared by a test (demo shop, in-memory keychain).
func run(t *testing.T, dir string, kc backend.Vault, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), append([]string{"-data", dir}, args...), Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Config: system.Config{Vault: kc, Demo: true, DemoCount: 120},
	})
	return result{code, out.String(), errb.String()}
}

func authorisedOrderNo(t *testing.T, dir string, kc backend.Vault) string {
	t.Helper()
	sys, err := system.Open(context.Background(), system.Config{DataDir: dir, Vault: kc, Demo: true, DemoCount: 120})
	require.NoError(t, err)
	defer sys.Close()
	page, err := sys.Store.FindOrders(context.Background(), backend.OrderFilter{PaymentStates: []backend.PaymentState{backend.StateAuthorized}, Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, page.Rows)
	return page.Rows[0].OrderNo
}

func TestCaptureStatusAndJSON(t *testing.T) {
	dir, kc := t.TempDir(), vault.NewMemory()
	no := authorisedOrderNo(t, dir, kc)

	r := run(t, dir, kc, "", "-json", "status", no)
	require.Equal(t, 0, r.code, r.stderr)
	var st statusOut
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
	assert.Equal(t, "authorized", st.State)
	assert.Contains(t, st.Actions, "capture")

	r = run(t, dir, kc, "", "capture", no)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "入金済み")

	r = run(t, dir, kc, "", "-json", "status", no)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
	assert.Equal(t, "captured", st.State)
	assert.Equal(t, "paid", st.Status)

	// Twice: a clear message and a non-zero exit, nothing sent.
	r = run(t, dir, kc, "", "-lang", "en", "capture", no)
	assert.NotEqual(t, 0, r.code)
	assert.Contains(t, r.stderr, "error:")
}

func TestBadInputExitsNonZeroWithAMessage(t *testing.T) {
	dir, kc := t.TempDir(), vault.NewMemory()
	no := authorisedOrderNo(t, dir, kc)
	for _, args := range [][]string{
		{"status", "999999"},
		{"change-amount", no, "-100"},
		{"change-amount", no},
		{"cancel"},
		{"import", filepath.Join(dir, "missing.csv")},
		{"profile", "test", "abc"},
	} {
		r := run(t, dir, kc, "", args...)
		assert.Equal(t, 2, r.code, "%v: %s", args, r.stderr)
		assert.Contains(t, r.stderr, "エラー:", "%v", args)
	}
	r := run(t, dir, kc, "", "-json", "status", "999999")
	var e map[string]string
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &e))
	assert.Equal(t, backend.ENOTFOUND, e["error"])
}

func TestBulkCaptureOfEveryAuthorisation(t *testing.T) {
	dir, kc := t.TempDir(), vault.NewMemory()
	authorisedOrderNo(t, dir, kc)
	r := run(t, dir, kc, "", "-json", "capture", "-all-authorised")
	require.Equal(t, 0, r.code, r.stderr)
	var outs []opOut
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &outs))
	require.NotEmpty(t, outs)
	for _, o := range outs {
		assert.Equal(t, backend.BulkSucceeded, o.State, o.Message)
	}
	r = run(t, dir, kc, "", "capture", "-all-authorised")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "対象の決済はありません")
}

func TestExportImportRoundTripAndBrokenCSV(t *testing.T) {
	dir, kc := t.TempDir(), vault.NewMemory()
	authorisedOrderNo(t, dir, kc)
	csvPath := filepath.Join(t.TempDir(), "orders.csv")
	r := run(t, dir, kc, "", "export", "-sjis", "-o", csvPath)
	require.Equal(t, 0, r.code, r.stderr)

	// Into an empty shop: every order arrives.
	other := t.TempDir()
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"-data", other, "import", csvPath}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Config: system.Config{Vault: kc}})
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), "新規 120件")

	// Again: the same file changes nothing.
	out.Reset()
	code = Run(context.Background(), []string{"-data", other, "import", csvPath}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Config: system.Config{Vault: kc}})
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), "新規 0件、更新 0件、変更なし 120件")

	// A broken file changes nothing and says which line.
	broken := filepath.Join(t.TempDir(), "broken.csv")
	require.NoError(t, os.WriteFile(broken, []byte(strings.Join([]string{
		strings.Join(csvimport.Columns, ","),
		"9001,2026/11/20 10:00:00,山田 太郎,ヤマダ タロウ,t@example.jp,090-1111-2222,クレジットカード決済,A-1,煎茶,,3000,1,0,0,0,0,3000,新規受付,",
		"9002,2026/11/20 11:00:00,佐藤 花子,サトウ ハナコ,h@example.jp,090-1111-3333,ポイント払い,A-2,玉露,,5000,1,0,0,0,0,5000,新規受付,",
	}, "\r\n")), 0o600))
	empty := t.TempDir()
	errb.Reset()
	code = Run(context.Background(), []string{"-data", empty, "import", broken}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Config: system.Config{Vault: kc}})
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "何も保存していません")
	assert.Contains(t, errb.String(), "3行目: 「支払方法」 支払方法「ポイント払い」は使えません")

	// -dry-run previews and saves nothing; -json gives the preview.
	good := filepath.Join(t.TempDir(), "good.csv")
	require.NoError(t, os.WriteFile(good, []byte(strings.Join([]string{
		strings.Join(csvimport.Columns, ","),
		"9001,2026/11/20 10:00:00,山田 太郎,ヤマダ タロウ,t@example.jp,090-1111-2222,クレジットカード決済,A-1,煎茶,,3000,1,0,0,0,0,3000,新規受付,",
	}, "\r\n")), 0o600))
	out.Reset()
	code = Run(context.Background(), []string{"-data", empty, "-json", "import", good, "-dry-run"}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Config: system.Config{Vault: kc}})
	require.Equal(t, 0, code, errb.String())
	var pv csvimport.Preview
	require.NoError(t, json.Unmarshal(out.Bytes(), &pv))
	assert.Equal(t, 1, pv.New)
	sys, err := system.Open(context.Background(), system.Config{DataDir: empty, Vault: kc})
	require.NoError(t, err)
	defer sys.Close()
	page, err := sys.Store.FindOrders(context.Background(), backend.OrderFilter{Limit: 1})
	require.NoError(t, err)
	assert.Zero(t, page.Total)
}

func TestProfileAddReadsTheSecretFromStdinAndTests(t *testing.T) {
	sim, err := gmosim.Start(gmosim.Options{})
	require.NoError(t, err)
	defer sim.Close()
	sim.AddShop("tshop0009", "Stdin12345")
	dir, kc := t.TempDir(), vault.NewMemory()

	r := run(t, dir, kc, "Stdin12345\n", "-json", "profile", "add", "-name", "GMO テスト", "-kind", "gmo", "-host", sim.URL(), "-merchant", "tshop0009")
	require.Equal(t, 0, r.code, r.stderr)
	var added map[string]int64
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &added))
	sys, err := system.Open(context.Background(), system.Config{DataDir: dir, Vault: kc})
	require.NoError(t, err)
	v, err := sys.Vault.Get(backend.SecretKey(added["id"], backend.SecretShopPass))
	require.NoError(t, err)
	assert.Equal(t, "Stdin12345", v, "in the keychain, under this folder's name")
	require.NoError(t, sys.Close())
	_, err = kc.Get(backend.SecretKey(added["id"], backend.SecretShopPass))
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err), "never under the bare name another folder would share")

	r = run(t, dir, kc, "", "profile", "test", strconv.FormatInt(added["id"], 10))
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "接続できました")
	assert.NotContains(t, r.stdout+r.stderr, "Stdin12345")

	r = run(t, dir, kc, "", "profile", "list")
	assert.Contains(t, r.stdout, "GMO テスト")
}

func TestSyncReportsWhatItDid(t *testing.T) {
	dir, kc := t.TempDir(), vault.NewMemory()
	r := run(t, dir, kc, "", "-json", "sync")
	require.Equal(t, 0, r.code, r.stderr)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	assert.NotZero(t, rep["Checked"])
}

func TestACommandOnANewFolderNeverSeedsTheDemo(t *testing.T) {
	kc := vault.NewMemory()
	count := func(dir string) int {
		sys, err := system.Open(context.Background(), system.Config{DataDir: dir, Vault: kc})
		require.NoError(t, err)
		defer sys.Close()
		page, err := sys.Store.FindOrders(context.Background(), backend.OrderFilter{Limit: 1})
		require.NoError(t, err)
		return page.Total
	}
	fresh := t.TempDir()
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"-data", fresh, "profile", "list"}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Config: system.Config{Vault: kc, DemoCount: 15}})
	require.Equal(t, 0, code, errb.String())
	assert.Zero(t, count(fresh), "no demo orders without -demo")

	asked := t.TempDir()
	code = Run(context.Background(), []string{"-data", asked, "-demo", "profile", "list"}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Config: system.Config{Vault: kc, DemoCount: 15}})
	require.Equal(t, 0, code, errb.String())
	assert.Equal(t, 15, count(asked), "-demo asks for it explicitly")
}

func TestFlagsAfterThePositionalArguments(t *testing.T) {
	dir, kc := t.TempDir(), vault.NewMemory()
	no := authorisedOrderNo(t, dir, kc)
	r := run(t, dir, kc, "", "-json", "status", no)
	var st statusOut
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
	newAmount := strconv.FormatInt(st.Total-100, 10)

	// As the README writes it: the flag after the order number and the amount.
	r = run(t, dir, kc, "", "change-amount", no, newAmount, "-capture-now")
	require.Equal(t, 0, r.code, r.stderr)
	r = run(t, dir, kc, "", "-json", "status", no)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
	assert.Equal(t, "captured", st.State, "-capture-now was honoured")
}

// A real shop's order, linked from the command line: by the run (GMO SearchTrade by
// OrderID) and by hand with pasted ids, each checked with the gateway.
func TestLinkFromTheCommandLine(t *testing.T) {
	ctx := context.Background()
	sim, err := gmosim.Start(gmosim.Options{})
	require.NoError(t, err)
	defer sim.Close()
	sim.AddShop("tshop0007", "Link123456")
	accessID, accessPass, err := sim.AddCardTrade(gmosim.CardSpec{ShopID: "tshop0007", OrderID: "P100200", Amount: 5500, Status: "AUTH",
		AuthDate: time.Date(2026, 11, 30, 10, 0, 0, 0, backend.JST)})
	require.NoError(t, err)
	_, _, err = sim.AddCardTrade(gmosim.CardSpec{ShopID: "tshop0007", OrderID: "P100201", Amount: 3300, Status: "AUTH",
		AuthDate: time.Date(2026, 11, 30, 11, 0, 0, 0, backend.JST)})
	require.NoError(t, err)

	dir, kc := t.TempDir(), vault.NewMemory()
	open := func() *system.System {
		sys, err := system.Open(ctx, system.Config{DataDir: dir, Vault: kc})
		require.NoError(t, err)
		return sys
	}
	sys := open()
	require.NoError(t, sys.StartOwnShop(ctx))
	for i, no := range []string{"P100200", "P100201", "P100202"} {
		total := []backend.Yen{5500, 3300, 1000}[i]
		require.NoError(t, sys.Store.SaveOrder(ctx, &backend.Order{OrderNo: no, CustomerName: "山田 太郎", PaymentMethod: backend.MethodCard,
			Status: backend.OrderNew, Subtotal: total, Total: total, Source: "csv"}))
	}
	require.NoError(t, sys.Close())
	r := run(t, dir, kc, "Link123456\n", "-json", "profile", "add", "-name", "GMO-PG テスト", "-kind", "gmo", "-host", sim.URL(), "-merchant", "tshop0007")
	require.Equal(t, 0, r.code, r.stderr)

	r = runPlain(t, dir, kc, "link", "P100200", "P100202")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "受注 P100202: 取引なし")

	// By hand: a wrong AccessPass is refused and saves nothing; the right one links.
	r = runPlain(t, dir, kc, "link", "P100201", "-order-id", "P100201", "-tran-pass", "wrong")
	assert.Equal(t, 2, r.code, r.stdout)

	sys = open()
	p, err := sys.Store.PaymentsByOrder(ctx, mustOrder(t, sys, "P100200").ID)
	require.NoError(t, err)
	require.Len(t, p, 1)
	assert.Equal(t, accessID, p[0].GatewayTranID)
	assert.Equal(t, accessPass, p[0].GatewayTranPass)
	assert.Equal(t, backend.StateAuthorized, p[0].State)
	assert.Equal(t, backend.Yen(5500), p[0].AmountAuthorized)
	none, err := sys.Store.PaymentsByOrder(ctx, mustOrder(t, sys, "P100201").ID)
	require.NoError(t, err)
	assert.Empty(t, none, "a refused hand link saves nothing")
	require.NoError(t, sys.Close())

	// Then capture it, as a real shop would.
	r = runPlain(t, dir, kc, "capture", "P100200")
	require.Equal(t, 0, r.code, r.stderr)
	tr, _ := sim.Trade("P100200")
	assert.Equal(t, "SALES", tr.Status)
}

// runPlain runs a command on a data folder without asking for the demo.
func runPlain(t *testing.T, dir string, kc backend.Vault, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), append([]string{"-data", dir}, args...), Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Config: system.Config{Vault: kc}})
	return result{code, out.String(), errb.String()}
}

func mustOrder(t *testing.T, sys *system.System, no string) *backend.Order {
	t.Helper()
	o, err := sys.Store.OrderByNo(context.Background(), no)
	require.NoError(t, err)
	return o
}

// refund and reauth where the gateway allows them; an operation an interrupted run left
// unknown is settled, and reported, before a command sends anything new.
func TestRefundReauthAndTheInterruptedWorkReport(t *testing.T) {
	ctx := context.Background()
	dir, kc := t.TempDir(), vault.NewMemory()
	no := authorisedOrderNo(t, dir, kc) // a GMO 仮売上 of the demo

	// GMO has no partial refund: refused with a message, nothing sent.
	r := run(t, dir, kc, "", "refund", no, "100")
	assert.NotEqual(t, 0, r.code)
	assert.Contains(t, r.stderr, "エラー:")

	r = run(t, dir, kc, "", "cancel", no)
	require.Equal(t, 0, r.code, r.stderr)
	r = run(t, dir, kc, "", "-json", "reauth", no)
	require.Equal(t, 0, r.code, r.stderr)
	var out opOut
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	assert.Equal(t, "authorized", out.State)

	// A captured Paygent payment of the demo: 部分返金.
	sys, err := system.Open(ctx, system.Config{DataDir: dir, Vault: kc})
	require.NoError(t, err)
	paygentIn := func(st backend.PaymentState) (string, *backend.Payment) {
		profs, err := sys.Store.Profiles(ctx)
		require.NoError(t, err)
		for _, p := range profs {
			if p.Kind == backend.GatewayPaygent {
				ps, err := sys.Store.FindPayments(ctx, backend.PaymentFilter{ProfileID: p.ID, States: []backend.PaymentState{st}, Limit: 1})
				require.NoError(t, err)
				require.NotEmpty(t, ps, "the demo has Paygent payments in %s", st)
				o, err := sys.Store.OrderByID(ctx, ps[0].OrderID)
				require.NoError(t, err)
				return o.OrderNo, ps[0]
			}
		}
		t.Fatal("no Paygent demo profile")
		return "", nil
	}
	// Leave an operation as a crash would: journalled and sent, no answer (the request
	// never reached Paygent).
	crashedNo, pay := paygentIn(backend.StateAuthorized)
	op := &backend.Operation{PaymentID: pay.ID, Intent: "capture", Kind: backend.OpCapture, Amount: pay.AmountAuthorized,
		IdempotencyKey: "crashed-1", Operator: "テスト", BeforeState: pay.State, RequestedAt: time.Now()}
	require.NoError(t, sys.Store.BeginOperation(ctx, op))
	require.NoError(t, sys.Store.MarkOperationSent(ctx, op.ID, time.Now()))
	require.NoError(t, sys.Close())

	r = run(t, dir, kc, "", "capture", crashedNo)
	require.Equal(t, 0, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "前回中断した操作 1件の結果を確認しました")
	assert.Contains(t, r.stdout, "受注 "+crashedNo+": 売上")
	assert.Contains(t, r.stdout, "失敗", "Paygent's answer proves it was not applied")
	r = run(t, dir, kc, "", "refund", crashedNo, "100")
	require.Equal(t, 0, r.code, r.stdout+r.stderr)
	r = run(t, dir, kc, "", "-json", "status", crashedNo)
	var st statusOut
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
	assert.Equal(t, "partially_refunded", st.State)
}

// With -json a run prints exactly one JSON document: the result, or the error carrying
// what was found before it. -lang takes ja or en only.
func TestJSONIsOneDocumentPerRun(t *testing.T) {
	kc := vault.NewMemory()
	broken := filepath.Join(t.TempDir(), "broken.csv")
	require.NoError(t, os.WriteFile(broken, []byte(strings.Join(csvimport.Columns, ",")+"\r\n"+
		"9002,2026/11/20 11:00:00,佐藤 花子,サトウ ハナコ,h@example.jp,090-1111-3333,ポイント払い,A-2,玉露,,5000,1,0,0,0,0,5000,新規受付,\r\n"), 0o600))
	r := runPlain(t, t.TempDir(), kc, "-json", "import", broken)
	assert.Equal(t, 2, r.code)
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	var doc map[string]any
	require.NoError(t, dec.Decode(&doc))
	assert.Equal(t, backend.EINVALID, doc["error"])
	assert.NotNil(t, doc["result"], "the preview that found the problem")
	assert.False(t, dec.More(), "one document: %s", r.stdout)

	r = runPlain(t, t.TempDir(), kc, "-lang", "fr", "status", "1")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "-lang")
}

// A Paygent profile from the command line: the client certificate and the server CA
// are files (-cert, -ca), the connect password comes on standard input.
func TestProfileAddPaygentWithCertificateFiles(t *testing.T) {
	sb, err := sandbox.Start(t.TempDir(), nil)
	require.NoError(t, err)
	defer sb.Close()
	in := sb.Info()
	dir, kc := t.TempDir(), vault.NewMemory()
	r := runPlain(t, dir, kc, "-json", "profile", "add", "-name", "ペイジェント テスト", "-kind", "paygent", "-host", in.Paygent.URL,
		"-merchant", in.Paygent.MerchantID, "-sub", in.Paygent.ConnectID, "-cert", in.Paygent.ClientCertFile, "-ca", in.Paygent.CAFile)
	require.Equal(t, 2, r.code, "no connect password on stdin: refused")
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"-data", dir, "-json", "profile", "add", "-name", "ペイジェント テスト", "-kind", "paygent",
		"-host", in.Paygent.URL, "-merchant", in.Paygent.MerchantID, "-sub", in.Paygent.ConnectID, "-cert", in.Paygent.ClientCertFile,
		"-ca", in.Paygent.CAFile}, Env{Stdin: strings.NewReader(in.Paygent.ConnectPassword + "\n\n"), Stdout: &out, Stderr: &errb,
		Config: system.Config{Vault: kc}})
	require.Equal(t, 0, code, errb.String())
	var added map[string]int64
	require.NoError(t, json.Unmarshal(out.Bytes(), &added))
	r = runPlain(t, dir, kc, "profile", "test", strconv.FormatInt(added["id"], 10))
	assert.Equal(t, 0, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "接続できました")
	assert.NotContains(t, out.String()+errb.String()+r.stdout+r.stderr, in.Paygent.ConnectPassword, "no secret in the output")
}

// An authorisation cancelled in the gateway's console before shipping: `sync` says to
// stop shipping the order, once.
func TestSyncSaysToStopShippingAConsoleCancel(t *testing.T) {
	dir, kc := t.TempDir(), vault.NewMemory()
	no := authorisedOrderNo(t, dir, kc)
	sys, err := system.Open(context.Background(), system.Config{DataDir: dir, Vault: kc})
	require.NoError(t, err)
	o, err := sys.Store.OrderByNo(context.Background(), no)
	require.NoError(t, err)
	require.NotEqual(t, backend.OrderShipped, o.Status)
	ps, err := sys.Store.PaymentsByOrder(context.Background(), o.ID)
	require.NoError(t, err)
	console, id, err := sys.Sandbox.Console(ps[len(ps)-1])
	require.NoError(t, err)
	require.NoError(t, console.ConsoleCancel(id))
	require.NoError(t, sys.Close())

	r := run(t, dir, kc, "", "sync")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "出荷を止めてください: 受注 "+no+" の決済")
	assert.Contains(t, r.stdout, "差異 1件")
	r = run(t, dir, kc, "", "sync")
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "出荷を止めて", "said once")
}
