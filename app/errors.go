package app

import (
	"encoding/json"
	"errors"

	"kessaidesk/backend"
	"kessaidesk/backend/pgstore"
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
	isBackend := errors.As(err, &be)
	if (!isBackend || be.Code == backend.EINTERNAL) && pgstore.IsConnectionLost(err) {
		return connectionLost
	}
	if isBackend {
		return UIError{Code: be.Code, Message: backend.ErrorMessage(err, "ja"), MessageEn: backend.ErrorMessage(err, "en"),
			Changed: errors.Is(err, backend.ErrPaymentChanged)}
	}
	return UIError{Code: backend.EINTERNAL, Message: backend.ErrorMessage(err, "ja"), MessageEn: backend.ErrorMessage(err, "en")}
}

// connectionLost is any error of the shared database's server going away mid-session:
// in words, not the driver's. An operation whose outcome was not recorded is checked
// with the gateway once the connection is back (recovery), so nothing is sent twice.
var connectionLost = UIError{Code: backend.EOFFLINE,
	Message: "共有データベースのサーバーに接続できません（ネットワークの切断、またはサーバーの停止）。接続が戻ってから、もう一度お試しください。" +
		"送信中だった決済の操作は、接続が戻るとゲートウェイに照会して確かめます。",
	MessageEn: "cannot reach the shared database's server (the network is cut or the server is down). Try again once it is back. " +
		"A payment operation that was being sent is checked with the gateway once the connection is back."}

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
