package app

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/sandbox"
	"kessaidesk/backend/system"
	"kessaidesk/backend/vault"
)

// 受注詳細 of a Paygent payment whose trading_id holds two payments after a correction
// made in Paygent's console: 要確認, the candidates side by side (as the link panel
// shows transactions), the operator's pasted payment_id added, and the choice settling it.
func TestPaygentCandidatesInTheOrderDetail(t *testing.T) {
	sys, o, p, _ := openDemo(t)
	ctx := context.Background()
	page, err := o.Search(OrderSearch{Methods: []string{"card"}, PaymentStates: []string{"authorized"}, PageSize: 500})
	require.NoError(t, err)
	var pay Payment
	var orderID int64
	for _, row := range page.Rows {
		d, err := o.Detail(row.ID)
		require.NoError(t, err)
		if d.Payments[0].Gateway == string(backend.GatewayPaygent) {
			pay, orderID = d.Payments[0], d.ID
			break
		}
	}
	require.NotZero(t, orderID, "the demo shop has a Paygent 仮売上")
	require.Nil(t, pay.Review)

	// The console lowers the amount: 補正オーソリ (028), a new payment_id.
	stored, err := sys.Store.PaymentByID(ctx, pay.ID)
	require.NoError(t, err)
	prof, err := sys.Store.ProfileByID(ctx, stored.ProfileID)
	require.NoError(t, err)
	gw, err := sys.Gateways.Gateway(ctx, prof)
	require.NoError(t, err)
	r, err := gw.(*paygent.Client).Correct(ctx, paygent.KindCardAuthCorrect, stored.GatewayTranID, stored.GatewayOrderID, stored.AmountAuthorized-100, false)
	require.NoError(t, err)
	newID := r["payment_id"]

	_, err = p.Capture(pay.ID, "key-13002")
	require.Error(t, err, "the old payment is cancelled at Paygent")
	d, err := o.Detail(orderID)
	require.NoError(t, err)
	got := d.Payments[0]
	assert.Equal(t, "needs_review", got.State.Code)
	assert.Empty(t, got.Actions)
	require.NotNil(t, got.Review)
	require.Len(t, got.Review.Candidates, 1)
	assert.Equal(t, stored.GatewayTranID, got.Review.Candidates[0].TranID)
	assert.Equal(t, "voided", got.Review.Candidates[0].State.Code)

	_, err = p.AddCandidates(pay.ID, []string{"99999999"})
	require.Error(t, err)
	res, err := p.AddCandidates(pay.ID, []string{" " + newID + " "})
	require.NoError(t, err)
	cands := res.Order.Payments[0].Review.Candidates
	require.Len(t, cands, 2, "side by side")
	assert.Equal(t, newID, cands[1].TranID)
	assert.Equal(t, "authorized", cands[1].State.Code)
	assert.Equal(t, int64(stored.AmountAuthorized-100), cands[1].Amount)

	res, err = p.ChooseCandidate(pay.ID, newID)
	require.NoError(t, err)
	after := res.Order.Payments[0]
	assert.Equal(t, "authorized", after.State.Code)
	assert.Equal(t, newID, after.GatewayTranID)
	assert.Nil(t, after.Review)
	assert.Contains(t, after.Actions, "capture")
	assert.Contains(t, after.Operations[0].Message, newID, "the journal says what was chosen")
}

// The Paygent profile form keeps the sales-cancel window (起算日 and days); other input
// is refused with a Japanese message and nothing saved.
func TestPaygentProfileSalesCancelWindow(t *testing.T) {
	sb, err := sandbox.Start(t.TempDir(), nil)
	require.NoError(t, err)
	defer sb.Close()
	info := sb.Info()
	sys, err := system.Open(context.Background(), system.Config{DataDir: t.TempDir(), Vault: vault.NewMemory()})
	require.NoError(t, err)
	defer sys.Close()
	b := Bind(NewServices(sys, "test"))
	require.NoError(t, b.Settings.StartOwnShop())
	cert, err := os.ReadFile(info.Paygent.ClientCertFile)
	require.NoError(t, err)
	ca, err := os.ReadFile(info.Paygent.CAFile)
	require.NoError(t, err)
	in := ProfileInput{Name: "ペイジェント", Kind: "paygent", Environment: "test", Host: info.Paygent.URL, MerchantID: info.Paygent.MerchantID,
		SubID: info.Paygent.ConnectID, Methods: []string{"card"}, Secrets: map[string]string{backend.SecretConnectPassword: info.Paygent.ConnectPassword,
			backend.SecretClientCert: string(cert), backend.SecretCACert: string(ca)}}

	v, err := b.Gateways.Save(in)
	require.NoError(t, err)
	assert.Equal(t, "sale", v.SalesCancelFrom, "the usual contract: from the sale")
	assert.Equal(t, 60, v.SalesCancelDays)

	in.ID, in.SalesCancelFrom, in.SalesCancelDays, in.Secrets = v.ID, "auth", "45", nil
	v, err = b.Gateways.Save(in)
	require.NoError(t, err)
	assert.Equal(t, "auth", v.SalesCancelFrom)
	assert.Equal(t, 45, v.SalesCancelDays)
	prof, err := sys.Store.ProfileByID(context.Background(), v.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.CancelWindow{From: backend.CancelFromAuth, Days: 45}, prof.SalesCancel)

	for _, bad := range []struct{ from, days string }{{"capture", "60"}, {"auth", "400"}, {"auth", "六十"}} {
		in.SalesCancelFrom, in.SalesCancelDays = bad.from, bad.days
		_, err := b.Gateways.Save(in)
		require.Error(t, err, "%+v", bad)
		assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
		assert.Contains(t, backend.ErrorMessage(err, "ja"), "売上取消の期限")
	}
	prof, err = sys.Store.ProfileByID(context.Background(), v.ID)
	require.NoError(t, err)
	assert.Equal(t, backend.CancelWindow{From: backend.CancelFromAuth, Days: 45}, prof.SalesCancel, "nothing saved")
}
