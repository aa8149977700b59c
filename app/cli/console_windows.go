//go:build windows

package cli

import (
	"os"
	"syscall"
)

// AttachConsole lets the window-subsystem .exe print to the Command Prompt or
// PowerShell that started it (a GUI program has no console of its own). When the
// output is redirected to a file or pipe, the inherited handles are kept.
func AttachConsole() {
	if _, err := os.Stdout.Stat(); err == nil {
		return // redirected to a file or a pipe: keep it
	}
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	if r, _, _ := attach.Call(attachParentProcess); r == 0 {
		return
	}
	if out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = out, out
	}
	if in, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
		os.Stdin = in
	}
}
