package gmo_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// The numbers a customer pays with come from SearchTradeMulti (gmo-mulpay.md §7): a
// konbini slip under CvsCode / CvsReceiptNo / CvsConfNo, a Pay-easy one under CustID
// (お客様番号), BkCode (収納機関番号) and ConfNo (確認番号, as the §6 recording shows).
func TestInquiryReadsTheSlipNumbers(t *testing.T) {
	payEasy := "Status=REQSUCCESS&ProcessDate=20261110101500&AccessID=a1&AccessPass=p1&Amount=7700&Tax=700&PayType=4" +
		"&CvsCode=&CvsConfNo=&CvsReceiptNo=&CustID=WNT05476383&BkCode=58021&ConfNo=12345678&EncryptReceiptNo=x&PaymentTerm=20261120235959&FinishDate="
	answers := map[string]string{
		"KD-CVS": searchTradeMulti("3", "REQSUCCESS", "20261110101500", "5000", "400", "20261117235959", ""),
		"KD-PE":  payEasy,
	}
	s := startSpecServer(t, func(api string, form url.Values) string {
		if a, ok := answers[form.Get("OrderID")]; ok && api == "SearchTradeMulti" {
			return a
		}
		return "ErrCode=M01&ErrInfo=M01004002"
	})
	ctx := context.Background()
	v, err := s.client.Inquire(ctx, &backend.Payment{Gateway: backend.GatewayGMO, Method: backend.MethodKonbini, GatewayOrderID: "KD-CVS"})
	require.NoError(t, err)
	assert.Equal(t, backend.PaymentSlip{Store: "10001", ReceiptNo: "12345678901", ConfNo: "4321"}, v.Slip)

	v, err = s.client.Inquire(ctx, &backend.Payment{Gateway: backend.GatewayGMO, Method: backend.MethodPayEasy, GatewayOrderID: "KD-PE"})
	require.NoError(t, err)
	assert.Equal(t, backend.PaymentSlip{ConfNo: "12345678", BkCode: "58021", CustID: "WNT05476383"}, v.Slip)

	// The numbers survive a later view that does not carry them (a card-style answer).
	p := (&backend.Payment{Method: backend.MethodPayEasy}).WithView(v, v.ProcessedAt)
	again := p.WithView(&backend.GatewayView{Found: true, State: backend.StateDeposited}, v.ProcessedAt)
	assert.Equal(t, v.Slip, again.Slip)
}
