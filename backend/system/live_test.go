package system

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
)

// liveFeedFake replays changes, as the PostgreSQL store's feed would report them.
type liveFeedFake struct{ changes []backend.DataChange }

func (f liveFeedFake) WatchChanges(ctx context.Context, fn func(backend.DataChange)) error {
	for _, c := range f.changes {
		fn(c)
	}
	return ctx.Err()
}

// liveRecorder keeps the events emitted to the window.
type liveRecorder struct {
	mu     sync.Mutex
	events []string
}

func (r *liveRecorder) Emit(event string, data any) {
	b, _ := json.Marshal(data)
	r.mu.Lock()
	r.events = append(r.events, event+" "+string(b))
	r.mu.Unlock()
}

func (r *liveRecorder) Notify(string, string) {}

// Another desktop's changes reach the window as data:changed {tables}; a cut feed is
// logged once however many attempts fail, and its return once.
func TestWatchLiveEmitsChangesAndLogsACutOnce(t *testing.T) {
	cut := errors.New("connection refused")
	feed := liveFeedFake{changes: []backend.DataChange{
		{Tables: []string{"orders", "payments"}},
		{Lost: cut}, {Lost: cut}, {Lost: cut},
		{Tables: []string{"orders", "settings"}},
		{Tables: []string{"operations"}},
	}}
	var logged bytes.Buffer
	rec := &liveRecorder{}
	watchLive(context.Background(), feed, rec, slog.New(slog.NewTextHandler(&logged, nil)))

	require.Len(t, rec.events, 5, "the window hears of the cut once and of the return once")
	assert.Equal(t, `data:changed {"tables":["orders","payments"]}`, rec.events[0])
	assert.Contains(t, rec.events[1], `shared:connection {"lost":true,"message":"共有データベースのサーバーとの接続が切れました`)
	assert.Contains(t, rec.events[1], "connection refused")
	assert.Equal(t, []string{
		`shared:connection {"lost":false}`,
		`data:changed {"tables":["orders","settings"]}`,
		`data:changed {"tables":["operations"]}`,
	}, rec.events[2:])
	lines := strings.Split(strings.TrimSpace(logged.String()), "\n")
	require.Len(t, lines, 2, logged.String())
	assert.Contains(t, lines[0], "level=WARN")
	assert.Contains(t, lines[0], "connection refused")
	assert.Contains(t, lines[1], "change feed is back")
}
