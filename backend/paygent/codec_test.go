package paygent

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/textenc"
)

func sjis(t testing.TB, s string) []byte {
	b, err := textenc.EncodeCP932(s)
	require.NoError(t, err)
	return b
}

func TestParseResponse(t *testing.T) {
	r, err := ParseResponse([]byte("result=0\r\nresponse_code=\r\nresponse_detail=\r\npayment_id=31000001\r\ntrading_id=KD_1\r\n"))
	require.NoError(t, err)
	assert.Equal(t, ResultOK, r.Result())
	assert.Equal(t, "31000001", r["payment_id"])
	v, ok := r["response_code"]
	assert.True(t, ok, "empty fields are present")
	assert.Empty(t, v)

	// Bare LF, no final newline, "=" in a value, order does not matter.
	r, err = ParseResponse([]byte("trading_id=A=B\nresult=1"))
	require.NoError(t, err)
	assert.Equal(t, "A=B", r["trading_id"])
	assert.Equal(t, ResultError, r.Result())
}

func TestParseResponseJapanese(t *testing.T) {
	body := sjis(t, "result=1\r\nresponse_code=P008\r\nresponse_detail=取引ID（trading_id）の桁数が不正です～①\r\n")
	r, err := ParseResponse(body)
	require.NoError(t, err)
	assert.Equal(t, "取引ID（trading_id）の桁数が不正です～①", r["response_detail"])
	// Values are not URL-decoded (like the official module): "%" and "+" stay.
	r, err = ParseResponse([]byte("result=0\r\nx=a+b%20c\r\n"))
	require.NoError(t, err)
	assert.Equal(t, "a+b%20c", r["x"])
}

func TestParseResponseHTMLSwallowsTheRest(t *testing.T) {
	r, err := ParseResponse([]byte("result=7\r\nout_acs_html=<html>\r\n<form a=b>\r\nresult=9\r\n</html>\r\n"))
	require.NoError(t, err)
	assert.Equal(t, "7", r.Result(), "a line inside the HTML is not a field")
	assert.Equal(t, "<html>\r\n<form a=b>\r\nresult=9\r\n</html>", r["out_acs_html"])
}

func TestParseResponseRejectsGarbage(t *testing.T) {
	for _, body := range [][]byte{nil, []byte(""), []byte("\r\n\r\n"), []byte("\x82\xff\xff"), []byte("<html>500</html>"),
		[]byte("result=0\r\nresult=1"), []byte("result=0\r\njunk"), []byte("=x"), []byte("bad key=1"),
		[]byte(strings.Repeat("a", maxResponse+1))} {
		_, err := ParseResponse(body)
		assert.Error(t, err, "%q", clip(string(body)))
	}
}

func TestFormatResponseRoundTrip(t *testing.T) {
	b, err := FormatResponse([]string{"result", "response_detail"}, map[string]string{"result": "1", "response_detail": "接続IDが不正です"})
	require.NoError(t, err)
	assert.Equal(t, sjis(t, "result=1\r\nresponse_detail=接続IDが不正です\r\n"), b)
	r, err := ParseResponse(b)
	require.NoError(t, err)
	assert.Equal(t, "接続IDが不正です", r["response_detail"])
}

func TestEncodeFormIsShiftJIS(t *testing.T) {
	b, err := EncodeForm([]Field{{"customer_name", "山田太郎"}, {"merchant_id", "30012345"}, {"x", "a&b=c d+"}})
	require.NoError(t, err)
	q, err := url.ParseQuery(string(b))
	require.NoError(t, err)
	assert.Equal(t, string(sjis(t, "山田太郎")), q.Get("customer_name"), "the value is the CP932 bytes, percent-encoded")
	assert.Equal(t, "a&b=c d+", q.Get("x"))
	assert.True(t, strings.HasPrefix(string(b), "customer_name=%8ER%93c"), "order kept: %s", b)
	back, err := DecodeForm(b)
	require.NoError(t, err)
	assert.Equal(t, "山田太郎", back["customer_name"])
	_, err = EncodeForm([]Field{{"customer_name", "𠮷田"}})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	_, err = DecodeForm([]byte("a=%82"))
	assert.Error(t, err, "a lone lead byte is not Shift_JIS")
}

func TestAPIErrorCatalogue(t *testing.T) {
	cases := []struct {
		code, kind string
		class      backend.ErrorClass
		ecode      string
		msg        string
	}{
		{"P002", KindCardCapture, backend.ClassAuthFailed, backend.ECREDENTIAL, "接続パスワード"},
		{"P015", KindPaymentInquiry, backend.ClassAuthFailed, backend.ECREDENTIAL, "IPアドレス"},
		{"P016", KindPaymentInquiry, backend.ClassAuthFailed, backend.ECREDENTIAL, "クライアント証明書"},
		{"P017", KindCardCapture, backend.ClassRetryable, backend.EGATEWAY, "メンテナンス"},
		{"P099", KindCardCapture, backend.ClassPermanent, backend.EGATEWAY, "送信内容に誤り"},
		{"E002", KindCardCapture, backend.ClassRetryable, backend.EGATEWAY, "流量制限"},
		{"E001", KindCardCapture, backend.ClassUnknown, backend.EUNKNOWN, "確認します"},
		{"E999", KindCardCapture, backend.ClassUnknown, backend.EUNKNOWN, "確認します"},
		{"2001", KindCardAuth, backend.ClassPermanent, backend.EGATEWAY, "お断り"},
		{"2002", KindCardAuthCancel, backend.ClassUnknown, backend.EUNKNOWN, "確認します"},
		{"2004", KindCardAuthCancel, backend.ClassAlreadyDone, backend.EGATEWAY, "オーソリ取消は売上前"},
		{"2004", KindCardSalesCancel, backend.ClassAlreadyDone, backend.EGATEWAY, "売上取消は売上済み"},
		{"2007", KindCardCapture, backend.ClassWindowPassed, backend.EGATEWAY, "60日"},
		{"2007", KindCardSalesCancel, backend.ClassWindowPassed, backend.EGATEWAY, "口座へ直接ご返金"},
		{"2008", KindCardCapture, backend.ClassUnknown, backend.EUNKNOWN, "タイムアウト"},
		{"2013", KindCardAuthCorrect, backend.ClassPermanent, backend.EGATEWAY, "元の金額より多い"},
		{"9004", KindNoticeInquiry, backend.ClassRetryable, backend.EGATEWAY, "実行中"},
		{"13001", KindPaymentInquiry, backend.ClassPermanent, backend.EGATEWAY, "該当する決済がありません"},
		{"3002", KindPaymentInquiry, backend.ClassPermanent, backend.EGATEWAY, "コンビニ"},
		{"", KindCardCapture, backend.ClassUnknown, backend.EUNKNOWN, "未知のエラー"},
		{"12345", KindCardCapture, backend.ClassUnknown, backend.EUNKNOWN, "未知のエラー"},
	}
	for _, c := range cases {
		e := apiError(c.kind, Response{"result": "1", "response_code": c.code})
		assert.Equal(t, c.class, e.Class, c.code)
		assert.Equal(t, c.ecode, e.Code, c.code)
		assert.Contains(t, e.Message, c.msg, c.code)
		assert.NotEmpty(t, e.MessageEn)
	}
	e := apiError(KindCardCapture, Response{"response_code": "2002", "response_detail": "1G12"})
	assert.Equal(t, "2002/1G12", e.GatewayCode, "a detail code is kept with the code")
	e = apiError(KindCardCapture, Response{"response_code": "P010", "response_detail": "connect_password=s3cretValue は不正です"}, "s3cretValue")
	assert.Equal(t, "P010", e.GatewayCode)
	assert.Contains(t, e.Message, "connect_password=**** は不正です")
	assert.NotContains(t, e.Message+e.Error(), "s3cretValue")
	e = apiError(KindCardAuthCorrect, Response{"response_code": "2010", "payment_id": "31000009", "base_payment_id": "31000001"})
	assert.Contains(t, e.Message, "新しい決済ID: 31000009 / 元の決済ID: 31000001")
	assert.True(t, IsNotFound(apiError(KindPaymentInquiry, Response{"response_code": "13001"})))
	assert.False(t, IsNotFound(apiError(KindPaymentInquiry, Response{"response_code": "13002"})))
}

func TestTimes(t *testing.T) {
	assert.True(t, ParseTime("20261110103000").Equal(time.Date(2026, 11, 10, 10, 30, 0, 0, backend.JST)))
	assert.True(t, ParseTime("20261110").Equal(time.Date(2026, 11, 10, 0, 0, 0, 0, backend.JST)))
	assert.True(t, ParseDeadline("20261117").Equal(time.Date(2026, 11, 17, 23, 59, 59, 0, backend.JST)))
	assert.True(t, ParseDeadline("20261117120000").Equal(time.Date(2026, 11, 17, 12, 0, 0, 0, backend.JST)))
	for _, bad := range []string{"", "2026", "2026111", "20261399000000", "abcdefghijklmn"} {
		assert.True(t, ParseTime(bad).IsZero(), bad)
	}
	assert.Equal(t, "20261110103000", FormatTime(time.Date(2026, 11, 10, 1, 30, 0, 0, time.UTC)))
	assert.Equal(t, "", FormatTime(time.Time{}))
}

func FuzzParseResponse(f *testing.F) {
	f.Add([]byte("result=0\r\nresponse_code=\r\nresponse_detail=\r\npayment_id=1\r\n"))
	f.Add([]byte("result=1\r\nresponse_code=2004\r\nresponse_detail=1C12\r\n"))
	f.Add([]byte("result=1\r\nresponse_code=P008\r\nresponse_detail=\x8e\xe6\x88\xf8ID\r\n"))
	f.Add([]byte("result=7\r\nout_acs_html=<form>\r\n<x a=b>\r\n"))
	f.Add([]byte("result=0\nsuccess_code=0\npayment_notice_id=12\npayment_status=40\npayment_type=03\n"))
	f.Add([]byte("\x82\xa0=\x82\xa2"))
	f.Add([]byte("=&\r\n=="))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := ParseResponse(body)
		if err != nil {
			return
		}
		if len(r) == 0 {
			t.Fatalf("an empty answer was accepted: %q", body)
		}
		if r.Result() == ResultError {
			e := apiError(KindCardCapture, r, "secret")
			if e.Message == "" || e.Class == "" || e.Code == "" {
				t.Fatalf("an error answer without message, class or code: %q", body)
			}
		}
		if _, err := parseNotice(r); err == nil {
			_ = r["payment_notice_id"]
		}
		StateOf(r["payment_type"], r["payment_status"])
		ParseTime(r["payment_date"])
		ParseDeadline(r["payment_limit_date"])
	})
}
