package paygent

import (
	"context"
	"strconv"

	"kessaidesk/backend"
	"kessaidesk/backend/gwhttp"
)

// ids are the payment identifiers of a card telegram. Both are sent when known:
// payment_id picks the payment (a trading_id may be shared after 補正), trading_id is
// Paygent's cross-check that it belongs to the order.
func ids(paymentID, tradingID string) []Field {
	var f []Field
	if tradingID != "" {
		f = append(f, Field{"trading_id", tradingID})
	}
	if paymentID != "" {
		f = append(f, Field{"payment_id", paymentID})
	}
	return f
}

// AuthCancel sends オーソリ取消 (021): releases an authorisation not yet captured.
func (c *Client) AuthCancel(ctx context.Context, paymentID, tradingID string) (Response, error) {
	return c.call(ctx, KindCardAuthCancel, ids(paymentID, tradingID))
}

// Capture sends 売上 (022) for the authorised amount.
func (c *Client) Capture(ctx context.Context, paymentID, tradingID string) (Response, error) {
	return c.call(ctx, KindCardCapture, ids(paymentID, tradingID))
}

// SalesCancel sends 売上取消 (023): cancels a sale (and its authorisation).
func (c *Client) SalesCancel(ctx context.Context, paymentID, tradingID string) (Response, error) {
	return c.call(ctx, KindCardSalesCancel, ids(paymentID, tradingID))
}

// Correct sends 補正オーソリ (028) or 補正売上 (029). With reduction false, amount is the
// new total; with reduction true, the amount to take off. Paygent creates a new
// payment (its payment_id is in the answer; base_payment_id is the old one) and
// cancels the old one. base_payment_cancel_timing is left empty: the new payment is
// made first, so a failure leaves two payments (2010-2012) rather than none.
func (c *Client) Correct(ctx context.Context, kind, paymentID, tradingID string, amount backend.Yen, reduction bool) (Response, error) {
	flag := "0"
	if reduction {
		flag = "1"
	}
	f := append(ids(paymentID, tradingID),
		Field{"payment_amount", strconv.FormatInt(int64(amount), 10)},
		Field{"reduction_flag", flag})
	return c.call(ctx, kind, f, "payment_id")
}

// AuthorizeByReference sends オーソリ (020) for a new payment under tradingID that
// reuses the card of refTradingID's latest payment (参照取引, valid 14 months) — the
// way a reservation (未オーソリ) is authorised without card data. 3-D Secure is
// skipped (3dsecure_ryaku=1); the security code is not checked again.
func (c *Client) AuthorizeByReference(ctx context.Context, tradingID, refTradingID string, amount backend.Yen) (Response, error) {
	return c.call(ctx, KindCardAuth, []Field{
		{"trading_id", tradingID},
		{"payment_amount", strconv.FormatInt(int64(amount), 10)},
		{"payment_class", "10"}, // 一括払い
		{"ref_trading_id", refTradingID},
		{"3dsecure_ryaku", "1"},
	}, "payment_id")
}

// InquirePayment sends 決済情報照会 (094) for one payment: by payment_id when known
// (unique), else by trading_id, with paymentType to narrow it.
func (c *Client) InquirePayment(ctx context.Context, paymentID, tradingID, paymentType string) (Response, error) {
	var f []Field
	if paymentID != "" {
		f = append(f, Field{"payment_id", paymentID})
	} else {
		f = append(f, Field{"trading_id", tradingID})
		if paymentType != "" {
			f = append(f, Field{"payment_type", paymentType})
		}
	}
	return c.call(ctx, KindPaymentInquiry, f, "payment_status")
}

func unsupported(op backend.OpKind) error {
	return backend.Errorf(backend.EUNSUPPORTED, "ペイジェントでは「%[1]s」を行えません", "Paygent does not offer %[2]s", op.Label(), op.LabelEn())
}

// Do sends one operation on an existing card payment. Operations that make a new
// payment at Paygent (028/029/020) report its payment_id as GatewayView.NewTranID.
func (c *Client) Do(ctx context.Context, p *backend.Payment, op backend.GatewayOp) (*backend.GatewayView, error) {
	ctx = gwhttp.ForTransaction(ctx, p.GatewayOrderID, "") // the log names the order of every request
	if p.Method != backend.MethodCard {
		return nil, backend.Errorf(backend.EUNSUPPORTED, "ペイジェントの%sには「%s」を行えません（カード決済だけです）",
			"Paygent offers %[2]s for card payments only (this is %[1]s)", p.Method.Label(), op.Kind.Label())
	}
	if op.Kind == backend.OpAuthorize {
		return c.authorize(ctx, p, op)
	}
	if p.GatewayTranID == "" {
		return nil, backend.Errorf(backend.EINVALID, "この決済にはペイジェントの決済ID（payment_id）がありません", "the payment has no Paygent payment_id")
	}
	captured := p.State == backend.StateCaptured || p.State == backend.StatePartiallyRefunded
	view := &backend.GatewayView{Found: true}
	switch op.Kind {
	case backend.OpCapture:
		if op.Amount != 0 && p.AmountAuthorized != 0 && op.Amount != p.AmountAuthorized {
			return nil, backend.Errorf(backend.EINVALID, "ペイジェントの売上はオーソリ金額の全額で行います（オーソリ %s / 指定 %s）。減額するときは先にオーソリ変更を行ってください",
				"Paygent captures the authorised amount only (%s authorised, %s asked); lower it with オーソリ変更 first", p.AmountAuthorized, op.Amount)
		}
		if _, err := c.Capture(ctx, p.GatewayTranID, p.GatewayOrderID); err != nil {
			return nil, err
		}
		view.State, view.RawStatus = backend.StateCaptured, "40"
		view.AmountAuthorized, view.AmountCaptured = p.AmountAuthorized, p.AmountAuthorized
	case backend.OpVoid:
		c.cancelled.Store(p.GatewayTranID, true)
		if _, err := c.AuthCancel(ctx, p.GatewayTranID, p.GatewayOrderID); err != nil {
			return nil, err
		}
		view.State, view.RawStatus = backend.StateVoided, "32"
	case backend.OpRefund:
		c.cancelled.Store(p.GatewayTranID, true)
		if _, err := c.SalesCancel(ctx, p.GatewayTranID, p.GatewayOrderID); err != nil {
			return nil, err
		}
		view.State, view.RawStatus, view.AmountRefunded = backend.StateRefunded, "60", p.AmountCaptured
	case backend.OpChangeAmount:
		current := p.AmountAuthorized
		kind := KindCardAuthCorrect
		if captured {
			current, kind = p.AmountCaptured-p.AmountRefunded, KindCardSalesCorrect
		}
		switch {
		case op.CaptureNow && !captured:
			return nil, backend.Errorf(backend.EUNSUPPORTED, "ペイジェントのオーソリ変更は売上を含みません。オーソリ変更の後に売上を送ってください",
				"Paygent's オーソリ変更 does not capture; capture afterwards")
		case op.Amount <= 0:
			return nil, backend.Errorf(backend.EINVALID, "金額は1円以上で入力してください", "the amount must be at least 1 yen")
		case current > 0 && op.Amount > current:
			return nil, backend.Errorf(backend.EUNSUPPORTED, "ペイジェントの金額変更は減額だけです（現在 %s / 指定 %s）。増額はお客様に再度ご購入いただく必要があります",
				"Paygent corrections only lower an amount (%s now, %s asked)", current, op.Amount)
		}
		r, err := c.Correct(ctx, kind, p.GatewayTranID, p.GatewayOrderID, op.Amount, false)
		if err != nil {
			return nil, err
		}
		view.State, view.RawStatus, view.AmountAuthorized = backend.StateAuthorized, "20", op.Amount
		if captured {
			view.State, view.RawStatus, view.AmountCaptured = backend.StateCaptured, "40", op.Amount
		}
		view.NewTranID = newID(r, p)
	case backend.OpPartialRefund:
		if !captured {
			return nil, backend.Errorf(backend.ECONFLICT, "部分返金できるのは売上済みの決済です（現在: %[1]s）", "only captured payments can be partially refunded (now %[2]s)", p.State.Label(), p.State.LabelEn())
		}
		sold := p.AmountCaptured
		if sold == 0 {
			sold = p.AmountAuthorized
		}
		remaining := sold - p.AmountRefunded
		switch {
		case op.Amount <= 0:
			return nil, backend.Errorf(backend.EINVALID, "返金額は1円以上で入力してください", "the refund must be at least 1 yen")
		case op.Amount >= remaining:
			return nil, backend.Errorf(backend.EINVALID, "返金額 %s が売上の残額 %s 以上です。全額の返金は売上取消で行ってください",
				"the refund %s is not less than the remaining sale %s; cancel the sale instead", op.Amount, remaining)
		}
		// 補正売上 with reduction_flag=1 takes the refund off the sale: a new payment for
		// the rest replaces the old one. The app keeps the original sale amount and
		// counts refunds separately.
		r, err := c.Correct(ctx, KindCardSalesCorrect, p.GatewayTranID, p.GatewayOrderID, op.Amount, true)
		if err != nil {
			return nil, err
		}
		view.State, view.RawStatus = backend.StatePartiallyRefunded, "40"
		view.AmountCaptured, view.AmountRefunded = sold, p.AmountRefunded+op.Amount
		view.NewTranID = newID(r, p)
	default:
		return nil, unsupported(op.Kind)
	}
	return view, nil
}

func newID(r Response, p *backend.Payment) string {
	if id := r["payment_id"]; id != p.GatewayTranID {
		return id
	}
	return ""
}

// authorize turns a reservation (未オーソリ) into an authorisation: 020 under the
// order's trading_id, reusing the card of that trading_id's earlier payment.
func (c *Client) authorize(ctx context.Context, p *backend.Payment, op backend.GatewayOp) (*backend.GatewayView, error) {
	if p.GatewayOrderID == "" {
		return nil, backend.Errorf(backend.EINVALID, "この決済にはペイジェントの取引ID（trading_id）がありません", "the payment has no Paygent trading_id")
	}
	amount := op.Amount
	if amount == 0 {
		amount = p.AmountAuthorized
	}
	if amount <= 0 || amount > backend.MaxAmount(backend.GatewayPaygent) {
		return nil, backend.Errorf(backend.EINVALID, "オーソリ金額が正しくありません（%s）", "invalid amount to authorise (%s)", amount)
	}
	r, err := c.AuthorizeByReference(ctx, p.GatewayOrderID, p.GatewayOrderID, amount)
	if err != nil {
		return nil, err
	}
	return &backend.GatewayView{Found: true, State: backend.StateAuthorized, RawStatus: "20", AmountAuthorized: amount,
		NewTranID: newID(r, p)}, nil
}

// live states: the app believes the payment still holds money or may become an
// authorisation. A cancelled answer for them needs a second look (see Inquire).
var live = map[backend.PaymentState]bool{
	backend.StateAuthorized: true, backend.StateCaptured: true, backend.StateCaptureFailed: true,
	backend.StatePartiallyRefunded: true, backend.StateNeedsReview: true, backend.StateReserved: true,
}

// Inquire reads the payment with 決済情報照会 (094) — by payment_id, or by trading_id
// when the app does not know the payment_id yet (it then learns it as NewTranID).
//
// 補正 (028/029) and 予約のオーソリ (020) make a new payment under the same trading_id
// and, for 補正, cancel the old one. If such an operation's answer was lost, the old
// payment_id reads as cancelled (32/60) and the new payment_id is unknown. So when
// the app believes a payment live and Paygent says it is cancelled, the trading_id is
// asked too: one payment → the answer stands (or names the successor); several
// (13002) → Paygent cannot tell us which is current, and the payment is reported as
// 要確認 (needs review, GatewayView.Several) with Paygent's status, instead of a
// cancellation that may be false: the operator compares the candidates (each asked
// by payment_id) and chooses. A cancellation this client itself sent (021/023, since
// it started) is taken as what happened.
func (c *Client) Inquire(ctx context.Context, p *backend.Payment) (*backend.GatewayView, error) {
	ctx = gwhttp.ForTransaction(ctx, p.GatewayOrderID, "") // the log names the order of every request
	if p.GatewayTranID == "" && p.GatewayOrderID == "" {
		return nil, backend.Errorf(backend.EINVALID, "この決済にはペイジェントの決済ID・取引IDがありません", "the payment has no Paygent payment_id or trading_id")
	}
	r, err := c.InquirePayment(ctx, p.GatewayTranID, p.GatewayOrderID, TypeFor(p.Method))
	switch {
	case IsNotFound(err):
		return &backend.GatewayView{Found: false}, nil
	case isSeveral(err):
		return &backend.GatewayView{Found: true, State: backend.StateNeedsReview, RawStatus: "13002", Several: true}, nil
	case err != nil:
		return nil, err
	}
	v, err := c.view(r, p)
	if err != nil {
		return nil, err
	}
	reserved := p.State == backend.StateReserved
	if reserved && p.GatewayTranID == "" {
		// Found by trading_id alone: an authorisation is the reservation's, anything
		// else is the reference payment whose card the reservation will use.
		if v.State == backend.StateAuthorized || v.State == backend.StateCaptured {
			return v, nil
		}
		return reservedView(v), nil
	}
	cancelled := v.State == backend.StateVoided || v.State == backend.StateRefunded
	if _, ours := c.cancelled.Load(p.GatewayTranID); ours && cancelled {
		return v, nil // this client sent the cancellation: that is what happened
	}
	if !live[p.State] || p.GatewayOrderID == "" || p.GatewayTranID == "" || !(cancelled || reserved) {
		return v, nil
	}
	r2, err := c.InquirePayment(ctx, "", p.GatewayOrderID, TypeFor(p.Method))
	switch {
	case IsNotFound(err):
	case isSeveral(err):
		return &backend.GatewayView{Found: true, State: backend.StateNeedsReview, RawStatus: v.RawStatus,
			AmountAuthorized: v.AmountAuthorized, Several: true}, nil
	case err != nil:
		return nil, err
	case r2["payment_id"] != "" && r2["payment_id"] != p.GatewayTranID:
		return c.view(r2, p) // the successor (NewTranID set)
	}
	if reserved {
		return reservedView(v), nil
	}
	return v, nil
}

// reservedView: the reservation's reference payment is not the authorisation the
// reservation waits for; the payment is still a reservation.
func reservedView(v *backend.GatewayView) *backend.GatewayView {
	return &backend.GatewayView{Found: true, State: backend.StateReserved, RawStatus: v.RawStatus}
}

// view turns a 094 answer into the gateway view of p.
func (c *Client) view(r Response, p *backend.Payment) (*backend.GatewayView, error) {
	ptype := r["payment_type"]
	if ptype == "" {
		ptype = TypeFor(p.Method)
	}
	status := r["payment_status"]
	state, ok := StateOf(ptype, status)
	if !ok {
		return nil, gwhttp.Unknownf(nil, "ペイジェントが未知の状態「%s」（決済種別 %s）を返しました。管理画面で確認してください",
			"Paygent reported an unknown status %q (payment type %s)", clip(status), clip(ptype))
	}
	amount := yen(r["payment_amount"])
	v := &backend.GatewayView{Found: true, State: state, RawStatus: status, AmountAuthorized: amount}
	if id := r["payment_id"]; id != "" && id != p.GatewayTranID {
		v.NewTranID = id
	}
	if ptype == TypeCard {
		v.AuthorizedAt = ParseTime(r["payment_init_date"])
		switch state {
		case backend.StateCaptured:
			v.AmountCaptured = amount
			v.ProcessedAt = ParseTime(r["payment_date"])
			// After a partial refund (029 with reduction) Paygent holds one payment for
			// the rest; the app keeps the original sale and the refunds. Same money.
			if p.AmountRefunded > 0 && p.AmountCaptured > 0 && amount == p.AmountCaptured-p.AmountRefunded {
				v.State, v.AmountAuthorized = backend.StatePartiallyRefunded, 0
				v.AmountCaptured, v.AmountRefunded = p.AmountCaptured, p.AmountRefunded
			}
		case backend.StateVoided, backend.StateRefunded:
			v.ProcessedAt = ParseTime(r["cancel_date"])
		}
		return v, nil
	}
	v.PaymentDeadline = ParseDeadline(r["payment_limit_date"])
	if state == backend.StateDeposited {
		v.PaidAt = ParseTime(r["payment_date"])
		if v.PaidAt.IsZero() {
			v.PaidAt = ParseTime(r["user_payment_date"]) // 43 速報: the customer paid; 消込 follows
		}
		v.ProcessedAt = v.PaidAt
	}
	return v, nil
}
