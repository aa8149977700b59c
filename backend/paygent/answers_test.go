package paygent_test

// Every field the client reads from an answer, fed through a loopback server with
// answers written by hand from the published telegrams (sbps-paygent.md §B5, §B6,
// §B8, §B9: result, response_code, response_detail, payment_id, trading_id,
// payment_type, payment_status, payment_amount, payment_init_date,
// payment_limit_date, cancel_date, user_payment_date, payment_date, base_payment_id,
// success_code, payment_notice_id, change_date, bank_code, cvs_company_id,
// related_payment_id) — not produced by our simulator, so a name misspelt in client
// and simulator alike fails here. Every date differs from the others.

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
)

func at(y int, m time.Month, d, hh, mm, ss int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, 0, backend.JST)
}

// inquiry094 is a 094 answer: the common head, then the payment's block.
func inquiry094(paymentID, tradingID, paymentType, status, amount string, dates ...string) string {
	s := okHead + "payment_id=" + paymentID + "\ntrading_id=" + tradingID + "\npayment_type=" + paymentType +
		"\nsite_id=\npayment_status=" + status + "\npayment_amount=" + amount + "\n"
	for i := 0; i+1 < len(dates); i += 2 {
		s += dates[i] + "=" + dates[i+1] + "\n"
	}
	return s
}

func TestPaymentInquiryFieldsAsTheSpecWritesThem(t *testing.T) {
	answers := map[string]string{
		// Card authorised on 8 Nov.
		"1001": inquiry094("1001", "KD_C1", "02", "20", "5800", "payment_init_date", "20261108143015", "payment_date", "", "cancel_date", ""),
		// Card authorised on 2 Nov, sold (消込) on 9 Nov.
		"1002": inquiry094("1002", "KD_C2", "02", "40", "12800", "payment_init_date", "20261102110000", "payment_date", "20261109091122", "cancel_date", ""),
		// Card authorised on 3 Nov, cancelled on 6 Nov.
		"1003": inquiry094("1003", "KD_C3", "02", "32", "3000", "payment_init_date", "20261103120000", "payment_date", "", "cancel_date", "20261106154500"),
		// Card sold on 4 Nov, sale cancelled on 7 Nov.
		"1004": inquiry094("1004", "KD_C4", "02", "60", "4100", "payment_init_date", "20261101090000", "payment_date", "20261104100000", "cancel_date", "20261107080910"),
		"1005": inquiry094("1005", "KD_C5", "02", "33", "2000", "payment_init_date", "20260901090000"),
		"1006": inquiry094("1006", "KD_C6", "02", "41", "9000", "payment_init_date", "20260801090000", "payment_date", "20260802090000"),
		// Konbini (番号方式): applied on 10 Nov, payable until 17 Nov.
		"2001": inquiry094("2001", "KD_K1", "03", "10", "4400", "payment_init_date", "20261110093000", "payment_limit_date", "20261117", "user_payment_date", "", "payment_date", ""),
		// Paid at a Seven-Eleven on 12 Nov 18:20 (速報); 消込 not yet.
		"2002": inquiry094("2002", "KD_K2", "03", "43", "4400", "payment_init_date", "20261110093000", "payment_limit_date", "20261117", "user_payment_date", "20261112182000", "payment_date", ""),
		// Paid on 12 Nov, 消込 on 14 Nov.
		"2003": inquiry094("2003", "KD_K3", "04", "40", "4400", "payment_init_date", "20261110093000", "payment_limit_date", "20261117", "user_payment_date", "20261112182000", "payment_date", "20261114060000"),
		"2004": inquiry094("2004", "KD_K4", "03", "12", "4400", "payment_init_date", "20261101093000", "payment_limit_date", "20261108"),
		"2005": inquiry094("2005", "KD_K5", "03", "61", "4400", "payment_limit_date", "20261117"),
		// ATM (Pay-easy), bank net.
		"3001": inquiry094("3001", "KD_A1", "01", "10", "15000", "payment_init_date", "20261110093000", "payment_limit_date", "20261124"),
		"3002": inquiry094("3002", "KD_A2", "05", "40", "15000", "payment_init_date", "20261110093000", "payment_date", "20261110094512"),
		"3003": inquiry094("3003", "KD_A3", "05", "15", "15000", "payment_init_date", "20261106093000"),
		"9999": inquiry094("9999", "KD_X", "02", "99", "1000"),
	}
	_, c, got := wireServer(t, func(kind string, form url.Values) string {
		if a, ok := answers[form.Get("payment_id")]; ok {
			return a
		}
		if form.Get("trading_id") == "KD_MANY" {
			return "result=1\nresponse_code=13002\nresponse_detail=\n"
		}
		return "result=1\nresponse_code=13001\nresponse_detail=\n"
	})
	ctx := context.Background()
	inquire := func(m backend.PaymentMethod, id string) *backend.GatewayView {
		t.Helper()
		v, err := c.Inquire(ctx, &backend.Payment{Method: m, GatewayTranID: id, State: backend.StateNeedsReview})
		require.NoError(t, err, id)
		return v
	}

	v := inquire(backend.MethodCard, "1001")
	assert.Equal(t, "1001", (*got)[len(*got)-1].form.Get("payment_id"))
	assert.Equal(t, backend.StateAuthorized, v.State)
	assert.Equal(t, "20", v.RawStatus)
	assert.Equal(t, backend.Yen(5800), v.AmountAuthorized)
	assert.Equal(t, at(2026, 11, 8, 14, 30, 15), v.AuthorizedAt.In(backend.JST), "payment_init_date")
	assert.Empty(t, v.NewTranID)

	v = inquire(backend.MethodCard, "1002")
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, backend.Yen(12800), v.AmountCaptured)
	assert.Equal(t, at(2026, 11, 2, 11, 0, 0), v.AuthorizedAt.In(backend.JST))
	assert.Equal(t, at(2026, 11, 9, 9, 11, 22), v.ProcessedAt.In(backend.JST), "payment_date: the sale")

	v = inquire(backend.MethodCard, "1003")
	assert.Equal(t, backend.StateVoided, v.State)
	assert.Equal(t, at(2026, 11, 6, 15, 45, 0), v.ProcessedAt.In(backend.JST), "cancel_date")
	v = inquire(backend.MethodCard, "1004")
	assert.Equal(t, backend.StateRefunded, v.State)
	assert.Equal(t, at(2026, 11, 7, 8, 9, 10), v.ProcessedAt.In(backend.JST), "cancel_date, not the sale's payment_date")
	assert.Equal(t, backend.StateExpired, inquire(backend.MethodCard, "1005").State)
	assert.Equal(t, backend.StateCaptured, inquire(backend.MethodCard, "1006").State)

	v = inquire(backend.MethodKonbini, "2001")
	assert.Equal(t, backend.StateAwaitingDeposit, v.State)
	assert.Equal(t, backend.Yen(4400), v.AmountAuthorized)
	assert.Equal(t, at(2026, 11, 17, 23, 59, 59), v.PaymentDeadline.In(backend.JST), "payment_limit_date: payable to its end")
	assert.True(t, v.PaidAt.IsZero())
	v = inquire(backend.MethodKonbini, "2002")
	assert.Equal(t, backend.StateDeposited, v.State, "43 速報検知済 counts as paid")
	assert.Equal(t, at(2026, 11, 12, 18, 20, 0), v.PaidAt.In(backend.JST), "user_payment_date while payment_date is empty")
	v = inquire(backend.MethodKonbini, "2003")
	assert.Equal(t, backend.StateDeposited, v.State)
	assert.Equal(t, at(2026, 11, 14, 6, 0, 0), v.PaidAt.In(backend.JST), "payment_date once 消込 is done")
	assert.Equal(t, v.PaidAt, v.ProcessedAt)
	v = inquire(backend.MethodKonbini, "2004")
	assert.Equal(t, backend.StateExpired, v.State)
	assert.Equal(t, at(2026, 11, 8, 23, 59, 59), v.PaymentDeadline.In(backend.JST))
	assert.Equal(t, backend.StateNeedsReview, inquire(backend.MethodKonbini, "2005").State, "61 速報取消済")

	v = inquire(backend.MethodPayEasy, "3001")
	assert.Equal(t, backend.StateAwaitingDeposit, v.State)
	assert.Equal(t, at(2026, 11, 24, 23, 59, 59), v.PaymentDeadline.In(backend.JST))
	v = inquire(backend.MethodNetBank, "3002")
	assert.Equal(t, backend.StateDeposited, v.State)
	assert.Equal(t, at(2026, 11, 10, 9, 45, 12), v.PaidAt.In(backend.JST))
	assert.Equal(t, backend.StateExpired, inquire(backend.MethodNetBank, "3003").State, "15 申込中断")

	_, err := c.Inquire(ctx, &backend.Payment{Method: backend.MethodCard, GatewayTranID: "9999"})
	assert.Equal(t, backend.ClassUnknown, class(err), "a status this client does not know is not guessed")
	v, err = c.Inquire(ctx, &backend.Payment{Method: backend.MethodCard, GatewayTranID: "1234"})
	require.NoError(t, err)
	assert.False(t, v.Found, "13001")
	v, err = c.Inquire(ctx, &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "KD_MANY"})
	require.NoError(t, err)
	assert.Equal(t, backend.StateNeedsReview, v.State, "13002: several payments under the trading_id")

	// Linking reads the ids and the method from the same answer.
	tx, err := c.LookupTransaction(ctx, backend.MethodCard, backend.TransactionIDs{GatewayTranID: "2003"})
	require.NoError(t, err)
	assert.Equal(t, "KD_K3", tx.GatewayOrderID, "trading_id")
	assert.Equal(t, "2003", tx.GatewayTranID)
	assert.Equal(t, backend.MethodKonbini, tx.Method, "payment_type 04 is konbini, whatever the order said")
	assert.Equal(t, at(2026, 11, 17, 23, 59, 59), tx.View.PaymentDeadline.In(backend.JST))
}

// 028/029 answer with the new payment_id and the old one as base_payment_id (§B5).
func TestCorrectionAnswersAsTheSpecWritesThem(t *testing.T) {
	_, c, _ := wireServer(t, func(kind string, form url.Values) string {
		return okHead + "payment_id=5002\ntrading_id=KD_R\nbase_payment_id=5001\nreduced_amount=1200\n"
	})
	p := &backend.Payment{Method: backend.MethodCard, State: backend.StateCaptured, GatewayOrderID: "KD_R", GatewayTranID: "5001",
		AmountAuthorized: 6000, AmountCaptured: 6000}
	v, err := c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 1200})
	require.NoError(t, err)
	assert.Equal(t, "5002", v.NewTranID, "payment_id of the answer is the new payment")
	assert.Equal(t, backend.Yen(1200), v.AmountRefunded)
}

// 091 notices (§B8): every field of the notice, for a konbini deposit and a card.
func TestNoticeFieldsAsTheSpecWritesThem(t *testing.T) {
	calls := 0
	_, c, _ := wireServer(t, func(kind string, form url.Values) string {
		calls++
		switch calls {
		case 1:
			return okHead + "success_code=0\nsuccess_detail=\npayment_notice_id=41\nchange_date=20261112183005\npayment_id=2002\n" +
				"trading_id=KD_K2\npayment_type=03\npayment_status=43\npayment_amount=4400\npayment_init_date=20261110093000\n" +
				"payment_limit_date=20261117\nearly_notice_date=20261112182500\ncancel_date=\nuser_payment_date=20261112182000\n" +
				"payment_date=\nbank_code=\ncvs_company_id=00C001\nrelated_payment_id=2001\n"
		case 2:
			return okHead + "success_code=0\nsuccess_detail=\npayment_notice_id=42\nchange_date=20261113090000\npayment_id=1002\n" +
				"trading_id=KD_C2\npayment_type=02\npayment_status=40\npayment_amount=12800\npayment_init_date=20261102110000\n" +
				"payment_limit_date=\nearly_notice_date=\ncancel_date=\nuser_payment_date=\npayment_date=20261109091122\n" +
				"bank_code=\ncvs_company_id=\nrelated_payment_id=\n"
		}
		return okHead + "success_code=1\nsuccess_detail=\npayment_notice_id=\n"
	})
	run, err := c.FetchNotices(context.Background(), paygent.NoticeCursor{MaxID: 40}, paygent.NoticeOptions{})
	require.NoError(t, err)
	require.Len(t, run.Notices, 2)
	k := run.Notices[0]
	assert.Equal(t, int64(41), k.ID)
	assert.Equal(t, at(2026, 11, 12, 18, 30, 5), k.ChangeDate.In(backend.JST))
	assert.Equal(t, "2002", k.PaymentID)
	assert.Equal(t, "KD_K2", k.TradingID)
	assert.Equal(t, backend.MethodKonbini, k.Method)
	assert.Equal(t, "43", k.Status)
	assert.Equal(t, backend.StateDeposited, k.State)
	assert.Equal(t, backend.Yen(4400), k.Amount)
	assert.Equal(t, at(2026, 11, 10, 9, 30, 0), k.InitDate.In(backend.JST))
	assert.Equal(t, at(2026, 11, 17, 23, 59, 59), k.LimitDate.In(backend.JST), "payment_limit_date")
	assert.Equal(t, at(2026, 11, 12, 18, 20, 0), k.UserPaymentDate.In(backend.JST))
	assert.True(t, k.PaymentDate.IsZero())
	assert.Equal(t, "00C001", k.CvsCompanyID)
	assert.Equal(t, "2001", k.RelatedPaymentID, "the customer paid twice")
	kv := k.View()
	assert.Equal(t, k.LimitDate, kv.PaymentDeadline)
	assert.Equal(t, k.UserPaymentDate, kv.PaidAt)

	card := run.Notices[1]
	assert.Equal(t, backend.MethodCard, card.Method)
	assert.Equal(t, backend.StateCaptured, card.State)
	cv := card.View()
	assert.Equal(t, backend.Yen(12800), cv.AmountCaptured)
	assert.Equal(t, at(2026, 11, 9, 9, 11, 22), cv.ProcessedAt.In(backend.JST), "payment_date")
	assert.Equal(t, at(2026, 11, 2, 11, 0, 0), cv.AuthorizedAt.In(backend.JST), "payment_init_date")
	assert.Equal(t, int64(42), run.Cursor.MaxID)
}
