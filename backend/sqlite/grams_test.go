package sqlite

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// gramsByRunes is how grams was first written (runes and a set): the reference
// the faster grams must agree with.
func gramsByRunes(text string, n int) string {
	rs := []rune(text)
	if len(rs) == 0 {
		return ""
	}
	seen := map[string]bool{}
	var toks []string
	for i := 0; i+n <= len(rs); i++ {
		if g := string(rs[i : i+n]); !seen[g] {
			seen[g] = true
			toks = append(toks, g)
		}
	}
	for i := max(len(rs)-n+1, 0); i < len(rs); i++ {
		toks = append(toks, string(rs[i:])+string(endMark))
	}
	return strings.Join(toks, " ")
}

func TestGramsAgreeWithRunes(t *testing.T) {
	alphabet := []rune("あいアイ山田太郎髙﨑abc0123𠮷")
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		rs := make([]rune, r.IntN(150)) // past 64 characters the set takes over
		for i := range rs {
			rs[i] = alphabet[r.IntN(len(alphabet))]
		}
		text := string(rs)
		for _, n := range []int{nameGram, 3} {
			assert.Equal(t, gramsByRunes(text, n), grams(text, n), "%q", text)
		}
	}
}
