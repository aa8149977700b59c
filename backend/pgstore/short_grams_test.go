package pgstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/textnorm"
)

// order_short_grams follows the orders whatever writes them (migration 0022's
// triggers): a new order's name and kana are found by 1–2 characters, a changed name
// by its new characters and no longer by its old ones, a deleted order not at all;
// a status change keeps it found. The count reads the grams alone (one short text,
// with or without codes; 0024) or with the orders (two).
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

	// A status change keeps the grams; the count by text and status reads their codes.
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

// The grams carry their order's status, payment method and payment state (0024) and
// follow every change of them, one order's or a statement's many, with or without a
// new name: a count by one short name or kana and codes reads the grams alone and
// must equal the orders the page lists.
func TestShortGramsCarryCodes(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, Options{})
	day := time.Date(2026, 11, 20, 10, 0, 0, 0, backend.JST)
	methods := []backend.PaymentMethod{backend.MethodCard, backend.MethodKonbini, backend.MethodNetBank}
	statuses := []backend.OrderStatus{backend.OrderNew, backend.OrderShipped, backend.OrderCancelled}
	var orders []*backend.Order
	for i := range 12 {
		orders = append(orders, &backend.Order{OrderNo: fmt.Sprint(i + 1), OrderedAt: day, UpdatedAt: day,
			CustomerName: "佐藤 花子", CustomerKana: "サトウ ハナコ", PaymentMethod: methods[i%3], Status: statuses[i/4%3],
			Subtotal: 1000, Total: 1000, Source: "test"})
	}
	require.NoError(t, db.SaveOrders(ctx, orders))
	check := func(step string) {
		t.Helper()
		var stale int
		require.NoError(t, db.Pool().QueryRowContext(ctx, `SELECT count(*) FROM order_short_grams s JOIN orders o ON o.id = s.order_id
			WHERE (s.status, s.payment_method, s.payment_state) <> (o.status, o.payment_method, o.payment_state)`).Scan(&stale))
		assert.Zero(t, stale, "%s: gram rows with another order's codes", step)
		for _, text := range []backend.OrderFilter{{Name: "佐藤"}, {Name: "藤"}, {Kana: "ハナ"}, {Name: "鈴木"}} {
			for _, st := range [][]backend.OrderStatus{nil, {backend.OrderShipped}, {backend.OrderNew, backend.OrderCancelled}} {
				for _, m := range [][]backend.PaymentMethod{nil, {backend.MethodCard}, {backend.MethodKonbini, backend.MethodNetBank}} {
					for _, ps := range [][]backend.PaymentState{nil, {backend.StateCaptured}} {
						f := text
						f.Statuses, f.Methods, f.PaymentStates, f.Limit = st, m, ps, 500
						page, err := db.FindOrders(ctx, f)
						require.NoError(t, err)
						var want int
						require.NoError(t, db.Pool().QueryRowContext(ctx, `SELECT count(*) FROM orders o WHERE (strpos(o.name_n, $1) > 0 OR $1 = '')
							AND (strpos(o.kana_n, $2) > 0 OR $2 = '') AND (o.status = ANY($3) OR cardinality($3) = 0)
							AND (o.payment_method = ANY($4) OR cardinality($4) = 0) AND (o.payment_state = ANY($5) OR cardinality($5) = 0)`,
							textnorm.Fold(f.Name), textnorm.Fold(f.Kana), strs(st), strs(m), strs(ps)).Scan(&want))
						assert.Equal(t, want, page.Total, "%s: count of %+v", step, f)
						assert.Len(t, page.Rows, want, "%s: page of %+v", step, f)
					}
				}
			}
		}
	}
	check("saved")
	exec := func(q string) {
		t.Helper()
		_, err := db.Pool().ExecContext(ctx, q)
		require.NoError(t, err)
	}
	exec(`UPDATE orders SET status = 'shipped' WHERE order_no = '1'`)
	check("one status")
	exec(`UPDATE orders SET payment_state = 'captured', payment_method = 'card' WHERE order_no IN ('2', '3', '5', '8')`)
	check("a statement's states and methods")
	exec(`UPDATE orders SET status = CASE WHEN order_no = '4' THEN 'cancelled' ELSE status END,
		customer_name = CASE WHEN order_no IN ('4', '6') THEN '鈴木 花子' ELSE customer_name END,
		name_n = CASE WHEN order_no IN ('4', '6') THEN '鈴木花子' ELSE name_n END`)
	check("names and a status in one statement")
	require.NoError(t, db.SaveOrder(ctx, &backend.Order{OrderNo: "7", OrderedAt: day, UpdatedAt: day, CustomerName: "佐藤 花子",
		CustomerKana: "サトウ ハナコ", PaymentMethod: backend.MethodNetBank, Status: backend.OrderShipped, Subtotal: 1000, Total: 1000, Source: "test"}))
	check("saved again")
}

func strs[T ~string](xs []T) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, string(x))
	}
	return out
}
