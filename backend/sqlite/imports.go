package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

var _ backend.ImportStore = (*DB)(nil)

// BeginImport starts an import's transaction: the writer's IMMEDIATE transaction for a
// commit, a read snapshot for a preview.
func (db *DB) BeginImport(ctx context.Context, write bool) (backend.ImportTx, error) {
	var conn *sql.Conn
	var tx *sql.Tx
	var err error
	if write {
		conn, tx, err = db.beginWriterConn(ctx)
	} else {
		tx, err = db.read.BeginTx(ctx, nil)
	}
	if err != nil {
		return nil, err
	}
	t := &importTx{tx: tx, conn: conn, write: write, pc: db.PC()}
	if write {
		err = t.growCache(ctx)
	}
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.PrepareContext(ctx, q)
		return st
	}
	t.target = prep(`SELECT ` + orderColumns + `, EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)
		FROM orders o WHERE o.order_no = ?`)
	t.exists = prep(`SELECT EXISTS (SELECT 1 FROM orders WHERE order_no = ?)`)
	// A re-import looks up every order of the file and its lines (twice: preview and
	// commit): prepared once, not for each order.
	t.items = prep(itemsSQL)
	// What makes an order's amounts the payment's: money moved (or may be moving).
	t.moved = prep(`SELECT ` + sqlstore.MovedColumns + ` FROM orders o WHERE o.id = ?`)
	if write {
		t.event = prep(sqlstore.ImportEventSQL)
	}
	if err == nil && write {
		t.w, err = newOrderWriter(ctx, conn, tx)
	}
	if err != nil {
		t.close()
		t.end(tx.Rollback())
		return nil, err
	}
	return t, nil
}

type importTx struct {
	tx                           *sql.Tx
	conn                         *sql.Conn // a commit's: the writer's connection
	cacheWas                     *int64    // its cache_size before the commit
	write                        bool
	w                            *orderWriter
	target, exists, moved, event *sql.Stmt
	items                        *sql.Stmt
	empty                        *bool  // the orders table is empty (asked once)
	pc                           string // the PC its events name (the store's)
	// links are queued when the orders are all written: QueueLinkHints' INSERT …
	// SELECT opens a statement savepoint, at which SQLite's FTS5 flushes the search
	// index's pending terms — once per order, it costs more than the rest of the save.
	links  []sqlstore.LinkHint
	behind behind // a commit's saves
}

// behind runs an import's writes on a goroutine of its own, in order, while the
// caller reads the file and prepares the next orders: the writer's SQLite work takes
// one core, the rest of the import the other. The first failure stops it (what was
// queued after it is dropped); add and wait return it.
type behind struct {
	queued []func() error
	ch     chan []func() error // to the goroutine, while it runs
	done   chan struct{}
	mu     sync.Mutex
	err    error
	stop   atomic.Bool
}

// behindBatch is how many writes go to the goroutine at a time.
const behindBatch = 64

func (b *behind) failure() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

func (b *behind) do(f func() error) {
	if b.stop.Load() || b.failure() != nil {
		return
	}
	if err := f(); err != nil {
		b.mu.Lock()
		b.err = err
		b.mu.Unlock()
	}
}

// add queues f; it runs once a batch is full, or at wait.
func (b *behind) add(f func() error) error {
	if err := b.failure(); err != nil {
		return err
	}
	b.queued = append(b.queued, f)
	if len(b.queued) < behindBatch {
		return nil
	}
	if b.ch == nil {
		b.ch, b.done = make(chan []func() error, 4), make(chan struct{})
		go func(ch chan []func() error, done chan struct{}) {
			defer close(done)
			for fs := range ch {
				for _, f := range fs {
					b.do(f)
				}
			}
		}(b.ch, b.done)
	}
	b.ch <- b.queued
	b.queued = make([]func() error, 0, behindBatch)
	return nil
}

// wait returns when everything queued is written (or dropped after a failure), with
// the first failure; the transaction is then the caller's alone.
func (b *behind) wait() error {
	if b.ch != nil {
		if len(b.queued) > 0 {
			b.ch <- b.queued
		}
		close(b.ch)
		<-b.done
		b.ch, b.queued = nil, nil
	}
	for _, f := range b.queued {
		b.do(f)
	}
	b.queued = b.queued[:0]
	return b.failure()
}

// discard drops what is not written yet and waits for the goroutine.
func (b *behind) discard() {
	b.stop.Store(true)
	b.queued = nil
	b.wait()
}

func (t *importTx) close() error {
	for _, st := range []*sql.Stmt{t.target, t.exists, t.moved, t.event, t.items} {
		if st != nil {
			st.Close()
		}
	}
	t.target, t.exists, t.moved, t.event, t.items = nil, nil, nil, nil, nil
	if t.w == nil {
		return nil
	}
	err := t.w.close()
	t.w = nil
	return err
}

// importCacheKiB is the writer's page cache during a commit. A large import changes
// far more pages than the default 2 MiB holds, and SQLite writes them out to the WAL
// and reads them back as it goes; with 16 MiB a third fewer of those reads and writes.
const importCacheKiB = 16 << 10

// growCache sets the connection's page cache for the commit; end restores it.
func (t *importTx) growCache(ctx context.Context) error {
	var was int64
	if err := t.tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&was); err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, importCacheKiB)); err != nil {
		return err
	}
	t.cacheWas = &was
	return nil
}

// end gives the writer's connection back, its cache as it was, once the transaction
// is over.
func (t *importTx) end(err error) error {
	if t.conn == nil {
		return err
	}
	if t.cacheWas != nil { // (were this to fail, the cache would stay larger: nothing worse)
		t.conn.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA cache_size = %d`, *t.cacheWas))
	}
	t.conn.Close()
	t.conn = nil
	return err
}

func (t *importTx) Target(ctx context.Context, orderNo string) (*backend.ImportTarget, error) {
	if err := t.behind.wait(); err != nil {
		return nil, err
	}
	o := &backend.Order{}
	var hasPayment bool
	err := scanOrder(t.target.QueryRowContext(ctx, orderNo), o, &hasPayment)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := t.items.QueryContext(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	if o.Items, err = scanItems(rows); err != nil {
		return nil, err
	}
	tg := &backend.ImportTarget{Order: o, HasPayment: hasPayment}
	if !hasPayment {
		return tg, nil
	}
	var state, kind string
	var inFlight bool
	if err := t.moved.QueryRowContext(ctx, o.ID).Scan(&state, &kind, &inFlight); err != nil {
		return nil, err
	}
	sqlstore.MoneyMoved(tg, state, kind, inFlight)
	return tg, nil
}

func (t *importTx) Exists(ctx context.Context, orderNo string) (bool, error) {
	if err := t.behind.wait(); err != nil {
		return false, err
	}
	if t.empty == nil { // a shop's first import: no order to look up
		var any bool
		if err := t.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM orders)`).Scan(&any); err != nil {
			return false, err
		}
		empty := !any
		t.empty = &empty
	}
	if *t.empty {
		return false, nil
	}
	var ok bool
	err := t.exists.QueryRowContext(ctx, orderNo).Scan(&ok)
	return ok, err
}

var errPreview = errors.New("sqlite: a preview import saves nothing")

// Save validates o and prepares its row here; the row is written behind (t.behind),
// so a failure to write it may be returned by a later call. o is the import's from
// then on.
func (t *importTx) Save(ctx context.Context, o *backend.Order, s backend.ImportSave) error {
	if !t.write {
		return errPreview
	}
	if err := o.Validate(); err != nil {
		return err
	}
	r := newOrderRow(o, o.ID, s.At)
	return t.behind.add(func() error { return t.save(r, s) })
}

// save writes an order, its import event, and notes the link it may need.
func (t *importTx) save(r *orderRow, s backend.ImportSave) error {
	ctx := context.Background() // a cancel is the importer's to notice, between orders
	o := r.o
	if err := t.w.write(ctx, r); err != nil {
		if isUniqueViolation(errors.Unwrap(err)) {
			return sqlstore.ErrSavedAfterCheck(o.OrderNo)
		}
		return err
	}
	if s.Event != "" {
		if _, err := t.event.ExecContext(ctx, o.ID, ms(s.At), s.Actor, t.pc, s.Event, s.EventEn); err != nil {
			return err
		}
	}
	if sqlstore.MayNeedLink(o) {
		t.links = append(t.links, sqlstore.LinkHint{OrderID: o.ID, IDs: s.Hint, ProfileID: s.HintProfileID, At: s.At})
	}
	return nil
}

func (t *importTx) Note(ctx context.Context, orderID int64, s backend.ImportSave) error {
	if !t.write {
		return errPreview
	}
	if err := t.behind.wait(); err != nil {
		return err
	}
	return sqlstore.NoteImport(ctx, dialect.On(t.tx), orderID, s, t.pc)
}

func (t *importTx) Commit() error {
	err := t.behind.wait()
	err = errors.Join(err, t.close())
	if !t.write {
		t.tx.Rollback()
		return errPreview
	}
	if err == nil {
		err = sqlstore.QueueLinkHints(context.Background(), dialect.On(t.tx), t.links)
	}
	if err != nil {
		t.tx.Rollback()
		return t.end(err)
	}
	return t.end(t.tx.Commit())
}

func (t *importTx) Rollback() error {
	t.behind.discard()
	t.close()
	return t.end(t.tx.Rollback())
}
