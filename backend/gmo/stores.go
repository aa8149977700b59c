package gmo

// convenienceNames are the store codes of ExecTranCvs' Convenience and
// SearchTradeMulti's CvsCode (gmo-mulpay.md §5.4): the legacy 0000x and current 1000x
// codes both name the same chain.
var convenienceNames = map[string]string{
	"00001": "ローソン", "10001": "ローソン",
	"00002": "ファミリーマート", "10002": "ファミリーマート",
	"00003": "サンクス", "10003": "サンクス",
	"00004": "サークルK", "10004": "サークルK",
	"00005": "ミニストップ", "10005": "ミニストップ",
	"00006": "デイリーヤマザキ",
	"00007": "セブン-イレブン",
	"00008": "セイコーマート", "10008": "セイコーマート",
	"00009": "スリーエフ",
}

// ConvenienceName is the chain a store code names; the code itself when unknown.
func ConvenienceName(code string) string {
	if n, ok := convenienceNames[code]; ok {
		return n
	}
	return code
}
