// Package textnorm folds text for the order search the way an operator expects. Both
// stores keep the folded text beside each order (orders.name_n …) and fold the query
// the same way, so a search finds the same orders on SQLite and on PostgreSQL.
package textnorm

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// endMark is a private-use character nobody types, which SQLite's gram index uses as
// an end marker: it is never part of a folded text.
const endMark = '\uE000'

// Fold makes full-width and half-width forms alike (NFKC), upper and lower case alike,
// ひらがな and カタカナ alike, and drops spaces, punctuation and hyphens ("090-1234"
// finds "0901234…").
func Fold(s string) string {
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

// Digits keeps the digits of a telephone number (full-width ones too).
func Digits(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
