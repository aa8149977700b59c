package backend_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"kessaidesk/backend"
)

func TestStatusChangeByHand(t *testing.T) {
	o := &backend.Order{Status: backend.OrderNew}
	auth := []*backend.Payment{{State: backend.StateAuthorized}}
	captured := []*backend.Payment{{State: backend.StateCaptured}}
	voided := []*backend.Payment{{State: backend.StateVoided}}

	assert.NoError(t, backend.CheckStatusChange(o, captured, backend.OrderShipped))
	assert.NoError(t, backend.CheckStatusChange(o, auth, backend.OrderShipped), "shipped before the capture, as the manuals allow")
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(backend.CheckStatusChange(o, auth, backend.OrderCancelled)), "the payment would keep the money")
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(backend.CheckStatusChange(o, captured, backend.OrderCancelled)))
	assert.NoError(t, backend.CheckStatusChange(o, voided, backend.OrderCancelled))
	assert.NoError(t, backend.CheckStatusChange(o, nil, backend.OrderCancelled), "no payment (bank transfer)")
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(backend.CheckStatusChange(o, auth, backend.OrderPaid)), "入金済み comes with the capture")
	assert.Equal(t, backend.ECONFLICT, backend.ErrorCode(backend.CheckStatusChange(o, []*backend.Payment{{State: backend.StateAwaitingDeposit}}, backend.OrderPaid)))
	assert.NoError(t, backend.CheckStatusChange(o, nil, backend.OrderPaid), "a bank transfer is marked paid by hand")
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(backend.CheckStatusChange(o, nil, backend.OrderProcessing)))
	// in each language its own words
	err := backend.CheckStatusChange(o, auth, backend.OrderPaid)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "「仮売上」")
	assert.Equal(t, `the payment is still "Authorised": capture it (the status changes with the capture)`, backend.ErrorMessage(err, "en"))
	assert.NotRegexp(t, `[ぁ-んァ-ン一-龥]`, backend.ErrorMessage(backend.CheckStatusChange(o, nil, backend.OrderProcessing), "en"))

	assert.Equal(t, []backend.OrderStatus{backend.OrderNew, backend.OrderAwaitingDeposit, backend.OrderShipped, backend.OrderOnHold},
		backend.StatusChoices(o, auth))
	assert.Equal(t, backend.OrderProcessing, backend.StatusChoices(&backend.Order{Status: backend.OrderProcessing}, auth)[0], "the current one, first")
}
