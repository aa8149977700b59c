package gmo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo/gmosim"
)

// SearchTrade answers AccessID, AccessPass, Status, ProcessDate, Amount and Tax apart
// (gmo-mulpay.md §3.5); SearchTradeMulti the same for konbini and Pay-easy (§7).
func TestFindTransactionsByOrderID(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	auth := time.Date(2026, 11, 9, 18, 30, 0, 0, backend.JST)
	id, pass, err := f.sim.AddCardTrade(gmosim.CardSpec{ShopID: shopID, OrderID: "KD-1", Amount: 5000, AuthDate: auth})
	require.NoError(t, err)

	txs, err := f.client.FindTransactions(ctx, backend.MethodCard, "KD-1")
	require.NoError(t, err)
	require.Len(t, txs, 1)
	tx := txs[0]
	assert.Equal(t, backend.TransactionIDs{GatewayOrderID: "KD-1", GatewayTranID: id, GatewayTranPass: pass}, tx.TransactionIDs)
	assert.Equal(t, backend.GatewayGMO, tx.Gateway)
	assert.Equal(t, backend.StateAuthorized, tx.View.State)
	assert.Equal(t, backend.Yen(5000), tx.View.AmountAuthorized)
	assert.Zero(t, tx.View.Tax)
	assert.True(t, tx.View.ProcessedAt.Equal(auth))
	assert.True(t, tx.View.AuthorizedAt.Equal(auth))

	txs, err = f.client.FindTransactions(ctx, backend.MethodCard, "KD-404")
	require.NoError(t, err)
	assert.Empty(t, txs, "not found is no transaction, not an error")

	_, _, err = f.sim.AddCvsTrade(gmosim.DepositSpec{ShopID: shopID, OrderID: "KD-2", Amount: 1500, Issued: t0})
	require.NoError(t, err)
	txs, err = f.client.FindTransactions(ctx, backend.MethodKonbini, "KD-2")
	require.NoError(t, err)
	require.Len(t, txs, 1)
	assert.Equal(t, backend.StateAwaitingDeposit, txs[0].View.State)
	assert.Equal(t, "KD-2", txs[0].GatewayOrderID, "SearchTradeMulti does not echo it: the id asked")
	assert.True(t, txs[0].View.AuthorizedAt.IsZero())
	txs, err = f.client.FindTransactions(ctx, backend.MethodCard, "KD-2")
	require.NoError(t, err)
	assert.Empty(t, txs, "a konbini transaction is not a card one")

	_, err = f.client.FindTransactions(ctx, backend.MethodOther, "KD-1")
	assert.Equal(t, backend.EUNSUPPORTED, backend.ErrorCode(err))
}

func TestLookupTransactionConfirmsThePastedIDs(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	id, pass, err := f.sim.AddCardTrade(gmosim.CardSpec{ShopID: shopID, OrderID: "KD-1", Amount: 5000, Status: "SALES",
		AuthDate: t0.AddDate(0, 0, -3), SalesDate: t0.AddDate(0, 0, -1)})
	require.NoError(t, err)

	tx, err := f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayOrderID: "KD-1", GatewayTranID: id, GatewayTranPass: pass})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, tx.View.State)
	assert.Equal(t, backend.Yen(5000), tx.View.AmountCaptured)
	assert.True(t, tx.View.AuthorizedAt.IsZero(), "after SALES the answer has no authorisation date")

	tx, err = f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayOrderID: "KD-1"})
	require.NoError(t, err)
	assert.Equal(t, pass, tx.GatewayTranPass, "the gateway's pass")

	for name, ids := range map[string]backend.TransactionIDs{
		"wrong access id":   {GatewayOrderID: "KD-1", GatewayTranID: strings.Repeat("a", 32)},
		"wrong access pass": {GatewayOrderID: "KD-1", GatewayTranID: id, GatewayTranPass: strings.Repeat("b", 32)},
		"no order id":       {GatewayTranID: id, GatewayTranPass: pass},
	} {
		_, err := f.client.LookupTransaction(ctx, backend.MethodCard, ids)
		assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), name)
		assert.NotContains(t, backend.ErrorMessage(err, "ja"), pass, name)
	}
	_, err = f.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayOrderID: "KD-9"})
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
}
