//go:build !linux

package vault

// noSessionBus: Windows and macOS keychains need no session bus.
func noSessionBus() error { return nil }
