package vault

import (
	"fmt"
	"os"
	"path/filepath"

	"kessaidesk/backend"
)

// noSessionBus explains a Linux session without a D-Bus session bus: the Secret
// Service cannot be reached, and go-keyring would start a dbus-daemon that never exits
// (one more on every run of a scheduled command). nil when a session bus is there.
func noSessionBus() error {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return nil
	}
	for _, dir := range []string{os.Getenv("XDG_RUNTIME_DIR"), fmt.Sprintf("/run/user/%d", os.Getuid())} {
		if dir == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
			return nil
		}
	}
	return &backend.Error{Code: backend.ECREDENTIAL, Class: backend.ClassNotSent,
		Message: "OSのキーチェーン（Secret Service）に接続できません: D-Busのセッションがありません。デスクトップにログインした状態で実行するか、" +
			"cron などからは「dbus-run-session -- kessaidesk sync」のようにセッションを用意して実行してください",
		MessageEn: "the OS keychain (Secret Service) cannot be reached: there is no D-Bus session bus. Run it in a desktop session, " +
			"or from cron as `dbus-run-session -- kessaidesk sync`"}
}
