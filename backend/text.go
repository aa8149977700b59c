package backend

import "fmt"

// Text is a message for the operator in both languages of the UI. Notifications carry
// it whole: the window shows the language the operator chose, even when the message
// was made by a background run that does not know it.
type Text struct {
	Ja string `json:"ja"`
	En string `json:"en"`
}

// Textf formats a Text, the same arguments into both languages.
func Textf(ja, en string, args ...any) Text {
	return Text{Ja: fmt.Sprintf(ja, args...), En: fmt.Sprintf(en, args...)}
}

// In returns the text in lang ("en" or Japanese); Japanese when no English was given.
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Ja
}

// ErrorText is err's operator-facing message in both languages.
func ErrorText(err error) Text {
	return Text{Ja: ErrorMessage(err, "ja"), En: ErrorMessage(err, "en")}
}

// TextNotifier is a Notifier that shows a notification in the operator's language.
type TextNotifier interface {
	NotifyText(title, body Text)
}

// Announce shows a notification in both languages when n can, in Japanese otherwise.
func Announce(n Notifier, title, body Text) {
	if tn, ok := n.(TextNotifier); ok {
		tn.NotifyText(title, body)
		return
	}
	n.Notify(title.Ja, body.Ja)
}
