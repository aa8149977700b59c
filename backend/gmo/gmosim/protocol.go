package gmosim

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo"
	"kessaidesk/backend/simkit"
)

// answer is what an API returns: fields in order, or error pairs.
type answer struct {
	keys    []string
	vals    gmo.Answer
	errs    []gmo.ErrorPair
	applied string // the mutation, for the request log
	tx      string
}

func (a *answer) set(k, v string) {
	if a.vals == nil {
		a.vals = gmo.Answer{}
	}
	a.keys = append(a.keys, k)
	a.vals[k] = v
}

func (a *answer) fail(code, info string) *answer {
	a.errs = append(a.errs, gmo.ErrorPair{Code: code, Info: info})
	return a
}

func failed(code, info string) *answer { return (&answer{}).fail(code, info) }

var (
	orderIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	alnum          = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	hex32          = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

func (s *Sim) handle(req *simkit.Request) *simkit.Response {
	r := req.HTTP
	api := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/payment/"), ".idPass")
	var a *answer
	var fields map[string]string
	switch {
	case r.Method != http.MethodPost:
		a = failed("E31", "E31500014")
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		a = failed("E00", "E00000003")
	default:
		var err error
		fields, err = gmo.DecodeForm(req.Body)
		if err != nil {
			a = failed("E01", "E01700001") // the fields could not be read
			break
		}
		a = s.api(api, fields)
	}
	logged := map[string]string{}
	for k, v := range fields {
		if k == "ShopPass" || k == "AccessPass" || k == "CardNo" || k == "SecurityCode" || k == "Token" {
			v = "****"
		}
		logged[k] = v
	}
	body := s.format(a)
	resp := &simkit.Response{Status: http.StatusOK, ContentType: "text/plain;charset=Windows-31J", Body: body,
		Fields: logged, Applied: a.applied, TxID: a.tx}
	if len(a.keys) > 0 && len(a.errs) == 0 {
		renamed := *a
		renamed.keys = append([]string{"X" + a.keys[0]}, a.keys[1:]...)
		renamed.vals = gmo.Answer{}
		for k, v := range a.vals {
			renamed.vals[k] = v
		}
		renamed.vals["X"+a.keys[0]] = a.vals[a.keys[0]]
		resp.WrongField = s.format(&renamed)
	}
	if a.applied != "" {
		s.save()
	}
	return resp
}

func (s *Sim) format(a *answer) []byte {
	if len(a.errs) > 0 {
		var codes, infos []string
		for _, e := range a.errs {
			codes, infos = append(codes, e.Code), append(infos, e.Info)
		}
		b, _ := gmo.FormatAnswer([]string{"ErrCode", "ErrInfo"}, gmo.Answer{"ErrCode": strings.Join(codes, "|"), "ErrInfo": strings.Join(infos, "|")})
		return b
	}
	b, err := gmo.FormatAnswer(a.keys, a.vals)
	if err != nil {
		b, _ = gmo.FormatAnswer([]string{"ErrCode", "ErrInfo"}, gmo.Answer{"ErrCode": "E91", "ErrInfo": "E91099996"})
	}
	return b
}

// api applies one request under the simulator's lock.
func (s *Sim) api(api string, f map[string]string) *answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	multi := strings.HasSuffix(api, "Cvs") || strings.HasSuffix(api, "PayEasy") || api == "SearchTradeMulti" || api == "CvsCancel"
	if a := s.authShop(f, multi); a != nil {
		return a
	}
	switch api {
	case "EntryTran":
		return s.entryTran(f)
	case "ExecTran":
		return s.execTran(f)
	case "AlterTran":
		return s.alterTran(f)
	case "ChangeTran":
		return s.changeTran(f)
	case "SearchTrade":
		return s.searchTrade(f)
	case "SearchTradeMulti":
		return s.searchTradeMulti(f)
	case "EntryTranCvs", "EntryTranPayEasy":
		return s.entryDeposit(f, map[string]string{"EntryTranCvs": "3", "EntryTranPayEasy": "4"}[api])
	case "ExecTranCvs", "ExecTranPayEasy":
		return s.execDeposit(f, api == "ExecTranCvs")
	case "CvsCancel":
		return s.cvsCancel(f)
	}
	return failed("E91", "E91099997")
}

// authShop checks ShopID and ShopPass like the gateway: every missing or malformed
// field is reported, then the pair is checked.
func (s *Sim) authShop(f map[string]string, multi bool) *answer {
	a := &answer{}
	id, pass := f["ShopID"], f["ShopPass"]
	code := map[bool][4]string{false: {"E01010001", "E01010008", "E01020001", "E01020008"}, true: {"M01002001", "M01002008", "M01003001", "M01003008"}}[multi]
	fam := "E01"
	if multi {
		fam = "M01"
	}
	switch {
	case id == "":
		a.fail(fam, code[0])
	case len(id) > 13 || !alnum.MatchString(id):
		a.fail(fam, code[1])
	}
	switch {
	case pass == "":
		a.fail(fam, code[2])
	case len(pass) > 10 || !alnum.MatchString(pass):
		a.fail(fam, code[3])
	}
	if len(a.errs) > 0 {
		return a
	}
	if want, ok := s.shops[id]; !ok || want != pass {
		if multi {
			return failed("M01", "M01002002")
		}
		return failed("E01", "E01030002")
	}
	return nil
}

// trade finds a transaction by AccessID/AccessPass, checking the formats first.
func (s *Sim) trade(f map[string]string) (*Trade, *answer) {
	a := &answer{}
	id, pass := f["AccessID"], f["AccessPass"]
	switch {
	case id == "":
		a.fail("E01", "E01090001")
	case !hex32.MatchString(id):
		a.fail("E01", "E01090008")
	}
	switch {
	case pass == "":
		a.fail("E01", "E01100001")
	case !hex32.MatchString(pass):
		a.fail("E01", "E01100008")
	}
	if len(a.errs) > 0 {
		return nil, a
	}
	t, ok := s.byAccess[id]
	if !ok || t.AccessPass != pass || t.ShopID != "" && t.ShopID != f["ShopID"] {
		return nil, failed("E01", "E01110002")
	}
	s.expire(t)
	return t, nil
}

// taxField reads Tax (税送料): optional, digits, and Amount + Tax within 7 digits.
func taxField(f map[string]string, amount int64) (int64, *answer) {
	v := f["Tax"]
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || len(v) > 7 {
		return 0, failed("E01", "E01070005")
	}
	if amount+n > 9_999_999 {
		return 0, failed("E01", "E01490005")
	}
	return n, nil
}

func amountField(f map[string]string, required bool) (int64, *answer) {
	v, ok := f["Amount"]
	if !ok || v == "" {
		if required {
			return 0, failed("E01", "E01060001")
		}
		return 0, nil
	}
	if len(v) > 7 {
		return 0, failed("E01", "E01060005")
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, failed("E01", "E01060006")
	}
	if n == 0 {
		return 0, failed("E01", "E01060001")
	}
	return n, nil
}

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(backend.JST).Format("20060102150405")
}

func days(from, to time.Time) int { return backend.DaysBetweenJST(from, to) }

func (s *Sim) entryTran(f map[string]string) *answer {
	id := f["OrderID"]
	switch {
	case id == "":
		return failed("E01", "E01040001")
	case len(id) > 27:
		return failed("E01", "E01040003")
	case !orderIDPattern.MatchString(id):
		return failed("E01", "E01040013")
	}
	if _, ok := s.trades[id]; ok {
		return failed("E01", "E01040010")
	}
	job := f["JobCd"]
	switch job {
	case "":
		return failed("E01", "E01050001")
	case "CHECK", "CAPTURE", "AUTH", "SAUTH":
	default:
		return failed("E01", "E01050002")
	}
	amount, a := amountField(f, job != "CHECK")
	if a != nil {
		return a
	}
	tax, _ := strconv.ParseInt(f["Tax"], 10, 64)
	now := s.Clock.Now()
	t := &Trade{OrderID: id, ShopID: f["ShopID"], PayType: "0", Status: "UNPROCESSED", JobCd: job, Amount: amount, Tax: tax,
		AccessID: randomHex(32), AccessPass: randomHex(32), ProcessDate: now}
	s.trades[id], s.byAccess[t.AccessID] = t, t
	a = &answer{applied: "EntryTran", tx: id}
	a.set("AccessID", t.AccessID)
	a.set("AccessPass", t.AccessPass)
	return a
}

func (s *Sim) execTran(f map[string]string) *answer {
	t, a := s.trade(f)
	if a != nil {
		return a
	}
	if f["OrderID"] != t.OrderID {
		return failed("E01", "E01040001")
	}
	if t.Status != "UNPROCESSED" {
		return failed("E11", "E11010001")
	}
	card, token := f["CardNo"], f["Token"]
	switch {
	case token == "" && card == "":
		return failed("E01", "E01170001")
	case card != "" && (len(card) < 10 || len(card) > 16):
		return failed("E01", "E01170011")
	}
	last4 := "1111"
	if len(card) >= 4 {
		last4 = card[len(card)-4:]
	}
	// Test cards: ...0002 insufficient balance, ...0003 over the limit.
	switch last4 {
	case "0002":
		return failed("G02", "42G020000")
	case "0003":
		return failed("G03", "42G030000")
	}
	now := s.Clock.Now()
	t.Status, t.AuthDate, t.ProcessDate, t.TranDate = t.JobCd, now, now, now
	t.Method, t.PayTimes, t.CardMasked = f["Method"], f["PayTimes"], "************"+last4
	if t.Method == "" {
		t.Method = "1"
	}
	if t.JobCd == "CAPTURE" {
		t.SalesDate = now
	}
	a = &answer{applied: "ExecTran", tx: t.OrderID}
	a.set("ACS", "0")
	a.set("OrderID", t.OrderID)
	a.set("Forward", "2a99662")
	a.set("Method", t.Method)
	a.set("PayTimes", t.PayTimes)
	a.set("Approve", randomDigits(7))
	a.set("TranID", randomDigits(28))
	a.set("TranDate", ts(now))
	a.set("CheckString", randomHex(32))
	return a
}

// alterAnswer is the success answer of AlterTran / ChangeTran.
func (s *Sim) alterAnswer(t *Trade, applied string) *answer {
	now := s.Clock.Now()
	t.ProcessDate, t.TranDate = now, now
	a := &answer{applied: applied, tx: t.OrderID}
	a.set("AccessID", t.AccessID)
	a.set("AccessPass", t.AccessPass)
	a.set("Forward", "2a99662")
	a.set("Approve", randomDigits(7))
	a.set("TranID", randomDigits(28))
	a.set("TranDate", ts(now))
	return a
}

func (s *Sim) alterTran(f map[string]string) *answer {
	t, a := s.trade(f)
	if a != nil {
		return a
	}
	if t.PayType != "0" {
		return failed("E01", "E01050004")
	}
	now := s.Clock.Now()
	job := f["JobCd"]
	captured := t.Status == "CAPTURE" || t.Status == "SALES"
	// Cancels are dated from the transaction's latest processing (authorisation, sale
	// or amount change): the same day is 取消 (VOID), the same month 返品 (RETURN), a
	// later month 月跨返品 (RETURNX) — except that an authorisation never captured is
	// returned with RETURN in any month.
	var cancelJob string
	switch {
	case backend.SameDayJST(t.ProcessDate, now):
		cancelJob = "VOID"
	case !captured || backend.SameMonthJST(t.ProcessDate, now):
		cancelJob = "RETURN"
	default:
		cancelJob = "RETURNX"
	}
	if job == "CANCEL" { // the gateway chooses VOID, RETURN or RETURNX itself
		job = cancelJob
	}
	switch job {
	case "":
		return failed("E01", "E01050001")
	case "SALES":
		if t.Status != "AUTH" && t.Status != "SAUTH" {
			return failed("E01", "E01050004")
		}
		amount, a := amountField(f, true)
		if a != nil {
			return a
		}
		tax, a := taxField(f, amount)
		if a != nil {
			return a
		}
		// The sale repeats the authorisation's Amount and Tax, each apart.
		if amount != t.Amount || tax != t.Tax {
			return failed("E01", "E01060010")
		}
		if days(t.AuthDate, now) > 90 {
			return failed("E01", "E01420010")
		}
		t.Status, t.JobCd, t.SalesDate = "SALES", "SALES", now
		return s.alterAnswer(t, "SALES")
	case "VOID", "RETURN", "RETURNX":
		switch t.Status {
		case "AUTH", "SAUTH", "CAPTURE", "SALES":
		default:
			return failed("E01", "E01050004")
		}
		if days(t.ProcessDate, now) > 180 {
			return failed("E11", "E11010010")
		}
		if job != cancelJob {
			return failed("E11", "E11010003") // not the cancel this transaction's dates allow
		}
		t.Status, t.JobCd = job, job
		return s.alterAnswer(t, job)
	case "AUTH", "CAPTURE", "SAUTH":
		// 再オーソリ: only after a cancel.
		if t.Status != "VOID" && t.Status != "RETURN" && t.Status != "RETURNX" {
			return failed("E01", "E01050004")
		}
		amount, a := amountField(f, true)
		if a != nil {
			return a
		}
		tax, a := taxField(f, amount)
		if a != nil {
			return a
		}
		if t.CardLimit > 0 && amount+tax > t.CardLimit {
			return failed("G03", "42G030000")
		}
		t.Status, t.JobCd, t.Amount, t.Tax, t.AuthDate, t.SalesDate = job, job, amount, tax, now, time.Time{}
		if job == "CAPTURE" {
			t.SalesDate = now
		}
		if m := f["Method"]; m != "" {
			t.Method, t.PayTimes = m, f["PayTimes"]
		}
		return s.alterAnswer(t, "REAUTH-"+job)
	}
	return failed("E01", "E01050002")
}

func (s *Sim) changeTran(f map[string]string) *answer {
	t, a := s.trade(f)
	if a != nil {
		return a
	}
	now := s.Clock.Now()
	switch t.Status {
	case "AUTH", "SAUTH", "CAPTURE", "SALES":
	default:
		return failed("E01", "E01050004")
	}
	job := f["JobCd"]
	switch job {
	case "":
		return failed("E01", "E01050001")
	case "AUTH", "CAPTURE", "SAUTH":
	default:
		return failed("E01", "E01050002")
	}
	if (t.Status == "CAPTURE" || t.Status == "SALES") && job != "CAPTURE" {
		return failed("E01", "E01050004") // a sale stays a sale
	}
	amount, a := amountField(f, true)
	if a != nil {
		return a
	}
	tax, a := taxField(f, amount)
	if a != nil {
		return a
	}
	if days(t.ProcessDate, now) > 180 {
		return failed("E11", "E11010012")
	}
	if t.CardLimit > 0 && amount+tax > t.CardLimit {
		return failed("G03", "42G030000") // the new authorisation is declined; the old one stands
	}
	if job == "CAPTURE" && t.SalesDate.IsZero() {
		t.SalesDate = now
	}
	t.Status, t.JobCd, t.Amount, t.Tax, t.AuthDate = job, job, amount, tax, now
	return s.alterAnswer(t, "CHANGE")
}

// searchFields writes the common inquiry fields.
func searchFields(a *answer, t *Trade) {
	a.set("OrderID", t.OrderID)
	a.set("Status", t.Status)
	a.set("ProcessDate", ts(t.ProcessDate))
	a.set("JobCd", t.JobCd)
	a.set("AccessID", t.AccessID)
	a.set("AccessPass", t.AccessPass)
	a.set("ItemCode", "0000990")
	a.set("Amount", strconv.FormatInt(t.Amount, 10))
	a.set("Tax", strconv.FormatInt(t.Tax, 10))
	a.set("SiteID", "")
	a.set("MemberID", "")
	a.set("CardNo", t.CardMasked)
	a.set("Expire", "")
	a.set("Method", t.Method)
	a.set("PayTimes", t.PayTimes)
	a.set("Forward", "")
	a.set("TranID", "")
	a.set("Approve", "")
	a.set("ClientField1", "")
	a.set("ClientField2", "")
	a.set("ClientField3", "")
}

func (s *Sim) searchTrade(f map[string]string) *answer {
	id := f["OrderID"]
	if id == "" {
		return failed("E01", "E01040001")
	}
	t, ok := s.trades[id]
	if !ok || t.PayType != "0" || t.ShopID != "" && t.ShopID != f["ShopID"] {
		return failed("E01", "E01110002")
	}
	a := &answer{}
	searchFields(a, t)
	return a
}

func (s *Sim) searchTradeMulti(f map[string]string) *answer {
	a := &answer{}
	id, pt := f["OrderID"], f["PayType"]
	if id == "" {
		a.fail("M01", "M01004001")
	}
	switch {
	case pt == "":
		a.fail("M01", "M01051005")
	case pt != "0" && pt != "3" && pt != "4":
		a.fail("M01", "M01051011")
	}
	if len(a.errs) > 0 {
		return a
	}
	t, ok := s.trades[id]
	if !ok || t.PayType != pt || t.ShopID != "" && t.ShopID != f["ShopID"] {
		return failed("M01", "M01004002")
	}
	s.expire(t)
	searchFields(a, t)
	a.vals["OrderID"] = "" // SearchTradeMulti does not echo the OrderID
	a.set("PayType", t.PayType)
	a.set("CvsCode", t.Convenience)
	a.set("CvsConfNo", map[bool]string{true: t.ConfNo}[t.PayType == "3"])
	a.set("CvsReceiptNo", t.ReceiptNo)
	a.set("CustID", t.CustID)
	a.set("BkCode", t.BkCode)
	a.set("ConfNo", map[bool]string{true: t.ConfNo}[t.PayType == "4"])
	a.set("EncryptReceiptNo", "")
	a.set("PaymentTerm", ts(t.PaymentTerm))
	a.set("FinishDate", ts(t.FinishDate))
	a.set("Currency", "JPN")
	return a
}

func (s *Sim) entryDeposit(f map[string]string, payType string) *answer {
	id := f["OrderID"]
	switch {
	case id == "":
		return failed("M01", "M01004001")
	case len(id) > 27:
		return failed("M01", "M01004012")
	case !orderIDPattern.MatchString(id):
		return failed("M01", "M01004013")
	}
	if _, ok := s.trades[id]; ok {
		return failed("M01", "M01004010")
	}
	v := f["Amount"]
	if v == "" {
		return failed("M01", "M01005001")
	}
	amount, err := strconv.ParseInt(v, 10, 64)
	if err != nil || amount <= 0 {
		return failed("M01", "M01005006")
	}
	if amount > 299999 && payType == "3" { // konbini slips are capped by the chains
		return failed("M01", "M01005011")
	}
	tax, _ := strconv.ParseInt(f["Tax"], 10, 64)
	t := &Trade{OrderID: id, ShopID: f["ShopID"], PayType: payType, Status: "UNPROCESSED", Amount: amount, Tax: tax,
		AccessID: randomHex(32), AccessPass: randomHex(32), ProcessDate: s.Clock.Now()}
	s.trades[id], s.byAccess[t.AccessID] = t, t
	a := &answer{applied: "EntryTran", tx: id}
	a.set("AccessID", t.AccessID)
	a.set("AccessPass", t.AccessPass)
	return a
}

func (s *Sim) execDeposit(f map[string]string, cvs bool) *answer {
	t, a := s.trade(f)
	if a != nil {
		return a
	}
	if t.Status != "UNPROCESSED" {
		return failed("M01", "M01004014")
	}
	a = &answer{}
	if cvs && f["Convenience"] == "" {
		a.fail("M01", "M01009001")
	}
	if f["CustomerName"] == "" {
		a.fail("M01", "M01010001")
	}
	if f["CustomerKana"] == "" {
		a.fail("M01", "M01011001")
	}
	if f["TelNo"] == "" {
		a.fail("M01", "M01012001")
	}
	if f["ReceiptsDisp11"] == "" {
		a.fail("M01", "M01036001")
	}
	if f["ReceiptsDisp12"] == "" {
		a.fail("M01", "M01037001")
	}
	if f["ReceiptsDisp13"] == "" {
		a.fail("M01", "M01038001")
	}
	if len(a.errs) > 0 {
		return a
	}
	termDays := 7
	if d, err := strconv.Atoi(f["PaymentTermDay"]); err == nil && d > 0 {
		termDays = d
	}
	now := s.Clock.Now()
	t.Status, t.ProcessDate, t.TranDate, t.PaymentTerm = "REQSUCCESS", now, now, endOfDay(now.AddDate(0, 0, termDays))
	a = &answer{applied: "ExecTranDeposit", tx: t.OrderID}
	a.set("OrderID", t.OrderID)
	if cvs {
		t.Convenience, t.ConfNo, t.ReceiptNo = f["Convenience"], randomDigits(4), randomDigits(11)
		a.set("Convenience", t.Convenience)
		a.set("ConfNo", t.ConfNo)
		a.set("ReceiptNo", t.ReceiptNo)
	} else {
		t.CustID, t.BkCode, t.ConfNo = "KD"+randomDigits(9), "58021", randomDigits(8)
		a.set("CustID", t.CustID)
		a.set("BkCode", t.BkCode)
		a.set("ConfNo", t.ConfNo)
		a.set("EncryptReceiptNo", randomHex(32))
	}
	a.set("PaymentTerm", ts(t.PaymentTerm))
	a.set("TranDate", ts(now))
	a.set("CheckString", randomHex(32))
	return a
}

func (s *Sim) cvsCancel(f map[string]string) *answer {
	t, a := s.trade(f)
	if a != nil {
		return a
	}
	if f["OrderID"] != t.OrderID {
		return failed("M01", "M01004002")
	}
	if t.PayType != "3" || t.Status != "REQSUCCESS" {
		return failed("M01", "M01054004")
	}
	t.Status, t.ProcessDate = "CANCEL", s.Clock.Now()
	a = &answer{applied: "CvsCancel", tx: t.OrderID}
	a.set("OrderID", t.OrderID)
	a.set("Status", "CANCEL")
	return a
}
