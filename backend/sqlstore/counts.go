package sqlstore

import (
	"context"
	"fmt"
)

// countedTables are the tables a support bundle counts: how much data there is, never
// what it says.
var countedTables = []string{"gateway_profiles", "orders", "order_items", "payments", "operations", "order_events",
	"refund_tasks", "bulk_jobs", "bulk_items", "drifts", "order_links", "payment_reviews", "shipping_holds"}

// Counts returns the number of rows of each counted table (support bundles).
func (db *Core) Counts(ctx context.Context) (map[string]int64, error) {
	out := make(map[string]int64, len(countedTables))
	for _, t := range countedTables {
		var n int64
		if err := db.Read().Row(ctx, "SELECT COUNT(*) FROM "+t).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}

// StateCounts counts operations (the journal) and payments per state, for support
// bundles: how many are unknown, failed, captured…
func (db *Core) StateCounts(ctx context.Context) (map[string]map[string]int64, error) {
	out := map[string]map[string]int64{}
	for _, t := range []string{"operations", "payments"} {
		rows, err := db.Read().Query(ctx, "SELECT state, COUNT(*) FROM "+t+" GROUP BY state")
		if err != nil {
			return nil, err
		}
		m := map[string]int64{}
		for rows.Next() {
			var k string
			var n int64
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return nil, err
			}
			m[k] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out[t] = m
	}
	return out, nil
}
