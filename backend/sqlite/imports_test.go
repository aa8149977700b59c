package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

func TestDemoPresentAndSettingsWithPrefix(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	demo, err := db.DemoPresent(ctx)
	require.NoError(t, err)
	assert.False(t, demo)
	o := testOrder("1", "山田", "ヤマダ", 100, day)
	o.Source = "demo"
	require.NoError(t, db.SaveOrder(ctx, o))
	demo, err = db.DemoPresent(ctx)
	require.NoError(t, err)
	assert.True(t, demo)

	require.NoError(t, db.SetSetting(ctx, "import.layout.a", "1"))
	require.NoError(t, db.SetSetting(ctx, "import.layout.b", "2"))
	require.NoError(t, db.SetSetting(ctx, "import.layouts", "x"))
	require.NoError(t, db.SetSetting(ctx, "other", "3"))
	got, err := db.SettingsWithPrefix(ctx, "import.layout.")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"import.layout.a": "1", "import.layout.b": "2"}, got)
	require.NoError(t, db.DeleteSetting(ctx, "import.layout.a"))
	v, err := db.Setting(ctx, "import.layout.a")
	require.NoError(t, err)
	assert.Empty(t, v)
}

// A commit runs with a larger page cache; the writer has its own back afterwards.
func TestImportCacheIsRestored(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	cache := func() int64 {
		var n int64
		require.NoError(t, db.write.QueryRow(`PRAGMA cache_size`).Scan(&n))
		return n
	}
	was := cache()
	for _, commit := range []bool{true, false} {
		tx, err := db.BeginImport(ctx, true)
		require.NoError(t, err)
		var n int64
		require.NoError(t, tx.(*importTx).tx.QueryRow(`PRAGMA cache_size`).Scan(&n))
		assert.Equal(t, int64(-importCacheKiB), n)
		require.NoError(t, tx.Save(ctx, testOrder(fmt.Sprint(commit), "山田", "ヤマダ", 100, day), backend.ImportSave{At: day}))
		if commit {
			require.NoError(t, tx.Commit())
		} else {
			require.NoError(t, tx.Rollback())
		}
		assert.Equal(t, was, cache())
	}
}
