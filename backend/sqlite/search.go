package sqlite

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// endMark follows the last character of a text in the gram index, so that a
// one-character query ("X*", a prefix query) also finds a text that ends with X.
// It is a private-use character nobody types.
const endMark = '\uE000'

// normalize folds text for search the way an operator expects: full-width and
// half-width forms alike (NFKC), upper and lower case alike, ひらがな and カタカナ alike,
// and spaces, punctuation and hyphens ignored ("090-1234" finds "0901234…").
func normalize(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= 'ぁ' && r <= 'ゖ', r == 'ゝ', r == 'ゞ':
			r += 'ァ' - 'ぁ' // hiragana → katakana
		}
		if r == endMark || !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// grams returns the index tokens of a normalised text: every distinct bigram, plus the
// last character followed by endMark. Tokens are separated by spaces for FTS4's
// "simple" tokenizer, which keeps every non-ASCII character inside a token.
func grams(n string) string {
	rs := []rune(n)
	if len(rs) == 0 {
		return ""
	}
	seen := make(map[string]struct{}, len(rs))
	var b strings.Builder
	add := func(tok string) {
		if _, ok := seen[tok]; ok {
			return
		}
		seen[tok] = struct{}{}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tok)
	}
	for i := 0; i+1 < len(rs); i++ {
		add(string(rs[i : i+2]))
	}
	add(string(rs[len(rs)-1]) + string(endMark))
	return b.String()
}

// gramQuery turns a normalised query into an FTS4 MATCH expression and tells whether
// the match is exact. One character: a prefix query on the bigrams (exact). Two: one
// bigram (exact). Longer: all its bigrams (a superset; the caller verifies the substring).
func gramQuery(n string) (match string, exact bool) {
	rs := []rune(n)
	switch len(rs) {
	case 0:
		return "", true
	case 1:
		return string(rs) + "*", true
	}
	seen := map[string]bool{}
	var parts []string
	for i := 0; i+1 < len(rs); i++ {
		g := string(rs[i : i+2])
		if !seen[g] {
			seen[g] = true
			parts = append(parts, g)
		}
	}
	return strings.Join(parts, " "), len(rs) == 2
}

// digitsOnly keeps the digits of a telephone number.
func digitsOnly(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
