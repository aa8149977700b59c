package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// An order's lines come back in line order, also when their rows were written in
// another order (SQLite no longer sorts them: loadItems does).
func TestItemsComeBackInLineOrder(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	o := testOrder("900", "山田", "ヤマダ", 600, time.Date(2026, 11, 20, 10, 0, 0, 0, backend.JST),
		item("A", "商品A", 100, 1), item("B", "商品B", 200, 1), item("C", "商品C", 300, 1))
	require.NoError(t, db.SaveOrder(ctx, o))
	got, err := loadItems(ctx, db.read, o.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B", "C"}, codes(got))

	// The rows rewritten in reverse: the last line gets the smallest row id.
	_, err = db.write.Exec(`UPDATE order_items SET id = id + 1000 WHERE order_id = ?`, o.ID)
	require.NoError(t, err)
	_, err = db.write.Exec(`UPDATE order_items SET id = 2000 - id WHERE order_id = ?`, o.ID)
	require.NoError(t, err)
	var first string
	require.NoError(t, db.read.QueryRow(`SELECT product_code FROM order_items WHERE order_id = ? ORDER BY id LIMIT 1`, o.ID).Scan(&first))
	require.Equal(t, "C", first)
	got, err = loadItems(ctx, db.read, o.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B", "C"}, codes(got))
}

func codes(items []backend.LineItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ProductCode)
	}
	return out
}
