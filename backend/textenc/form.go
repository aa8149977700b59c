package textenc

import (
	"fmt"
	"net/url"
	"strings"
)

// Field is one request parameter; requests keep their order (easier to read in a log).
type Field struct{ Key, Value string }

// EncodeForm builds an application/x-www-form-urlencoded body whose values are CP932
// (Windows-31J) bytes, percent-encoded: the form-posting gateways (GMO-PG's protocol
// type, Paygent's module type) read Shift_JIS.
func EncodeForm(fields []Field) ([]byte, error) {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte('&')
		}
		raw, err := EncodeCP932(f.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Key, err)
		}
		b.WriteString(url.QueryEscape(f.Key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(string(raw)))
	}
	return []byte(b.String()), nil
}

// DecodeForm reads such a body as a simulator receives it: percent-decoded, then CP932
// to UTF-8. A key sent twice keeps its first value.
func DecodeForm(body []byte) (map[string]string, error) {
	out := map[string]string{}
	for _, part := range strings.Split(string(body), "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, err
		}
		raw, err := url.QueryUnescape(v)
		if err != nil {
			return nil, err
		}
		val, err := DecodeCP932([]byte(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		if _, dup := out[key]; !dup {
			out[key] = val
		}
	}
	return out, nil
}
