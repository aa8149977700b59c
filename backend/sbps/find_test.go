package sbps_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sbps/sbpssim"
)

// SBPS looks payments up by tracking_id only (research §A4; shop-csv-linking.md §3.2).
func TestFindByOrderIDIsUnsupportedAndSendsNothing(t *testing.T) {
	f := setup(t)
	_, err := f.client.FindTransactions(context.Background(), backend.MethodCard, "FS0001")
	require.Error(t, err)
	assert.Equal(t, backend.EUNSUPPORTED, backend.ErrorCode(err))
	assert.Equal(t, "SBPSはトラッキングIDでしか照会できません。SBPS管理画面の取引CSVを取り込むか、トラッキングIDを入力してください",
		backend.ErrorMessage(err, "ja"))
	assert.Zero(t, f.sim.Server.Log.Count("/api/xmlapi.do"))
}

func TestLookupByTrackingIDHasTheStateButNoAmount(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "FS0001", 5500, "2", t0, t0)
	tx, err := f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayOrderID: "FS0001", GatewayTranID: " " + p.GatewayTranID + " "})
	require.NoError(t, err)
	assert.Equal(t, backend.GatewaySBPS, tx.Gateway)
	assert.Equal(t, p.GatewayTranID, tx.GatewayTranID)
	assert.Equal(t, "FS0001", tx.GatewayOrderID, "the order_id given: SBPS's answer has none")
	assert.Equal(t, backend.StateCaptured, tx.View.State)
	assert.Equal(t, "2", tx.View.RawStatus)
	assert.Zero(t, tx.View.AmountAuthorized, "MG01 carries no amount")
	assert.False(t, tx.AmountFromConsole)

	cvs, err := f.sim.AddWebCvsTrade(sbpssim.DepositSpec{MerchantID: merchantID, ServiceID: serviceID, OrderID: "FS0002", Amount: 1200})
	require.NoError(t, err)
	tx, err = f.client.LookupTransaction(ctx, backend.MethodKonbini, backend.TransactionIDs{GatewayTranID: cvs})
	require.NoError(t, err)
	assert.Equal(t, backend.StateAwaitingDeposit, tx.View.State)

	_, err = f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayTranID: "12345678901234"})
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	_, err = f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayOrderID: "FS0001"})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	_, err = f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayTranID: "123456789012345"})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), "tracking ids have at most 14 characters")
}
