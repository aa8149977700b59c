//go:build keyring_integration

package vault

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// Run by build/scripts/keyring-test.sh under dbus-run-session with an unlocked
// gnome-keyring: the real Secret Service, not a fake.
func TestRealKeyringRoundTrip(t *testing.T) {
	k := Keyring{Service: fmt.Sprintf("Kessai Desk test %d", os.Getpid())}
	key := "profile-1/shop_pass"
	require.NoError(t, k.Set(key, "テスト用パスワード"))
	got, err := k.Get(key)
	require.NoError(t, err)
	assert.Equal(t, "テスト用パスワード", got)
	require.NoError(t, k.Delete(key))
	_, err = k.Get(key)
	assert.Equal(t, backend.ENOTFOUND, backend.ErrorCode(err))
}
