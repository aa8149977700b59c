package sbps_test

// The client's arithmetic and edges, one rule at a time, against answers written by
// hand (mutation testing found each unguarded: MUTATION.md).

import (
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sbps"
)

var amountTag = regexp.MustCompile(`<amount>([0-9]+)</amount>`)

// sentAmount is the amount of the last request the fake received.
func sentAmount(t *testing.T, fake *fakeSBPS) string {
	t.Helper()
	m := amountTag.FindSubmatch(fake.got[len(fake.got)-1].body)
	require.NotNil(t, m, "no amount sent")
	return string(m[1])
}

// What was sold is the captured amount; the authorised amount only when no capture
// amount is known (a payment learned from SBPS, whose inquiry has no amounts).
func TestPartialRefundsCountFromTheSale(t *testing.T) {
	fake, c := startFake(t)
	ctx := context.Background()
	fake.answers[sbps.APIPartialRefund] = okAnswer(sbps.APIPartialRefund, "20261110093015", "")

	// Sold 5,000 of an authorisation of 6,000: 5,500 is more than the sale.
	p := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", State: backend.StateCaptured, AmountAuthorized: 6000, AmountCaptured: 5000}
	n := len(fake.got)
	_, err := c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 5500})
	assert.Equal(t, backend.EINVALID, code(err))
	assert.Len(t, fake.got, n, "not sent")

	// The whole rest refunded in parts is a refund.
	p.AmountRefunded = 3000
	v, err := c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 2000})
	require.NoError(t, err)
	assert.Equal(t, backend.StateRefunded, v.State)
	assert.Equal(t, backend.Yen(5000), v.AmountRefunded)
	v, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 1999})
	require.NoError(t, err)
	assert.Equal(t, backend.StatePartiallyRefunded, v.State, "one yen is left")

	// Only the authorised amount known: it is the sale.
	q := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", State: backend.StateCaptured, AmountAuthorized: 4000}
	v, err = c.Do(ctx, q, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 1000})
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(4000), v.AmountCaptured)
	_, err = c.Do(ctx, q, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 4001})
	assert.Equal(t, backend.EINVALID, code(err))

	// No amount known at all: SBPS judges (K1), and a partial refund stays partial.
	r := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", State: backend.StateCaptured}
	v, err = c.Do(ctx, r, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 700})
	require.NoError(t, err)
	assert.Equal(t, backend.StatePartiallyRefunded, v.State)
}

// 金額変更 of a sale partly refunded lowers what is left: the difference is refunded.
func TestChangeOfAPartlyRefundedSale(t *testing.T) {
	fake, c := startFake(t)
	fake.answers[sbps.APIPartialRefund] = okAnswer(sbps.APIPartialRefund, "20261110093015", "")
	p := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", State: backend.StatePartiallyRefunded,
		AmountAuthorized: 6000, AmountCaptured: 6000, AmountRefunded: 1000}
	_, err := c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4000})
	require.NoError(t, err)
	assert.Equal(t, "1000", sentAmount(t, fake), "5,000 left, lowered to 4,000")
	_, err = c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 5500})
	assert.Equal(t, backend.EUNSUPPORTED, code(err), "5,500 is more than the 5,000 left")
}

// A full refund is of the sale (or, unknown, the authorisation).
func TestRefundAmounts(t *testing.T) {
	fake, c := startFake(t)
	fake.answers[sbps.APICardInquiry] = cardInquiry("0", "1", sbps.StatusCaptured)
	fake.answers[sbps.APICancelRefund] = okAnswer(sbps.APICancelRefund, "20261110094500", "")
	v, err := c.Do(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", State: backend.StateCaptured,
		AmountAuthorized: 3000}, backend.GatewayOp{Kind: backend.OpRefund})
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(3000), v.AmountRefunded)
	v, err = c.Do(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", State: backend.StateCaptured,
		AmountAuthorized: 3000, AmountCaptured: 2500}, backend.GatewayOp{Kind: backend.OpRefund})
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(2500), v.AmountRefunded)
}

func TestReauthorisationAmountEdges(t *testing.T) {
	fake, c := startFake(t)
	fake.answers[sbps.APIReauthorize] = okAnswer(sbps.APIReauthorize, "20261110095959", "\n    <res_tracking_id>00000013413999</res_tracking_id>")
	p := &backend.Payment{Method: backend.MethodCard, GatewayTranID: "00000013413917", GatewayOrderID: "KD-SB-9", State: backend.StateVoided}
	max := backend.MaxAmount(backend.GatewaySBPS)
	for _, amount := range []backend.Yen{0, -1, max + 1} {
		n := len(fake.got)
		_, err := c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpReauth, Amount: amount})
		assert.Equal(t, backend.EINVALID, code(err), "%d", amount)
		assert.Len(t, fake.got, n, "not sent")
	}
	for _, amount := range []backend.Yen{1, max} {
		_, err := c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpReauth, Amount: amount})
		require.NoError(t, err, "%d", amount)
	}
	p.AmountAuthorized = 2800
	_, err := c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpReauth})
	require.NoError(t, err, "the amount as before")
}

// Only the Pay-easy inquiry, whose API id is unconfirmed, turns "unknown API" into
// "check the console"; any other error stays what SBPS said.
func TestDepositInquiryErrors(t *testing.T) {
	fake, c := startFake(t)
	fake.answers[sbps.APIPayEasyInquiry] = ngAnswer("70302000")
	_, err := c.Inquire(context.Background(), &backend.Payment{Method: backend.MethodPayEasy, GatewayTranID: "83897187434766"})
	assert.Equal(t, backend.EUNSUPPORTED, code(err))
	assert.Contains(t, msg(err), "Pay-easyの決済結果照会に応じませんでした")
	fake.answers[sbps.APIPayEasyInquiry] = ngAnswer("70380999")
	_, err = c.Inquire(context.Background(), &backend.Payment{Method: backend.MethodPayEasy, GatewayTranID: "83897187434766"})
	assert.Equal(t, backend.ClassUnknown, class(err), "a system error is a system error")
	fake.answers[sbps.APIWebCvsInquiry] = ngAnswer("70102000")
	_, err = c.Inquire(context.Background(), &backend.Payment{Method: backend.MethodKonbini, GatewayTranID: "83897187434765"})
	assert.NotContains(t, msg(err), "Pay-easy")
}

// Past bill_date only an unpaid slip reads as expired; a paid one is paid.
func TestDepositPastItsDeadline(t *testing.T) {
	fake, c := startFake(t) // the client's clock: 2026-11-10 10:00 JST
	slip := &backend.Payment{Method: backend.MethodKonbini, GatewayTranID: "83897187434765"}
	fake.answers[sbps.APIWebCvsInquiry] = depositInquiry(sbps.APIWebCvsInquiry, "20261109", sbps.DepositPaid)
	v, err := c.Inquire(context.Background(), slip)
	require.NoError(t, err)
	assert.Equal(t, backend.StateDeposited, v.State)
	fake.answers[sbps.APIWebCvsInquiry] = depositInquiry(sbps.APIWebCvsInquiry, "20261110", sbps.DepositUnpaid)
	v, err = c.Inquire(context.Background(), slip)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAwaitingDeposit, v.State, "payable to the end of its day")
	fake.answers[sbps.APIWebCvsInquiry] = depositInquiry(sbps.APIWebCvsInquiry, "", sbps.DepositUnpaid)
	v, err = c.Inquire(context.Background(), slip)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAwaitingDeposit, v.State, "no deadline known")
}
