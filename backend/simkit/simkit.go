// Package simkit is the plumbing shared by the gateway simulators (GMO-PG, SBPS,
// Paygent): a real HTTP(S) server on 127.0.0.1, an injectable clock, latency, fault
// injection before or after the business logic, and a log of every request so tests
// can count duplicates. A simulator supplies only its protocol: a Handle function.
package simkit

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"math/rand"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Clock is the simulator's clock: real time, or a time a test sets and advances.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
	fixed  time.Time
}

// NewClock returns a clock fixed at t, or the real clock when t is zero.
func NewClock(t time.Time) *Clock { return &Clock{fixed: t} }

// Now is the simulator's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fixed.IsZero() {
		return c.fixed
	}
	return time.Now().Add(c.offset)
}

// Set fixes the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.fixed = t
	c.mu.Unlock()
}

// Advance moves the clock forward (a fixed clock stays fixed, at the later time).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	if c.fixed.IsZero() {
		c.offset += d
	} else {
		c.fixed = c.fixed.Add(d)
	}
	c.mu.Unlock()
}

// FaultKind is what goes wrong.
type FaultKind string

const (
	FaultNone       FaultKind = ""
	FaultTimeout    FaultKind = "timeout"     // no answer: the connection is held until the client gives up
	Fault500        FaultKind = "http500"     // HTTP 500 with an HTML body
	Fault503        FaultKind = "http503"     // HTTP 503 (maintenance)
	FaultTruncate   FaultKind = "truncate"    // the real answer cut in half
	FaultGarble     FaultKind = "garble"      // bytes that are not valid in the protocol's encoding
	FaultWrongField FaultKind = "wrong_field" // a well-formed answer with an unexpected field name
	FaultReset      FaultKind = "reset"       // the connection is closed without an answer
)

// Fault is a fault and when it strikes: Before the business logic (the request is
// lost; nothing happened) or After it (the money moved, but the client cannot know).
type Fault struct {
	Kind  FaultKind
	After bool
}

// FaultPlan decides, per request, whether to inject a fault: scripted ones first
// ("the next 2 requests to AlterTran"), then at random with a seeded generator.
type FaultPlan struct {
	mu       sync.Mutex
	scripted []scripted
	rate     float64
	choices  []Fault
	rng      *rand.Rand
	paths    map[string]bool // random faults only on these paths (nil = all)
}

type scripted struct {
	path  string
	left  int
	fault Fault
}

// Next injects f into the next n requests whose path contains path ("" = any).
func (p *FaultPlan) Next(path string, n int, f Fault) {
	p.mu.Lock()
	p.scripted = append(p.scripted, scripted{path: path, left: n, fault: f})
	p.mu.Unlock()
}

// Random injects one of faults (chosen evenly) into a share rate of requests, on the
// given paths only when paths is not empty.
func (p *FaultPlan) Random(rate float64, seed int64, faults []Fault, paths ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rate, p.choices, p.rng = rate, faults, rand.New(rand.NewSource(seed))
	p.paths = nil
	if len(paths) > 0 {
		p.paths = map[string]bool{}
		for _, s := range paths {
			p.paths[s] = true
		}
	}
}

// Clear removes every fault.
func (p *FaultPlan) Clear() {
	p.mu.Lock()
	p.scripted, p.rate, p.choices = nil, 0, nil
	p.mu.Unlock()
}

func (p *FaultPlan) pick(path string) Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.scripted {
		s := &p.scripted[i]
		if s.left > 0 && (s.path == "" || bytes.Contains([]byte(path), []byte(s.path))) {
			s.left--
			return s.fault
		}
	}
	if p.rate > 0 && len(p.choices) > 0 && (p.paths == nil || p.paths[path]) && p.rng.Float64() < p.rate {
		return p.choices[p.rng.Intn(len(p.choices))]
	}
	return Fault{}
}

// Entry is one request as the simulator saw it.
type Entry struct {
	Seq     int
	At      time.Time
	Path    string
	Fields  map[string]string // the request's fields, secrets masked by the simulator
	Applied string            // the mutation the business logic applied ("SALES", "VOID"…), "" for none
	TxID    string            // the transaction it applied to
	Fault   Fault
}

// Log records every request.
type Log struct {
	mu      sync.Mutex
	entries []Entry
}

func (l *Log) add(e Entry) {
	l.mu.Lock()
	e.Seq = len(l.entries) + 1
	l.entries = append(l.entries, e)
	l.mu.Unlock()
}

// Entries returns a copy of the log.
func (l *Log) Entries() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Entry(nil), l.entries...)
}

// Reset empties the log.
func (l *Log) Reset() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}

// CountApplied counts the mutations of one kind applied to each transaction.
func (l *Log) CountApplied(mutation string) map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int{}
	for _, e := range l.entries {
		if e.Applied == mutation {
			out[e.TxID]++
		}
	}
	return out
}

// Duplicates lists the transactions to which a mutation was applied more than once.
func (l *Log) Duplicates(mutation string) []string {
	var out []string
	for tx, n := range l.CountApplied(mutation) {
		if n > 1 {
			out = append(out, tx)
		}
	}
	return out
}

// Request is what a protocol handler receives.
type Request struct {
	HTTP *http.Request
	Body []byte
}

// Response is what a protocol handler answers, and what it did.
type Response struct {
	Status      int
	ContentType string
	Body        []byte
	Fields      map[string]string // for the log (masked)
	Applied     string
	TxID        string
	// WrongField is the answer with one field renamed, for FaultWrongField; nil = a
	// generic mangling of the body.
	WrongField []byte
}

// Handle is a simulator's protocol: it parses, applies the rules and answers.
type Handle func(req *Request) *Response

// Server is a simulator's HTTP(S) server on 127.0.0.1.
type Server struct {
	URL    string
	Clock  *Clock
	Faults *FaultPlan
	Log    *Log

	mu      sync.Mutex
	latency time.Duration
	handle  Handle
	ln      net.Listener
	srv     *http.Server
	// Serialize makes the simulator apply one request at a time, like a gateway's own
	// transaction lock (default on).
	serialize sync.Mutex
}

// Options configure a Server.
type Options struct {
	Clock *Clock      // nil = real time
	TLS   *tls.Config // nil = plain HTTP; set for HTTPS (e.g. client certificates)
	Addr  string      // "" = 127.0.0.1:0
}

// Start serves handle on 127.0.0.1.
func Start(handle Handle, opt Options) (*Server, error) {
	addr := opt.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	clock := opt.Clock
	if clock == nil {
		clock = NewClock(time.Time{})
	}
	s := &Server{Clock: clock, Faults: &FaultPlan{}, Log: &Log{}, handle: handle, ln: ln}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	scheme := "http"
	if opt.TLS != nil {
		scheme = "https"
		s.srv.TLSConfig = opt.TLS
		go s.srv.ServeTLS(ln, "", "")
	} else {
		go s.srv.Serve(ln)
	}
	s.URL = scheme + "://" + ln.Addr().String()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		return s.srv.Close()
	}
	return nil
}

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	s.mu.Lock()
	lat := s.latency
	s.mu.Unlock()
	if lat > 0 {
		select {
		case <-time.After(lat):
		case <-r.Context().Done():
			return
		}
	}
	fault := s.Faults.pick(r.URL.Path)
	entry := Entry{At: s.Clock.Now(), Path: r.URL.Path, Fault: fault}
	if fault.Kind != FaultNone && !fault.After {
		s.Log.add(entry)
		s.misbehave(w, r, fault, nil)
		return
	}
	s.serialize.Lock()
	resp := s.handle(&Request{HTTP: r, Body: body})
	s.serialize.Unlock()
	entry.Fields, entry.Applied, entry.TxID = resp.Fields, resp.Applied, resp.TxID
	s.Log.add(entry)
	if fault.Kind != FaultNone {
		s.misbehave(w, r, fault, resp)
		return
	}
	if resp.ContentType != "" {
		w.Header().Set("Content-Type", resp.ContentType)
	}
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	w.Write(resp.Body)
}

// misbehave answers with a fault; resp is the real answer (nil before the logic ran).
func (s *Server) misbehave(w http.ResponseWriter, r *http.Request, f Fault, resp *Response) {
	real := []byte("x=1")
	ct := "text/plain"
	if resp != nil {
		real, ct = resp.Body, resp.ContentType
	}
	switch f.Kind {
	case FaultTimeout:
		// Hold the connection until the client gives up (or two minutes pass), then drop it.
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Minute):
		}
		hijackClose(w)
	case FaultReset:
		hijackClose(w)
	case Fault500:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte("<html><body><h1>500 Internal Server Error</h1></body></html>"))
	case Fault503:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("<html><body><h1>503 Service Unavailable (メンテナンス中)</h1></body></html>"))
	case FaultTruncate:
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(http.StatusOK)
		w.Write(real[:len(real)/2])
	case FaultGarble:
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(http.StatusOK)
		// 0x82 0xFF and a lone 0x81 are not valid Shift_JIS; 0xFF 0xFE is not valid UTF-8.
		garbled := append([]byte{0x82, 0xff, 0xff, 0xfe, 0x81}, real[len(real)/3:]...)
		w.Write(garbled)
	case FaultWrongField:
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(http.StatusOK)
		if resp != nil && resp.WrongField != nil {
			w.Write(resp.WrongField)
		} else {
			w.Write(append([]byte("Unexpected"), real...))
		}
	}
}

func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0) // a reset, not a polite close
			}
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// Count counts the requests to paths ending in suffix (e.g. "AlterTran.idPass").
func (l *Log) Count(suffix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.entries {
		if strings.HasSuffix(e.Path, suffix) {
			n++
		}
	}
	return n
}
