package paygent_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
)

// 094 by trading_id answers one payment, 13001 none, 13002 several (research §B9).
func TestFindTransactionsByTradingID(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "1001", 8000, "20", t0, t0)

	txs, err := f.client.FindTransactions(ctx, backend.MethodCard, "1001")
	require.NoError(t, err)
	require.Len(t, txs, 1)
	assert.Equal(t, backend.TransactionIDs{GatewayOrderID: "1001", GatewayTranID: p.GatewayTranID}, txs[0].TransactionIDs)
	assert.Equal(t, backend.StateAuthorized, txs[0].View.State)
	assert.Equal(t, backend.Yen(8000), txs[0].View.AmountAuthorized)
	assert.True(t, txs[0].View.AuthorizedAt.Equal(t0), "payment_init_date")

	txs, err = f.client.FindTransactions(ctx, backend.MethodCard, "404")
	require.NoError(t, err)
	assert.Empty(t, txs, "13001")

	f.card(t, "1001", 7000, "20", t0, t0)
	_, err = f.client.FindTransactions(ctx, backend.MethodCard, "1001")
	assert.True(t, errors.Is(err, backend.ErrSeveral), "13002: %v", err)

	// Konbini has two payment types: both are asked.
	_, err = f.sim.AddDeposit(paygentsim.DepositSpec{MerchantID: merchantID, TradingID: "2001", Amount: 1200, Type: paygent.TypeKonbiniSlip})
	require.NoError(t, err)
	txs, err = f.client.FindTransactions(ctx, backend.MethodKonbini, "2001")
	require.NoError(t, err)
	require.Len(t, txs, 1)
	assert.Equal(t, backend.MethodKonbini, txs[0].Method)
	assert.Equal(t, backend.StateAwaitingDeposit, txs[0].View.State)
}

func TestLookupTransactionByPaymentID(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	a := f.card(t, "1001", 8000, "32", t0, t0)
	b := f.card(t, "1001", 6000, "20", t0, t0)

	tx, err := f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayOrderID: "1001", GatewayTranID: b.GatewayTranID})
	require.NoError(t, err)
	assert.Equal(t, b.GatewayTranID, tx.GatewayTranID)
	assert.Equal(t, backend.Yen(6000), tx.View.AmountAuthorized)
	tx, err = f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayTranID: a.GatewayTranID})
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, tx.View.State)
	assert.Equal(t, "1001", tx.GatewayOrderID, "Paygent's trading_id")

	_, err = f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayOrderID: "9999", GatewayTranID: b.GatewayTranID})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), "the payment is not that trading_id's")
	_, err = f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayOrderID: "1001"})
	assert.True(t, errors.Is(err, backend.ErrSeveral), "a trading_id alone with two payments")
	_, err = f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayTranID: "98765432"})
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
	_, err = f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayTranID: "12a"})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
}
