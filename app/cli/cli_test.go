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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/csvimport"
	"kessaidesk/backend/gmo/gmosim"
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
	assert.Contains(t, out.String(), "120件の受注を取り込みました")

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
	assert.Contains(t, errb.String(), "3行目: 支払方法「ポイント払い」は使えません")
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
	v, err := kc.Get(backend.SecretKey(added["id"], backend.SecretShopPass))
	require.NoError(t, err)
	assert.Equal(t, "Stdin12345", v)

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
