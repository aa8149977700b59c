package textenc

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

func TestRoundTrip(t *testing.T) {
	for _, s := range []string{"山田太郎", "①②", "～－￥", "髙橋", "吉﨑", "Ⅰ№", "ｱｲｳｴｵ", "ABC abc 123", ""} {
		b, err := EncodeCP932(s)
		require.NoError(t, err, s)
		back, err := DecodeCP932(b)
		require.NoError(t, err)
		assert.Equal(t, s, back)
	}
}

func TestKnownBytes(t *testing.T) {
	b, err := EncodeCP932("あ①")
	require.NoError(t, err)
	assert.Equal(t, []byte{0x82, 0xa0, 0x87, 0x40}, b) // ① is the NEC extension 0x8740
}

func TestMacCharactersMapToCP932(t *testing.T) {
	b, err := EncodeCP932("10〜20−5")
	require.NoError(t, err)
	back, _ := DecodeCP932(b)
	assert.Equal(t, "10～20－5", back)
}

func TestUnencodableIsRefusedWithItsName(t *testing.T) {
	for _, s := range []string{"𠮷野家", "ありがとう😀"} {
		_, err := EncodeCP932(s)
		require.Error(t, err, s)
		assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
		assert.Contains(t, backend.ErrorMessage(err, "ja"), "Shift_JISで送れない文字")
	}
	_, err := EncodeCP932("𠮷野家")
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "「𠮷」(1文字目)")
	_, err = EncodeCP932("ありがとう😀")
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "(6文字目)")
}

func TestDecodeRejectsGarbage(t *testing.T) {
	_, err := DecodeCP932([]byte{0x82}) // a lead byte with nothing after it
	assert.Error(t, err)
	_, err = DecodeCP932([]byte{0x81, 0x20})
	assert.Error(t, err)
}
