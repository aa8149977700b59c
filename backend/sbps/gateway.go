package sbps

import (
	"context"
	"errors"

	"kessaidesk/backend"
	"kessaidesk/backend/gwhttp"
)

// Card payment_status of MG01-00101-101 (research §A6).
const (
	StatusAuthorized        = "1" // 与信済
	StatusCaptured          = "2" // 売上済
	StatusVoided            = "3" // 与信取消済
	StatusRefunded          = "4" // 返金済
	StatusPartiallyRefunded = "5" // 部分返金済 — only in a CS-Cart add-on's table; unconfirmed
	StatusRefundRequested   = "6" // 返金要求 — same source; unconfirmed
)

// commit_status of MG01-00101-101 (S2 names; meaning inferred).
const (
	CommitNone          = "0" // not committed (確定 not sent yet)
	CommitDone          = "1" // committed
	CommitDoneCancelled = "2" // committed, then cancelled
	CommitNoneCancelled = "3" // cancelled without commit
)

var cardStates = map[string]backend.PaymentState{
	StatusAuthorized:        backend.StateAuthorized,
	StatusCaptured:          backend.StateCaptured,
	StatusVoided:            backend.StateVoided,
	StatusRefunded:          backend.StateRefunded,
	StatusPartiallyRefunded: backend.StatePartiallyRefunded,
	StatusRefundRequested:   backend.StateNeedsReview,
}

// Deposit payment_status of MG01-00101-701/703. Only "1" is seen in a recording; the
// others follow a CS-Cart add-on's "offline" table (1 未入金, 2 一部入金, 3 入金済,
// 4 過剰入金, 9 取消) and are unconfirmed as SBPS values.
const (
	DepositUnpaid    = "1"
	DepositPartial   = "2"
	DepositPaid      = "3"
	DepositOverpaid  = "4"
	DepositCancelled = "9"
)

var depositStates = map[string]backend.PaymentState{
	DepositUnpaid:    backend.StateAwaitingDeposit,
	DepositPartial:   backend.StateNeedsReview,
	DepositPaid:      backend.StateDeposited,
	DepositOverpaid:  backend.StateDeposited,
	DepositCancelled: backend.StateExpired,
}

// refuse is an error raised before any mutating request left: the engine knows
// nothing was sent and need not ask SBPS.
func refuse(code, ja, en string, args ...any) *backend.Error {
	e := backend.Errorf(code, ja, en, args...)
	e.Class = backend.ClassNotSent
	return e
}

var errNoSuchPayment = &backend.Error{Code: backend.EGATEWAY, Class: backend.ClassPermanent,
	Message: "SBPSにこの取引がありません（トラッキングIDを確認してください）", MessageEn: "SBPS has no such payment (check the tracking id)"}

func notFoundError(err error) error {
	if err == errNotFound {
		e := *errNoSuchPayment
		return &e
	}
	return err
}

// Do sends one operation on an existing card payment (tracking_id = GatewayTranID).
//
//   - OpCapture: 売上, of op.Amount when less than the authorised amount (部分売上).
//   - OpVoid / OpRefund: 取消返金要求, which releases the authorisation before sales and
//     refunds after. Because one API does both, the payment's state is read first
//     (MG01, free of charge) and the request is sent only when SBPS's state matches
//     the intent — a stale local state never turns a 与信取消 into a refund.
//   - OpPartialRefund: 部分返金 of op.Amount.
//   - OpChangeAmount: a decrease only — after capture a partial refund of the
//     difference, before capture with CaptureNow a partial capture.
//   - OpReauth: 再与信 from this tracking_id with the same card and method, then 確定;
//     the new tracking_id is GatewayView.NewTranID.
func (c *Client) Do(ctx context.Context, p *backend.Payment, op backend.GatewayOp) (*backend.GatewayView, error) {
	ctx = gwhttp.ForTransaction(ctx, p.GatewayOrderID, "") // the log names the order of every request
	if p.Method != backend.MethodCard {
		return nil, refuse(backend.EUNSUPPORTED, "SBペイメントサービスの%[1]sには「%[2]s」を行えません（カード決済だけです）",
			"SBPS offers %[4]s for card payments only (this is %[3]s)", p.Method.Label(), op.Kind.Label(), p.Method.LabelEn(), op.Kind.LabelEn())
	}
	if p.GatewayTranID == "" {
		return nil, refuse(backend.EINVALID, "この決済にはSBPSのトラッキングIDがありません", "the payment has no SBPS tracking id")
	}
	sold := p.AmountCaptured
	if sold == 0 {
		sold = p.AmountAuthorized
	}
	switch op.Kind {
	case backend.OpCapture:
		return c.capture(ctx, p, op.Amount)
	case backend.OpVoid:
		return c.cancel(ctx, p, false)
	case backend.OpRefund:
		return c.cancel(ctx, p, true)
	case backend.OpPartialRefund:
		return c.partialRefund(ctx, p, op.Amount, sold)
	case backend.OpChangeAmount:
		captured := p.State == backend.StateCaptured || p.State == backend.StatePartiallyRefunded
		current := p.AmountAuthorized
		if captured {
			current = sold - p.AmountRefunded
		}
		switch {
		case op.Amount <= 0:
			return nil, refuse(backend.EINVALID, "金額は1円以上で入力してください", "the amount must be at least 1 yen")
		case current > 0 && op.Amount >= current:
			return nil, refuse(backend.EUNSUPPORTED, "SBペイメントサービスでは増額できません（現在 %s / 指定 %s）。お客様に再度ご購入いただく必要があります",
				"SBPS cannot increase an amount (%s now, %s asked)", current, op.Amount)
		case captured:
			return c.partialRefund(ctx, p, current-op.Amount, sold)
		case !op.CaptureNow:
			return nil, refuse(backend.EUNSUPPORTED, "SBペイメントサービスでは売上前の減額は売上と同時に行います。「即時売上」を選んでください",
				"SBPS lowers an authorised amount at capture: choose capture now")
		}
		return c.capture(ctx, p, op.Amount)
	case backend.OpReauth:
		return c.reauthorize(ctx, p, op)
	}
	return nil, refuse(backend.EUNSUPPORTED, "SBペイメントサービスでは「%[1]s」を行えません", "SBPS does not offer %[2]s", op.Kind.Label(), op.Kind.LabelEn())
}

func (c *Client) capture(ctx context.Context, p *backend.Payment, amount backend.Yen) (*backend.GatewayView, error) {
	switch {
	case amount < 0:
		return nil, refuse(backend.EINVALID, "売上金額が正しくありません（%s）", "invalid capture amount (%s)", amount)
	case p.AmountAuthorized > 0 && amount > p.AmountAuthorized:
		return nil, refuse(backend.EINVALID, "売上金額 %s が与信額 %s を超えています。SBペイメントサービスでは与信額を超えて売上できません",
			"the capture %s exceeds the authorised %s", amount, p.AmountAuthorized)
	}
	send := amount
	if amount == p.AmountAuthorized || amount == 0 {
		send = 0 // the whole authorisation: the request shape every client sends
	}
	r, err := c.Sales(ctx, p.GatewayTranID, send)
	if err != nil {
		return nil, notFoundError(err)
	}
	captured := amount
	if captured == 0 {
		captured = p.AmountAuthorized
	}
	return &backend.GatewayView{Found: true, State: backend.StateCaptured, RawStatus: StatusCaptured,
		AmountAuthorized: p.AmountAuthorized, AmountCaptured: captured, ProcessedAt: ParseTime(r.Get("res_process_date"))}, nil
}

// cancel sends 取消返金要求 after checking SBPS's state matches the intent.
func (c *Client) cancel(ctx context.Context, p *backend.Payment, refund bool) (*backend.GatewayView, error) {
	label := backend.Text{Ja: "与信取消", En: "void"}
	if refund {
		label = backend.Text{Ja: "返金", En: "refund"}
	}
	status, err := c.cardStatus(ctx, p.GatewayTranID)
	if err != nil {
		return nil, guardError(err, label)
	}
	switch {
	case !refund && status == StatusAuthorized, refund && (status == StatusCaptured || status == StatusPartiallyRefunded):
	case !refund && status == StatusVoided, refund && status == StatusRefunded:
		return nil, stateRefusal(backend.EGATEWAY, status, "SBPSでは既に"+statusLabel(status)+"です", "SBPS already shows the payment as "+statusLabel(status))
	case !refund && (status == StatusCaptured || status == StatusPartiallyRefunded):
		// Not sent: the payment's state at SBPS refuses it (changed in SBPS's console).
		return nil, stateRefusal(backend.ECONFLICT, status, "SBPSでは売上済みのため与信取消できません（同じ操作で返金になります）。送信していません",
			"SBPS shows the payment as captured: a cancel would refund it, so nothing was sent")
	case refund && status == StatusAuthorized:
		return nil, stateRefusal(backend.ECONFLICT, status, "SBPSでは売上前（与信済）のため返金できません（同じ操作で与信取消になります）。送信していません",
			"SBPS shows the payment as authorised, not captured, so no refund was sent")
	default:
		return nil, refuse(backend.ECONFLICT, "SBPSでは「%[1]s」のため%[2]sできません", "SBPS shows the payment as %[1]q: no %[3]s",
			statusLabel(status), label.Ja, label.En)
	}
	r, err := c.CancelRefund(ctx, p.GatewayTranID)
	if err != nil {
		return nil, notFoundError(err)
	}
	v := &backend.GatewayView{Found: true, State: backend.StateVoided, RawStatus: StatusVoided, ProcessedAt: ParseTime(r.Get("res_process_date"))}
	if refund {
		sold := p.AmountCaptured
		if sold == 0 {
			sold = p.AmountAuthorized
		}
		v.State, v.RawStatus, v.AmountCaptured, v.AmountRefunded = backend.StateRefunded, StatusRefunded, p.AmountCaptured, sold
	}
	return v, nil
}

// stateRefusal: the cancel was not sent because SBPS's state does not allow it. Like
// an error answer on the payment's state (ClassAlreadyDone), the engine then records
// what SBPS shows as a change made at SBPS.
func stateRefusal(code, status, ja, en string) *backend.Error {
	return &backend.Error{Code: code, Class: backend.ClassAlreadyDone, GatewayCode: "payment_status=" + status, Message: ja, MessageEn: en}
}

// guardError turns a failed state check into "not sent": the cancel itself never left.
func guardError(err error, label backend.Text) error {
	if err == errNotFound {
		e := *errNoSuchPayment
		return &e
	}
	var be *backend.Error
	if errors.As(err, &be) {
		switch be.Class {
		case backend.ClassUnknown, backend.ClassAlreadyDone, backend.ClassNone:
			c := *be
			c.Class = backend.ClassNotSent
			if c.Code == backend.EUNKNOWN {
				c.Code = backend.EOFFLINE
			}
			c.Message = label.Ja + "の前にSBPSで状態を確認できなかったため、送信しませんでした: " + be.Message
			c.MessageEn = "the state could not be checked before the " + label.En + "; nothing was sent: " + be.MessageEn
			return &c
		}
		return err
	}
	return &backend.Error{Code: backend.EOFFLINE, Class: backend.ClassNotSent, Err: err,
		Message:   label.Ja + "の前にSBPSで状態を確認できなかったため、送信しませんでした",
		MessageEn: "the state could not be checked before the " + label.En + "; nothing was sent"}
}

func (c *Client) partialRefund(ctx context.Context, p *backend.Payment, amount, sold backend.Yen) (*backend.GatewayView, error) {
	remaining := sold - p.AmountRefunded
	switch {
	case amount <= 0:
		return nil, refuse(backend.EINVALID, "返金額は1円以上で入力してください", "the refund must be at least 1 yen")
	case sold > 0 && amount > remaining:
		return nil, refuse(backend.EINVALID, "返金額 %s が返金できる残額 %s を超えています", "the refund %s exceeds the refundable %s", amount, remaining)
	}
	r, err := c.PartialRefund(ctx, p.GatewayTranID, amount)
	if err != nil {
		return nil, notFoundError(err)
	}
	v := &backend.GatewayView{Found: true, State: backend.StatePartiallyRefunded, RawStatus: StatusCaptured,
		AmountCaptured: sold, AmountRefunded: p.AmountRefunded + amount, ProcessedAt: ParseTime(r.Get("res_process_date"))}
	if sold > 0 && v.AmountRefunded >= sold {
		v.State, v.RawStatus = backend.StateRefunded, StatusRefunded
	}
	return v, nil
}

// reauthorize sends 再与信 and commits the new authorisation. The order data SBPS asks
// for are taken from the payment: order_id and cust_code = its order_id (whether SBPS
// accepts an order_id again for a re-authorisation is unconfirmed).
func (c *Client) reauthorize(ctx context.Context, p *backend.Payment, op backend.GatewayOp) (*backend.GatewayView, error) {
	if op.CaptureNow {
		return nil, refuse(backend.EUNSUPPORTED, "SBペイメントサービスの再与信は売上を含みません。再与信の後に売上を送ってください",
			"SBPS re-authorisation does not capture; capture afterwards")
	}
	amount := op.Amount
	if amount == 0 {
		amount = p.AmountAuthorized
	}
	if amount <= 0 || amount > backend.MaxAmount(backend.GatewaySBPS) {
		return nil, refuse(backend.EINVALID, "再与信の金額が正しくありません（%s）", "invalid amount to re-authorise (%s)", amount)
	}
	if p.GatewayOrderID == "" {
		return nil, refuse(backend.EINVALID, "この決済にはSBPSの購入ID（order_id）がありません", "the payment has no SBPS order_id")
	}
	r, err := c.Reauthorize(ctx, p.GatewayTranID, Order{CustCode: p.GatewayOrderID, OrderID: p.GatewayOrderID, ItemID: ReauthItemID, Amount: amount})
	if err != nil {
		return nil, notFoundError(err)
	}
	newID := r.Get("res_tracking_id")
	if _, err := c.Commit(ctx, newID); err != nil {
		// The new authorisation exists but is not committed: say which one.
		var be *backend.Error
		if errors.As(err, &be) {
			e := *be
			e.Message = "再与信（新しいトラッキングID " + newID + "）の確定に失敗しました: " + be.Message
			e.MessageEn = "the re-authorisation " + newID + " could not be committed: " + be.MessageEn
			if e.Class != backend.ClassAuthFailed {
				e.Class, e.Code = backend.ClassUnknown, backend.EUNKNOWN
			}
			return nil, &e
		}
		return nil, err
	}
	return &backend.GatewayView{Found: true, State: backend.StateAuthorized, RawStatus: StatusAuthorized, AmountAuthorized: amount,
		ProcessedAt: ParseTime(r.Get("res_process_date")), AuthorizedAt: ParseTime(r.Get("res_process_date")), NewTranID: newID}, nil
}

// ReauthItemID is the item_id a re-authorisation carries (SBPS requires one).
const ReauthItemID = "KESSAIDESK-REAUTH"

// cardStatus reads payment_status (and commit_status) of a card payment.
func (c *Client) cardStatus(ctx context.Context, trackingID string) (string, error) {
	r, err := c.CardInquiry(ctx, trackingID)
	if err != nil {
		return "", err
	}
	st := r.Get("res_pay_method_info/payment_status")
	if st == "" {
		return "", gwhttp.Unknownf(nil, "SBPSの照会応答に決済ステータスがありません", "the inquiry answer has no payment_status")
	}
	return st, nil
}

func statusLabel(status string) string {
	switch status {
	case StatusAuthorized:
		return "与信済"
	case StatusCaptured:
		return "売上済"
	case StatusVoided:
		return "与信取消済"
	case StatusRefunded:
		return "返金済"
	case StatusPartiallyRefunded:
		return "部分返金済"
	case StatusRefundRequested:
		return "返金要求中"
	}
	return "状態" + status
}

// Inquire reads the payment: MG01-00101-101 for cards, -701 for WEBコンビニ, -703 for
// Pay-easy and net bank. SBPS's inquiry carries no amounts: the view's amounts are
// zero and the engine keeps its own.
func (c *Client) Inquire(ctx context.Context, p *backend.Payment) (*backend.GatewayView, error) {
	ctx = gwhttp.ForTransaction(ctx, p.GatewayOrderID, "") // the log names the order of every request
	if p.GatewayTranID == "" {
		return nil, refuse(backend.EINVALID, "この決済にはSBPSのトラッキングIDがありません", "the payment has no SBPS tracking id")
	}
	switch p.Method {
	case backend.MethodCard:
		return c.inquireCard(ctx, p)
	case backend.MethodKonbini:
		return c.inquireDeposit(ctx, p, APIWebCvsInquiry)
	case backend.MethodPayEasy, backend.MethodNetBank:
		return c.inquireDeposit(ctx, p, APIPayEasyInquiry)
	}
	return nil, refuse(backend.EUNSUPPORTED, "この支払方法はSBペイメントサービスで照会できません", "this payment method cannot be inquired at SBPS")
}

func (c *Client) inquireCard(ctx context.Context, p *backend.Payment) (*backend.GatewayView, error) {
	r, err := c.CardInquiry(ctx, p.GatewayTranID)
	if err == errNotFound {
		return &backend.GatewayView{Found: false}, nil
	}
	if err != nil {
		return nil, err
	}
	status := r.Get("res_pay_method_info/payment_status")
	commit := r.Get("res_pay_method_info/commit_status")
	v := &backend.GatewayView{Found: true, RawStatus: status}
	switch {
	case r.Get("res_status") == "1":
		// res_status 1 = the transaction is in error at SBPS (S2 TransactionStatus).
		v.State, v.RawStatus = backend.StateNeedsReview, "res_status=1"
		return v, nil
	case commit == CommitNoneCancelled:
		v.State = backend.StateVoided
		return v, nil
	case status == StatusAuthorized && commit == CommitNone:
		v.State = backend.StatePending // 未確定: the checkout has not committed its authorisation
		return v, nil
	}
	state, ok := cardStates[status]
	if !ok {
		return nil, gwhttp.Unknownf(nil, "SBPSが未知の決済ステータス「%s」を返しました。管理画面で確認してください", "SBPS reported an unknown payment_status %q", clip(status))
	}
	v.State = state
	return v, nil
}

func (c *Client) inquireDeposit(ctx context.Context, p *backend.Payment, api string) (*backend.GatewayView, error) {
	r, err := c.DepositInquiry(ctx, api, p.GatewayTranID)
	if err == errNotFound {
		return &backend.GatewayView{Found: false}, nil
	}
	if err != nil {
		if api == APIPayEasyInquiry && isUnknownAPI(gatewayCode(err)) {
			var be *backend.Error
			errors.As(err, &be)
			e := *be
			e.Code, e.Class = backend.EUNSUPPORTED, backend.ClassPermanent
			e.Message = "SBPSはPay-easyの決済結果照会に応じませんでした。入金状況はSBPSの管理画面で確認してください"
			e.MessageEn = "SBPS does not answer Pay-easy result inquiries; check deposits in the SBPS console"
			return nil, &e
		}
		return nil, err
	}
	status := r.Get("res_pay_method_info/payment_status")
	state, ok := depositStates[status]
	if !ok {
		return nil, gwhttp.Unknownf(nil, "SBPSが未知の入金ステータス「%s」を返しました。管理画面で確認してください", "SBPS reported an unknown deposit status %q", clip(status))
	}
	v := &backend.GatewayView{Found: true, State: state, RawStatus: status}
	if bd := r.Get("res_pay_method_info/bill_date"); bd != "" {
		v.PaymentDeadline = backend.ParseDeadlineJST(bd) // 支払期限: payable to the end of that day
	}
	if state == backend.StateAwaitingDeposit && !v.PaymentDeadline.IsZero() && c.cfg.Now().After(v.PaymentDeadline) {
		// Still unpaid after the deadline: SBPS pushes its expiry (NT01-00104) but the
		// pulled status may stay 未入金. A payment reported later moves it on to 入金済み.
		v.State = backend.StateExpired
	}
	return v, nil
}
