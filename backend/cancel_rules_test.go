package backend

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Rules a mutation once changed without any test noticing (MUTATION.md): each case is
// written from the gateways' rules.
func TestChooseCancelRulesEachGatewayHolds(t *testing.T) {
	now := jst(2026, 11, 24, 9, 0)

	// SMBC GMO PAYMENT speaks GMO's protocol: its konbini slips are stopped too.
	ch, err := ChooseCancel(&Payment{Gateway: GatewaySGP, Method: MethodKonbini, State: StateAwaitingDeposit}, now)
	require.NoError(t, err)
	assert.Equal(t, OpStopPayment, ch.Kind)
	ch, err = ChooseCancel(&Payment{Gateway: GatewaySBPS, Method: MethodKonbini, State: StateAwaitingDeposit}, now)
	require.NoError(t, err)
	assert.Equal(t, OpKind(""), ch.Kind, "SBPS slips cannot be stopped: they expire")
	assert.False(t, ch.ManualRefund)

	// A payment still in progress (未処理) is not cancelled until its state is known.
	for _, g := range []GatewayKind{GatewayGMO, GatewaySGP, GatewaySBPS, GatewayPaygent} {
		for _, m := range []PaymentMethod{MethodCard, MethodKonbini} {
			_, err := ChooseCancel(&Payment{Gateway: g, Method: m, State: StatePending, ProcessedAt: now}, now)
			assert.Equal(t, ECONFLICT, ErrorCode(err), "%s %s pending", g, m)
		}
	}

	// Money paid at a store or bank comes back by bank transfer, whatever the gateway.
	for _, g := range []GatewayKind{GatewayGMO, GatewaySGP, GatewaySBPS, GatewayPaygent} {
		ch, err := ChooseCancel(&Payment{Gateway: g, Method: MethodKonbini, State: StateDeposited}, now)
		require.NoError(t, err)
		assert.True(t, ch.ManualRefund, "%s deposited konbini: 要返金", g)
		assert.Equal(t, OpKind(""), ch.Kind)
	}

	// Expired: only a GMO-family card authorisation is still held (and released);
	// an expired SBPS or Paygent authorisation, or an expired slip, is gone.
	for _, p := range []*Payment{
		{Gateway: GatewaySBPS, Method: MethodCard, State: StateExpired, ProcessedAt: now.AddDate(0, 0, -1)},
		{Gateway: GatewayPaygent, Method: MethodCard, State: StateExpired, ProcessedAt: now.AddDate(0, 0, -1)},
		{Gateway: GatewayGMO, Method: MethodKonbini, State: StateExpired, ProcessedAt: now.AddDate(0, 0, -1)},
	} {
		ch, err := ChooseCancel(p, now)
		require.NoError(t, err)
		assert.Equal(t, OpKind(""), ch.Kind, "%s %s expired: nothing to send", p.Gateway, p.Method)
		assert.False(t, ch.ManualRefund)
	}
	ch, err = ChooseCancel(&Payment{Gateway: GatewaySGP, Method: MethodCard, State: StateExpired, ProcessedAt: now.AddDate(0, 0, -1)}, now)
	require.NoError(t, err)
	assert.Equal(t, OpReturn, ch.Kind, "an SGP authorisation past its capture window is still released")
}
