package csvimport

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/textenc"
)

func TestWriteTableKeepsNumbersAndEscapesFormulas(t *testing.T) {
	rows := [][]string{{"2026/11", "=HYPERLINK(\"x\")", "-1200", "12"}}
	var utf bytes.Buffer
	require.NoError(t, WriteTable(&utf, EncodingUTF8, []string{"期間", "設定", "返金", "件数"}, rows))
	assert.Equal(t, "\ufeff期間,設定,返金,件数\r\n2026/11,\"'=HYPERLINK(\"\"x\"\")\",-1200,12\r\n", utf.String())

	var sjis bytes.Buffer
	require.NoError(t, WriteTable(&sjis, EncodingCP932, []string{"期間"}, [][]string{{"売上"}}))
	want, err := textenc.EncodeCP932("期間\r\n売上\r\n")
	require.NoError(t, err)
	assert.Equal(t, want, sjis.Bytes())

	err = WriteTable(&bytes.Buffer{}, EncodingCP932, []string{"設定"}, [][]string{{"🍵"}})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
}
