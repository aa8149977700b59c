package sbps

import (
	"errors"
	"fmt"

	"kessaidesk/backend"
)

// res_err_code is 8 characters: the payment method (3: 101 card, 701 WEBコンビニ, 703
// Pay-easy, 999 common), the error type (2) and the item (3) the error is about.
// Types and items are from SBPS's error list as transcribed by S1
// (api_error/definitions.rb); messages are ours, in the operator's words.

type catalogued struct {
	ja, en string
	class  backend.ErrorClass
}

const (
	permanent   = backend.ClassPermanent
	unknown     = backend.ClassUnknown
	alreadyDone = backend.ClassAlreadyDone
	authFailed  = backend.ClassAuthFailed
	retryable   = backend.ClassRetryable
)

// commonTypes are the error types shared by every payment method. %s is the item's
// name where the message names the field.
var commonTypes = map[string]catalogued{
	"00": {"SBPSが送信内容をXMLとして読めませんでした（XML形式エラー。アプリの不具合の可能性があります）", "SBPS could not read the request XML", permanent},
	"01": {"この決済方法はご契約のサービスでは利用できません（支払方法有効性エラー）", "the payment method is not available under the contract", permanent},
	"02": {"SBPSがこのAPI（リクエストID）を受け付けませんでした。ご契約にこの機能が含まれているか確認してください", "SBPS does not accept this API id; check the contract", permanent},
	"03": {"「%s」が指定されていません（必須エラー）", "%s is missing", permanent},
	"04": {"「%s」の文字の種類が正しくありません（属性エラー）", "%s has characters of the wrong kind", permanent},
	"05": {"「%s」の桁数が正しくありません（桁数エラー）", "%s has the wrong length", permanent},
	"06": {"「%s」の形式が正しくありません（形式エラー）", "%s is malformed", permanent},
	"07": {"「%s」の値が正しくありません（定義値エラー）", "%s has a value SBPS does not accept", permanent},
	"09": {"ハッシュキーが正しくありません（チェックサム不一致）。ゲートウェイ設定のハッシュキーを確認してください", "the hash key is wrong (checksum mismatch); check the gateway settings", authFailed},
	"10": {"リクエストの有効期限が切れています。このパソコンの時計（日本時間）が正しいか確認してください", "the request expired; check that this computer's clock is right", permanent},
	"11": {"SBPSにこの取引（SBPSトランザクションID）がありません", "SBPS has no such transaction id", permanent},
	"12": {"SBPSにこの取引（トラッキングID）がありません", "SBPS has no such tracking id", permanent},
	"13": {"「%s」はこの処理では指定できません（指定不可エラー）", "%s cannot be given for this operation", permanent},
	"14": {"マーチャントID・サービスIDが正しくありません。ゲートウェイ設定を確認してください", "the merchant ID or service ID is wrong; check the gateway settings", authFailed},
	"80": {"SBPSのシステムエラーです。処理されたかどうかを確認します", "SBPS system error; the outcome will be checked", unknown},
	"81": {"SBPSが送信内容に誤りがあると答えました（APIリクエストパラメータエラー）", "SBPS reports a request parameter error", permanent},
	"83": {"SBPSで取引の検索に失敗しました。処理されたかどうかを確認します", "SBPS failed to look up the record; the outcome will be checked", unknown},
	"84": {"決済機関（カード会社など）の応答に誤りがありました。処理されたかどうかを確認します", "the payment institution answered wrongly; the outcome will be checked", unknown},
	"85": {"SBPSと決済機関の接続でエラーが起きました。処理されたかどうかを確認します", "SBPS could not reach the payment institution; the outcome will be checked", unknown},
	"86": {"決済機関のシステムエラーです。処理されたかどうかを確認します", "payment institution system error; the outcome will be checked", unknown},
	"90": {"SBPSのAPIシステムエラーです。処理されたかどうかを確認します", "SBPS API system error; the outcome will be checked", unknown},
	"92": {"SBPSの接続エラーです。処理されたかどうかを確認します", "SBPS connection error; the outcome will be checked", unknown},
	"93": {"再入力の上限回数を超えました", "too many re-entries", permanent},
	"94": {"決済が完了していません（決済未完了エラー）", "the payment is not complete", permanent},
	"95": {"顧客情報が一致しません（顧客情報整合性エラー）", "the customer data do not match", permanent},
	"96": {"同じリクエストが二重に送られました（2重リクエストエラー）。処理されたかどうかを確認します", "duplicate request; the outcome will be checked", unknown},
}

// cardTypes are the credit card (101) types. 20-36 are declines of an authorisation
// (re-authorisation only here).
var cardTypes = map[string]catalogued{
	"20": {"カード会社によりお取引がお断りされました（不正カードフィルタ）", "declined (fraud filter)", permanent},
	"21": {"クレジットセンターのエラーでお取引できませんでした", "credit centre error", permanent},
	"22": {"カードの利用限度額を超えています", "over the card's limit", permanent},
	"23": {"このカードは使用できません", "the card cannot be used", permanent},
	"24": {"暗証番号が誤っています", "wrong PIN", permanent},
	"25": {"カードの利用回数の上限を超えています", "over the card's use count", permanent},
	"26": {"このカードはお取り扱いできません", "the card is not accepted", permanent},
	"27": {"カード番号または有効期限が誤っています", "wrong card number or expiry", permanent},
	"28": {"この取引内容はお取り扱いできません", "the transaction cannot be handled", permanent},
	"29": {"指定のボーナス回数は利用できません", "bonus count not available", permanent},
	"30": {"指定のボーナス月は利用できません", "bonus month not available", permanent},
	"31": {"指定のボーナス金額は利用できません", "bonus amount not available", permanent},
	"32": {"指定の支払開始月は利用できません", "first payment month not available", permanent},
	"33": {"指定の分割回数は利用できません", "instalment count not available", permanent},
	"34": {"指定の分割金額は利用できません", "instalment amount not available", permanent},
	"35": {"指定の初回お支払い金額は利用できません", "first payment amount not available", permanent},
	"36": {"カード会社によりお取引がお断りされました（その他与信エラー）", "declined (other authorisation error)", permanent},
	"37": {"自動売上のご契約のため売上処理は不要です（既に売上済みです）", "auto-sales contract: already captured", alreadyDone},
	"38": {"G式のご契約のため、売上はファイルで行ってください", "G-type contract: capture by file", permanent},
	"39": {"与信結果が存在しないため、売上処理を中止しました", "no authorisation: capture stopped", permanent},
	"40": {"与信取消済みのため、売上処理を中止しました", "the authorisation is cancelled: capture stopped", alreadyDone},
	"41": {"売上処理が完了済みのため、処理を中止しました", "already captured", alreadyDone},
	"42": {"売上できるのは与信日から3か月目の末日までです。期限を過ぎたため売上できません", "capture is possible until the end of the 3rd month after the authorisation", permanent},
	"43": {"G式のご契約のため、返金はファイルで行ってください", "G-type contract: refund by file", permanent},
	"44": {"与信結果が存在しないため、返金処理を中止しました", "no authorisation: refund stopped", permanent},
	"45": {"与信取消済みのため、返金処理を中止しました", "the authorisation is cancelled: refund stopped", alreadyDone},
	"46": {"返金処理済みのため、返金処理を中止しました", "already refunded", alreadyDone},
	"47": {"継続課金中のため、返金処理を中止しました", "recurring billing: refund stopped", permanent},
	"49": {"自動売上のご契約では返金要求APIを使ってください", "auto-sales contract: use the refund API", permanent},
	"50": {"P式のご契約では返金要求APIを使ってください", "P-type contract: use the refund API", permanent},
	"51": {"与信結果が存在しないため、与信取消処理を中止しました", "no authorisation: cancel stopped", permanent},
	"52": {"与信取消済みのため、与信取消処理を中止しました", "already cancelled", alreadyDone},
	"54": {"継続課金中のため、与信取消処理を中止しました", "recurring billing: cancel stopped", permanent},
	"56": {"返金できる期間（売上日から3か月目の末日まで）を過ぎています。お客様の口座へ直接ご返金ください", "the refund period is over; refund the customer by bank transfer", permanent},
	"57": {"ご指定の継続課金は既に解約済みです", "the recurring billing is already ended", permanent},
	"58": {"継続課金の使用中のため処理できません", "recurring billing in use", permanent},
	"59": {"自動売上（コミットフラグ適用）のため、確定（コミット）の後に返金してください", "commit first, then refund", permanent},
	"60": {"既に処理が完了しているため、確定（コミット）を実施できません", "already processed: commit not possible", alreadyDone},
	"61": {"セキュリティコードが誤っています", "wrong security code", permanent},
	"78": {"クレジットカード情報保存フラグの指定が正しくありません", "wrong card-storage flag", permanent},
	"79": {"売上金額が与信時の金額を超えているため、売上処理を中止しました", "the capture exceeds the authorised amount", permanent},
	"K0": {"売上前のため、部分返金できません", "not captured yet: no partial refund", permanent},
	"K1": {"返金額の合計が売上金額を超えるため、部分返金を中止しました", "the refunds would exceed the sale", permanent},
	"K3": {"カードブランド返却フラグの指定が正しくありません", "wrong card-brand flag", permanent},
}

// cvsTypes are the WEBコンビニ (701) types.
var cvsTypes = map[string]catalogued{
	"20": {"SBPSのサーバーが一時的に混み合っています。しばらくしてから確認します", "SBPS is busy; will check later", retryable},
	"21": {"SBPSのサーバーがメンテナンス中です。しばらくしてから確認します", "SBPS maintenance; will check later", retryable},
	"22": {"コンビニ決済管理センターでエラーが起きました", "convenience-store centre error", unknown},
	"23": {"指定された支払期限は無効です", "the payment deadline is invalid", permanent},
}

// items names the field an error is about.
var items = map[string]string{
	"000": "APIリクエストID", "001": "マーチャントID", "002": "サービスID", "003": "顧客ID", "004": "購入ID",
	"005": "商品ID", "006": "商品名称", "007": "税額", "008": "金額", "009": "結果通知先CGI",
	"010": "自由欄1", "011": "自由欄2", "012": "自由欄3", "013": "請求番号枝番", "014": "明細行番号",
	"015": "明細商品ID", "016": "明細商品名称", "017": "明細数量", "018": "明細税額", "019": "明細金額",
	"020": "決済区分", "021": "最終課金月", "022": "キャンペーンタイプ", "023": "リクエスト日時",
	"024": "リクエスト許容時間", "025": "チェックサム", "026": "処理対象SBPSトランザクションID",
	"027": "処理対象トラッキングID", "028": "3DES暗号化フラグ", "029": "処理日時", "030": "SBPS顧客情報返却フラグ",
	"999": "該当項目なし",
}

// cardItems are the card-specific items (200 and up).
var cardItems = map[string]string{
	"200": "クレジットカード番号", "201": "クレジットカード有効期限", "202": "取引区分", "203": "分割回数",
	"204": "ボーナス併用回数", "205": "クレジットカード情報保存フラグ", "206": "備考欄1", "207": "備考欄2",
	"208": "備考欄3", "209": "セキュリティコード", "214": "決済情報使用特定タイプ", "215": "決済支払方法使用特定タイプ",
}

var cvsItems = map[string]string{
	"200": "請求書発行区分", "201": "顧客姓", "202": "顧客名", "203": "顧客姓カナ", "204": "顧客名カナ",
	"205": "郵便番号1", "206": "郵便番号2", "207": "都道府県", "208": "市区町村・番地", "209": "マンション・ビル",
	"210": "電話番号", "211": "メールアドレス", "212": "成約日", "213": "Webコンビニタイプ", "214": "支払期限",
}

// ErrorCode splits res_err_code into method, type and item; ok is false when it does
// not have the documented shape.
func ErrorCode(code string) (method, typ, item string, ok bool) {
	if len(code) != 8 {
		return "", "", "", false
	}
	for _, r := range code {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return "", "", "", false
		}
	}
	return code[:3], code[3:5], code[5:], true
}

// Method codes.
const (
	MethodCard    = "101"
	MethodWebCvs  = "701"
	MethodPayEasy = "703"
	MethodCommon  = "999"
)

func itemName(method, item string) string {
	if n, ok := items[item]; ok {
		return n
	}
	switch method {
	case MethodCard:
		if n, ok := cardItems[item]; ok {
			return n
		}
	case MethodWebCvs, MethodPayEasy:
		if n, ok := cvsItems[item]; ok {
			return n
		}
	}
	return "項目" + item
}

// lookup finds the catalogue entry of a code.
func lookup(code string) catalogued {
	method, typ, item, ok := ErrorCode(code)
	if !ok {
		return catalogued{fmt.Sprintf("SBPSが想定外のエラーコード「%s」を返しました。結果を確認します", clip(code)), "SBPS returned an unexpected error code", unknown}
	}
	var c catalogued
	found := false
	switch method {
	case MethodCard:
		c, found = cardTypes[typ]
	case MethodWebCvs:
		c, found = cvsTypes[typ]
	}
	if !found {
		c, found = commonTypes[typ]
	}
	if !found {
		return catalogued{"SBPSが未知のエラーを返しました。結果を確認します", "SBPS returned an unknown error; the outcome will be checked", unknown}
	}
	switch typ {
	case "03", "04", "05", "06", "07", "13": // common types only: they name the field
		name := itemName(method, item)
		c.ja, c.en = fmt.Sprintf(c.ja, name), fmt.Sprintf(c.en, name)
	}
	return c
}

// apiError turns an NG answer's res_err_code into a backend.Error carrying the raw
// code for the journal. Class: whether the request may have been applied.
func apiError(code string) *backend.Error {
	c := lookup(code)
	ec := backend.EGATEWAY
	switch c.class {
	case backend.ClassAuthFailed:
		ec = backend.ECREDENTIAL
	case backend.ClassUnknown:
		ec = backend.EUNKNOWN
	}
	return &backend.Error{Code: ec, Class: c.class, Message: c.ja, MessageEn: c.en, GatewayCode: code}
}

// IsNotFound reports whether an NG code means "no such transaction" (types 11, 12).
func IsNotFound(code string) bool {
	_, typ, _, ok := ErrorCode(code)
	return ok && (typ == "11" || typ == "12")
}

// isUnknownAPI reports whether an NG code means SBPS does not know the request id (02).
func isUnknownAPI(code string) bool {
	_, typ, _, ok := ErrorCode(code)
	return ok && typ == "02"
}

// gatewayCode returns the raw code of an error.
func gatewayCode(err error) string {
	var be *backend.Error
	if errors.As(err, &be) {
		return be.GatewayCode
	}
	return ""
}
