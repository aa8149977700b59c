package sbps

import (
	"strings"
	"testing"
)

// FuzzParseResponse feeds the answer parser anything a network can deliver: it must
// never panic, and what it accepts must be an answer the client can act on.
func FuzzParseResponse(f *testing.F) {
	sjis := func(s string) []byte {
		b, err := Marshal(Document{Root: RootResponse, ID: APICardInquiry, Nodes: []Node{Leaf("res_result", "OK"), Leaf("memo", s)}})
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	f.Add([]byte(`<?xml version="1.0" encoding="Shift_JIS"?><sps-api-response id="ST02-00201-101"><res_result>OK</res_result><res_sps_transaction_id>X1</res_sps_transaction_id><res_process_date>20261110000000</res_process_date><res_err_code/><res_date>20261110100000</res_date></sps-api-response>`))
	f.Add([]byte(`<?xml version="1.0" encoding="Shift_JIS"?><sps-api-response><res_result>NG</res_result><res_err_code>10141999</res_err_code></sps-api-response>`))
	f.Add([]byte(`<sps-api-response id="MG01-00101-101"><res_result>OK</res_result><res_status>0</res_status><res_pay_method_info><payment_status>2</payment_status><commit_status>1</commit_status></res_pay_method_info></sps-api-response>`))
	f.Add([]byte(`<sps-api-response id="MG01-00101-701"><res_result>OK</res_result><res_pay_method_info><bill_date>20261117</bill_date><payment_status>1</payment_status></res_pay_method_info></sps-api-response>`))
	f.Add(sjis("入金済み・コンビニ"))
	f.Add([]byte("<html><body><h1>500 Internal Server Error</h1></body></html>"))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><sps-api-response><res_result>OK</res_result></sps-api-response>`))
	f.Add([]byte("\x82\xff\xff\xfe\x81<sps-api-response>"))
	f.Add([]byte(`<sps-api-response><res_result>OK</res_result><res_result>NG</res_result></sps-api-response>`))
	f.Add([]byte(strings.Repeat("<a>", 40)))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := ParseResponse(body)
		if err != nil {
			return
		}
		if !r.OK() && r.Fields["res_result"] != ResultNG {
			t.Fatalf("accepted an answer that is neither OK nor NG: %q", body)
		}
		if !r.OK() {
			e := apiError(r.ErrCode())
			if e.Message == "" || e.Code == "" || e.Class == "" {
				t.Fatalf("an NG answer without a message, code or class: %q", body)
			}
		}
		ParseTime(r.Get("res_process_date"))
		ErrorCode(r.ErrCode())
	})
}
