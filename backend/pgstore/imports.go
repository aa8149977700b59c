package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

// The order import (backend/csvimport drives it) on PostgreSQL: one transaction, as on
// SQLite, with the same answers. What differs is the cost of a statement: each is a
// round trip to the server, so a commit's saves are gathered and written a batch at a
// time — every new order of the batch in one INSERT from arrays (unnest), its lines in
// another, its events in a third — a commit's look-up is one query (the order, its
// lines, its payment's state), and a preview reads the stored orders ahead in number
// order (ahead). A 100,000-order import is a few hundred statements besides the
// look-ups of a commit's existing orders.

var _ backend.ImportStore = (*DB)(nil)

// importBatch is how many saved orders are written at a time.
const importBatch = 1000

// BeginImport starts an import's transaction. A preview reads one snapshot (repeatable
// read, read-only: it can never save anything); a commit locks each stored order it
// looks up (FOR UPDATE) until it ends, so another desktop cannot change an order
// between the comparison and the write, and a new order another desktop saves after
// the check fails the commit on its number.
func (db *DB) BeginImport(ctx context.Context, write bool) (backend.ImportTx, error) {
	opts := &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	if write {
		opts = nil
	}
	tx, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	t := &importTx{tx: tx, q: dialect.On(tx), write: write, pc: db.PC(), products: map[[2]string]int64{},
		pending: map[string]bool{}}
	t.numbers.read = readAhead(t.q, `SELECT o.order_no FROM orders o WHERE`, func(r *sql.Rows) (string, struct{}, error) {
		var no string
		err := r.Scan(&no)
		return no, struct{}{}, err
	})
	t.targets.read = readAhead(t.q, targetSQL, func(r *sql.Rows) (string, *backend.ImportTarget, error) {
		tg, err := scanTarget(r)
		if err != nil {
			return "", nil, err
		}
		return tg.Order.OrderNo, tg, nil
	})
	return t, nil
}

type importTx struct {
	tx    *sql.Tx
	q     sqlstore.Q
	write bool
	pc    string // the PC its events name (the store's)
	// A preview's look-ups, read ahead.
	numbers ahead[struct{}]
	targets ahead[*backend.ImportTarget]

	batch    []importSave    // saved, not yet written
	pending  map[string]bool // the batch's order numbers
	products map[[2]string]int64
	links    []sqlstore.LinkHint // queued at the commit
	failed   error               // a write failed: the transaction is aborted
}

type importSave struct {
	o *backend.Order
	s backend.ImportSave
}

var errPreview = errors.New("pgstore: a preview import saves nothing")

// targetSQL reads stored orders as an import sees them (scanTarget), one order or a
// window of them: the order, whether it has a payment, whether money moved on it
// (sqlstore.MovedColumns), its lines as one JSON array in line order.
const targetSQL = `SELECT ` + sqlstore.OrderColumns + `, EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id),
		` + sqlstore.MovedColumns + `,
		COALESCE((SELECT json_agg(json_build_array(i.product_code, i.product_name, i.variant, i.unit_price, i.quantity)
			ORDER BY i.line_no) FROM order_items i WHERE i.order_id = o.id), '[]')
		FROM orders o WHERE `

func scanTarget(sc interface{ Scan(...any) error }) (*backend.ImportTarget, error) {
	tg := &backend.ImportTarget{Order: &backend.Order{}}
	var state, kind, items string
	var inFlight bool
	if err := sqlstore.ScanOrder(sc, tg.Order, &tg.HasPayment, &state, &kind, &inFlight, &items); err != nil {
		return nil, err
	}
	var err error
	if tg.Order.Items, err = decodeItems(items); err != nil {
		return nil, err
	}
	if tg.HasPayment {
		sqlstore.MoneyMoved(tg, state, kind, inFlight)
	}
	return tg, nil
}

func (t *importTx) Target(ctx context.Context, orderNo string) (*backend.ImportTarget, error) {
	if !t.write { // a preview reads ahead; nothing it reads is locked
		tg, _, err := t.targets.get(ctx, orderNo)
		return tg, err
	}
	if t.pending[orderNo] { // (an importer looks an order up before saving it, never after)
		if err := t.flush(ctx); err != nil {
			return nil, err
		}
	}
	tg, err := scanTarget(t.q.Row(ctx, targetSQL+`o.order_no = ? FOR UPDATE OF o`, orderNo))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return tg, t.fail(err)
}

// ahead answers a preview's look-ups of order numbers from a window of the stored
// orders read in number order (order_no is COLLATE "C": the server's order is Go's). A
// file is nearly always in number or date order, so one query answers hundreds of
// look-ups instead of one each. The window grows while it answers look-ups and
// shrinks back when the file jumps about: a file in no order costs about a query a
// look-up, as it would without it.
type ahead[T any] struct {
	size     int
	from, to string // every stored order from..to is in rows; open: to the end
	open     bool
	rows     map[string]T
	answered int
	// read returns the stored orders from from on, in number order, at most limit.
	read func(ctx context.Context, from string, limit int) ([]string, map[string]T, error)
}

const (
	aheadMin = 16
	aheadMax = 1024
)

func (a *ahead[T]) get(ctx context.Context, no string) (T, bool, error) {
	if a.rows == nil || no < a.from || !a.open && no > a.to {
		if a.answered > 1 { // the last window answered more than the look-up that read it
			a.size = min(max(a.size, aheadMin)*4, aheadMax)
		} else {
			a.size = aheadMin
		}
		keys, rows, err := a.read(ctx, no, a.size)
		if err != nil {
			var zero T
			return zero, false, err
		}
		a.from, a.rows, a.open, a.answered = no, rows, len(keys) < a.size, 0
		if len(keys) > 0 {
			a.to = keys[len(keys)-1]
		}
	}
	a.answered++
	v, ok := a.rows[no]
	return v, ok, nil
}

// readAhead is ahead's read for query (a SELECT over orders o ending in WHERE), each
// row read by scan.
func readAhead[T any](q sqlstore.Q, query string, scan func(*sql.Rows) (string, T, error)) func(context.Context, string, int) ([]string, map[string]T, error) {
	return func(ctx context.Context, from string, limit int) ([]string, map[string]T, error) {
		rows, err := q.Query(ctx, query+` o.order_no >= ? ORDER BY o.order_no LIMIT ?`, from, limit)
		if err != nil {
			return nil, nil, err
		}
		defer rows.Close()
		var keys []string
		out := map[string]T{}
		for rows.Next() {
			k, v, err := scan(rows)
			if err != nil {
				return nil, nil, err
			}
			keys, out[k] = append(keys, k), v
		}
		return keys, out, rows.Err()
	}
}

// decodeItems reads targetItems' array. Its numbers are integers (yen, quantities):
// they are read as such, never through a float.
func decodeItems(s string) ([]backend.LineItem, error) {
	var rows [][5]json.RawMessage
	if err := json.Unmarshal([]byte(s), &rows); err != nil {
		return nil, err
	}
	var out []backend.LineItem
	for _, r := range rows {
		var it backend.LineItem
		for i, dst := range []any{&it.ProductCode, &it.ProductName, &it.Variant, &it.UnitPrice, &it.Quantity} {
			if err := json.Unmarshal(r[i], dst); err != nil {
				return nil, fmt.Errorf("order line: %w", err)
			}
		}
		out = append(out, it)
	}
	return out, nil
}

func (t *importTx) Exists(ctx context.Context, orderNo string) (bool, error) {
	if t.pending[orderNo] {
		return true, nil
	}
	if !t.write {
		_, ok, err := t.numbers.get(ctx, orderNo)
		return ok, err
	}
	var ok bool
	err := t.q.Row(ctx, `SELECT EXISTS (SELECT 1 FROM orders WHERE order_no = ?)`, orderNo).Scan(&ok)
	return ok, t.fail(err)
}

// Save validates o and adds it to the batch; the batch is written when it is full (a
// failure to write it then comes back from that call) and at the commit. o is the
// import's from then on.
func (t *importTx) Save(ctx context.Context, o *backend.Order, s backend.ImportSave) error {
	if !t.write {
		return errPreview
	}
	if t.failed != nil {
		return t.failed
	}
	if err := o.Validate(); err != nil {
		return err
	}
	if t.pending[o.OrderNo] {
		if err := t.flush(ctx); err != nil {
			return err
		}
	}
	t.batch = append(t.batch, importSave{o, s})
	t.pending[o.OrderNo] = true
	if len(t.batch) >= importBatch {
		return t.flush(ctx)
	}
	return nil
}

func (t *importTx) Note(ctx context.Context, orderID int64, s backend.ImportSave) error {
	if !t.write {
		return errPreview
	}
	if t.failed != nil {
		return t.failed
	}
	return t.fail(sqlstore.NoteImport(ctx, t.q, orderID, s, t.pc))
}

func (t *importTx) Commit() error {
	if !t.write {
		t.tx.Rollback()
		return errPreview
	}
	ctx := context.Background() // (the importer notices a cancel between orders)
	err := t.flush(ctx)
	if err == nil {
		err = t.fail(sqlstore.QueueLinkHints(ctx, t.q, t.links))
	}
	if err != nil {
		t.tx.Rollback()
		return err
	}
	return t.fail(t.tx.Commit())
}

func (t *importTx) Rollback() error {
	err := t.tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// fail keeps the first failure of a statement: PostgreSQL aborts the transaction with
// it, so nothing after it can be saved. A conflict between desktops is said plainly.
func (t *importTx) fail(err error) error {
	if err == nil {
		return nil
	}
	switch pgCode(err) {
	case "40001", "40P01":
		err = backend.Errorf(backend.EBUSY, "別のパソコンが同じ受注を同時に変更したため、取り込みを中止しました。何も保存していません。もう一度取り込んでください",
			"another desktop changed the same orders at the same time; the import was stopped and nothing was saved. Import the file again")
	case "23505":
		if isUniqueViolation(err, "orders_order_no_key") {
			err = sqlstore.ErrSavedAfterCheck(conflictingKey(err))
		}
	}
	if t.failed == nil {
		t.failed = err
	}
	return err
}

// conflictingKey is the value a unique violation names ("Key (order_no)=(150) already
// exists."), "" when its detail says none.
func conflictingKey(err error) string {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return ""
	}
	_, v, ok := strings.Cut(pe.Detail, ")=(")
	if !ok {
		return ""
	}
	v, _, _ = strings.Cut(v, ") already exists")
	return v
}

// flush writes the batch: its new products, the updated orders (their lines replaced
// only when they changed, as SaveOrder does), the new orders, the lines, the events;
// the orders that may need a link are noted for the commit.
func (t *importTx) flush(ctx context.Context) error {
	if t.failed != nil {
		return t.failed
	}
	if len(t.batch) == 0 {
		return nil
	}
	batch := t.batch
	t.batch = t.batch[:0:0]
	clear(t.pending)
	return t.fail(t.writeBatch(ctx, batch))
}

func (t *importTx) writeBatch(ctx context.Context, batch []importSave) error {
	if err := t.addProducts(ctx, batch); err != nil {
		return err
	}
	var updated, inserted [][]any
	var updatedIDs []int64
	byNo := map[string]*backend.Order{}
	for _, b := range batch {
		vals := orderValues(b.o, b.s.At)
		if b.o.ID != 0 {
			updated, updatedIDs = append(updated, append([]any{b.o.ID}, vals...)), append(updatedIDs, b.o.ID)
		} else {
			inserted, byNo[b.o.OrderNo] = append(inserted, vals), b.o
		}
	}
	if len(updated) > 0 {
		if err := t.updateOrders(ctx, batch, updated, updatedIDs); err != nil {
			return err
		}
	}
	if len(inserted) > 0 {
		casts, args := arrays(inserted)
		rows, err := t.q.Query(ctx, `INSERT INTO orders (`+orderCols+`) SELECT * FROM unnest(`+casts+`) RETURNING id, order_no`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var no string
			if err := rows.Scan(&id, &no); err != nil {
				rows.Close()
				return err
			}
			byNo[no].ID = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	var lines, events [][]any
	for _, b := range batch {
		o := b.o
		for i, it := range o.Items {
			lines = append(lines, []any{o.ID, int64(i + 1), t.products[[2]string{it.ProductCode, it.ProductName}],
				it.ProductCode, it.ProductName, it.Variant, int64(it.UnitPrice), it.Quantity})
		}
		if b.s.Event != "" {
			events = append(events, []any{o.ID, ms(b.s.At), b.s.Actor, t.pc, "import", b.s.Event, b.s.EventEn})
		}
		if sqlstore.MayNeedLink(o) {
			t.links = append(t.links, sqlstore.LinkHint{OrderID: o.ID, IDs: b.s.Hint, ProfileID: b.s.HintProfileID, At: b.s.At})
		}
	}
	if err := t.insertRows(ctx, `order_items (order_id, line_no, product_id, product_code, product_name, variant, unit_price, quantity)`, lines); err != nil {
		return err
	}
	return t.insertRows(ctx, `order_events (order_id, at, actor, pc, kind, detail, detail_en)`, events)
}

// addProducts adds the batch's products the import has not met yet, and learns their ids.
func (t *importTx) addProducts(ctx context.Context, batch []importSave) error {
	var codes, names, search []string
	for _, b := range batch {
		for _, it := range b.o.Items {
			k := [2]string{it.ProductCode, it.ProductName}
			if _, ok := t.products[k]; !ok {
				t.products[k] = 0 // asked below
				codes, names, search = append(codes, k[0]), append(names, k[1]), append(search, productSearch(k[0], k[1]))
			}
		}
	}
	if len(codes) == 0 {
		return nil
	}
	if _, err := t.q.Exec(ctx, `INSERT INTO products (code, name, search) SELECT * FROM unnest(?::text[], ?::text[], ?::text[])
		ON CONFLICT (code, name) DO NOTHING`, codes, names, search); err != nil {
		return err
	}
	rows, err := t.q.Query(ctx, `SELECT p.id, p.code, p.name FROM products p
		JOIN unnest(?::text[], ?::text[]) AS k(code, name) ON p.code = k.code AND p.name = k.name`, codes, names)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k [2]string
		if err := rows.Scan(&id, &k[0], &k[1]); err != nil {
			return err
		}
		t.products[k] = id
	}
	return rows.Err()
}

// updateOrders writes the batch's stored orders, and replaces the lines of those whose
// lines changed; an order whose lines are the same keeps them (and their キャンセル在庫
// rows): its Items become nil, as SaveOrder leaves them.
func (t *importTx) updateOrders(ctx context.Context, batch []importSave, rows [][]any, ids []int64) error {
	casts, args := arrays(rows)
	names := strings.Split(orderCols, ",")
	set := make([]string, len(names))
	for i, n := range names {
		names[i] = strings.TrimSpace(n)
		set[i] = "u." + names[i]
	}
	if _, err := t.q.Exec(ctx, `UPDATE orders o SET (`+orderCols+`) = (`+strings.Join(set, ", ")+`)
		FROM unnest(`+casts+`) AS u(id, `+strings.Join(names, ", ")+`) WHERE o.id = u.id`, args...); err != nil {
		return err
	}
	stored := map[int64][]backend.LineItem{}
	lines, err := t.q.Query(ctx, `SELECT order_id, product_code, product_name, variant, unit_price, quantity
		FROM order_items WHERE order_id = ANY(?) ORDER BY order_id, line_no`, ids)
	if err != nil {
		return err
	}
	for lines.Next() {
		var id int64
		var it backend.LineItem
		if err := lines.Scan(&id, &it.ProductCode, &it.ProductName, &it.Variant, &it.UnitPrice, &it.Quantity); err != nil {
			lines.Close()
			return err
		}
		stored[id] = append(stored[id], it)
	}
	lines.Close()
	if err := lines.Err(); err != nil {
		return err
	}
	var changed []int64
	for _, b := range batch {
		if b.o.ID == 0 {
			continue
		}
		if slices.Equal(stored[b.o.ID], b.o.Items) {
			b.o.Items = nil
		} else {
			changed = append(changed, b.o.ID)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	_, err = t.q.Exec(ctx, `DELETE FROM order_items WHERE order_id = ANY(?)`, changed)
	return err
}

// insertRows inserts rows into table (with its column list) in one statement.
func (t *importTx) insertRows(ctx context.Context, table string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	casts, args := arrays(rows)
	_, err := t.q.Exec(ctx, `INSERT INTO `+table+` SELECT * FROM unnest(`+casts+`)`, args...)
	return err
}

// arrays turns rows of statement values into one array a column, and the unnest
// arguments that read them ("?::text[], ?::bigint[]…"): strings as text[], integers
// (or NULL, as order_no_num) as bigint[].
func arrays(rows [][]any) (string, []any) {
	n := len(rows[0])
	casts := make([]string, n)
	args := make([]any, n)
	for c := range n {
		isText := false
		for _, r := range rows {
			if _, ok := r[c].(string); ok {
				isText = true
				break
			}
		}
		if isText {
			col := make([]string, len(rows))
			for i, r := range rows {
				col[i] = r[c].(string)
			}
			casts[c], args[c] = "?::text[]", col
			continue
		}
		col := make([]*int64, len(rows))
		for i, r := range rows {
			switch v := r[c].(type) {
			case int64:
				col[i] = &v
			case nil:
			default:
				panic(fmt.Sprintf("pgstore: arrays: a %T in column %d", v, c))
			}
		}
		casts[c], args[c] = "?::bigint[]", col
	}
	return strings.Join(casts, ", "), args
}
