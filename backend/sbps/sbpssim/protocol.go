package sbpssim

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"kessaidesk/backend"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/simkit"
)

// answer is what an API returns: an OK answer's fields between
// res_sps_transaction_id and res_process_date, or an error code.
type answer struct {
	api         string
	extra       []sbps.Node
	processDate string // "" = now
	errCode     string
	applied     string // the mutation, for the request log
	tx          string
	status      int // HTTP status when the request is refused before the API (401)
}

func failed(method, typ, item string) *answer { return &answer{errCode: method + typ + item} }

var (
	apiPattern = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}-[0-9]{5}-[0-9]{3}$`)
	digits     = regexp.MustCompile(`^[0-9]+$`)
)

// secretFields are masked in the request log.
var secretFields = map[string]bool{"cc_number": true, "security_code": true, "token": true, "token_key": true, "cc_expiration": true}

func htmlStatus(code int, text string) *simkit.Response {
	return &simkit.Response{Status: code, ContentType: "text/html",
		Body: []byte(fmt.Sprintf("<html><head><title>%d %s</title></head><body><h1>%s</h1></body></html>", code, text, text))}
}

func (s *Sim) handle(req *simkit.Request) *simkit.Response {
	r := req.HTTP
	if r.URL.Path != sbps.APIPath {
		return htmlStatus(http.StatusNotFound, "Not Found")
	}
	if r.Method != http.MethodPost {
		return htmlStatus(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	user, pass, ok := r.BasicAuth()
	s.mu.Lock()
	var m *Merchant
	if ok {
		for _, x := range s.merchants {
			if id, pw := x.basic(); id == user && pw == pass {
				m = x
				break
			}
		}
	}
	s.mu.Unlock()
	if m == nil {
		resp := htmlStatus(http.StatusUnauthorized, "Unauthorized")
		resp.Fields = map[string]string{"@basic_user": user}
		return resp
	}
	a, logged := s.process(m, req.Body)
	body, wrong := s.render(m, a)
	resp := &simkit.Response{Status: http.StatusOK, ContentType: "text/xml;charset=Shift_JIS", Body: body,
		Fields: logged, Applied: a.applied, TxID: a.tx, WrongField: wrong}
	if a.applied != "" {
		s.save()
	}
	return resp
}

// process parses and checks a request and applies it under the simulator's lock.
func (s *Sim) process(m *Merchant, body []byte) (*answer, map[string]string) {
	logged := map[string]string{}
	doc, err := sbps.Unmarshal(body)
	if err != nil || doc.Root != sbps.RootRequest {
		return failed(sbps.MethodCommon, "00", "000"), logged
	}
	logged["@id"] = doc.ID
	method := sbps.MethodCommon
	if apiPattern.MatchString(doc.ID) {
		method = doc.ID[len(doc.ID)-3:]
	}
	// Multibyte fields arrive as base64 of Shift_JIS; the hash is over their text.
	plain, bad := decodeMultibyte(doc.Nodes)
	f := map[string]string{}
	flatten(f, "", plain)
	for k, v := range f {
		if secretFields[k[strings.LastIndex(k, "/")+1:]] && v != "" {
			v = "****"
		}
		logged[k] = v
	}
	if bad != "" {
		return failed(method, "04", itemOf(bad)), logged
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.check(m, method, doc.ID, plain, f)
	if a == nil {
		a = s.api(m, method, doc.ID, f)
	}
	a.api = doc.ID
	return a, logged
}

func decodeMultibyte(nodes []sbps.Node) ([]sbps.Node, string) {
	out := make([]sbps.Node, len(nodes))
	bad := ""
	for i, n := range nodes {
		out[i] = n
		if len(n.Children) > 0 {
			var b string
			out[i].Children, b = decodeMultibyte(n.Children)
			if bad == "" {
				bad = b
			}
			continue
		}
		if sbps.MultibyteFields[n.Name] && n.Value != "" {
			v, err := sbps.DecodeMultibyte(n.Value)
			if err != nil && bad == "" {
				bad = n.Name
			}
			out[i].Value, out[i].Multibyte = v, true
		}
	}
	return out, bad
}

func flatten(out map[string]string, prefix string, nodes []sbps.Node) {
	for _, n := range nodes {
		if len(n.Children) > 0 {
			flatten(out, prefix+n.Name+"/", n.Children)
			continue
		}
		if _, dup := out[prefix+n.Name]; !dup {
			out[prefix+n.Name] = n.Value
		}
	}
}

// itemOf is the error item code of a field (research §A5; S1 definitions).
func itemOf(field string) string {
	switch field {
	case "merchant_id":
		return "001"
	case "service_id":
		return "002"
	case "cust_code":
		return "003"
	case "order_id":
		return "004"
	case "item_id":
		return "005"
	case "item_name":
		return "006"
	case "amount", "pay_option_manage/amount":
		return "008"
	case "free1":
		return "010"
	case "free2":
		return "011"
	case "free3":
		return "012"
	case "request_date":
		return "023"
	case "limit_second":
		return "024"
	case "sps_hashcode":
		return "025"
	case "sps_transaction_id":
		return "026"
	case "tracking_id":
		return "027"
	case "encrypted_flg":
		return "028"
	case "processing_datetime":
		return "029"
	}
	return "999"
}

// check runs the checks common to every API: ids, checksum, request date.
func (s *Sim) check(m *Merchant, method, id string, nodes []sbps.Node, f map[string]string) *answer {
	if !apiPattern.MatchString(id) {
		return failed(method, "02", "000")
	}
	switch {
	case f["merchant_id"] == "":
		return failed(method, "03", "001")
	case f["service_id"] == "":
		return failed(method, "03", "002")
	case f["merchant_id"] != m.MerchantID || f["service_id"] != m.ServiceID:
		return failed(method, "14", "001")
	case f["sps_hashcode"] == "":
		return failed(method, "03", "025")
	}
	want, err := sbps.Hashcode(nodes, m.HashKey)
	if err != nil || want != f["sps_hashcode"] {
		return failed(method, "09", "025")
	}
	rd := f["request_date"]
	if rd == "" {
		return failed(method, "03", "023")
	}
	at, err := time.ParseInLocation("20060102150405", rd, backend.JST)
	if err != nil || len(rd) != 14 {
		return failed(method, "06", "023")
	}
	limit := 600 * time.Second // default when limit_second is omitted: unconfirmed
	if ls := f["limit_second"]; ls != "" {
		n, err := strconv.Atoi(ls)
		if err != nil || !digits.MatchString(ls) || len(ls) > 4 {
			return failed(method, "06", "024")
		}
		limit = time.Duration(n) * time.Second
	}
	if d := s.Clock.Now().Sub(at); d > limit || d < -limit {
		return failed(method, "10", "023")
	}
	return nil
}

// api dispatches one checked request (caller holds mu).
func (s *Sim) api(m *Merchant, method, id string, f map[string]string) *answer {
	switch id {
	case sbps.APICommit:
		return s.commit(m, f)
	case sbps.APISales:
		return s.sales(m, f)
	case sbps.APICancelRefund:
		return s.cancelRefund(m, f)
	case sbps.APIPartialRefund:
		return s.partialRefund(m, f)
	case sbps.APIReauthorize:
		return s.reauthorize(m, f)
	case sbps.APICardInquiry:
		return s.cardInquiry(m, f)
	case sbps.APIWebCvsInquiry:
		return s.depositInquiry(m, f, MethodWebCvs)
	case sbps.APIPayEasyInquiry:
		if s.noPayEasy {
			return failed(method, "02", "000")
		}
		return s.depositInquiry(m, f, MethodPayEasy)
	}
	return failed(method, "02", "000")
}

// trade finds the payment a request names, checking tracking_id's format first.
func (s *Sim) trade(m *Merchant, f map[string]string, method string) (*Trade, *answer) {
	id := f["tracking_id"]
	switch {
	case id == "":
		return nil, failed(method, "03", "027")
	case len(id) > 14:
		return nil, failed(method, "05", "027")
	case !digits.MatchString(id):
		return nil, failed(method, "04", "027")
	}
	if pd := f["processing_datetime"]; pd != "" {
		if _, err := time.ParseInLocation("20060102150405", pd, backend.JST); err != nil || len(pd) != 14 {
			return nil, failed(method, "06", "029")
		}
	}
	t, ok := s.trades[id]
	if !ok || t.MerchantID != m.MerchantID || t.ServiceID != m.ServiceID || t.Method != method {
		return nil, failed(method, "12", "027")
	}
	s.expire(t)
	return t, nil
}

// amount reads an amount field: 1 … 9,999,999 yen.
func amount(f map[string]string, key string, required bool) (int64, *answer) {
	v := f[key]
	if v == "" {
		if required {
			return 0, failed(sbps.MethodCard, "03", "008")
		}
		return 0, nil
	}
	switch {
	case !digits.MatchString(v):
		return 0, failed(sbps.MethodCard, "04", "008")
	case len(v) > 7:
		return 0, failed(sbps.MethodCard, "05", "008")
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	if n == 0 {
		return 0, failed(sbps.MethodCard, "07", "008")
	}
	return n, nil
}

// endOfThirdMonth is the last moment (JST) of the third month after t's month:
// SBPS's limit for 売上 after the authorisation (42) and for 返金 after the sale (56).
func endOfThirdMonth(t time.Time) time.Time {
	y, m, _ := t.In(backend.JST).Date()
	return time.Date(y, m+4, 1, 0, 0, 0, 0, backend.JST).Add(-time.Second)
}

func card(typ string) *answer { return failed(sbps.MethodCard, typ, "999") }

func ts(t time.Time) string { return t.In(backend.JST).Format("20060102150405") }

func date(t time.Time) string { return t.In(backend.JST).Format("20060102") }

func (s *Sim) commit(m *Merchant, f map[string]string) *answer {
	t, a := s.trade(m, f, MethodCard)
	if a != nil {
		return a
	}
	if t.CommitStatus != sbps.CommitNone || t.PaymentStatus != sbps.StatusAuthorized {
		return card("60")
	}
	t.CommitStatus, t.ProcessDate = sbps.CommitDone, s.Clock.Now()
	return &answer{applied: "commit", tx: t.TrackingID}
}

func (s *Sim) sales(m *Merchant, f map[string]string) *answer {
	t, a := s.trade(m, f, MethodCard)
	if a != nil {
		return a
	}
	amt, a := amount(f, "pay_option_manage/amount", false)
	if a != nil {
		return a
	}
	now := s.Clock.Now()
	switch t.PaymentStatus {
	case sbps.StatusAuthorized:
	case sbps.StatusCaptured:
		if m.AutoSales {
			return card("37")
		}
		return card("41")
	case sbps.StatusVoided:
		return card("40")
	case sbps.StatusRefunded:
		return card("41")
	default:
		return card("39")
	}
	if t.CommitStatus == sbps.CommitNone {
		return card("39") // an authorisation never committed is not a result to sell (assumed)
	}
	if now.After(endOfThirdMonth(t.AuthDate)) {
		return card("42")
	}
	if amt == 0 {
		amt = t.Amount
	}
	if amt > t.Amount {
		return card("79")
	}
	t.PaymentStatus, t.Sold, t.SalesDate, t.ProcessDate = sbps.StatusCaptured, amt, now, now
	// The sale's processing date is a date (the accounting date), as recorded.
	return &answer{applied: "capture", tx: t.TrackingID, processDate: date(now) + "000000"}
}

func (s *Sim) cancelRefund(m *Merchant, f map[string]string) *answer {
	t, a := s.trade(m, f, MethodCard)
	if a != nil {
		return a
	}
	now := s.Clock.Now()
	switch t.PaymentStatus {
	case sbps.StatusAuthorized:
		t.PaymentStatus, t.CancelDate, t.ProcessDate = sbps.StatusVoided, now, now
		if t.CommitStatus == sbps.CommitNone {
			t.CommitStatus = sbps.CommitNoneCancelled
		}
		return &answer{applied: "void", tx: t.TrackingID}
	case sbps.StatusCaptured:
		if now.After(endOfThirdMonth(t.SalesDate)) {
			return card("56")
		}
		t.PaymentStatus, t.Refunded, t.CancelDate, t.ProcessDate = sbps.StatusRefunded, t.Sold, now, now
		return &answer{applied: "refund", tx: t.TrackingID}
	case sbps.StatusVoided:
		return card("52")
	case sbps.StatusRefunded:
		return card("46")
	}
	return card("51")
}

func (s *Sim) partialRefund(m *Merchant, f map[string]string) *answer {
	t, a := s.trade(m, f, MethodCard)
	if a != nil {
		return a
	}
	amt, a := amount(f, "pay_option_manage/amount", true)
	if a != nil {
		return a
	}
	now := s.Clock.Now()
	switch t.PaymentStatus {
	case sbps.StatusCaptured:
	case sbps.StatusAuthorized:
		return card("K0")
	case sbps.StatusVoided:
		return card("45")
	case sbps.StatusRefunded:
		return card("46")
	default:
		return card("44")
	}
	if now.After(endOfThirdMonth(t.SalesDate)) {
		return card("56")
	}
	if t.Refunded+amt > t.Sold {
		return card("K1")
	}
	t.Refunded += amt
	t.ProcessDate = now
	if t.Refunded == t.Sold {
		t.PaymentStatus, t.CancelDate = sbps.StatusRefunded, now // assumed: all refunded reads as 返金済
	}
	return &answer{applied: "partial_refund", tx: t.TrackingID}
}

func (s *Sim) reauthorize(m *Merchant, f map[string]string) *answer {
	old, a := s.trade(m, f, MethodCard)
	if a != nil {
		return a
	}
	for _, req := range []struct {
		key string
		max int
	}{{"cust_code", 64}, {"order_id", 38}, {"item_id", 32}, {"item_name", 40}} {
		v := f[req.key]
		if v == "" && req.key != "item_name" {
			return failed(sbps.MethodCard, "03", itemOf(req.key))
		}
		if utf8.RuneCountInString(v) > req.max {
			return failed(sbps.MethodCard, "05", itemOf(req.key))
		}
	}
	amt, a := amount(f, "amount", true)
	if a != nil {
		return a
	}
	// Only "B" (the earlier authorisation's card and method) is simulated; M and R
	// need a stored card or a token.
	if f["pay_option_manage/pay_info_control_type"] != "B" {
		return failed(sbps.MethodCard, "07", "214")
	}
	if v := f["pay_option_manage/pay_info_detail_control_type"]; v != "B" {
		return failed(sbps.MethodCard, "07", "215")
	}
	if old.CardLimit > 0 && amt > old.CardLimit {
		return card("22")
	}
	now := s.Clock.Now()
	t := &Trade{MerchantID: m.MerchantID, ServiceID: m.ServiceID, OrderID: f["order_id"], Method: MethodCard,
		PaymentStatus: sbps.StatusAuthorized, CommitStatus: sbps.CommitNone, Amount: amt, AuthDate: now, ProcessDate: now,
		CardMasked: old.CardMasked, CardLimit: old.CardLimit, ReauthOf: old.TrackingID}
	if err := s.insert(t); err != nil {
		return failed(sbps.MethodCard, "90", "999")
	}
	return &answer{applied: "reauth", tx: t.TrackingID, extra: []sbps.Node{
		sbps.Leaf("res_tracking_id", t.TrackingID),
		sbps.Group("res_pay_method_info", sbps.Leaf("cc_company_code", "10035"), sbps.Leaf("cardbrand_code", "V"),
			sbps.Leaf("recognized_no", randomDigits(6))),
	}}
}

func (s *Sim) cardInquiry(m *Merchant, f map[string]string) *answer {
	enc := f["encrypted_flg"]
	switch {
	case enc != "" && enc != "0" && enc != "1":
		return failed(sbps.MethodCard, "07", "028")
	case enc == "1" && m.CipherKey == "":
		return failed(sbps.MethodCard, "07", "028")
	}
	t, a := s.trade(m, f, MethodCard)
	if a != nil {
		return a
	}
	info := sbps.Group("res_pay_method_info",
		sbps.Group("res_pay_method_info_detail", sbps.Leaf("cc_number", t.CardMasked), sbps.Leaf("cc_expiration", "203012"),
			sbps.Leaf("dealings_type", "10"), sbps.Leaf("divide_times", ""), sbps.Leaf("bonus_details_times", "")),
		sbps.Leaf("cc_company_code", "10035"), sbps.Leaf("cardbrand_code", "V"), sbps.Leaf("recognized_no", "123456"),
		sbps.Leaf("commit_status", t.CommitStatus), sbps.Leaf("payment_status", t.PaymentStatus))
	if enc == "1" {
		c, err := sbps.NewCipher(m.CipherKey, m.CipherIV)
		if err != nil {
			return failed(sbps.MethodCard, "90", "999")
		}
		encrypted := map[string]bool{}
		for _, p := range sbps.EncryptedInquiryFields {
			encrypted[p] = true
		}
		if err := encryptNodes(c, encrypted, "", []sbps.Node{info}); err != nil {
			return failed(sbps.MethodCard, "90", "999")
		}
	}
	return &answer{extra: []sbps.Node{sbps.Leaf("res_status", "0"), info}}
}

func encryptNodes(c *sbps.Cipher, paths map[string]bool, prefix string, nodes []sbps.Node) error {
	for i := range nodes {
		n := &nodes[i]
		if len(n.Children) > 0 {
			if err := encryptNodes(c, paths, prefix+n.Name+"/", n.Children); err != nil {
				return err
			}
			continue
		}
		if paths[prefix+n.Name] {
			v, err := c.Encrypt(n.Value)
			if err != nil {
				return err
			}
			n.Value = v
		}
	}
	return nil
}

func (s *Sim) depositInquiry(m *Merchant, f map[string]string, method string) *answer {
	if enc := f["encrypted_flg"]; enc != "" && enc != "0" {
		return failed(method, "07", "028")
	}
	t, a := s.trade(m, f, method)
	if a != nil {
		return a
	}
	var info []sbps.Node
	if method == MethodWebCvs {
		info = append(info, sbps.Leaf("webcvstype", "002"))
	}
	info = append(info, sbps.Leaf("invoice_no", t.InvoiceNo), sbps.Leaf("bill_date", date(t.BillDate)))
	if method == MethodWebCvs {
		info = append(info, sbps.Leaf("cvs_pay_data1", t.InvoiceNo[:8]+"-"+t.InvoiceNo[8:]))
	}
	info = append(info, sbps.Leaf("payment_status", t.PaymentStatus))
	return &answer{extra: []sbps.Node{sbps.Leaf("res_status", "0"), sbps.Group("res_pay_method_info", info...)}}
}

// render writes the answer as SBPS does, and the same answer with res_result renamed
// (for simkit's wrong-field fault).
func (s *Sim) render(m *Merchant, a *answer) (body, wrong []byte) {
	now := s.Clock.Now()
	var nodes []sbps.Node
	id := a.api
	if a.errCode != "" {
		// An NG answer carries no id attribute and only the code and the date (as recorded).
		id = ""
		nodes = []sbps.Node{sbps.Leaf("res_result", sbps.ResultNG), sbps.Leaf("res_err_code", a.errCode), sbps.Leaf("res_date", ts(now))}
	} else {
		s.mu.Lock()
		s.seq++
		seq := s.seq
		s.mu.Unlock()
		pd := a.processDate
		if pd == "" {
			pd = ts(now)
		}
		txID := fmt.Sprintf("B%s%s%s%011d", m.MerchantID, m.ServiceID, strings.ReplaceAll(a.api, "-", ""), seq)
		nodes = append(nodes, sbps.Leaf("res_result", sbps.ResultOK), sbps.Leaf("res_sps_transaction_id", txID))
		nodes = append(nodes, a.extra...)
		nodes = append(nodes, sbps.Leaf("res_process_date", pd), sbps.Leaf("res_err_code", ""), sbps.Leaf("res_date", ts(now)))
	}
	body, err := marshalAnswer(id, nodes)
	if err != nil {
		body, _ = marshalAnswer("", []sbps.Node{sbps.Leaf("res_result", sbps.ResultNG), sbps.Leaf("res_err_code", "99990999"), sbps.Leaf("res_date", ts(now))})
	}
	renamed := append([]sbps.Node{{Name: "res_reslt", Value: nodes[0].Value}}, nodes[1:]...)
	wrong, _ = marshalAnswer(id, renamed)
	return body, wrong
}

// marshalAnswer writes an answer in SBPS's recorded shape: a single-quoted declaration
// and indented elements.
func marshalAnswer(id string, nodes []sbps.Node) ([]byte, error) {
	b, err := sbps.Marshal(sbps.Document{Root: sbps.RootResponse, ID: id, Nodes: nodes})
	if err != nil {
		return nil, err
	}
	// Replace the compact declaration with SBPS's own and break lines between elements.
	b = []byte(strings.Replace(string(b), `<?xml version="1.0" encoding="Shift_JIS"?>`, "<?xml version='1.0' encoding='Shift_JIS' ?>\n  ", 1))
	b = []byte(strings.ReplaceAll(string(b), "><res_", ">\n    <res_"))
	return b, nil
}
