package link_test

// SBPS: the API looks payments up by tracking_id only (MG01-00101-101 card, -701
// WEBコンビニ), and its answer has payment_status but no amount (sbps-paygent.md §A4,
// §A6; shop-csv-linking.md §3.2). One 受注ID can own several tracking ids (amount
// changes, errors); the 決済管理ツール's 伝票検索 CSV lists them, and the row to keep is
// the one 与信済/売上済, not the error rows [F5].

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/link"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/sbps/sbpssim"
)

func TestSBPSWithoutATrackingIDNeedsTheConsoleCSV(t *testing.T) {
	e := newEnv(t)
	e.sbpsProfile("SBペイメントサービス")
	o := e.order("FS0001", backend.MethodCard, 5000)

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 1, rep.ConsoleOnly)
	assert.Zero(t, e.sb.Server.Log.Count("/api/xmlapi.do"), "SBPS cannot be asked by order_id")
	l := e.state(o.ID)
	assert.Equal(t, backend.LinkConsoleOnly, l.Status)
	assert.Equal(t, "SBPSはトラッキングIDでしか照会できません。SBPS管理画面の取引CSVを取り込むか、トラッキングIDを入力してください", l.Reason)
}

func TestSBPSConsoleCSVLinksTheLiveRowWithTheCSVsAmountAndSBPSsState(t *testing.T) {
	e := newEnv(t)
	prof := e.sbpsProfile("SBペイメントサービス", backend.MethodCard)
	a := e.order("FS0001", backend.MethodCard, 5500)
	b := e.order("FS0002", backend.MethodCard, 3000)
	authA := jst(2026, 11, 8, 12, 34)
	live, err := e.sb.AddCardTrade(sbpssim.CardSpec{MerchantID: sbMerchant, ServiceID: sbService, OrderID: "FS0001", Amount: 5500, AuthDate: authA})
	require.NoError(t, err)
	// FS0002 was captured in the SBPS console after the CSV was exported: SBPS's state wins.
	trB, err := e.sb.AddCardTrade(sbpssim.CardSpec{MerchantID: sbMerchant, ServiceID: sbService, OrderID: "FS0002", Amount: 3000,
		AuthDate: jst(2026, 11, 9, 9, 0)})
	require.NoError(t, err)
	require.NoError(t, e.sb.SetStatus(trB, sbps.StatusCaptured))

	path := writeCSV(t, true,
		"受注ID,トラッキングID,受注日時,決済方法,金額,入金ステータス,請求ステータス",
		"FS0001,99990000000001,2026/11/08 12:30:00,クレジットカード,\"5,500\",与信済,エラー",
		"FS0001,"+live+",2026/11/08 12:34:00,クレジットカード,\"5,500\",与信済,正常",
		"FS0002,"+trB+",2026/11/09 09:00:00,クレジットカード,3000,与信済,正常",
		"FS0099,12345678901234,2026/11/09 10:00:00,クレジットカード,1200,与信済,正常")
	rep, err := e.svc.ImportConsole(e.ctx, link.ConsoleRequest{Path: path, ProfileID: prof.ID})
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Rows)
	assert.Equal(t, 2, rep.Linked)
	require.Len(t, rep.Unmatched, 1)
	assert.Equal(t, 5, rep.Unmatched[0].Line, "the physical line of the row")
	assert.Equal(t, "FS0099", rep.Unmatched[0].GatewayOrderID)

	pa := e.payment(a.ID)
	assert.Equal(t, live, pa.GatewayTranID, "the live row, not the error row")
	assert.Equal(t, "FS0001", pa.GatewayOrderID)
	assert.Equal(t, backend.StateAuthorized, pa.State, "payment_status 1 from MG01")
	assert.Equal(t, backend.Yen(5500), pa.AmountAuthorized, "the CSV's amount")
	assert.True(t, pa.AuthorizedAt.Equal(authA), "the 伝票's 受注日時")
	assert.True(t, pa.AuthExpiresAt.Equal(authA.AddDate(0, 0, 60)))
	evs := e.linkEvents(a.ID)
	require.Len(t, evs, 1)
	assert.Equal(t, link.ActorConsole, evs[0].Actor)
	assert.Contains(t, evs[0].Detail, "トラッキングID "+live)
	assert.Contains(t, evs[0].Detail, "金額は取引CSVまたは入力された金額")

	pb := e.payment(b.ID)
	assert.Equal(t, backend.StateCaptured, pb.State, "MG01 says 売上済 although the CSV says 与信済")
	assert.Equal(t, backend.Yen(3000), pb.AmountAuthorized)
	assert.Equal(t, backend.Yen(3000), pb.AmountCaptured)

	inquired := map[string]int{}
	for _, en := range e.sb.Server.Log.Entries() {
		inquired[en.Fields["tracking_id"]]++
	}
	assert.Zero(t, inquired["99990000000001"], "error rows are not asked about")
}

func TestSBPSConsoleCSVWithOnlyErrorRowsLinksNothing(t *testing.T) {
	e := newEnv(t)
	prof := e.sbpsProfile("SBペイメントサービス")
	o := e.order("FS0003", backend.MethodCard, 1000)
	path := writeCSV(t, false,
		"受注ID,トラッキングID,受注日時,決済方法,金額,入金ステータス,請求ステータス",
		"FS0003,99990000000003,2026/11/08 12:30:00,クレジットカード,1000,,エラー")
	rep, err := e.svc.ImportConsole(e.ctx, link.ConsoleRequest{Path: path, ProfileID: prof.ID})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.NotFound)
	assert.Empty(t, e.payments(o.ID))
	l := e.state(o.ID)
	assert.Equal(t, backend.LinkNotFound, l.Status)
	assert.Contains(t, l.Reason, "エラーの行しかありません（2行目）")
}

func TestSBPSHandLinkNeedsTheAmountAndLeavesTheExpiryUnknown(t *testing.T) {
	e := newEnv(t)
	prof := e.sbpsProfile("SBペイメントサービス")
	o := e.order("FS0004", backend.MethodCard, 4400)
	tr, err := e.sb.AddCardTrade(sbpssim.CardSpec{MerchantID: sbMerchant, ServiceID: sbService, OrderID: "FS0004", Amount: 4400})
	require.NoError(t, err)

	checks, err := e.svc.Check(e.ctx, o.ID, 0, []backend.TransactionIDs{{GatewayTranID: tr}})
	require.NoError(t, err)
	require.NoError(t, checks[0].Err)
	assert.Equal(t, backend.StateAuthorized, checks[0].Transaction.View.State)
	assert.Zero(t, checks[0].Transaction.View.AmountAuthorized, "SBPS's inquiry has no amount")

	_, err = e.svc.Attach(e.ctx, o.ID, prof.ID, backend.TransactionIDs{GatewayTranID: tr}, 0, operatorJA)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "金額を入力")
	_, err = e.svc.Attach(e.ctx, o.ID, prof.ID, backend.TransactionIDs{GatewayTranID: tr}, 10_000_000, operatorJA)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), "beyond what SBPS accepts")
	assert.Empty(t, e.payments(o.ID))

	p, err := e.svc.Attach(e.ctx, o.ID, prof.ID, backend.TransactionIDs{GatewayTranID: tr}, 4400, operatorJA)
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(4400), p.AmountAuthorized)
	assert.Equal(t, "FS0004", p.GatewayOrderID, "the order_id the profile's rule names")
	assert.True(t, p.AuthorizedAt.IsZero(), "SBPS gives no authorisation date")
	assert.True(t, p.AuthExpiresAt.IsZero(), "so the expiry is unknown, not a default date")
	evs := e.linkEvents(o.ID)
	require.Len(t, evs, 1)
	assert.Contains(t, evs[0].Detail, "与信の有効期限は不明です")
	assert.Equal(t, operatorJA, evs[0].Actor)
}

func TestSBPSImportHintWithoutAmountIsCheckedButWaitsForTheAmount(t *testing.T) {
	e := newEnv(t)
	prof := e.sbpsProfile("SBペイメントサービス")
	o := e.order("FS0005", backend.MethodCard, 2000)
	tr, err := e.sb.AddCardTrade(sbpssim.CardSpec{MerchantID: sbMerchant, ServiceID: sbService, OrderID: "FS0005", Amount: 2000})
	require.NoError(t, err)
	// An order CSV's トラッキングID column, as the importer queues it.
	require.NoError(t, e.db.QueueLinkHint(e.ctx, o.ID, backend.TransactionIDs{GatewayTranID: tr}, prof.ID))

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 1, rep.ConsoleOnly)
	assert.Equal(t, 1, e.sb.Server.Log.Count("/api/xmlapi.do"), "the tracking id was checked")
	l := e.state(o.ID)
	assert.Equal(t, backend.LinkConsoleOnly, l.Status)
	assert.Contains(t, l.Reason, "トラッキングID "+tr+" の決済はSBPSにあります")
	assert.Empty(t, e.payments(o.ID), "no amount from the gateway: nothing is made up")
}
