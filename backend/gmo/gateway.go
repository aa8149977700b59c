package gmo

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/gwhttp"
)

// cardStates maps SearchTrade's Status to the unified state machine.
var cardStates = map[string]backend.PaymentState{
	"UNPROCESSED":   backend.StatePending,
	"AUTHENTICATED": backend.StatePending,
	"CHECK":         backend.StateReserved, // 有効性チェック only: a reservation
	"AUTH":          backend.StateAuthorized,
	"SAUTH":         backend.StateAuthorized,
	"CAPTURE":       backend.StateCaptured,
	"SALES":         backend.StateCaptured,
	"VOID":          backend.StateVoided,
	"RETURN":        backend.StateRefunded,
	"RETURNX":       backend.StateRefunded,
}

// multiStates maps SearchTradeMulti's Status (konbini, Pay-easy) to the state machine.
var multiStates = map[string]backend.PaymentState{
	"UNPROCESSED": backend.StatePending,
	"REQSUCCESS":  backend.StateAwaitingDeposit,
	"PAYSUCCESS":  backend.StateDeposited,
	"EXPIRED":     backend.StateExpired,
	"CANCEL":      backend.StateVoided,
	"PAYFAIL":     backend.StateNeedsReview,
}

// ParseTime reads GMO-PG's yyyyMMddHHmmss (JST), ignoring anything after the seconds;
// "" is the zero time.
func ParseTime(s string) time.Time { return backend.ParseJST(s[:min(len(s), 14)]) }

func yen(s string) backend.Yen {
	v, _ := strconv.ParseInt(s, 10, 64)
	return backend.Yen(v)
}

// Do sends one operation on an existing transaction.
func (c *Client) Do(ctx context.Context, p *backend.Payment, op backend.GatewayOp) (*backend.GatewayView, error) {
	ctx = gwhttp.ForTransaction(ctx, p.GatewayOrderID, "") // the log names the order of every request
	if p.GatewayTranID == "" || p.GatewayTranPass == "" {
		return nil, refuse(backend.EINVALID, "この決済にはGMOの取引ID・取引パスワードがありません", "the payment has no GMO access ID/password")
	}
	var (
		a   Answer
		err error
	)
	// Amounts in the app include the tax; GMO keeps Amount and Tax (税送料) apart, and
	// every call that carries them must repeat the split the authorisation has.
	view := &backend.GatewayView{Found: true, Tax: p.Tax}
	switch op.Kind {
	case backend.OpCapture:
		if op.Amount != p.AmountAuthorized {
			return nil, refuse(backend.EINVALID, "GMOの売上は仮売上と同じ金額でしか行えません（仮売上 %s / 指定 %s）。先に金額変更を行ってください",
				"GMO captures the authorised amount only (%s authorised, %s asked)", p.AmountAuthorized, op.Amount)
		}
		a, err = c.AlterTran(ctx, p.GatewayTranID, p.GatewayTranPass, "SALES", op.Amount-p.Tax, p.Tax, "", "")
		view.State, view.RawStatus, view.AmountAuthorized, view.AmountCaptured = backend.StateCaptured, "SALES", op.Amount, op.Amount
	case backend.OpVoid, backend.OpReturn, backend.OpReturnX:
		job := map[backend.OpKind]string{backend.OpVoid: "VOID", backend.OpReturn: "RETURN", backend.OpReturnX: "RETURNX"}[op.Kind]
		a, err = c.AlterTran(ctx, p.GatewayTranID, p.GatewayTranPass, job, 0, 0, "", "")
		view.State, view.RawStatus = cardStates[job], job
	case backend.OpChangeAmount:
		if op.Amount <= p.Tax {
			return nil, refuse(backend.EINVALID, "この取引には税送料 %s が別にあるため、それ以下の金額には変更できません",
				"the transaction carries a tax/shipping part of %s; the new total must be above it", p.Tax)
		}
		job := "AUTH"
		if op.CaptureNow || p.State == backend.StateCaptured {
			job = "CAPTURE"
		}
		a, err = c.ChangeTran(ctx, p.GatewayTranID, p.GatewayTranPass, job, op.Amount-p.Tax, p.Tax)
		view.State, view.RawStatus, view.AmountAuthorized = cardStates[job], job, op.Amount
		if job == "CAPTURE" {
			view.AmountCaptured = op.Amount
		}
	case backend.OpReauth:
		// Re-authorise with the method and instalments of the original transaction.
		orig, serr := c.SearchTrade(ctx, p.GatewayOrderID)
		if serr != nil {
			if serr == errNotFound {
				return nil, refuse(backend.EGATEWAY, "ゲートウェイにこの取引がないため再オーソリできません", "no such transaction at the gateway")
			}
			return nil, serr
		}
		job := "AUTH"
		if op.CaptureNow {
			job = "CAPTURE"
		}
		method := orig["Method"]
		if method == "" {
			method = "1"
		}
		// The new authorisation keeps the original's split of Amount and Tax.
		tax := yen(orig["Tax"])
		if op.Amount <= tax {
			return nil, refuse(backend.EINVALID, "この取引には税送料 %s が別にあるため、それ以下の金額では再オーソリできません",
				"the transaction carries a tax/shipping part of %s; the amount must be above it", tax)
		}
		a, err = c.AlterTran(ctx, p.GatewayTranID, p.GatewayTranPass, job, op.Amount-tax, tax, method, orig["PayTimes"])
		view.Tax = tax
		view.State, view.RawStatus, view.AmountAuthorized = cardStates[job], job, op.Amount
		if job == "CAPTURE" {
			view.AmountCaptured = op.Amount
		}
	case backend.OpStopPayment:
		if p.Method != backend.MethodKonbini {
			return nil, refuse(backend.EUNSUPPORTED, "支払停止はコンビニ決済だけに行えます", "only konbini payments can be stopped")
		}
		a, err = c.CvsCancel(ctx, p.GatewayTranID, p.GatewayTranPass, p.GatewayOrderID)
		view.State, view.RawStatus = backend.StateVoided, "CANCEL"
	default:
		return nil, refuse(backend.EUNSUPPORTED, "GMO-PGでは「%[1]s」を直接行えません", "GMO-PG does not offer %[2]s", op.Kind.Label(), op.Kind.LabelEn())
	}
	if err == errNotFound {
		return nil, &backend.Error{Code: backend.EGATEWAY, Class: backend.ClassPermanent, GatewayCode: "E01110002",
			Message: "ゲートウェイにこの取引がありません（取引IDとパスワードを確認してください）", MessageEn: "no such transaction at the gateway"}
	}
	if err != nil {
		return nil, withHint(err, op.Kind)
	}
	view.ProcessedAt = ParseTime(a["TranDate"])
	if op.Kind == backend.OpReauth {
		view.AuthorizedAt = view.ProcessedAt
	}
	return view, nil
}

// Inquire reads the transaction: SearchTrade for cards, SearchTradeMulti for konbini
// (PayType 3) and Pay-easy / net bank (PayType 4).
func (c *Client) Inquire(ctx context.Context, p *backend.Payment) (*backend.GatewayView, error) {
	ctx = gwhttp.ForTransaction(ctx, p.GatewayOrderID, "") // the log names the order of every request
	if p.GatewayOrderID == "" {
		return nil, refuse(backend.EINVALID, "この決済にはGMOのオーダーIDがありません", "the payment has no GMO order ID")
	}
	a, states, err := c.search(ctx, p.Method, p.GatewayOrderID)
	if err == errNotFound {
		return &backend.GatewayView{Found: false}, nil
	}
	if err != nil {
		return nil, err
	}
	return baseView(a, states)
}

// search asks by OrderID the inquiry of the method, and returns the map of its Status.
func (c *Client) search(ctx context.Context, method backend.PaymentMethod, orderID string) (Answer, map[string]backend.PaymentState, error) {
	switch method {
	case backend.MethodCard:
		a, err := c.SearchTrade(ctx, orderID)
		return a, cardStates, err
	case backend.MethodKonbini:
		a, err := c.SearchTradeMulti(ctx, orderID, PayTypeCvs)
		return a, multiStates, err
	case backend.MethodPayEasy, backend.MethodNetBank:
		a, err := c.SearchTradeMulti(ctx, orderID, PayTypePayEasy)
		return a, multiStates, err
	}
	return nil, nil, refuse(backend.EUNSUPPORTED, "この支払方法はGMO-PGで照会できません", "this payment method cannot be inquired at GMO-PG")
}

// baseView is an inquiry's answer as the engine and the sync read it.
func baseView(a Answer, states map[string]backend.PaymentState) (*backend.GatewayView, error) {
	status := a["Status"]
	state, ok := states[status]
	if !ok {
		return nil, gwhttp.Unknownf(nil, "ゲートウェイが未知の状態「%s」を返しました。管理画面で確認してください", "the gateway reported an unknown status %q", status)
	}
	tax := yen(a["Tax"])
	amount := yen(a["Amount"]) + tax
	v := &backend.GatewayView{Found: true, State: state, RawStatus: status, AmountAuthorized: amount, Tax: tax,
		ProcessedAt: ParseTime(a["ProcessDate"]), PaymentDeadline: ParseTime(a["PaymentTerm"]), PaidAt: ParseTime(a["FinishDate"])}
	switch status {
	case "AUTH", "SAUTH", "CAPTURE":
		// ProcessDate is the transaction's latest processing: for a card still
		// authorised, or captured at authorisation, that is the authorisation — ExecTran,
		// or the re-authorisation of ChangeTran / 再オーソリ — from which the capture window
		// counts (gmo-mulpay.md §4). After SALES it is the sale's date, and the
		// authorisation's date is not in the answer: it stays unknown.
		v.AuthorizedAt = v.ProcessedAt
	}
	if state == backend.StateCaptured {
		v.AmountCaptured = amount
	}
	// The numbers the customer pays with (§7): konbini under Cvs*, Pay-easy under
	// CustID / BkCode / ConfNo. SearchTrade (cards) has none of these keys.
	v.Slip = backend.PaymentSlip{Store: a["CvsCode"], ReceiptNo: a["CvsReceiptNo"], ConfNo: a["CvsConfNo"],
		BkCode: a["BkCode"], CustID: a["CustID"]}
	if v.Slip.ConfNo == "" {
		v.Slip.ConfNo = a["ConfNo"]
	}
	if state == backend.StateDeposited && v.PaidAt.IsZero() {
		v.PaidAt = v.ProcessedAt
	}
	return v, nil
}

// hints explain the date rules when the gateway refuses a cancel: GMO dates them from
// the transaction's latest processing (the authorisation, the sale or an amount
// change), not from the authorisation alone.
var hints = map[backend.OpKind]string{
	backend.OpVoid:    "（取消は最後の処理（与信・売上・金額変更）と同じ日（日本時間）だけ行えます。翌日以降は返品です）",
	backend.OpReturn:  "（売上済みの取引の返品は最後の処理と同じ月だけ行えます。翌月以降は月跨返品です）",
	backend.OpReturnX: "（月跨返品は最後の処理の翌月以降に行います。同じ月なら返品です）",
}

func withHint(err error, kind backend.OpKind) error {
	var be *backend.Error
	hint, ok := hints[kind]
	if !ok || !errors.As(err, &be) || !(strings.Contains(be.GatewayCode, "E11010003") || strings.Contains(be.GatewayCode, "E01050004")) {
		return err
	}
	c := *be
	c.Message += hint
	return &c
}

// refuse is an error raised before any mutating request left: the engine knows
// nothing was sent and need not ask the gateway.
func refuse(code, ja, en string, args ...any) *backend.Error {
	e := backend.Errorf(code, ja, en, args...)
	e.Class = backend.ClassNotSent
	return e
}
