package csvimport

import (
	"bytes"
	"encoding/csv"
	"io"
	"regexp"

	"kessaidesk/backend"
	"kessaidesk/backend/textenc"
)

var tableNumber = regexp.MustCompile(`^-?[0-9]+$`)

// WriteTable writes a small table (a report) as CSV: CP932 for Excel or UTF-8 with a
// BOM, CRLF line ends. A text cell Excel would run as a formula is escaped as in the
// order export; a plain number, a negative one too, is written as a number.
func WriteTable(w io.Writer, enc Encoding, header []string, rows [][]string) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	write := func(rec []string) error {
		out := make([]string, len(rec))
		for i, v := range rec {
			if tableNumber.MatchString(v) {
				out[i] = v
			} else {
				out[i] = escapeFormula(v)
			}
		}
		return cw.Write(out)
	}
	if err := write(header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if enc == EncodingUTF8 {
		if _, err := w.Write(utf8BOM); err != nil {
			return err
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
	b, err := textenc.EncodeCP932(buf.String())
	if err != nil {
		return backend.Errorf(backend.EINVALID, "Shift_JIS（CP932）で書けない文字があります。UTF-8（BOM付き）で書き出してください。書き出し先のファイルは変更していません",
			"the table holds text Shift_JIS (CP932) cannot carry; export in UTF-8. The target file is unchanged")
	}
	_, err = w.Write(b)
	return err
}
