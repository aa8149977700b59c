package vault

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// Two folders on one PC each have a "profile 1": neither reads nor overwrites the
// other's secret.
func TestScopedFoldersKeepTheirOwnSecrets(t *testing.T) {
	kc := NewMemory()
	trial := &Scoped{Inner: kc, Scope: "trial"}
	shop := &Scoped{Inner: kc, Scope: "shop"}
	key := backend.SecretKey(1, backend.SecretShopPass)
	require.NoError(t, trial.Set(key, "trial-pass"))
	require.NoError(t, shop.Set(key, "shop-pass"))
	v, err := trial.Get(key)
	require.NoError(t, err)
	assert.Equal(t, "trial-pass", v)
	v, err = shop.Get(key)
	require.NoError(t, err)
	assert.Equal(t, "shop-pass", v)

	require.NoError(t, trial.Delete(key))
	v, err = shop.Get(key)
	require.NoError(t, err)
	assert.Equal(t, "shop-pass", v, "deleting in one folder leaves the other's")
	_, err = trial.Get(key)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
}

// A folder made before entries were scoped still finds its bare entry (and copies it
// to its own name); a new folder never reads a bare entry.
func TestScopedLegacyEntries(t *testing.T) {
	kc := NewMemory()
	key := backend.SecretKey(2, backend.SecretHashKey)
	require.NoError(t, kc.Set(key, "old-hash-key"))

	old := &Scoped{Inner: kc, Scope: "old", Legacy: true}
	v, err := old.Get(key)
	require.NoError(t, err)
	assert.Equal(t, "old-hash-key", v)
	own, err := kc.Get("folder/old/" + key)
	require.NoError(t, err)
	assert.Equal(t, "old-hash-key", own, "copied to the folder's own name")

	fresh := &Scoped{Inner: kc, Scope: "new"}
	_, err = fresh.Get(key)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err), "a new folder never takes another folder's secret")
}
