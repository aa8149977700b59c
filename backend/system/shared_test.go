package system

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/pgstore/pgtest"
	"kessaidesk/backend/shareddb"
	"kessaidesk/backend/vault"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Cleanup()
	os.Exit(code)
}

// serverForm is an empty database on the test server, as the 共有データベース form
// would hold it.
func serverForm(t *testing.T) (shareddb.Config, string) {
	u, err := url.Parse(pgtest.EmptyDSN(t))
	require.NoError(t, err)
	port, _ := strconv.Atoi(u.Port())
	pw, _ := u.User.Password()
	return shareddb.Config{Host: u.Hostname(), Port: port, Database: strings.TrimPrefix(u.Path, "/"),
		User: u.User.Username(), SSLMode: shareddb.Disable}, pw
}

// ownShop fills a folder with a real (not demo) shop: a GMO profile, n card orders
// in 仮売上 and the operator's name.
func ownShop(t *testing.T, sys *System, n int, operator string) {
	ctx := context.Background()
	require.NoError(t, sys.StartOwnShop(ctx))
	prof := &backend.GatewayProfile{Name: "本番GMO", Kind: backend.GatewayGMO, MerchantID: "tshop001", Host: "https://pt01.mul-pay.jp"}
	require.NoError(t, sys.Store.SaveProfile(ctx, prof))
	day := time.Date(2026, 11, 20, 10, 0, 0, 0, backend.JST)
	for i := range n {
		no := fmt.Sprintf("%d", 5000+i)
		o := &backend.Order{OrderNo: no, OrderedAt: day, UpdatedAt: day, CustomerName: "佐藤花子", CustomerKana: "サトウハナコ",
			Email: "sato" + no + "@example.jp", PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Source: "csv",
			Items: []backend.LineItem{{ProductCode: "A1", ProductName: "急須", UnitPrice: 3000, Quantity: 1}}, Subtotal: 3000, Total: 3000}
		require.NoError(t, sys.Store.SaveOrder(ctx, o))
		require.NoError(t, sys.Store.SavePayment(ctx, &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewayGMO,
			Method: backend.MethodCard, GatewayOrderID: "G-" + no, GatewayTranID: "acc-" + no, GatewayTranPass: "pass",
			State: backend.StateAuthorized, AmountAuthorized: 3000, AuthorizedAt: day, AuthExpiresAt: day.AddDate(0, 0, 60)}))
	}
	require.NoError(t, sys.Store.SetSetting(ctx, "operator", operator))
}

func orderCount(t *testing.T, sys *System) int {
	page, err := sys.Store.FindOrders(context.Background(), backend.OrderFilter{Limit: 1})
	require.NoError(t, err)
	return page.Total
}

// A shop moves its orders to the team's server, a second desktop joins it, each keeps
// its own 操作者, a desktop that cannot reach the server shows the last copy and sends
// nothing, and the first desktop takes the orders back.
func TestSharedDatabaseMoveJoinOfflineAndBack(t *testing.T) {
	if !pgtest.Available() {
		t.Skip("no PostgreSQL test server (build/scripts/pg.sh)")
	}
	ctx := context.Background()
	keychain := vault.NewMemory() // both desktops' keychains: entries are per configuration
	form, password := serverForm(t)

	// Desktop 1 has its own shop and moves it to the server.
	dir1 := t.TempDir()
	sys1, err := Open(ctx, Config{DataDir: dir1, Vault: keychain})
	require.NoError(t, err)
	ownShop(t, sys1, 30, "田中")
	require.NoError(t, sys1.Vault.Set("profile/1/shop-pass", "gateway-secret"))
	report, err := sys1.MoveToServer(ctx, form, password)
	require.NoError(t, err)
	moved := map[string]int64{}
	for _, tc := range report.Tables {
		moved[tc.Table] = tc.Copied
		assert.Equal(t, tc.Source-tc.Kept, tc.Copied, tc.Table)
	}
	assert.EqualValues(t, 30, moved["orders"])
	assert.EqualValues(t, 30, moved["payments"])
	// Until the restart, nothing is sent from the folder's old database.
	pays, err := sys1.Store.FindPayments(ctx, backend.PaymentFilter{Limit: 1})
	require.NoError(t, err)
	_, err = sys1.Engine.Capture(ctx, payment.Request{PaymentID: pays[0].ID, Operator: "田中"})
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "再起動")
	require.NoError(t, sys1.Close())

	sys1, err = Open(ctx, Config{DataDir: dir1, Vault: keychain})
	require.NoError(t, err)
	assert.Equal(t, "shared", sys1.SharedStatus().Mode)
	assert.Contains(t, sys1.Database, form.Database)
	assert.NotContains(t, sys1.Database, password)
	assert.Equal(t, 30, orderCount(t, sys1), "the orders are on the server")
	op, _ := sys1.Store.Setting(ctx, "operator")
	assert.Equal(t, "田中", op, "this desktop's 操作者 came along")
	profs, err := sys1.Store.Profiles(ctx)
	require.NoError(t, err)
	require.Len(t, profs, 1)
	secret, err := sys1.Vault.Get("profile/1/shop-pass")
	require.NoError(t, err, "the gateway secrets are found under the same keychain names after the move")
	assert.Equal(t, "gateway-secret", secret)

	// Desktop 2 (a new folder) joins and sees the same orders; its 操作者 is its own.
	dir2 := t.TempDir()
	sys2, err := Open(ctx, Config{DataDir: dir2, Vault: keychain})
	require.NoError(t, err)
	res, err := sys2.JoinShared(ctx, form, password)
	require.NoError(t, err)
	assert.Equal(t, "current", res.Schema)
	assert.EqualValues(t, 30, res.Orders)
	require.NoError(t, sys2.Close())
	sys2, err = Open(ctx, Config{DataDir: dir2, Vault: keychain})
	require.NoError(t, err)
	assert.Equal(t, 30, orderCount(t, sys2))
	require.NoError(t, sys2.Store.SetSetting(ctx, "operator", "鈴木"))
	op, _ = sys1.Store.Setting(ctx, "operator")
	assert.Equal(t, "田中", op, "one desktop's 操作者 is not the other's")
	require.NoError(t, sys2.Store.SetSetting(ctx, "sync.interval_minutes", "7"))
	v, _ := sys1.Store.Setting(ctx, "sync.interval_minutes")
	assert.Equal(t, "7", v, "the team's settings are shared")

	// Desktop 2 keeps a copy; then the server is out of reach.
	require.NoError(t, sys2.RenewOfflineCopy(ctx))
	require.NoError(t, sys2.Close())
	cfg, err := shareddb.Load(dir2)
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	cfg.Port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	require.NoError(t, shareddb.Save(dir2, cfg))
	sys2, err = Open(ctx, Config{DataDir: dir2, Vault: keychain})
	require.NoError(t, err, "the window starts without the server")
	st := sys2.SharedStatus()
	assert.Equal(t, "offline", st.Mode)
	assert.Equal(t, backend.EOFFLINE, backend.ErrorCode(st.Offline))
	assert.False(t, st.CopyAt.IsZero())
	assert.Equal(t, 30, orderCount(t, sys2), "the last copy is shown")
	page, err := sys2.Store.FindOrders(ctx, backend.OrderFilter{Limit: 1})
	require.NoError(t, err)
	pays, err = sys2.Store.PaymentsByOrder(ctx, page.Rows[0].ID)
	require.NoError(t, err)
	require.NotEmpty(t, pays)
	_, err = sys2.Engine.Capture(ctx, payment.Request{PaymentID: pays[0].ID, Operator: "鈴木", IdempotencyKey: "k1"})
	require.Error(t, err, "nothing is sent from the copy")
	assert.Equal(t, backend.EOFFLINE, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "読み取り専用")
	err = sys2.Store.SetOrderStatus(ctx, page.Rows[0].ID, backend.OrderShipped, "鈴木")
	assert.Equal(t, backend.EOFFLINE, backend.ErrorCode(err))
	require.NoError(t, sys2.Store.SetSetting(ctx, "language", "en"), "this desktop's own settings still change")
	ops, err := sys1.Store.OperationsByPayment(ctx, pays[0].ID)
	require.NoError(t, err)
	assert.Empty(t, ops, "the server never heard of the refused capture")
	require.NoError(t, sys2.Close())

	// Desktop 1 takes the orders back and leaves; its old file went to the backups.
	report, err = sys1.MoveToLocal(ctx)
	require.NoError(t, err)
	require.NoError(t, sys1.Close())
	sys1, err = Open(ctx, Config{DataDir: dir1, Vault: keychain})
	require.NoError(t, err)
	defer sys1.Close()
	assert.Equal(t, "local", sys1.SharedStatus().Mode)
	assert.Equal(t, 30, orderCount(t, sys1))
	op, _ = sys1.Store.Setting(ctx, "operator")
	assert.Equal(t, "田中", op)
	backups, err := filepath.Glob(filepath.Join(dir1, "backups", "kessaidesk-before-shared-*"))
	require.NoError(t, err)
	assert.NotEmpty(t, backups, "the folder's database from before the move is kept")
	list, err := sys1.Backups()
	require.NoError(t, err)
	kinds := map[string]bool{}
	for _, b := range list {
		kinds[b.Kind] = true
	}
	assert.True(t, kinds[BackupBeforeShared], "listed as 共有にする前")
}

func TestTheDemoShopIsNotMovedToAServer(t *testing.T) {
	if !pgtest.Available() {
		t.Skip("no PostgreSQL test server (build/scripts/pg.sh)")
	}
	ctx := context.Background()
	form, password := serverForm(t)
	sys, err := Open(ctx, Config{DataDir: t.TempDir(), Vault: vault.NewMemory(), Demo: true, DemoCount: 10})
	require.NoError(t, err)
	defer sys.Close()
	_, err = sys.MoveToServer(ctx, form, password)
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "デモショップ")
	assert.Nil(t, sys.Shared)
	_, err = os.Stat(filepath.Join(sys.DataDir, shareddb.File))
	assert.True(t, os.IsNotExist(err), "nothing saved")
}

// A wrong password in the keychain is not a crash: the window opens on the last copy
// (or an empty one) and says why.
func TestAMissingPasswordOpensOfflineAndSaysWhy(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, shareddb.Save(dir, &shareddb.Config{Host: "127.0.0.1", Port: 1, Database: "shop", User: "u", SSLMode: shareddb.Disable}))
	sys, err := Open(context.Background(), Config{DataDir: dir, Vault: vault.NewMemory()})
	require.NoError(t, err)
	defer sys.Close()
	st := sys.SharedStatus()
	assert.Equal(t, "offline", st.Mode)
	assert.Equal(t, backend.ECREDENTIAL, backend.ErrorCode(st.Offline))
	assert.Contains(t, backend.ErrorMessage(st.Offline, "ja"), "キーチェーン")
	assert.Zero(t, orderCount(t, sys))
	needed, err := sys.SetupNeeded(context.Background())
	require.NoError(t, err)
	assert.False(t, needed, "no first-start question on the offline stand-in")
}
