// Package textenc converts text at the gateways' edge: UTF-8 in the app, Shift_JIS
// (CP932 / Windows-31J) on the wire. A character CP932 cannot carry is refused with a
// clear message, never replaced silently: the same bytes go into hashes and requests.
package textenc

import (
	"bytes"
	"fmt"
	"strings"
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

// EncodeCP932 converts UTF-8 text to CP932 bytes.
func EncodeCP932(s string) ([]byte, error) {
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
