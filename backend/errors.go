package backend

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. The app layer shows Message; the code decides how a caller reacts.
const (
	EINVALID     = "invalid"     // bad input from the operator or a file
	ENOTFOUND    = "not_found"   // no such order, payment, profile
	ECONFLICT    = "conflict"    // the state does not allow it (capture of a cancelled payment)
	EBUSY        = "busy"        // another operation on the same payment is in flight or unresolved
	ECREDENTIAL  = "credential"  // missing or rejected merchant credentials
	EOFFLINE     = "offline"     // the gateway could not be reached; nothing was sent
	EGATEWAY     = "gateway"     // the gateway answered with an error
	EUNKNOWN     = "unknown"     // the outcome of a request is unknown; it must be inquired
	EUNSUPPORTED = "unsupported" // the gateway or method does not offer the operation
	EINTERNAL    = "internal"    // a bug or an I/O failure
)

// ErrorClass tells the operations engine what a gateway error means for the money.
type ErrorClass string

const (
	ClassNone      ErrorClass = ""
	ClassRetryable ErrorClass = "retryable" // nothing happened; the same request may be sent later (throttling, maintenance)
	// ClassAlreadyDone: refused because of the payment's state at the gateway (already
	// captured, already cancelled, not possible now). This request was not applied; the
	// inquiry tells what the state is (changed at the gateway's console, perhaps).
	ClassAlreadyDone ErrorClass = "already_done"
	ClassPermanent   ErrorClass = "permanent"   // refused; sending it again will not help
	ClassAuthFailed  ErrorClass = "auth_failed" // the merchant credentials were rejected
	ClassUnknown     ErrorClass = "unknown"     // the request may or may not have been applied
	ClassNotSent     ErrorClass = "not_sent"    // the request provably never reached the gateway
	// ClassWindowPassed: refused because the card company's window for the operation
	// has passed (Paygent 2007); nothing happened, and sending it again will not help.
	// A sale that can no longer be cancelled is refunded by bank transfer (要返金(口座)).
	ClassWindowPassed ErrorClass = "window_passed"
)

// Error is an error value with a code, an operator-facing Japanese message, an English
// message, and, for gateway errors, the raw gateway code kept for the journal.
type Error struct {
	Code        string
	Class       ErrorClass
	Message     string // Japanese, shown to the operator
	MessageEn   string // English
	GatewayCode string // raw code from the gateway, e.g. "E01|E01 E01090008|E01100008"
	Err         error  // underlying cause (never contains a secret)
}

func (e *Error) Error() string {
	s := e.Message
	if e.GatewayCode != "" {
		s += " [" + e.GatewayCode + "]"
	}
	if e.Err != nil && e.Message == "" {
		s = e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a Japanese message and its English counterpart.
func Errorf(code, ja, en string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(ja, args...), MessageEn: fmt.Sprintf(en, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for a foreign error, "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorClassOf returns the gateway class of err, or ClassNone.
func ErrorClassOf(err error) ErrorClass {
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return ClassNone
}

// ErrorMessage returns the operator-facing message of err in the given language
// ("ja" or "en"). Foreign errors get a generic message; their text may be technical.
func ErrorMessage(err error, lang string) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		msg := e.Message
		if lang == "en" && e.MessageEn != "" {
			msg = e.MessageEn
		}
		if e.GatewayCode != "" && !strings.Contains(msg, e.GatewayCode) {
			// Once: a message that already names the code (an answer resolved by
			// inquiry carries its cause's message) is not given it again.
			msg += "（" + e.GatewayCode + "）"
		}
		return msg
	}
	if lang == "en" {
		return "An internal error occurred: " + err.Error()
	}
	return "内部エラーが発生しました: " + err.Error()
}
