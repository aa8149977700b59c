package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"net"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"kessaidesk/backend"
)

// The live view (issue 18): the tables the window shows notify the channel
// changesChannel when a statement changes them (migration 0020_live_view.pgsql), naming
// the writer by its application_name — this process's Owner, set on every connection of
// the pool. A desktop listens on a connection of its own and tells the window what the
// others changed.

var _ backend.LiveFeed = (*DB)(nil)

const changesChannel = "kessaidesk_changes"

// watchedTables are the tables 0020_live_view.pgsql notifies for (a test checks that
// each has its triggers). After a lost connection a DataChange names them all.
var watchedTables = []string{"bulk_items", "bulk_jobs", "cancel_stock", "drifts", "gateway_profiles",
	"operations", "order_events", "order_items", "order_links", "orders", "payment_reviews",
	"payments", "refund_tasks", "settings", "shipping_holds", "sync_status"}

// The listener's timings: vars so that tests may shorten them.
var (
	// changeWindow gathers a burst (a bulk run commits an operation every few
	// milliseconds) into one DataChange: the first notification opens it, the
	// DataChange goes when it closes — a window hears of a burst about three times a
	// second, and of a single change within half a second.
	changeWindow = 300 * time.Millisecond
	// retryFirst and retryMax bound the wait between attempts to reconnect, doubling.
	retryFirst = 500 * time.Millisecond
	retryMax   = 30 * time.Second
)

// appNameMax is the longest application_name the server keeps (NAMEDATALEN-1 bytes).
const appNameMax = 63

// appName is the application_name of this process's connections: "kessaidesk " and the
// Owner, in printable ASCII (the server would rewrite other bytes) and cut from the
// host's start when too long — the pid and the random tail that make it unique stay.
func appName(owner string) string {
	b := []byte("kessaidesk " + owner)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	if len(b) > appNameMax {
		b = append([]byte("kessaidesk ..."), b[len(b)-(appNameMax-len("kessaidesk ...")):]...)
	}
	return string(b)
}

// openPool opens the pool on dsn with application_name naming owner, and returns the
// parsed settings for the listener.
func openPool(dsn, owner string) (*sql.DB, *pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, nil, err
	}
	cfg.RuntimeParams["application_name"] = appName(owner)
	// pgx prepares each statement once per connection, and after 5 runs the server may
	// keep a generic plan, made without the values: for a search the values decide the
	// plan (a common gram or a rare one, a month or ten years), so each run is planned
	// with its own.
	cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	// No parallel workers: a desktop's statements read a page or a capped count, and
	// workers each run their part past the LIMIT before the leader stops them (1M
	// orders, 「山田」's first page: 77 ms with 2 workers, 10 ms without; 「佐藤」 +
	// status + method 79 → 52 ms p50).
	cfg.RuntimeParams["max_parallel_workers_per_gather"] = "0"
	return stdlib.OpenDB(*cfg), cfg, nil
}

// listenEvent is what the listener's goroutine passes to WatchChanges.
type listenEvent struct {
	table  string
	resync bool  // the feed is back after a cut: every table may have changed
	lost   error // the feed was cut
}

// WatchChanges listens on a connection of its own (not the pool's: LISTEN belongs to a
// session) and calls fn with the other processes' changes, a burst folded into one
// DataChange. This process's own changes are skipped: its window refreshes after its own
// actions. When the server goes away it says so once (DataChange.Lost), reconnects with
// growing pauses (retryFirst … retryMax), and once back names every table (what changed
// meanwhile is unknown). It returns when ctx ends or the store is closed.
func (db *DB) WatchChanges(ctx context.Context, fn func(backend.DataChange)) error {
	ctx, cancel := context.WithCancel(ctx)
	events := make(chan listenEvent)
	listening := make(chan struct{})
	go func() {
		defer close(listening)
		db.listen(ctx, events)
	}()
	defer func() {
		cancel()
		<-listening
	}()

	pending := map[string]bool{}
	var window <-chan time.Time
	for {
		select {
		case <-db.stop:
			return context.Canceled
		case <-ctx.Done():
			return ctx.Err()
		case ev := <-events:
			switch {
			case ev.lost != nil:
				fn(backend.DataChange{Lost: ev.lost})
				continue
			case ev.resync:
				for _, t := range watchedTables {
					pending[t] = true
				}
			default:
				pending[ev.table] = true
			}
			if window == nil {
				window = time.After(changeWindow)
			}
		case <-window:
			window = nil
			tables := make([]string, 0, len(pending))
			for t := range pending {
				tables = append(tables, t)
			}
			sort.Strings(tables)
			clear(pending)
			fn(backend.DataChange{Tables: tables})
		}
	}
}

// listen holds the LISTEN connection until ctx ends, reconnecting when it is lost, and
// passes on the other processes' notifications.
func (db *DB) listen(ctx context.Context, events chan<- listenEvent) {
	send := func(ev listenEvent) bool {
		select {
		case events <- ev:
			return true
		case <-ctx.Done():
			return false
		}
	}
	me := appName(db.Owner)
	pause, lost, connected := retryFirst, false, false
	for ctx.Err() == nil {
		conn, err := db.connectListener(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if !lost && !send(listenEvent{lost: unreachable(err)}) {
				return
			}
			lost = true
			select {
			case <-time.After(pause):
			case <-ctx.Done():
				return
			}
			pause = min(2*pause, retryMax)
			continue
		}
		if (lost || connected) && !send(listenEvent{resync: true}) {
			conn.Close(context.Background())
			return
		}
		pause, lost, connected = retryFirst, false, true
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				conn.Close(context.Background())
				if ctx.Err() != nil {
					return
				}
				// Cut: say so, and try again at once (a restarted server is usually back).
				if !send(listenEvent{lost: unreachable(err)}) {
					return
				}
				lost = true
				break
			}
			var p struct{ Table, By string }
			if json.Unmarshal([]byte(n.Payload), &p) != nil || p.Table == "" || p.By == me {
				continue
			}
			if !send(listenEvent{table: p.Table}) {
				conn.Close(context.Background())
				return
			}
		}
	}
}

// connectListener opens the listener's connection and listens. TCP keepalives find a
// server that vanished without closing the connection (a cable, a VPN) in about 30 s:
// an idle listener would otherwise wait on it for hours.
func (db *DB) connectListener(ctx context.Context) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cfg := db.connConfig.Copy()
	timeout := cfg.ConnectTimeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	d := &net.Dialer{Timeout: timeout, KeepAliveConfig: net.KeepAliveConfig{
		Enable: true, Idle: 15 * time.Second, Interval: 5 * time.Second, Count: 3}}
	cfg.DialFunc = d.DialContext
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}
