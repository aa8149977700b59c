//go:build !windows

package cli

// AttachConsole is needed on Windows only, where the app is a window-subsystem program.
func AttachConsole() {}
