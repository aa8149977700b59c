package csvimport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"kessaidesk/backend"
	"kessaidesk/backend/textenc"
)

// The export writes Kessai Desk's own layout (the kessaidesk preset): one row per
// line item with the order's columns repeated, then the order's payment: its state
// and its gateway ids — never the AccessPass or any other secret.

// exportFields are the kessaidesk columns in the order CSV出力 writes them: the
// original 19 first (older files and scripts rely on them), then the newer ones.
var exportFields = []FieldID{FOrderNo, FOrderedAt, FCustomerName, FCustomerKana, FEmail, FTel, FPaymentMethod,
	FProductCode, FProductName, FVariant, FUnitPrice, FQuantity, FDiscount, FShipping, FFee, FPoints, FTotal,
	FStatus, FMemo, FSubtotal, FTax, FZip, FAddress, FShipName, FShipZip, FShipAddress, FShipTel,
	FDeliveryMethod, FTrackingNo}

// paymentStateColumn is written, never read: a payment comes from the gateway.
const paymentStateColumn = "決済状態"

// Columns is the header CSV出力 writes.
var Columns = func() []string {
	l := presets[KessaiDesk]
	var out []string
	for _, f := range exportFields {
		out = append(out, l.Fields[f].Columns[0])
	}
	return append(out, paymentStateColumn, l.Fields[FGatewayOrderID].Columns[0], l.Fields[FGatewayTranID].Columns[0])
}()

const exportTimeLayout = "2006/01/02 15:04:05"

// ExportProgress is called every 1,000 orders and at the end with how many are
// written and how many the filter selects.
type ExportProgress func(done, total int)

// Export writes the orders the filter selects in Kessai Desk's layout: CP932 for
// Excel (EncodingCP932, the default) or UTF-8 with a BOM. It streams: memory stays
// flat however many orders there are. It returns how many orders were written.
func Export(ctx context.Context, w io.Writer, src backend.ExportStore, f backend.OrderFilter, enc Encoding, progress ExportProgress) (int, error) {
	total := 0
	if progress != nil {
		var err error
		if total, err = src.CountOrders(ctx, f); err != nil {
			return 0, err
		}
	}
	ew, err := newExportWriter(w, enc)
	if err != nil {
		return 0, err
	}
	// The database is read on another goroutine while this one encodes and writes.
	type item struct {
		o *backend.Order
		p *backend.Payment
	}
	const batch = 128
	ch := make(chan []item, 8)
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(ch)
		b := make([]item, 0, batch)
		send := func() bool {
			select {
			case ch <- b:
				b = make([]item, 0, batch)
				return true
			case <-stop:
				return false
			}
		}
		readErr = src.EachOrder(ctx, f, func(o *backend.Order, p *backend.Payment) error {
			if b = append(b, item{o, p}); len(b) == batch && !send() {
				return errStopped
			}
			return nil
		})
		if readErr == nil && len(b) > 0 {
			send()
		}
	}()
	n := 0
	var werr error
	for b := range ch {
		for _, it := range b {
			if werr != nil {
				break
			}
			if werr = ew.order(it.o, it.p); werr != nil {
				close(stop)
				break
			}
			n++
			if progress != nil && (n%1000 == 0 || n == total) {
				progress(n, total)
			}
		}
	}
	switch {
	case werr != nil:
		return n, werr
	case readErr != nil:
		return n, readErr
	case ctx.Err() != nil:
		return n, ctx.Err()
	}
	return n, ew.flush()
}

// exportWriter writes rows. In CP932 it encodes them a chunk at a time; a chunk
// that will not encode is searched row by row, to name the order, the column and
// the character.
type exportWriter struct {
	out  *bufio.Writer
	sjis bool
	buf  bytes.Buffer // UTF-8 rows not yet encoded
	rows []rowMark
	csv  *csv.Writer
	rec  []string
}

type rowMark struct {
	end     int // the row's end in buf
	orderNo string
}

const exportChunk = 256 << 10

func newExportWriter(w io.Writer, enc Encoding) (*exportWriter, error) {
	ew := &exportWriter{out: bufio.NewWriterSize(w, 256<<10), sjis: enc != EncodingUTF8}
	if ew.sjis {
		ew.csv = csv.NewWriter(&ew.buf)
	} else {
		ew.out.Write(utf8BOM)
		ew.csv = csv.NewWriter(ew.out)
	}
	ew.csv.UseCRLF = true
	if err := ew.row("", Columns); err != nil {
		return nil, err
	}
	return ew, nil
}

func (ew *exportWriter) order(o *backend.Order, p *backend.Payment) error {
	items := o.Items
	if len(items) == 0 {
		items = []backend.LineItem{{}} // one row with empty line columns
	}
	yen := func(y backend.Yen) string { return strconv.FormatInt(int64(y), 10) }
	for _, it := range items {
		rec := ew.rec[:0]
		for _, f := range exportFields {
			var v string
			switch f {
			case FOrderNo:
				v = o.OrderNo
			case FOrderedAt:
				v = o.OrderedAt.In(backend.JST).Format(exportTimeLayout)
			case FCustomerName:
				v = o.CustomerName
			case FCustomerKana:
				v = o.CustomerKana
			case FEmail:
				v = o.Email
			case FTel:
				v = o.Tel
			case FPaymentMethod:
				v = o.PaymentMethod.Label()
			case FProductCode:
				v = it.ProductCode
			case FProductName:
				v = it.ProductName
			case FVariant:
				v = it.Variant
			case FUnitPrice:
				if it.Quantity != 0 {
					v = yen(it.UnitPrice)
				}
			case FQuantity:
				if it.Quantity != 0 {
					v = strconv.FormatInt(it.Quantity, 10)
				}
			case FDiscount:
				v = yen(o.Discount)
			case FShipping:
				v = yen(o.Shipping)
			case FFee:
				v = yen(o.Fee)
			case FPoints:
				v = yen(o.PointsUsed)
			case FTotal:
				v = yen(o.Total)
			case FStatus:
				v = o.Status.Label()
			case FMemo:
				v = o.Memo
			case FSubtotal:
				v = yen(o.Subtotal)
			case FTax:
				v = yen(o.Tax)
			case FZip:
				v = o.Zip
			case FAddress:
				v = o.Address
			case FShipName:
				v = o.ShipName
			case FShipZip:
				v = o.ShipZip
			case FShipAddress:
				v = o.ShipAddress
			case FShipTel:
				v = o.ShipTel
			case FDeliveryMethod:
				v = o.DeliveryMethod
			case FTrackingNo:
				v = o.TrackingNo
			}
			rec = append(rec, escapeFormula(v))
		}
		state, gwOrder, gwTran := "", "", ""
		if p != nil {
			state, gwOrder, gwTran = p.State.Label(), p.GatewayOrderID, p.GatewayTranID
		}
		rec = append(rec, state, escapeFormula(gwOrder), escapeFormula(gwTran))
		ew.rec = rec
		if err := ew.row(o.OrderNo, rec); err != nil {
			return err
		}
	}
	return nil
}

func (ew *exportWriter) row(orderNo string, rec []string) error {
	if err := ew.csv.Write(rec); err != nil {
		return err
	}
	if !ew.sjis {
		return nil
	}
	ew.csv.Flush()
	ew.rows = append(ew.rows, rowMark{ew.buf.Len(), orderNo})
	if ew.buf.Len() >= exportChunk {
		return ew.encode()
	}
	return nil
}

// encode writes the buffered rows in CP932.
func (ew *exportWriter) encode() error {
	if ew.buf.Len() == 0 {
		return nil
	}
	b, err := textenc.EncodeCP932(ew.buf.String())
	if err != nil {
		start := 0
		for _, m := range ew.rows {
			text := ew.buf.Bytes()[start:m.end]
			if textenc.CheckCP932(string(text)) != nil {
				rec, _ := csv.NewReader(bytes.NewReader(text)).Read()
				return cp932Error(m.orderNo, rec)
			}
			start = m.end
		}
		return err
	}
	ew.buf.Reset()
	ew.rows = ew.rows[:0]
	_, err = ew.out.Write(b)
	return err
}

// cp932Error names the order, the column and the character Shift_JIS cannot carry.
func cp932Error(orderNo string, rec []string) error {
	for i, v := range rec {
		for _, r := range v {
			if textenc.CheckCP932(string(r)) != nil {
				return backend.Errorf(backend.EINVALID,
					"注文番号 %s の「%s」に Shift_JIS（CP932）で書けない文字「%c」(U+%04X) があります。UTF-8（BOM付き）で書き出すか、この文字を直してください。書き出し先のファイルは変更していません",
					"order %s: %q holds %q (U+%04X), which Shift_JIS (CP932) cannot carry; export in UTF-8 or fix the character. The target file is unchanged",
					orderNo, Columns[i], r, r)
			}
		}
	}
	return backend.Errorf(backend.EINVALID, "注文番号 %s に Shift_JIS（CP932）で書けない文字があります。UTF-8（BOM付き）で書き出してください",
		"order %s holds text Shift_JIS (CP932) cannot carry; export in UTF-8", orderNo)
}

func (ew *exportWriter) flush() error {
	ew.csv.Flush()
	if err := ew.csv.Error(); err != nil {
		return err
	}
	if err := ew.encode(); err != nil {
		return err
	}
	return ew.out.Flush()
}

// escapeFormula keeps Excel from running a cell as a formula (= + - @, a tab or a CR
// first): such a cell, and one that already starts with ', is written with a leading
// '. unescapeFormula reads it back unchanged.
func escapeFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\'':
		return "'" + s
	}
	return s
}

func unescapeFormula(s string) string {
	if len(s) >= 2 && s[0] == '\'' {
		switch s[1] {
		case '=', '+', '-', '@', '\t', '\r', '\'':
			return s[1:]
		}
	}
	return s
}

// WriteFileAtomic writes a file through a temporary file in the same folder, synced
// and renamed over the target: a failure never leaves a half-written file or destroys
// the one already there. It refuses a path inside the data folder (the database and
// its backups live there).
func WriteFileAtomic(path, dataDir string, write func(io.Writer) error) (err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return backend.Errorf(backend.EINVALID, "書き出し先 %s が正しくありません", "bad output path %s", path)
	}
	if dataDir != "" && inside(abs, dataDir) {
		return backend.Errorf(backend.EINVALID, "データフォルダ（%s）の中には書き出せません。別のフォルダを選んでください",
			"cannot write into the data folder (%s); choose another folder", dataDir)
	}
	dir := filepath.Dir(abs)
	mode := os.FileMode(0o644)
	if st, err := os.Stat(abs); err == nil {
		if st.IsDir() {
			return backend.Errorf(backend.EINVALID, "%s はフォルダです", "%s is a folder", abs)
		}
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(abs)+".tmp-*")
	if err != nil {
		return backend.Errorf(backend.EINVALID, "%s に書き込めません: %v", "cannot write in %s: %v", dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), abs); err != nil {
		return backend.Errorf(backend.EINVALID, "%s に書き込めません: %v", "cannot write %s: %v", abs, err)
	}
	if runtime.GOOS != "windows" {
		if d, err := os.Open(dir); err == nil { // the rename itself survives a power cut
			d.Sync()
			d.Close()
		}
	}
	return nil
}

// inside reports whether path is dir or under it (symbolic links resolved as far as
// they exist; case folded where the file system usually is).
func inside(path, dir string) bool {
	real := func(p string) string {
		p, _ = filepath.Abs(p)
		// Resolve the longest existing ancestor.
		rest := ""
		for q := p; ; q = filepath.Dir(q) {
			if r, err := filepath.EvalSymlinks(q); err == nil {
				p = filepath.Join(r, rest)
				break
			}
			if filepath.Dir(q) == q {
				break
			}
			rest = filepath.Join(filepath.Base(q), rest)
		}
		if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
			p = strings.ToLower(p)
		}
		return p
	}
	rel, err := filepath.Rel(real(dir), real(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
