package sqlite

import (
	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

// The 受注一覧's sorts and page cursors are backend/sqlstore's, which both stores
// share; these are the names find.go and export.go call them by.

type sortKey struct {
	sqlstore.SortKey
	order string // the ORDER BY
}

func sortOf(s string) sortKey {
	k := sqlstore.SortOf(s)
	return sortKey{k, k.Order}
}

func orderSort(s string) string { return sqlstore.OrderSort(s) }

func (k sortKey) cursor(r *backend.OrderRow) string { return k.Cursor(r) }

func (k sortKey) after(cursor string) (string, []any, error) { return k.After(cursor) }
