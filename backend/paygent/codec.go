package paygent

import (
	"fmt"
	"regexp"
	"strings"

	"kessaidesk/backend/textenc"
)

// Field is one request parameter; requests keep their order (easier to read in a log).
type Field struct{ Key, Value string }

// EncodeForm builds the Shift_JIS form body (textenc.EncodeForm).
func EncodeForm(fields []Field) ([]byte, error) {
	f := make([]textenc.Field, len(fields))
	for i := range fields {
		f[i] = textenc.Field(fields[i])
	}
	return textenc.EncodeForm(f)
}

// DecodeForm reads a request body as the simulator receives it (textenc.DecodeForm).
var DecodeForm = textenc.DecodeForm

// Response is a parsed answer: name → value, values exactly as sent.
type Response map[string]string

// Result values of the common header.
const (
	ResultOK    = "0"
	ResultError = "1"
	Result3DS   = "7" // 020 only: 3-D Secure authentication is required
)

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)

// maxResponse bounds what the client reads (the spec allows 100 KB requests; answers
// of the telegrams used here are a few hundred bytes).
const maxResponse = 1 << 20

// ParseResponse reads a module-type answer: CP932 text, one "name=value" per line
// (CRLF; a bare LF is accepted), every field present even when empty, in no
// particular order. A value is everything after the first "=" (values are not
// URL-decoded: the official module does not decode them either, although the spec's
// wording suggests it — see the uncertainties in doc.go). A name ending in "_html"
// takes every following line as its value (3-D Secure HTML). Anything else — an empty
// body, a line without "=", a malformed or repeated name, bytes that are not CP932 —
// is an error: a garbled answer must be recognised as garbled.
func ParseResponse(body []byte) (Response, error) {
	if len(body) > maxResponse {
		return nil, fmt.Errorf("the answer is too long (%d bytes)", len(body))
	}
	text, err := textenc.DecodeCP932(body)
	if err != nil {
		return nil, fmt.Errorf("the answer is not Shift_JIS: %w", err)
	}
	text = strings.TrimRight(text, "\r\n")
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("empty answer")
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	r := Response{}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || !namePattern.MatchString(k) {
			return nil, fmt.Errorf("unreadable answer at line %d near %q", i+1, clip(line))
		}
		if _, dup := r[k]; dup {
			return nil, fmt.Errorf("field %s appears twice", k)
		}
		if strings.HasSuffix(k, "_html") {
			v = strings.Join(append([]string{v}, lines[i+1:]...), "\r\n")
			i = len(lines)
		}
		r[k] = v
	}
	if len(r) == 0 {
		return nil, fmt.Errorf("empty answer")
	}
	return r, nil
}

func clip(s string) string { return clipN(s, 20) }

func clipN(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Result is the answer's result field ("" when absent).
func (r Response) Result() string { return r["result"] }

// FormatResponse writes an answer the way the module type does (the simulator uses
// it): "name=value" lines separated by CRLF, in the given order, as CP932.
func FormatResponse(keys []string, vals map[string]string) ([]byte, error) {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(vals[k])
		b.WriteString("\r\n")
	}
	return textenc.EncodeCP932(b.String())
}
