package hostile

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/app/cli"
	"kessaidesk/backend"
	"kessaidesk/backend/system"
	"kessaidesk/backend/vault"
)

// The attacks the binary cannot stage in a test's time, over the real command-line
// code and system.Open in this process.

// A connection test that times out says the test changed nothing (not "will check
// whether it was processed"). The binary waits the gateways' 30 s; here the same
// command line runs with a short timeout on the system it opens.
// Guards 85206b1 (profiles.Service.Test, an unknown outcome of an inquiry).
func TestConnectionTestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // an answer that never comes
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	dir, kc := t.TempDir(), vault.NewMemory()
	open := func(ctx context.Context, cfg system.Config) (*system.System, error) {
		sys, err := system.Open(ctx, cfg)
		if err == nil {
			sys.Gateways.Timeout = 300 * time.Millisecond
		}
		return sys, err
	}
	run := func(stdin string, args ...string) (int, string) {
		var out bytes.Buffer
		code := cli.Run(context.Background(), append([]string{"-data", dir}, args...), cli.Env{
			Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &out, Open: open, Config: system.Config{Vault: kc}})
		return code, out.String()
	}
	code, out := run("Hostile123\n", "profile", "add", "-name", "GMO", "-kind", "gmo", "-merchant", "tshop00000001", "-host", srv.URL)
	require.Equal(t, 0, code, out)
	code, out = run("", "profile", "test", "1")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "タイムアウト")
	assert.Contains(t, out, "何も変更しない")
	assert.NotContains(t, out, "処理されたかどうか")
	assert.NotContains(t, out, "Hostile123")
}

// Yen arithmetic cannot wrap: 2^62 × 4 is 0 in int64, and such an order is refused
// by the store the app and the import save through, nothing saved; the most negative
// amount prints with one minus sign. Guards 531d319 (Order.Validate, LineAmount, FormatYen).
func TestYenCannotWrap(t *testing.T) {
	ctx := context.Background()
	sys, err := system.Open(ctx, system.Config{DataDir: t.TempDir(), Vault: vault.NewMemory()})
	require.NoError(t, err)
	defer sys.Close()
	wraps := &backend.Order{OrderNo: "H1", PaymentMethod: backend.MethodOther, Status: backend.OrderNew,
		Items: []backend.LineItem{{ProductName: "壺", UnitPrice: 1 << 62, Quantity: 4}}}
	err = sys.Store.SaveOrder(ctx, wraps)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "数量または単価が正しくありません")
	_, err = sys.Store.OrderByNo(ctx, "H1")
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err), "nothing saved")

	assert.Equal(t, "-9,223,372,036,854,775,808円", backend.Yen(math.MinInt64).String())
}
