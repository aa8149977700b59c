package backend

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Paygent's 売上取消 is refused about 60 days after the authorisation or after the sale,
// depending on the contract (status 41 消込済（売上取消期限切）, code 2007; research
// sbps-paygent.md §B5, §B7). The profile says which and how many days; the usual
// contract is 60 days from the sale. Days are JST calendar days, the last one inside.
func TestChooseCancelPaygentWindowFromAuthorisationOrSale(t *testing.T) {
	fromSale := &GatewayProfile{Kind: GatewayPaygent}
	fromAuth := &GatewayProfile{Kind: GatewayPaygent, SalesCancel: CancelWindow{From: CancelFromAuth, Days: 60}}
	sale30 := &GatewayProfile{Kind: GatewayPaygent, SalesCancel: CancelWindow{From: CancelFromSale, Days: 30}}
	cases := []struct {
		name           string
		prof           *GatewayProfile
		auth, sale     time.Time
		now            time.Time
		manual         bool
		reasonMentions string
	}{
		{"usual: 60th day after the sale, 23:59", fromSale, jst(2026, 8, 1, 9, 0), jst(2026, 9, 10, 10, 0), jst(2026, 11, 9, 23, 59), false, ""},
		{"usual: 61st day after the sale, 00:00", fromSale, jst(2026, 8, 1, 9, 0), jst(2026, 9, 10, 10, 0), jst(2026, 11, 10, 0, 0), true, "売上日（2026/09/10）から60日"},
		{"usual: the authorisation's age does not count", fromSale, jst(2026, 6, 1, 9, 0), jst(2026, 10, 20, 9, 0), jst(2026, 11, 10, 9, 0), false, ""},
		{"nil profile is the usual contract", nil, jst(2026, 8, 1, 9, 0), jst(2026, 9, 10, 10, 0), jst(2026, 11, 10, 0, 0), true, "売上日"},
		{"from auth: 60th day after the authorisation", fromAuth, jst(2026, 9, 1, 23, 30), jst(2026, 10, 20, 9, 0), jst(2026, 10, 31, 23, 59), false, ""},
		{"from auth: 61st day, sold 12 days ago", fromAuth, jst(2026, 9, 1, 23, 30), jst(2026, 10, 20, 9, 0), jst(2026, 11, 1, 0, 0), true, "オーソリ日（2026/09/01）から60日"},
		// Authorised 08:30 JST on 1 Sep (31 Aug in UTC), cancelled 09:30 JST on 31 Oct
		// (31 Oct in UTC): the 60th JST day, though the 61st UTC day.
		{"from auth: JST days, not UTC", fromAuth, jst(2026, 9, 1, 8, 30), jst(2026, 10, 20, 9, 0), jst(2026, 10, 31, 9, 30), false, ""},
		{"30 days from the sale: 31st day", sale30, jst(2026, 10, 1, 9, 0), jst(2026, 10, 10, 9, 0), jst(2026, 11, 10, 9, 0), true, "売上日（2026/10/10）から30日"},
		{"30 days from the sale: 30th day", sale30, jst(2026, 10, 1, 9, 0), jst(2026, 10, 10, 9, 0), jst(2026, 11, 9, 9, 0), false, ""},
		// The date the window counts from is not known: 売上取消 is sent and Paygent's
		// answer (2007) says whether the window passed.
		{"from auth, authorisation date unknown", fromAuth, time.Time{}, jst(2026, 5, 1, 9, 0), jst(2026, 11, 10, 9, 0), false, ""},
		{"from sale, sale date unknown", fromSale, jst(2026, 5, 1, 9, 0), time.Time{}, jst(2026, 11, 10, 9, 0), false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &Payment{Gateway: GatewayPaygent, Method: MethodCard, State: StateCaptured, AuthorizedAt: c.auth.UTC(), CapturedAt: c.sale.UTC(),
				AmountAuthorized: 5000, AmountCaptured: 5000, RawStatus: "40"}
			ch, err := ChooseCancelFor(p, c.prof, c.now.UTC())
			require.NoError(t, err)
			assert.Equal(t, c.manual, ch.ManualRefund)
			if c.manual {
				assert.Empty(t, ch.Kind, "nothing is sent")
				assert.Contains(t, ch.Reason, c.reasonMentions)
				assert.Contains(t, ch.Reason, "要返金(口座)")
			} else {
				assert.Equal(t, OpRefund, ch.Kind, "売上取消 (023)")
			}
		})
	}
}

// 41 (消込済（売上取消期限切）) is Paygent's own word that the window has passed,
// whatever the dates say. An authorisation (20) is cancelled with 021 at any age the
// sales window might suggest.
func TestChooseCancelPaygentStatus41AndAuthorisations(t *testing.T) {
	now := jst(2026, 11, 10, 9, 0)
	p := &Payment{Gateway: GatewayPaygent, Method: MethodCard, State: StateCaptured, RawStatus: "41",
		AuthorizedAt: now.AddDate(0, 0, -3), CapturedAt: now.AddDate(0, 0, -2), AmountCaptured: 3000}
	ch, err := ChooseCancelFor(p, &GatewayProfile{Kind: GatewayPaygent, SalesCancel: CancelWindow{Days: 365}}, now)
	require.NoError(t, err)
	assert.True(t, ch.ManualRefund)
	assert.True(t, strings.Contains(ch.Reason, "売上取消期限切"), ch.Reason)

	auth := &Payment{Gateway: GatewayPaygent, Method: MethodCard, State: StateAuthorized, AuthorizedAt: now.AddDate(0, 0, -59)}
	ch, err = ChooseCancelFor(auth, &GatewayProfile{Kind: GatewayPaygent, SalesCancel: CancelWindow{From: CancelFromAuth, Days: 10}}, now)
	require.NoError(t, err)
	assert.Equal(t, OpVoid, ch.Kind)
}

func TestCancelWindowDefaultsAndValidity(t *testing.T) {
	assert.Equal(t, CancelWindow{From: CancelFromSale, Days: 60}, CancelWindow{}.OrDefault())
	assert.Equal(t, CancelWindow{From: CancelFromAuth, Days: 60}, CancelWindow{From: CancelFromAuth}.OrDefault())
	assert.Equal(t, CancelWindow{From: CancelFromSale, Days: 45}, CancelWindow{Days: 45}.OrDefault())
	for _, ok := range []CancelWindow{{}, {From: CancelFromAuth, Days: 1}, {From: CancelFromSale, Days: 365}} {
		assert.True(t, ok.Valid(), "%+v", ok)
	}
	for _, bad := range []CancelWindow{{From: "capture"}, {Days: -1}, {Days: 366}} {
		assert.False(t, bad.Valid(), "%+v", bad)
	}
	assert.Equal(t, "オーソリ日", CancelFromAuth.Label())
	assert.Equal(t, "売上日", CancelFromSale.Label())
}
