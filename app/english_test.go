package app

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

var japanese = regexp.MustCompile(`[\p{Hiragana}\p{Katakana}\p{Han}]`)

// In English mode what an action says before and after it is English; the journal keeps
// its Japanese, and the same action in Japanese mode says it in Japanese.
func TestActionsSpeakTheWindowsLanguage(t *testing.T) {
	_, b := openDesk(t)
	require.NoError(t, b.Settings.SetLanguage("en"))
	row := findOrder(t, b.Orders, "card", "authorized")
	d, err := b.Orders.Detail(row.ID)
	require.NoError(t, err)
	id := d.Payments[0].ID

	pv, err := b.Payments.Preview(id, ActionInput{Intent: "capture"})
	require.NoError(t, err)
	assert.Regexp(t, `^Capture the authorised ¥[\d,]+$`, pv.Reason)
	require.NotEmpty(t, pv.Steps)
	assert.NotRegexp(t, japanese, pv.Steps[0].Reason)

	res, err := b.Payments.Run(id, ActionInput{Intent: "capture"}, "en-cap-1")
	require.NoError(t, err)
	assert.Equal(t, "Captured. The order is set to paid", res.Message)
	require.NotNil(t, res.Operation)
	assert.Equal(t, "売上処理が完了しました。対応状況を入金済みにしました", res.Operation.Message, "the journal keeps Japanese")
	assert.NotRegexp(t, japanese, res.Operation.MessageEn)

	require.NoError(t, b.Settings.SetLanguage("ja"))
	ja, err := b.Payments.Preview(findOrderPayment(t, b, "card", "authorized"), ActionInput{Intent: "capture"})
	require.NoError(t, err)
	assert.Regexp(t, `^仮売上 [\d,]+円 を実売上にします$`, ja.Reason)
}

func findOrderPayment(t *testing.T, b Bound, method, state string) int64 {
	t.Helper()
	d, err := b.Orders.Detail(findOrder(t, b.Orders, method, state).ID)
	require.NoError(t, err)
	return d.Payments[0].ID
}

func TestFailureReasonInTheWindowsLanguage(t *testing.T) {
	ops := []*backend.Operation{
		{Kind: backend.OpCapture, State: backend.OpFailed, Message: "古い失敗"},
		{Kind: backend.OpCapture, State: backend.OpFailed, Message: "カード会社が売上を受け付けませんでした", MessageEn: "The card company refused the capture"},
		{Kind: backend.OpSyncFix, State: backend.OpSucceeded, Message: "入金を確認しました", MessageEn: "Deposit received"},
	}
	assert.Equal(t, "The card company refused the capture", failureReason(ops, "en"))
	assert.Equal(t, "カード会社が売上を受け付けませんでした", failureReason(ops, "ja"))
	assert.Equal(t, "古い失敗", failureReason(ops[:1], "en"), "an entry without English stays as journalled")
}
