package simkit

import "fmt"

// Console is what a shop operator can do in a gateway's own management console, behind
// the app's back: the changes Kessai Desk must notice in its sync. Each simulator
// applies them with the rules its protocol enforces and moves the same fields a real
// console operation moves (status, amounts, processing dates, a new transaction id);
// nothing goes over HTTP, so the request log shows only what the app sent.
type Console interface {
	// ConsoleCancel cancels an authorisation not yet captured (GMO-PG 取消: VOID or
	// RETURN by the gateway's date rule; SBPS 与信取消; Paygent オーソリ取消).
	ConsoleCancel(id string) error
	// ConsoleRefund returns a captured sale in full (GMO-PG 取消: VOID, RETURN or
	// RETURNX by the date rule; SBPS 返金; Paygent 売上取消).
	ConsoleRefund(id string) error
	// ConsoleChangeAmount sets a new amount (GMO-PG 金額変更 like ChangeTran; Paygent
	// 補正, a new payment_id under the same trading_id; SBPS 部分返金 of the difference).
	ConsoleChangeAmount(id string, amount int64) error
}

// ConsoleRefusal is a console operation the gateway's rules refuse: the state or a
// time window does not allow it. Code is the gateway's own error code, if it has one.
type ConsoleRefusal struct {
	Op     string // "cancel", "refund", "change amount"
	ID     string // the transaction, as the console knows it
	Code   string
	Reason string
}

func (e *ConsoleRefusal) Error() string {
	msg := fmt.Sprintf("console %s of %s refused", e.Op, e.ID)
	if e.Code != "" {
		msg += " (" + e.Code + ")"
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}
