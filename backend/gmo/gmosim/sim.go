// Package gmosim is a simulator of GMO-PG's マルチペイメント protocol type: a real HTTP
// server on 127.0.0.1 with the same endpoints, fields, Shift_JIS encoding, answers
// and error codes, enforcing the gateway's rules (the transaction state machine, VOID
// on the day of the authorisation only, RETURN in the month of the sale, RETURNX
// later, the 90-day authorisation and 180-day change/cancel windows, amount limits,
// shop authentication). Tests, the bulk benchmarks and the demo sandbox use it.
package gmosim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/simkit"
)

// Trade is a transaction as the simulator keeps it. No card number is ever stored.
type Trade struct {
	OrderID     string
	AccessID    string
	AccessPass  string
	ShopID      string
	PayType     string // "0" card, "3" konbini, "4" Pay-easy
	Status      string
	JobCd       string
	Amount      int64
	Tax         int64
	Method      string
	PayTimes    string
	CardMasked  string
	AuthDate    time.Time // the current authorisation (VOID day, 90/180-day windows)
	SalesDate   time.Time // the capture (RETURN month vs RETURNX)
	ProcessDate time.Time
	TranDate    time.Time
	PaymentTerm time.Time // konbini / Pay-easy deadline
	FinishDate  time.Time // deposit confirmed
	Convenience string
	ConfNo      string
	ReceiptNo   string
	CustID      string
	BkCode      string
	// CardLimit > 0 makes any (re-)authorisation above it fail like a card over its
	// limit (42G030000) — a test hook for declines on ChangeTran and re-auth.
	CardLimit int64
}

// Sim is a running simulator.
type Sim struct {
	Server *simkit.Server
	Clock  *simkit.Clock

	mu       sync.Mutex
	shops    map[string]string // ShopID → ShopPass
	trades   map[string]*Trade // by OrderID
	byAccess map[string]*Trade
	state    *simkit.StateFile // the state on disk (demo sandbox)
}

// Options configure a simulator.
type Options struct {
	Clock *simkit.Clock // nil = real time
	Addr  string        // "" = 127.0.0.1:0
	// StateFile: load the state from this file if it exists, and save it after every
	// change (the demo sandbox survives a restart).
	StateFile string
}

// Start runs a simulator on 127.0.0.1.
func Start(opt Options) (*Sim, error) {
	s := &Sim{shops: map[string]string{}, trades: map[string]*Trade{}, byAccess: map[string]*Trade{}}
	s.state = &simkit.StateFile{Path: opt.StateFile, Save: s.Save}
	if err := s.state.Load(s.Load); err != nil {
		return nil, fmt.Errorf("gmosim: %w", err)
	}
	srv, err := simkit.Start(s.handle, simkit.Options{Clock: opt.Clock, Addr: opt.Addr})
	if err != nil {
		return nil, err
	}
	s.Server, s.Clock = srv, srv.Clock
	return s, nil
}

// URL is the simulator's base URL (the client's host).
func (s *Sim) URL() string { return s.Server.URL }

// Close stops the simulator.
func (s *Sim) Close() error { return s.Server.Close() }

// AddShop registers a shop and its password.
func (s *Sim) AddShop(shopID, shopPass string) {
	s.mu.Lock()
	s.shops[shopID] = shopPass
	s.mu.Unlock()
	s.save()
}

func randomHex(n int) string {
	b := make([]byte, n/2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// CardSpec describes a card transaction made by the shop's checkout.
type CardSpec struct {
	ShopID    string
	OrderID   string
	Amount    int64
	Tax       int64     // 税送料, apart from Amount
	Status    string    // AUTH (default), CAPTURE, SALES, VOID, RETURN, RETURNX, CHECK, UNPROCESSED
	AuthDate  time.Time // default: now
	SalesDate time.Time // for SALES/CAPTURE/RETURN/RETURNX
	CardLimit int64
}

// AddCardTrade creates a card transaction as if the checkout had run EntryTran and
// ExecTran, and returns its AccessID and AccessPass.
func (s *Sim) AddCardTrade(c CardSpec) (accessID, accessPass string, err error) {
	if c.Status == "" {
		c.Status = "AUTH"
	}
	if c.AuthDate.IsZero() {
		c.AuthDate = s.Clock.Now()
	}
	t := &Trade{OrderID: c.OrderID, ShopID: c.ShopID, PayType: "0", Status: c.Status, JobCd: c.Status, Amount: c.Amount, Tax: c.Tax,
		Method: "1", CardMasked: "************1111", AuthDate: c.AuthDate, SalesDate: c.SalesDate,
		ProcessDate: c.AuthDate, TranDate: c.AuthDate, CardLimit: c.CardLimit}
	if !c.SalesDate.IsZero() {
		t.ProcessDate, t.TranDate = c.SalesDate, c.SalesDate
	}
	if err := s.add(t); err != nil {
		return "", "", err
	}
	return t.AccessID, t.AccessPass, nil
}

// DepositSpec describes a konbini or Pay-easy payment slip.
type DepositSpec struct {
	ShopID      string
	OrderID     string
	Amount      int64
	Status      string    // REQSUCCESS (default), PAYSUCCESS, EXPIRED, CANCEL
	Issued      time.Time // default: now
	PaymentTerm time.Time // default: 7 days after issue, 23:59:59 JST
	FinishDate  time.Time // for PAYSUCCESS
	Convenience string    // konbini code (default 10001 Lawson)
}

// AddCvsTrade creates a konbini payment slip (EntryTranCvs + ExecTranCvs).
func (s *Sim) AddCvsTrade(d DepositSpec) (accessID, accessPass string, err error) {
	return s.addDeposit(d, "3")
}

// AddPayEasyTrade creates a Pay-easy payment (ATM or net bank).
func (s *Sim) AddPayEasyTrade(d DepositSpec) (accessID, accessPass string, err error) {
	return s.addDeposit(d, "4")
}

func (s *Sim) addDeposit(d DepositSpec, payType string) (string, string, error) {
	if d.Status == "" {
		d.Status = "REQSUCCESS"
	}
	if d.Issued.IsZero() {
		d.Issued = s.Clock.Now()
	}
	if d.PaymentTerm.IsZero() {
		d.PaymentTerm = endOfDay(d.Issued.AddDate(0, 0, 7))
	}
	t := &Trade{OrderID: d.OrderID, ShopID: d.ShopID, PayType: payType, Status: d.Status, Amount: d.Amount,
		ProcessDate: d.Issued, TranDate: d.Issued, PaymentTerm: d.PaymentTerm, FinishDate: d.FinishDate}
	if payType == "3" {
		t.Convenience = d.Convenience
		if t.Convenience == "" {
			t.Convenience = "10001"
		}
		t.ConfNo, t.ReceiptNo = randomDigits(4), randomDigits(11)
	} else {
		t.CustID, t.BkCode, t.ConfNo = "KD"+randomDigits(9), "58021", randomDigits(8)
	}
	if err := s.add(t); err != nil {
		return "", "", err
	}
	return t.AccessID, t.AccessPass, nil
}

func randomDigits(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

func endOfDay(t time.Time) time.Time {
	y, m, d := t.In(backend.JST).Date()
	return time.Date(y, m, d, 23, 59, 59, 0, backend.JST)
}

func (s *Sim) add(t *Trade) error {
	s.mu.Lock()
	if _, ok := s.trades[t.OrderID]; ok {
		s.mu.Unlock()
		return fmt.Errorf("gmosim: order %s exists", t.OrderID)
	}
	t.AccessID, t.AccessPass = randomHex(32), randomHex(32)
	s.trades[t.OrderID] = t
	s.byAccess[t.AccessID] = t
	s.mu.Unlock()
	s.save()
	return nil
}

// Trade returns a copy of the simulator's view of a transaction.
func (s *Sim) Trade(orderID string) (Trade, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.trades[orderID]
	if !ok {
		return Trade{}, false
	}
	s.expire(t)
	return *t, true
}

// SetStatus forces a transaction's status (tests of drift and reconciliation: the
// gateway changed behind the app's back, e.g. in the shop console).
func (s *Sim) SetStatus(orderID, status string) error {
	s.mu.Lock()
	t, ok := s.trades[orderID]
	if ok {
		t.Status, t.JobCd, t.ProcessDate = status, status, s.Clock.Now()
	}
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("gmosim: no order %s", orderID)
	}
	s.save()
	return nil
}

// MarkPaid records the customer's payment of a konbini / Pay-easy slip.
func (s *Sim) MarkPaid(orderID string) error {
	s.mu.Lock()
	t, ok := s.trades[orderID]
	if ok && t.Status != "REQSUCCESS" {
		s.mu.Unlock()
		return fmt.Errorf("gmosim: order %s is %s, not REQSUCCESS", orderID, t.Status)
	}
	if ok {
		now := s.Clock.Now()
		t.Status, t.FinishDate, t.ProcessDate = "PAYSUCCESS", now, now
	}
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("gmosim: no order %s", orderID)
	}
	s.save()
	return nil
}

// MarkExpired makes a slip expire now (as if its deadline passed unpaid).
func (s *Sim) MarkExpired(orderID string) error {
	s.mu.Lock()
	t, ok := s.trades[orderID]
	if ok {
		t.Status, t.ProcessDate = "EXPIRED", s.Clock.Now()
	}
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("gmosim: no order %s", orderID)
	}
	s.save()
	return nil
}

// expire moves unpaid slips past their deadline to EXPIRED (caller holds mu).
func (s *Sim) expire(t *Trade) {
	if t.Status == "REQSUCCESS" && !t.PaymentTerm.IsZero() && s.Clock.Now().After(t.PaymentTerm) {
		t.Status, t.ProcessDate = "EXPIRED", t.PaymentTerm
	}
}

type state struct {
	Shops  map[string]string
	Trades []*Trade
}

// Save writes the whole state as JSON.
func (s *Sim) Save(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := state{Shops: s.shops}
	for _, t := range s.trades {
		st.Trades = append(st.Trades, t)
	}
	sort.Slice(st.Trades, func(i, j int) bool { return st.Trades[i].OrderID < st.Trades[j].OrderID })
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
	s.shops, s.trades, s.byAccess = map[string]string{}, map[string]*Trade{}, map[string]*Trade{}
	for k, v := range st.Shops {
		s.shops[k] = v
	}
	for _, t := range st.Trades {
		s.trades[t.OrderID] = t
		s.byAccess[t.AccessID] = t
	}
	return nil
}

// Batch runs fn and writes the state file once at the end instead of after every
// change (seeding many demo payments).
func (s *Sim) Batch(fn func() error) error { return s.state.Batch(fn) }

// save writes the state file after a change.
func (s *Sim) save() { s.state.Changed() }

var _ simkit.Console = (*Sim)(nil)

// ConsoleCancel cancels an authorisation in the shop console (取消) by the rules
// AlterTran CANCEL follows: VOID on the day of its latest processing, RETURN later.
func (s *Sim) ConsoleCancel(orderID string) error {
	return s.console("cancel", orderID, func(t *Trade) *answer {
		if t.Status != "AUTH" && t.Status != "SAUTH" {
			return failed("E01", "E01050004") // a sale is returned (ConsoleRefund)
		}
		return s.alterTran(consoleFields(t, "JobCd", "CANCEL"))
	})
}

// ConsoleRefund returns a sale in the shop console (取消 of a sale): VOID on the day
// of its latest processing, RETURN in the same month, RETURNX later.
func (s *Sim) ConsoleRefund(orderID string) error {
	return s.console("refund", orderID, func(t *Trade) *answer {
		if t.Status != "SALES" && t.Status != "CAPTURE" {
			return failed("E01", "E01050004")
		}
		return s.alterTran(consoleFields(t, "JobCd", "CANCEL"))
	})
}

// ConsoleChangeAmount changes the amount in the shop console (金額変更) as ChangeTran
// does: a new authorisation of amount with the same Tax, in the same state (a sale
// stays a sale), its processing and authorisation dates moved to now.
func (s *Sim) ConsoleChangeAmount(orderID string, amount int64) error {
	return s.console("change amount", orderID, func(t *Trade) *answer {
		job := t.Status
		if job == "SALES" {
			job = "CAPTURE"
		}
		return s.changeTran(consoleFields(t, "JobCd", job, "Amount", strconv.FormatInt(amount, 10), "Tax", strconv.FormatInt(t.Tax, 10)))
	})
}

// consoleFields are the fields of an operation on t as the console sends them.
func consoleFields(t *Trade, kv ...string) map[string]string {
	f := map[string]string{"ShopID": t.ShopID, "AccessID": t.AccessID, "AccessPass": t.AccessPass}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	return f
}

// console applies a console operation under the simulator's lock.
func (s *Sim) console(op, orderID string, fn func(t *Trade) *answer) error {
	s.mu.Lock()
	t, ok := s.trades[orderID]
	var a *answer
	if ok {
		s.expire(t)
		a = fn(t)
	}
	s.mu.Unlock()
	switch {
	case !ok:
		return &simkit.ConsoleRefusal{Op: op, ID: orderID, Code: "E01110002", Reason: "no such transaction"}
	case len(a.errs) > 0:
		return &simkit.ConsoleRefusal{Op: op, ID: orderID, Code: a.errs[0].Info}
	}
	s.save()
	return nil
}
