package system

import (
	"context"
	"log/slog"

	"kessaidesk/backend"
)

// EventDataChanged tells the window that another desktop changed the shared data
// (backend.DataChange: {"tables": [...]}); it refreshes what it shows, quietly.
const EventDataChanged = "data:changed"

// EventSharedConnection tells the window the shared database's connection was lost
// ({"lost": true, "message": …, "messageEn": …}) or is back ({"lost": false}), so it can
// say so while the operator works (the change feed notices within seconds).
const EventSharedConnection = "shared:connection"

// SharedConnection is EventSharedConnection's payload.
type SharedConnection struct {
	Lost      bool   `json:"lost"`
	Message   string `json:"message,omitempty"`
	MessageEn string `json:"messageEn,omitempty"`
}

// watchChanges runs the live view of a shared database until ctx ends: the changes
// other desktops make reach the window as EventDataChanged. A store without a change
// feed (the folder's own SQLite) needs none.
func (s *System) watchChanges(ctx context.Context) {
	feed, ok := any(s.Store).(backend.LiveFeed)
	if !ok {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		watchLive(ctx, feed, s.notifier, s.Log)
	}()
}

// watchLive passes the feed's changes on to the window. A cut feed is logged when it
// happens and when it is back, not at each attempt to reconnect; the change that
// follows the return names every table, so the window catches up.
func watchLive(ctx context.Context, feed backend.LiveFeed, n backend.Notifier, log *slog.Logger) {
	lost := false
	feed.WatchChanges(ctx, func(c backend.DataChange) {
		if c.Lost != nil {
			if !lost {
				n.Emit(EventSharedConnection, SharedConnection{Lost: true,
					Message:   "共有データベースのサーバーとの接続が切れました。再接続を試みています。接続が戻るまで、決済の操作は送信できません: " + backend.ErrorMessage(c.Lost, "ja"),
					MessageEn: "the connection to the shared database's server was lost; reconnecting. Until it is back, no payment operation can be sent: " + backend.ErrorMessage(c.Lost, "en")})
				log.Warn("live view: the shared database's change feed is cut; reconnecting in the background",
					"error", backend.ErrorMessage(c.Lost, "en"))
			}
			lost = true
			return
		}
		if lost {
			n.Emit(EventSharedConnection, SharedConnection{Lost: false})
			log.Info("live view: the change feed is back")
			lost = false
		}
		if len(c.Tables) > 0 {
			n.Emit(EventDataChanged, c)
		}
	})
}
