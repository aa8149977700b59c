package sync

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/vault"
)

// With the difference inquiry enabled, a Paygent profile is synced by one feed of
// changes (091) instead of one inquiry (094) per payment, over client-certificate TLS.
func TestPaygentDepositsArriveThroughTheDifferenceInquiry(t *testing.T) {
	ctx := context.Background()
	sim, store, prof, s := newPaygentSync(t, backend.MethodKonbini)

	var pays []*backend.Payment
	for i := 0; i < 30; i++ {
		o := &backend.Order{OrderNo: fmt.Sprint(7000 + i), OrderedAt: sim.Clock.Now().Add(-time.Hour), CustomerName: "山田 太郎",
			CustomerKana: "ヤマダ タロウ", Email: "t@example.jp", Tel: "090-0000-0000", PaymentMethod: backend.MethodKonbini,
			Status: backend.OrderAwaitingDeposit, Items: []backend.LineItem{{ProductCode: "A", ProductName: "煎茶", UnitPrice: 2000, Quantity: 1}},
			Subtotal: 2000, Total: 2000}
		require.NoError(t, store.SaveOrder(ctx, o))
		tid := fmt.Sprintf("KD%d", 7000+i)
		pid, err := sim.AddDeposit(paygentsim.DepositSpec{MerchantID: "54321", TradingID: tid, Amount: 2000})
		require.NoError(t, err)
		p := &backend.Payment{OrderID: o.ID, ProfileID: prof.ID, Gateway: backend.GatewayPaygent, Method: backend.MethodKonbini,
			GatewayOrderID: tid, GatewayTranID: pid, State: backend.StateAwaitingDeposit, AmountAuthorized: 2000,
			PaymentDeadline: sim.Clock.Now().AddDate(0, 0, 7)}
		require.NoError(t, store.SavePayment(ctx, p))
		pays = append(pays, p)
	}
	// The shop opted in after its back office stopped reading the feed: catch up first.
	require.NoError(t, store.SetSetting(ctx, SettingChangeFeed(prof.ID), "1"))
	rep, err := s.RunOnce(ctx)
	require.NoError(t, err)
	require.Empty(t, rep.Errors)

	for _, i := range []int{3, 11, 29} {
		require.NoError(t, sim.MarkPaid(pays[i].GatewayTranID))
	}
	rep, err = s.RunOnce(ctx)
	require.NoError(t, err)
	require.Empty(t, rep.Errors)
	assert.Equal(t, 3, rep.Deposits)
	assert.Less(t, rep.Requests, 10, "a feed read, not 30 inquiries")
	for i, p := range pays {
		got, err := store.PaymentByID(ctx, p.ID)
		require.NoError(t, err)
		if i == 3 || i == 11 || i == 29 {
			assert.Equal(t, backend.StateDeposited, got.State)
			o, _ := store.OrderByID(ctx, p.OrderID)
			assert.Equal(t, backend.OrderPaid, o.Status)
		} else {
			assert.Equal(t, backend.StateAwaitingDeposit, got.State)
		}
	}
	st, err := store.SyncStatus(ctx, prof.ID)
	require.NoError(t, err)
	assert.Contains(t, st.Cursor, "cursor", "the feed position is kept")

	// Nothing new: one call, nothing changed.
	rep, err = s.RunOnce(ctx)
	require.NoError(t, err)
	assert.Zero(t, rep.Deposits)
	assert.LessOrEqual(t, rep.Requests, 2)
}

// newPaygentSync is a Paygent simulator (client-certificate TLS), a store with one
// Paygent profile for the methods, and a Syncer on the simulator's clock.
func newPaygentSync(t *testing.T, methods ...backend.PaymentMethod) (*paygentsim.Sim, *sqlite.DB, *backend.GatewayProfile, *Syncer) {
	t.Helper()
	sim, err := paygentsim.Start(paygentsim.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	sim.AddMerchant(paygentsim.Merchant{ID: "54321", ConnectID: "feedconn", ConnectPassword: "FeedPass1"})
	cert, key, err := sim.PKI().IssueClient(paygentsim.ClientSpec{CommonName: "54321"})
	require.NoError(t, err)
	store, err := sqlite.Open(t.TempDir() + "/kd.db")
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	store.Now = sim.Clock.Now
	prof := &backend.GatewayProfile{Name: "ペイジェント", Kind: backend.GatewayPaygent, Environment: backend.EnvTest, Host: sim.URL(),
		MerchantID: "54321", SubID: "feedconn", Methods: methods, AuthExpiryDays: 60}
	require.NoError(t, store.SaveProfile(context.Background(), prof))
	kc := vault.NewMemory()
	kc.Set(backend.SecretKey(prof.ID, backend.SecretConnectPassword), "FeedPass1")
	kc.Set(backend.SecretKey(prof.ID, backend.SecretClientCert), string(cert)+string(key))
	return sim, store, prof, &Syncer{Store: store, Gateways: &gateways.Factory{Vault: kc, RootCAs: sim.PKI().RootCAs()}, Clock: simClock{sim}}
}

type simClock struct{ sim *paygentsim.Sim }

func (c simClock) Now() time.Time { return c.sim.Clock.Now() }
