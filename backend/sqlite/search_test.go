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

	ids, m, superset := textMatch("name", "山", true)
	assert.Contains(t, ids, "order_grams")
	assert.Equal(t, `name : "山"*`, m)
	assert.False(t, superset)
	_, m, _ = textMatch("kana", "ヤマ", true)
	assert.Equal(t, `kana : "ヤマ"`, m)
	ids, m, superset = textMatch("name", "山田太", true)
	assert.Contains(t, ids, "order_fts")
	assert.Equal(t, `name : ("山田太")`, m)
	assert.False(t, superset, "one trigram is exact")
	_, m, superset = textMatch("email", "hanakosatou", false)
	assert.Equal(t, `email : ("han" AND "ako" AND "sat" AND "tou")`, m)
	assert.True(t, superset)
	_, m, _ = textMatch("tel", "090123", false)
	assert.Equal(t, `tel : ("090" AND "123")`, m)
	ids, _, _ = textMatch("email", "ab", false)
	assert.Empty(t, ids, "no index for 1–2 characters of e-mail or telephone: checked on the row")
}
