package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/link"
	"kessaidesk/backend/sandbox"
	"kessaidesk/backend/system"
	"kessaidesk/backend/vault"
)

// A real shop's path through the window's bound structs, for every gateway family:
// start with my shop (no demo), add profiles through the same form a real shop uses,
// pointing at a sandbox on 127.0.0.1 (as `kessaidesk sandbox -shop` runs it), import
// each back office's CSV, link the orders (by the run, and from the consoles' CSVs),
// then capture one and export.
func TestOwnShopImportLinkCaptureExport(t *testing.T) {
	ctx := context.Background()
	sb, err := sandbox.Start(t.TempDir(), nil)
	require.NoError(t, err)
	defer sb.Close()
	shop, err := sb.CreateSampleShop(t.TempDir(), time.Now())
	require.NoError(t, err)
	file := func(name string) string {
		for _, f := range shop.Files {
			if filepath.Base(f) == name {
				return f
			}
		}
		t.Fatalf("the sample shop has no %s", name)
		return ""
	}
	info := sb.Info()

	sys, err := system.Open(ctx, system.Config{DataDir: t.TempDir(), Vault: vault.NewMemory()})
	require.NoError(t, err)
	defer sys.Close()
	b := Bind(NewServices(sys, "test"))
	in, err := b.Settings.Info()
	require.NoError(t, err)
	require.True(t, in.SetupNeeded)
	require.NoError(t, b.Settings.StartOwnShop())
	in, err = b.Settings.Info()
	require.NoError(t, err)
	assert.False(t, in.SetupNeeded)
	assert.False(t, in.Demo, "no demo data")

	save := func(p ProfileInput) int64 {
		v, err := b.Gateways.Save(p)
		require.NoError(t, err, p.Name)
		res, err := b.Gateways.Test(v.ID)
		require.NoError(t, err)
		require.True(t, res.OK, "%s: %s", p.Name, res.Message)
		return v.ID
	}
	gmoSecrets := map[string]string{backend.SecretShopPass: info.GMO.ShopPass}
	makeshop := save(ProfileInput{Name: "GMO-PG（MakeShop）", Kind: "gmo", Environment: "test", Host: info.GMO.URL, MerchantID: info.GMO.ShopID,
		Methods: []string{"card"}, Secrets: gmoSecrets, LinkRule: LinkRule{RetrySuffixes: true}})
	eccube := save(ProfileInput{Name: "GMO-PG（EC-CUBE）", Kind: "gmo", Environment: "test", Host: info.GMO.URL, MerchantID: info.GMO.ShopID,
		Methods: []string{"card"}, Secrets: gmoSecrets, LinkRule: LinkRule{Timestamped: true}})
	sbps := save(ProfileInput{Name: "SBペイメント", Kind: "sbps", Environment: "test", Host: info.SBPS.URL, MerchantID: info.SBPS.MerchantID,
		SubID: info.SBPS.ServiceID, Methods: []string{"card"}, Secrets: map[string]string{backend.SecretHashKey: info.SBPS.HashKey}})
	cert, err := os.ReadFile(info.Paygent.ClientCertFile)
	require.NoError(t, err)
	ca, err := os.ReadFile(info.Paygent.CAFile)
	require.NoError(t, err)
	paygent := save(ProfileInput{Name: "ペイジェント", Kind: "paygent", Environment: "test", Host: info.Paygent.URL, MerchantID: info.Paygent.MerchantID,
		SubID: info.Paygent.ConnectID, Methods: []string{"card"}, Secrets: map[string]string{backend.SecretConnectPassword: info.Paygent.ConnectPassword,
			backend.SecretClientCert: string(cert), backend.SecretCACert: string(ca)}})

	importFile := func(name string) {
		path := file(name)
		fi, err := b.Import.Inspect(path, "")
		require.NoError(t, err, name)
		require.NotEmpty(t, fi.Suggested, "%s: a preset is recognised", name)
		req := ImportRequest{Path: path, Layout: fi.Suggested}
		_, err = b.Import.Commit(req)
		require.Error(t, err, "%s: no commit without a preview", name)
		pv, err := b.Import.Preview(req)
		require.NoError(t, err, name)
		require.True(t, pv.OK, "%s: %+v", name, pv.Problems)
		res, err := b.Import.Commit(req)
		require.NoError(t, err, name)
		assert.Equal(t, pv.New, res.New, name)
		// The same file again changes nothing.
		pv, err = b.Import.Preview(req)
		require.NoError(t, err, name)
		assert.Zero(t, pv.New+pv.Updated, "%s: re-importing changes nothing", name)
	}
	ordersOf := func(csv string) (ids []int64, orders []sandbox.SampleOrder) {
		for _, o := range shop.Orders {
			if o.File == csv && o.Gateway != "" {
				ord, err := sys.Store.OrderByNo(ctx, o.OrderNo)
				require.NoError(t, err, o.OrderNo)
				if ord.Status == backend.OrderCancelled {
					continue // cancelled in the back office: not linked by itself (by hand if wanted)
				}
				ids, orders = append(ids, ord.ID), append(orders, o)
			}
		}
		require.NotEmpty(t, orders, csv)
		return ids, orders
	}
	run := func(profile int64, ids []int64) {
		_, err := sys.Links.Run(ctx, link.RunOptions{ProfileID: profile, OrderIDs: ids})
		require.NoError(t, err)
	}
	console := func(csv string, profile int64) *ConsoleImportResult {
		res, err := b.Link.ImportConsole(ConsoleImportRequest{Path: file(csv), ProfileID: profile})
		require.NoError(t, err, csv)
		return res
	}
	// linked checks an order's payment is its live transaction, with the gateway's amount.
	linked := func(o sandbox.SampleOrder) *backend.Payment {
		ord, err := sys.Store.OrderByNo(ctx, o.OrderNo)
		require.NoError(t, err)
		ps, err := sys.Store.PaymentsByOrder(ctx, ord.ID)
		require.NoError(t, err)
		live, ok := o.Live()
		require.True(t, ok, o.OrderNo)
		if len(ps) != 1 {
			l, _ := sys.Links.State(ctx, ord.ID)
			t.Fatalf("order %s (%s) is not linked once: %d payments, link %+v; sample %+v", o.OrderNo, o.File, len(ps), l, o)
		}
		assert.Equal(t, live.GatewayOrderID, ps[0].GatewayOrderID, o.OrderNo)
		assert.Equal(t, live.TranID, ps[0].GatewayTranID, o.OrderNo)
		assert.Equal(t, live.Amount, ps[0].AmountAuthorized+ps[0].AmountCaptured-min(ps[0].AmountAuthorized, ps[0].AmountCaptured), o.OrderNo)
		return ps[0]
	}

	// MakeShop × GMO: the order number is the OrderID; a re-payment is "-1".
	importFile("makeshop-gmo.csv")
	ids, orders := ordersOf("makeshop-gmo.csv")
	run(makeshop, ids)
	var toCapture *sandbox.SampleOrder
	for i, o := range orders {
		p := linked(o)
		if p.State == backend.StateAuthorized && toCapture == nil {
			toCapture = &orders[i]
		}
	}

	// EC-CUBE 4 × GMO: the OrderID has a timestamp no order CSV carries: the run says
	// so; the console's CSV links them.
	importFile("eccube4-gmo.csv")
	ids, orders = ordersOf("eccube4-gmo.csv")
	run(eccube, ids)
	l, err := sys.Links.State(ctx, ids[0])
	require.NoError(t, err)
	assert.Equal(t, backend.LinkConsoleOnly, l.Status)
	res := console("gmo-console.csv", eccube)
	assert.Equal(t, len(orders), res.Linked, "%+v", res)
	for _, o := range orders {
		linked(o)
	}

	// futureshop × SBPS: SBPS looks up by tracking id only: the 伝票検索 CSV links
	// them, the error row skipped, the amount from the console.
	importFile("futureshop-sbps.csv")
	_, orders = ordersOf("futureshop-sbps.csv")
	res = console("sbps-console.csv", sbps)
	assert.Equal(t, len(orders), res.Linked, "%+v", res)
	for _, o := range orders {
		linked(o)
	}

	// EC-CUBE 2 × Paygent: trading_id = 注文番号; one order has two payments (13002):
	// listed with the reason, linked from the console's CSV.
	importFile("eccube2-paygent.csv")
	ids, orders = ordersOf("eccube2-paygent.csv")
	run(paygent, ids)
	rows, err := b.Link.Unlinked()
	require.NoError(t, err)
	ambiguous := 0
	for _, r := range rows {
		if r.Status.Code == string(backend.LinkAmbiguous) {
			ambiguous++
			assert.NotEmpty(t, r.Reason)
		}
	}
	assert.Equal(t, 1, ambiguous, "the order with two payments waits for the operator")
	console("paygent-console.csv", paygent)
	for _, o := range orders {
		linked(o)
	}

	// Capture a linked MakeShop order: the gateway confirms, the order is 入金済み.
	require.NotNil(t, toCapture)
	ord, err := sys.Store.OrderByNo(ctx, toCapture.OrderNo)
	require.NoError(t, err)
	d, err := b.Orders.Detail(ord.ID)
	require.NoError(t, err)
	require.Len(t, d.Payments, 1)
	result, err := b.Payments.Run(d.Payments[0].ID, ActionInput{Intent: "capture"}, "own-shop-capture-1")
	require.NoError(t, err)
	assert.Equal(t, "captured", result.Order.Payments[0].State.Code)
	assert.Equal(t, "paid", result.Order.Status.Code)
	live, _ := toCapture.Live()
	tr, ok := sb.Sim.Trade(live.GatewayOrderID)
	require.True(t, ok)
	assert.Equal(t, "SALES", tr.Status)

	// Export: into the data folder refused; elsewhere written atomically.
	_, err = b.Orders.Export(OrderSearch{}, "cp932", filepath.Join(sys.DataDir, "orders.csv"))
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	out := filepath.Join(t.TempDir(), "orders.csv")
	ex, err := b.Orders.Export(OrderSearch{}, "cp932", out)
	require.NoError(t, err)
	assert.Equal(t, len(shop.Orders), ex.Count)
	st, err := os.Stat(out)
	require.NoError(t, err)
	assert.Positive(t, st.Size())
}
