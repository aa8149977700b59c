package backend

import (
	"strconv"
)

// Yen is an amount of money in integer yen. Money is never a float.
type Yen int64

// String formats the amount the way operators read it: 12,345円.
func (y Yen) String() string { return FormatYen(y) + "円" }

// En formats y for English messages: ¥12,800.
func (y Yen) En() string { return "¥" + FormatYen(y) }

// FormatYen formats with thousands separators and no unit: -1,234.
func FormatYen(y Yen) string {
	neg := y < 0
	u := uint64(y)
	if neg {
		u = -u // two's complement: right for the most negative value too
	}
	s := strconv.FormatUint(u, 10)
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

// MaxOrderAmount bounds every amount of an order (a price, a line, a total): ten
// times more than a year's sales of most shops, and far from overflowing int64 when
// lines are multiplied and summed. Gateways accept much less in one payment (MaxAmount).
const MaxOrderAmount Yen = 99_999_999_999

// MaxQuantity bounds the quantity of one order line.
const MaxQuantity = 1_000_000

// LineAmount is price × quantity, or false when either is out of range.
func LineAmount(price Yen, qty int64) (Yen, bool) {
	if price < 0 || price > MaxOrderAmount || qty <= 0 || qty > MaxQuantity {
		return 0, false
	}
	a := price * Yen(qty) // ≤ 1e11 × 1e6: no overflow
	return a, a <= MaxOrderAmount
}
