package sbps_test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/simkit"
)

// Whatever goes wrong after SBPS applied a 売上 — a dropped connection, a 500, a cut or
// garbled answer, an answer with the wrong shape, no answer at all — the client says
// "unknown", never "failed", so the engine asks before anything is sent again.
func TestFaultsAfterTheLogicAreUnknown(t *testing.T) {
	f := setup(t)
	f.client = newClient(t, f.sim, sbps.Config{Timeout: 300 * time.Millisecond})
	ctx := context.Background()
	for i, kind := range []simkit.FaultKind{simkit.FaultReset, simkit.Fault500, simkit.Fault503, simkit.FaultTruncate,
		simkit.FaultGarble, simkit.FaultWrongField, simkit.FaultTimeout} {
		t.Run(string(kind), func(t *testing.T) {
			p := f.card(t, fmt.Sprintf("KD-F%d", i), 3300, sbps.StatusAuthorized, t0, time.Time{})
			f.sim.Server.Faults.Next(sbps.APIPath, 1, simkit.Fault{Kind: kind, After: true})
			_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 3300})
			require.Error(t, err)
			assert.Equal(t, backend.ClassUnknown, class(err), msg(err))
			assert.Equal(t, backend.EUNKNOWN, code(err))
			assert.NotContains(t, msg(err), hashKey)
			// The operator's words, not the protocol's API ids (the log keeps those).
			assert.NotRegexp(t, `ST0\d|MG01`, msg(err))
			assert.NotContains(t, msg(err), "%!", "a well-formed message")
			tr, _ := f.sim.Trade(p.GatewayTranID)
			assert.Equal(t, sbps.StatusCaptured, tr.PaymentStatus, "SBPS did sell it")
			v, err := f.client.Inquire(ctx, p)
			require.NoError(t, err, "the inquiry tells")
			assert.Equal(t, backend.StateCaptured, v.State)
		})
	}
}

// A request lost before SBPS's logic changed nothing; the client cannot know that
// from a 500 and still says unknown; the inquiry then shows 与信済.
func TestFaultBeforeTheLogicChangesNothing(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p := f.card(t, "KD-F100", 2100, sbps.StatusAuthorized, t0, time.Time{})
	f.sim.Server.Faults.Next(sbps.APIPath, 1, simkit.Fault{Kind: simkit.Fault500})
	_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 2100})
	assert.Equal(t, backend.ClassUnknown, class(err))
	assert.Contains(t, msg(err), "HTTP 500")
	v, err := f.client.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.StateAuthorized, v.State)
	assert.Zero(t, f.sim.Server.Log.CountApplied("capture")[p.GatewayTranID])
}

// Nothing listens: provably not sent, and said to be a network problem.
func TestConnectionRefusedIsNotSent(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	host := "http://" + l.Addr().String()
	l.Close()
	c, err := sbps.New(sbps.Config{Host: host, MerchantID: merchantID, ServiceID: serviceID, HashKey: hashKey, Timeout: time.Second})
	require.NoError(t, err)
	p := &backend.Payment{Gateway: backend.GatewaySBPS, Method: backend.MethodCard, GatewayTranID: "12345678901234", AmountAuthorized: 100}
	_, err = c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 100})
	assert.Equal(t, backend.ClassNotSent, class(err))
	assert.Equal(t, backend.EOFFLINE, code(err))
	assert.Contains(t, msg(err), "接続")
}
