package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// seedTies saves orders whose sort keys tie (same time, same total) and whose numbers
// are partly not numeric (order_no_num NULL), the cases a cursor must step over.
func seedTies(t *testing.T, db *DB) {
	t.Helper()
	var orders []*backend.Order
	nos := []string{"5", "A-2", "12", "A-10", "7", "B", "12a", "3", "100", "A-1", "44", "0"}
	for i, no := range nos {
		o := testOrder(no, fmt.Sprintf("山田%d", i%3), "ヤマダ", backend.Yen(1000*(i%4)), day.Add(time.Duration(i%5)*time.Hour))
		o.UpdatedAt = day.Add(time.Duration(i%2) * time.Hour)
		orders = append(orders, o)
	}
	require.NoError(t, db.SaveOrders(context.Background(), orders))
}

func TestCursorPagesEqualOnePage(t *testing.T) {
	db := openTestDB(t)
	seedTies(t, db)
	ctx := context.Background()
	filters := map[string]backend.OrderFilter{
		"all":        {},
		"name":       {Name: "山田1"},
		"name+total": {Name: "山田", TotalMin: yen(1000)},
	}
	for _, sort := range []string{"", "ordered_desc", "ordered_asc", "updated_desc", "total_desc", "order_no_asc", "order_no_desc"} {
		for fname, f := range filters {
			for _, scan := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/scan=%v", sort, fname, scan), func(t *testing.T) {
					defer func(was bool) { forceScan = was }(forceScan)
					forceScan = scan
					f.Sort = sort
					f.Limit = 500
					whole, err := db.FindOrders(ctx, f)
					require.NoError(t, err)
					require.NotEmpty(t, whole.Rows)
					assert.Empty(t, whole.Next, "one page holds them all")

					var paged []string
					f.Limit = 2
					pages := 0
					for {
						page, err := db.FindOrders(ctx, f)
						require.NoError(t, err)
						assert.Equal(t, whole.Total, page.Total)
						paged = append(paged, nos(page)...)
						pages++
						require.Less(t, pages, 20)
						if page.Next == "" {
							break
						}
						assert.Len(t, page.Rows, 2)
						f.After = page.Next
					}
					f.After = ""
					assert.Equal(t, nos(whole), paged)
				})
			}
		}
	}
}

func TestCursorOfAnotherSortOrGarbageIsRefused(t *testing.T) {
	db := openTestDB(t)
	seedTies(t, db)
	ctx := context.Background()
	page, err := db.FindOrders(ctx, backend.OrderFilter{Limit: 2})
	require.NoError(t, err)
	require.NotEmpty(t, page.Next)
	for _, f := range []backend.OrderFilter{
		{After: page.Next, Sort: "total_desc"},
		{After: "not a cursor!"},
		{After: "b3JkZXJlZF9kZXNjCngKMQ"}, // "ordered_desc\nx\n1"
	} {
		_, err := db.FindOrders(ctx, f)
		assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), f.After)
	}
	// Offset still pages as before; a cursor wins over it.
	byOffset, err := db.FindOrders(ctx, backend.OrderFilter{Limit: 2, Offset: 2})
	require.NoError(t, err)
	byCursor, err := db.FindOrders(ctx, backend.OrderFilter{Limit: 2, Offset: 6, After: page.Next})
	require.NoError(t, err)
	assert.Equal(t, nos(byOffset), nos(byCursor))
}
