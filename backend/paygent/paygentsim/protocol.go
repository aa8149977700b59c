package paygentsim

import (
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/simkit"
)

// answer is a telegram's answer: fields in order.
type answer struct {
	keys    []string
	vals    map[string]string
	applied string // the telegram kind that moved money, for the request log
	tx      string // the payment it applied to
}

func (a *answer) set(k, v string) {
	if a.vals == nil {
		a.vals = map[string]string{}
	}
	if _, ok := a.vals[k]; !ok {
		a.keys = append(a.keys, k)
	}
	a.vals[k] = v
}

func ok() *answer {
	a := &answer{}
	a.set("result", paygent.ResultOK)
	a.set("response_code", "")
	a.set("response_detail", "")
	return a
}

func failed(code, detail string) *answer {
	a := &answer{}
	a.set("result", paygent.ResultError)
	a.set("response_code", code)
	a.set("response_detail", detail)
	return a
}

func (a *answer) isOK() bool { return a.vals["result"] == paygent.ResultOK }

var (
	digitsPat  = regexp.MustCompile(`^[0-9]+$`)
	alnumPat   = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	tradingPat = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
)

// supported telegram kinds.
var supported = map[string]bool{
	paygent.KindCardAuth: true, paygent.KindCardAuthCancel: true, paygent.KindCardCapture: true,
	paygent.KindCardSalesCancel: true, paygent.KindCardAuthCorrect: true, paygent.KindCardSalesCorrect: true,
	paygent.KindNoticeInquiry: true, paygent.KindPaymentInquiry: true,
}

func (s *Sim) handle(req *simkit.Request) *simkit.Response {
	r := req.HTTP
	if r.Method != http.MethodPost {
		return &simkit.Response{Status: http.StatusMethodNotAllowed, ContentType: "text/html", Body: []byte("<html><body>405 Method Not Allowed</body></html>")}
	}
	var a *answer
	fields, err := paygent.DecodeForm(req.Body)
	switch {
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		a = failed("P005", "Content-Type")
	case err != nil:
		a = failed("P009", "文字コード")
	default:
		cn := ""
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			cn = r.TLS.PeerCertificates[0].Subject.CommonName
		}
		ip, _, _ := net.SplitHostPort(r.RemoteAddr)
		a = s.telegram(r.URL.Path, fields, cn, ip)
	}
	logged := map[string]string{}
	for k, v := range fields {
		if k == "connect_password" {
			v = "****"
		}
		logged[k] = v
	}
	body, err := paygent.FormatResponse(a.keys, a.vals)
	if err != nil {
		fb := failed("E001", "")
		body, _ = paygent.FormatResponse(fb.keys, fb.vals)
	}
	resp := &simkit.Response{Status: http.StatusOK, ContentType: "text/plain; charset=Windows-31J", Body: body,
		Fields: logged, Applied: a.applied, TxID: a.tx}
	if len(a.keys) > 1 {
		// FaultWrongField: the same answer with "result" renamed.
		renamed := &answer{}
		for _, k := range a.keys {
			nk := k
			if k == "result" {
				nk = "resu1t"
			}
			renamed.set(nk, a.vals[k])
		}
		resp.WrongField, _ = paygent.FormatResponse(renamed.keys, renamed.vals)
	}
	if a.applied != "" {
		s.save()
	}
	return resp
}

// telegram checks the common header and runs one telegram under the lock.
func (s *Sim) telegram(path string, f map[string]string, certCN, ip string) *answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.maintenance {
		return failed("P017", "")
	}
	kind := f["telegram_kind"]
	switch {
	case kind == "":
		return failed("P005", "telegram_kind")
	case !supported[kind]:
		return failed("P010", "telegram_kind")
	case paygent.PathFor(kind) != path:
		return failed("P004", "")
	}
	switch v := f["telegram_version"]; {
	case v == "":
		return failed("P005", "telegram_version")
	case v != paygent.TelegramVersion:
		return failed("P003", "")
	}
	m, a := s.authenticate(f, certCN, ip)
	if a != nil {
		return a
	}
	rule := s.takeFail(kind)
	if rule != nil && !rule.after {
		return failed(rule.code, "")
	}
	a = s.dispatch(kind, m, f)
	if rule != nil && a.isOK() {
		e := failed(rule.code, "")
		e.applied, e.tx = a.applied, a.tx
		return e
	}
	return a
}

func (s *Sim) takeFail(kind string) *failRule {
	for i := range s.fails {
		r := &s.fails[i]
		if r.left > 0 && (r.kind == "" || r.kind == kind) {
			r.left--
			c := *r
			return &c
		}
	}
	return nil
}

// authenticate checks the source address, the merchant's ids and password, and the
// client certificate's owner, like the module hosts.
func (s *Sim) authenticate(f map[string]string, certCN, ip string) (*Merchant, *answer) {
	id, cid, pw := f["merchant_id"], f["connect_id"], f["connect_password"]
	switch {
	case id == "":
		return nil, failed("P005", "merchant_id")
	case !digitsPat.MatchString(id):
		return nil, failed("P007", "merchant_id")
	case len(id) > 9:
		return nil, failed("P008", "merchant_id")
	case cid == "":
		return nil, failed("P005", "connect_id")
	case !alnumPat.MatchString(cid):
		return nil, failed("P009", "connect_id")
	case len(cid) > 32:
		return nil, failed("P008", "connect_id")
	case pw == "":
		return nil, failed("P005", "connect_password")
	case len(pw) > 32:
		return nil, failed("P008", "connect_password")
	}
	m, known := s.merchants[id]
	if known && len(m.AllowedIPs) > 0 && !slices.Contains(m.AllowedIPs, ip) {
		return nil, failed("P015", "")
	}
	if !known || m.ConnectID != cid || m.ConnectPassword != pw {
		return nil, failed("P002", "")
	}
	if m.CertCN != "" && m.CertCN != certCN {
		return nil, failed("P016", "")
	}
	return m, nil
}

func (s *Sim) dispatch(kind string, m *Merchant, f map[string]string) *answer {
	switch kind {
	case paygent.KindPaymentInquiry:
		return s.inquiry(m, f)
	case paygent.KindNoticeInquiry:
		return s.noticeInquiry(m, f)
	case paygent.KindCardAuth:
		return s.authorize(m, f)
	}
	p, a := s.cardPayment(m, f)
	if a != nil {
		return a
	}
	if a := stub(p, kind, false); a != nil {
		return a
	}
	now := s.Clock.Now()
	var res *answer
	switch kind {
	case paygent.KindCardAuthCancel:
		res = s.authCancel(p, now)
	case paygent.KindCardCapture:
		res = s.capture(p, now)
	case paygent.KindCardSalesCancel:
		res = s.salesCancel(p, now)
	case paygent.KindCardAuthCorrect, paygent.KindCardSalesCorrect:
		return s.correct(p, kind, f, now)
	}
	if res.isOK() {
		res.set("payment_id", p.PaymentID)
		res.set("trading_id", p.TradingID)
		res.applied, res.tx = kind, p.PaymentID
		if t := stub(p, kind, true); t != nil {
			t.applied, t.tx = kind, p.PaymentID
			return t
		}
	}
	return res
}

// stub plays the sandbox card stub (see CardSpec.CardLast4): before the logic
// (applied=false) it refuses; after it (applied=true) it turns a success into 2008.
func stub(p *Payment, kind string, applied bool) *answer {
	x, y := stubDigits(p)
	cancels := kind == paygent.KindCardAuthCancel || kind == paygent.KindCardSalesCancel ||
		kind == paygent.KindCardAuthCorrect || kind == paygent.KindCardSalesCorrect
	switch {
	case !applied && x == '2' && y == '0' && cancels:
		return failed("2002", "1C01")
	case !applied && x == '3' && y == '0' && (cancels || kind == paygent.KindCardCapture):
		return failed("2008", "")
	case applied && x == '3' && y == '1':
		return failed("2008", "")
	}
	return nil
}

func stubDigits(p *Payment) (x, y byte) {
	if len(p.CardLast4) < 2 {
		return '1', '1'
	}
	return p.CardLast4[0], p.CardLast4[1]
}

// cardPayment finds the card payment a telegram names (caller holds mu).
func (s *Sim) cardPayment(m *Merchant, f map[string]string) (*Payment, *answer) {
	pid, tid := f["payment_id"], f["trading_id"]
	switch {
	case pid == "" && tid == "":
		return nil, failed("P005", "payment_id")
	case pid != "" && !digitsPat.MatchString(pid):
		return nil, failed("P007", "payment_id")
	case len(pid) > 18:
		return nil, failed("P008", "payment_id")
	case tid != "" && !tradingPat.MatchString(tid):
		return nil, failed("P009", "trading_id")
	case len(tid) > 25:
		return nil, failed("P008", "trading_id")
	}
	var p *Payment
	if pid != "" {
		p = s.payments[pid]
		if p != nil && (p.MerchantID != m.ID || tid != "" && p.TradingID != tid) {
			p = nil
		}
	} else {
		list := s.byTrading(m.ID, tid)
		if len(list) > 1 {
			return nil, failed("2006", "")
		}
		if len(list) == 1 {
			p = list[0]
		}
	}
	if p == nil || p.PaymentType != paygent.TypeCard {
		return nil, failed("2006", "")
	}
	s.expire(p)
	return p, nil
}

func (s *Sim) authCancel(p *Payment, now time.Time) *answer {
	switch p.Status {
	case "20":
		p.CancelDate = now
		s.change(p, "32", now)
		return ok()
	case "33":
		return failed("2007", "")
	}
	return failed("2004", "")
}

func (s *Sim) capture(p *Payment, now time.Time) *answer {
	switch p.Status {
	case "20":
		p.SalesDate, p.PaymentDate = now, now
		s.change(p, "40", now)
		return ok()
	case "33":
		return failed("2007", "")
	}
	return failed("2004", "")
}

func (s *Sim) salesCancel(p *Payment, now time.Time) *answer {
	switch p.Status {
	case "40":
		p.CancelDate = now
		s.change(p, "60", now)
		return ok()
	case "41":
		return failed("2007", "")
	}
	return failed("2004", "")
}

// correct runs 補正オーソリ (028, on 20) or 補正売上 (029, on 40): a new payment with
// the corrected amount under the same trading_id, the old one cancelled.
func (s *Sim) correct(p *Payment, kind string, f map[string]string, now time.Time) *answer {
	want := "20"
	if kind == paygent.KindCardSalesCorrect {
		want = "40"
	}
	switch {
	case p.Status == "33" || p.Status == "41":
		return failed("2007", "")
	case p.Status != want:
		return failed("2004", "")
	}
	v := f["payment_amount"]
	switch {
	case v == "":
		return failed("P005", "payment_amount")
	case !digitsPat.MatchString(v):
		return failed("P007", "payment_amount")
	case len(v) > 7:
		return failed("P008", "payment_amount")
	}
	amount, _ := strconv.ParseInt(v, 10, 64)
	switch f["reduction_flag"] {
	case "", "0":
	case "1":
		amount = p.Amount - amount
	default:
		return failed("P010", "reduction_flag")
	}
	if amount <= 0 || amount > p.Amount {
		return failed("2013", "")
	}
	np := &Payment{MerchantID: p.MerchantID, TradingID: p.TradingID, PaymentType: paygent.TypeCard, Status: want, Amount: amount,
		InitDate: now, AuthDate: now, BasePaymentID: p.PaymentID, CardLast4: p.CardLast4}
	code := ""
	switch x, y := stubDigits(p); {
	case x == '2' && y == '1':
		code = "2010"
	case x == '2' && y == '2' && kind == paygent.KindCardSalesCorrect:
		code, np.Status = "2011", "20"
	case x == '2' && y == '3' && kind == paygent.KindCardSalesCorrect:
		code = "2012"
	}
	if np.Status == "40" {
		np.SalesDate, np.PaymentDate = now, now
	}
	s.insert(np, now)
	a := ok()
	if code != "" {
		a = failed(code, "")
	} else {
		p.CancelDate = now
		s.change(p, map[string]string{"20": "32", "40": "60"}[want], now)
	}
	a.set("payment_id", np.PaymentID)
	a.set("trading_id", np.TradingID)
	a.set("base_payment_id", p.PaymentID)
	a.set("reduced_amount", strconv.FormatInt(p.Amount-amount, 10))
	a.applied, a.tx = kind, p.PaymentID
	if code == "" {
		if t := stub(p, kind, true); t != nil {
			t.applied, t.tx = kind, p.PaymentID
			return t
		}
	}
	return a
}

// authorize runs 020 with ref_trading_id: a new authorisation under trading_id that
// reuses the card of the referenced trading's latest card payment (14 months).
func (s *Sim) authorize(m *Merchant, f map[string]string) *answer {
	tid, ref := f["trading_id"], f["ref_trading_id"]
	switch {
	case tid == "":
		return failed("P005", "trading_id")
	case !tradingPat.MatchString(tid):
		return failed("P009", "trading_id")
	case len(tid) > 25:
		return failed("P008", "trading_id")
	case ref == "":
		// Card data (or a token) would be needed: the app never sends any.
		return failed("P005", "card_number")
	}
	v := f["payment_amount"]
	switch {
	case v == "":
		return failed("P005", "payment_amount")
	case !digitsPat.MatchString(v):
		return failed("P007", "payment_amount")
	case len(v) > 7:
		return failed("P008", "payment_amount")
	}
	amount, _ := strconv.ParseInt(v, 10, 64)
	if amount <= 0 {
		return failed("P010", "payment_amount")
	}
	now := s.Clock.Now()
	var base *Payment
	for _, p := range s.byTrading(m.ID, ref) {
		if p.PaymentType == paygent.TypeCard {
			base = p
		}
	}
	if base == nil || backend.DaysBetweenJST(base.InitDate, now) > RefTradingDays {
		return failed("2009", "")
	}
	np := &Payment{MerchantID: m.ID, TradingID: tid, PaymentType: paygent.TypeCard, Status: "20", Amount: amount,
		InitDate: now, AuthDate: now, CardLast4: base.CardLast4}
	s.insert(np, now)
	a := ok()
	a.set("payment_id", np.PaymentID)
	a.set("trading_id", tid)
	a.applied, a.tx = paygent.KindCardAuth, np.PaymentID
	return a
}

// paymentFields writes a payment as 094 and 091 report it.
func paymentFields(a *answer, p *Payment) {
	a.set("payment_id", p.PaymentID)
	a.set("trading_id", p.TradingID)
	a.set("payment_type", p.PaymentType)
	a.set("site_id", "")
	a.set("payment_status", p.Status)
	a.set("payment_amount", strconv.FormatInt(p.Amount, 10))
	a.set("payment_init_date", paygent.FormatTime(p.InitDate))
	a.set("payment_limit_date", paygent.FormatTime(p.LimitDate))
	a.set("cancel_date", paygent.FormatTime(p.CancelDate))
	a.set("user_payment_date", paygent.FormatTime(p.UserPaymentDate))
	a.set("payment_date", paygent.FormatTime(p.PaymentDate))
	a.set("bank_code", p.BankCode)
	a.set("cvs_company_id", p.CvsCompanyID)
}

// inquiry runs 094: one payment by payment_id, or by trading_id (13002 when several).
func (s *Sim) inquiry(m *Merchant, f map[string]string) *answer {
	pid, tid, pt := f["payment_id"], f["trading_id"], f["payment_type"]
	switch {
	case pid == "" && tid == "":
		return failed("P005", "payment_id")
	case pid != "" && !digitsPat.MatchString(pid):
		return failed("P007", "payment_id")
	case len(pid) > 18:
		return failed("P008", "payment_id")
	case tid != "" && !tradingPat.MatchString(tid):
		return failed("P009", "trading_id")
	}
	var p *Payment
	if pid != "" {
		p = s.payments[pid]
		if p != nil && (p.MerchantID != m.ID || tid != "" && p.TradingID != tid) {
			p = nil
		}
	} else {
		var list []*Payment
		for _, q := range s.byTrading(m.ID, tid) {
			if pt == "" || q.PaymentType == pt {
				list = append(list, q)
			}
		}
		if len(list) > 1 {
			return failed("13002", "")
		}
		if len(list) == 1 {
			p = list[0]
		}
	}
	if p == nil {
		return failed("13001", "")
	}
	s.expire(p)
	a := ok()
	paymentFields(a, p)
	return a
}

// noticeInquiry runs 091: the next undelivered notice, or the notice with
// payment_notice_id. success_code 0 data, 1 nothing, 2 data after a purge.
func (s *Sim) noticeInquiry(m *Merchant, f map[string]string) *answer {
	q := s.queues[m.ID]
	if q == nil {
		q = &queue{NextID: 1}
		s.queues[m.ID] = q
	}
	for _, p := range s.payments {
		if p.MerchantID == m.ID {
			s.expire(p)
		}
	}
	s.purge(q)
	var n *Notice
	code := "0"
	if v := f["payment_notice_id"]; v != "" {
		if !digitsPat.MatchString(v) || len(v) > 18 {
			return failed("P007", "payment_notice_id")
		}
		id, _ := strconv.ParseInt(v, 10, 64)
		for _, x := range q.Notices {
			if x.ID == id && !x.Purged {
				n = x
			}
		}
	} else {
		for _, x := range q.Notices {
			if !x.Delivered && !x.Purged {
				n = x
				break
			}
		}
		if n != nil {
			n.Delivered = true
			if q.PurgedPending {
				code, q.PurgedPending = "2", false
			}
		}
	}
	a := ok()
	if n == nil {
		a.set("success_code", "1")
		a.set("success_detail", "")
		a.set("payment_notice_id", "")
		return a
	}
	a.set("success_code", code)
	a.set("success_detail", "")
	a.set("payment_notice_id", strconv.FormatInt(n.ID, 10))
	a.set("change_date", paygent.FormatTime(n.ChangeDate))
	paymentFields(a, &n.Payment)
	a.set("early_notice_date", "")
	a.set("related_payment_id", "")
	if f["payment_notice_id"] == "" {
		a.applied, a.tx = "091", strconv.FormatInt(n.ID, 10) // the cursor moved
	}
	return a
}
