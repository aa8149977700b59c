package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

// SaveOrder inserts the order, or updates the one with the same order number.
func (db *DB) SaveOrder(ctx context.Context, o *backend.Order) error {
	return db.SaveOrders(ctx, []*backend.Order{o})
}

// SaveOrders saves many orders in one transaction: all or nothing (CSV import, demo).
// An order whose number exists is updated in place, never duplicated.
func (db *DB) SaveOrders(ctx context.Context, orders []*backend.Order) error {
	for _, o := range orders {
		if err := o.Validate(); err != nil {
			return err
		}
	}
	conn, tx, err := db.beginWriterConn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	w, err := newOrderWriter(ctx, conn, tx)
	if err == nil {
		for _, o := range orders {
			if err = w.save(ctx, o, db.Now()); err != nil {
				break
			}
		}
		err = errors.Join(err, w.close())
	}
	if err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// beginWriterConn starts an IMMEDIATE transaction on the writer's connection, which it
// holds for an orderWriter (close it when the transaction is over).
func (db *DB) beginWriterConn(ctx context.Context) (*sql.Conn, *sql.Tx, error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, tx, nil
}

const orderCols = `order_no, order_no_num, ordered_at, updated_at, customer_name, customer_kana, email, tel,
	payment_method, subtotal, discount, shipping, fee, points_used, total, status, memo, source,
	name_n, kana_n, email_n, tel_n, tax, zip, address, ship_name, ship_zip, ship_address, ship_tel,
	delivery_method, tracking_no, shop_status`

var numOrderCols = strings.Count(orderCols, ",") + 1

// orderRow is an order made ready to write: its columns (orderCols) and search text,
// computed without the database — an import prepares the next orders while the
// previous ones are written.
type orderRow struct {
	o     *backend.Order
	id    int64 // the stored order's; 0 for a new one
	cols  []driver.Value
	text  []driver.Value // order_fts: name_n, kana_n, email_n, tel_n
	grams []driver.Value // order_grams: the bigrams of name_n and kana_n
}

func newOrderRow(o *backend.Order, id int64, now time.Time) *orderRow {
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = now
	}
	if o.OrderedAt.IsZero() {
		o.OrderedAt = now
	}
	nName, nKana, nMail, nTel := normalize(o.CustomerName), normalize(o.CustomerKana), normalize(o.Email), digitsOnly(o.Tel)
	return &orderRow{o: o, id: id,
		cols: []driver.Value{o.OrderNo, orderNoNum(o.OrderNo), ms(o.OrderedAt), ms(o.UpdatedAt), o.CustomerName, o.CustomerKana,
			o.Email, o.Tel, string(o.PaymentMethod), int64(o.Subtotal), int64(o.Discount), int64(o.Shipping), int64(o.Fee),
			int64(o.PointsUsed), int64(o.Total), string(o.Status), o.Memo, o.Source, nName, nKana, nMail, nTel, int64(o.Tax),
			o.Zip, o.Address, o.ShipName, o.ShipZip, o.ShipAddress, o.ShipTel, o.DeliveryMethod, o.TrackingNo, o.ShopStatus},
		text:  []driver.Value{nName, nKana, nMail, nTel},
		grams: []driver.Value{grams(nName, nameGram), grams(nKana, nameGram)},
	}
}

// orderWriter writes orders in a transaction on conn. A new order — nearly every row
// of a large import — goes through statements prepared on the driver's connection
// (conn.Raw): go-sqlite3 then binds all of a statement's parameters and takes its step
// in one cgo call, where database/sql would convert each parameter, bind it with a
// cgo call of its own and copy its text, which costs more than SQLite's own work. The
// rarer statements go through tx.
type orderWriter struct {
	conn                     *sql.Conn
	tx                       *sql.Tx
	find, update             *sql.Stmt
	product, productID       *sql.Stmt
	delItems, delText        *sql.Stmt
	delGrams                 *sql.Stmt
	products                 map[[2]string]int64
	insert, item, text, last driver.Stmt // on conn's driver connection, prepared at first use
	gram                     driver.Stmt
	lastID                   *int64 // the largest order id, once asked
	args                     []driver.NamedValue
}

func newOrderWriter(ctx context.Context, conn *sql.Conn, tx *sql.Tx) (*orderWriter, error) {
	w := &orderWriter{conn: conn, tx: tx, products: map[[2]string]int64{}}
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.PrepareContext(ctx, q)
		return st
	}
	w.find = prep(`SELECT id FROM orders WHERE order_no = ?`)
	w.update = prep(`UPDATE orders SET (` + orderCols + `) = (` + placeholders(numOrderCols) + `) WHERE id = ?`)
	w.product = prep(`INSERT INTO products (code, name, search) VALUES (?,?,?) ON CONFLICT (code, name) DO NOTHING`)
	w.productID = prep(`SELECT id FROM products WHERE code = ? AND name = ?`)
	w.delItems = prep(`DELETE FROM order_items WHERE order_id = ?`)
	w.delText = prep(`DELETE FROM order_fts WHERE rowid = ?`)
	w.delGrams = prep(`DELETE FROM order_grams WHERE rowid = ?`)
	if err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

// close closes the statements; call it before the transaction ends.
func (w *orderWriter) close() error {
	for _, st := range []*sql.Stmt{w.find, w.update, w.product, w.productID, w.delItems, w.delText, w.delGrams} {
		if st != nil {
			st.Close()
		}
	}
	w.find, w.update, w.product, w.productID, w.delItems, w.delText, w.delGrams = nil, nil, nil, nil, nil, nil, nil
	if w.insert == nil {
		return nil
	}
	return w.conn.Raw(func(any) error { return w.closeDriverStmts() })
}

// save inserts o, or updates the stored order with its number.
func (w *orderWriter) save(ctx context.Context, o *backend.Order, now time.Time) error {
	var id int64
	err := w.find.QueryRowContext(ctx, o.OrderNo).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return w.write(ctx, newOrderRow(o, id, now))
}

// write inserts a new order or updates the stored one, with its lines and search
// text, and sets its ID.
func (w *orderWriter) write(ctx context.Context, r *orderRow) error {
	o := r.o
	if r.id != 0 {
		update := make([]any, 0, len(r.cols)+1)
		for _, v := range r.cols {
			update = append(update, v)
		}
		if _, err := w.update.ExecContext(ctx, append(update, r.id)...); err != nil {
			return fmt.Errorf("update order %s: %w", o.OrderNo, err)
		}
		same, err := sameItems(ctx, w.tx, r.id, o.Items)
		if err != nil {
			return err
		}
		if same {
			o.Items = nil // keep the stored lines (and their キャンセル在庫 rows)
		} else if _, err := w.delItems.ExecContext(ctx, r.id); err != nil {
			return err
		}
		if _, err := w.delText.ExecContext(ctx, r.id); err != nil {
			return err
		}
		if _, err := w.delGrams.ExecContext(ctx, r.id); err != nil {
			return err
		}
		o.ID = r.id
	}
	pids := make([]int64, len(o.Items))
	for i, it := range o.Items {
		var err error
		if pids[i], err = w.productKey(ctx, it.ProductCode, it.ProductName); err != nil {
			return err
		}
	}
	return w.conn.Raw(func(dc any) error {
		if err := w.prepare(dc); err != nil {
			return err
		}
		if r.id == 0 {
			if err := w.insertOrder(r); err != nil {
				return fmt.Errorf("insert order %s: %w", o.OrderNo, err)
			}
		}
		for i, it := range o.Items {
			line := [...]driver.Value{int64(i + 1), pids[i], it.ProductCode, it.ProductName, it.Variant, int64(it.UnitPrice), it.Quantity}
			if err := run(w.item, w.bind(o.ID, line[:]), nil); err != nil {
				return err
			}
		}
		if err := run(w.text, w.bind(o.ID, r.text), nil); err != nil {
			return err
		}
		return run(w.gram, w.bind(o.ID, r.grams), nil)
	})
}

// insertOrder inserts a new order with the id SQLite would give it — one more than
// the largest — and sets its ID. (RETURNING id would cost a statement journal, at
// which FTS5 flushes the search index's pending terms: once per order.)
func (w *orderWriter) insertOrder(r *orderRow) error {
	if w.lastID == nil {
		var max int64
		if err := run(w.last, nil, &max); err != nil {
			return err
		}
		w.lastID = &max
	}
	id := *w.lastID + 1
	if id <= 0 {
		return errors.New("no order id is left")
	}
	if err := run(w.insert, w.bind(id, r.cols), nil); err != nil {
		return err
	}
	*w.lastID, r.o.ID = id, id
	return nil
}

// bind sets w.args to the parameters first, rest….
func (w *orderWriter) bind(first driver.Value, rest []driver.Value) []driver.NamedValue {
	w.args = append(w.args[:0], driver.NamedValue{Ordinal: 1, Value: first})
	for i, v := range rest {
		w.args = append(w.args, driver.NamedValue{Ordinal: i + 2, Value: v})
	}
	return w.args
}

// prepare prepares the driver statements on dc, the first time.
func (w *orderWriter) prepare(dc any) error {
	if w.insert != nil {
		return nil
	}
	c, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return fmt.Errorf("sqlite: driver connection %T cannot prepare", dc)
	}
	var err error
	prep := func(q string) driver.Stmt {
		if err != nil {
			return nil
		}
		var st driver.Stmt
		st, err = c.PrepareContext(context.Background(), q)
		return st
	}
	w.insert = prep(`INSERT INTO orders (id, ` + orderCols + `) VALUES (` + placeholders(numOrderCols+1) + `)`)
	w.item = prep(`INSERT INTO order_items (order_id, line_no, product_id, product_code, product_name, variant, unit_price, quantity)
		VALUES (?,?,?,?,?,?,?,?)`)
	w.text = prep(`INSERT INTO order_fts (rowid, name, kana, email, tel) VALUES (?,?,?,?,?)`)
	w.gram = prep(`INSERT INTO order_grams (rowid, name, kana) VALUES (?,?,?)`)
	w.last = prep(`SELECT ifnull(max(id), 0) FROM orders`)
	if err != nil {
		w.closeDriverStmts()
	}
	return err
}

func (w *orderWriter) closeDriverStmts() error {
	var errs []error
	for _, st := range []driver.Stmt{w.insert, w.item, w.text, w.last, w.gram} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	w.insert, w.item, w.text, w.last, w.gram = nil, nil, nil, nil, nil
	return errors.Join(errs...)
}

// run executes a driver statement: go-sqlite3's query path binds args and takes the
// first step in one cgo call. When into is given, the first column of the first row
// is read into it.
func run(st driver.Stmt, args []driver.NamedValue, into *int64) error {
	rows, err := st.(driver.StmtQueryContext).QueryContext(context.Background(), args)
	if err != nil {
		return err
	}
	if into != nil {
		var dest [1]driver.Value
		if err = rows.Next(dest[:]); err == nil {
			*into, _ = dest[0].(int64)
		}
	}
	return errors.Join(err, rows.Close())
}

func (w *orderWriter) productKey(ctx context.Context, code, name string) (int64, error) {
	k := [2]string{code, name}
	if id, ok := w.products[k]; ok {
		return id, nil
	}
	if _, err := w.product.ExecContext(ctx, code, name, normalize(code)+"\n"+normalize(name)); err != nil {
		return 0, err
	}
	var id int64
	if err := w.productID.QueryRowContext(ctx, code, name).Scan(&id); err != nil {
		return 0, err
	}
	w.products[k] = id
	return id, nil
}

func sameItems(ctx context.Context, tx *sql.Tx, orderID int64, items []backend.LineItem) (bool, error) {
	stored, err := loadItems(ctx, tx, orderID)
	if err != nil {
		return false, err
	}
	if len(stored) != len(items) {
		return false, nil
	}
	for i := range items {
		if stored[i] != items[i] {
			return false, nil
		}
	}
	return true, nil
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func loadItems(ctx context.Context, q querier, orderID int64) ([]backend.LineItem, error) {
	rows, err := q.QueryContext(ctx, itemsSQL, orderID)
	if err != nil {
		return nil, err
	}
	return scanItems(rows)
}

// itemsSQL reads an order's lines (loadItems; an import prepares it once). They are
// put in line order here, not by SQLite: a sorter per order costs more than the rest
// of the look-up, and the index gives them in the order they were written, which is
// line order already.
const itemsSQL = `SELECT line_no, product_code, product_name, variant, unit_price, quantity
		FROM order_items WHERE order_id = ?`

// scanItems reads itemsSQL's rows, in line order, and closes them.
func scanItems(rows *sql.Rows) ([]backend.LineItem, error) {
	defer rows.Close()
	var out []backend.LineItem
	var lines []int64
	for rows.Next() {
		var it backend.LineItem
		var line int64
		if err := rows.Scan(&line, &it.ProductCode, &it.ProductName, &it.Variant, &it.UnitPrice, &it.Quantity); err != nil {
			return nil, err
		}
		out, lines = append(out, it), append(lines, line)
	}
	if !slices.IsSorted(lines) {
		idx := make([]int, len(out))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(lines[a], lines[b]) })
		sorted := make([]backend.LineItem, len(out))
		for i, j := range idx {
			sorted[i] = out[j]
		}
		out = sorted
	}
	return out, rows.Err()
}

// The order's columns and reads are sqlstore's (shared with PostgreSQL); OrderByID,
// OrderByNo, SetOrderStatus and OrderEvents come with the embedded sqlstore.Core.
const orderColumns = sqlstore.OrderColumns

var (
	scanOrder  = sqlstore.ScanOrder
	orderNoNum = sqlstore.OrderNoNum
)
