package pgstore

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// order_short_grams follows the orders whatever writes them (migration 0022's
// triggers): a new order's name and kana are found by 1–2 characters, a changed name
// by its new characters and no longer by its old ones, a deleted order not at all;
// a status change leaves the grams alone. The count reads the grams alone (one short
// text) or with the orders (two, or a status).
func TestShortGramsFollowOrders(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, Options{})
	day := time.Date(2026, 11, 20, 10, 0, 0, 0, backend.JST)
	order := func(no, name, kana string) *backend.Order {
		return &backend.Order{OrderNo: no, OrderedAt: day, UpdatedAt: day, CustomerName: name, CustomerKana: kana,
			PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Subtotal: 1000, Total: 1000, Source: "test"}
	}
	require.NoError(t, db.SaveOrders(ctx, []*backend.Order{order("1", "山田太郎", "ヤマダタロウ"), order("2", "佐藤花子", "サトウハナコ")}))
	found := func(f backend.OrderFilter) []string {
		t.Helper()
		page, err := db.FindOrders(ctx, f)
		require.NoError(t, err)
		var nos []string
		for _, r := range page.Rows {
			nos = append(nos, r.OrderNo)
		}
		assert.Equal(t, len(nos), page.Total, "count beside the page of %+v", f)
		return nos
	}
	assert.Equal(t, []string{"1"}, found(backend.OrderFilter{Name: "山"}))
	assert.Equal(t, []string{"1"}, found(backend.OrderFilter{Name: "太郎"}))
	assert.Equal(t, []string{"2"}, found(backend.OrderFilter{Kana: "はな"})) // folded to ハナ
	assert.Equal(t, []string{"1"}, found(backend.OrderFilter{Name: "山", Kana: "ヤ"}))
	assert.Empty(t, found(backend.OrderFilter{Name: "山", Kana: "サ"}))

	// A new name: the old characters no longer find it, the new ones do.
	require.NoError(t, db.SaveOrder(ctx, order("1", "鈴木一郎", "スズキイチロウ")))
	assert.Empty(t, found(backend.OrderFilter{Name: "山"}))
	assert.Empty(t, found(backend.OrderFilter{Kana: "ヤマ"}))
	assert.Equal(t, []string{"1"}, found(backend.OrderFilter{Name: "鈴木"}))
	assert.Equal(t, []string{"1"}, found(backend.OrderFilter{Kana: "イ"}))

	// A status change keeps the grams; the count by text and status reads both.
	_, err := db.Pool().ExecContext(ctx, `UPDATE orders SET status = 'shipped' WHERE order_no = '2'`)
	require.NoError(t, err)
	assert.Equal(t, []string{"2"}, found(backend.OrderFilter{Name: "佐藤", Statuses: []backend.OrderStatus{backend.OrderShipped}}))
	assert.Empty(t, found(backend.OrderFilter{Name: "佐藤", Statuses: []backend.OrderStatus{backend.OrderNew}}))

	// Deleted: no gram is left behind.
	_, err = db.Pool().ExecContext(ctx, `DELETE FROM orders WHERE order_no = '2'`)
	require.NoError(t, err)
	assert.Empty(t, found(backend.OrderFilter{Name: "佐"}))
	var left int
	require.NoError(t, db.Pool().QueryRowContext(ctx, `SELECT count(*) FROM order_short_grams s
		WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = s.order_id)`).Scan(&left))
	assert.Zero(t, left)
}
