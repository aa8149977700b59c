package paygent_test

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/simkit"
)

func faultAfter(kind string) simkit.Fault {
	return simkit.Fault{Kind: simkit.FaultKind(kind), After: true}
}

var allFaults = []simkit.FaultKind{simkit.FaultTimeout, simkit.Fault500, simkit.Fault503, simkit.FaultTruncate,
	simkit.FaultGarble, simkit.FaultWrongField, simkit.FaultReset}

// A fault after the logic ran: the money moved but the client cannot know — always
// unknown (never "failed", never "not sent"), and the inquiry shows the truth.
func TestFaultsAfterTheLogicAreUnknown(t *testing.T) {
	for _, fk := range allFaults {
		t.Run(string(fk), func(t *testing.T) {
			f := setup(t)
			c := f.client
			if fk == simkit.FaultTimeout {
				c = f.newClient(t, func(c *paygent.Config) { c.Timeout = 300 * time.Millisecond })
			}
			p := f.card(t, "KD_F", 1000, "20", t0, time.Time{})
			f.sim.Server.Faults.Next("/n/card/request", 1, simkit.Fault{Kind: fk, After: true})
			_, err := c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
			require.Error(t, err)
			assert.Equal(t, backend.ClassUnknown, class(err), ja(err))
			assert.Equal(t, backend.EUNKNOWN, code(err))
			assert.Contains(t, ja(err), "確認します")
			assert.Equal(t, 1, f.sim.Server.Log.CountApplied(paygent.KindCardCapture)[p.GatewayTranID])
			v, err := f.client.Inquire(context.Background(), p)
			require.NoError(t, err)
			assert.Equal(t, backend.StateCaptured, v.State)
		})
	}
}

// A fault before the logic: the outcome is still unknown to the client (it cannot
// tell), and the inquiry shows nothing happened.
func TestFaultsBeforeTheLogicChangeNothing(t *testing.T) {
	for _, fk := range []simkit.FaultKind{simkit.Fault500, simkit.FaultReset, simkit.FaultGarble} {
		t.Run(string(fk), func(t *testing.T) {
			f := setup(t)
			p := f.card(t, "KD_B", 1000, "20", t0, time.Time{})
			f.sim.Server.Faults.Next("/n/card/request", 1, simkit.Fault{Kind: fk})
			_, err := f.client.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpVoid})
			assert.Equal(t, backend.ClassUnknown, class(err))
			assert.Empty(t, f.sim.Server.Log.CountApplied(paygent.KindCardAuthCancel))
			v, err := f.client.Inquire(context.Background(), p)
			require.NoError(t, err)
			assert.Equal(t, backend.StateAuthorized, v.State)
		})
	}
}

// Latency beyond the client's timeout: unknown (the request was sent).
func TestSlowAnswerIsUnknown(t *testing.T) {
	f := setup(t)
	c := f.newClient(t, func(c *paygent.Config) { c.Timeout = 200 * time.Millisecond })
	p := f.card(t, "KD_L", 1000, "20", t0, time.Time{})
	f.sim.Server.SetLatency(time.Second)
	_, err := c.Do(context.Background(), p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassUnknown, class(err))
	assert.Contains(t, ja(err), "タイムアウト")
}

// Context cancellation: before sending → not sent; while waiting → unknown.
func TestContextCancellation(t *testing.T) {
	f := setup(t)
	p := f.card(t, "KD_CX", 1000, "20", t0, time.Time{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassNotSent, class(err))
	assert.Contains(t, ja(err), "送信していません")
	assert.Empty(t, f.sim.Server.Log.Entries())

	f.sim.Server.SetLatency(2 * time.Second)
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	assert.Equal(t, backend.ClassUnknown, class(err))
}

func TestConnectionRefusedIsNotSent(t *testing.T) {
	f := setup(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c := f.newClient(t, func(c *paygent.Config) { c.Host = "https://" + addr; c.Timeout = time.Second })
	_, err = c.Do(context.Background(), &backend.Payment{Method: backend.MethodCard, GatewayTranID: "1", AmountAuthorized: 1}, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1})
	assert.Equal(t, backend.EOFFLINE, code(err))
	assert.Equal(t, backend.ClassNotSent, class(err))
	assert.Contains(t, ja(err), "接続できません")
}

// The simulator answers GET with 405, like a web server in front of the module URL;
// the client calls that a wrong host (permanent).
func TestWrongHostAnswers(t *testing.T) {
	f := setup(t)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfigFor(t, f)}}
	defer hc.CloseIdleConnections()
	resp, err := hc.Get(f.sim.URL() + "/n/card/request")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.True(t, strings.Contains(string(body), "405"))

	// HTTP 404 from a host that is not a module host.
	srv, err := simkit.Start(func(r *simkit.Request) *simkit.Response {
		return &simkit.Response{Status: http.StatusNotFound, Body: []byte("not found")}
	}, simkit.Options{TLS: f.sim.PKI().ServerTLS(false)})
	require.NoError(t, err)
	defer srv.Close()
	c := f.newClient(t, func(c *paygent.Config) { c.Host = srv.URL })
	err = c.Ping(context.Background())
	assert.Equal(t, backend.ClassPermanent, class(err))
	assert.Contains(t, ja(err), "接続先の設定を確認してください")
}

func tlsConfigFor(t *testing.T, f *fixture) *tls.Config {
	cert, err := tls.X509KeyPair(f.certPEM, f.keyPEM)
	require.NoError(t, err)
	return &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: f.sim.PKI().RootCAs()}
}
