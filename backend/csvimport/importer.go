package csvimport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"kessaidesk/backend"
)

// Importer previews and commits order CSVs. A file is read twice and never held in
// memory: the first pass validates every row and keeps a small summary per order (its
// first and last line, a hash of its order columns, its running sums); the second
// builds each order — buffered only until its last line — and compares it with the
// database (a preview) or saves it (a commit, one transaction: all or nothing).
type Importer struct {
	Store backend.ImportStore
	Now   func() time.Time
	// Progress, when set, is called a few times a second (from a goroutine of the
	// import: one call at a time).
	Progress func(Progress)
	// MaxListed bounds the problems, conflicts and changes listed (default 1000);
	// every one is counted.
	MaxListed int

	mu   sync.Mutex
	last *checked // the last preview's first pass, for a Commit of the same file
}

// checked is a file's first pass: what a Commit of the same, unchanged file reuses
// instead of reading it all again (it only hashes it).
type checked struct {
	key   string // the file's path, the layout and the word maps
	file  FileStamp
	enc   Encoding
	plan  *plan
	sums  summaries
	index map[string]int32
	pv    Preview // the first pass's counts and lists
}

// Request is one file to import.
type Request struct {
	Path     string
	Encoding Encoding // EncodingAuto: detected
	Layout   Layout
	// Methods and Statuses add to the layout's word maps for this import (words the
	// preview listed as unknown, mapped by the operator).
	Methods  map[string]backend.PaymentMethod
	Statuses map[string]backend.OrderStatus
	// ProfileID is the gateway profile the file's gateway-id columns belong to (0: the
	// link run decides by payment method).
	ProfileID int64
	// Expect is the file as the preview read it: Commit refuses when it changed since.
	Expect *FileStamp
}

// FileStamp identifies a file's content.
type FileStamp struct {
	Size    int64     `json:"size"`
	ModTime time.Time `json:"modTime"`
	SHA256  string    `json:"sha256"`
}

// Progress is where an import stands.
type Progress struct {
	Phase string `json:"phase"` // "check" (reading, validating), "compare" (preview), "save" (commit)
	Bytes int64  `json:"bytes"` // of the file, in this phase
	Total int64  `json:"total"` // the file's size
	Rows  int    `json:"rows"`
}

// Preview is what an import would do (or, as a Result, what it did).
type Preview struct {
	File     FileStamp `json:"file"`
	Encoding Encoding  `json:"encoding"`
	Layout   string    `json:"layout"`
	Header   []string  `json:"header"` // the file's columns as the layout addresses them
	Rows     int       `json:"rows"`   // data rows read
	Orders   int       `json:"orders"` // distinct order numbers

	New         int `json:"new"`
	Updated     int `json:"updated"`
	Unchanged   int `json:"unchanged"`
	Conflicting int `json:"conflicting"` // orders with a change that is not applied
	Invalid     int `json:"invalid"`     // orders with a problem (none of them is imported)
	InvalidRows int `json:"invalidRows"` // rows with a problem

	ProblemCount int           `json:"problemCount"` // every problem; Problems lists the first MaxListed
	Problems     []Problem     `json:"problems"`
	Conflicts    []Conflict    `json:"conflicts"`
	Changes      []Change      `json:"changes"` // updated orders and what changes
	UnknownWords []UnknownWord `json:"unknownWords"`
	// Fatal: the file cannot be read past a CSV syntax error; nothing can be imported.
	Fatal bool `json:"fatal"`
}

// Result is what a commit did.
type Result = Preview

// OK reports whether the file can be committed: no problem at all.
func (p *Preview) OK() bool { return p.ProblemCount == 0 }

// Conflict is an order whose change is not applied.
type Conflict struct {
	OrderNo  string `json:"orderNo"`
	Line     int    `json:"line"`
	Reason   string `json:"reason"`
	ReasonEn string `json:"reasonEn"`
}

// Change is an updated order and what changes.
type Change struct {
	OrderNo  string   `json:"orderNo"`
	Line     int      `json:"line"`
	Fields   []string `json:"fields"`
	FieldsEn []string `json:"fieldsEn"`
}

// UnknownWord is a shop word no map knows (a payment method, a status, a line kind).
type UnknownWord struct {
	Field FieldID `json:"field"`
	Word  string  `json:"word"`
	Count int     `json:"count"` // orders that use it (rows, for a line's 明細区分)
	Line  int     `json:"line"`  // where it first occurs
}

const defaultMaxListed = 1000

// Preview reads the file and says what a commit would do; it saves nothing.
func (im *Importer) Preview(ctx context.Context, req Request) (*Preview, error) {
	return im.run(ctx, req, false, "")
}

// Commit imports the file in one transaction. It refuses, saving nothing, when any
// row has a problem (the returned Result lists them), when the file changed since
// the preview (req.Expect), or while the demo shop is present. A cancelled ctx saves
// nothing.
func (im *Importer) Commit(ctx context.Context, req Request, actor string) (*Result, error) {
	return im.run(ctx, req, true, actor)
}

// ErrDemoPresent refuses an import while the demo shop is in the database.
var ErrDemoPresent = &backend.Error{Code: backend.ECONFLICT, Class: backend.ClassPermanent,
	Message:   "デモショップのデータがあるため取り込めません。デモと実際の受注は混ぜません。設定 → デモを削除 でデモを削除してから取り込んでください",
	MessageEn: "the demo shop is present; remove it first (Settings → Remove demo): the demo never mixes with imported orders"}

func (im *Importer) now() time.Time {
	if im.Now != nil {
		return im.Now()
	}
	return time.Now()
}

func (im *Importer) maxListed() int {
	if im.MaxListed > 0 {
		return im.MaxListed
	}
	return defaultMaxListed
}

func (im *Importer) run(ctx context.Context, req Request, write bool, actor string) (*Preview, error) {
	demo, err := im.Store.DemoPresent(ctx)
	if err != nil {
		return nil, err
	}
	if demo {
		return nil, ErrDemoPresent
	}
	if err := req.Layout.Check(); err != nil {
		return nil, err
	}
	f, err := os.Open(req.Path)
	if err != nil {
		return nil, backend.Errorf(backend.ENOTFOUND, "ファイル %s を開けません", "cannot open %s", req.Path)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if req.Expect != nil && (st.Size() != req.Expect.Size || !st.ModTime().Equal(req.Expect.ModTime)) {
		return nil, errFileChanged
	}
	s := &scan{im: im, ctx: ctx, f: f, size: st.Size(), req: &req, write: write}
	key := requestKey(&req)

	c := im.cached(key, st)
	if write && c != nil {
		sum, err := hashFile(ctx, f)
		if err != nil {
			return nil, err
		}
		if sum != c.file.SHA256 {
			c = nil
		}
	}
	// The first pass notes which orders exist; a preview compares them in the same
	// snapshot.
	var read backend.ImportTx
	if !write || c == nil {
		if read, err = im.Store.BeginImport(ctx, false); err != nil {
			return nil, err
		}
		defer func() {
			if read != nil {
				read.Rollback()
			}
		}()
		enc := req.Encoding
		if enc == EncodingAuto {
			if enc, err = Detect(f); err != nil {
				return nil, err
			}
		}
		s.c = &checked{key: key, enc: enc, file: FileStamp{Size: st.Size(), ModTime: st.ModTime()}}
		s.c.pv = Preview{Encoding: enc, Layout: req.Layout.Name, File: s.c.file}
		if err := s.pass1(&s.c.pv, read); err != nil {
			return nil, err
		}
		s.c.file = s.c.pv.File
		c = s.c
		if write {
			read.Rollback() // the commit reads in its own transaction
			read = nil
		}
	}
	s.c, s.enc = c, c.enc
	if req.Expect != nil && c.file.SHA256 != req.Expect.SHA256 {
		return nil, errFileChanged
	}
	pv := c.pv
	if write && !pv.OK() {
		return &pv, problemsError(&pv)
	}
	if pv.Fatal {
		return &pv, nil
	}
	if !write {
		if err := s.preview(&pv, read); err != nil {
			return nil, err
		}
		im.remember(c)
		return &pv, nil
	}
	im.remember(nil)
	pv.New = 0 // counted again as the orders are saved
	if err := s.commit(&pv, actor); err != nil {
		return nil, err
	}
	return &pv, nil
}

// requestKey identifies what a first pass depends on besides the file's content.
func requestKey(req *Request) string {
	b, _ := json.Marshal([]any{req.Path, req.Encoding, req.Layout, req.Methods, req.Statuses})
	return string(b)
}

func (im *Importer) cached(key string, st os.FileInfo) *checked {
	im.mu.Lock()
	defer im.mu.Unlock()
	c := im.last
	if c == nil || c.key != key || c.file.Size != st.Size() || !c.file.ModTime.Equal(st.ModTime()) {
		return nil
	}
	return c
}

// Forget drops what the last preview kept for its commit (the import screen closed).
func (im *Importer) Forget() { im.remember(nil) }

func (im *Importer) remember(c *checked) {
	im.mu.Lock()
	im.last = c
	im.mu.Unlock()
}

// hashFile is the file's SHA-256, read without decoding.
func hashFile(ctx context.Context, f io.ReadSeeker) (string, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return "", cancelled(err)
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			return hex.EncodeToString(h.Sum(nil)), nil
		}
		if err != nil {
			return "", err
		}
	}
}

var errFileChanged = &backend.Error{Code: backend.ECONFLICT, Class: backend.ClassPermanent,
	Message:   "ファイルが確認（プレビュー）の後に変更されています。何も保存していません。もう一度確認してから取り込んでください",
	MessageEn: "the file changed after the preview; nothing was saved. Preview it again"}

// problemsError is the error a refused commit returns (its Result lists every problem).
func problemsError(pv *Preview) error {
	var b strings.Builder
	for i, p := range pv.Problems {
		if i == 20 {
			fmt.Fprintf(&b, "\n…ほか %d 件", pv.ProblemCount-20)
			break
		}
		b.WriteString("\n" + p.String())
	}
	return &backend.Error{Code: backend.EINVALID, Class: backend.ClassPermanent,
		Message:   fmt.Sprintf("CSVを取り込めません（問題 %d 件。何も保存していません）", pv.ProblemCount) + b.String(),
		MessageEn: fmt.Sprintf("the CSV cannot be imported (%d problems; nothing was saved)", pv.ProblemCount)}
}

// scan is one import's reading of its file.
type scan struct {
	im    *Importer
	ctx   context.Context
	f     io.ReadSeeker
	enc   Encoding
	size  int64
	req   *Request
	write bool
	c     *checked
	words map[[2]string]int // (field, word) → index in the preview's list
}

// orderSum is what the first pass keeps of an order.
type orderSum struct {
	no          string
	first, last int
	hash        uint64
	acc         acc
	method      uint8 // index in backend.PaymentMethods, +1 (0: none)
	bad         bool
	exists      bool // the database had it when the file was checked
}

func methodIndex(m backend.PaymentMethod) uint8 {
	for i, x := range backend.PaymentMethods {
		if x == m {
			return uint8(i + 1)
		}
	}
	return 0
}

func (o *orderSum) paymentMethod() backend.PaymentMethod {
	if o.method == 0 {
		return ""
	}
	return backend.PaymentMethods[o.method-1]
}

// summaries holds the orders' summaries in chunks: growing never copies them all.
type summaries struct {
	chunks [][]orderSum
	n      int
}

const sumChunk = 4096

func (s *summaries) add(o orderSum) int32 {
	if s.n%sumChunk == 0 {
		s.chunks = append(s.chunks, make([]orderSum, 0, sumChunk))
	}
	last := &s.chunks[len(s.chunks)-1]
	*last = append(*last, o)
	s.n++
	return int32(s.n - 1)
}

func (s *summaries) at(i int32) *orderSum { return &s.chunks[i/sumChunk][i%sumChunk] }

func (s *summaries) len() int { return s.n }

// open starts reading the file from its beginning, hashing what is read.
func (s *scan) open() (*Reader, hash.Hash, error) {
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, nil, err
	}
	h := sha256.New()
	rd, err := NewReader(io.TeeReader(s.f, h), s.enc)
	return rd, h, err
}

// progress reports at most ten times a second, and checks for cancellation.
type progress struct {
	s     *scan
	phase string
	last  time.Time
	rows  int
}

// recordSource is a Reader, or a readAhead of one.
type recordSource interface {
	Next() ([]string, int, error)
	Offset() int64
}

func (pr *progress) row(rd recordSource) error {
	pr.rows++
	if pr.rows%256 != 0 {
		return nil
	}
	if err := pr.s.ctx.Err(); err != nil {
		return cancelled(err)
	}
	if pr.s.im.Progress != nil && time.Since(pr.last) >= 100*time.Millisecond {
		pr.last = time.Now()
		pr.s.im.Progress(Progress{Phase: pr.phase, Bytes: rd.Offset(), Total: pr.s.size, Rows: pr.rows})
	}
	return nil
}

func (pr *progress) done(rd recordSource) {
	if pr.s.im.Progress != nil {
		pr.s.im.Progress(Progress{Phase: pr.phase, Bytes: rd.Offset(), Total: pr.s.size, Rows: pr.rows})
	}
}

func cancelled(err error) error {
	return &backend.Error{Code: backend.EINVALID, Class: backend.ClassNotSent,
		Message: "取り込みを中止しました。何も保存していません", MessageEn: "the import was cancelled; nothing was saved", Err: err}
}

func (s *scan) problem(pv *Preview, p Problem) {
	pv.ProblemCount++
	if len(pv.Problems) < s.im.maxListed() {
		pv.Problems = append(pv.Problems, p)
	}
}

func (s *scan) unknownWord(pv *Preview, line int) func(FieldID, string) {
	return func(f FieldID, w string) {
		k := [2]string{string(f), w}
		if i, ok := s.words[k]; ok {
			pv.UnknownWords[i].Count++
			return
		}
		s.words[k] = len(pv.UnknownWords)
		pv.UnknownWords = append(pv.UnknownWords, UnknownWord{Field: f, Word: w, Count: 1, Line: line})
	}
}

// pass1 validates every row and summarises every order; with a transaction, it also
// notes which orders the database has.
func (s *scan) pass1(pv *Preview, tx backend.ImportTx) error {
	s.enc = s.c.enc
	rd, h, err := s.open()
	var le *LineError
	if errors.As(err, &le) {
		s.problem(pv, Problem{Line: le.Line, Message: le.Message, MessageEn: le.MessageEn})
		pv.Fatal = true
		return nil
	}
	if err != nil {
		return err
	}
	pv.Header = ColumnNames(rd.Header())
	p, err := compile(&s.req.Layout, rd.Header(), s.req.Methods, s.req.Statuses)
	if err != nil {
		return err
	}
	c := s.c
	c.plan, c.index, s.words = p, map[string]int32{}, map[[2]string]int{}
	ahead := readAhead(rd)
	defer ahead.close()
	pr := &progress{s: s, phase: "check"}
	var r row
	var openNo string // the order whose rows are being read, and its first row's values
	openVals := make([]string, numFields)
	for {
		rec, line, err := ahead.Next()
		if err == io.EOF {
			break
		}
		pv.Rows++
		if err := pr.row(ahead); err != nil {
			return err
		}
		rowBad := false
		if errors.As(err, &le) {
			s.problem(pv, Problem{Line: le.Line, Message: le.Message, MessageEn: le.MessageEn})
			if le.Fatal {
				pv.Fatal, pv.InvalidRows = true, pv.InvalidRows+1
				break
			}
			rowBad = true
		} else if err != nil {
			return err
		}
		r.line = line
		p.extract(rec, &r)
		no := r.vals[fi(FOrderNo)]
		ps := &problems{p: p, line: line, no: no}
		if no == "" {
			ps.add(fi(FOrderNo), "注文番号（%s）が空です", "the order number (%s) is empty", p.columnLabel(fi(FOrderNo)))
		} else {
			idx, seen := c.index[no]
			rh := p.headHash(&r)
			if !seen {
				no = strings.Clone(no) // not a slice of the whole record, which it would keep
				exists := false
				if tx != nil {
					if exists, err = tx.Exists(s.ctx, no); err != nil {
						return err
					}
				}
				idx = c.sums.add(orderSum{no: no, first: line, last: line, hash: rh, exists: exists})
				c.index[no] = idx
				sum := c.sums.at(idx)
				hd, ok := p.parseHead(rec, &r, ps, s.unknownWord(pv, line))
				sum.acc.head, sum.acc.given, sum.method, sum.bad = hd.amounts, hd.given, methodIndex(hd.order.PaymentMethod), !ok
				openNo = no
				copy(openVals, r.vals)
			} else {
				sum := c.sums.at(idx)
				sum.last = line
				if rh != sum.hash {
					s.disagree(ps, sum, no == openNo, openVals, &r)
					sum.bad = true
				}
			}
			sum := c.sums.at(idx)
			ln, has, ok := p.parseLine(rec, &r, ps, s.unknownWord(pv, line))
			if has && ok {
				sum.acc.add(ln)
			}
			sum.bad = sum.bad || !ok || rowBad || len(ps.list) > 0
		}
		if rowBad || len(ps.list) > 0 {
			pv.InvalidRows++
		}
		for _, q := range ps.list {
			s.problem(pv, q)
		}
	}
	pr.done(ahead)
	pv.File.SHA256 = hex.EncodeToString(h.Sum(nil))
	pv.Orders = c.sums.len()
	if pv.Fatal {
		pv.Invalid = pv.Orders
		return nil
	}
	for i := range int32(c.sums.len()) {
		sum := c.sums.at(i)
		if !sum.bad {
			ps := &problems{p: p, line: sum.first, no: sum.no}
			if _, ok := p.resolve(&sum.acc, sum.paymentMethod(), ps); !ok {
				sum.bad = true
				for _, q := range ps.list {
					s.problem(pv, q)
				}
			}
		}
		switch {
		case sum.bad:
			pv.Invalid++
		case !sum.exists:
			pv.New++
		}
	}
	sort.SliceStable(pv.Problems, func(i, j int) bool { return pv.Problems[i].Line < pv.Problems[j].Line })
	return nil
}

// headHash hashes the order's own values (FNV-1a): every row of an order repeats them.
func (p *plan) headHash(r *row) uint64 {
	h := uint64(14695981039346656037)
	for _, f := range p.headFields {
		s := r.vals[f]
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * 1099511628211
		}
		h = (h ^ 0xff) * 1099511628211 // a separator no UTF-8 text contains
	}
	return h
}

// disagree reports a row whose order columns differ from the order's first row,
// naming the columns when that row is at hand (rows of one order are usually together).
func (s *scan) disagree(ps *problems, sum *orderSum, open bool, first []string, r *row) {
	p := s.c.plan
	var cols []string
	if open {
		for _, f := range p.headFields {
			if first[f] != r.vals[f] {
				cols = append(cols, p.columnLabel(f))
			}
		}
	}
	what, whatEn := "", ""
	if len(cols) > 0 {
		what, whatEn = "（"+strings.Join(cols, "、")+"）", " ("+strings.Join(cols, ", ")+")"
	}
	ps.add(-1, "注文番号 %[1]s の注文の内容%[2]sが %[3]d行目 と異なります。同じ注文の行は同じ内容でなければ取り込めません",
		"order %[1]s differs from line %[3]d%[4]s: the rows of one order must agree", sum.no, what, sum.first, whatEn)
}

// pass2 re-reads the file and hands each valid order to each, once its last row is
// read (only orders whose rows are still to come are held in memory). The file must
// read exactly as in the first pass.
func (s *scan) pass2(pv *Preview, phase string, want func(*orderSum) bool, each func(*incoming, *orderSum) error) error {
	rd, h, err := s.open()
	if err != nil {
		return err
	}
	p, c := s.c.plan, s.c
	pr := &progress{s: s, phase: phase}
	open := map[int32]*builder{}
	var r row
	ignore := func(FieldID, string) {}
	for {
		rec, line, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err := pr.row(rd); err != nil {
			return err
		}
		var le *LineError
		if errors.As(err, &le) && !le.Fatal {
			continue // an undecodable row: its order was refused by the first pass
		}
		if err != nil {
			return errChangedDuring
		}
		r.line = line
		p.extract(rec, &r)
		idx, ok := c.index[r.vals[fi(FOrderNo)]]
		if !ok {
			continue // an empty order number, reported by the first pass
		}
		sum := c.sums.at(idx)
		if sum.bad || !want(sum) {
			continue
		}
		ps := &problems{p: p, line: line}
		b := open[idx]
		if b == nil {
			hd, ok := p.parseHead(rec, &r, ps, ignore)
			if !ok {
				return errChangedDuring
			}
			b = &builder{head: hd, line: sum.first}
			open[idx] = b
		}
		ln, has, ok := p.parseLine(rec, &r, ps, ignore)
		if !ok {
			return errChangedDuring
		}
		if has {
			b.add(ln)
		}
		if line != sum.last {
			continue
		}
		delete(open, idx)
		in, ok := b.finish(p)
		if !ok {
			return errChangedDuring
		}
		if err := each(in, sum); err != nil {
			return err
		}
	}
	pr.done(rd)
	if len(open) > 0 || hex.EncodeToString(h.Sum(nil)) != c.file.SHA256 {
		return errChangedDuring
	}
	return nil
}

// pass2Piped is pass2 with the reading on another goroutine: the file is decoded and
// parsed while the database works on the orders before (SQLite writes on one
// connection; the two overlap on two cores). each runs on the calling goroutine.
func (s *scan) pass2Piped(pv *Preview, phase string, want func(*orderSum) bool, each func(*incoming, *orderSum) error) error {
	type item struct {
		in  *incoming
		sum *orderSum
	}
	const batch = 64
	ch := make(chan []item, 4)
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(ch)
		b := make([]item, 0, batch)
		send := func() bool {
			select {
			case ch <- b:
				b = make([]item, 0, batch)
				return true
			case <-stop:
				return false
			}
		}
		readErr = s.pass2(pv, phase, want, func(in *incoming, o *orderSum) error {
			if b = append(b, item{in, o}); len(b) == batch && !send() {
				return errStopped
			}
			return nil
		})
		if readErr == nil && len(b) > 0 {
			send()
		}
	}()
	var err error
	for b := range ch {
		for _, it := range b {
			if err != nil {
				break
			}
			if err = each(it.in, it.sum); err != nil {
				close(stop) // the reader stops at its next order; ch is drained below
			}
		}
	}
	if err != nil {
		return err
	}
	return readErr
}

var errStopped = errors.New("csvimport: stopped")

// readAhead decodes and splits the file's records on another goroutine, a batch
// ahead of the one that checks them.
func readAhead(rd *Reader) *aheadReader {
	a := &aheadReader{ch: make(chan []record, 8), stop: make(chan struct{})}
	go func() {
		defer close(a.ch)
		b := make([]record, 0, 256)
		for {
			rec, line, err := rd.Next()
			b = append(b, record{rec, line, err, rd.Offset()})
			var le *LineError
			last := err != nil && !(errors.As(err, &le) && !le.Fatal)
			if len(b) == cap(b) || last {
				select {
				case a.ch <- b:
				case <-a.stop:
					return
				}
				if last {
					return
				}
				b = make([]record, 0, 256)
			}
		}
	}()
	return a
}

type record struct {
	rec  []string
	line int
	err  error
	off  int64
}

type aheadReader struct {
	ch   chan []record
	stop chan struct{}
	buf  []record
	i    int
	off  int64
}

func (a *aheadReader) Next() ([]string, int, error) {
	if a.i == len(a.buf) {
		b, ok := <-a.ch
		if !ok {
			return nil, 0, io.EOF
		}
		a.buf, a.i = b, 0
	}
	r := a.buf[a.i]
	a.i++
	a.off = r.off
	return r.rec, r.line, r.err
}

func (a *aheadReader) Offset() int64 { return a.off }

// close stops the reading goroutine and waits for it.
func (a *aheadReader) close() {
	close(a.stop)
	for range a.ch {
	}
}

var errChangedDuring = &backend.Error{Code: backend.ECONFLICT, Class: backend.ClassPermanent,
	Message:   "ファイルが取り込みの途中で変更されました。何も保存していません",
	MessageEn: "the file changed during the import; nothing was saved"}

// preview compares the orders the database has with the file (new ones need no
// second reading), in the first pass's snapshot.
func (s *scan) preview(pv *Preview, tx backend.ImportTx) error {
	existing := false
	for i := range int32(s.c.sums.len()) {
		o := s.c.sums.at(i)
		existing = existing || !o.bad && o.exists
	}
	if !existing {
		return nil
	}
	now := s.im.now()
	return s.pass2Piped(pv, "compare", func(o *orderSum) bool { return o.exists }, func(in *incoming, o *orderSum) error {
		return s.apply(tx, pv, in, true, now, "", s.req.Layout.Label)
	})
}

// commit saves every valid order in one transaction: all, or (on any error or a
// cancel) none.
func (s *scan) commit(pv *Preview, actor string) (err error) {
	tx, err := s.im.Store.BeginImport(s.ctx, true)
	if err != nil {
		if s.ctx.Err() != nil {
			return cancelled(s.ctx.Err())
		}
		return err
	}
	committed := false
	defer func() {
		if !committed {
			tx.Rollback()
		}
		if err != nil && s.ctx.Err() != nil {
			err = cancelled(s.ctx.Err())
		}
	}()
	now := s.im.now()
	all := func(*orderSum) bool { return true }
	err = s.pass2Piped(pv, "save", all, func(in *incoming, o *orderSum) error {
		return s.apply(tx, pv, in, o.exists, now, actor, s.req.Layout.Label)
	})
	if err != nil {
		return err
	}
	if err := s.ctx.Err(); err != nil {
		return cancelled(err)
	}
	committed = true
	return tx.Commit()
}

// apply merges one order with the database, counts it, and saves it on a commit.
// An order the database did not have when the file was checked is not looked up
// again: were it saved meanwhile, its insert fails on the order number and nothing
// is saved.
func (s *scan) apply(tx backend.ImportTx, pv *Preview, in *incoming, existed bool, now time.Time, actor, label string) error {
	var t *backend.ImportTarget
	if existed {
		var err error
		if t, err = tx.Target(s.ctx, in.order.OrderNo); err != nil {
			return err
		}
	}
	m := merge(t, in, s.c.plan, now)
	max := s.im.maxListed()
	switch m.outcome {
	case outNew:
		pv.New++
	case outUpdated:
		pv.Updated++
		if len(pv.Changes) < max {
			pv.Changes = append(pv.Changes, Change{OrderNo: in.order.OrderNo, Line: in.line, Fields: m.changed, FieldsEn: m.changedEn})
		}
	case outUnchanged:
		pv.Unchanged++
	case outConflict:
		pv.Conflicting++
		if len(pv.Conflicts) < max {
			pv.Conflicts = append(pv.Conflicts, Conflict{OrderNo: in.order.OrderNo, Line: in.line, Reason: m.conflict, ReasonEn: m.conflictEn})
		}
	}
	if !s.write {
		return nil
	}
	save := backend.ImportSave{At: now, Actor: actor, Hint: in.hint, HintProfileID: s.req.ProfileID}
	if m.outcome == outConflict {
		save.Event = "取込（" + label + "）: " + m.conflict
		save.EventEn = "Import (" + label + "): " + m.conflictEn
		if len(m.changed) > 0 {
			save.Event += "。反映した変更: " + strings.Join(m.changed, "、")
			save.EventEn += ". Changes applied: " + strings.Join(m.changedEn, ", ")
		}
	} else if m.outcome == outUpdated {
		save.Event = "取込（" + label + "）: " + strings.Join(m.changed, "、")
		save.EventEn = "Import (" + label + "): " + strings.Join(m.changedEn, ", ")
	}
	switch {
	case m.save != nil:
		return tx.Save(s.ctx, m.save, save)
	case m.outcome == outConflict && t != nil:
		return tx.Note(s.ctx, t.Order.ID, save)
	}
	return nil
}
