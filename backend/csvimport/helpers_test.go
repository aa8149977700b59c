package csvimport

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/textenc"
)

var testNow = time.Date(2026, 11, 25, 10, 0, 0, 0, backend.JST)

func newDB(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "kessaidesk.db"))
	require.NoError(t, err)
	db.Now = func() time.Time { return testNow }
	t.Cleanup(func() { db.Close() })
	return db
}

func newImporter(db *sqlite.DB) *Importer {
	return &Importer{Store: db, Now: func() time.Time { return testNow }}
}

// csvFile writes lines (joined with eol) to a file in the given encoding.
func csvFile(t testing.TB, enc Encoding, eol string, lines ...string) string {
	t.Helper()
	text := strings.Join(lines, eol) + eol
	data := []byte(text)
	if enc == EncodingCP932 {
		var err error
		data, err = textenc.EncodeCP932(text)
		require.NoError(t, err)
	}
	path := filepath.Join(t.TempDir(), "orders.csv")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

func preset(t testing.TB, name string) Layout {
	l, ok := Preset(name)
	require.True(t, ok, name)
	return l
}

func preview(t testing.TB, db *sqlite.DB, path string, l Layout) *Preview {
	t.Helper()
	pv, err := newImporter(db).Preview(context.Background(), Request{Path: path, Layout: l})
	require.NoError(t, err)
	return pv
}

func commit(t testing.TB, db *sqlite.DB, path string, l Layout) *Result {
	t.Helper()
	res, err := newImporter(db).Commit(context.Background(), Request{Path: path, Layout: l}, "テスト担当")
	require.NoError(t, err)
	return res
}

func order(t testing.TB, db *sqlite.DB, no string) *backend.Order {
	t.Helper()
	o, err := db.OrderByNo(context.Background(), no)
	require.NoError(t, err)
	return o
}

// orderCount counts every order in the database.
func orderCount(t testing.TB, db *sqlite.DB) int {
	t.Helper()
	n, err := db.CountOrders(context.Background(), backend.OrderFilter{})
	require.NoError(t, err)
	return n
}

// capture gives the order a card payment and captures it through the store, as the
// engine does: an authorised payment, a capture operation begun and completed.
func capture(t testing.TB, db *sqlite.DB, no string) *backend.Payment {
	t.Helper()
	ctx := context.Background()
	o := order(t, db, no)
	p := &backend.Payment{OrderID: o.ID, Gateway: backend.GatewayGMO, Method: backend.MethodCard, GatewayOrderID: "GMO-" + no,
		GatewayTranID: "access-" + no, GatewayTranPass: "secret-pass-" + no, State: backend.StateAuthorized, AmountAuthorized: o.Total,
		AuthorizedAt: testNow}
	require.NoError(t, db.SavePayment(ctx, p))
	op := &backend.Operation{PaymentID: p.ID, Intent: "capture", Kind: backend.OpCapture, Amount: o.Total,
		IdempotencyKey: "capture-" + no, Operator: "テスト担当", BeforeState: backend.StateAuthorized}
	require.NoError(t, db.BeginOperation(ctx, op))
	op.State, op.AfterState = backend.OpSucceeded, backend.StateCaptured
	p.State, p.AmountCaptured, p.CapturedAt = backend.StateCaptured, o.Total, testNow
	require.NoError(t, db.CompleteOperation(ctx, &backend.Completion{Op: op, Payment: p, OrderStatus: backend.OrderPaid}))
	return p
}
