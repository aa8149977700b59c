package app

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// The 作業リスト fees tab counts as 売上集計 does: a capture the gateway answered is
// billed at the profile's fee for its kind, an outcome still unknown is not billed (it
// is shown apart), and each profile's figures are the report's lines summed.
func TestWorkFeesAreTheReportsFigures(t *testing.T) {
	sys, b := openDesk(t)
	ctx := context.Background()
	month := sys.Clock.Now().In(backend.JST).Format("2006-01")
	rows := func() map[string]FeeRow {
		fees, err := b.Work.Fees(month)
		require.NoError(t, err)
		out := map[string]FeeRow{}
		for _, f := range fees {
			assert.Equal(t, month, f.Month)
			out[f.ProfileName] = f
		}
		return out
	}

	// A capture answered by the gateway, at 12 yen per capture.
	row := findOrder(t, b.Orders, "card", "authorized")
	d, err := b.Orders.Detail(row.ID)
	require.NoError(t, err)
	pay, err := sys.Store.PaymentByID(ctx, d.Payments[0].ID)
	require.NoError(t, err)
	prof, err := sys.Store.ProfileByID(ctx, pay.ProfileID)
	require.NoError(t, err)
	require.NoError(t, sys.Store.SetGatewayFees(ctx, prof.ID, backend.FeeSchedule{backend.OpCapture: 12}))
	before := rows()[prof.Name]
	_, err = b.Payments.Run(pay.ID, ActionInput{Intent: "capture"}, "work-fees-capture")
	require.NoError(t, err)
	after := rows()[prof.Name]
	assert.Equal(t, before.Operations+1, after.Operations)
	assert.Equal(t, before.Fee+12, after.Fee)

	// A request sent whose answer never came: not billed, counted as unresolved.
	other := findOrder(t, b.Orders, "card", "authorized")
	d, err = b.Orders.Detail(other.ID)
	require.NoError(t, err)
	op := &backend.Operation{PaymentID: d.Payments[0].ID, Intent: "capture", Kind: backend.OpCapture, IdempotencyKey: "work-fees-unknown",
		RequestedAt: sys.Clock.Now(), BeforeState: backend.StateAuthorized}
	require.NoError(t, sys.Store.BeginOperation(ctx, op))
	require.NoError(t, sys.Store.MarkOperationSent(ctx, op.ID, sys.Clock.Now()))
	op.State, op.RespondedAt = backend.OpUnknown, sys.Clock.Now()
	require.NoError(t, sys.Store.CompleteOperation(ctx, &backend.Completion{Op: op}))
	unknown := rows()[prof.Name]
	assert.Equal(t, after.Operations, unknown.Operations, "an unknown outcome is not billed")
	assert.Equal(t, after.Fee, unknown.Fee)
	assert.Equal(t, after.Unresolved+1, unknown.Unresolved)

	// Every profile's row is the report's lines of that profile summed.
	report, err := b.Reports.Fees(month)
	require.NoError(t, err)
	want := map[string]FeeRow{}
	for _, l := range report.Lines {
		w := want[l.ProfileName]
		w.ProfileName, w.Month = l.ProfileName, month
		w.Operations += l.Billable
		w.Unresolved += l.Unresolved
		w.Fee += l.Fee
		want[l.ProfileName] = w
	}
	assert.Equal(t, want, rows())
}
