package backend

import "context"

// LiveFeed is a store that several desktops share (PostgreSQL): it tells a desktop
// when another one changed the data its window shows, so the window refreshes within
// seconds without a restart (the live view). A store of one process (SQLite) has none:
// the window refreshes after its own actions.
type LiveFeed interface {
	// WatchChanges calls fn with the changes other processes make, bursts folded into
	// one DataChange, until ctx ends. It keeps watching through a lost server (reconnecting
	// in the background) and returns ctx's error when ctx ends. fn runs on the
	// watcher's goroutine, one call at a time.
	WatchChanges(ctx context.Context, fn func(DataChange)) error
}

// DataChange is what other desktops changed: the tables (orders, payments, operations…).
type DataChange struct {
	Tables []string `json:"tables"`
	// Lost is set, once, when the feed is cut (the server went away); Tables is then
	// empty. When the feed is back, a DataChange naming every watched table follows: what
	// changed meanwhile is unknown.
	Lost error `json:"-"`
}
