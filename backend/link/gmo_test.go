package link_test

// GMO-PG / SGP: SearchTrade(OrderID) returns AccessID, AccessPass, Status, Amount and
// Tax apart, and ProcessDate (gmo-mulpay.md §3.5); SearchTradeMulti does the same for
// konbini (PayType 3) and Pay-easy (4) (§7). MakeShop forms the OrderID from its 注文番号
// and appends -1, -2 … on a card 再決済, the original staying as a failed attempt
// (shop-csv-linking.md §2.1 [M2]). EC-CUBE's GMO modules append -ddHHmmss, which no
// order CSV carries: those orders link from the console's CSV or by hand.

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/link"
)

func TestGMOLinksByOrderIDWithTheGatewaysStateAmountsTaxAndDates(t *testing.T) {
	e := newEnv(t)
	prof := e.gmoProfile("GMO-PG 本番", backend.LinkRule{}, backend.MethodCard, backend.MethodKonbini)

	// 1001: 仮売上 of 10,000円 + 税送料 800円, authorised by the checkout now.
	auth := e.order("1001", backend.MethodCard, 10800)
	accessID, accessPass := e.gmoCheckout("1001", 10000, 800, true)
	// 1002: authorised on 1 Nov, captured (SALES) on 5 Nov.
	sold := e.order("1002", backend.MethodCard, 4200)
	_, _, err := e.gmo.AddCardTrade(gmosim.CardSpec{ShopID: gmoShop, OrderID: "1002", Amount: 4200, Status: "SALES",
		AuthDate: jst(2026, 11, 1, 9, 0), SalesDate: jst(2026, 11, 5, 15, 30)})
	require.NoError(t, err)
	// 1003: a konbini slip, payable until 17 Nov.
	cvs := e.order("1003", backend.MethodKonbini, 3300)
	_, _, err = e.gmo.AddCvsTrade(gmosim.DepositSpec{ShopID: gmoShop, OrderID: "1003", Amount: 3300, Issued: t0})
	require.NoError(t, err)
	// 1004: nothing at the gateway.
	none := e.order("1004", backend.MethodCard, 1000)

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 4, rep.Total)
	assert.Equal(t, 3, rep.Linked)
	assert.Equal(t, 1, rep.NotFound)
	assert.False(t, rep.Cancelled)

	p := e.payment(auth.ID)
	assert.Equal(t, prof.ID, p.ProfileID)
	assert.Equal(t, backend.GatewayGMO, p.Gateway)
	assert.Equal(t, "1001", p.GatewayOrderID)
	assert.Equal(t, accessID, p.GatewayTranID)
	assert.Equal(t, accessPass, p.GatewayTranPass, "the pass the gateway returned")
	assert.Equal(t, backend.StateAuthorized, p.State)
	assert.Equal(t, "AUTH", p.RawStatus)
	assert.Equal(t, backend.Yen(10800), p.AmountAuthorized, "Amount + Tax: the amounts include the tax")
	assert.Equal(t, backend.Yen(800), p.Tax, "Tax kept as its own field")
	assert.True(t, p.ProcessedAt.Equal(t0), "ProcessDate")
	assert.True(t, p.AuthorizedAt.Equal(t0), "an AUTH transaction's ProcessDate is its authorisation")
	assert.True(t, p.AuthExpiresAt.Equal(t0.AddDate(0, 0, 90)), "authorised date + the profile's 90 days")
	require.Len(t, e.linkEvents(auth.ID), 1)
	assert.Equal(t, link.ActorRun, e.linkEvents(auth.ID)[0].Actor)
	assert.Contains(t, e.linkEvents(auth.ID)[0].Detail, "仮売上 10,800円（うち税送料 800円）")
	assert.Equal(t, backend.LinkLinked, e.state(auth.ID).Status)

	p = e.payment(sold.ID)
	assert.Equal(t, backend.StateCaptured, p.State)
	assert.Equal(t, backend.Yen(4200), p.AmountCaptured)
	assert.True(t, p.CapturedAt.Equal(jst(2026, 11, 5, 15, 30)), "after SALES, ProcessDate is the sale")
	assert.True(t, p.AuthorizedAt.IsZero(), "SearchTrade gives no authorisation date after a sale: not made up")
	assert.True(t, p.AuthExpiresAt.IsZero())

	p = e.payment(cvs.ID)
	assert.Equal(t, backend.MethodKonbini, p.Method)
	assert.Equal(t, backend.StateAwaitingDeposit, p.State)
	assert.Equal(t, "REQSUCCESS", p.RawStatus)
	assert.Equal(t, backend.Yen(3300), p.AmountAuthorized)
	assert.True(t, p.PaymentDeadline.Equal(time.Date(2026, 11, 17, 23, 59, 59, 0, backend.JST)), "PaymentTerm")

	assert.Empty(t, e.payments(none.ID))
	l := e.state(none.ID)
	assert.Equal(t, backend.LinkNotFound, l.Status)
	assert.Equal(t, "GMO-PGにID 1004 の取引がありません", l.Reason)
	assert.Equal(t, "1004", l.GatewayOrderID)
	list, err := e.db.Unlinked(e.ctx, 0)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, none.ID, list[0].OrderID)

	// The last event says the run is over, with its counts.
	last := e.events.last()
	assert.False(t, last.Running)
	assert.Equal(t, 4, last.Done)
	assert.Equal(t, 3, last.Linked)
	assert.Equal(t, 1, last.NotFound)

	// A second run asks only for the order still without a payment.
	before := e.gmo.Server.Log.Count("/SearchTrade.idPass")
	rep = e.run(link.RunOptions{})
	assert.Equal(t, 1, rep.Total)
	assert.Equal(t, before+1, e.gmo.Server.Log.Count("/SearchTrade.idPass"))
}

func TestGMOMakeShopRepaymentSuffixes(t *testing.T) {
	e := newEnv(t)
	e.gmoProfile("MakeShop × GMO", backend.LinkRule{RetrySuffixes: true})
	card := func(orderID string, amount int64) {
		_, _, err := e.gmo.AddCardTrade(gmosim.CardSpec{ShopID: gmoShop, OrderID: orderID, Amount: amount})
		require.NoError(t, err)
	}
	// The original not found, nor -1; the card 再決済 went through as -2.
	a := e.order("P171323551145213731", backend.MethodCard, 5000)
	card("P171323551145213731-2", 5000)
	// The original is a failed attempt (UNPROCESSED) that stays at the gateway; -1 holds the payment.
	b := e.order("P171323551145213732", backend.MethodCard, 6000)
	e.gmoCheckout("P171323551145213732", 6000, 0, false)
	card("P171323551145213732-1", 6000)
	// The original holds the payment: the suffixes are never asked.
	c := e.order("P171323551145213733", backend.MethodCard, 7000)
	card("P171323551145213733", 7000)
	// Nothing at all.
	d := e.order("P171323551145213734", backend.MethodCard, 8000)

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 3, rep.Linked)
	assert.Equal(t, 1, rep.NotFound)

	pa := e.payment(a.ID)
	assert.Equal(t, "P171323551145213731-2", pa.GatewayOrderID)
	assert.Equal(t, backend.StateAuthorized, pa.State)
	pb := e.payment(b.ID)
	assert.Equal(t, "P171323551145213732-1", pb.GatewayOrderID, "the re-payment, not the failed original")
	assert.Equal(t, backend.StateAuthorized, pb.State)
	assert.Equal(t, "P171323551145213733", e.payment(c.ID).GatewayOrderID)

	asked := map[string]int{}
	for _, en := range e.gmo.Server.Log.Entries() {
		if strings.HasSuffix(en.Path, "/SearchTrade.idPass") {
			asked[en.Fields["OrderID"]]++
		}
	}
	assert.Zero(t, asked["P171323551145213733-1"], "a found original stops the search")
	assert.Equal(t, 1, asked["P171323551145213731-2"])
	assert.Zero(t, asked["P171323551145213731-3"], "stop at the first found")
	for i := 1; i <= backend.MaxRetrySuffix; i++ {
		assert.Equal(t, 1, asked["P171323551145213734-"+string(rune('0'+i))], "-%d asked once", i)
	}
	l := e.state(d.ID)
	assert.Equal(t, backend.LinkNotFound, l.Status)
	assert.Contains(t, l.Reason, "P171323551145213734-1〜P171323551145213734-9 も照会しました")
}

func TestGMOTimestampedOrderIDsNeedTheConsoleAndAskNothing(t *testing.T) {
	e := newEnv(t)
	e.gmoProfile("EC-CUBE × GMO", backend.LinkRule{Timestamped: true})
	o := e.order("20", backend.MethodCard, 5000)

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 1, rep.ConsoleOnly)
	assert.Zero(t, rep.Requests)
	assert.Zero(t, e.gmo.Server.Log.Count(".idPass"), "timestamps are never guessed")
	l := e.state(o.ID)
	assert.Equal(t, backend.LinkConsoleOnly, l.Status)
	assert.Contains(t, l.Reason, "取引CSVを取り込むか")
}

func TestGMOHandLinkChecksThePastedIDsWithTheGateway(t *testing.T) {
	e := newEnv(t)
	prof := e.gmoProfile("GMO-PG 本番", backend.LinkRule{Timestamped: true})
	o := e.order("20", backend.MethodCard, 5000)
	accessID, accessPass := e.gmoCheckout("20-10093015", 5000, 0, true)
	otherID, _ := e.gmoCheckout("21-10094512", 3000, 0, true)

	checks, err := e.svc.Check(e.ctx, o.ID, 0, []backend.TransactionIDs{
		{GatewayOrderID: " 20-10093015 ", GatewayTranID: accessID},
		{GatewayOrderID: "20-10093015", GatewayTranID: accessID, GatewayTranPass: strings.Repeat("0", 32)},
		{GatewayOrderID: "20-10093015", GatewayTranID: otherID},
		{GatewayOrderID: "20-99999999"},
		{GatewayTranID: accessID},
	})
	require.NoError(t, err)
	require.Len(t, checks, 5)
	require.NoError(t, checks[0].Err)
	tx := checks[0].Transaction
	assert.Equal(t, prof.ID, tx.ProfileID)
	assert.Equal(t, backend.StateAuthorized, tx.View.State)
	assert.Equal(t, backend.Yen(5000), tx.View.AmountAuthorized)
	assert.Equal(t, "20-10093015", tx.GatewayOrderID)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(checks[1].Err), "a pass the gateway does not confirm")
	assert.Contains(t, backend.ErrorMessage(checks[1].Err, "ja"), "取引パスワード")
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(checks[2].Err), "another OrderID's AccessID")
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(checks[3].Err))
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(checks[4].Err), "GMO looks up by OrderID")
	assert.Empty(t, e.payments(o.ID), "checking saves nothing")

	_, err = e.svc.Attach(e.ctx, o.ID, prof.ID, backend.TransactionIDs{GatewayOrderID: "20-10093015", GatewayTranID: accessID,
		GatewayTranPass: strings.Repeat("f", 32)}, 0, operatorJA)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.Empty(t, e.payments(o.ID), "a refused pass stores nothing")

	p, err := e.svc.Attach(e.ctx, o.ID, prof.ID, backend.TransactionIDs{GatewayOrderID: "20-10093015", GatewayTranID: accessID}, 99999, operatorJA)
	require.NoError(t, err)
	assert.Equal(t, accessPass, p.GatewayTranPass, "the pass comes from the gateway's answer")
	assert.Equal(t, backend.Yen(5000), p.AmountAuthorized, "the gateway's amount wins over one typed")
	evs := e.linkEvents(o.ID)
	require.Len(t, evs, 1)
	assert.Equal(t, operatorJA, evs[0].Actor)
	assert.Contains(t, evs[0].Detail, "オーダーID 20-10093015")
	assert.Equal(t, backend.LinkLinked, e.state(o.ID).Status)

	// The same transaction cannot become a second order's payment.
	o2 := e.order("21", backend.MethodCard, 5000)
	_, err = e.svc.Attach(e.ctx, o2.ID, prof.ID, backend.TransactionIDs{GatewayOrderID: "20-10093015"}, 0, operatorJA)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "受注 20 の決済として登録済み")
	// Nor the order a second payment.
	_, err = e.svc.Attach(e.ctx, o.ID, prof.ID, backend.TransactionIDs{GatewayOrderID: "21-10094512"}, 0, operatorJA)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
	assert.Len(t, e.payments(o.ID), 1)
}

func TestGMOConsoleCSVLinksTimestampedOrdersAndLeavesSeveralLiveRowsToTheOperator(t *testing.T) {
	e := newEnv(t)
	prof := e.gmoProfile("EC-CUBE × GMO", backend.LinkRule{Timestamped: true})
	a := e.order("31", backend.MethodCard, 5500)
	b := e.order("32", backend.MethodCard, 2000)
	idA, _ := e.gmoCheckout("31-10093015", 5000, 500, true)
	e.gmoCheckout("31-10092001", 5000, 500, false) // the customer's first try, abandoned
	idB1, _ := e.gmoCheckout("32-10101010", 2000, 0, true)
	idB2, passB2 := e.gmoCheckout("32-10111111", 2000, 0, true)

	path := writeCSV(t, true,
		"オーダーID,取引ID,取引パスワード,状態,処理日時,利用金額,税送料,支払方法",
		"31-10092001,x,,UNPROCESSED,2026/11/10 09:20:01,5000,500,クレジットカード",
		"31-10093015,"+idA+",,AUTH,2026/11/10 09:30:15,5000,500,クレジットカード",
		"32-10101010,"+idB1+",,仮売上,2026/11/10 10:10:10,2000,0,クレジットカード",
		"32-10111111,"+idB2+",,仮売上,2026/11/10 11:11:11,2000,0,クレジットカード",
		"33-10121212,abc,,AUTH,2026/11/10 12:12:12,900,0,クレジットカード",
		"nonsense,abc,,AUTH,2026/11/10 12:12:12,900,0,クレジットカード")
	rep, err := e.svc.ImportConsole(e.ctx, link.ConsoleRequest{Path: path, ProfileID: prof.ID, Actor: operatorJA})
	require.NoError(t, err)
	assert.Equal(t, "cp932", string(rep.Encoding))
	assert.Equal(t, 6, rep.Rows)
	assert.Equal(t, 2, rep.Orders)
	assert.Equal(t, 1, rep.Linked)
	assert.Equal(t, 1, rep.Ambiguous)
	require.Len(t, rep.Unmatched, 2)
	assert.Equal(t, 6, rep.Unmatched[0].Line)
	assert.Contains(t, rep.Unmatched[0].Reason, "注文番号 33 の受注がありません")
	assert.Equal(t, 7, rep.Unmatched[1].Line)
	assert.Contains(t, rep.Unmatched[1].Reason, "連携ルール")

	pa := e.payment(a.ID)
	assert.Equal(t, "31-10093015", pa.GatewayOrderID, "the live row, not the abandoned try")
	assert.Equal(t, idA, pa.GatewayTranID)
	assert.Equal(t, backend.Yen(5500), pa.AmountAuthorized)
	assert.Equal(t, backend.Yen(500), pa.Tax)
	assert.Equal(t, operatorJA, e.linkEvents(a.ID)[0].Actor)

	assert.Empty(t, e.payments(b.ID))
	l := e.state(b.ID)
	assert.Equal(t, backend.LinkAmbiguous, l.Status)
	assert.Contains(t, l.Reason, "4行目・5行目")
	require.Len(t, l.Candidates, 2, "shown side by side")
	assert.Equal(t, idB1, l.Candidates[0].GatewayTranID)
	assert.Equal(t, idB2, l.Candidates[1].GatewayTranID)
	assert.Empty(t, l.Candidates[1].GatewayTranPass)

	// A later run leaves the choice to the operator: the candidates came from the file.
	rep2 := e.run(link.RunOptions{})
	assert.Zero(t, rep2.Total)
	assert.Len(t, e.state(b.ID).Candidates, 2)

	_, err = e.svc.Choose(e.ctx, b.ID, 2, operatorJA)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	p, err := e.svc.Choose(e.ctx, b.ID, 1, operatorJA)
	require.NoError(t, err)
	assert.Equal(t, idB2, p.GatewayTranID)
	assert.Equal(t, passB2, p.GatewayTranPass, "checked again: the gateway gives the pass")
	assert.Equal(t, backend.LinkLinked, e.state(b.ID).Status)
	_, err = e.svc.Choose(e.ctx, b.ID, 0, operatorJA)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err), "chosen once")
	assert.Len(t, e.payments(b.ID), 1)

	// Importing the same file again links nothing twice.
	rep, err = e.svc.ImportConsole(e.ctx, link.ConsoleRequest{Path: path, ProfileID: prof.ID})
	require.NoError(t, err)
	assert.Zero(t, rep.Linked)
	assert.Equal(t, 2, rep.Already)
	assert.Len(t, e.payments(a.ID), 1)
}

func TestConsoleCSVWithoutTheNeededColumnsSaysWhichAndLinksNothing(t *testing.T) {
	e := newEnv(t)
	prof := e.gmoProfile("EC-CUBE × GMO", backend.LinkRule{Timestamped: true})
	o := e.order("31", backend.MethodCard, 5000)
	path := writeCSV(t, false, "注文番号,取引番号,ステータス", "31,abc,AUTH")
	_, err := e.svc.ImportConsole(e.ctx, link.ConsoleRequest{Path: path, ProfileID: prof.ID})
	require.Error(t, err)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "「オーダーID」")
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "注文番号,取引番号,ステータス")
	assert.Empty(t, e.payments(o.ID))

	// The operator's mapping names the columns.
	id, _ := e.gmoCheckout("31-10093015", 5000, 0, true)
	path = writeCSV(t, false, "注文番号,オーダー,取引番号,ステータス", "31,31-10093015,"+id+",AUTH")
	rep, err := e.svc.ImportConsole(e.ctx, link.ConsoleRequest{Path: path, ProfileID: prof.ID, Inline: &link.ConsoleLayout{
		Columns: map[string][]string{link.FieldOrderNo: {"注文番号"}, link.FieldGatewayOrderID: {"オーダー"}, link.FieldTranID: {"取引番号"},
			link.FieldStatus: {"ステータス"}}}})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Linked)
	assert.Equal(t, id, e.payment(o.ID).GatewayTranID)
}

func TestGMOImportHintsAreCheckedWithTheGateway(t *testing.T) {
	e := newEnv(t)
	prof := e.gmoProfile("GMO-PG", backend.LinkRule{Prefix: "KD-"})
	a := e.order("1201", backend.MethodCard, 3000)
	b := e.order("1202", backend.MethodCard, 3000)
	c := e.order("1203", backend.MethodCard, 3000)
	idA, passA := e.gmoCheckout("KD-1201", 3000, 0, true)
	e.gmoCheckout("EC-1202-10101010", 3000, 0, true)
	idC, _ := e.gmoCheckout("KD-1203", 3000, 0, true)
	// The order CSV's gateway columns: an AccessID alone (the OrderID from the rule), an
	// exact OrderID the rule could not form, and an AccessPass that is not the gateway's.
	require.NoError(t, e.db.QueueLinkHint(e.ctx, a.ID, backend.TransactionIDs{GatewayTranID: idA}, 0))
	require.NoError(t, e.db.QueueLinkHint(e.ctx, b.ID, backend.TransactionIDs{GatewayOrderID: "EC-1202-10101010"}, prof.ID))
	require.NoError(t, e.db.QueueLinkHint(e.ctx, c.ID, backend.TransactionIDs{GatewayOrderID: "KD-1203", GatewayTranID: idC,
		GatewayTranPass: strings.Repeat("0", 32)}, prof.ID))

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 2, rep.Linked)
	assert.Equal(t, 1, rep.NotFound)
	assert.Equal(t, passA, e.payment(a.ID).GatewayTranPass)
	assert.Equal(t, "EC-1202-10101010", e.payment(b.ID).GatewayOrderID)
	assert.Empty(t, e.payments(c.ID), "a pass the gateway does not confirm is never stored")
	l := e.state(c.ID)
	assert.Equal(t, backend.LinkNotFound, l.Status)
	assert.Contains(t, l.Reason, "取引パスワード")
	assert.Equal(t, backend.TransactionIDs{GatewayOrderID: "KD-1203", GatewayTranID: idC, GatewayTranPass: strings.Repeat("0", 32)}, l.Hint,
		"the import's ids stay for the operator to see")
}
