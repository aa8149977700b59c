package payment

// The plans' arithmetic and edges, one rule at a time (mutation testing found each
// unguarded: MUTATION.md). The engine's behaviour tests drive the same plans against
// the simulators; these pin the numbers a plan carries.

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

var now0 = time.Date(2026, 11, 10, 10, 0, 0, 0, backend.JST)

func sold(g backend.GatewayKind, amount, refunded backend.Yen) *backend.Payment {
	st := backend.StateCaptured
	if refunded > 0 {
		st = backend.StatePartiallyRefunded
	}
	return &backend.Payment{Gateway: g, Method: backend.MethodCard, State: st, AmountAuthorized: amount, AmountCaptured: amount,
		AmountRefunded: refunded, AuthorizedAt: now0.AddDate(0, 0, -2), CapturedAt: now0.AddDate(0, 0, -1), ProcessedAt: now0.AddDate(0, 0, -1)}
}

func TestCapturePlanRecordsTheAmountTheGatewayDidNotSay(t *testing.T) {
	pl, err := planCapture(&backend.Payment{Method: backend.MethodCard, State: backend.StateAuthorized}, 4000)
	require.NoError(t, err)
	u := &backend.Payment{}
	pl.adjust(u, nil, now0, nil)
	assert.Equal(t, backend.Yen(4000), u.AmountCaptured)
	assert.Equal(t, now0, u.CapturedAt)
	u = &backend.Payment{AmountCaptured: 3900, CapturedAt: now0.Add(-time.Minute)}
	pl.adjust(u, nil, now0, nil)
	assert.Equal(t, backend.Yen(3900), u.AmountCaptured, "what the gateway said stays")
	assert.Equal(t, now0.Add(-time.Minute), u.CapturedAt)
}

// Only Paygent lapses an authorisation at 60 days before the profile says.
func TestCaptureWindowIsPaygentsCardOnly(t *testing.T) {
	old := now0.AddDate(0, 0, -70)
	for _, g := range []backend.GatewayKind{backend.GatewaySBPS, backend.GatewayGMO} {
		p := &backend.Payment{Gateway: g, Method: backend.MethodCard, State: backend.StateAuthorized, AmountAuthorized: 1000, AuthorizedAt: old}
		_, _, err := planIntent(p, IntentCapture, Params{}, now0, nil)
		assert.NoError(t, err, g)
	}
	p := &backend.Payment{Gateway: backend.GatewayPaygent, Method: backend.MethodCard, State: backend.StateAuthorized, AmountAuthorized: 1000, AuthorizedAt: old}
	_, _, err := planIntent(p, IntentCapture, Params{}, now0, nil)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err))
}

// A 要返金(口座) is for what the customer paid and did not get back.
func TestManualRefundAmount(t *testing.T) {
	p := sold(backend.GatewayPaygent, 8000, 1000)
	p.RawStatus = "41" // past the sales-cancel period
	_, only, err := planIntent(p, IntentCancel, Params{}, now0, nil)
	require.NoError(t, err)
	require.NotNil(t, only)
	assert.Equal(t, backend.Yen(7000), only.manualRefund, "the sale less the refunds")

	slip := &backend.Payment{Gateway: backend.GatewaySBPS, Method: backend.MethodKonbini, State: backend.StateDeposited, AmountAuthorized: 4400}
	_, only, err = planIntent(slip, IntentCancel, Params{}, now0, nil)
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(4400), only.manualRefund, "a slip's amount")
}

func TestCancelPlanRecordsTheRefund(t *testing.T) {
	refund := cancelPlan(backend.OpReturn, backend.Text{})
	u := &backend.Payment{AmountCaptured: 5000, AmountRefunded: 1000}
	refund.adjust(u, nil, now0, nil)
	assert.Equal(t, backend.Yen(5000), u.AmountRefunded, "the rest of the sale is refunded")
	u = &backend.Payment{AmountCaptured: 5000, AmountRefunded: 5000}
	refund.adjust(u, nil, now0, nil)
	assert.Equal(t, backend.Yen(5000), u.AmountRefunded)
	void := cancelPlan(backend.OpVoid, backend.Text{})
	assert.Equal(t, backend.StateVoided, void.expect)
	u = &backend.Payment{AmountCaptured: 5000}
	void.adjust(u, nil, now0, nil)
	assert.Zero(t, u.AmountRefunded, "a 取消 refunds nothing")
	assert.Equal(t, backend.StateVoided, cancelPlan(backend.OpStopPayment, backend.Text{}).expect)
	assert.Equal(t, backend.StateRefunded, cancelPlan(backend.OpRefund, backend.Text{}).expect)
}

func TestAmountEdges(t *testing.T) {
	auth := &backend.Payment{Gateway: backend.GatewayGMO, Method: backend.MethodCard, State: backend.StateAuthorized,
		AmountAuthorized: 5000, AuthorizedAt: now0.AddDate(0, 0, -180)}
	max := backend.MaxAmount(backend.GatewayGMO)
	_, _, err := planIntent(auth, IntentChangeAmount, Params{Amount: max}, now0, nil)
	assert.NoError(t, err, "the gateway's maximum itself")
	_, _, err = planIntent(auth, IntentChangeAmount, Params{Amount: max + 1}, now0, nil)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))

	// GMO changes amounts until 180 days after the transaction.
	_, _, err = planIntent(auth, IntentChangeAmount, Params{Amount: 4000}, now0, nil)
	assert.NoError(t, err, "day 180")
	auth.AuthorizedAt = now0.AddDate(0, 0, -181)
	_, _, err = planIntent(auth, IntentChangeAmount, Params{Amount: 4000}, now0, nil)
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err), "day 181")
}

// SBPS lowers a sale by refunding the difference.
func TestSBPSChangeOfASaleRefundsTheDifference(t *testing.T) {
	pls, _, err := planIntent(sold(backend.GatewaySBPS, 10000, 0), IntentChangeAmount, Params{Amount: 7500}, now0, nil)
	require.NoError(t, err)
	require.Len(t, pls, 1)
	assert.Equal(t, backend.OpPartialRefund, pls[0].op.Kind)
	assert.Equal(t, backend.Yen(2500), pls[0].op.Amount)
	assert.Equal(t, backend.Text{Ja: "売上済のため、差額 2,500円 を部分返金します", En: "Captured already: the difference ¥2,500 is refunded"}, pls[0].reason)
}

func TestChangePlanKnowsWhenTheViewCannotTell(t *testing.T) {
	pl := changePlan(&backend.Payment{Gateway: backend.GatewayGMO}, 3000, backend.StateAuthorized, false, backend.Text{})
	ok, known := pl.amountCheck(&backend.GatewayView{})
	assert.False(t, known, "no amounts in the view")
	assert.False(t, ok)
	ok, known = pl.amountCheck(&backend.GatewayView{AmountAuthorized: 3000})
	assert.True(t, ok && known)
	ok, known = pl.amountCheck(&backend.GatewayView{AmountCaptured: 3000})
	assert.True(t, ok && known)
	ok, known = pl.amountCheck(&backend.GatewayView{AmountAuthorized: 3500})
	assert.True(t, known)
	assert.False(t, ok)
}

func TestPartialRefundPlans(t *testing.T) {
	for _, p := range []*backend.Payment{
		{Gateway: backend.GatewaySBPS, Method: backend.MethodCard, State: backend.StateAuthorized, AmountAuthorized: 5000},
		{Gateway: backend.GatewaySBPS, Method: backend.MethodKonbini, State: backend.StateCaptured, AmountCaptured: 5000},
	} {
		_, _, err := planIntent(p, IntentPartialRefund, Params{Amount: 1000}, now0, nil)
		assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(err), "%s %s", p.Method, p.State)
	}
	p := sold(backend.GatewaySBPS, 5000, 3000) // 2,000 left to refund
	_, _, err := planIntent(p, IntentPartialRefund, Params{Amount: 2500}, now0, nil)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "残額 2,000円 を超えています")
	_, _, err = planIntent(p, IntentPartialRefund, Params{Amount: 2000}, now0, nil)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "全額の返金は「キャンセル」", "the whole rest is a cancel")
	_, _, err = planIntent(p, IntentPartialRefund, Params{Amount: 0}, now0, nil)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "1円以上")
	_, _, err = planIntent(p, IntentPartialRefund, Params{Amount: 1}, now0, nil)
	assert.NoError(t, err)

	pls, _, err := planIntent(p, IntentPartialRefund, Params{Amount: 500}, now0, nil)
	require.NoError(t, err)
	assert.Equal(t, backend.Text{Ja: "500円 を部分返金します（返金後の売上 1,500円）", En: "Refund ¥500 (the sale is then ¥1,500)"}, pls[0].reason)
	assert.Equal(t, backend.Yen(500), pls[0].op.Amount)

	// GMO lowers the sale to what is left after the refund (ChangeTran).
	pls, _, err = planIntent(sold(backend.GatewayGMO, 8000, 1000), IntentPartialRefund, Params{Amount: 1500}, now0, nil)
	require.NoError(t, err)
	assert.Equal(t, backend.OpChangeAmount, pls[0].op.Kind)
	assert.Equal(t, backend.Yen(5500), pls[0].op.Amount)
}

func TestReauthIsGMOFamilyOnly(t *testing.T) {
	for _, g := range []backend.GatewayKind{backend.GatewayGMO, backend.GatewaySGP} {
		p := &backend.Payment{Gateway: g, Method: backend.MethodCard, State: backend.StateVoided, AmountAuthorized: 3000}
		_, _, err := planIntent(p, IntentReauth, Params{}, now0, nil)
		assert.NoError(t, err, g)
	}
	for _, g := range []backend.GatewayKind{backend.GatewaySBPS, backend.GatewayPaygent} {
		p := &backend.Payment{Gateway: g, Method: backend.MethodCard, State: backend.StateVoided, AmountAuthorized: 3000}
		_, _, err := planIntent(p, IntentReauth, Params{}, now0, nil)
		assert.Equal(t, backend.EUNSUPPORTED, backend.ErrorCode(err), g)
	}
}

// A new authorisation is dated by the gateway's answer: its authorisation date, else
// the processing date of the request, else the moment it answered.
func TestNewAuthorisationDates(t *testing.T) {
	prof := &backend.GatewayProfile{Kind: backend.GatewayGMO, AuthExpiryDays: 30}
	authAt, procAt := now0.Add(-3*time.Minute), now0.Add(-2*time.Minute)
	u := &backend.Payment{}
	newAuthorisation(u, &backend.GatewayView{AuthorizedAt: authAt, ProcessedAt: procAt}, now0, prof)
	assert.Equal(t, authAt, u.AuthorizedAt)
	assert.Equal(t, authAt.AddDate(0, 0, 30), u.AuthExpiresAt)
	newAuthorisation(u, &backend.GatewayView{ProcessedAt: procAt}, now0, prof)
	assert.Equal(t, procAt, u.AuthorizedAt)
	newAuthorisation(u, &backend.GatewayView{}, now0, prof)
	assert.Equal(t, now0, u.AuthorizedAt)
	newAuthorisation(u, nil, now0, prof)
	assert.Equal(t, now0, u.AuthorizedAt)

	// The profile's period, else the gateway's usual one.
	assert.Equal(t, now0.AddDate(0, 0, 30), authExpiry(now0, prof))
	assert.Equal(t, now0.AddDate(0, 0, 90), authExpiry(now0, &backend.GatewayProfile{Kind: backend.GatewayGMO}))
	assert.Equal(t, now0.AddDate(0, 0, 60), authExpiry(now0, &backend.GatewayProfile{Kind: backend.GatewaySBPS}))
	assert.Equal(t, now0, authExpiry(now0, nil))
}

// After a crash, a GMO 部分返金 (sent as ChangeTran to the lower sale) is rebuilt from
// the journal with the refund it stood for.
func TestPlanFromTheJournalOfAGMOPartialRefund(t *testing.T) {
	p := sold(backend.GatewayGMO, 8000, 1000)
	op := &backend.Operation{ID: 7, Intent: string(IntentPartialRefund), Kind: backend.OpChangeAmount, Amount: 5500, BeforeState: p.State}
	pl, err := planFromJournal(op, p, now0)
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(5500), pl.op.Amount)
	u := *p
	pl.adjust(&u, &backend.GatewayView{AmountCaptured: 5500}, now0, nil)
	assert.Equal(t, backend.Yen(2500), u.AmountRefunded, "1,000 before and 1,500 now")
	assert.Equal(t, backend.StatePartiallyRefunded, u.State)
}
