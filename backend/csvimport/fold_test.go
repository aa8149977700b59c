package csvimport

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/width"
)

// foldWidth skips width.Fold for text without U+3000 or U+FF01–U+FFEE: every other
// character is its own canonical width.
func TestFoldWidth(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		if width.LookupRune(r).Folded() != 0 { // what Fold maps r to; 0 when r is canonical
			assert.True(t, r == 0x3000 || r >= 0xFF01 && r <= 0xFFEE, "%U", r)
		}
	}
	for _, s := range []string{"", "1,200", "2026/11/24 09:30:00", "クレジットカード決済", "ﾔﾏﾀﾞ", "１２００円", "新規　受付", "ｶｰﾄﾞ"} {
		assert.Equal(t, width.Fold.String(s), foldWidth(s), s)
	}
}
