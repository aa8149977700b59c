package link_test

// Paygent: 094 決済情報照会 takes trading_id (with payment_type to narrow it) and
// answers one payment — payment_id, payment_status, payment_amount,
// payment_init_date…; 13001 when there is none, 13002 when several payments share the
// trading_id (after 補正 the old and new payment do), and then only payment_id tells
// them apart (sbps-paygent.md §B9). EC-CUBE's Paygent modules send the order id as
// trading_id (shop-csv-linking.md §2.3).

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/link"
	"kessaidesk/backend/paygent/paygentsim"
)

func TestPaygentLinksByTradingID(t *testing.T) {
	e := newEnv(t)
	prof := e.paygentProfile("ペイジェント", backend.MethodCard, backend.MethodKonbini)
	card := e.order("501", backend.MethodCard, 8000)
	authAt := jst(2026, 11, 2, 14, 0)
	pid, err := e.pg.AddCardPayment(paygentsim.CardSpec{MerchantID: pgMerchant, TradingID: "501", Amount: 8000, AuthDate: authAt})
	require.NoError(t, err)
	cvs := e.order("502", backend.MethodKonbini, 2500)
	cid, err := e.pg.AddDeposit(paygentsim.DepositSpec{MerchantID: pgMerchant, TradingID: "502", Amount: 2500})
	require.NoError(t, err)
	none := e.order("503", backend.MethodCard, 1000)

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 2, rep.Linked)
	assert.Equal(t, 1, rep.NotFound, "13001")

	p := e.payment(card.ID)
	assert.Equal(t, prof.ID, p.ProfileID)
	assert.Equal(t, "501", p.GatewayOrderID, "trading_id")
	assert.Equal(t, pid, p.GatewayTranID, "payment_id")
	assert.Equal(t, backend.StateAuthorized, p.State)
	assert.Equal(t, "20", p.RawStatus)
	assert.Equal(t, backend.Yen(8000), p.AmountAuthorized)
	assert.True(t, p.AuthorizedAt.Equal(authAt), "payment_init_date")
	assert.True(t, p.AuthExpiresAt.Equal(authAt.AddDate(0, 0, 60)))

	p = e.payment(cvs.ID)
	assert.Equal(t, cid, p.GatewayTranID)
	assert.Equal(t, backend.StateAwaitingDeposit, p.State)
	assert.Equal(t, backend.MethodKonbini, p.Method)
	assert.False(t, p.PaymentDeadline.IsZero(), "payment_limit_date")

	assert.Equal(t, backend.LinkNotFound, e.state(none.ID).Status)
	assert.Contains(t, e.state(none.ID).Reason, "ID 503")
}

func TestPaygentSeveralPaymentsForOneTradingIDTheOperatorChooses(t *testing.T) {
	e := newEnv(t)
	prof := e.paygentProfile("ペイジェント")
	o := e.order("601", backend.MethodCard, 9000)
	// A 補正 left two payments under the trading_id: the old one cancelled, the new one live.
	oldID, err := e.pg.AddCardPayment(paygentsim.CardSpec{MerchantID: pgMerchant, TradingID: "601", Amount: 10000, Status: "32",
		AuthDate: jst(2026, 11, 1, 10, 0)})
	require.NoError(t, err)
	newID, err := e.pg.AddCardPayment(paygentsim.CardSpec{MerchantID: pgMerchant, TradingID: "601", Amount: 9000,
		AuthDate: jst(2026, 11, 3, 10, 0)})
	require.NoError(t, err)
	other, err := e.pg.AddCardPayment(paygentsim.CardSpec{MerchantID: pgMerchant, TradingID: "602", Amount: 100})
	require.NoError(t, err)

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 1, rep.Ambiguous)
	l := e.state(o.ID)
	assert.Equal(t, backend.LinkAmbiguous, l.Status)
	assert.Contains(t, l.Reason, "決済IDを入力するか、取引CSVで連携してください")
	assert.Empty(t, e.payments(o.ID))

	// The operator pastes both payment_ids from Paygent's console: one call, side by side.
	checks, err := e.svc.Check(e.ctx, o.ID, 0, []backend.TransactionIDs{
		{GatewayOrderID: "601", GatewayTranID: oldID}, {GatewayOrderID: "601", GatewayTranID: newID},
		{GatewayOrderID: "601", GatewayTranID: other}, {GatewayTranID: "99999999"}})
	require.NoError(t, err)
	require.Len(t, checks, 4)
	require.NoError(t, checks[0].Err)
	require.NoError(t, checks[1].Err)
	assert.Equal(t, backend.StateVoided, checks[0].Transaction.View.State)
	assert.Equal(t, backend.Yen(10000), checks[0].Transaction.View.AmountAuthorized)
	assert.Equal(t, backend.StateAuthorized, checks[1].Transaction.View.State)
	assert.Equal(t, backend.Yen(9000), checks[1].Transaction.View.AmountAuthorized)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(checks[2].Err), "another trading_id's payment")
	assert.Contains(t, backend.ErrorMessage(checks[2].Err, "ja"), "取引ID 601 の決済ではありません")
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(checks[3].Err))

	// The operator chooses the live one.
	mark := len(e.pg.Server.Log.Entries())
	p, err := e.svc.Attach(e.ctx, o.ID, prof.ID, backend.TransactionIDs{GatewayOrderID: "601", GatewayTranID: newID}, 0, operatorJA)
	require.NoError(t, err)
	assert.Equal(t, newID, p.GatewayTranID)
	assert.Equal(t, backend.StateAuthorized, p.State)
	assert.Equal(t, backend.Yen(9000), p.AmountAuthorized)
	assert.Equal(t, backend.LinkLinked, e.state(o.ID).Status)

	// The other payment stays at Paygent untouched: linking only asked (094).
	for _, en := range e.pg.Server.Log.Entries()[mark:] {
		assert.Empty(t, en.Applied, "no telegram changed anything")
		assert.Equal(t, "094", en.Fields["telegram_kind"])
	}
	old, ok := e.pg.Payment(oldID)
	require.True(t, ok)
	assert.Equal(t, "32", old.Status)
	assert.Equal(t, int64(10000), old.Amount)
}

func TestPaygentOfflineThenBackLinksOnTheNextRun(t *testing.T) {
	e := newEnv(t)
	e.paygentProfile("ペイジェント")
	var orders []*backend.Order
	for i, no := range []string{"701", "702", "703"} {
		orders = append(orders, e.order(no, backend.MethodCard, backend.Yen(1000*(i+1))))
		_, err := e.pg.AddCardPayment(paygentsim.CardSpec{MerchantID: pgMerchant, TradingID: no, Amount: int64(1000 * (i + 1))})
		require.NoError(t, err)
	}
	e.pg.SetMaintenance(true) // P017: the service is stopped

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 3, rep.Failed)
	for _, o := range orders {
		l := e.state(o.ID)
		assert.Equal(t, backend.LinkFailed, l.Status)
		assert.NotEmpty(t, l.Reason)
		assert.Empty(t, e.payments(o.ID))
	}

	e.pg.SetMaintenance(false)
	rep = e.run(link.RunOptions{})
	assert.Equal(t, 3, rep.Linked)
	for _, o := range orders {
		assert.Equal(t, o.Total, e.payment(o.ID).AmountAuthorized)
	}
}

func TestPaygentConsoleCSVPicksTheLivePaymentOfATradingID(t *testing.T) {
	e := newEnv(t)
	prof := e.paygentProfile("ペイジェント")
	o := e.order("801", backend.MethodCard, 4000)
	oldID, err := e.pg.AddCardPayment(paygentsim.CardSpec{MerchantID: pgMerchant, TradingID: "801", Amount: 5000, Status: "32"})
	require.NoError(t, err)
	newID, err := e.pg.AddCardPayment(paygentsim.CardSpec{MerchantID: pgMerchant, TradingID: "801", Amount: 4000})
	require.NoError(t, err)
	path := writeCSV(t, false,
		"取引ID,決済ID,決済種別,決済ステータス,決済金額,登録日時",
		"801,"+oldID+",クレジットカード,オーソリ取消済,5000,2026/11/09 10:00:00",
		"801,"+newID+",クレジットカード,オーソリOK,4000,2026/11/09 11:00:00")
	rep, err := e.svc.ImportConsole(e.ctx, link.ConsoleRequest{Path: path, ProfileID: prof.ID})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Linked)
	p := e.payment(o.ID)
	assert.Equal(t, newID, p.GatewayTranID)
	assert.Equal(t, backend.Yen(4000), p.AmountAuthorized, "Paygent's amount")
	assert.Equal(t, backend.StateAuthorized, p.State)
}
