//go:build dev

package app

import (
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/simkit"
)

// SandboxConsole is the end-to-end tests' door into the demo sandbox: it acts in a
// simulated gateway's own console behind the app's back, as a shop operator would in
// GMO-PG's, SBPS's or Paygent's management screen. Only a dev build (the e2e build
// and `wails dev`) binds it; the generated bindings and a release build have no such
// door (Wails strips the dev tag when it generates them).
type SandboxConsole struct{ s *Services }

func init() {
	devBindings = append(devBindings, func(s *Services) any { return &SandboxConsole{s: s} })
}

// Cancel cancels the order's payment in its gateway's console: an authorisation is
// released, a sale returned.
func (c *SandboxConsole) Cancel(orderNo string) error {
	p, console, id, err := c.payment(orderNo)
	if err != nil {
		return err
	}
	if p.State == backend.StateCaptured || p.State == backend.StatePartiallyRefunded {
		return console.ConsoleRefund(id)
	}
	return console.ConsoleCancel(id)
}

// ChangeAmount sets a new amount for the order's payment in its gateway's console.
func (c *SandboxConsole) ChangeAmount(orderNo string, amount int64) error {
	_, console, id, err := c.payment(orderNo)
	if err != nil {
		return err
	}
	return console.ConsoleChangeAmount(id, amount)
}

// Timeouts makes the gateway of the order's payment stop answering, as a gateway that
// times out does: its next request is applied but the answer never comes, and the n-1
// requests after it (the app's inquiry) get no answer at all. waitMs bounds every
// gateway call of the app from now on (the engine's timeout), so the test need not wait
// 45 s. n = 0 clears the faults and restores the usual timeout.
func (c *SandboxConsole) Timeouts(orderNo string, n int, waitMs int) error {
	p, _, _, err := c.payment(orderNo)
	if err != nil {
		return err
	}
	var srv *simkit.Server
	send, ask := "", "" // the paths of the operation and the inquiry ("" = any request)
	sb := c.s.System.Sandbox
	switch p.Gateway {
	case backend.GatewayGMO, backend.GatewaySGP:
		srv, send, ask = sb.Sim.Server, "AlterTran", "SearchTrade"
	case backend.GatewaySBPS:
		srv = sb.SBPS.Server
	case backend.GatewayPaygent:
		srv = sb.Paygent.Server
	default:
		return backend.Errorf(backend.EUNSUPPORTED, "この決済はサンドボックスにありません", "the payment is not at the sandbox")
	}
	if n <= 0 {
		srv.Faults.Clear()
		c.s.Engine.Timeout = 0
		return nil
	}
	c.s.Engine.Timeout = time.Duration(waitMs) * time.Millisecond
	srv.Faults.Next(send, 1, simkit.Fault{Kind: simkit.FaultTimeout, After: true})
	if n > 1 {
		srv.Faults.Next(ask, n-1, simkit.Fault{Kind: simkit.FaultTimeout})
	}
	return nil
}

func (c *SandboxConsole) payment(orderNo string) (*backend.Payment, simkit.Console, string, error) {
	ctx := c.s.Ctx()
	if c.s.System == nil || c.s.System.Sandbox == nil {
		return nil, nil, "", backend.Errorf(backend.EUNSUPPORTED, "デモのサンドボックスが動いていません", "the demo sandbox is not running")
	}
	o, err := c.s.Store.OrderByNo(ctx, orderNo)
	if err != nil {
		return nil, nil, "", err
	}
	ps, err := c.s.Store.PaymentsByOrder(ctx, o.ID)
	if err != nil {
		return nil, nil, "", err
	}
	if len(ps) == 0 {
		return nil, nil, "", backend.Errorf(backend.ENOTFOUND, "受注 %s に決済がありません", "order %s has no payment", orderNo)
	}
	p := ps[len(ps)-1]
	console, id, err := c.s.System.Sandbox.Console(p)
	return p, console, id, err
}
