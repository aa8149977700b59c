package paygent

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"kessaidesk/backend"
)

type catalogued struct {
	ja, en string
	class  backend.ErrorClass
}

// catalogue maps response_code to an operator message and what the code means for the
// money. Sources: the spec's code list and RETRY column, the card supplement (research
// §B6); codes marked [?] in comments have a meaning the research could not pin down.
// Anything uncatalogued falls back to its family (see family).
var catalogue = map[string]catalogued{
	// P: parameter and connection checks, made before anything is processed.
	"P001": {"ペイジェントが電文を受け付けませんでした（電文の形式エラー）", "Paygent refused the telegram (format error)", backend.ClassPermanent}, // [?] exact meaning
	"P002": {"マーチャントID・接続ID・接続パスワードのいずれかが正しくありません。ゲートウェイ設定を確認してください", "wrong merchant ID, connect ID or connect password", backend.ClassAuthFailed},
	"P003": {"電文のバージョン（telegram_version）が正しくありません", "wrong telegram version", backend.ClassPermanent},
	"P004": {"電文種別と接続先URLが一致しません。接続先の設定を確認してください", "the telegram kind does not match the URL; check the host", backend.ClassPermanent},
	"P005": {"必須の項目が送られていません", "a required field is missing", backend.ClassPermanent},                      // [?] P005/P006 split
	"P006": {"必須の項目が空です", "a required field is empty", backend.ClassPermanent},                             // [?]
	"P007": {"項目の形式（数字・英数字）が正しくありません", "a field has the wrong type", backend.ClassPermanent},               // [?]
	"P008": {"項目の桁数が多すぎます", "a field is too long", backend.ClassPermanent},                                 // P6: names the field in the detail
	"P009": {"項目に使えない文字があります", "a field contains characters that are not allowed", backend.ClassPermanent}, // P6: names the field in the detail
	"P010": {"項目の値が正しくありません", "a field has an invalid value", backend.ClassPermanent},                      // [?]
	"P015": {"このPCの接続元IPアドレスはペイジェントに登録されていません（不正接続エラー）。ペイジェントに接続元IPアドレスの登録を依頼してください",
		"this PC's IP address is not registered with Paygent (P015); ask Paygent to register it", backend.ClassAuthFailed},
	"P016": {"クライアント証明書がこの加盟店のものとして認められませんでした（別の加盟店の証明書か、期限切れ・失効の可能性があります）",
		"the client certificate was not accepted for this merchant", backend.ClassAuthFailed},
	"P017": {"ペイジェントはただいまサービス停止中（メンテナンス中）です。しばらくしてから送ります", "Paygent is under maintenance; will retry later", backend.ClassRetryable},
	// E: Paygent system.
	"E001": {"ペイジェントでシステムエラーが起きました。処理されたかどうかを確認します", "Paygent system error; the outcome will be checked", backend.ClassUnknown}, // [?] whether anything ran
	"E002": {"ペイジェントが混み合っています（流量制限）。しばらくしてから送ります", "Paygent is busy (throttling); will retry later", backend.ClassRetryable},
	// Card.
	"2001": {"カード会社によりお取引がお断りされました", "declined by the card company", backend.ClassPermanent},
	"2002": {"カード会社とのやり取りでエラーが起きました。処理されたかどうかを確認します", "card network or system error; the outcome will be checked", backend.ClassUnknown},
	"2003": {"カード情報の入力に誤りがあります", "card input error", backend.ClassPermanent},
	"2004": {"この決済の今の状態では、その処理は行えません", "the payment's current state does not allow this", backend.ClassAlreadyDone},
	"2005": {"この取引IDは既に使われています", "the trading ID is already used", backend.ClassPermanent},
	"2006": {"ペイジェントに対象の決済がありません（決済IDと取引IDを確認してください）", "no such payment at Paygent", backend.ClassPermanent},
	"2007": {"有効期限を過ぎているため処理できません", "the period for this operation has passed", backend.ClassWindowPassed},
	"2008": {"ペイジェントとカード会社の通信がタイムアウトしました。処理されたかどうかを確認します", "timeout between Paygent and the card network; the outcome will be checked", backend.ClassUnknown},
	"2009": {"参照する取引（参照取引ID）が使えません（14か月を過ぎたか、カード情報が残っていません）", "the referenced trading cannot be used", backend.ClassPermanent},
	"2010": {"新しいオーソリはできましたが、元の決済のオーソリ取消に失敗しました。ペイジェントの管理画面で不要なオーソリを取消してください",
		"the new authorisation was made but the old one was not cancelled; cancel the one not needed in the console", backend.ClassPermanent},
	"2011": {"新しいオーソリはできましたが売上に失敗し、元の決済の売上も取消されていません。ペイジェントの管理画面で確認してください",
		"the new authorisation was made but not captured, and the old sale stands; check the console", backend.ClassPermanent},
	"2012": {"新しい売上はできましたが、元の決済の売上取消に失敗しました（二重売上になっています）。ペイジェントの管理画面で不要な売上を取消してください",
		"the new sale was made but the old sale was not cancelled (double sale); cancel one in the console", backend.ClassPermanent},
	"2013": {"補正後の金額が正しくありません（0円以下、または元の金額より多い金額にはできません）", "the corrected amount is not allowed (zero or more than before)", backend.ClassPermanent},
	"2014": {"3Dセキュアの決済は補正（金額変更）できません", "3-D Secure payments cannot be corrected", backend.ClassPermanent},
	// Locking.
	"9004": {"ペイジェントで同じ処理が実行中です（差分照会の同時実行など）。しばらくしてから送ります", "the same processing is running at Paygent; will retry later", backend.ClassRetryable},
	"9005": {"ペイジェントで処理が混み合っています（排他エラー）。しばらくしてから送ります", "Paygent lock contention; will retry later", backend.ClassRetryable},
	// Inquiry.
	"13001": {"ペイジェントに該当する決済がありません", "no such payment at Paygent", backend.ClassPermanent},
	"13002": {"この取引IDに複数の決済があります（決済IDで照会してください）", "several payments share the trading ID", backend.ClassPermanent},
}

// family is the meaning of a code nobody catalogued, by its family.
func family(code string) catalogued {
	switch {
	case strings.HasPrefix(code, "P"):
		return catalogued{"送信内容に誤りがあるとペイジェントが答えました", "Paygent reports a parameter error", backend.ClassPermanent}
	case strings.HasPrefix(code, "E"):
		return catalogued{"ペイジェントでエラーが起きました。処理されたかどうかを確認します", "Paygent error; the outcome will be checked", backend.ClassUnknown}
	case len(code) == 4 && strings.HasPrefix(code, "3"):
		return catalogued{"コンビニ会社とのやり取りでエラーが起きました", "convenience-store company error", backend.ClassPermanent}
	}
	return catalogued{"ペイジェントが未知のエラーを返しました。処理されたかどうかを確認します", "unknown Paygent error; the outcome will be checked", backend.ClassUnknown}
}

// hints explain, per telegram, what a state or period error means for this payment.
var hints = map[string]map[string]string{
	"2004": {
		KindCardAuthCancel:   "（オーソリ取消は売上前の決済だけに行えます。売上済みなら売上取消です）",
		KindCardCapture:      "（売上できるのはオーソリ済みの決済だけです）",
		KindCardSalesCancel:  "（売上取消は売上済みの決済だけに行えます。売上前ならオーソリ取消です）",
		KindCardAuthCorrect:  "（オーソリ変更は売上前のオーソリ済みの決済だけに行えます。売上済みなら売上変更です）",
		KindCardSalesCorrect: "（売上変更・部分返金は売上済みの決済だけに行えます）",
	},
	"2007": {
		KindCardAuthCancel:   "（オーソリの有効期限が切れています。与信枠は既に解放されています）",
		KindCardCapture:      "（オーソリの有効期限（60日）を過ぎたため売上できません。お客様に再度ご購入いただく必要があります）",
		KindCardAuthCorrect:  "（オーソリの有効期限（60日）を過ぎたためオーソリ変更できません）",
		KindCardSalesCancel:  "（売上取消できる期間を過ぎています。お客様の口座へ直接ご返金ください）",
		KindCardSalesCorrect: "（売上変更・部分返金できる期間を過ぎています。お客様の口座へ直接ご返金ください）",
	},
}

var shortDetail = regexp.MustCompile(`^[A-Za-z0-9]{1,8}$`)

// apiError turns an error answer (result=1) into a backend.Error: the catalogued
// message for response_code, a hint for the telegram, and the raw code (with a short
// detail code such as a CAFIS code) for the journal. A longer response_detail — a
// field name, a sentence — is shown after the message with every secret masked.
func apiError(kind string, r Response, secrets ...string) *backend.Error {
	code := strings.TrimSpace(r["response_code"])
	detail := strings.TrimSpace(r["response_detail"])
	c, ok := catalogue[code]
	if !ok {
		c = family(code)
	}
	msg := c.ja
	if h := hints[code][kind]; h != "" {
		msg += h
	}
	gwCode := code
	if gwCode == "" {
		gwCode = "(no response_code)"
	}
	switch {
	case detail == "":
	case shortDetail.MatchString(detail):
		gwCode += "/" + detail
	default:
		msg += "（詳細: " + clipN(mask(detail, secrets...), 80) + "）"
	}
	if p := r["payment_id"]; p != "" && (code == "2010" || code == "2011" || code == "2012") {
		msg += fmt.Sprintf("（新しい決済ID: %s / 元の決済ID: %s）", p, r["base_payment_id"])
	}
	e := &backend.Error{Code: backend.EGATEWAY, Class: c.class, Message: msg, MessageEn: c.en + " (" + KindLabel(kind) + ")", GatewayCode: gwCode}
	switch c.class {
	case backend.ClassAuthFailed:
		e.Code = backend.ECREDENTIAL
	case backend.ClassUnknown:
		e.Code = backend.EUNKNOWN
	}
	return e
}

// mask replaces every secret in s.
func mask(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 3 {
			s = strings.ReplaceAll(s, sec, "****")
		}
	}
	return s
}

// IsNotFound reports whether an error is Paygent's "no such payment" answer.
func IsNotFound(err error) bool {
	code := gatewayCodeOf(err)
	return code == "13001" || strings.HasPrefix(code, "13001/")
}

func gatewayCodeOf(err error) string {
	var be *backend.Error
	if errors.As(err, &be) {
		return be.GatewayCode
	}
	return ""
}
