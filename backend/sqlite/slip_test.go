package sqlite

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

func TestPaymentSlipRoundTrip(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	o := testOrder("S-1", "山田 太郎", "ヤマダ タロウ", 5400, day)
	require.NoError(t, db.SaveOrder(ctx, o))
	p := newPayment(t, db, o, backend.StateAwaitingDeposit)
	p.Method = backend.MethodPayEasy
	p.Slip = backend.PaymentSlip{ConfNo: "12345678", BkCode: "58021", CustID: "WNT05476383"}
	require.NoError(t, db.SavePayment(ctx, p))
	got, err := db.PaymentByID(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, p.Slip, got.Slip)
	ps, err := db.PaymentsByOrder(ctx, o.ID)
	require.NoError(t, err)
	assert.Equal(t, p.Slip, ps[0].Slip)
}
