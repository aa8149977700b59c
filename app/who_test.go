package app

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 受注詳細's history names who did what: the operator of 設定 (操作者) and the PC, for
// the 対応状況 changes and for the journal's operations.
func TestHistoryNamesTheOperatorAndThePC(t *testing.T) {
	sys, b := openDesk(t)
	host, _ := os.Hostname()
	assert.Equal(t, host, sys.Store.PC(), "the store names this PC by its hostname, read at start")
	sys.Store.SetPC("レジ横PC")
	require.NoError(t, b.Settings.SetOperator("鈴木"))

	row := findOrder(t, b.Orders, "card", "authorized")
	d, err := b.Orders.SetStatus(row.ID, "shipped")
	require.NoError(t, err)
	res, err := b.Payments.Run(d.Payments[0].ID, ActionInput{Intent: "capture", Status: "shipped"}, "who-cap-1")
	require.NoError(t, err)
	assert.Equal(t, "鈴木", res.Operation.Operator)
	assert.Equal(t, "レジ横PC", res.Operation.PC)

	d, err = b.Orders.Detail(row.ID)
	require.NoError(t, err)
	require.NotEmpty(t, d.Events)
	last := d.Events[len(d.Events)-1]
	assert.Equal(t, []string{"鈴木", "レジ横PC"}, []string{last.Actor, last.PC}, "the 対応状況 change")
	require.NotEmpty(t, d.Payments[0].Operations)
	op := d.Payments[0].Operations[0] // newest first: the capture
	assert.Equal(t, []string{"capture", "鈴木", "レジ横PC"}, []string{op.Kind.Code, op.Operator, op.PC})
}
