package paygent_test

// The client's arithmetic and edges, one rule at a time, against answers written by
// hand (mutation testing found each unguarded: MUTATION.md).

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

func TestCardOperationEdges(t *testing.T) {
	_, c, got := wireServer(t, func(kind string, form url.Values) string {
		return okHead + "payment_id=7002\ntrading_id=KD_E\nbase_payment_id=7001\n"
	})
	ctx := context.Background()
	auth := &backend.Payment{Method: backend.MethodCard, State: backend.StateAuthorized, GatewayOrderID: "KD_E", GatewayTranID: "7001", AmountAuthorized: 3000}

	// 売上 is of the whole authorisation: an amount of 0 means that; another is refused.
	_, err := c.Do(ctx, auth, backend.GatewayOp{Kind: backend.OpCapture})
	require.NoError(t, err)
	_, err = c.Do(ctx, auth, backend.GatewayOp{Kind: backend.OpCapture, Amount: 3000})
	require.NoError(t, err)
	n := len(*got)
	_, err = c.Do(ctx, auth, backend.GatewayOp{Kind: backend.OpCapture, Amount: 2999})
	assert.Equal(t, backend.EINVALID, code(err))
	assert.Len(t, *got, n)
	unknown := &backend.Payment{Method: backend.MethodCard, State: backend.StateAuthorized, GatewayOrderID: "KD_E", GatewayTranID: "7001"}
	_, err = c.Do(ctx, unknown, backend.GatewayOp{Kind: backend.OpCapture, Amount: 2999})
	require.NoError(t, err, "no authorised amount known here: Paygent judges")

	// A sale partly refunded is lowered from what is left.
	pr := &backend.Payment{Method: backend.MethodCard, State: backend.StatePartiallyRefunded, GatewayOrderID: "KD_E", GatewayTranID: "7001",
		AmountAuthorized: 6000, AmountCaptured: 6000, AmountRefunded: 1000}
	n = len(*got)
	_, err = c.Do(ctx, pr, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 5500})
	assert.Equal(t, backend.EUNSUPPORTED, code(err), "5,500 is more than the 5,000 left")
	assert.Len(t, *got, n)
	_, err = c.Do(ctx, pr, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4500})
	require.NoError(t, err)
	assert.Equal(t, "029", (*got)[len(*got)-1].form.Get("telegram_kind"))

	// A partial refund counts from the sale, or the authorisation when no sale amount is known.
	sold := &backend.Payment{Method: backend.MethodCard, State: backend.StateCaptured, GatewayOrderID: "KD_E", GatewayTranID: "7001", AmountAuthorized: 5000}
	_, err = c.Do(ctx, sold, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 5000})
	assert.Equal(t, backend.EINVALID, code(err), "the whole sale is a sales cancel")
	v, err := c.Do(ctx, sold, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 1000})
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(5000), v.AmountCaptured)
	sold.AmountCaptured = 4000 // sold less than authorised
	_, err = c.Do(ctx, sold, backend.GatewayOp{Kind: backend.OpPartialRefund, Amount: 4500})
	assert.Equal(t, backend.EINVALID, code(err))

	// 予約 → オーソリ: the amount within 1 yen and the maximum.
	reserved := &backend.Payment{Method: backend.MethodCard, State: backend.StateReserved, GatewayOrderID: "KD_E"}
	max := backend.MaxAmount(backend.GatewayPaygent)
	for _, amount := range []backend.Yen{-1, max + 1} {
		n := len(*got)
		_, err := c.Do(ctx, reserved, backend.GatewayOp{Kind: backend.OpAuthorize, Amount: amount})
		assert.Equal(t, backend.EINVALID, code(err), "%d", amount)
		assert.Len(t, *got, n)
	}
	_, err = c.Do(ctx, reserved, backend.GatewayOp{Kind: backend.OpAuthorize})
	assert.Equal(t, backend.EINVALID, code(err), "no amount at all")
	for _, amount := range []backend.Yen{1, max} {
		_, err := c.Do(ctx, reserved, backend.GatewayOp{Kind: backend.OpAuthorize, Amount: amount})
		require.NoError(t, err, "%d", amount)
	}
}

func TestInquiryEdges(t *testing.T) {
	answer := ""
	_, c, _ := wireServer(t, func(kind string, form url.Values) string { return answer })
	ctx := context.Background()

	// A reservation looked up by its trading_id finds the reference payment whose card it
	// will use — cancelled long ago: the reservation is still a reservation.
	answer = inquiry094("8001", "KD_R", "02", "32", "2000", "payment_init_date", "20260101100000", "cancel_date", "20260102100000")
	v, err := c.Inquire(ctx, &backend.Payment{Method: backend.MethodCard, State: backend.StateReserved, GatewayOrderID: "KD_R"})
	require.NoError(t, err)
	assert.Equal(t, backend.StateReserved, v.State)

	// A sale with no refund: the amount that equals the sale is a sale, not a refund of 0.
	answer = inquiry094("8002", "KD_S", "02", "40", "5000", "payment_init_date", "20261101100000", "payment_date", "20261102100000")
	v, err = c.Inquire(ctx, &backend.Payment{Method: backend.MethodCard, State: backend.StateCaptured, GatewayOrderID: "KD_S", GatewayTranID: "8002",
		AmountAuthorized: 5000, AmountCaptured: 5000})
	require.NoError(t, err)
	assert.Equal(t, backend.StateCaptured, v.State)
	assert.Equal(t, backend.Yen(5000), v.AmountCaptured)

	// An amount that is not a number, or negative, is no amount.
	for _, bad := range []string{"-100", "abc", ""} {
		answer = inquiry094("8003", "KD_N", "02", "20", bad, "payment_init_date", "20261101100000")
		v, err := c.Inquire(ctx, &backend.Payment{Method: backend.MethodCard, State: backend.StateNeedsReview, GatewayTranID: "8003"})
		require.NoError(t, err, bad)
		assert.Zero(t, v.AmountAuthorized, "%q", bad)
	}
}
