package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sync"
)

// The texts the app stored for the operator — 要返金(口座) reasons, bulk results, the
// sync's errors and its runs' results — reach the window in its language; a text
// stored before English was kept shows its Japanese.
func TestStoredTextsInTheWindowsLanguage(t *testing.T) {
	sys, b := openDesk(t)
	ctx := context.Background()
	row := findOrder(t, b.Orders, "card", "authorized")
	require.NoError(t, sys.Store.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: row.ID, Actor: "店長",
		RefundTask: &backend.RefundTask{Amount: 500, Reason: "送料の返金", ReasonEn: "shipping refund"}}))
	require.NoError(t, sys.Store.ApplyOrderChange(ctx, &backend.OrderChange{OrderID: row.ID, Actor: "店長",
		RefundTask: &backend.RefundTask{Amount: 200, Reason: "差額"}}))
	job := &backend.BulkJob{Intent: "capture", Operator: "店長"}
	require.NoError(t, sys.Store.CreateBulkJob(ctx, job, []int64{row.PaymentID}))
	require.NoError(t, sys.Store.UpdateBulkItem(ctx, job.ID, row.PaymentID, backend.BulkFailed, 0,
		backend.Text{Ja: "カード会社が拒否しました", En: "the card company refused"}))
	profs, err := sys.Store.Profiles(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, profs)
	st, err := sys.Store.SyncStatus(ctx, profs[0].ID)
	require.NoError(t, err)
	st.Failures, st.LastAttempt, st.LastError, st.LastErrorEn = 1, time.Now(), "接続できません", "cannot connect"
	require.NoError(t, sys.Store.SaveSyncStatus(ctx, st))
	runs := []sync.RunRecord{
		{Errors: []string{"本番: 接続できません"}, ErrorsEn: []string{"本番: cannot connect"}},
		{Errors: []string{"本番: 古いエラー"}}, // recorded before English was kept
	}
	v, _ := json.Marshal(runs)
	require.NoError(t, sys.Store.SetSetting(ctx, "sync.last_runs", string(v)))

	read := func() (reasons, bulk, syncErr, health []string, runErrs [][]string) {
		tasks, err := b.Work.RefundTasks("")
		require.NoError(t, err)
		for _, r := range tasks {
			if r.OrderID == row.ID {
				reasons = append(reasons, r.Reason)
			}
		}
		j, err := b.Payments.BulkJob(job.ID)
		require.NoError(t, err)
		for _, it := range j.Items {
			bulk = append(bulk, it.Message)
		}
		ss, err := b.Work.SyncStatus()
		require.NoError(t, err)
		ov, err := b.Orders.Overview()
		require.NoError(t, err)
		for _, p := range ss.Profiles {
			if p.ProfileID == profs[0].ID {
				syncErr = append(syncErr, p.LastError)
			}
		}
		for _, h := range ov.Sync {
			if h.ProfileID == profs[0].ID {
				health = append(health, h.Reason)
			}
		}
		rs, err := b.Settings.SyncRuns()
		require.NoError(t, err)
		for _, r := range rs {
			runErrs = append(runErrs, r.Errors)
		}
		return
	}
	reasons, bulk, syncErr, health, runErrs := read()
	assert.Equal(t, []string{"送料の返金", "差額"}, reasons)
	assert.Equal(t, []string{"カード会社が拒否しました"}, bulk)
	assert.Equal(t, []string{"接続できません"}, syncErr)
	assert.Equal(t, []string{"接続できません"}, health)
	assert.Equal(t, [][]string{{"本番: 接続できません"}, {"本番: 古いエラー"}}, runErrs)

	require.NoError(t, b.Settings.SetLanguage("en"))
	reasons, bulk, syncErr, health, runErrs = read()
	assert.Equal(t, []string{"shipping refund", "差額"}, reasons, "an older task stays Japanese")
	assert.Equal(t, []string{"the card company refused"}, bulk)
	assert.Equal(t, []string{"cannot connect"}, syncErr)
	assert.Equal(t, []string{"cannot connect"}, health)
	assert.Equal(t, [][]string{{"本番: cannot connect"}, {"本番: 古いエラー"}}, runErrs, "an older run stays Japanese")

	// The history's note of a refund done, in English beside the Japanese.
	tasks, err := b.Work.RefundTasks("open")
	require.NoError(t, err)
	for _, r := range tasks {
		if r.OrderID == row.ID {
			require.NoError(t, b.Work.CompleteRefundTask(r.ID))
			break
		}
	}
	d, err := b.Orders.Detail(row.ID)
	require.NoError(t, err)
	last := d.Events[len(d.Events)-1]
	assert.Equal(t, []string{"口座への返金を完了しました", "Refunded to the customer's bank account"}, []string{last.Detail, last.DetailEn})
}

// The profile form's fields, their help and the secrets are named in the window's language.
func TestProfileFormInTheWindowsLanguage(t *testing.T) {
	_, b := openDesk(t)
	for _, k := range b.Gateways.Kinds() {
		assert.Regexp(t, japanese, k.MerchantLabel, k.Code)
		assert.Regexp(t, japanese, k.MerchantHelp, k.Code)
	}
	require.NoError(t, b.Settings.SetLanguage("en"))
	kinds := b.Gateways.Kinds()
	require.NotEmpty(t, kinds)
	for _, k := range kinds {
		texts := []string{k.MerchantLabel, k.SubLabel, k.MerchantHelp, k.SubHelp, k.SecretsHelp}
		for _, s := range k.Secrets {
			texts = append(texts, s.Label)
		}
		assert.NotEmpty(t, k.MerchantLabel, k.Code)
		for _, s := range texts {
			assert.NotRegexp(t, japanese, s, k.Code)
		}
	}
}

// A bad value typed in a form is named in the message's own language.
func TestBadInputNamesTheFieldInEachLanguage(t *testing.T) {
	_, b := openDesk(t)
	_, err := b.Orders.Search(OrderSearch{OrderedFrom: "2026-13-45"})
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "受注日(開始)")
	assert.Equal(t, `ordered from: cannot read the date "2026-13-45"; use 2026-11-24`, backend.ErrorMessage(err, "en"))
	_, err = b.Orders.Search(OrderSearch{TotalMax: "たくさん"})
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "合計金額(上限)")
	assert.True(t, strings.HasPrefix(backend.ErrorMessage(err, "en"), "the maximum total "), backend.ErrorMessage(err, "en"))
	_, err = ActionInput{Intent: "partial_refund"}.params()
	require.Error(t, err)
	assert.Equal(t, "enter the amount to refund", backend.ErrorMessage(err, "en"))
	_, err = ProfileInput{FeePerOperation: "-1"}.input()
	require.Error(t, err)
	assert.Equal(t, "the fee per operation must be a number from 0 to 10000", backend.ErrorMessage(err, "en"))
}

// titleDialogs records the title of the dialog asked for and answers "" (cancelled).
type titleDialogs struct {
	Dialogs
	title *string
}

func (d titleDialogs) OpenCSV(title string) (string, error) { *d.title = title; return "", nil }

// The OS dialogs the app opens are titled in the window's language.
func TestDialogTitlesInTheWindowsLanguage(t *testing.T) {
	sys, _ := openDesk(t)
	s := NewServices(sys, "test")
	var title string
	s.Dialogs = titleDialogs{title: &title}
	b := Bind(s)
	_, err := b.Import.ChooseFile()
	require.NoError(t, err)
	assert.Equal(t, "取り込むCSVファイルを選んでください", title)
	require.NoError(t, b.Settings.SetLanguage("en"))
	_, err = b.Import.ChooseFile()
	require.NoError(t, err)
	assert.Equal(t, "Choose the CSV file to import", title)
}

// A refusal names the payment's state in the message's own language.
func TestRefusalNamesTheStateInEachLanguage(t *testing.T) {
	_, b := openDesk(t)
	id := findOrderPayment(t, b, "card", "authorized")
	_, err := b.Payments.Preview(id, ActionInput{Intent: "partial_refund", Amount: "100"})
	require.Error(t, err)
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "（現在: 仮売上）")
	assert.Equal(t, "only captured card payments can be partially refunded (now Authorised)", backend.ErrorMessage(err, "en"))
}

// A payment method is named in English in an English message.
func TestRefusalNamesTheMethodInEachLanguage(t *testing.T) {
	_, b := openDesk(t)
	id := findOrderPayment(t, b, "konbini", "")
	_, err := b.Payments.Preview(id, ActionInput{Intent: "change_amount", Amount: "100"})
	require.Error(t, err)
	assert.Equal(t, "コンビニ決済は受注後に金額を変更できません", backend.ErrorMessage(err, "ja"))
	assert.Equal(t, "Convenience store payments cannot change their amount", backend.ErrorMessage(err, "en"))
}
