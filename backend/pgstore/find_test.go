package pgstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// FindOrders looks up the products that hold the product text first and searches by
// their ids (one product, several, none); the export's count (the products'
// subquery) finds the same orders, and the cursor's arguments follow the ids'.
func TestFindOrdersByProductIDs(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, Options{})
	day := time.Date(2026, 11, 20, 10, 0, 0, 0, backend.JST)
	line := func(code, name string) backend.LineItem {
		return backend.LineItem{ProductCode: code, ProductName: name, UnitPrice: 1000, Quantity: 1}
	}
	lines := [][]backend.LineItem{
		{line("TS-01", "Tシャツ 白")},
		{line("TS-02", "Tシャツ 黒"), line("MG-02", "マグカップ")},
		{line("MG-02", "マグカップ")},
		{line("ST-09", "ステッカー"), line("TS-01", "Tシャツ 白")},
	}
	var orders []*backend.Order
	for i, items := range lines {
		no := fmt.Sprint(i + 1)
		orders = append(orders, &backend.Order{OrderNo: no, OrderedAt: day.Add(time.Duration(i) * time.Hour), UpdatedAt: day,
			CustomerName: "山田太郎", CustomerKana: "ヤマダ タロウ", Email: "user" + no + "@example.jp", Tel: "090-1111-000" + no,
			PaymentMethod: backend.MethodCard, Status: backend.OrderNew, Items: items, Subtotal: 1000 * backend.Yen(len(items)),
			Total: 1000 * backend.Yen(len(items)), Source: "test"})
	}
	require.NoError(t, db.SaveOrders(ctx, orders))

	for _, c := range []struct {
		product string
		want    []string // newest first
	}{
		{"シャツ", []string{"4", "2", "1"}}, // two products
		{"マグ", []string{"3", "2"}},       // one, 2 characters
		{"ts-01", []string{"4", "1"}},    // one, by its code
		{"白", []string{"4", "1"}},
		{"存在しない商品", nil}, // none
	} {
		f := backend.OrderFilter{Product: c.product}
		page, err := db.FindOrders(ctx, f)
		require.NoError(t, err)
		var got []string
		for _, r := range page.Rows {
			got = append(got, r.OrderNo)
		}
		assert.Equal(t, c.want, got, c.product)
		assert.Equal(t, len(c.want), page.Total, c.product)
		n, err := db.CountOrders(ctx, f)
		require.NoError(t, err)
		assert.Equal(t, len(c.want), n, "the export's count of %s", c.product)
	}

	// Page by page, with another condition after the products' ids.
	f := backend.OrderFilter{Product: "シャツ", Name: "山田", Limit: 2}
	page, err := db.FindOrders(ctx, f)
	require.NoError(t, err)
	require.Len(t, page.Rows, 2)
	assert.Equal(t, 3, page.Total)
	f.After = page.Next
	page, err = db.FindOrders(ctx, f)
	require.NoError(t, err)
	require.Len(t, page.Rows, 1)
	assert.Equal(t, "1", page.Rows[0].OrderNo)
	assert.Empty(t, page.Next)
}
