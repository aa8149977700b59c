package link_test

// The link run as a job: resumable (a cancelled run leaves the rest waiting and the
// next run finishes it; no order ever gets two payments), a gateway that cannot be
// reached (failed, with the reason; linked by the next run once it answers), orders
// whose method no profile — or several profiles — handle, and missing credentials.

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/link"
	"kessaidesk/backend/simkit"
)

func TestCancelledRunResumesAndNoOrderGetsTwoPayments(t *testing.T) {
	e := newEnv(t)
	e.gmoProfile("GMO-PG 本番", backend.LinkRule{Prefix: "KD-"})
	const n = 40
	var orders []*backend.Order
	require.NoError(t, e.startGMO().Batch(func() error {
		for i := range n {
			no := fmt.Sprint(2001 + i)
			orders = append(orders, e.order(no, backend.MethodCard, backend.Yen(1000+i)))
			if _, _, err := e.gmo.AddCardTrade(gmosim.CardSpec{ShopID: gmoShop, OrderID: "KD-" + no, Amount: int64(1000 + i)}); err != nil {
				return err
			}
		}
		return nil
	}))
	e.gmo.Server.SetLatency(5 * time.Millisecond)
	e.svc.BatchSize, e.svc.Concurrency = 8, 3

	// Stop the first run once a dozen orders are done.
	ctx, cancel := context.WithCancel(e.ctx)
	e.events.onProgress = func(p link.Progress) {
		if p.Done >= 12 {
			cancel()
		}
	}
	rep, err := e.svc.Run(ctx, link.RunOptions{})
	require.NoError(t, err)
	e.events.onProgress = nil
	assert.True(t, rep.Cancelled)
	assert.Equal(t, n, rep.Total)
	assert.GreaterOrEqual(t, rep.Linked, 12)
	assert.Less(t, rep.Linked, n, "the run stopped before the end")
	assert.Contains(t, rep.Message, "中断しました")
	first := rep.Linked

	// An order linked by hand meanwhile is not linked again.
	var byHand *backend.Order
	for _, o := range orders {
		if len(e.payments(o.ID)) == 0 {
			byHand = o
			break
		}
	}
	_, err = e.svc.Attach(e.ctx, byHand.ID, 0, backend.TransactionIDs{GatewayOrderID: "KD-" + byHand.OrderNo}, 0, operatorJA)
	require.NoError(t, err)

	rep = e.run(link.RunOptions{})
	assert.False(t, rep.Cancelled)
	assert.Equal(t, n-first-1, rep.Linked, "the rest, and only the rest")
	for _, o := range orders {
		p := e.payment(o.ID) // exactly one each
		assert.Equal(t, "KD-"+o.OrderNo, p.GatewayOrderID)
		assert.Equal(t, o.Total, p.AmountAuthorized)
		assert.Len(t, e.linkEvents(o.ID), 1, "one link event per order")
		assert.Equal(t, backend.LinkLinked, e.state(o.ID).Status)
	}
	// A third run has nothing to do.
	rep = e.run(link.RunOptions{})
	assert.Zero(t, rep.Total)
	assert.Zero(t, rep.Requests)
}

func TestUnreachableGatewayFailsWithTheReasonThenLinksWhenItIsBack(t *testing.T) {
	e := newEnv(t)
	// A port where nothing listens yet.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	prof := e.saveProfile(&backend.GatewayProfile{Name: "GMO-PG", Kind: backend.GatewayGMO, Host: "http://" + addr, MerchantID: gmoShop,
		Methods: []backend.PaymentMethod{backend.MethodCard}, AuthExpiryDays: 90}, map[string]string{backend.SecretShopPass: gmoPass})
	a := e.order("3001", backend.MethodCard, 1000)
	b := e.order("3002", backend.MethodCard, 2000)
	for i := range 18 {
		e.order(fmt.Sprint(3100+i), backend.MethodCard, 500)
	}
	e.svc.Concurrency = 2

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 20, rep.Failed)
	assert.LessOrEqual(t, rep.Requests, 2, "an offline gateway is tried by the orders in flight, not by every order")
	for _, o := range []*backend.Order{a, b} {
		l := e.state(o.ID)
		assert.Equal(t, backend.LinkFailed, l.Status)
		assert.Contains(t, l.Reason, "接続できません")
		assert.Equal(t, prof.ID, l.ProfileID)
	}
	list, err := e.db.Unlinked(e.ctx, 0)
	require.NoError(t, err)
	assert.Len(t, list, 20, "failed orders are on the 未連携 list with their reason")

	// The gateway comes back on the same address.
	sim, err := gmosim.Start(gmosim.Options{Clock: e.clock, Addr: addr})
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	sim.AddShop(gmoShop, gmoPass)
	_, _, err = sim.AddCardTrade(gmosim.CardSpec{ShopID: gmoShop, OrderID: "3001", Amount: 1000})
	require.NoError(t, err)
	_, _, err = sim.AddCardTrade(gmosim.CardSpec{ShopID: gmoShop, OrderID: "3002", Amount: 2000})
	require.NoError(t, err)

	rep = e.run(link.RunOptions{})
	assert.Equal(t, 2, rep.Linked)
	assert.Equal(t, 18, rep.NotFound)
	assert.Equal(t, backend.Yen(2000), e.payment(b.ID).AmountAuthorized)
}

func TestServerErrorIsFailedAndAskedAgainNextRun(t *testing.T) {
	e := newEnv(t)
	e.gmoProfile("GMO-PG", backend.LinkRule{})
	o := e.order("3101", backend.MethodCard, 1000)
	_, _, err := e.gmo.AddCardTrade(gmosim.CardSpec{ShopID: gmoShop, OrderID: "3101", Amount: 1000})
	require.NoError(t, err)
	e.gmo.Server.Faults.Next("SearchTrade", 2, simkitFault500())

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 1, rep.Failed)
	assert.Equal(t, 2, rep.Requests, "a lost answer is asked once more: a lookup changes nothing")
	assert.Contains(t, e.state(o.ID).Reason, "HTTP 500")

	rep = e.run(link.RunOptions{})
	assert.Equal(t, 1, rep.Linked)
}

func TestNoProfileSeveralProfilesAndTheProfileOption(t *testing.T) {
	e := newEnv(t)
	p1 := e.gmoProfile("GMO-PG カード", backend.LinkRule{})
	p2 := e.gmoProfile("GMO-PG カード（旧契約）", backend.LinkRule{Prefix: "OLD-"})
	konbini := e.order("4001", backend.MethodKonbini, 1000)
	card := e.order("4002", backend.MethodCard, 2000)
	_, _, err := e.gmo.AddCardTrade(gmosim.CardSpec{ShopID: gmoShop, OrderID: "OLD-4002", Amount: 2000})
	require.NoError(t, err)

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 2, rep.NoProfile)
	assert.Zero(t, rep.Requests)
	l := e.state(konbini.ID)
	assert.Equal(t, backend.LinkNoProfile, l.Status)
	assert.Contains(t, l.Reason, "この支払方法のゲートウェイ設定がありません")
	l = e.state(card.ID)
	assert.Equal(t, backend.LinkNoProfile, l.Status)
	assert.Contains(t, l.Reason, "「GMO-PG カード」")
	assert.Contains(t, l.Reason, "「GMO-PG カード（旧契約）」")

	// kessaidesk link -profile N 4002
	rep = e.run(link.RunOptions{ProfileID: p2.ID, OrderIDs: []int64{card.ID}})
	assert.Equal(t, 1, rep.Total)
	assert.Equal(t, 1, rep.Linked)
	assert.Equal(t, p2.ID, e.payment(card.ID).ProfileID)
	assert.Equal(t, backend.LinkNoProfile, e.state(konbini.ID).Status, "only the orders named")

	rep = e.run(link.RunOptions{ProfileID: p1.ID, OrderIDs: []int64{konbini.ID}})
	assert.Equal(t, 1, rep.NoProfile)
	assert.Contains(t, e.state(konbini.ID).Reason, "「GMO-PG カード」はコンビニ決済を扱いません")
}

func TestMissingCredentialsFailWithTheFactorysMessage(t *testing.T) {
	e := newEnv(t)
	prof := e.gmoProfile("GMO-PG", backend.LinkRule{})
	require.NoError(t, e.vault.Delete(backend.SecretKey(prof.ID, backend.SecretShopPass)))
	e.factory.Forget(prof.ID)
	o := e.order("5001", backend.MethodCard, 1000)
	e.order("5002", backend.MethodCard, 1000)

	rep := e.run(link.RunOptions{})
	assert.Equal(t, 2, rep.Failed)
	assert.Zero(t, rep.Requests)
	l := e.state(o.ID)
	assert.Equal(t, backend.LinkFailed, l.Status)
	assert.Equal(t, "「GMO-PG」のショップパスワードがキーチェーンにありません。ゲートウェイ設定で入力してください", l.Reason)
	assert.True(t, strings.Contains(e.events.last().Message, "照会できず 2件"), e.events.last().Message)
}

func TestOneRunAtATime(t *testing.T) {
	e := newEnv(t)
	e.gmoProfile("GMO-PG", backend.LinkRule{})
	for i := range 5 {
		e.order(fmt.Sprint(6001+i), backend.MethodCard, 1000)
	}
	e.gmo.Server.SetLatency(50 * time.Millisecond)
	require.NoError(t, e.svc.Start(e.ctx, link.RunOptions{}))
	_, err := e.svc.Run(e.ctx, link.RunOptions{})
	assert.Equal(t, backend.EBUSY, backend.ErrorCode(err))
	assert.True(t, e.svc.Progress().Running)
	e.svc.Cancel()
	require.Eventually(t, func() bool { return !e.svc.Progress().Running }, 5*time.Second, 10*time.Millisecond)
	assert.False(t, e.events.last().Running)
}

func simkitFault500() simkit.Fault { return simkit.Fault{Kind: simkit.Fault500} }

// The window's start resumes what an interrupted run left pending, and only that: an
// order the gateway did not have is not asked again until the operator runs the link.
func TestResumeFinishesPendingOrdersOnly(t *testing.T) {
	e := newEnv(t)
	e.gmoProfile("GMO-PG 本番", backend.LinkRule{})
	sim := e.startGMO()
	missing := e.order("3001", backend.MethodCard, 1200)
	rep := e.run(link.RunOptions{})
	assert.Equal(t, 1, rep.NotFound)
	require.Equal(t, backend.LinkNotFound, e.state(missing.ID).Status)

	// Orders queued (by an import, say) and a crash before any run.
	var queued []*backend.Order
	for i := range 3 {
		no := fmt.Sprint(3100 + i)
		o := e.order(no, backend.MethodCard, backend.Yen(2000+i))
		_, _, err := sim.AddCardTrade(gmosim.CardSpec{ShopID: gmoShop, OrderID: no, Amount: int64(2000 + i)})
		require.NoError(t, err)
		require.NoError(t, e.db.QueueLinkHint(e.ctx, o.ID, backend.TransactionIDs{}, 0))
		queued = append(queued, o)
	}
	before := sim.Server.Log.Count("SearchTrade.idPass")
	rep = e.run(link.RunOptions{Resume: true})
	assert.Equal(t, 3, rep.Total)
	assert.Equal(t, 3, rep.Linked)
	assert.Equal(t, 3, sim.Server.Log.Count("SearchTrade.idPass")-before, "the not-found order was not asked again")
	for _, o := range queued {
		assert.Equal(t, backend.LinkLinked, e.state(o.ID).Status)
	}
	assert.Equal(t, backend.LinkNotFound, e.state(missing.ID).Status)
}

// A run in the window that stops on an error says why in both languages.
func TestStartedRunStoppedByAnErrorSaysWhyInBothLanguages(t *testing.T) {
	e := newEnv(t)
	demo := e.gmoProfile("デモ", backend.LinkRule{})
	demo.Demo = true
	require.NoError(t, e.db.SaveProfile(e.ctx, demo))
	require.NoError(t, e.svc.Start(e.ctx, link.RunOptions{ProfileID: demo.ID}))
	require.Eventually(t, func() bool { return !e.svc.Progress().Running }, 5*time.Second, 10*time.Millisecond)
	p := e.svc.Progress()
	assert.Contains(t, p.Error, "デモの設定「デモ」は実際の受注の連携に使えません")
	assert.Equal(t, `The link run could not go on: the demo profile "デモ" cannot link real orders`, p.ErrorEn)
}
