package backend

import (
	"strconv"
)

// Yen is an amount of money in integer yen. Money is never a float.
type Yen int64

// String formats the amount the way operators read it: 12,345円.
func (y Yen) String() string { return FormatYen(y) + "円" }

// FormatYen formats with thousands separators and no unit: -1,234.
func FormatYen(y Yen) string {
	n := int64(y)
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
