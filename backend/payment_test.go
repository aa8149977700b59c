package backend

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestStateMachineLegalTransitions(t *testing.T) {
	legal := []struct{ from, to PaymentState }{
		{StatePending, StateAuthorized},
		{StatePending, StateCaptured}, // 即時売上
		{StatePending, StateAwaitingDeposit},
		{StateReserved, StateAuthorized}, // 予約 → オーソリ
		{StateAuthorized, StateCaptured},
		{StateAuthorized, StateVoided},
		{StateAuthorized, StateRefunded}, // GMO RETURN of an uncaptured auth in a later month
		{StateAuthorized, StateExpired},
		{StateAuthorized, StateCaptureFailed},
		{StateAuthorized, StateAuthorized}, // 金額変更 (仮売上)
		{StateCaptureFailed, StateCaptured},
		{StateCaptured, StateVoided}, // VOID on the same day
		{StateCaptured, StateRefunded},
		{StateCaptured, StatePartiallyRefunded},
		{StateCaptured, StateCaptured}, // 金額変更 (即時売上)
		{StatePartiallyRefunded, StatePartiallyRefunded},
		{StatePartiallyRefunded, StateRefunded},
		{StateVoided, StateAuthorized}, // 再オーソリ
		{StateRefunded, StateCaptured}, // 再オーソリ as 即時売上
		{StateAwaitingDeposit, StateDeposited},
		{StateAwaitingDeposit, StateExpired},
		{StateAwaitingDeposit, StateVoided}, // 支払停止
		{StateExpired, StateDeposited},      // a late net-bank payment
		{StateSubscriptionWaiting, StateSubscriptionReported},
		{StateSubscriptionReported, StateCaptured},
		{StateCaptured, StateNeedsReview}, // anything can need review
		{StateNeedsReview, StateCaptured}, // and be resolved to what the gateway says
	}
	for _, c := range legal {
		assert.True(t, CanTransition(c.from, c.to), "%s → %s should be legal", c.from, c.to)
	}
}

func TestStateMachineIllegalTransitions(t *testing.T) {
	illegal := []struct{ from, to PaymentState }{
		{StateVoided, StateRefunded},  // nothing to refund after a void
		{StateVoided, StateDeposited}, // a card is never deposited
		{StateRefunded, StatePartiallyRefunded},
		{StateCaptured, StateAuthorized}, // a capture cannot be un-captured into an auth
		{StateCaptured, StateExpired},    // a captured sale does not expire
		{StateExpired, StateCaptured},    // an expired auth cannot be captured
		{StateDeposited, StateAwaitingDeposit},
		{StateAwaitingDeposit, StateCaptured},
		{StatePending, StateRefunded},
		{StatePending, StateDeposited},
		{StateReserved, StateRefunded},
		{StatePartiallyRefunded, StateCaptured},
		{StateSubscriptionWaiting, StateCaptured},
		{"bogus", StateCaptured},
		{StateCaptured, "bogus"},
	}
	for _, c := range illegal {
		assert.False(t, CanTransition(c.from, c.to), "%s → %s should be illegal", c.from, c.to)
	}
}

func TestEveryStateHasLabelsAndRules(t *testing.T) {
	for _, s := range PaymentStates {
		assert.NotEmpty(t, s.Label(), s)
		assert.NotEmpty(t, s.LabelEn(), s)
		_, ok := legalTransitions[s]
		assert.True(t, ok, "state %s has no transition rule", s)
	}
	for _, s := range OrderStatuses {
		assert.NotEmpty(t, s.Label())
		assert.True(t, s.Valid())
	}
	assert.Equal(t, "仮売上", StateAuthorized.Label())
	assert.Equal(t, "入金済み", OrderPaid.Label())
}

func TestFormatYen(t *testing.T) {
	assert.Equal(t, "0", FormatYen(0))
	assert.Equal(t, "999", FormatYen(999))
	assert.Equal(t, "1,000", FormatYen(1000))
	assert.Equal(t, "12,345,678", FormatYen(12345678))
	assert.Equal(t, "-1,234", FormatYen(-1234))
	assert.Equal(t, "5,775円", Yen(5775).String())
}

func TestJSTCalendar(t *testing.T) {
	// 2026-11-30 23:59 JST and 2026-12-01 00:00 JST are different days and months,
	// although both are 30 November in UTC.
	a := time.Date(2026, 11, 30, 23, 59, 0, 0, JST)
	b := time.Date(2026, 12, 1, 0, 0, 0, 0, JST)
	assert.Equal(t, a.UTC().Day(), b.UTC().Day())
	assert.False(t, SameDayJST(a, b))
	assert.False(t, SameMonthJST(a, b))
	assert.Equal(t, 1, DaysBetweenJST(a, b))
	assert.True(t, SameMonthJST(time.Date(2026, 11, 1, 0, 0, 0, 0, JST), a))
	assert.Equal(t, 0, DaysBetweenJST(b, b.Add(23*time.Hour)))
}

func TestOrderValidate(t *testing.T) {
	ok := &Order{OrderNo: "1", PaymentMethod: MethodCard, Status: OrderNew,
		Items:    []LineItem{{ProductName: "A", UnitPrice: 1000, Quantity: 2}},
		Subtotal: 2000, Discount: 100, Shipping: 500, Fee: 0, PointsUsed: 200, Total: 2200}
	assert.NoError(t, ok.Validate())

	bad := *ok
	bad.Total = 2300
	err := bad.Validate()
	assert.Equal(t, EINVALID, ErrorCode(err))
	assert.Contains(t, ErrorMessage(err, "ja"), "お支払い合計")

	bad = *ok
	bad.Items = []LineItem{{ProductName: "A", UnitPrice: 1000, Quantity: 0}}
	assert.Equal(t, EINVALID, ErrorCode(bad.Validate()))

	bad = *ok
	bad.PaymentMethod = "bitcoin"
	assert.Equal(t, EINVALID, ErrorCode(bad.Validate()))
}

func TestYenArithmeticIsBounded(t *testing.T) {
	assert.Equal(t, "-9,223,372,036,854,775,808", FormatYen(Yen(math.MinInt64)))
	assert.Equal(t, "9,223,372,036,854,775,807", FormatYen(Yen(math.MaxInt64)))
	assert.Equal(t, "-1,234", FormatYen(-1234))

	// 2^62 × 4 wraps to 0 in int64: refused, never stored as a total of 0.
	o := &Order{OrderNo: "X1", PaymentMethod: MethodOther, Status: OrderNew,
		Items: []LineItem{{ProductName: "壺", UnitPrice: 1 << 62, Quantity: 4}}}
	assert.Equal(t, EINVALID, ErrorCode(o.Validate()))
	o = &Order{OrderNo: "X2", PaymentMethod: MethodOther, Status: OrderNew, Subtotal: MaxOrderAmount + 1, Total: MaxOrderAmount + 1}
	assert.Equal(t, EINVALID, ErrorCode(o.Validate()))
	o = &Order{OrderNo: "X3", PaymentMethod: MethodOther, Status: OrderNew, Discount: -5, Subtotal: 100, Total: 105}
	assert.Equal(t, EINVALID, ErrorCode(o.Validate()), "a negative discount is not a surcharge")
	o = &Order{OrderNo: "X4", PaymentMethod: MethodOther, Status: OrderNew,
		Items: []LineItem{{ProductName: "茶", UnitPrice: 1200, Quantity: 3}}, Subtotal: 3600, Total: 3600}
	assert.NoError(t, o.Validate())
}
