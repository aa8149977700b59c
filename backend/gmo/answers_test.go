package gmo_test

// Every field the client reads from an answer, fed through a loopback server with
// answers written by hand from the published field lists (gmo-mulpay.md §1.3-§1.4,
// §3.3-§3.5, §5.3, §7) — not produced by our simulator, so a field name misspelt in
// client and simulator alike fails here. Amounts carry a non-zero Tax (税送料), and
// every date differs from the others, so a date read from the wrong field shows.

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo"
	"kessaidesk/backend/simkit"
	"kessaidesk/backend/textenc"
)

// specServer answers each API with the hand-written answer answer returns and
// records the forms it received.
type specServer struct {
	mu     sync.Mutex
	forms  []url.Values
	client *gmo.Client
}

func startSpecServer(t *testing.T, answer func(api string, form url.Values) string) *specServer {
	t.Helper()
	s := &specServer{}
	srv, err := simkit.Start(func(r *simkit.Request) *simkit.Response {
		form, _ := url.ParseQuery(string(r.Body))
		s.mu.Lock()
		s.forms = append(s.forms, form)
		s.mu.Unlock()
		api := strings.TrimSuffix(strings.TrimPrefix(r.HTTP.URL.Path, "/payment/"), ".idPass")
		body, err := textenc.EncodeCP932(answer(api, form))
		require.NoError(t, err)
		return &simkit.Response{ContentType: "text/plain;charset=Windows-31J", Body: body}
	}, simkit.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	s.client, err = gmo.New(gmo.Config{Kind: backend.GatewayGMO, Host: srv.URL, ShopID: shopID, ShopPass: shopPass, Timeout: 2 * time.Second})
	require.NoError(t, err)
	return s
}

func (s *specServer) last() url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.forms[len(s.forms)-1]
}

func jstAt(y int, m time.Month, d, hh, mm, ss int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, 0, backend.JST)
}

// searchTrade is a SearchTrade answer with every field of §3.5, in the recorded order.
func searchTrade(orderID, status, processDate, amount, tax, method, payTimes string) string {
	return "OrderID=" + orderID + "&Status=" + status + "&ProcessDate=" + processDate + "&JobCd=" + status +
		"&AccessID=a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5&AccessPass=f0e1d2c3b4a5968778695a4b3c2d1e0f&ItemCode=0000990" +
		"&Amount=" + amount + "&Tax=" + tax + "&SiteID=&MemberID=&CardNo=************4242&Expire=2812&Method=" + method +
		"&PayTimes=" + payTimes + "&Forward=2a99662&TranID=2611081430150000000000012345&Approve=6543210" +
		"&ClientField1=&ClientField2=&ClientField3="
}

func TestSearchTradeFieldsAsTheSpecWritesThem(t *testing.T) {
	answers := map[string]string{
		// Authorised on 8 Nov: 3,000 + 300 of tax; ProcessDate is the authorisation's.
		"KD-AUTH": searchTrade("KD-AUTH", "AUTH", "20261108143015", "3000", "300", "1", ""),
		// Authorised on 2 Nov, sold on 9 Nov: ProcessDate is the sale's; the
		// authorisation's date is not in the answer.
		"KD-SALES": searchTrade("KD-SALES", "SALES", "20261109091122", "12000", "960", "2", "3"),
		// 即時売上 on 7 Nov: authorised and sold at once.
		"KD-CAPTURE": searchTrade("KD-CAPTURE", "CAPTURE", "20261107180405", "4500", "450", "1", ""),
		"KD-VOID":    searchTrade("KD-VOID", "VOID", "20261106120000", "2000", "200", "1", ""),
		"KD-RETURN":  searchTrade("KD-RETURN", "RETURN", "20261105120000", "2000", "200", "1", ""),
		"KD-RETX":    searchTrade("KD-RETX", "RETURNX", "20261104120000", "2000", "200", "1", ""),
		"KD-SAUTH":   searchTrade("KD-SAUTH", "SAUTH", "20261103120000", "2000", "200", "1", ""),
		"KD-CHECK":   searchTrade("KD-CHECK", "CHECK", "20261102120000", "", "", "1", ""),
		"KD-UNPROC":  "OrderID=KD-UNPROC&Status=UNPROCESSED&ProcessDate=&JobCd=AUTH&AccessID=a0&AccessPass=b0&ItemCode=0000990&Amount=2000&Tax=200&SiteID=&MemberID=&CardNo=&Expire=&Method=&PayTimes=&Forward=&TranID=&Approve=&ClientField1=&ClientField2=&ClientField3=",
		"KD-3D":      searchTrade("KD-3D", "AUTHENTICATED", "20261101120000", "2000", "200", "1", ""),
		"KD-ODD":     searchTrade("KD-ODD", "REQSALES", "20261101120000", "2000", "200", "1", ""),
	}
	s := startSpecServer(t, func(api string, form url.Values) string {
		if a, ok := answers[form.Get("OrderID")]; ok && api == "SearchTrade" {
			return a
		}
		return "ErrCode=E01&ErrInfo=E01110002"
	})
	ctx := context.Background()
	inquire := func(orderID string) (*backend.GatewayView, error) {
		return s.client.Inquire(ctx, &backend.Payment{Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: orderID})
	}

	v, err := inquire("KD-AUTH")
	require.NoError(t, err)
	assert.Equal(t, "KD-AUTH", s.last().Get("OrderID"))
	assert.Equal(t, backend.StateAuthorized, v.State)
	assert.Equal(t, "AUTH", v.RawStatus)
	assert.Equal(t, backend.Yen(3300), v.AmountAuthorized, "Amount + Tax")
	assert.Equal(t, backend.Yen(300), v.Tax)
	assert.Zero(t, v.AmountCaptured)
	assert.Equal(t, jstAt(2026, 11, 8, 14, 30, 15), v.ProcessedAt.In(backend.JST))
	assert.Equal(t, v.ProcessedAt, v.AuthorizedAt, "an authorisation's ProcessDate is its date")

	v, err = inquire("KD-SALES")
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, backend.Yen(12960), v.AmountAuthorized)
	assert.Equal(t, backend.Yen(12960), v.AmountCaptured)
	assert.Equal(t, backend.Yen(960), v.Tax)
	assert.Equal(t, jstAt(2026, 11, 9, 9, 11, 22), v.ProcessedAt.In(backend.JST))
	assert.True(t, v.AuthorizedAt.IsZero(), "after SALES ProcessDate is the sale's, not the authorisation's")

	v, err = inquire("KD-CAPTURE")
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, backend.Yen(4950), v.AmountCaptured)
	assert.Equal(t, jstAt(2026, 11, 7, 18, 4, 5), v.AuthorizedAt.In(backend.JST), "即時売上: authorised at its processing")

	for id, want := range map[string]backend.PaymentState{"KD-VOID": backend.StateVoided, "KD-RETURN": backend.StateRefunded,
		"KD-RETX": backend.StateRefunded, "KD-SAUTH": backend.StateAuthorized, "KD-CHECK": backend.StateReserved,
		"KD-UNPROC": backend.StatePending, "KD-3D": backend.StatePending} {
		v, err := inquire(id)
		require.NoError(t, err, id)
		assert.Equal(t, want, v.State, id)
		assert.True(t, v.Found, id)
	}
	v, err = inquire("KD-RETX")
	require.NoError(t, err)
	assert.Equal(t, jstAt(2026, 11, 4, 12, 0, 0), v.ProcessedAt.In(backend.JST))

	_, err = inquire("KD-ODD")
	assert.Equal(t, backend.ClassUnknown, class(err), "a status this client does not know is not guessed")
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "REQSALES")

	v, err = inquire("KD-NONE")
	require.NoError(t, err)
	assert.False(t, v.Found, "E01110002: no such transaction")

	// Linking reads the ids from the same answer.
	tx, err := s.client.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayOrderID: "KD-SALES"})
	require.NoError(t, err)
	assert.Equal(t, "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5", tx.GatewayTranID)
	assert.Equal(t, "f0e1d2c3b4a5968778695a4b3c2d1e0f", tx.GatewayTranPass)
	assert.Equal(t, backend.Yen(960), tx.View.Tax)
}

// searchTradeMulti is a SearchTradeMulti answer with the keys of §7 (no OrderID echoed).
func searchTradeMulti(payType, status, processDate, amount, tax, paymentTerm, finishDate string) string {
	return "Status=" + status + "&ProcessDate=" + processDate + "&JobCd=&AccessID=1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d&AccessPass=6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a" +
		"&ItemCode=0000990&Amount=" + amount + "&Tax=" + tax + "&SiteID=&MemberID=&CardNo=&Expire=&Method=&PayTimes=&Forward=&TranID=&Approve=" +
		"&ClientField1=&ClientField2=&ClientField3=&PayType=" + payType + "&CvsCode=10001&CvsConfNo=4321&CvsReceiptNo=12345678901" +
		"&EdyReceiptNo=&EdyOrderNo=&SuicaOrderNo=&SuicaReceiptNo=&CustID=&BkCode=&ConfNo=&EncryptReceiptNo=&PaymentTerm=" + paymentTerm +
		"&WebMoneyManagementNo=&WebMoneySettleCode=&AuPayInfoNo=&AuPayMethod=&AuCancelAmount=&AuCancelTax=&DocomoSettlementCode=" +
		"&DocomoCancelAmount=&DocomoCancelTax=&SbTrackingId=&SbCancelAmount=&SbCancelTax=&Currency=JPN&FinishDate=" + finishDate
}

func TestSearchTradeMultiFieldsAsTheSpecWritesThem(t *testing.T) {
	answers := map[string]string{
		// A slip issued on 10 Nov, payable until 17 Nov 23:59:59.
		"KD-CVS-OPEN": searchTradeMulti("3", "REQSUCCESS", "20261110101500", "5000", "400", "20261117235959", ""),
		// Paid at the store on 12 Nov 09:30; GMO processed the result at 10:05.
		"KD-CVS-PAID": searchTradeMulti("3", "PAYSUCCESS", "20261112100500", "5000", "400", "20261117235959", "20261112093000"),
		"KD-CVS-EXP":  searchTradeMulti("3", "EXPIRED", "20261118000500", "5000", "400", "20261117235959", ""),
		"KD-CVS-STOP": searchTradeMulti("3", "CANCEL", "20261111120000", "5000", "400", "20261117235959", ""),
		"KD-CVS-FAIL": searchTradeMulti("3", "PAYFAIL", "20261111120000", "5000", "400", "20261117235959", ""),
		"KD-PE-PAID":  searchTradeMulti("4", "PAYSUCCESS", "20261113080000", "7700", "700", "20261120235959", "20261113073015"),
		"KD-PE-OPEN":  searchTradeMulti("4", "REQSUCCESS", "20261110101500", "7700", "700", "20261120235959", ""),
	}
	s := startSpecServer(t, func(api string, form url.Values) string {
		if a, ok := answers[form.Get("OrderID")]; ok && api == "SearchTradeMulti" {
			return a
		}
		return "ErrCode=M01&ErrInfo=M01004002"
	})
	ctx := context.Background()
	inquire := func(method backend.PaymentMethod, orderID string) *backend.GatewayView {
		v, err := s.client.Inquire(ctx, &backend.Payment{Gateway: backend.GatewayGMO, Method: method, GatewayOrderID: orderID})
		require.NoError(t, err, orderID)
		return v
	}

	v := inquire(backend.MethodKonbini, "KD-CVS-OPEN")
	assert.Equal(t, "3", s.last().Get("PayType"))
	assert.Equal(t, backend.StateAwaitingDeposit, v.State)
	assert.Equal(t, backend.Yen(5400), v.AmountAuthorized)
	assert.Equal(t, backend.Yen(400), v.Tax)
	assert.Equal(t, jstAt(2026, 11, 17, 23, 59, 59), v.PaymentDeadline.In(backend.JST), "PaymentTerm")
	assert.True(t, v.PaidAt.IsZero())

	v = inquire(backend.MethodKonbini, "KD-CVS-PAID")
	assert.Equal(t, backend.StateDeposited, v.State)
	assert.Equal(t, jstAt(2026, 11, 12, 9, 30, 0), v.PaidAt.In(backend.JST), "FinishDate, the deposit's date — not ProcessDate")
	assert.Equal(t, jstAt(2026, 11, 12, 10, 5, 0), v.ProcessedAt.In(backend.JST))

	v = inquire(backend.MethodPayEasy, "KD-PE-PAID")
	assert.Equal(t, "4", s.last().Get("PayType"))
	assert.Equal(t, backend.StateDeposited, v.State)
	assert.Equal(t, backend.Yen(7700+700), v.AmountAuthorized)
	assert.Equal(t, jstAt(2026, 11, 13, 7, 30, 15), v.PaidAt.In(backend.JST))
	assert.Equal(t, jstAt(2026, 11, 20, 23, 59, 59), v.PaymentDeadline.In(backend.JST))
	v = inquire(backend.MethodNetBank, "KD-PE-OPEN")
	assert.Equal(t, "4", s.last().Get("PayType"), "net bank is asked as Pay-easy")
	assert.Equal(t, backend.StateAwaitingDeposit, v.State)

	assert.Equal(t, backend.StateExpired, inquire(backend.MethodKonbini, "KD-CVS-EXP").State)
	assert.Equal(t, backend.StateVoided, inquire(backend.MethodKonbini, "KD-CVS-STOP").State)
	assert.Equal(t, backend.StateNeedsReview, inquire(backend.MethodKonbini, "KD-CVS-FAIL").State)
	assert.False(t, inquire(backend.MethodKonbini, "KD-CVS-NONE").Found, "M01004002: no such order")

	tx, err := s.client.LookupTransaction(ctx, backend.MethodKonbini, backend.TransactionIDs{GatewayOrderID: "KD-CVS-OPEN"})
	require.NoError(t, err)
	assert.Equal(t, "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d", tx.GatewayTranID)
	assert.Equal(t, "6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a", tx.GatewayTranPass)
}

// The answers of AlterTran, ChangeTran and CvsCancel (§3.3, §3.4, §5.3): TranDate is
// the new processing date; a re-authorisation repeats the original's Method, PayTimes
// and Tax, read from SearchTrade.
func TestOperationAnswersAsTheSpecWritesThem(t *testing.T) {
	const alter = "AccessID=a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5&AccessPass=f0e1d2c3b4a5968778695a4b3c2d1e0f&Forward=2a99662&Approve=7654321&TranID=2611101015300000000000054321&TranDate="
	dates := map[string]string{"SALES": "20261110101530", "VOID": "20261110111111", "RETURN": "20261110121212",
		"RETURNX": "20261110131313", "AUTH": "20261110141414", "CAPTURE": "20261110151515"}
	s := startSpecServer(t, func(api string, form url.Values) string {
		switch api {
		case "AlterTran":
			return alter + dates[form.Get("JobCd")]
		case "ChangeTran":
			return alter + "20261110161616"
		case "SearchTrade":
			return searchTrade("KD-OPS", "VOID", "20261109100000", "9500", "500", "2", "6")
		case "CvsCancel":
			return "OrderID=KD-CVS&Status=CANCEL"
		}
		return "ErrCode=E91&ErrInfo=E91099997"
	})
	ctx := context.Background()
	p := &backend.Payment{Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: "KD-OPS",
		GatewayTranID: "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5", GatewayTranPass: "f0e1d2c3b4a5968778695a4b3c2d1e0f",
		State: backend.StateAuthorized, AmountAuthorized: 10000, Tax: 500}

	v, err := s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 10000})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, backend.Yen(500), v.Tax)
	assert.Equal(t, jstAt(2026, 11, 10, 10, 15, 30), v.ProcessedAt.In(backend.JST), "TranDate")
	assert.Equal(t, "9500", s.last().Get("Amount"))
	assert.Equal(t, "500", s.last().Get("Tax"))

	for kind, job := range map[backend.OpKind]string{backend.OpVoid: "VOID", backend.OpReturn: "RETURN", backend.OpReturnX: "RETURNX"} {
		v, err := s.client.Do(ctx, p, backend.GatewayOp{Kind: kind})
		require.NoError(t, err)
		assert.Equal(t, job, s.last().Get("JobCd"))
		assert.Equal(t, job, v.RawStatus)
		assert.Equal(t, dates[job], v.ProcessedAt.In(backend.JST).Format("20060102150405"))
	}

	v, err = s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 8800})
	require.NoError(t, err)
	assert.Equal(t, jstAt(2026, 11, 10, 16, 16, 16), v.ProcessedAt.In(backend.JST))
	assert.Equal(t, "8300", s.last().Get("Amount"))
	assert.Equal(t, "500", s.last().Get("Tax"))

	p.State = backend.StateVoided
	v, err = s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReauth, Amount: 11000, CaptureNow: true})
	require.NoError(t, err)
	f := s.last()
	assert.Equal(t, "CAPTURE", f.Get("JobCd"))
	assert.Equal(t, "10500", f.Get("Amount"), "the original's Tax kept apart")
	assert.Equal(t, "500", f.Get("Tax"))
	assert.Equal(t, "2", f.Get("Method"), "the original's Method (分割)")
	assert.Equal(t, "6", f.Get("PayTimes"))
	assert.Equal(t, backend.Yen(500), v.Tax)
	assert.Equal(t, jstAt(2026, 11, 10, 15, 15, 15), v.AuthorizedAt.In(backend.JST), "the new authorisation is dated by TranDate")
	assert.Equal(t, v.AuthorizedAt, v.ProcessedAt)

	cvs := &backend.Payment{Gateway: backend.GatewayGMO, Method: backend.MethodKonbini, GatewayOrderID: "KD-CVS",
		GatewayTranID: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d", GatewayTranPass: "6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a", State: backend.StateAwaitingDeposit}
	v, err = s.client.Do(ctx, cvs, backend.GatewayOp{Kind: backend.OpStopPayment})
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, v.State)
	assert.Equal(t, "KD-CVS", s.last().Get("OrderID"))
}

// The error envelope (§1.4): the n-th ErrCode pairs with the n-th ErrInfo; every pair
// is kept for the journal, the class follows the code that matters most for money.
func TestErrorAnswersAsTheSpecWritesThem(t *testing.T) {
	answer := ""
	s := startSpecServer(t, func(string, url.Values) string { return answer })
	ctx := context.Background()
	p := &backend.Payment{Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: "KD-E",
		GatewayTranID: "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5", GatewayTranPass: "f0e1d2c3b4a5968778695a4b3c2d1e0f",
		State: backend.StateAuthorized, AmountAuthorized: 1000}
	cases := []struct {
		answer string
		class  backend.ErrorClass
		raw    string
		ja     string
	}{
		{"ErrCode=E01|E01&ErrInfo=E01090008|E01100008", backend.ClassPermanent, "E01:E01090008 E01:E01100008", "取引IDの形式が正しくありません / 取引パスワードの形式が正しくありません"},
		{"ErrCode=E11&ErrInfo=E11010001", backend.ClassAlreadyDone, "E11:E11010001", "この取引は既に決済が終了しています"},
		{"ErrCode=E11&ErrInfo=E11010003", backend.ClassAlreadyDone, "E11:E11010003", "この取引の今の状態では、その処理は行えません"},
		{"ErrCode=E01&ErrInfo=E01060010", backend.ClassPermanent, "E01:E01060010", "仮売上の金額と一致しません"},
		{"ErrCode=E92&ErrInfo=E92000001", backend.ClassRetryable, "E92:E92000001", "流量制限"},
		{"ErrCode=E90&ErrInfo=E90010001", backend.ClassUnknown, "E90:E90010001", "二重送信"},
		{"ErrCode=E01|E91&ErrInfo=E01060010|E91099996", backend.ClassUnknown, "E01:E01060010 E91:E91099996", "システムエラー"},
		{"ErrCode=G02&ErrInfo=42G020000", backend.ClassPermanent, "G02:42G020000", "カード残高が不足しています"},
	}
	for _, c := range cases {
		answer = c.answer
		_, err := s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
		require.Error(t, err, c.answer)
		var be *backend.Error
		require.ErrorAs(t, err, &be)
		assert.Equal(t, c.class, be.Class, c.answer)
		assert.Equal(t, c.raw, be.GatewayCode, c.answer)
		assert.Contains(t, be.Message, c.ja, c.answer)
	}
	// An answer without the field the API must return is not a success.
	answer = "AccessID=a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5&AccessPass=f0e1d2c3b4a5968778695a4b3c2d1e0f&Forward=2a99662"
	_, err := s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassUnknown, class(err), "no TranDate")
}

// The views an amount change and a re-authorisation report: a sale only for CAPTURE;
// a new total must stay above the Tax kept apart; a re-authorisation of a transaction
// the gateway does not have is refused before anything is sent.
func TestChangeAndReauthorisationViews(t *testing.T) {
	const alter = "AccessID=a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5&AccessPass=f0e1d2c3b4a5968778695a4b3c2d1e0f&Forward=2a99662&Approve=7654321&TranID=2611101015300000000000054321&TranDate=20261110101530"
	known := true
	s := startSpecServer(t, func(api string, form url.Values) string {
		if api == "SearchTrade" {
			if !known {
				return "ErrCode=E01&ErrInfo=E01110002"
			}
			return searchTrade("KD-V", "VOID", "20261109100000", "4000", "400", "1", "")
		}
		return alter
	})
	ctx := context.Background()
	p := &backend.Payment{Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: "KD-V",
		GatewayTranID: "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5", GatewayTranPass: "f0e1d2c3b4a5968778695a4b3c2d1e0f",
		State: backend.StateAuthorized, AmountAuthorized: 4400, Tax: 400}

	v, err := s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 3300})
	require.NoError(t, err)
	assert.Equal(t, "AUTH", s.last().Get("JobCd"))
	assert.Equal(t, backend.StateAuthorized, v.State)
	assert.Equal(t, backend.Yen(3300), v.AmountAuthorized)
	assert.Zero(t, v.AmountCaptured, "an authorisation is not a sale")
	v, err = s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 3300, CaptureNow: true})
	require.NoError(t, err)
	assert.Equal(t, "CAPTURE", s.last().Get("JobCd"))
	assert.Equal(t, backend.Yen(3300), v.AmountCaptured)
	_, err = s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 401})
	require.NoError(t, err, "one yen above the tax can be split")
	assert.Equal(t, "1", s.last().Get("Amount"))

	p.State = backend.StateVoided
	v, err = s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReauth, Amount: 4400})
	require.NoError(t, err)
	assert.Equal(t, "AUTH", s.last().Get("JobCd"))
	assert.Equal(t, backend.StateAuthorized, v.State)
	assert.Zero(t, v.AmountCaptured, "an authorisation is not a sale")
	v, err = s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReauth, Amount: 4400, CaptureNow: true})
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(4400), v.AmountCaptured)

	n := len(s.forms)
	_, err = s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReauth, Amount: 400})
	assert.Equal(t, backend.EINVALID, code(err), "not above the original's tax of 400")
	assert.Equal(t, backend.ClassNotSent, class(err))
	assert.Len(t, s.forms, n+1, "only the inquiry was sent")
	_, err = s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReauth, Amount: 401})
	require.NoError(t, err)
	assert.Equal(t, "1", s.last().Get("Amount"))
	assert.Equal(t, "400", s.last().Get("Tax"))

	known = false
	n = len(s.forms)
	_, err = s.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReauth, Amount: 4400})
	assert.Equal(t, backend.EGATEWAY, code(err))
	assert.Equal(t, backend.ClassNotSent, class(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "再オーソリできません")
	assert.Len(t, s.forms, n+1, "no AlterTran")
}

// An operation needs both the AccessID and the AccessPass: without either nothing is sent.
func TestOperationWithoutTheAccessPassIsNotSent(t *testing.T) {
	s := startSpecServer(t, func(string, url.Values) string { return "ErrCode=E01&ErrInfo=E01100001" })
	for _, p := range []*backend.Payment{
		{Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: "KD-N", GatewayTranID: "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5", AmountAuthorized: 1000},
		{Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: "KD-N", GatewayTranPass: "f0e1d2c3b4a5968778695a4b3c2d1e0f", AmountAuthorized: 1000},
	} {
		_, err := s.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
		assert.Equal(t, backend.EINVALID, code(err))
		assert.Equal(t, backend.ClassNotSent, class(err))
	}
	assert.Empty(t, s.forms)
}
