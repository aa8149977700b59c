package app

import (
	"context"
	"encoding/json"
)

// The window opens where the operator left it, at the size they left it, and always
// inside the screen: a size saved on a 1920×1080 monitor must not open past the edge of
// a 1366×768 laptop.

// SettingWindow keeps the window's size and position (JSON WindowState).
const SettingWindow = "window"

// WindowState is the window's size and place, in logical pixels.
type WindowState struct {
	X         int  `json:"x"`
	Y         int  `json:"y"`
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	Maximised bool `json:"maximised"`
}

// Default window size on a screen that has room for it.
const (
	defaultWidth  = 1280
	defaultHeight = 820
	minWidth      = 960
	minHeight     = 600
	// Taskbar / menu bar and the title bar take this much of the screen's height.
	screenReserveY = 72
)

// windowControl is the running window, behind an interface so that the lifecycle is
// tested without Wails (runtime.go implements it).
type windowControl interface {
	// Screen is the logical size of the screen the window is on; ok false when unknown.
	Screen() (w, h int, ok bool)
	// State is the window's size and position now.
	State() WindowState
	// Place sizes and moves the window (center: let the OS centre it).
	Place(st WindowState, center bool)
}

// loadWindowState reads the saved window; ok false when none was saved.
func (s *Services) loadWindowState(ctx context.Context) (WindowState, bool) {
	raw, err := s.Store.Setting(ctx, SettingWindow)
	if err != nil || raw == "" {
		return WindowState{}, false
	}
	var st WindowState
	if json.Unmarshal([]byte(raw), &st) != nil || st.Width <= 0 || st.Height <= 0 {
		return WindowState{}, false
	}
	return st, true
}

func (s *Services) saveWindowState(ctx context.Context, st WindowState) error {
	b, _ := json.Marshal(st)
	return s.Store.SetSetting(ctx, SettingWindow, string(b))
}

// InitialWindow is the size main opens the window with (before the screen is known).
func (s *Services) InitialWindow() (width, height int) {
	if st, ok := s.loadWindowState(s.Ctx()); ok && !st.Maximised {
		return max(st.Width, minWidth), max(st.Height, minHeight)
	}
	return defaultWidth, defaultHeight
}

// fitWindow chooses the window for a screen of sw×sh: the saved one when it fits, made
// to fit when it does not; with nothing saved, a small screen (1366×768, 1440×900) gets
// the whole screen and a larger one the default size, centred.
func fitWindow(saved WindowState, have bool, sw, sh int) (st WindowState, center bool) {
	availH := sh - screenReserveY
	if !have {
		if sw < defaultWidth+80 || availH < defaultHeight {
			return WindowState{Width: sw, Height: availH, Maximised: true}, true
		}
		return WindowState{Width: defaultWidth, Height: defaultHeight}, true
	}
	if saved.Maximised {
		return saved, false
	}
	st = saved
	st.Width = min(max(st.Width, minWidth), sw)
	st.Height = min(max(st.Height, minHeight), max(availH, minHeight))
	// Off the screen (a monitor unplugged, a resolution changed): centre it again.
	// At least 100 px of the title bar must be reachable.
	if st.X < -st.Width+100 || st.X > sw-100 || st.Y < 0 || st.Y > sh-100 {
		return st, true
	}
	return st, false
}
