package sbps_test

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/japanese"

	"kessaidesk/backend"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/simkit"
)

// wireNow is the client's clock in the wire tests: 2026-11-10 10:00:00 JST.
var wireNow = time.Date(2026, 11, 10, 10, 0, 0, 0, backend.JST)

type seen struct {
	method, path, ctype, auth string
	body                      []byte
}

// fakeSBPS records requests and answers with fixed XML by API id.
type fakeSBPS struct {
	mu      sync.Mutex
	got     []seen
	status  string // payment_status the card inquiry reports
	answers map[string]string
}

var idAttr = regexp.MustCompile(`id="([^"]+)"`)

func (f *fakeSBPS) handle(r *simkit.Request) *simkit.Response {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, seen{r.HTTP.Method, r.HTTP.URL.Path, r.HTTP.Header.Get("Content-Type"), r.HTTP.Header.Get("Authorization"), r.Body})
	id := ""
	if m := idAttr.FindSubmatch(r.Body); m != nil {
		id = string(m[1])
	}
	body, ok := f.answers[id]
	if !ok {
		body = `<?xml version='1.0' encoding='Shift_JIS' ?>
  <sps-api-response id="` + id + `">
    <res_result>OK</res_result>
    <res_sps_transaction_id>B71234001ST020020110100000000001</res_sps_transaction_id>
    <res_tracking_id>99999999999999</res_tracking_id>
    <res_process_date>20261110000000</res_process_date>
    <res_err_code/>
    <res_date>20261110100000</res_date>
  </sps-api-response>`
	}
	body = strings.ReplaceAll(body, "{status}", f.status)
	return &simkit.Response{ContentType: "text/xml;charset=Shift_JIS", Body: []byte(body)}
}

const inquiryAnswer = `<?xml version='1.0' encoding='Shift_JIS' ?>
  <sps-api-response id="MG01-00101-101">
    <res_result>OK</res_result>
    <res_sps_transaction_id>B71234001MG010010110100000000002</res_sps_transaction_id>
    <res_status>0</res_status>
    <res_pay_method_info>
      <res_pay_method_info_detail>
        <cc_number>************4242</cc_number>
        <cc_expiration>202001</cc_expiration>
        <dealings_type>10</dealings_type>
        <divide_times/>
        <bonus_details_times/>
      </res_pay_method_info_detail>
      <cc_company_code>10035</cc_company_code>
      <cardbrand_code>V</cardbrand_code>
      <recognized_no>123456</recognized_no>
      <commit_status>1</commit_status>
      <payment_status>{status}</payment_status>
    </res_pay_method_info>
    <res_process_date>20261110100000</res_process_date>
    <res_err_code/>
    <res_date>20261110100000</res_date>
  </sps-api-response>`

func startFake(t *testing.T) (*fakeSBPS, *sbps.Client) {
	t.Helper()
	f := &fakeSBPS{status: "1", answers: map[string]string{sbps.APICardInquiry: inquiryAnswer}}
	srv, err := simkit.Start(f.handle, simkit.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	c, err := sbps.New(sbps.Config{Host: srv.URL, MerchantID: merchantID, ServiceID: serviceID, HashKey: hashKey,
		Now: func() time.Time { return wireNow }})
	require.NoError(t, err)
	return f, c
}

// sjisSHA1 is the reference checksum, computed here without the package: SHA-1 of
// the Shift_JIS bytes of the concatenation, lowercase hex.
func sjisSHA1(t *testing.T, s string) string {
	raw, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	sum := sha1.Sum(raw)
	return hex.EncodeToString(sum[:])
}

func sjis(t *testing.T, s string) []byte {
	raw, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return raw
}

func TestWireRequests(t *testing.T) {
	fake, c := startFake(t)
	ctx := context.Background()
	p := &backend.Payment{Method: backend.MethodCard, GatewayOrderID: "KD-1", GatewayTranID: "00000013413917", AmountAuthorized: 1000, AmountCaptured: 1000}

	_, err := c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	require.NoError(t, err)
	_, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 800})
	require.NoError(t, err)
	_, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid}) // inquiry says 1: sent
	require.NoError(t, err)
	fake.status = "2"
	_, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 300})
	require.NoError(t, err)
	v, err := c.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	_, err = c.Inquire(ctx, &backend.Payment{Method: backend.MethodKonbini, GatewayTranID: "83897187434765"})
	assert.Error(t, err) // the fake answers a bare OK; the request is what matters here

	const rd = "<request_date>20261110100000</request_date><limit_second>600</limit_second>"
	const ids = "<merchant_id>71234</merchant_id><service_id>001</service_id>"
	want := []struct {
		id, inner, hashSrc string
	}{
		{"ST02-00201-101", ids + "<tracking_id>00000013413917</tracking_id><processing_datetime>20261110100000</processing_datetime>" + rd,
			"71234001000000134139172026111010000020261110100000600"},
		{"ST02-00201-101", ids + "<tracking_id>00000013413917</tracking_id><processing_datetime>20261110100000</processing_datetime><pay_option_manage><amount>800</amount></pay_option_manage>" + rd,
			"7123400100000013413917202611101000008002026111010000" + "0600"},
		{"MG01-00101-101", ids + "<tracking_id>00000013413917</tracking_id><response_info_type>2</response_info_type><pay_option_manage><cardbrand_return_flg>1</cardbrand_return_flg></pay_option_manage><encrypted_flg>0</encrypted_flg>" + rd,
			"712340010000001341391721020261110100000600"},
		{"ST02-00303-101", ids + "<tracking_id>00000013413917</tracking_id><processing_datetime>20261110100000</processing_datetime>" + rd,
			"71234001000000134139172026111010000020261110100000600"},
		{"ST02-00307-101", ids + "<tracking_id>00000013413917</tracking_id><processing_datetime>20261110100000</processing_datetime><pay_option_manage><amount>300</amount></pay_option_manage>" + rd,
			"71234001000000134139172026111010000030020261110100000600"},
		{"MG01-00101-101", "", ""},
		{"MG01-00101-701", ids + "<tracking_id>83897187434765</tracking_id><encrypted_flg>0</encrypted_flg>" + rd,
			"7123400183897187434765020261110100000600"},
	}
	require.Len(t, fake.got, len(want))
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("71234001:"+hashKey))
	for i, w := range want {
		g := fake.got[i]
		assert.Equal(t, http.MethodPost, g.method)
		assert.Equal(t, "/api/xmlapi.do", g.path)
		assert.Equal(t, "text/xml; charset=Shift_JIS", g.ctype)
		assert.Equal(t, basic, g.auth, "Basic user = merchant_id+service_id, password = hash key")
		if w.inner == "" {
			continue
		}
		hash := sjisSHA1(t, w.hashSrc+hashKey)
		wantBody := `<?xml version="1.0" encoding="Shift_JIS"?><sps-api-request id="` + w.id + `">` + w.inner +
			"<sps_hashcode>" + hash + "</sps_hashcode></sps-api-request>"
		assert.Equal(t, wantBody, string(g.body), "request %d", i)
	}
}

func TestWireJapaneseFieldsAreBase64OfShiftJIS(t *testing.T) {
	fake, c := startFake(t)
	// item_name is a multibyte field: base64 of its Shift_JIS bytes on the wire, its
	// text in the checksum. A full-width space inside is kept; ASCII spaces around go.
	_, err := c.Reauthorize(context.Background(), "00000013413917", sbps.Order{CustCode: "C-1", OrderID: "受注1", ItemID: "I-1",
		ItemName: " テスト商品　①〜 ", Amount: 1500})
	require.NoError(t, err)
	require.Len(t, fake.got, 1)
	body := fake.got[0].body
	wantName := base64.StdEncoding.EncodeToString(sjis(t, "テスト商品　①～")) // 〜 (U+301C) is sent as ～ (U+FF5E)
	assert.Contains(t, string(body), "<item_name>"+wantName+"</item_name>")
	assert.Contains(t, string(body), "<order_id>"+string(sjis(t, "受注1"))+"</order_id>", "other text is raw Shift_JIS")
	src := "71234001" + "00000013413917" + "C-1" + "受注1" + "I-1" + "テスト商品　①～" + "1500" + "B" + "B" + "20261110100000" + "600"
	assert.Contains(t, string(body), "<sps_hashcode>"+sjisSHA1(t, src+hashKey)+"</sps_hashcode>")
	assert.True(t, strings.HasPrefix(string(body), `<?xml version="1.0" encoding="Shift_JIS"?><sps-api-request id="ST01-00133-101">`))

	// A character Shift_JIS cannot carry is refused before anything is sent.
	_, err = c.Reauthorize(context.Background(), "00000013413917", sbps.Order{CustCode: "C", OrderID: "O", ItemID: "I", ItemName: "𠮷野家", Amount: 1})
	assert.Equal(t, backend.EINVALID, code(err))
	assert.Equal(t, backend.ClassNotSent, class(err))
	assert.Contains(t, msg(err), "item_name")
	assert.Contains(t, msg(err), "Shift_JISで送れない文字")
	_, err = c.Reauthorize(context.Background(), "00000013413917", sbps.Order{CustCode: "C", OrderID: "O", ItemID: "I", ItemName: "改行\nあり", Amount: 1})
	assert.Equal(t, backend.EINVALID, code(err))
	assert.Len(t, fake.got, 1)
}

func TestWireAnswersWithoutIDAndOtherAPIs(t *testing.T) {
	fake, c := startFake(t)
	p := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", AmountAuthorized: 1000}
	// An answer naming another API: the outcome is unknown.
	fake.answers[sbps.APISales] = strings.Replace(inquiryAnswer, "MG01-00101-101", "ST02-00303-101", 1)
	_, err := c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassUnknown, class(err))
	// An NG answer has no id attribute (as recorded).
	fake.answers[sbps.APISales] = "<?xml version='1.0' encoding='Shift_JIS' ?>\n  <sps-api-response>\n    <res_result>NG</res_result>\n    <res_err_code>10179999</res_err_code>\n    <res_date>20261110100000</res_date>\n  </sps-api-response>\n"
	_, err = c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassPermanent, class(err))
	var be *backend.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "10179999", be.GatewayCode)
}

func TestWireDepositDeadlinePassedReadsExpired(t *testing.T) {
	fake, c := startFake(t)
	// SBPS pushes expiry; the pulled status may stay 1 未入金 after bill_date.
	fake.answers[sbps.APIWebCvsInquiry] = `<?xml version='1.0' encoding='Shift_JIS' ?>
<sps-api-response id="MG01-00101-701"><res_result>OK</res_result><res_sps_transaction_id>B1</res_sps_transaction_id><res_status>0</res_status>
<res_pay_method_info><webcvstype>002</webcvstype><invoice_no>83897187434765</invoice_no><bill_date>20261109</bill_date>
<cvs_pay_data1>30654892-426543614</cvs_pay_data1><cvs_pay_data2>https://example.jp/?order1=1&amp;order2=2</cvs_pay_data2>
<payment_status>1</payment_status></res_pay_method_info><res_process_date>20261110100000</res_process_date><res_err_code/><res_date>20261110100000</res_date></sps-api-response>`
	v, err := c.Inquire(context.Background(), &backend.Payment{Method: backend.MethodKonbini, GatewayTranID: "83897187434765"})
	require.NoError(t, err)
	assert.Equal(t, backend.StateExpired, v.State)
	assert.Equal(t, "1", v.RawStatus)
	assert.Equal(t, time.Date(2026, 11, 9, 23, 59, 59, 0, backend.JST), v.PaymentDeadline.In(backend.JST))
}
