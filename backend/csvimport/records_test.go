package csvimport

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend/textenc"
)

func TestDetectEncodings(t *testing.T) {
	sjis, err := textenc.EncodeCP932("注文番号,お名前\n1,山田\n")
	require.NoError(t, err)
	for name, c := range map[string]struct {
		data []byte
		want Encoding
	}{
		"utf-8":      {[]byte("注文番号,お名前\n1,山田\n"), EncodingUTF8},
		"utf-8 bom":  {append([]byte("\xef\xbb\xbf"), "注文番号\n"...), EncodingUTF8},
		"ascii":      {[]byte("no,name\n1,a\n"), EncodingUTF8},
		"shift_jis":  {sjis, EncodingCP932},
		"empty file": {nil, EncodingUTF8},
	} {
		got, err := Detect(bytes.NewReader(c.data))
		require.NoError(t, err, name)
		assert.Equal(t, c.want, got, name)
	}
	// A UTF-8 character cut by the end of the detection window is still UTF-8.
	big := bytes.Repeat([]byte("a"), detectWindow-1)
	big = append(big, "山田"...)
	got, err := Detect(bytes.NewReader(big))
	require.NoError(t, err)
	assert.Equal(t, EncodingUTF8, got)
}

func TestReaderGivesPhysicalLinesAfterMultilineFields(t *testing.T) {
	data := "\xef\xbb\xbf no , memo \n1,\"line one\nline two\nline three\"\n2,plain\n3,\"a \"\"quoted\"\" word\"\n"
	r, err := NewReader(strings.NewReader(data), EncodingUTF8)
	require.NoError(t, err)
	assert.Equal(t, []string{"no", "memo"}, r.Header())
	var lines []int
	var memos []string
	for {
		rec, line, err := r.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		lines = append(lines, line)
		memos = append(memos, rec[1])
	}
	assert.Equal(t, []int{2, 5, 6}, lines)
	assert.Equal(t, "line one\nline two\nline three", memos[0])
	assert.Equal(t, `a "quoted" word`, memos[2])
	assert.Equal(t, int64(len(data)), r.Offset())
}

func TestReaderReportsUndecodableLinesAndSyntaxErrors(t *testing.T) {
	data := append([]byte("no,name\n1,ok\n2,"), 0xff, 0xfe)
	data = append(data, "\n3,\"open\n"...)
	r, err := NewReader(bytes.NewReader(data), EncodingUTF8)
	require.NoError(t, err)
	_, line, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, 2, line)
	_, line, err = r.Next()
	var le *LineError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 3, le.Line)
	assert.Equal(t, 1, le.Column)
	assert.False(t, le.Fatal)
	_, _, err = r.Next()
	require.ErrorAs(t, err, &le)
	assert.True(t, le.Fatal)
	assert.Equal(t, 4, le.Line)
	assert.Contains(t, le.Message, "引用符")

	_, err = NewReader(strings.NewReader(""), EncodingUTF8)
	require.ErrorAs(t, err, &le)
	assert.Contains(t, le.Message, "空")
}

func TestReaderDecodesShiftJIS(t *testing.T) {
	data, err := textenc.EncodeCP932("注文番号,お名前\r\n1,髙橋 ～ 一郎\r\n")
	require.NoError(t, err)
	r, err := NewReader(bytes.NewReader(data), EncodingCP932)
	require.NoError(t, err)
	assert.Equal(t, []string{"注文番号", "お名前"}, r.Header())
	rec, line, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, 2, line)
	assert.Equal(t, "髙橋 ～ 一郎", rec[1])
}
