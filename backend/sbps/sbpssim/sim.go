// Package sbpssim is a simulator of SB Payment Service's API型: a real HTTP server on
// 127.0.0.1 at /api/xmlapi.do speaking the same Shift_JIS XML, checking Basic
// authentication, sps_hashcode and request_date (limit_second), and enforcing SBPS's
// rules for card payments (売上 only of an authorisation and not above it, until the
// end of the 3rd month after it; 取消返金 releasing before sales and refunding after,
// until the end of the 3rd month after the sale; 部分返金 only after sales and not
// above the sale; 確定; 再与信) with SBPS's result codes. WEBコンビニ and Pay-easy
// slips answer the result inquiry and can be paid or expired by the test. It reuses
// simkit for the clock, latency, faults and the request log. Tests and the demo
// sandbox use it.
package sbpssim

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/simkit"
)

// Method codes of trades.
const (
	MethodCard    = sbps.MethodCard
	MethodWebCvs  = sbps.MethodWebCvs
	MethodPayEasy = sbps.MethodPayEasy
)

// Trade is a payment as the simulator keeps it. No card number is ever stored.
type Trade struct {
	TrackingID string
	MerchantID string
	ServiceID  string
	OrderID    string
	Method     string // 101 card, 701 WEBコンビニ, 703 Pay-easy
	// PaymentStatus: card 1 与信済, 2 売上済, 3 与信取消済, 4 返金済; deposits 1 未入金,
	// 3 入金済, 9 取消 (expired).
	PaymentStatus string
	CommitStatus  string // card: 0 not committed, 1 committed, 3 cancelled uncommitted
	Amount        int64  // authorised (card) or billed (deposits)
	Sold          int64  // captured amount
	Refunded      int64  // refunded so far (返金 and 部分返金)
	AuthDate      time.Time
	SalesDate     time.Time
	CancelDate    time.Time
	BillDate      time.Time // deposits: 支払期限 (a date; payable until its end)
	PaidDate      time.Time
	ProcessDate   time.Time
	InvoiceNo     string
	CardMasked    string
	// CardLimit > 0 makes a re-authorisation above it fail like a card over its limit.
	CardLimit int64
	// ReauthOf is the tracking_id a re-authorisation was made from.
	ReauthOf string
	Seq      int64 // creation order
}

// Merchant is one merchant_id + service_id with its secrets.
type Merchant struct {
	MerchantID    string
	ServiceID     string
	HashKey       string
	BasicID       string // "" = MerchantID+ServiceID
	BasicPassword string // "" = HashKey
	// CipherKey/CipherIV: when set, the card inquiry honours encrypted_flg=1.
	CipherKey string
	CipherIV  string
	// AutoSales: the contract captures at authorisation (売上 answers type 37).
	AutoSales bool
}

func (m *Merchant) basic() (string, string) {
	id, pass := m.BasicID, m.BasicPassword
	if id == "" {
		id = m.MerchantID + m.ServiceID
	}
	if pass == "" {
		pass = m.HashKey
	}
	return id, pass
}

// Sim is a running simulator.
type Sim struct {
	Server *simkit.Server
	Clock  *simkit.Clock

	mu        sync.Mutex
	merchants map[string]*Merchant // by merchant_id+service_id
	trades    map[string]*Trade    // by tracking_id
	seq       int64
	noPayEasy bool
	state     *simkit.StateFile // the state on disk (demo sandbox)
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
	s := &Sim{merchants: map[string]*Merchant{}, trades: map[string]*Trade{}}
	s.state = &simkit.StateFile{Path: opt.StateFile, Save: s.Save}
	if err := s.state.Load(s.Load); err != nil {
		return nil, fmt.Errorf("sbpssim: %w", err)
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

// AddMerchant registers a merchant_id + service_id and its secrets.
func (s *Sim) AddMerchant(m Merchant) {
	s.mu.Lock()
	mm := m
	s.merchants[m.MerchantID+m.ServiceID] = &mm
	s.mu.Unlock()
	s.save()
}

// SetPayEasyInquiry turns the (unconfirmed) Pay-easy result inquiry MG01-00101-703 on
// (default) or off; off, it answers like SBPS to an unknown API id (type 02).
func (s *Sim) SetPayEasyInquiry(on bool) {
	s.mu.Lock()
	s.noPayEasy = !on
	s.mu.Unlock()
}

func randomDigits(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

// newTrackingID returns an unused 14-digit tracking_id (caller holds mu).
func (s *Sim) newTrackingID() string {
	for {
		id := randomDigits(14)
		if _, ok := s.trades[id]; !ok && id != sbps.PingTrackingID {
			return id
		}
	}
}

// CardSpec describes a card payment made by the shop's checkout (与信 + 確定).
type CardSpec struct {
	MerchantID string
	ServiceID  string
	OrderID    string
	Amount     int64
	// Status: 1 与信済 (default), 2 売上済, 3 与信取消済, 4 返金済.
	Status string
	// Uncommitted leaves the authorisation without 確定 (commit_status 0).
	Uncommitted bool
	AuthDate    time.Time // default: now
	SalesDate   time.Time // for 2 and 4 (default: AuthDate)
	Sold        int64     // for 2 and 4 (default: Amount)
	Refunded    int64     // for 2: already partially refunded
	CardLimit   int64
}

// AddCardTrade creates a card payment as if the checkout had authorised (and
// committed) it, and returns its tracking_id.
func (s *Sim) AddCardTrade(c CardSpec) (string, error) {
	if c.Status == "" {
		c.Status = sbps.StatusAuthorized
	}
	if c.AuthDate.IsZero() {
		c.AuthDate = s.Clock.Now()
	}
	t := &Trade{MerchantID: c.MerchantID, ServiceID: c.ServiceID, OrderID: c.OrderID, Method: MethodCard,
		PaymentStatus: c.Status, CommitStatus: sbps.CommitDone, Amount: c.Amount, AuthDate: c.AuthDate,
		ProcessDate: c.AuthDate, CardMasked: "************1111", CardLimit: c.CardLimit, Refunded: c.Refunded}
	if c.Uncommitted {
		t.CommitStatus = sbps.CommitNone
	}
	switch c.Status {
	case sbps.StatusCaptured, sbps.StatusRefunded:
		t.SalesDate, t.Sold = c.SalesDate, c.Sold
		if t.SalesDate.IsZero() {
			t.SalesDate = c.AuthDate
		}
		if t.Sold == 0 {
			t.Sold = c.Amount
		}
		t.ProcessDate = t.SalesDate
		if c.Status == sbps.StatusRefunded {
			t.Refunded = t.Sold
		}
	case sbps.StatusVoided:
		t.CancelDate = c.AuthDate
	}
	err := s.add(t)
	return t.TrackingID, err
}

// DepositSpec describes a WEBコンビニ or Pay-easy payment slip.
type DepositSpec struct {
	MerchantID string
	ServiceID  string
	OrderID    string
	Amount     int64
	Status     string    // 1 未入金 (default), 3 入金済, 9 取消
	Issued     time.Time // default: now
	BillDate   time.Time // 支払期限 (a date); default: 7 days after issue
	PaidDate   time.Time // for 3
}

// AddWebCvsTrade creates a WEBコンビニ slip and returns its tracking_id.
func (s *Sim) AddWebCvsTrade(d DepositSpec) (string, error) { return s.addDeposit(d, MethodWebCvs) }

// AddPayEasyTrade creates a Pay-easy payment and returns its tracking_id.
func (s *Sim) AddPayEasyTrade(d DepositSpec) (string, error) { return s.addDeposit(d, MethodPayEasy) }

func (s *Sim) addDeposit(d DepositSpec, method string) (string, error) {
	if d.Status == "" {
		d.Status = sbps.DepositUnpaid
	}
	if d.Issued.IsZero() {
		d.Issued = s.Clock.Now()
	}
	if d.BillDate.IsZero() {
		d.BillDate = d.Issued.AddDate(0, 0, 7)
	}
	y, m, dd := d.BillDate.In(backend.JST).Date()
	t := &Trade{MerchantID: d.MerchantID, ServiceID: d.ServiceID, OrderID: d.OrderID, Method: method,
		PaymentStatus: d.Status, Amount: d.Amount, AuthDate: d.Issued, ProcessDate: d.Issued,
		BillDate: time.Date(y, m, dd, 0, 0, 0, 0, backend.JST), PaidDate: d.PaidDate}
	err := s.add(t)
	return t.TrackingID, err
}

func (s *Sim) add(t *Trade) error {
	s.mu.Lock()
	err := s.insert(t)
	s.mu.Unlock()
	if err == nil {
		s.save()
	}
	return err
}

// insert gives the trade a tracking_id and keeps it (caller holds mu). An order_id
// is unique per merchant and service, except for re-authorisations of it.
func (s *Sim) insert(t *Trade) error {
	if t.ReauthOf == "" && t.OrderID != "" {
		for _, o := range s.trades {
			if o.OrderID == t.OrderID && o.MerchantID == t.MerchantID && o.ServiceID == t.ServiceID {
				return fmt.Errorf("sbpssim: order %s exists", t.OrderID)
			}
		}
	}
	t.TrackingID = s.newTrackingID()
	s.seq++
	t.Seq = s.seq
	if t.Method != MethodCard {
		t.InvoiceNo = t.TrackingID
	}
	s.trades[t.TrackingID] = t
	return nil
}

// Trade returns a copy of the simulator's view of a payment by tracking_id.
func (s *Sim) Trade(trackingID string) (Trade, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.trades[trackingID]
	if !ok {
		return Trade{}, false
	}
	s.expire(t)
	return *t, true
}

// TradeByOrder returns the payment of an order_id (the latest re-authorisation when
// there are several).
func (s *Sim) TradeByOrder(orderID string) (Trade, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var best *Trade
	for _, t := range s.trades {
		if t.OrderID == orderID && (best == nil || t.Seq > best.Seq) {
			best = t
		}
	}
	if best == nil {
		return Trade{}, false
	}
	s.expire(best)
	return *best, true
}

func (s *Sim) mutate(trackingID string, fn func(t *Trade) error) error {
	s.mu.Lock()
	t, ok := s.trades[trackingID]
	var err error
	if !ok {
		err = fmt.Errorf("sbpssim: no tracking_id %s", trackingID)
	} else {
		s.expire(t)
		err = fn(t)
	}
	s.mu.Unlock()
	if err == nil {
		s.save()
	}
	return err
}

// SetStatus forces a payment's payment_status (tests of drift and reconciliation: the
// payment changed behind the app's back, e.g. in the SBPS console).
func (s *Sim) SetStatus(trackingID, status string) error {
	return s.mutate(trackingID, func(t *Trade) error {
		t.PaymentStatus, t.ProcessDate = status, s.Clock.Now()
		return nil
	})
}

// SetCommitStatus forces a card payment's commit_status.
func (s *Sim) SetCommitStatus(trackingID, status string) error {
	return s.mutate(trackingID, func(t *Trade) error {
		t.CommitStatus = status
		return nil
	})
}

// MarkPaid records the customer's payment of an unpaid slip.
func (s *Sim) MarkPaid(trackingID string) error {
	return s.mutate(trackingID, func(t *Trade) error {
		if t.Method == MethodCard || t.PaymentStatus != sbps.DepositUnpaid {
			return fmt.Errorf("sbpssim: %s is not an unpaid slip (status %s)", trackingID, t.PaymentStatus)
		}
		now := s.Clock.Now()
		t.PaymentStatus, t.PaidDate, t.ProcessDate = sbps.DepositPaid, now, now
		return nil
	})
}

// MarkExpired makes an unpaid slip expire now (as if its deadline passed unpaid).
func (s *Sim) MarkExpired(trackingID string) error {
	return s.mutate(trackingID, func(t *Trade) error {
		if t.Method == MethodCard || t.PaymentStatus != sbps.DepositUnpaid {
			return fmt.Errorf("sbpssim: %s is not an unpaid slip (status %s)", trackingID, t.PaymentStatus)
		}
		t.PaymentStatus, t.ProcessDate = sbps.DepositCancelled, s.Clock.Now()
		return nil
	})
}

// expire moves unpaid slips past the end of their deadline day to 取消 (caller holds mu).
func (s *Sim) expire(t *Trade) {
	if t.Method != MethodCard && t.PaymentStatus == sbps.DepositUnpaid && !t.BillDate.IsZero() &&
		s.Clock.Now().After(t.BillDate.Add(24*time.Hour-time.Second)) {
		t.PaymentStatus, t.ProcessDate = sbps.DepositCancelled, t.BillDate.Add(24*time.Hour)
	}
}

type state struct {
	Merchants []*Merchant
	Trades    []*Trade
	Seq       int64
}

// Save writes the whole state as JSON (secrets included: a demo file, not a vault).
func (s *Sim) Save(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := state{Seq: s.seq}
	for _, m := range s.merchants {
		st.Merchants = append(st.Merchants, m)
	}
	for _, t := range s.trades {
		st.Trades = append(st.Trades, t)
	}
	sort.Slice(st.Merchants, func(i, j int) bool {
		return st.Merchants[i].MerchantID+st.Merchants[i].ServiceID < st.Merchants[j].MerchantID+st.Merchants[j].ServiceID
	})
	sort.Slice(st.Trades, func(i, j int) bool { return st.Trades[i].TrackingID < st.Trades[j].TrackingID })
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
	s.merchants, s.trades, s.seq = map[string]*Merchant{}, map[string]*Trade{}, st.Seq
	for _, m := range st.Merchants {
		s.merchants[m.MerchantID+m.ServiceID] = m
	}
	for _, t := range st.Trades {
		s.trades[t.TrackingID] = t
	}
	return nil
}

// Batch runs fn and writes the state file once at the end instead of after every
// change (seeding many demo payments).
func (s *Sim) Batch(fn func() error) error { return s.state.Batch(fn) }

// save writes the state file after a change.
func (s *Sim) save() { s.state.Changed() }

// Count counts the requests the simulator received for an API id (the request log's
// path is the same for every API).
func (s *Sim) Count(apiID string) int {
	n := 0
	for _, e := range s.Server.Log.Entries() {
		if e.Fields["@id"] == apiID {
			n++
		}
	}
	return n
}

var _ simkit.Console = (*Sim)(nil)

// ConsoleCancel releases an authorisation in SBPS's console (与信取消), as 取消返金要求
// does before the sale.
func (s *Sim) ConsoleCancel(trackingID string) error {
	return s.console("cancel", trackingID, func(m *Merchant, t *Trade) *answer {
		if t.PaymentStatus != sbps.StatusAuthorized {
			return &answer{errCode: "payment_status=" + t.PaymentStatus} // a sale is refunded (ConsoleRefund)
		}
		return s.cancelRefund(m, map[string]string{"tracking_id": trackingID})
	})
}

// ConsoleRefund refunds a sale in full in SBPS's console (返金), as 取消返金要求 does
// after the sale (until the end of the third month after it).
func (s *Sim) ConsoleRefund(trackingID string) error {
	return s.console("refund", trackingID, func(m *Merchant, t *Trade) *answer {
		if t.PaymentStatus != sbps.StatusCaptured {
			return &answer{errCode: "payment_status=" + t.PaymentStatus}
		}
		return s.cancelRefund(m, map[string]string{"tracking_id": trackingID})
	})
}

// ConsoleChangeAmount lowers a sale to amount in SBPS's console: 部分返金 of the
// difference (a sale only; the console changes no authorisation's amount).
func (s *Sim) ConsoleChangeAmount(trackingID string, amount int64) error {
	return s.console("change amount", trackingID, func(m *Merchant, t *Trade) *answer {
		if t.PaymentStatus != sbps.StatusCaptured {
			return card("K0")
		}
		refund := t.Sold - t.Refunded - amount
		if amount <= 0 || refund <= 0 {
			return card("K1")
		}
		return s.partialRefund(m, map[string]string{"tracking_id": trackingID, "pay_option_manage/amount": strconv.FormatInt(refund, 10)})
	})
}

// console applies a console operation to a card payment under the simulator's lock.
func (s *Sim) console(op, trackingID string, fn func(m *Merchant, t *Trade) *answer) error {
	s.mu.Lock()
	t, ok := s.trades[trackingID]
	var a *answer
	if ok && t.Method == MethodCard {
		s.expire(t)
		a = fn(s.merchants[t.MerchantID+t.ServiceID], t)
	}
	s.mu.Unlock()
	switch {
	case a == nil:
		return &simkit.ConsoleRefusal{Op: op, ID: trackingID, Reason: "no such card payment"}
	case a.errCode != "":
		return &simkit.ConsoleRefusal{Op: op, ID: trackingID, Code: a.errCode}
	}
	s.save()
	return nil
}
