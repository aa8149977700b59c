package backend

import "time"

// JST is Japan Standard Time. Japan has no daylight saving time, so a fixed zone is
// exact and does not depend on the tz database being present on the operator's PC.
var JST = time.FixedZone("JST", 9*60*60)

// Clock is injected wherever a rule depends on the date (cancel type, expiry, sync).
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// ClockFunc adapts a function to Clock (tests use it to pin the date).
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

// SameDayJST reports whether a and b fall on the same calendar day in Japan.
func SameDayJST(a, b time.Time) bool {
	ay, am, ad := a.In(JST).Date()
	by, bm, bd := b.In(JST).Date()
	return ay == by && am == bm && ad == bd
}

// SameMonthJST reports whether a and b fall in the same calendar month in Japan.
func SameMonthJST(a, b time.Time) bool {
	ay, am, _ := a.In(JST).Date()
	by, bm, _ := b.In(JST).Date()
	return ay == by && am == bm
}

// DaysBetweenJST counts calendar days in Japan from a to b (0 on the same day).
func DaysBetweenJST(a, b time.Time) int {
	ay, am, ad := a.In(JST).Date()
	by, bm, bd := b.In(JST).Date()
	da := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// ParseJST reads the gateways' timestamps in Japan time — yyyyMMddHHmmss, yyyyMMddHHmm
// or a date yyyyMMdd — as UTC; "" or anything else is the zero time.
func ParseJST(s string) time.Time {
	layout := ""
	switch len(s) {
	case 14:
		layout = "20060102150405"
	case 12:
		layout = "200601021504"
	case 8:
		layout = "20060102"
	default:
		return time.Time{}
	}
	t, err := time.ParseInLocation(layout, s, JST)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// ParseDeadlineJST reads a payment deadline: a date alone means payable until the end
// of that day in Japan.
func ParseDeadlineJST(s string) time.Time {
	t := ParseJST(s)
	if len(s) == 8 && !t.IsZero() {
		return t.Add(24*time.Hour - time.Second)
	}
	return t
}

// FormatJST writes yyyyMMddHHmmss in Japan time ("" for the zero time).
func FormatJST(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(JST).Format("20060102150405")
}
