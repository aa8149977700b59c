// Package demo creates the demo shop of the embedded default: a few hundred realistic
// orders across every payment method and state, whose payments exist at the built-in
// sandbox gateway, so the app is fully usable on first start with no contract.
package demo

import (
	"fmt"
	"math/rand"
	"time"

	"kessaidesk/backend"
)

// Spec is one generated order and the state its payment has at the gateway.
type Spec struct {
	Order        *backend.Order
	State        backend.PaymentState // "" = no gateway payment (bank transfer, cash on delivery)
	AuthorizedAt time.Time
	CapturedAt   time.Time
	Deadline     time.Time // 支払期限 of konbini / Pay-easy / net bank
	PaidAt       time.Time
	Refunded     backend.Yen
}

// Generate makes n orders spread over span before now, oldest first, numbered from
// firstNo. The same seed gives the same shop.
func Generate(seed int64, n int, firstNo int, now time.Time, span time.Duration) []Spec {
	rng := rand.New(rand.NewSource(seed))
	out := make([]Spec, 0, n)
	for i := 0; i < n; i++ {
		// Later orders are newer; a little jitter so times are not regular.
		frac := float64(i+1) / float64(n)
		ordered := now.Add(-time.Duration(float64(span) * (1 - frac))).Add(-time.Duration(rng.Intn(600)) * time.Second)
		out = append(out, generateOne(rng, firstNo+i, ordered, now))
	}
	return out
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.Intn(len(xs))] }

// weighted picks a key by weight.
func weighted[T any](rng *rand.Rand, choices []weight[T]) T {
	total := 0
	for _, c := range choices {
		total += c.w
	}
	r := rng.Intn(total)
	for _, c := range choices {
		if r < c.w {
			return c.v
		}
		r -= c.w
	}
	return choices[len(choices)-1].v
}

type weight[T any] struct {
	v T
	w int
}

func generateOne(rng *rand.Rand, no int, ordered, now time.Time) Spec {
	sur, given := pick(rng, surnames), pick(rng, givenNames)
	o := &backend.Order{
		OrderNo:      fmt.Sprint(no),
		OrderedAt:    ordered.UTC().Truncate(time.Second),
		CustomerName: sur.kanji + " " + given.kanji,
		CustomerKana: sur.kana + " " + given.kana,
		Email:        fmt.Sprintf("%s.%s%d@%s", kanaRomaji(given.kana), kanaRomaji(sur.kana), rng.Intn(100), pick(rng, mailDomains)),
		Tel:          phone(rng),
		Memo:         pick(rng, memos),
		Source:       "demo",
	}
	for lines := 1 + rng.Intn(3); lines > 0; lines-- {
		p := pick(rng, products)
		it := backend.LineItem{ProductCode: p.code, ProductName: p.name, UnitPrice: backend.Yen(p.price), Quantity: int64(1 + rng.Intn(2))}
		if len(p.variants) > 0 {
			it.Variant = pick(rng, p.variants)
		}
		o.Items = append(o.Items, it)
		o.Subtotal += it.UnitPrice * backend.Yen(it.Quantity)
	}
	if o.Subtotal < 5500 {
		o.Shipping = 660
	}
	if rng.Intn(20) == 0 {
		o.Discount = o.Subtotal / 10 // 10% クーポン
	}
	if rng.Intn(8) == 0 {
		o.PointsUsed = backend.Yen(100 * (1 + rng.Intn(5)))
	}
	o.PaymentMethod = weighted(rng, []weight[backend.PaymentMethod]{
		{backend.MethodCard, 62}, {backend.MethodKonbini, 14}, {backend.MethodPayEasy, 7},
		{backend.MethodNetBank, 5}, {backend.MethodOther, 12},
	})
	if o.PaymentMethod == backend.MethodKonbini || o.PaymentMethod == backend.MethodOther {
		o.Fee = 330 // コンビニ決済手数料 / 代引手数料
	}
	o.Total = o.ComputeTotal()

	s := Spec{Order: o}
	age := now.Sub(o.OrderedAt)
	days := age.Hours() / 24
	switch o.PaymentMethod {
	case backend.MethodCard:
		s.AuthorizedAt = o.OrderedAt
		switch {
		case days < 2:
			s.State = weighted(rng, []weight[backend.PaymentState]{
				{backend.StateAuthorized, 86}, {backend.StatePending, 8}, {backend.StateReserved, 4}, {backend.StateCaptured, 2}})
		case days < 85:
			s.State = weighted(rng, []weight[backend.PaymentState]{
				{backend.StateAuthorized, 30}, {backend.StateCaptured, 48}, {backend.StateVoided, 7}, {backend.StateRefunded, 6},
				{backend.StateCaptureFailed, 4}, {backend.StatePartiallyRefunded, 3}, {backend.StateNeedsReview, 2}})
		default:
			s.State = weighted(rng, []weight[backend.PaymentState]{
				{backend.StateCaptured, 75}, {backend.StateRefunded, 10}, {backend.StateVoided, 10}, {backend.StateExpired, 5}})
		}
		if s.State == backend.StatePending || s.State == backend.StateReserved {
			s.AuthorizedAt = time.Time{}
		}
		switch s.State {
		case backend.StateCaptured, backend.StateRefunded, backend.StatePartiallyRefunded:
			s.CapturedAt = o.OrderedAt.Add(time.Duration(1+rng.Intn(72)) * time.Hour)
			if s.CapturedAt.After(now) {
				s.CapturedAt = now.Add(-time.Minute)
			}
		}
		if s.State == backend.StatePartiallyRefunded {
			s.Refunded = o.Total / 5
		}
	case backend.MethodKonbini, backend.MethodPayEasy, backend.MethodNetBank:
		term := map[backend.PaymentMethod]int{backend.MethodKonbini: 7, backend.MethodPayEasy: 10, backend.MethodNetBank: 2}[o.PaymentMethod]
		s.Deadline = endOfDayJST(o.OrderedAt.AddDate(0, 0, term))
		if now.Before(s.Deadline) {
			s.State = weighted(rng, []weight[backend.PaymentState]{{backend.StateAwaitingDeposit, 60}, {backend.StateDeposited, 40}})
		} else {
			s.State = weighted(rng, []weight[backend.PaymentState]{{backend.StateDeposited, 85}, {backend.StateExpired, 15}})
		}
		if s.State == backend.StateDeposited {
			paid := o.OrderedAt.Add(time.Duration(1+rng.Intn(48)) * time.Hour)
			if paid.After(now) {
				paid = now.Add(-time.Minute)
			}
			s.PaidAt = paid
		}
	}
	o.Status = orderStatus(rng, s, days)
	return s
}

// orderStatus is the 対応状況 a back office would show for such a payment.
func orderStatus(rng *rand.Rand, s Spec, days float64) backend.OrderStatus {
	shippedAfter := 3 + rng.Float64()*4
	switch s.State {
	case "":
		switch {
		case days < 3:
			return backend.OrderNew
		case days < 6:
			return backend.OrderPaid
		}
		return backend.OrderShipped
	case backend.StateAuthorized, backend.StateCaptureFailed, backend.StateNeedsReview:
		if rng.Intn(20) == 0 {
			return backend.OrderOnHold
		}
		return backend.OrderNew
	case backend.StateExpired:
		if s.Order.PaymentMethod == backend.MethodNetBank {
			return backend.OrderAwaitingDeposit // a net-bank expiry does not cancel the order
		}
		if s.Order.PaymentMethod == backend.MethodCard {
			return backend.OrderNew // the authorisation lapsed before anyone captured it
		}
		return backend.OrderCancelled
	case backend.StatePending:
		return backend.OrderProcessing
	case backend.StateReserved:
		return backend.OrderReserved
	case backend.StateVoided, backend.StateRefunded:
		return backend.OrderCancelled
	case backend.StateAwaitingDeposit:
		return backend.OrderAwaitingDeposit
	}
	if days < shippedAfter {
		return backend.OrderPaid
	}
	return backend.OrderShipped
}

func endOfDayJST(t time.Time) time.Time {
	y, m, d := t.In(backend.JST).Date()
	return time.Date(y, m, d, 23, 59, 59, 0, backend.JST).UTC()
}

func phone(rng *rand.Rand) string {
	if rng.Intn(5) == 0 {
		return fmt.Sprintf("0%d-%04d-%04d", pick(rng, []int{3, 6, 52, 92, 11}), rng.Intn(10000), rng.Intn(10000))
	}
	return fmt.Sprintf("0%d0-%04d-%04d", pick(rng, []int{9, 8, 7}), rng.Intn(10000), rng.Intn(10000))
}
