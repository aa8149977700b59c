package app

import (
	"encoding/json"
	"errors"

	"kessaidesk/backend"
)

// UIError is how an error reaches the frontend (the rejected Promise's value).
type UIError struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEn string `json:"messageEn"`
	// Changed: refused because the payment changed since the window read it
	// (backend.ErrPaymentChanged; nothing was sent): the window reads it again.
	Changed bool `json:"changed,omitempty"`
}

// FormatError is the Wails ErrorFormatter: every error reaches the UI with a code and
// a Japanese message (foreign errors become a generic internal error).
func FormatError(err error) any {
	if err == nil {
		return nil
	}
	var be *backend.Error
	if errors.As(err, &be) {
		return UIError{Code: be.Code, Message: backend.ErrorMessage(err, "ja"), MessageEn: backend.ErrorMessage(err, "en"),
			Changed: errors.Is(err, backend.ErrPaymentChanged)}
	}
	return UIError{Code: backend.EINTERNAL, Message: backend.ErrorMessage(err, "ja"), MessageEn: backend.ErrorMessage(err, "en")}
}

// FormatErrorForWails is the window's ErrorFormatter. It returns the UIError as a JSON
// string: the webview rejects with the string as is, while the dev server's IPC wraps
// errors in a JavaScript Error and would turn an object into "[object Object]".
// frontend/src/api reads both.
func FormatErrorForWails(err error) any {
	if err == nil {
		return nil
	}
	b, jerr := json.Marshal(FormatError(err))
	if jerr != nil {
		return backend.ErrorMessage(err, "ja")
	}
	return string(b)
}
