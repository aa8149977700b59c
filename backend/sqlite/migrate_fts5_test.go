package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// A database of the n-gram days (FTS4 order_text, before 0010) is upgraded: its
// orders are found by the new index, and a change afterwards is found too.
func TestSearchIndexBuiltForAnExistingDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(path)
	require.NoError(t, err)
	seedSearch(t, db)
	// Back to before 0010: the FTS4 table filled as the old writer did.
	for _, q := range []string{`DROP TABLE order_fts`, `DROP TABLE order_grams`,
		`CREATE VIRTUAL TABLE order_text USING fts4(name_g, kana_g, email_g, tel_g, tokenize=simple)`,
		`DELETE FROM schema_migrations WHERE name = '0010_search_fts5.sql'`} {
		_, err := db.write.Exec(q)
		require.NoError(t, err, q)
	}
	rows, err := db.write.Query(`SELECT id, name_n, kana_n, email_n, tel_n FROM orders`)
	require.NoError(t, err)
	var text [][]any
	for rows.Next() {
		var id int64
		var n, k, e, tel string
		require.NoError(t, rows.Scan(&id, &n, &k, &e, &tel))
		text = append(text, []any{id, grams(n, 2), grams(k, 2), grams(e, 3), grams(tel, 3)})
	}
	rows.Close()
	for _, r := range text {
		_, err := db.write.Exec(`INSERT INTO order_text (docid, name_g, kana_g, email_g, tel_g) VALUES (?,?,?,?,?)`, r...)
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())

	db, err = Open(path)
	require.NoError(t, err)
	defer db.Close()
	for _, c := range []struct {
		f    backend.OrderFilter
		want []string
	}{
		{backend.OrderFilter{Name: "山"}, []string{"2", "1"}},
		{backend.OrderFilter{Name: "郎"}, []string{"10", "3", "1"}},
		{backend.OrderFilter{Name: "田太郎"}, []string{"1"}},
		{backend.OrderFilter{Kana: "やま"}, []string{"2", "1"}},
		{backend.OrderFilter{Email: "smith@example"}, []string{"11"}},
		{backend.OrderFilter{Tel: "1234-56"}, []string{"11"}},
	} {
		page, err := db.FindOrders(ctx, c.f)
		require.NoError(t, err)
		assert.Equal(t, c.want, nos(page), "%+v", c.f)
	}
	var left int
	require.NoError(t, db.read.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'order_text'`).Scan(&left))
	assert.Zero(t, left, "the n-gram table is gone")
	require.NoError(t, db.SaveOrder(ctx, testOrder("1", "高橋太郎", "タカハシタロウ", 1000, day)))
	page, _ := db.FindOrders(ctx, backend.OrderFilter{Name: "山田"})
	assert.Empty(t, nos(page))
	page, _ = db.FindOrders(ctx, backend.OrderFilter{Name: "高橋太"})
	assert.Equal(t, []string{"1"}, nos(page))
}
