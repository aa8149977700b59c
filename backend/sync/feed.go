package sync

import (
	"context"
	"encoding/json"
	"fmt"
	gosync "sync"

	"kessaidesk/backend"
)

// SettingChangeFeed enables a profile's difference inquiry ("sync.change_feed.<id>" = "1").
func SettingChangeFeed(profileID int64) string { return fmt.Sprintf("sync.change_feed.%d", profileID) }

// feedState is kept in the profile's SyncStatus.Cursor: the gateway's cursor and the
// changes read but not yet applied — the gateway never sends them again, so they are
// saved before they are applied and a crash in between loses nothing.
type feedState struct {
	Cursor  string           `json:"cursor"`
	Pending []backend.Change `json:"pending,omitempty"`
}

func (s *Syncer) feedEnabled(ctx context.Context, profileID int64) bool {
	v, _ := s.Store.Setting(ctx, SettingChangeFeed(profileID))
	return v == "1"
}

// syncByFeed reads the difference inquiry and applies what changed to the open
// payments. It returns the payments still to ask one by one: none when the feed is
// complete, all of them when the gateway lost changes.
func (s *Syncer) syncByFeed(ctx context.Context, prof *backend.GatewayProfile, feed backend.ChangeFeed, st *backend.SyncStatus,
	pays []*backend.Payment, rep *Report) ([]*backend.Payment, error) {
	var fs feedState
	if st.Cursor != "" {
		if err := json.Unmarshal([]byte(st.Cursor), &fs); err != nil {
			fs = feedState{} // an unreadable state: start from the gateway's cursor
		}
	}
	byOrder := map[string]*backend.Payment{}
	for _, p := range pays {
		byOrder[p.GatewayOrderID] = p
	}
	var mu gosync.Mutex
	applyAll := func(changes []backend.Change) {
		for _, c := range changes {
			if p := byOrder[c.GatewayOrderID]; p != nil && c.View != nil {
				s.apply(ctx, prof, p, c.View, rep, &mu)
				rep.Checked++
			}
		}
	}
	save := func() {
		b, _ := json.Marshal(fs)
		st.Cursor = string(b)
		s.Store.SaveSyncStatus(ctx, st)
	}
	if len(fs.Pending) > 0 { // left by a crash after the last read
		applyAll(fs.Pending)
		fs.Pending = nil
		save()
	}
	batch, err := feed.Changes(ctx, fs.Cursor)
	if batch != nil {
		rep.Requests += batch.Requests
		fs.Cursor, fs.Pending = batch.Cursor, batch.Changes
		save()
		applyAll(batch.Changes)
		fs.Pending = nil
		save()
	}
	if err != nil {
		return nil, err
	}
	if batch.Complete {
		return nil, nil
	}
	return pays, nil
}
