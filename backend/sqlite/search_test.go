package sqlite

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"山田 太郎":                  "山田太郎",
		"ヤマダ　タロウ":                "ヤマダタロウ",
		"やまだ たろう":                "ヤマダタロウ",
		"ﾔﾏﾀﾞ ﾀﾛｳ":               "ヤマダタロウ",
		"Taro.Yamada@Example.JP": "taroyamadaexamplejp",
		"ＡＢＣ－１２３":                "abc123",
		"090-1234-5678":          "09012345678",
		"ジョン・スミス":                "ジョンスミス",
		"ラーメン":                   "ラーメン",
	}
	for in, want := range cases {
		assert.Equal(t, want, normalize(in), in)
	}
}

func TestGramsAndQuery(t *testing.T) {
	assert.Equal(t, "山田 田太 太郎 郎\uE000", grams("山田太郎", 2))
	assert.Equal(t, "a\uE000", grams("a", 2))
	assert.Equal(t, "", grams("", 2))
	// repeated grams are indexed once
	assert.Equal(t, "ab ba b\uE000", grams("abab", 2))
	assert.Equal(t, "090 901 012 12\uE000 2\uE000", grams("09012", 3))
	assert.Equal(t, "ab\uE000 b\uE000", grams("ab", 3))

	m, exact := gramQuery("山", 2)
	assert.Equal(t, "山*", m)
	assert.True(t, exact)
	m, exact = gramQuery("山田", 2)
	assert.Equal(t, "山田", m)
	assert.True(t, exact)
	m, exact = gramQuery("山田太", 2)
	assert.Equal(t, "山田 田太", m)
	assert.False(t, exact)
	m, exact = gramQuery("09", 3)
	assert.Equal(t, "09*", m)
	assert.True(t, exact)
	m, exact = gramQuery("0901", 3)
	assert.Equal(t, "090 901", m)
	assert.False(t, exact)
}
