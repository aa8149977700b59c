package gmo

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

// Answer is a parsed answer: key=value pairs, values as sent (never URL-decoded).
type Answer map[string]string

var keyPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`)

// ParseAnswer reads GMO-PG's answer: CP932 text "Key=Value&Key=Value". Values are not
// percent-encoded and may contain "=" (split on the first only) and even "&" (a part
// that does not start with a key is glued back onto the previous value).
func ParseAnswer(body []byte) (Answer, error) {
	text, err := textenc.DecodeCP932(body)
	if err != nil {
		return nil, fmt.Errorf("the answer is not Shift_JIS: %w", err)
	}
	text = strings.TrimRight(text, "\r\n")
	if text == "" {
		return nil, fmt.Errorf("empty answer")
	}
	a := Answer{}
	last := ""
	for _, part := range strings.Split(text, "&") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || !keyPattern.MatchString(k) {
			if last == "" {
				return nil, fmt.Errorf("unreadable answer near %q", clip(part))
			}
			a[last] += "&" + part
			continue
		}
		if _, dup := a[k]; dup {
			return nil, fmt.Errorf("field %s appears twice", k)
		}
		a[k], last = v, k
	}
	return a, nil
}

func clip(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

// ErrorPair is one ErrCode/ErrInfo pair of an error answer.
type ErrorPair struct{ Code, Info string }

// Errors returns the answer's error pairs, paired by position; nil when it is a success.
func (a Answer) Errors() []ErrorPair {
	codes, okC := a["ErrCode"]
	infos, okI := a["ErrInfo"]
	if !okC && !okI {
		return nil
	}
	cs, is := strings.Split(codes, "|"), strings.Split(infos, "|")
	n := max(len(cs), len(is))
	out := make([]ErrorPair, 0, n)
	for i := range n {
		var p ErrorPair
		if i < len(cs) {
			p.Code = cs[i]
		}
		if i < len(is) {
			p.Info = is[i]
		}
		out = append(out, p)
	}
	return out
}

// FormatAnswer writes an answer the way GMO-PG does (the simulator uses it), in the
// given key order.
func FormatAnswer(keys []string, a Answer) ([]byte, error) {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(a[k])
	}
	return textenc.EncodeCP932(b.String())
}
