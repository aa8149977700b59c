package sqlite

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// Searches running at once share the prepared statements: with a cache far smaller
// than their statements, statements are evicted while other searches start on them,
// and every search still answers as it does alone.
func TestSearchStatementsSharedAtOnce(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	require.NoError(t, db.SaveOrders(ctx, BenchOrders(300, "demo")))
	var cases []backend.OrderFilter
	var want []*backend.OrderPage
	for _, c := range SearchCases() {
		if c.Filter.After != "" {
			continue
		}
		page, err := db.FindOrders(ctx, c.Filter)
		require.NoError(t, err)
		cases, want = append(cases, c.Filter), append(want, page)
	}
	db.stmts = newStmtCache(db.read, 2)
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 5; r++ {
				for i, f := range cases {
					page, err := db.FindOrders(ctx, f)
					if !assert.NoError(t, err) || !assert.Equal(t, want[i], page) {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	require.LessOrEqual(t, db.stmts.lru.Len(), 2)
}
