package gmo_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo"
	"kessaidesk/backend/simkit"
)

// GMO-PG keeps Amount and Tax (税送料) as separate fields (gmo-mulpay.md §3.3): SALES
// repeats the authorisation's Amount *without* the Tax and sends the Tax apart;
// folding the tax into Amount is refused with E01060010. These answers are written by
// hand from the spec's field list (§3.5), not produced by our simulator.
func TestTaxIsReadAndSentApartFromTheAmount(t *testing.T) {
	var mu sync.Mutex
	var forms []url.Values
	srv, err := simkit.Start(func(r *simkit.Request) *simkit.Response {
		q, _ := url.ParseQuery(string(r.Body))
		mu.Lock()
		forms = append(forms, q)
		mu.Unlock()
		body := "AccessID=a1b2&AccessPass=c3d4&Forward=2a99662&Approve=7654321&TranID=2611301530120000000000000001&TranDate=20261201101500"
		switch r.HTTP.URL.Path {
		case "/payment/SearchTrade.idPass":
			body = "OrderID=KD-TAX&Status=AUTH&ProcessDate=20261130153012&JobCd=AUTH&AccessID=a1b2&AccessPass=c3d4&ItemCode=0000990" +
				"&Amount=3000&Tax=300&SiteID=&MemberID=&CardNo=************1111&Expire=2812&Method=1&PayTimes=&Forward=2a99662" +
				"&TranID=2611301530120000000000000001&Approve=7654321&ClientField1=&ClientField2=&ClientField3="
		}
		return &simkit.Response{Body: []byte(body)}
	}, simkit.Options{})
	require.NoError(t, err)
	defer srv.Close()
	c, err := gmo.New(gmo.Config{Kind: backend.GatewayGMO, Host: srv.URL, ShopID: shopID, ShopPass: shopPass, Timeout: 2 * time.Second})
	require.NoError(t, err)
	ctx := context.Background()

	p := &backend.Payment{Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: "KD-TAX", GatewayTranID: "a1b2",
		GatewayTranPass: "c3d4", State: backend.StateAuthorized}
	v, err := c.Inquire(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(3300), v.AmountAuthorized, "the app's amounts include the tax")
	assert.Equal(t, backend.Yen(300), v.Tax)
	assert.True(t, v.ProcessedAt.Equal(time.Date(2026, 11, 30, 15, 30, 12, 0, backend.JST)), "ProcessDate: %v", v.ProcessedAt)

	p.AmountAuthorized, p.Tax = 3300, 300
	v, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 3300})
	require.NoError(t, err)
	assert.Equal(t, backend.Yen(300), v.Tax)
	assert.True(t, v.ProcessedAt.Equal(time.Date(2026, 12, 1, 10, 15, 0, 0, backend.JST)), "TranDate is the new processing date")
	sales := forms[len(forms)-1]
	assert.Equal(t, "SALES", sales.Get("JobCd"))
	assert.Equal(t, "3000", sales.Get("Amount"), "Amount without the tax")
	assert.Equal(t, "300", sales.Get("Tax"), "Tax apart")

	// 金額変更 to 4,400 keeps the 300 of tax apart: Amount 4,100 + Tax 300.
	_, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 4400})
	require.NoError(t, err)
	change := forms[len(forms)-1]
	assert.Equal(t, "4100", change.Get("Amount"))
	assert.Equal(t, "300", change.Get("Tax"))

	// A new total at or below the tax cannot be split: refused before anything is sent.
	n := len(forms)
	_, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 300})
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.Equal(t, backend.ClassNotSent, backend.ErrorClassOf(err))
	assert.Len(t, forms, n)

	// A transaction without tax sends no Tax field at all.
	p.Tax, p.AmountAuthorized = 0, 1000
	_, err = c.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 1000})
	require.NoError(t, err)
	_, hasTax := forms[len(forms)-1]["Tax"]
	assert.False(t, hasTax)
}

// The simulator enforces the same rule: a sale that folds the tax into Amount is
// refused with E01060010, the split one is accepted.
func TestSimulatorRefusesTaxFoldedIntoTheAmount(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	a := f.exec(t, "KD-TAX2", 3000, 300)
	_, err := f.client.AlterTran(ctx, a["AccessID"], a["AccessPass"], "SALES", 3300, 0, "", "")
	require.Error(t, err)
	var be *backend.Error
	require.ErrorAs(t, err, &be)
	assert.Contains(t, be.GatewayCode, "E01060010")
	_, err = f.client.AlterTran(ctx, a["AccessID"], a["AccessPass"], "SALES", 3000, 300, "", "")
	require.NoError(t, err)
	tr, _ := f.sim.Trade("KD-TAX2")
	assert.Equal(t, "SALES", tr.Status)
	assert.Equal(t, int64(300), tr.Tax)
}

// exec runs the shop's checkout at the simulator over HTTP (EntryTran with Amount and
// Tax, then ExecTran) and returns the EntryTran answer.
func (f *fixture) exec(t *testing.T, orderID string, amount, tax int64) gmo.Answer {
	t.Helper()
	post := func(api string, fields ...gmo.Field) gmo.Answer {
		body, err := gmo.EncodeForm(append([]gmo.Field{{Key: "ShopID", Value: shopID}, {Key: "ShopPass", Value: shopPass}}, fields...))
		require.NoError(t, err)
		resp, err := http.Post(f.sim.URL()+"/payment/"+api+".idPass", "application/x-www-form-urlencoded", bytes.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		a, err := gmo.ParseAnswer(raw)
		require.NoError(t, err)
		require.Empty(t, a["ErrInfo"], "%s: %v", api, a)
		return a
	}
	a := post("EntryTran", gmo.Field{Key: "OrderID", Value: orderID}, gmo.Field{Key: "JobCd", Value: "AUTH"},
		gmo.Field{Key: "Amount", Value: strconv.FormatInt(amount, 10)}, gmo.Field{Key: "Tax", Value: strconv.FormatInt(tax, 10)})
	post("ExecTran", gmo.Field{Key: "AccessID", Value: a["AccessID"]}, gmo.Field{Key: "AccessPass", Value: a["AccessPass"]},
		gmo.Field{Key: "OrderID", Value: orderID}, gmo.Field{Key: "Method", Value: "1"}, gmo.Field{Key: "Token", Value: "tok-test"})
	return a
}

// GMO dates a cancel from the transaction's latest processing date, which a sale or an
// amount change moves (gmo-mulpay.md §4, GMO's own module): an authorisation of
// yesterday captured today is cancelled with VOID today; a sale of yesterday whose
// amount changed today, too. The wrong kind is refused with E11010003.
func TestCancelKindFollowsTheLatestProcessingDate(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	yesterday := t0.Add(-24 * time.Hour)

	// Authorised yesterday, captured today.
	p := f.card(t, "KD-Y1", 2000, "AUTH", yesterday, time.Time{})
	_, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpCapture, Amount: 2000})
	require.NoError(t, err)
	p.State = backend.StateCaptured
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpReturn})
	require.Error(t, err, "RETURN is the wrong kind on the day of the sale")
	var be *backend.Error
	require.ErrorAs(t, err, &be)
	assert.Contains(t, be.GatewayCode, "E11010003")
	v, err := f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, v.State)

	// Captured yesterday, amount changed today: VOID today.
	p = f.card(t, "KD-Y2", 2000, "SALES", yesterday, yesterday)
	_, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpChangeAmount, Amount: 1500})
	require.NoError(t, err)
	v, err = f.client.Do(ctx, p, backend.GatewayOp{Kind: backend.OpVoid})
	require.NoError(t, err)
	assert.Equal(t, backend.StateVoided, v.State)
}
