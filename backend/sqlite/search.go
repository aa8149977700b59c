package sqlite

import (
	"slices"
	"strings"

	"kessaidesk/backend/textnorm"
)

// endMark follows the last character of a text in the gram index, so that a
// one-character query ("X*", a prefix query) also finds a text that ends with X.
// It is a private-use character nobody types.
const endMark = '\uE000'

// normalize and digitsOnly are the search's folding rules, shared with PostgreSQL.
var (
	normalize  = textnorm.Fold
	digitsOnly = textnorm.Digits
)

// nameGram is the gram size of order_grams: names and kana have thousands of
// characters, so a bigram is selective.
const nameGram = 2

// grams returns the index tokens of a normalised text: every distinct n-gram, plus each
// tail shorter than n followed by endMark (so a short query matching the end of the
// text is found by a prefix query). Tokens are separated by spaces for FTS4's "simple"
// tokenizer, which keeps every non-ASCII character inside a token. An import computes
// this for every order: the grams are slices of text, and the result is the one string
// built.
func grams(text string, n int) string {
	if text == "" {
		return ""
	}
	var atBuf [64]int
	at := atBuf[:0] // where each character starts, then len(text)
	for i := range text {
		at = append(at, i)
	}
	at = append(at, len(text))
	chars := len(at) - 1
	var b strings.Builder
	b.Grow(n*len(text) + chars + 8*n)
	// A repeated gram is written once: looked up among those written, or in a set
	// when the text is long.
	var seenBuf [64]string
	seen := seenBuf[:0]
	var seenSet map[string]struct{}
	if chars-n+1 > len(seenBuf) {
		seenSet = make(map[string]struct{}, chars)
	}
	for i := 0; i+n <= chars; i++ {
		g := text[at[i]:at[i+n]]
		if seenSet != nil {
			if _, ok := seenSet[g]; ok {
				continue
			}
			seenSet[g] = struct{}{}
		} else if slices.Contains(seen, g) {
			continue
		} else {
			seen = append(seen, g)
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(g)
	}
	// A tail ends with endMark, which no gram holds: tails are never duplicates.
	for i := max(chars-n+1, 0); i < chars; i++ {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(text[at[i]:])
		b.WriteRune(endMark)
	}
	return b.String()
}

// textMatch returns the index that finds a normalised text q in a column — a query
// of ids and its MATCH expression — or "" when none can. 3 characters are one trigram
// of order_fts; longer, the trigrams at every third character and the last, all
// required: a superset (the row check decides), because FTS5 matching a phrase of
// every trigram reads the positions of each, several times slower with the long lists
// of e-mail letters and telephone digits. (With 3 or more trigrams the search reads
// only those worth it: rarestTrigrams.) For name and kana (grams), 1 character is a
// prefix over the bigrams and tails in order_grams ("山"* finds 山田 and a name ending
// in 山), 2 characters one bigram; both exact.
func textMatch(col, q string, grams bool) (ids, match string, superset bool) {
	rs := []rune(q)
	switch n := len(rs); {
	case n >= 3:
		return trigramIDs, trigramMatch(col, trigramTerms(q)), n > 3
	case !grams:
		return "", "", false
	case n == 1:
		return `SELECT rowid AS id FROM order_grams WHERE order_grams MATCH ?`, col + ` : ` + quoteTerm(q) + `*`, false
	default:
		return `SELECT rowid AS id FROM order_grams WHERE order_grams MATCH ?`, col + ` : ` + quoteTerm(q), false
	}
}

// trigramIDs is the query of the orders order_fts finds for a MATCH expression.
const trigramIDs = `SELECT rowid AS id FROM order_fts WHERE order_fts MATCH ?`

// trigramTerms are the trigrams of a text of 3+ characters that textMatch requires:
// one at every third character, and the last three.
func trigramTerms(q string) []string {
	rs := []rune(q)
	n := len(rs)
	var terms []string
	for i := 0; i+3 <= n; i += 3 {
		terms = append(terms, string(rs[i:i+3]))
	}
	if n%3 != 0 {
		terms = append(terms, string(rs[n-3:]))
	}
	return terms
}

// trigramMatch is the MATCH expression requiring every term in a column of order_fts.
func trigramMatch(col string, terms []string) string {
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = quoteTerm(t)
	}
	return col + ` : (` + strings.Join(quoted, " AND ") + `)`
}

func quoteTerm(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
