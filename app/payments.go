package app

import (
	"kessaidesk/backend/payment"
)

// Payments is the area of payment operations (売上, キャンセル, 金額変更…).
type Payments struct{ s *Services }

// Capture sends 売上 for the payment and sets the order to 入金済み in the same action.
// The UI makes idempotencyKey when the confirmation opens, so a double click is refused.
func (p *Payments) Capture(paymentID int64, idempotencyKey string) (*OperationResult, error) {
	ctx := p.s.Ctx()
	res, err := p.s.Engine.Capture(ctx, payment.Request{PaymentID: paymentID, IdempotencyKey: idempotencyKey, Operator: p.s.operator(ctx)})
	if err != nil {
		return nil, err
	}
	return p.result(res)
}

// Resolve asks the gateway for the outcome of an operation left unknown.
func (p *Payments) Resolve(operationID int64) (*OperationResult, error) {
	res, err := p.s.Engine.Resolve(p.s.Ctx(), operationID)
	if err != nil {
		return nil, err
	}
	return p.result(res)
}

func (p *Payments) result(res *payment.Result) (*OperationResult, error) {
	d, err := orderDetail(p.s, res.Payment.OrderID)
	if err != nil {
		return nil, err
	}
	return &OperationResult{Message: res.Operation.Message, Operation: toOperation(res.Operation), Order: *d}, nil
}
