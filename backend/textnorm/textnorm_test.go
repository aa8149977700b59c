package textnorm

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFold(t *testing.T) {
	assert.Equal(t, "ヤマダタロウ", Fold("やまだ　たろう"))
	assert.Equal(t, "ヤマダタロウ", Fold("ﾔﾏﾀﾞ ﾀﾛｳ"))
	assert.Equal(t, "taroexamplejp", Fold("Ｔａｒｏ@example.jp"))
	assert.Equal(t, "山田太郎", Fold("山田 太郎"))
	assert.Equal(t, "", Fold("\uE000-・ "))
}

func TestDigits(t *testing.T) {
	assert.Equal(t, "09012345678", Digits("０９０-1234-5678"))
	assert.Equal(t, "", Digits("なし"))
}
