package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// The window's size and place through the Wails runtime. With runtime.go, the only
// file that calls it: the lifecycle reaches it through windowControl, so tests never do.
// wailsWindow is the window as the lifecycle sees it (windowControl).
type wailsWindow struct{ ctx context.Context }

func (w wailsWindow) Screen() (int, int, bool) {
	screens, err := runtime.ScreenGetAll(w.ctx)
	if err != nil || len(screens) == 0 {
		return 0, 0, false
	}
	pick := screens[0]
	for _, s := range screens {
		if s.IsCurrent {
			pick = s
			break
		}
		if s.IsPrimary {
			pick = s
		}
	}
	if pick.Size.Width <= 0 || pick.Size.Height <= 0 {
		return 0, 0, false
	}
	return pick.Size.Width, pick.Size.Height, true
}

func (w wailsWindow) State() WindowState {
	if runtime.WindowIsMaximised(w.ctx) {
		st := WindowState{Maximised: true}
		st.Width, st.Height = runtime.WindowGetSize(w.ctx)
		return st
	}
	var st WindowState
	st.Width, st.Height = runtime.WindowGetSize(w.ctx)
	st.X, st.Y = runtime.WindowGetPosition(w.ctx)
	return st
}

func (w wailsWindow) Place(st WindowState, center bool) {
	if st.Maximised {
		runtime.WindowMaximise(w.ctx)
		return
	}
	runtime.WindowSetSize(w.ctx, st.Width, st.Height)
	if center {
		runtime.WindowCenter(w.ctx)
	} else {
		runtime.WindowSetPosition(w.ctx, st.X, st.Y)
	}
}
