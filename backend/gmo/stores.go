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

// convenienceNamesEn: the chains as they write their names in English.
var convenienceNamesEn = map[string]string{
	"00001": "Lawson", "10001": "Lawson",
	"00002": "FamilyMart", "10002": "FamilyMart",
	"00003": "Sunkus", "10003": "Sunkus",
	"00004": "Circle K", "10004": "Circle K",
	"00005": "Ministop", "10005": "Ministop",
	"00006": "Daily Yamazaki",
	"00007": "7-Eleven",
	"00008": "Seicomart", "10008": "Seicomart",
	"00009": "Three F",
}

// ConvenienceNameEn is ConvenienceName in English; the code itself when unknown.
func ConvenienceNameEn(code string) string {
	if n, ok := convenienceNamesEn[code]; ok {
		return n
	}
	return code
}

// ConvenienceName is the chain a store code names; the code itself when unknown.
func ConvenienceName(code string) string {
	if n, ok := convenienceNames[code]; ok {
		return n
	}
	return code
}
