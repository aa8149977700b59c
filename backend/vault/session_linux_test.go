package vault

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"kessaidesk/backend"
)

// Without a session bus the keychain fails at once with a message that says what to
// do — it does not start a dbus-daemon that outlives the command.
func TestNoSessionBusFailsFastWithAFix(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	if noSessionBus() == nil {
		t.Skip("this machine has a session bus socket under /run/user")
	}
	_, err := Keyring{Service: "kessaidesk-test"}.Get("profile/1/shop_pass")
	assert.Equal(t, backend.ECREDENTIAL, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "dbus-run-session")
	assert.NotContains(t, backend.ErrorMessage(err, "ja"), "入力してください", "not a request to re-type a secret")
}
