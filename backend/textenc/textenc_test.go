package textenc

import (
	"strings"
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

// The table's path gives x/text's bytes for every character of the BMP, alone and
// between ASCII (the gateways hash these bytes: one differing byte is a refused request).
func TestTheTableEncodesEveryCharacterAsXText(t *testing.T) {
	n := 0
	for r := rune(0); r <= 0xFFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := "a" + string(r) + "b"
		want, wantErr := encodeSlow(s)
		got, err := EncodeCP932(s)
		if wantErr != nil {
			require.Error(t, err, "U+%04X", r)
			assert.Equal(t, backend.ErrorMessage(wantErr, "ja"), backend.ErrorMessage(err, "ja"), "U+%04X", r)
			continue
		}
		require.NoError(t, err, "U+%04X", r)
		require.Equal(t, want, got, "U+%04X", r)
		n++
	}
	assert.Greater(t, n, 7000, "CP932 carries about 7,900 characters")
}

func BenchmarkEncodeCP932(b *testing.B) {
	s := strings.Repeat("10001,2026/11/20 10:00,山田 太郎,ヤマダ タロウ,yamada@example.jp,090-1234-5678,急須（常滑焼）,3300,仮売上\r\n", 2000)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if _, err := EncodeCP932(s); err != nil {
			b.Fatal(err)
		}
	}
}

// macToCP932 is toCP932, character by character.
func TestMacMappingsAgree(t *testing.T) {
	for _, from := range []rune{0x301C, 0x2212, 0x2016, 0x00A2, 0x00A3, 0x00AC, 0x2014} {
		assert.Equal(t, toCP932.Replace(string(from)), string(macToCP932(from)), "U+%04X", from)
	}
}
