package csvimport

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/transform"

	"kessaidesk/backend"
)

// Encoding is a CSV file's character encoding.
type Encoding string

const (
	EncodingAuto  Encoding = ""      // detect from the file
	EncodingUTF8  Encoding = "utf-8" // with or without BOM
	EncodingCP932 Encoding = "cp932" // Shift_JIS as Windows writes it (SJIS-win, Windows-31J)
)

// Label names the encoding as Windows users know it.
func (e Encoding) Label() string {
	switch e {
	case EncodingUTF8:
		return "UTF-8"
	case EncodingCP932:
		return "Shift_JIS (CP932)"
	}
	return "自動判別"
}

// detectWindow is how much of a file decides its encoding.
const detectWindow = 1 << 20

// Detect reads the head of a file: a UTF-8 BOM or valid UTF-8 is UTF-8, anything else
// is CP932 (the back offices' default). A file that changes encoding after the head is
// caught line by line when it is read (a decoding problem on that line).
func Detect(r io.Reader) (Encoding, error) {
	head := make([]byte, detectWindow)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", err
	}
	head = head[:n]
	if bytes.HasPrefix(head, utf8BOM) {
		return EncodingUTF8, nil
	}
	// The window may end inside a character: drop up to three trailing bytes.
	for cut := 0; cut < utf8.UTFMax && cut <= len(head); cut++ {
		if utf8.Valid(head[:len(head)-cut]) {
			return EncodingUTF8, nil
		}
		if n < detectWindow {
			break // the whole file was read: nothing was cut
		}
	}
	return EncodingCP932, nil
}

var utf8BOM = []byte("\xef\xbb\xbf")

// Reader reads a CSV file record by record, decoded to UTF-8, with the physical line
// number each record starts on (a quoted field may span lines). It holds one record
// at a time: a file of any size is read in bounded memory.
type Reader struct {
	cr      *csv.Reader
	counter *countingReader
	header  []string
	enc     Encoding
}

// NewReader starts reading r in the given encoding (EncodingAuto is not allowed here:
// call Detect first) and reads the header row.
func NewReader(r io.Reader, enc Encoding) (*Reader, error) {
	counter := &countingReader{r: r}
	br := bufio.NewReaderSize(counter, 64<<10)
	var text io.Reader = br
	switch enc {
	case EncodingUTF8:
		if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
			br.Discard(3)
		}
	case EncodingCP932:
		text = transform.NewReader(br, cp932Decoder{})
	default:
		return nil, fmt.Errorf("csvimport: encoding %q not resolved", enc)
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	rd := &Reader{cr: cr, counter: counter, enc: enc}
	header, _, err := rd.Next()
	if err == io.EOF {
		return nil, &LineError{Line: 1, Message: "ファイルが空です（見出し行がありません）", MessageEn: "the file is empty (no header row)"}
	}
	if err != nil {
		return nil, err
	}
	for i := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	rd.header = header
	return rd, nil
}

// Header is the header row, trimmed.
func (r *Reader) Header() []string { return r.header }

// Encoding is the encoding the file is read in.
func (r *Reader) Encoding() Encoding { return r.enc }

// Offset is how many bytes of the file have been consumed (for progress).
func (r *Reader) Offset() int64 { return r.counter.n }

// Next returns the next record and the physical line it starts on; io.EOF at the end.
// A line that cannot be decoded is a *LineError for that line; reading may go on. A
// CSV syntax error (an unclosed quote) is a *LineError with Fatal set: nothing after
// it can be read reliably.
func (r *Reader) Next() ([]string, int, error) {
	rec, err := r.cr.Read()
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return nil, 0, io.EOF
	case errors.As(err, &pe):
		return nil, pe.StartLine, &LineError{Line: pe.StartLine, Fatal: true,
			Message:   fmt.Sprintf("CSVとして読めません（%d行目 %d文字目: 引用符「\"」の閉じ忘れなど）", pe.Line, pe.Column),
			MessageEn: fmt.Sprintf("not valid CSV (line %d, column %d: an unclosed quote?)", pe.Line, pe.Column)}
	case err != nil:
		return nil, 0, err
	}
	line, _ := r.cr.FieldPos(0)
	for i, f := range rec {
		if !r.decoded(f) {
			return rec, line, &LineError{Line: line, Column: i,
				Message:   fmt.Sprintf("%d列目の文字が%sとして読めません（文字コードを確認してください）", i+1, r.enc.Label()),
				MessageEn: fmt.Sprintf("column %d cannot be read as %s (check the encoding)", i+1, r.enc.Label())}
		}
	}
	return rec, line, nil
}

// decoded reports whether a field reads as text: valid UTF-8 in a UTF-8 file; in CP932
// (whose decoder writes valid UTF-8 only) no byte left undecoded, which the decoder
// writes as U+FFFD. (A byte search: every field of every row is checked.)
func (r *Reader) decoded(f string) bool {
	if r.enc == EncodingCP932 {
		return !strings.Contains(f, "\uFFFD")
	}
	return utf8.ValidString(f)
}

// LineError is a problem with one line of a file.
type LineError struct {
	Line      int
	Column    int // 0-based index of the column, -1 when the whole line
	Fatal     bool
	Message   string
	MessageEn string
}

func (e *LineError) Error() string { return fmt.Sprintf("%d行目: %s", e.Line, e.Message) }

// AsError turns it into the app's error value.
func (e *LineError) AsError() error {
	return &backend.Error{Code: backend.EINVALID, Class: backend.ClassPermanent,
		Message: e.Error(), MessageEn: fmt.Sprintf("line %d: %s", e.Line, e.MessageEn)}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
