package textenc

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormIsShiftJISAndRoundTrips(t *testing.T) {
	b, err := EncodeForm([]Field{{Key: "CustomerName", Value: "山田太郎"}, {Key: "x", Value: "a&b=c d+"}})
	require.NoError(t, err)
	assert.Equal(t, "CustomerName=%8ER%93c%91%BE%98Y&x=a%26b%3Dc+d%2B", string(b), "CP932 bytes, percent-encoded")
	back, err := DecodeForm(append(b, []byte("&x=second&&")...))
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"CustomerName": "山田太郎", "x": "a&b=c d+"}, back, "a repeated key keeps its first value")

	_, err = EncodeForm([]Field{{Key: "CustomerName", Value: "𠮷田"}})
	assert.Error(t, err, "a character CP932 lacks is refused, not replaced")
	_, err = DecodeForm([]byte("a=%82"))
	assert.Error(t, err, "half a Shift_JIS character")
	_, err = DecodeForm([]byte("a=%zz"))
	assert.Error(t, err)
}
