// Package paygentsim is a simulator of Paygent's モジュールタイプ: a real HTTPS server on
// 127.0.0.1 that requires and verifies a client certificate, with the module hosts'
// URLs, telegram kinds, Shift_JIS form bodies, CRLF "name=value" answers and result
// codes, enforcing the rules a shop operator meets: オーソリ取消 only before 売上, 売上取消
// only after, the 60-day authorisation window and the sales-cancel window, 補正 only
// lowering an amount (and making a new payment_id), already-processed errors,
// merchant/connect id and password checks, the source-IP and certificate-owner checks,
// and the difference inquiry (091) with its per-merchant cursor, purge after 7 days
// and re-fetch by notice id. It runs on simkit (clock, latency, faults, request log).
// Tests, benchmarks and the demo use it; its codes follow the research notes
// (../../shared/research/sbps-paygent.md §B), see the package paygent doc for what is
// not confirmed.
package paygentsim

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/simkit"
)

// Merchant is a merchant contract at the simulator.
type Merchant struct {
	ID              string
	ConnectID       string
	ConnectPassword string
	// CertCN, when set, ties the merchant to its client certificate: a valid
	// certificate with another common name gets P016.
	CertCN string
	// AllowedIPs, when set, are the only source addresses accepted (else P015).
	AllowedIPs []string
}

// Payment is a payment as the simulator keeps it. No card number is stored: only the
// last four digits, which drive the sandbox's test behaviour (see CardSpec).
type Payment struct {
	MerchantID      string
	PaymentID       string
	TradingID       string
	PaymentType     string // paygent.TypeCard, TypeATM, TypeKonbiniNumber, TypeBankNet…
	Status          string // payment_status
	Amount          int64
	InitDate        time.Time // 申込 (card: the authorisation)
	AuthDate        time.Time // card: start of the 60-day window
	SalesDate       time.Time // card: 売上 (start of the sales-cancel window)
	CancelDate      time.Time
	LimitDate       time.Time // deposits: the deadline
	UserPaymentDate time.Time // the customer paid (konbini 速報)
	PaymentDate     time.Time // 消込
	BasePaymentID   string    // 補正: the payment it replaced
	CardLast4       string
	CvsCompanyID    string
	BankCode        string
}

// Notice is one entry of a merchant's difference-inquiry queue.
type Notice struct {
	ID         int64
	Created    time.Time
	ChangeDate time.Time
	Delivered  bool
	Purged     bool
	Payment    Payment // the payment as it was when the notice was made
}

type queue struct {
	Notices       []*Notice
	NextID        int64
	PurgedPending bool // undelivered notices were purged since the last delivery
}

type failRule struct {
	kind, code string
	left       int
	after      bool
}

// Sim is a running simulator.
type Sim struct {
	Server *simkit.Server
	Clock  *simkit.Clock

	pki         *PKI
	mu          sync.Mutex
	merchants   map[string]*Merchant
	payments    map[string]*Payment
	queues      map[string]*queue
	nextID      int64
	maintenance bool
	fails       []failRule
	state       *simkit.StateFile // the state on disk (demo sandbox)
}

// Options configure a simulator.
type Options struct {
	Clock *simkit.Clock // nil = real time
	Addr  string        // "" = 127.0.0.1:0
	PKI   *PKI          // nil = a new throw-away CA
	TLS13 bool          // allow TLS 1.3 (default: TLS 1.2 at most, like the module hosts)
	// StateFile: load the state from this file if it exists, and save it after every
	// change (the demo sandbox survives a restart). Notices are kept too.
	StateFile string
}

// Start runs a simulator on 127.0.0.1 over HTTPS with client-certificate verification.
func Start(opt Options) (*Sim, error) {
	pki := opt.PKI
	if pki == nil {
		var err error
		if pki, err = NewPKI("Kessai Desk Paygent simulator"); err != nil {
			return nil, fmt.Errorf("paygentsim: %w", err)
		}
	}
	s := &Sim{pki: pki, merchants: map[string]*Merchant{}, payments: map[string]*Payment{}, queues: map[string]*queue{},
		nextID: 31000000}
	s.state = &simkit.StateFile{Path: opt.StateFile, Save: s.Save}
	if err := s.state.Load(s.Load); err != nil {
		return nil, fmt.Errorf("paygentsim: %w", err)
	}
	srv, err := simkit.Start(s.handle, simkit.Options{Clock: opt.Clock, Addr: opt.Addr, TLS: pki.ServerTLS(opt.TLS13)})
	if err != nil {
		return nil, err
	}
	s.Server, s.Clock = srv, srv.Clock
	return s, nil
}

// URL is the simulator's base URL (the client's Host).
func (s *Sim) URL() string { return s.Server.URL }

// PKI is the simulator's CA: issue client certificates with it.
func (s *Sim) PKI() *PKI { return s.pki }

// Close stops the simulator.
func (s *Sim) Close() error { return s.Server.Close() }

// AddMerchant registers (or replaces) a merchant.
func (s *Sim) AddMerchant(m Merchant) {
	s.mu.Lock()
	c := m
	s.merchants[m.ID] = &c
	if s.queues[m.ID] == nil {
		s.queues[m.ID] = &queue{NextID: 1}
	}
	s.mu.Unlock()
	s.save()
}

// SetMaintenance makes every telegram answer P017 (service stopped) while on.
func (s *Sim) SetMaintenance(on bool) {
	s.mu.Lock()
	s.maintenance = on
	s.mu.Unlock()
}

// FailNext makes the next n telegrams of kind ("" = any) answer result=1 with code.
// With after, the telegram is applied first and the error replaces its success
// answer (the money moved; the answer says otherwise).
func (s *Sim) FailNext(kind, code string, n int, after bool) {
	s.mu.Lock()
	s.fails = append(s.fails, failRule{kind: kind, code: code, left: n, after: after})
	s.mu.Unlock()
}

// CardSpec describes a card payment made by the shop's checkout.
type CardSpec struct {
	MerchantID string
	TradingID  string
	Amount     int64
	Status     string    // "20" オーソリOK (default), "40" 消込済, "32", "33", "60", "10"…
	AuthDate   time.Time // default: now
	SalesDate  time.Time // for "40"/"41"/"60" (default: AuthDate)
	// CardLast4 drives the test behaviour like Paygent's sandbox card stub ("XYZZ"):
	//   1xxx all OK (default "1111");
	//   20xx 2002 on 021/023/028/029 (nothing applied);
	//   21xx 2010 on 028/029: the new payment is made, the old one is NOT cancelled;
	//   22xx 2011 on 029: a new authorisation only, the old sale is NOT cancelled;
	//   23xx 2012 on 029: a new sale, the old sale is NOT cancelled (double sale);
	//   30xx 2008 timeout on 021/022/023/028/029, nothing applied;
	//   31xx 2008 timeout on the same, but applied.
	// (The stub's X digit follows P4; the Y codes are this simulator's own.)
	CardLast4 string
}

// AddCardPayment creates a card payment as if the checkout had authorised it (020),
// and returns its payment_id.
func (s *Sim) AddCardPayment(c CardSpec) (string, error) {
	if c.Status == "" {
		c.Status = "20"
	}
	if c.AuthDate.IsZero() {
		c.AuthDate = s.Clock.Now()
	}
	if c.CardLast4 == "" {
		c.CardLast4 = "1111"
	}
	p := &Payment{MerchantID: c.MerchantID, TradingID: c.TradingID, PaymentType: paygent.TypeCard, Status: c.Status,
		Amount: c.Amount, InitDate: c.AuthDate, AuthDate: c.AuthDate, CardLast4: c.CardLast4}
	switch c.Status {
	case "40", "41", "60":
		p.SalesDate = c.SalesDate
		if p.SalesDate.IsZero() {
			p.SalesDate = c.AuthDate
		}
		p.PaymentDate = p.SalesDate
		if c.Status == "60" {
			p.CancelDate = p.SalesDate
		}
	case "32":
		p.CancelDate = c.AuthDate
	}
	return s.add(p)
}

// DepositSpec describes an ATM (Pay-easy), konbini or bank-net payment.
type DepositSpec struct {
	MerchantID   string
	TradingID    string
	Amount       int64
	Type         string    // paygent.TypeKonbiniNumber (default), TypeKonbiniSlip, TypeATM, TypeBankNet
	Status       string    // "10" 申込済 (default)
	Issued       time.Time // default: now
	Limit        time.Time // default: 7 days after issue, 23:59:59 JST
	CvsCompanyID string    // konbini company code (default "00C001", an example)
}

// AddDeposit creates a deposit payment and returns its payment_id.
func (s *Sim) AddDeposit(d DepositSpec) (string, error) {
	if d.Type == "" {
		d.Type = paygent.TypeKonbiniNumber
	}
	if d.Status == "" {
		d.Status = "10"
	}
	if d.Issued.IsZero() {
		d.Issued = s.Clock.Now()
	}
	if d.Limit.IsZero() {
		d.Limit = endOfDay(d.Issued.AddDate(0, 0, 7))
	}
	p := &Payment{MerchantID: d.MerchantID, TradingID: d.TradingID, PaymentType: d.Type, Status: d.Status, Amount: d.Amount,
		InitDate: d.Issued, LimitDate: d.Limit}
	switch d.Type {
	case paygent.TypeKonbiniNumber, paygent.TypeKonbiniSlip:
		p.CvsCompanyID = d.CvsCompanyID
		if p.CvsCompanyID == "" {
			p.CvsCompanyID = "00C001"
		}
	case paygent.TypeATM, paygent.TypeBankNet:
		p.BankCode = "0001"
	}
	return s.add(p)
}

func endOfDay(t time.Time) time.Time {
	y, m, d := t.In(backend.JST).Date()
	return time.Date(y, m, d, 23, 59, 59, 0, backend.JST)
}

func (s *Sim) add(p *Payment) (string, error) {
	s.mu.Lock()
	if _, ok := s.merchants[p.MerchantID]; !ok {
		s.mu.Unlock()
		return "", fmt.Errorf("paygentsim: no merchant %s", p.MerchantID)
	}
	s.insert(p, p.InitDate)
	s.mu.Unlock()
	s.save()
	return p.PaymentID, nil
}

// insert gives p the next payment_id and records its creation notice (caller holds mu).
func (s *Sim) insert(p *Payment, at time.Time) {
	s.nextID++
	p.PaymentID = strconv.FormatInt(s.nextID, 10)
	s.payments[p.PaymentID] = p
	s.notify(p, at)
}

// notify appends a change notice for p's current state (caller holds mu).
func (s *Sim) notify(p *Payment, at time.Time) {
	q := s.queues[p.MerchantID]
	if q == nil {
		q = &queue{NextID: 1}
		s.queues[p.MerchantID] = q
	}
	q.Notices = append(q.Notices, &Notice{ID: q.NextID, Created: s.Clock.Now(), ChangeDate: at, Payment: *p})
	q.NextID++
}

// change moves a payment to a status and records the notice (caller holds mu).
func (s *Sim) change(p *Payment, status string, at time.Time) {
	p.Status = status
	s.notify(p, at)
}

func (s *Sim) mutate(paymentID string, fn func(p *Payment, now time.Time) error) error {
	s.mu.Lock()
	p, ok := s.payments[paymentID]
	var err error
	if !ok {
		err = fmt.Errorf("paygentsim: no payment %s", paymentID)
	} else {
		s.expire(p)
		err = fn(p, s.Clock.Now())
	}
	s.mu.Unlock()
	if err == nil {
		s.save()
	}
	return err
}

// MarkPaid records the customer's payment of a deposit (10 or 43 → 40 消込済).
func (s *Sim) MarkPaid(paymentID string) error {
	return s.mutate(paymentID, func(p *Payment, now time.Time) error {
		if p.PaymentType == paygent.TypeCard || (p.Status != "10" && p.Status != "43") {
			return fmt.Errorf("paygentsim: payment %s is %s/%s, not an unpaid deposit", paymentID, p.PaymentType, p.Status)
		}
		if p.UserPaymentDate.IsZero() {
			p.UserPaymentDate = now
		}
		p.PaymentDate = now
		s.change(p, "40", now)
		return nil
	})
}

// MarkReported records a konbini 速報 (10 → 43 速報検知済): paid at the store, not yet cleared.
func (s *Sim) MarkReported(paymentID string) error {
	return s.mutate(paymentID, func(p *Payment, now time.Time) error {
		if (p.PaymentType != paygent.TypeKonbiniNumber && p.PaymentType != paygent.TypeKonbiniSlip) || p.Status != "10" {
			return fmt.Errorf("paygentsim: payment %s is not an unpaid konbini payment", paymentID)
		}
		p.UserPaymentDate = now
		s.change(p, "43", now)
		return nil
	})
}

// MarkExpired makes an unpaid deposit expire now: 12 支払期限切 (bank net: 15 申込中断).
func (s *Sim) MarkExpired(paymentID string) error {
	return s.mutate(paymentID, func(p *Payment, now time.Time) error {
		if p.PaymentType == paygent.TypeCard || p.Status != "10" {
			return fmt.Errorf("paygentsim: payment %s is not an unpaid deposit", paymentID)
		}
		s.change(p, expiredStatus(p.PaymentType), now)
		return nil
	})
}

func expiredStatus(paymentType string) string {
	if paymentType == paygent.TypeBankNet {
		return "15"
	}
	return "12"
}

// SetStatus forces a payment's status (drift tests: the console changed it), with a notice.
func (s *Sim) SetStatus(paymentID, status string) error {
	return s.mutate(paymentID, func(p *Payment, now time.Time) error {
		s.change(p, status, now)
		return nil
	})
}

// Payment returns a copy of a payment.
func (s *Sim) Payment(paymentID string) (Payment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[paymentID]
	if !ok {
		return Payment{}, false
	}
	s.expire(p)
	return *p, true
}

// PaymentsByTrading returns the merchant's payments with a trading_id, oldest first.
func (s *Sim) PaymentsByTrading(merchantID, tradingID string) []Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Payment
	for _, p := range s.byTrading(merchantID, tradingID) {
		s.expire(p)
		out = append(out, *p)
	}
	return out
}

// byTrading lists the payments of a trading_id in payment_id order (caller holds mu).
func (s *Sim) byTrading(merchantID, tradingID string) []*Payment {
	var out []*Payment
	for _, p := range s.payments {
		if p.MerchantID == merchantID && p.TradingID == tradingID {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return idLess(out[i].PaymentID, out[j].PaymentID) })
	return out
}

func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// Notices returns a copy of a merchant's notice queue.
func (s *Sim) Notices(merchantID string) []Notice {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Notice
	if q := s.queues[merchantID]; q != nil {
		for _, n := range q.Notices {
			out = append(out, *n)
		}
	}
	return out
}

// DeliverNotices plays another reader of the shared cursor (the shop's back office):
// it takes the next n undelivered notices and returns their ids.
func (s *Sim) DeliverNotices(merchantID string, n int) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int64
	q := s.queues[merchantID]
	if q == nil {
		return nil
	}
	s.purge(q)
	for _, nt := range q.Notices {
		if len(ids) == n {
			break
		}
		if !nt.Delivered && !nt.Purged {
			nt.Delivered = true
			ids = append(ids, nt.ID)
		}
	}
	return ids
}

// noticeRetention is how long Paygent keeps a notice.
const noticeRetention = 7 * 24 * time.Hour

// purge drops notices older than 7 days (caller holds mu).
func (s *Sim) purge(q *queue) {
	now := s.Clock.Now()
	for _, n := range q.Notices {
		if !n.Purged && now.Sub(n.Created) > noticeRetention {
			n.Purged = true
			if !n.Delivered {
				q.PurgedPending = true
			}
		}
	}
}

// expire applies the time rules to a payment (caller holds mu): an authorisation
// lapses after 60 days (33), a sale can no longer be cancelled 60 days after the sale
// (41), an unpaid deposit passes its deadline (12; bank net 15).
func (s *Sim) expire(p *Payment) {
	now := s.Clock.Now()
	switch {
	case p.PaymentType == paygent.TypeCard && p.Status == "20" && backend.DaysBetweenJST(p.AuthDate, now) > AuthDays:
		s.change(p, "33", p.AuthDate.AddDate(0, 0, AuthDays+1))
	case p.PaymentType == paygent.TypeCard && p.Status == "40" && backend.DaysBetweenJST(p.SalesDate, now) > SalesCancelDays:
		s.change(p, "41", p.SalesDate.AddDate(0, 0, SalesCancelDays+1))
	case p.PaymentType != paygent.TypeCard && p.Status == "10" && !p.LimitDate.IsZero() && now.After(p.LimitDate):
		s.change(p, expiredStatus(p.PaymentType), p.LimitDate)
	}
}

// The windows the simulator enforces (research §B5; the sales-cancel window depends on
// the contract at Paygent, 60 days is the common one the app also assumes).
const (
	AuthDays        = 60
	SalesCancelDays = backend.PaygentRefundLimitDays
	RefTradingDays  = 14 * 31 // ref_trading_id works for 14 months
)

type state struct {
	Merchants map[string]*Merchant
	Payments  []*Payment
	Queues    map[string]*queue
	NextID    int64
}

// Save writes the whole state as JSON.
func (s *Sim) Save(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := state{Merchants: s.merchants, Queues: s.queues, NextID: s.nextID}
	for _, p := range s.payments {
		st.Payments = append(st.Payments, p)
	}
	sort.Slice(st.Payments, func(i, j int) bool { return idLess(st.Payments[i].PaymentID, st.Payments[j].PaymentID) })
	return json.NewEncoder(w).Encode(st)
}

// Load replaces the state with one written by Save.
func (s *Sim) Load(r io.Reader) error {
	var st state
	if err := json.NewDecoder(r).Decode(&st); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.merchants, s.payments, s.queues = map[string]*Merchant{}, map[string]*Payment{}, map[string]*queue{}
	for k, v := range st.Merchants {
		s.merchants[k] = v
	}
	for k, v := range st.Queues {
		s.queues[k] = v
	}
	for _, p := range st.Payments {
		s.payments[p.PaymentID] = p
	}
	if st.NextID > s.nextID {
		s.nextID = st.NextID
	}
	return nil
}

// Batch runs fn and writes the state file once at the end instead of after every
// change (seeding many demo payments).
func (s *Sim) Batch(fn func() error) error { return s.state.Batch(fn) }

// save writes the state file after a change.
func (s *Sim) save() { s.state.Changed() }

var _ simkit.Console = (*Sim)(nil)

// ConsoleCancel releases an authorisation in Paygent's console (オーソリ取消, as 021).
func (s *Sim) ConsoleCancel(paymentID string) error {
	return s.console("cancel", paymentID, func(p *Payment, now time.Time) *answer { return s.authCancel(p, now) })
}

// ConsoleRefund cancels a sale in Paygent's console (売上取消, as 023), within the
// sales-cancel window.
func (s *Sim) ConsoleRefund(paymentID string) error {
	return s.console("refund", paymentID, func(p *Payment, now time.Time) *answer { return s.salesCancel(p, now) })
}

// ConsoleChangeAmount corrects the amount in Paygent's console (補正, as 028 on an
// authorisation and 029 on a sale): a new payment_id for amount under the same
// trading_id, the old payment cancelled. Paygent only lowers an amount.
func (s *Sim) ConsoleChangeAmount(paymentID string, amount int64) error {
	return s.console("change amount", paymentID, func(p *Payment, now time.Time) *answer {
		kind := paygent.KindCardAuthCorrect
		if p.Status == "40" {
			kind = paygent.KindCardSalesCorrect
		}
		return s.correct(p, kind, map[string]string{"payment_amount": strconv.FormatInt(amount, 10), "reduction_flag": "0"}, now)
	})
}

// console applies a console operation to a card payment under the simulator's lock.
func (s *Sim) console(op, paymentID string, fn func(p *Payment, now time.Time) *answer) error {
	s.mu.Lock()
	p, ok := s.payments[paymentID]
	var a *answer
	if ok && p.PaymentType == paygent.TypeCard {
		s.expire(p)
		a = fn(p, s.Clock.Now())
	}
	s.mu.Unlock()
	switch {
	case a == nil:
		return &simkit.ConsoleRefusal{Op: op, ID: paymentID, Reason: "no such card payment"}
	case !a.isOK():
		return &simkit.ConsoleRefusal{Op: op, ID: paymentID, Code: a.vals["response_code"]}
	}
	s.save()
	return nil
}
