package sqlite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// The export's query must stream: no sort of every order before the first row.
func TestEachOrderPlanWalksTheSortIndex(t *testing.T) {
	db := openTestDB(t)
	seedSearch(t, db)
	for _, sort := range []string{"", "ordered_asc", "updated_desc", "total_desc"} {
		w := orderWhere(backend.OrderFilter{Sort: sort})
		rows, err := db.read.Query(`EXPLAIN QUERY PLAN SELECT o.id FROM orders o LEFT JOIN payments p ON p.id = o.payment_id
			LEFT JOIN order_items i ON i.order_id = o.id WHERE `+w.natural()+` ORDER BY `+orderSort(sort)+`, i.line_no`, w.nargs()...)
		require.NoError(t, err)
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		assert.NotContains(t, strings.ReplaceAll(text, "RIGHT PART OF ORDER BY", ""), "TEMP B-TREE FOR ORDER BY", fmt.Sprintf("%s:\n%s", sort, text))
	}
}
