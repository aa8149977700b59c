package paygent

// Telegram kinds (電文種別) this client sends. Sources: the spec's kind table and
// the module property files (research §B1, §B4).
const (
	KindCardAuth         = "020" // オーソリ (here only with ref_trading_id: 予約 → オーソリ)
	KindCardAuthCancel   = "021" // オーソリ取消
	KindCardCapture      = "022" // 売上
	KindCardSalesCancel  = "023" // 売上取消
	KindCardAuthCorrect  = "028" // 補正オーソリ (オーソリ変更): new payment_id, old one cancelled
	KindCardSalesCorrect = "029" // 補正売上 (売上変更 / 部分返金): new payment_id, old one cancelled
	KindNoticeInquiry    = "091" // 決済情報差分照会: one notice per call, shared cursor per merchant
	KindPaymentInquiry   = "094" // 決済情報照会: one payment
	TelegramVersion      = "1.0" // every public client sends 1.0
)

// Payment types (payment_type) reported by 091 and 094.
const (
	TypeATM            = "01" // ATM決済 (Pay-easy)
	TypeCard           = "02" // クレジットカード
	TypeKonbiniNumber  = "03" // コンビニ(番号方式)
	TypeKonbiniSlip    = "04" // コンビニ(払込票)
	TypeBankNet        = "05" // 銀行ネット決済
	TypeCarrier        = "06" // 携帯キャリア
	TypeVirtualAccount = "07" // 仮想口座
)

// paths maps a telegram kind, or its first two digits, to its URL path on the
// module hosts (the official module looks up url.<kind> first, then url.<2 digits>).
var paths = map[string]string{
	"01":  "/n/atm/request",
	"02":  "/n/card/request",
	"03":  "/n/conveni/request",
	"04":  "/n/conveni/request_print",
	"05":  "/n/bank/request",
	"06":  "/n/bank/requestasp",
	"07":  "/n/virtualaccount/request",
	"09":  "/n/ref/request",
	"091": "/n/ref/paynotice",
	"093": "/n/ref/runnotice",
	"094": "/n/ref/paymentref",
	"095": "/n/ref/cardnoref",
}

// PathFor returns the URL path of a telegram kind ("" for a kind it does not know).
func PathFor(kind string) string {
	if p, ok := paths[kind]; ok {
		return p
	}
	if len(kind) >= 2 {
		return paths[kind[:2]]
	}
	return ""
}

// KindLabel names a telegram kind for messages.
func KindLabel(kind string) string {
	switch kind {
	case KindCardAuth:
		return "オーソリ(020)"
	case KindCardAuthCancel:
		return "オーソリ取消(021)"
	case KindCardCapture:
		return "売上(022)"
	case KindCardSalesCancel:
		return "売上取消(023)"
	case KindCardAuthCorrect:
		return "オーソリ変更(028)"
	case KindCardSalesCorrect:
		return "売上変更(029)"
	case KindNoticeInquiry:
		return "決済情報差分照会(091)"
	case KindPaymentInquiry:
		return "決済情報照会(094)"
	}
	return "電文" + kind
}
