package csvimport

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// cp932Decoder decodes CP932 exactly as japanese.ShiftJIS's decoder does — its output
// for every byte and byte pair is taken from that decoder once — with a table lookup
// per character instead of a rune decoded and encoded again: an import decodes its
// file twice, and x/text's decoder was a tenth of all the import's work.
type cp932Decoder struct{ transform.NopResetter }

// cp932Char is what one character of input decodes to: its UTF-8 (CP932 has no
// character beyond the BMP: 3 bytes at most) and how many input bytes it takes (a lead
// byte whose second byte cannot follow it is U+FFFD alone).
type cp932Char struct {
	utf8  [3]byte
	n     uint8 // bytes of utf8
	taken uint8 // input bytes
}

var cp932Table struct {
	once   sync.Once
	single [256]cp932Char        // a byte that is not a lead byte, or a lead byte at the end of the input
	pair   [2][32][256]cp932Char // lead byte 0x80–0x9F or 0xE0–0xFF (by its bits 6 and 0–4), then any byte
}

func cp932Lead(c byte) bool { return 0x81 <= c && c < 0xa0 || 0xe0 <= c && c < 0xfd }

// cp932Tables fills the tables from x/text's decoder: given room for one character
// only, it decodes the first character of the input.
func cp932Tables() {
	dec := japanese.ShiftJIS.NewDecoder()
	char := func(in ...byte) cp932Char {
		var c cp932Char
		dec.Reset()
		nDst, nSrc, _ := dec.Transform(c.utf8[:], in, true)
		c.n, c.taken = uint8(nDst), uint8(nSrc)
		return c
	}
	t := &cp932Table
	for b := range 256 {
		t.single[b] = char(byte(b))
		if lead := byte(b); cp932Lead(lead) {
			for next := range 256 {
				t.pair[lead>>6&1][lead&0x1f][next] = char(lead, byte(next))
			}
		}
	}
}

func (cp932Decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	cp932Table.once.Do(cp932Tables)
	for nSrc < len(src) {
		b := src[nSrc]
		if b < utf8.RuneSelf {
			if nDst == len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = b
			nDst++
			nSrc++
			continue
		}
		c := &cp932Table.single[b]
		if cp932Lead(b) {
			if nSrc+1 < len(src) {
				c = &cp932Table.pair[b>>6&1][b&0x1f][src[nSrc+1]]
			} else if !atEOF {
				return nDst, nSrc, transform.ErrShortSrc
			}
		}
		if nDst+int(c.n) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		switch d := dst[nDst:]; c.n { // (copy would call memmove for 2 or 3 bytes)
		case 3:
			d[0], d[1], d[2] = c.utf8[0], c.utf8[1], c.utf8[2]
		case 2:
			d[0], d[1] = c.utf8[0], c.utf8[1]
		default:
			d[0] = c.utf8[0]
		}
		nDst += int(c.n)
		nSrc += int(c.taken)
	}
	return nDst, nSrc, nil
}
