// Package textenc converts text at the gateways' edge: UTF-8 in the app, Shift_JIS
// (CP932 / Windows-31J) on the wire. A character CP932 cannot carry is refused with a
// clear message, never replaced silently: the same bytes go into hashes and requests.
package textenc

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"kessaidesk/backend"
)

// toCP932 maps characters that macOS and Unicode input produce, but CP932 lacks, to
// the CP932 characters Windows users type for the same thing.
var toCP932 = strings.NewReplacer(
	"\u301C", "\uFF5E", // 〜 WAVE DASH → ～ FULLWIDTH TILDE
	"\u2212", "\uFF0D", // − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS
	"\u2016", "\u2225", // ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
	"\u00A2", "\uFFE0", // ¢ → ￠
	"\u00A3", "\uFFE1", // £ → ￡
	"\u00AC", "\uFFE2", // ¬ → ￢
	"\u2014", "\u2015", // — EM DASH → ― HORIZONTAL BAR
)

// EncodeCP932 converts UTF-8 text to CP932 bytes. It reads a table made once from
// x/text's encoder (cp932Table), several times faster than the encoder itself for a
// large CSV export; x/text still names the first character that does not encode.
func EncodeCP932(s string) ([]byte, error) {
	table := cp932Table()
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		r = macToCP932(r)
		if r > 0xFFFF || table[r] == 0 {
			return encodeSlow(s)
		}
		if code := table[r]; code < 0x100 {
			out = append(out, byte(code))
		} else {
			out = append(out, byte(code>>8), byte(code))
		}
		i += size
	}
	return out, nil
}

// macToCP932 is toCP932 for one character, for the table's path.
func macToCP932(r rune) rune {
	switch r {
	case 0x301C:
		return 0xFF5E
	case 0x2212:
		return 0xFF0D
	case 0x2016:
		return 0x2225
	case 0x00A2:
		return 0xFFE0
	case 0x00A3:
		return 0xFFE1
	case 0x00AC:
		return 0xFFE2
	case 0x2014:
		return 0x2015
	}
	return r
}

// cp932Table maps each BMP character CP932 carries to its one or two bytes (a value
// below 0x100 is one byte; 0 = not encodable: no non-ASCII character encodes to 0).
var cp932Table = sync.OnceValue(func() []uint16 {
	t := make([]uint16, 0x10000)
	enc := japanese.ShiftJIS.NewEncoder()
	var buf [utf8.UTFMax]byte
	dst := make([]byte, 8)
	for r := rune(0x80); r <= 0xFFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		n := utf8.EncodeRune(buf[:], r)
		enc.Reset()
		nDst, _, err := enc.Transform(dst, buf[:n], true)
		switch {
		case err != nil:
		case nDst == 1:
			t[r] = uint16(dst[0])
		case nDst == 2:
			t[r] = uint16(dst[0])<<8 | uint16(dst[1])
		}
	}
	return t
})

// encodeSlow is x/text's encoder over the whole text, which names the first character
// that does not encode.
func encodeSlow(s string) ([]byte, error) {
	s = toCP932.Replace(s)
	enc := japanese.ShiftJIS.NewEncoder()
	out, _, err := transform.Bytes(enc, []byte(s))
	if err == nil {
		return out, nil
	}
	// Find the first character that does not encode, to name it.
	pos := 0
	for _, r := range s {
		pos++
		if _, _, err := transform.String(japanese.ShiftJIS.NewEncoder(), string(r)); err != nil {
			return nil, &backend.Error{Code: backend.EINVALID,
				Message:   fmt.Sprintf("「%c」(%d文字目) はShift_JISで送れない文字です。別の文字に置き換えてください", r, pos),
				MessageEn: fmt.Sprintf("%q (character %d) cannot be sent in Shift_JIS; replace it", r, pos)}
		}
	}
	return nil, &backend.Error{Code: backend.EINVALID, Message: "Shift_JISで送れない文字が含まれています", MessageEn: "the text cannot be sent in Shift_JIS", Err: err}
}

// CheckCP932 reports the first character that cannot be sent, or nil.
func CheckCP932(s string) error {
	_, err := EncodeCP932(s)
	return err
}

// DecodeCP932 converts CP932 bytes to UTF-8. Bytes that are not valid CP932 are an
// error (never guessed): a garbled answer must be recognised as garbled.
func DecodeCP932(b []byte) (string, error) {
	out, _, err := transform.Bytes(japanese.ShiftJIS.NewDecoder(), b)
	if err != nil {
		return "", fmt.Errorf("not valid Shift_JIS: %w", err)
	}
	// x/text decodes invalid sequences to U+FFFD instead of failing.
	if bytes.ContainsRune(out, utf8.RuneError) && !bytes.Contains(b, []byte("\xef\xbf\xbd")) {
		return "", fmt.Errorf("not valid Shift_JIS")
	}
	return string(out), nil
}
