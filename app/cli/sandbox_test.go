package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo"
	"kessaidesk/backend/gwhttp"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/system"
	"kessaidesk/backend/vault"
)

// running is a command that keeps running (sandbox) until its context is cancelled.
type running struct {
	out    *io.PipeReader
	stderr *bytes.Buffer // read only after done
	cancel context.CancelFunc
	done   chan int
}

func startCommand(t *testing.T, dir string, kc backend.Vault, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	r := &running{out: pr, stderr: &bytes.Buffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		code := Run(ctx, append([]string{"-data", dir}, args...), Env{Stdin: strings.NewReader(""), Stdout: pw, Stderr: r.stderr,
			Config: system.Config{Vault: kc}})
		pw.Close()
		r.done <- code
	}()
	t.Cleanup(func() { r.stop() })
	return r
}

// stop cancels the command (as Ctrl+C does) and returns its exit code.
func (r *running) stop() int {
	r.cancel()
	go io.Copy(io.Discard, r.out)
	select {
	case code := <-r.done:
		r.done <- code
		return code
	case <-time.After(10 * time.Second):
		return -1
	}
}

type sandboxJSON struct {
	GMO struct {
		URL, ShopID, ShopPass string
	} `json:"gmo"`
	SBPS struct {
		URL, MerchantID, ServiceID, HashKey string
	} `json:"sbps"`
	Paygent struct {
		URL, MerchantID, ConnectID, ConnectPassword, ClientCertFile, CAFile string
	} `json:"paygent"`
	Shop *struct {
		Dir   string   `json:"dir"`
		Files []string `json:"files"`
	} `json:"shop"`
}

// `kessaidesk sandbox -json -shop DIR` prints every simulator with its demo
// credentials and the sample shop's files, keeps serving until stopped, and seeds no
// demo orders into the data folder.
func TestSandboxCommandServesEveryFamily(t *testing.T) {
	ctx := context.Background()
	dir, kc := t.TempDir(), vault.NewMemory()
	shopDir := filepath.Join(t.TempDir(), "shop")
	cmd := startCommand(t, dir, kc, "-json", "sandbox", "-shop", shopDir)
	var out sandboxJSON
	if err := json.NewDecoder(cmd.out).Decode(&out); err != nil {
		code := cmd.stop()
		t.Fatalf("no JSON (%v); exit %d: %s", err, code, cmd.stderr)
	}
	assert.Regexp(t, `^http://127\.0\.0\.1:[0-9]+$`, out.GMO.URL)
	assert.Regexp(t, `^http://127\.0\.0\.1:[0-9]+$`, out.SBPS.URL)
	assert.Regexp(t, `^https://127\.0\.0\.1:[0-9]+$`, out.Paygent.URL)
	require.NotNil(t, out.Shop)
	assert.Len(t, out.Shop.Files, 7)
	for _, f := range out.Shop.Files {
		assert.FileExists(t, f)
		assert.Equal(t, shopDir, filepath.Dir(f))
	}

	// The printed credentials work, while the command runs, with each gateway's client.
	g, err := gmo.New(gmo.Config{Kind: backend.GatewayGMO, Host: out.GMO.URL, ShopID: out.GMO.ShopID, ShopPass: out.GMO.ShopPass,
		Timeout: 5 * time.Second})
	require.NoError(t, err)
	assert.NoError(t, g.Ping(ctx))
	s, err := sbps.New(sbps.Config{Host: out.SBPS.URL, MerchantID: out.SBPS.MerchantID, ServiceID: out.SBPS.ServiceID,
		HashKey: out.SBPS.HashKey, Timeout: 5 * time.Second})
	require.NoError(t, err)
	assert.NoError(t, s.Ping(ctx))
	cert, err := os.ReadFile(out.Paygent.ClientCertFile)
	require.NoError(t, err)
	ca, err := os.ReadFile(out.Paygent.CAFile)
	require.NoError(t, err)
	roots, err := gwhttp.RootPool(ca)
	require.NoError(t, err)
	p, err := paygent.New(paygent.Config{Host: out.Paygent.URL, MerchantID: out.Paygent.MerchantID, ConnectID: out.Paygent.ConnectID,
		ConnectPassword: out.Paygent.ConnectPassword, ClientCertPEM: cert, RootCAs: roots, Timeout: 5 * time.Second})
	require.NoError(t, err)
	assert.NoError(t, p.Ping(ctx))

	assert.Equal(t, 0, cmd.stop(), cmd.stderr.String())
	_, err = g.SearchTrade(ctx, "KESSAIDESK-PING")
	assert.Error(t, err, "stopped: nothing listens any more")

	// Again, in text: the same addresses and credentials, a new sample shop.
	shop2 := filepath.Join(t.TempDir(), "shop2")
	cmd = startCommand(t, dir, kc, "sandbox", "-shop", shop2)
	var text strings.Builder
	sc := bufio.NewScanner(cmd.out)
	for sc.Scan() {
		text.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "Ctrl+C") {
			break
		}
	}
	assert.Equal(t, 0, cmd.stop(), cmd.stderr.String())
	for _, want := range []string{"デモ専用", out.GMO.URL, out.GMO.ShopPass, out.SBPS.HashKey, out.Paygent.URL, out.Paygent.ConnectPassword,
		out.Paygent.ClientCertFile, out.Paygent.CAFile, filepath.Join(shop2, "makeshop-gmo.csv")} {
		assert.Contains(t, text.String(), want)
	}

	// The data folder holds no demo orders and no profiles.
	sys, err := system.Open(ctx, system.Config{DataDir: dir, Vault: kc})
	require.NoError(t, err)
	defer sys.Close()
	page, err := sys.Store.FindOrders(ctx, backend.OrderFilter{Limit: 1})
	require.NoError(t, err)
	assert.Zero(t, page.Total)
	profs, err := sys.Store.Profiles(ctx)
	require.NoError(t, err)
	assert.Empty(t, profs)
}

func TestSandboxCommandRefusesStrayArguments(t *testing.T) {
	r := run(t, t.TempDir(), vault.NewMemory(), "", "sandbox", "extra")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "sandbox")
}
