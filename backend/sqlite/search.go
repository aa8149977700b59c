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

// Gram sizes per field: names and kana have thousands of characters, so bigrams are
// selective; e-mail addresses and telephone digits have a small alphabet, so they use
// trigrams.
const (
	nameGram = 2
	mailGram = 3
)

// grams returns the index tokens of a normalised text: every distinct n-gram, plus each
// tail shorter than n followed by endMark (so a short query matching the end of the
// text is found by a prefix query). Tokens are separated by spaces for FTS4's "simple"
// tokenizer, which keeps every non-ASCII character inside a token.
func grams(text string, n int) string {
	rs := []rune(text)
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
	for i := 0; i+n <= len(rs); i++ {
		add(string(rs[i : i+n]))
	}
	for i := max(len(rs)-n+1, 0); i < len(rs); i++ {
		add(string(rs[i:]) + string(endMark))
	}
	return b.String()
}

// gramQuery turns a normalised query into an FTS4 MATCH expression and tells whether
// the match is exact. Shorter than n: a prefix query over the grams and tails (exact).
// Exactly n: one gram (exact). Longer: all its grams (a superset; the caller verifies).
func gramQuery(q string, n int) (match string, exact bool) {
	rs := []rune(q)
	switch {
	case len(rs) == 0:
		return "", true
	case len(rs) < n:
		return q + "*", true
	}
	seen := map[string]bool{}
	var parts []string
	for i := 0; i+n <= len(rs); i++ {
		g := string(rs[i : i+n])
		if !seen[g] {
			seen[g] = true
			parts = append(parts, g)
		}
	}
	return strings.Join(parts, " "), len(rs) == n
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
