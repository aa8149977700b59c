package gmo

import (
	"net/url"
	"testing"

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

func TestParseAnswerSuccess(t *testing.T) {
	a, err := ParseAnswer([]byte("AccessID=a1b2&AccessPass=c3d4&Forward=2a99662&Approve=6294780&TranID=1305081516111111111111199999&TranDate=20130508151610"))
	require.NoError(t, err)
	assert.Equal(t, "a1b2", a["AccessID"])
	assert.Equal(t, "20130508151610", a["TranDate"])
	assert.Nil(t, a.Errors())
}

func TestParseAnswerMultipleErrors(t *testing.T) {
	a, err := ParseAnswer([]byte("ErrCode=E01|E01|E01&ErrInfo=E01090008|E01100008|E01110002"))
	require.NoError(t, err)
	assert.Equal(t, []ErrorPair{{"E01", "E01090008"}, {"E01", "E01100008"}, {"E01", "E01110002"}}, a.Errors())
	e := apiError(a.Errors())
	assert.Equal(t, backend.ClassPermanent, e.Class)
	assert.Equal(t, "E01:E01090008 E01:E01100008 E01:E01110002", e.GatewayCode)
	assert.Contains(t, e.Message, "取引IDの形式が正しくありません")
	assert.Contains(t, e.Message, "ゲートウェイにこの取引がありません")
}

func TestParseAnswerRawJapaneseAndSpecialCharacters(t *testing.T) {
	// Values are raw CP932, never percent-decoded; '=' inside a value survives; '+' is not a space.
	body := append(sjis(t, "ClientField1=～－￠￡￢①ほげ&PaReq=eJzLSM3JyVcozy/KSQEAGgQEXQ==&Memo=a+b%20c"), []byte("\r\n")...)
	a, err := ParseAnswer(body)
	require.NoError(t, err)
	assert.Equal(t, "～－￠￡￢①ほげ", a["ClientField1"])
	assert.Equal(t, "eJzLSM3JyVcozy/KSQEAGgQEXQ==", a["PaReq"])
	assert.Equal(t, "a+b%20c", a["Memo"])
}

func TestParseAnswerRegluesAmpersandInValue(t *testing.T) {
	// A part that is not "Key=…" belongs to the previous value. (A part that looks like
	// a key, as in 3-D Secure redirect URLs, cannot be told apart; the back-office APIs
	// this client calls never return URLs.)
	a, err := ParseAnswer(sjis(t, "ClientField1=お中元&お歳暮&OrderID=X1"))
	require.NoError(t, err)
	assert.Equal(t, "お中元&お歳暮", a["ClientField1"])
	assert.Equal(t, "X1", a["OrderID"])
}

func TestParseAnswerRejectsGarbage(t *testing.T) {
	for _, body := range [][]byte{nil, []byte(""), []byte("\x82\xff\xff"), []byte("<html>500</html>"), []byte("A=1&A=2")} {
		_, err := ParseAnswer(body)
		assert.Error(t, err, "%q", body)
	}
}

func TestEncodeFormIsShiftJIS(t *testing.T) {
	b, err := EncodeForm([]Field{{"CustomerName", "山田太郎"}, {"ShopID", "tshop001"}})
	require.NoError(t, err)
	q, err := url.ParseQuery(string(b))
	require.NoError(t, err)
	assert.Equal(t, string(sjis(t, "山田太郎")), q.Get("CustomerName"), "the value is the CP932 bytes, percent-encoded")
	_, err = EncodeForm([]Field{{"CustomerName", "𠮷田"}})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	back, err := DecodeForm(b)
	require.NoError(t, err)
	assert.Equal(t, "山田太郎", back["CustomerName"])
}

func FuzzParseAnswer(f *testing.F) {
	f.Add([]byte("AccessID=a&AccessPass=b&TranDate=20130508151610"))
	f.Add([]byte("ErrCode=E01|E01&ErrInfo=E01090008|E01100008"))
	f.Add([]byte("ErrCode=E01&ErrInfo="))
	f.Add([]byte("RedirectUrl=https://x?a=1&t=2"))
	f.Add([]byte("\x82\xa0=\x82\xa2"))
	f.Add([]byte("=&&=="))
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := ParseAnswer(body)
		if err != nil {
			return
		}
		if pairs := a.Errors(); pairs != nil {
			e := apiError(pairs)
			if e.Message == "" || e.Class == "" {
				t.Fatalf("an error answer without message or class: %q", body)
			}
		}
	})
}
