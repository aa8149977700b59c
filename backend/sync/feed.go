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
		views, order := latestViews(byOrder, changes)
		for _, p := range order {
			s.apply(ctx, prof, p, views[p], rep, &mu)
			rep.Checked++
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

// latestViews matches changes to our payments by trading_id and keeps each payment's
// latest view, in the order the payments first changed. A Paygent 補正 (in its console
// too) makes a new payment under the trading_id and cancels ours: a live payment with
// another payment_id is our payment's successor (its id and amount are what the
// gateway now holds), and the cancellation of ours that comes with it is not a cancel
// of the order. Other payments of the trading that hold no money are not ours.
func latestViews(byOrder map[string]*backend.Payment, changes []backend.Change) (map[*backend.Payment]*backend.GatewayView, []*backend.Payment) {
	views := map[*backend.Payment]*backend.GatewayView{}
	succeeded := map[*backend.Payment]bool{}
	var order []*backend.Payment
	for _, c := range changes {
		p := byOrder[c.GatewayOrderID]
		if p == nil || c.View == nil {
			continue
		}
		v := *c.View
		other := c.GatewayTranID != "" && p.GatewayTranID != "" && c.GatewayTranID != p.GatewayTranID
		switch {
		case other && (v.State == backend.StateAuthorized || v.State == backend.StateCaptured):
			v.NewTranID = c.GatewayTranID
			succeeded[p] = true
		case other, succeeded[p]:
			continue
		case p.GatewayTranID == "":
			v.NewTranID = c.GatewayTranID // known by trading_id only until now
		}
		if views[p] == nil {
			order = append(order, p)
		}
		views[p] = &v
	}
	return views, order
}
