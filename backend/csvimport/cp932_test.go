package csvimport

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// The table decoder writes what x/text's decoder writes, for any bytes, read in any
// pieces: every byte pair, then random text heavy in lead bytes, whole and one byte at
// a time.
func TestCP932DecoderIsXText(t *testing.T) {
	var pairs []byte
	for a := range 256 {
		for b := range 256 {
			pairs = append(pairs, byte(a), byte(b), 'x')
		}
	}
	inputs := [][]byte{pairs, {0x82}, {'a', 0x82}, {0x82, 0xa0, 0x82}, {0xfd, 0xff, 0x80, 0xa0}}
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		in := make([]byte, r.IntN(200))
		for i := range in {
			switch r.IntN(3) {
			case 0:
				in[i] = byte(r.IntN(0x80))
			case 1:
				in[i] = byte(0x81 + r.IntN(0x1f))
			default:
				in[i] = byte(r.IntN(256))
			}
		}
		inputs = append(inputs, in)
	}
	for _, in := range inputs {
		want, _, err := transform.Bytes(japanese.ShiftJIS.NewDecoder(), in)
		require.NoError(t, err)
		got, _, err := transform.Bytes(cp932Decoder{}, in)
		require.NoError(t, err)
		assert.Equal(t, want, got, "% x", in)
		slow, err := io.ReadAll(transform.NewReader(iotest.OneByteReader(bytes.NewReader(in)), cp932Decoder{}))
		require.NoError(t, err)
		assert.Equal(t, want, slow, "one byte at a time: % x", in)
	}
}
