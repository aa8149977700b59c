package app

import (
	"errors"

	"kessaidesk/backend"
)

// UIError is how an error reaches the frontend (the rejected Promise's value).
type UIError struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEn string `json:"messageEn"`
}

// FormatError is the Wails ErrorFormatter: every error reaches the UI with a code and
// a Japanese message (foreign errors become a generic internal error).
func FormatError(err error) any {
	if err == nil {
		return nil
	}
	var be *backend.Error
	if errors.As(err, &be) {
		return UIError{Code: be.Code, Message: backend.ErrorMessage(err, "ja"), MessageEn: backend.ErrorMessage(err, "en")}
	}
	return UIError{Code: backend.EINTERNAL, Message: backend.ErrorMessage(err, "ja"), MessageEn: backend.ErrorMessage(err, "en")}
}
