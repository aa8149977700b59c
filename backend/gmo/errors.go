package gmo

import (
	"fmt"
	"strings"

	"kessaidesk/backend"
)

type catalogued struct {
	ja, en string
	class  backend.ErrorClass
}

// catalogue maps GMO-PG ErrInfo codes to an operator message and what they mean for
// the money. Sources: GMO-PG's error code list (as transcribed by public clients) and
// ../shared/research/gmo-mulpay.md §9.
var catalogue = map[string]catalogued{
	// shop authentication
	"E01010001": {"ショップIDが設定されていません。ゲートウェイ設定を確認してください", "the shop ID is missing", backend.ClassAuthFailed},
	"E01010008": {"ショップIDの形式が正しくありません（半角英数字13文字以内）", "the shop ID is malformed", backend.ClassAuthFailed},
	"E01010010": {"ショップIDが一致しません", "the shop ID does not match", backend.ClassAuthFailed},
	"E01020001": {"ショップパスワードが設定されていません。ゲートウェイ設定を確認してください", "the shop password is missing", backend.ClassAuthFailed},
	"E01020008": {"ショップパスワードの形式が正しくありません（半角英数字10文字以内）", "the shop password is malformed", backend.ClassAuthFailed},
	"E01030002": {"ショップIDまたはショップパスワードが正しくありません", "wrong shop ID or shop password", backend.ClassAuthFailed},
	"M01002001": {"ショップIDが設定されていません", "the shop ID is missing", backend.ClassAuthFailed},
	"M01002002": {"ショップIDまたはショップパスワードが正しくありません", "wrong shop ID or shop password", backend.ClassAuthFailed},
	"M01002008": {"ショップIDの形式が正しくありません", "the shop ID is malformed", backend.ClassAuthFailed},
	"M01003001": {"ショップパスワードが設定されていません", "the shop password is missing", backend.ClassAuthFailed},
	"M01003008": {"ショップパスワードの形式が正しくありません", "the shop password is malformed", backend.ClassAuthFailed},
	// transport / method
	"E00000001": {"ゲートウェイへの送信方法が正しくありません（POSTではありません）", "the request method is not POST", backend.ClassPermanent},
	"E00000003": {"ゲートウェイへの送信形式（Content-Type）が正しくありません", "wrong Content-Type", backend.ClassPermanent},
	"E31500014": {"ゲートウェイへの送信方法が正しくありません（GET）", "GET is not allowed", backend.ClassPermanent},
	// transaction identity
	"E01040001": {"オーダーIDが指定されていません", "the order ID is missing", backend.ClassPermanent},
	"E01040003": {"オーダーIDが長すぎます（27文字以内）", "the order ID is too long", backend.ClassPermanent},
	"E01040010": {"このオーダーIDの取引は既に登録されています", "the order ID already exists", backend.ClassAlreadyDone},
	"E01040013": {"オーダーIDに使えない文字があります（半角英数字と-のみ）", "the order ID has invalid characters", backend.ClassPermanent},
	"E01090001": {"取引IDが指定されていません", "the access ID is missing", backend.ClassPermanent},
	"E01090008": {"取引IDの形式が正しくありません", "the access ID is malformed", backend.ClassPermanent},
	"E01100001": {"取引パスワードが指定されていません", "the access password is missing", backend.ClassPermanent},
	"E01100008": {"取引パスワードの形式が正しくありません", "the access password is malformed", backend.ClassPermanent},
	"E01110002": {"ゲートウェイにこの取引がありません（取引IDとパスワードの組み合わせが見つかりません）", "no such transaction at the gateway", backend.ClassPermanent},
	"E01110010": {"この取引は決済が完了していません", "the transaction has not been settled", backend.ClassPermanent},
	"M01004001": {"オーダーIDが指定されていません", "the order ID is missing", backend.ClassPermanent},
	"M01004002": {"ゲートウェイにこのオーダーIDの取引はありません", "no transaction with this order ID", backend.ClassPermanent},
	"M01004010": {"このオーダーIDの取引は既に登録されています", "the order ID already exists", backend.ClassAlreadyDone},
	"M01004014": {"この取引は既に決済を依頼しています", "payment was already requested for this transaction", backend.ClassAlreadyDone},
	"M01058002": {"ゲートウェイにこの取引がありません", "no such transaction", backend.ClassPermanent},
	"M01058010": {"この取引は別のショップのものです", "the transaction belongs to another shop", backend.ClassPermanent},
	// operation and amount
	"E01050001": {"処理区分が指定されていません", "the job code is missing", backend.ClassPermanent},
	"E01050002": {"処理区分が正しくありません", "unknown job code", backend.ClassPermanent},
	"E01050004": {"この取引の今の状態では、その処理は行えません", "the operation is not possible in the transaction's current state", backend.ClassAlreadyDone},
	"E01060001": {"金額が指定されていません", "the amount is missing", backend.ClassPermanent},
	"E01060005": {"金額の桁数が多すぎます", "the amount has too many digits", backend.ClassPermanent},
	"E01060006": {"金額に数字以外の文字があります", "the amount is not a number", backend.ClassPermanent},
	"E01060010": {"売上の金額が仮売上の金額と一致しません。先に金額変更を行ってください", "the amount differs from the authorised amount", backend.ClassPermanent},
	"E01060021": {"売上の金額が仮売上の金額と一致しません。先に金額変更を行ってください", "the amount differs from the authorised amount", backend.ClassPermanent},
	"E01070005": {"税送料の形式が正しくありません", "the tax/shipping amount is malformed", backend.ClassPermanent},
	"E01490005": {"金額と税送料の合計の桁数が多すぎます", "amount plus tax has too many digits", backend.ClassPermanent},
	"E01410010": {"この取引は操作禁止の状態です。ゲートウェイの管理画面で確認してください", "the transaction is locked for operations", backend.ClassPermanent},
	"E01420010": {"仮売上の有効期間（90日）を過ぎたため売上できません", "the authorisation period (90 days) has passed", backend.ClassPermanent},
	"M01060010": {"仮売上の有効期間を過ぎたため処理できません", "the authorisation period has passed", backend.ClassPermanent},
	"M01054004": {"この取引の今の状態では、その処理は行えません", "the operation is not possible in the transaction's current state", backend.ClassAlreadyDone},
	"M01057010": {"取消できる期間を過ぎています", "the cancel period has passed", backend.ClassPermanent},
	"M01052011": {"支払期限を過ぎています", "the payment deadline has passed", backend.ClassPermanent},
	"M01051005": {"決済方法（PayType）が長すぎます", "the pay type is too long", backend.ClassPermanent},
	"M01051011": {"決済方法（PayType）が正しくありません", "unknown pay type", backend.ClassPermanent},
	"M01005011": {"金額が有効な範囲を超えています", "the amount is out of range", backend.ClassPermanent},
	// transaction errors
	"E11010001": {"この取引は既に決済が終了しています", "the transaction is already settled", backend.ClassAlreadyDone},
	"E11010002": {"決済が終了していない取引のため変更できません", "the transaction is not settled and cannot change", backend.ClassPermanent},
	"E11010003": {"この取引の今の状態では、その処理は行えません", "the operation is not possible in the transaction's current state", backend.ClassAlreadyDone},
	"E11010010": {"取引から180日を過ぎたため処理できません。お客様の口座へ直接ご返金ください", "more than 180 days since the transaction", backend.ClassPermanent},
	"E11010011": {"取引から180日を過ぎたため処理できません（コンビニ）", "more than 180 days since the transaction", backend.ClassPermanent},
	"E11010012": {"取引から180日を過ぎたため処理できません", "more than 180 days since the transaction", backend.ClassPermanent},
	"E11010013": {"取引から180日を過ぎたため処理できません", "more than 180 days since the transaction", backend.ClassPermanent},
	"E11010014": {"取引から180日を過ぎたため処理できません（Pay-easy）", "more than 180 days since the transaction", backend.ClassPermanent},
	"E11010099": {"このカードはご利用になれません", "this card cannot be used", backend.ClassPermanent},
	"E01030061": {"強制返品はご利用いただけません（ご契約を確認してください）", "forced return is not available under the contract", backend.ClassPermanent},
	// contract / settings
	"E61010001": {"決済処理に失敗しました。しばらくしてからもう一度お試しください", "the payment failed; try again later", backend.ClassPermanent},
	"E61010002": {"ご利用になれないカードか、カード番号が誤っています", "the card cannot be used", backend.ClassPermanent},
	"E61020001": {"この決済方法は利用停止になっています", "the payment method is suspended", backend.ClassPermanent},
	"E61030001": {"現在のご契約ではご利用になれません", "not available under the current contract", backend.ClassPermanent},
	// concurrency and system
	"E82010001": {"同時に実行されたため処理は開始されませんでした（先に実行した分が有効です）", "executed concurrently; the first one counts", backend.ClassAlreadyDone},
	"E90010001": {"ゲートウェイで同じ取引を処理中です（二重送信）。結果を確認します", "the gateway is already processing this transaction", backend.ClassUnknown},
	"E91099996": {"ゲートウェイのシステムエラーです。結果を確認します", "gateway system error", backend.ClassUnknown},
	"E91099997": {"ゲートウェイのAPIが見つかりません（接続先を確認してください）", "the gateway API does not exist (check the host)", backend.ClassPermanent},
	"E91019999": {"ゲートウェイで決済処理に失敗しました。結果を確認します", "the gateway failed; checking the result", backend.ClassUnknown},
	"E91020001": {"ゲートウェイとカード会社の通信がタイムアウトしました。結果を確認します", "timeout between the gateway and the card company", backend.ClassUnknown},
	"E91029998": {"ゲートウェイで決済処理に失敗しました。結果を確認します", "the gateway failed; checking the result", backend.ClassUnknown},
	"E91029999": {"ゲートウェイで決済処理に失敗しました。結果を確認します", "the gateway failed; checking the result", backend.ClassUnknown},
	"E91050001": {"ゲートウェイで決済処理に失敗しました。結果を確認します", "the gateway failed; checking the result", backend.ClassUnknown},
	"E91060001": {"ゲートウェイのシステムエラーです。結果を確認します", "gateway system error", backend.ClassUnknown},
	"E91099999": {"ゲートウェイで決済処理に失敗しました。結果を確認します", "the gateway failed; checking the result", backend.ClassUnknown},
	"E92000001": {"ゲートウェイが混み合っています（流量制限）。しばらくしてから送ります", "the gateway is busy (rate limit)", backend.ClassRetryable},
	"E92000002": {"ゲートウェイが混み合っています（流量制限）。しばらくしてから送ります", "the gateway is busy (rate limit)", backend.ClassRetryable},
	// card company answers (declines)
	"42G020000": {"カード残高が不足しています", "insufficient card balance", backend.ClassPermanent},
	"42G030000": {"カードの利用限度額を超えています", "over the card's limit", backend.ClassPermanent},
	"42G040000": {"カード残高が不足しています", "insufficient card balance", backend.ClassPermanent},
	"42G050000": {"カードの利用限度額を超えています", "over the card's limit", backend.ClassPermanent},
	"42G550000": {"カードの利用限度額を超えています", "over the card's limit", backend.ClassPermanent},
	"42G420000": {"暗証番号が誤っています", "wrong PIN", backend.ClassPermanent},
	"42G440000": {"セキュリティコードが誤っています", "wrong security code", backend.ClassPermanent},
	"42G450000": {"セキュリティコードが入力されていません", "no security code", backend.ClassPermanent},
	"42G650000": {"カード番号が誤っています", "wrong card number", backend.ClassPermanent},
	"42G830000": {"カードの有効期限が誤っています", "wrong expiry date", backend.ClassPermanent},
	"42G920000": {"カード会社の判断により取引できません", "declined by the card company", backend.ClassPermanent},
}

// familyClass is the meaning of a code nobody catalogued, by its family.
func family(code, info string) catalogued {
	switch {
	case strings.HasPrefix(info, "42G"):
		return catalogued{"カード会社によりお取引がお断りされました（与信NG）", "declined by the card company", backend.ClassPermanent}
	case strings.HasPrefix(info, "42C") || strings.HasPrefix(code, "C"):
		return catalogued{"カード会社との通信でエラーが起きました。しばらくしてから送ります", "a card network error; will retry later", backend.ClassRetryable}
	case strings.HasPrefix(code, "E92"):
		return catalogued{"ゲートウェイが混み合っています（流量制限）", "the gateway is busy", backend.ClassRetryable}
	case strings.HasPrefix(code, "E90"), strings.HasPrefix(code, "E91"):
		return catalogued{"ゲートウェイで処理結果が不明なエラーが起きました。結果を確認します", "gateway error with unknown outcome", backend.ClassUnknown}
	case strings.HasPrefix(code, "E82"):
		return catalogued{"同時に実行されたため処理は開始されませんでした", "executed concurrently", backend.ClassAlreadyDone}
	case strings.HasPrefix(code, "E11"):
		return catalogued{"この取引の状態では処理できません", "the transaction's state does not allow this", backend.ClassPermanent}
	case strings.HasPrefix(code, "E21"):
		return catalogued{"3Dセキュア認証のエラーです", "3-D Secure error", backend.ClassPermanent}
	case strings.HasPrefix(code, "E41"):
		return catalogued{"カード番号またはカード会社のエラーです", "card number or card company error", backend.ClassPermanent}
	case strings.HasPrefix(code, "E61"):
		return catalogued{"ご契約・加盟店設定のエラーです。ゲートウェイにお問い合わせください", "contract or shop settings error", backend.ClassPermanent}
	case strings.HasPrefix(code, "EX"):
		return catalogued{"トークンのエラーです", "token error", backend.ClassPermanent}
	case strings.HasPrefix(code, "E00"), strings.HasPrefix(code, "E01"), strings.HasPrefix(code, "E31"), strings.HasPrefix(code, "M01"):
		return catalogued{"送信内容に誤りがあるとゲートウェイが答えました", "the gateway reports a parameter error", backend.ClassPermanent}
	}
	return catalogued{"ゲートウェイが未知のエラーを返しました。結果を確認します", "unknown gateway error; checking the result", backend.ClassUnknown}
}

// apiError turns an error answer into a backend.Error: the most significant pair's
// message, the class that governs the money (unknown beats everything; then
// auth failure, retryable, already done, permanent), and every raw pair.
func apiError(pairs []ErrorPair) *backend.Error {
	rank := map[backend.ErrorClass]int{backend.ClassUnknown: 5, backend.ClassAuthFailed: 4, backend.ClassRetryable: 3,
		backend.ClassAlreadyDone: 2, backend.ClassPermanent: 1}
	var best catalogued
	bestRank := -1
	var raw []string
	var msgs []string
	for _, p := range pairs {
		c, ok := catalogue[p.Info]
		if !ok {
			c = family(p.Code, p.Info)
			c.ja = fmt.Sprintf("%s（%s）", c.ja, p.Info)
		}
		if r := rank[c.class]; r > bestRank {
			best, bestRank = c, r
		}
		raw = append(raw, p.Code+":"+p.Info)
		if !containsStr(msgs, c.ja) {
			msgs = append(msgs, c.ja)
		}
	}
	code := backend.EGATEWAY
	switch best.class {
	case backend.ClassAuthFailed:
		code = backend.ECREDENTIAL
	case backend.ClassUnknown:
		code = backend.EUNKNOWN
	}
	return &backend.Error{Code: code, Class: best.class, Message: strings.Join(msgs, " / "), MessageEn: best.en,
		GatewayCode: strings.Join(raw, " ")}
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// notFound reports whether an error answer means "no such transaction".
func notFound(pairs []ErrorPair) bool {
	for _, p := range pairs {
		switch p.Info {
		case "E01110002", "M01004002", "M01058002":
			return true
		}
	}
	return false
}
