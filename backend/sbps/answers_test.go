package sbps_test

// Every field the client reads from an answer, fed through a loopback server with
// answers written by hand from the published shapes (sbps-paygent.md §A5, §A6: the
// root's id, res_result, res_err_code, res_tracking_id, res_process_date, res_status,
// res_pay_method_info/payment_status, commit_status, bill_date) — not produced by our
// simulator, so a name misspelt in client and simulator alike fails here. Every date
// differs from the others, so a date read from the wrong field shows.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sbps"
)

// okAnswer is an operation's OK answer (ST01/ST02) with its res_process_date.
func okAnswer(id, processDate string, extra string) string {
	return fmt.Sprintf(`<?xml version='1.0' encoding='Shift_JIS' ?>
  <sps-api-response id="%s">
    <res_result>OK</res_result>
    <res_sps_transaction_id>B71234001ST020000010100123456789</res_sps_transaction_id>%s
    <res_process_date>%s</res_process_date>
    <res_err_code/>
    <res_date>20261110101112</res_date>
  </sps-api-response>`, id, extra, processDate)
}

// cardInquiry is an MG01-00101-101 answer: res_status, then res_pay_method_info with
// the card details, commit_status and payment_status.
func cardInquiry(resStatus, commit, payment string) string {
	return `<?xml version='1.0' encoding='Shift_JIS' ?>
  <sps-api-response id="MG01-00101-101">
    <res_result>OK</res_result>
    <res_sps_transaction_id>B71234001MG010010110100123456790</res_sps_transaction_id>
    <res_status>` + resStatus + `</res_status>
    <res_pay_method_info>
      <res_pay_method_info_detail>
        <cc_number>************4242</cc_number>
        <cc_expiration>202812</cc_expiration>
        <dealings_type>10</dealings_type>
        <divide_times/>
        <bonus_details_times/>
      </res_pay_method_info_detail>
      <cc_company_code>10035</cc_company_code>
      <cardbrand_code>J</cardbrand_code>
      <recognized_no>246810</recognized_no>
      <commit_status>` + commit + `</commit_status>
      <payment_status>` + payment + `</payment_status>
    </res_pay_method_info>
    <res_process_date>20261110101112</res_process_date>
    <res_err_code/>
    <res_date>20261110101112</res_date>
  </sps-api-response>`
}

// depositInquiry is an MG01-00101-701/703 answer with bill_date and payment_status.
func depositInquiry(id, billDate, payment string) string {
	return `<?xml version='1.0' encoding='Shift_JIS' ?>
  <sps-api-response id="` + id + `">
    <res_result>OK</res_result>
    <res_sps_transaction_id>B71234001MG010010170100123456791</res_sps_transaction_id>
    <res_status>0</res_status>
    <res_pay_method_info>
      <webcvstype>002</webcvstype>
      <invoice_no>83897187434765</invoice_no>
      <bill_date>` + billDate + `</bill_date>
      <cvs_pay_data1>30654892-426543614</cvs_pay_data1>
      <cvs_pay_data2>https://example.jp/pay?order1=30654892&amp;order2=426543614</cvs_pay_data2>
      <payment_status>` + payment + `</payment_status>
    </res_pay_method_info>
    <res_process_date>20261110101112</res_process_date>
    <res_err_code/>
    <res_date>20261110101112</res_date>
  </sps-api-response>`
}

func ngAnswer(code string) string {
	return `<?xml version='1.0' encoding='Shift_JIS' ?>
  <sps-api-response>
    <res_result>NG</res_result>
    <res_err_code>` + code + `</res_err_code>
    <res_date>20261110101112</res_date>
  </sps-api-response>`
}

func TestCardInquiryFieldsAsTheSpecWritesThem(t *testing.T) {
	fake, c := startFake(t)
	ctx := context.Background()
	p := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917"}
	cases := []struct {
		resStatus, commit, payment string
		state                      backend.PaymentState
		raw                        string
	}{
		{"0", "1", "1", backend.StateAuthorized, "1"},
		{"0", "1", "2", backend.StateCaptured, "2"},
		{"0", "1", "3", backend.StateVoided, "3"},
		{"0", "1", "4", backend.StateRefunded, "4"},
		{"0", "1", "5", backend.StatePartiallyRefunded, "5"},
		{"0", "1", "6", backend.StateNeedsReview, "6"},
		{"0", "0", "1", backend.StatePending, "1"},                // authorised, not committed (確定 not sent)
		{"0", "3", "3", backend.StateVoided, "3"},                 // cancelled without commit
		{"1", "1", "2", backend.StateNeedsReview, "res_status=1"}, // the transaction is in error at SBPS
	}
	for _, cs := range cases {
		fake.answers[sbps.APICardInquiry] = cardInquiry(cs.resStatus, cs.commit, cs.payment)
		v, err := c.Inquire(ctx, p)
		require.NoError(t, err, cs)
		assert.True(t, v.Found)
		assert.Equal(t, cs.state, v.State, "res_status %s commit_status %s payment_status %s", cs.resStatus, cs.commit, cs.payment)
		assert.Equal(t, cs.raw, v.RawStatus)
		assert.Zero(t, v.AmountAuthorized, "the inquiry carries no amounts")
	}
	fake.answers[sbps.APICardInquiry] = cardInquiry("0", "1", "7")
	_, err := c.Inquire(ctx, p)
	assert.Equal(t, backend.ClassUnknown, class(err), "a payment_status this client does not know is not guessed")

	fake.answers[sbps.APICardInquiry] = ngAnswer("10112027") // type 12: no such tracking_id
	v, err := c.Inquire(ctx, p)
	require.NoError(t, err)
	assert.False(t, v.Found)
}

func TestDepositInquiryFieldsAsTheSpecWritesThem(t *testing.T) {
	fake, c := startFake(t) // the client's clock: 2026-11-10 10:00 JST
	ctx := context.Background()
	cvs := &backend.Payment{Method: backend.MethodKonbini, GatewayTranID: "83897187434765"}

	fake.answers[sbps.APIWebCvsInquiry] = depositInquiry(sbps.APIWebCvsInquiry, "20261117", sbps.DepositUnpaid)
	v, err := c.Inquire(ctx, cvs)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAwaitingDeposit, v.State)
	assert.Equal(t, time.Date(2026, 11, 17, 23, 59, 59, 0, backend.JST), v.PaymentDeadline.In(backend.JST), "bill_date: payable to its end")

	for status, want := range map[string]backend.PaymentState{sbps.DepositPaid: backend.StateDeposited, sbps.DepositOverpaid: backend.StateDeposited,
		sbps.DepositPartial: backend.StateNeedsReview, sbps.DepositCancelled: backend.StateExpired} {
		fake.answers[sbps.APIWebCvsInquiry] = depositInquiry(sbps.APIWebCvsInquiry, "20261117", status)
		v, err := c.Inquire(ctx, cvs)
		require.NoError(t, err)
		assert.Equal(t, want, v.State, "payment_status %s", status)
	}

	fake.answers[sbps.APIPayEasyInquiry] = depositInquiry(sbps.APIPayEasyInquiry, "20261120", sbps.DepositUnpaid)
	v, err = c.Inquire(ctx, &backend.Payment{Method: backend.MethodPayEasy, GatewayTranID: "83897187434766"})
	require.NoError(t, err)
	assert.Equal(t, backend.StateAwaitingDeposit, v.State)
	assert.Equal(t, time.Date(2026, 11, 20, 23, 59, 59, 0, backend.JST), v.PaymentDeadline.In(backend.JST))
}

// The operations' answers: res_process_date is the processing date of each; 再与信
// names the new payment in res_tracking_id, which is then committed.
func TestOperationAnswersAsTheSpecWritesThem(t *testing.T) {
	fake, c := startFake(t)
	ctx := context.Background()
	fake.answers[sbps.APISales] = okAnswer(sbps.APISales, "20261110000000", "") // a sale's date comes date-only
	fake.answers[sbps.APIPartialRefund] = okAnswer(sbps.APIPartialRefund, "20261110093015", "")
	fake.answers[sbps.APICancelRefund] = okAnswer(sbps.APICancelRefund, "20261110094500", "")
	fake.answers[sbps.APIReauthorize] = okAnswer(sbps.APIReauthorize, "20261110095959", "\n    <res_tracking_id>00000013413999</res_tracking_id>")
	fake.answers[sbps.APICommit] = okAnswer(sbps.APICommit, "20261110100001", "")

	auth := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", GatewayOrderID: "KD-SB-1", State: backend.StateAuthorized, AmountAuthorized: 6000}
	v, err := c.Do(ctx, auth, backend.GatewayOp{Kind: backend.OpCapture, Amount: 6000})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, time.Date(2026, 11, 10, 0, 0, 0, 0, backend.JST), v.ProcessedAt.In(backend.JST))

	sold := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", State: backend.StateCaptured, AmountAuthorized: 6000, AmountCaptured: 6000}
	v, err = c.Do(ctx, sold, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 1500})
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(1500), v.AmountRefunded)
	assert.Equal(t, time.Date(2026, 11, 10, 9, 30, 15, 0, backend.JST), v.ProcessedAt.In(backend.JST))

	fake.answers[sbps.APICardInquiry] = cardInquiry("0", "1", sbps.StatusCaptured) // the refund's guard reads the state
	v, err = c.Do(ctx, sold, backend.GatewayOp{Kind: backend.OpRefund})
	require.NoError(t, err)
	assert.Equal(t, backend.StateRefunded, v.State)
	assert.Equal(t, time.Date(2026, 11, 10, 9, 45, 0, 0, backend.JST), v.ProcessedAt.In(backend.JST))

	voided := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", GatewayOrderID: "KD-SB-1", State: backend.StateVoided, AmountAuthorized: 6000}
	v, err = c.Do(ctx, voided, backend.GatewayOp{Kind: backend.OpReauth, Amount: 5500})
	require.NoError(t, err)
	assert.Equal(t, "00000013413999", v.NewTranID, "res_tracking_id names the new payment")
	assert.Equal(t, time.Date(2026, 11, 10, 9, 59, 59, 0, backend.JST), v.AuthorizedAt.In(backend.JST))
	assert.Equal(t, backend.Yen(5500), v.AmountAuthorized)
	last := fake.got[len(fake.got)-1]
	assert.Contains(t, string(last.body), `id="ST02-00101-101"`, "the new authorisation is committed")
	assert.Contains(t, string(last.body), "<tracking_id>00000013413999</tracking_id>")
}

// res_err_code: 3 characters of method, 2 of type, 3 of item (§A5).
func TestErrorAnswersAsTheSpecWritesThem(t *testing.T) {
	fake, c := startFake(t)
	ctx := context.Background()
	p := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", State: backend.StateAuthorized, AmountAuthorized: 1000}
	cases := []struct {
		code  string
		class backend.ErrorClass
		ja    string
	}{
		{"10141999", backend.ClassAlreadyDone, "売上処理が完了済み"},
		{"10140999", backend.ClassAlreadyDone, "与信取消済みのため、売上処理を中止しました"},
		{"10142999", backend.ClassPermanent, "3か月目の末日"},
		{"10137999", backend.ClassAlreadyDone, "自動売上"},
		{"99996999", backend.ClassUnknown, "2重リクエスト"},
		{"99909025", backend.ClassAuthFailed, "ハッシュキー"},
		{"99903008", backend.ClassPermanent, "「金額」が指定されていません"},
	}
	for _, cs := range cases {
		fake.answers[sbps.APISales] = ngAnswer(cs.code)
		_, err := c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
		var be *backend.Error
		require.ErrorAs(t, err, &be, cs.code)
		assert.Equal(t, cs.code, be.GatewayCode)
		assert.Equal(t, cs.class, be.Class, cs.code)
		assert.Contains(t, be.Message, cs.ja, cs.code)
	}
	// An OK answer without the date the API must return is not a success.
	fake.answers[sbps.APISales] = `<?xml version='1.0' encoding='Shift_JIS' ?><sps-api-response id="ST02-00201-101"><res_result>OK</res_result><res_err_code/></sps-api-response>`
	_, err := c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassUnknown, class(err))
}

// A sale partly refunded (payment_status 5) is refunded in full by the same 取消返金
// request; the client's state check lets it through.
func TestRefundOfAPartlyRefundedSale(t *testing.T) {
	fake, c := startFake(t)
	fake.answers[sbps.APICardInquiry] = cardInquiry("0", "1", sbps.StatusPartiallyRefunded)
	fake.answers[sbps.APICancelRefund] = okAnswer(sbps.APICancelRefund, "20261110094500", "")
	p := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", State: backend.StatePartiallyRefunded,
		AmountAuthorized: 6000, AmountCaptured: 6000, AmountRefunded: 1500}
	v, err := c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpRefund})
	require.NoError(t, err)
	assert.Equal(t, backend.StateRefunded, v.State)
	assert.Contains(t, string(fake.got[len(fake.got)-1].body), `id="ST02-00303-101"`)
}
