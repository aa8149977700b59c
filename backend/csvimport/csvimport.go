// Package csvimport reads back offices' order CSVs and writes Kessai Desk's own.
//
// A Layout says how to read one back office's file (presets for EC-CUBE 4, EC-CUBE 2
// / カゴラボ, futureshop, MakeShop and our own; or a mapping the operator builds). The
// Importer previews and commits a file of any size in bounded memory, all or nothing,
// with every problem on its physical line; its merge rules never overwrite what a
// payment owns. Export streams orders out in our layout, CP932 for Excel or UTF-8.
package csvimport

import (
	"bytes"
	"context"
	"io"
	"time"

	"kessaidesk/backend"
)

// Read parses a whole file in Kessai Desk's own layout into orders, without a
// database (the Importer streams a file and merges it; this is for callers that
// hold a small file). Any problem returns an error listing them, and no order.
func Read(r io.Reader) ([]*backend.Order, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	enc, err := Detect(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	layout := presets[KessaiDesk]
	s := &scan{im: &Importer{}, ctx: context.Background(), f: bytes.NewReader(data), size: int64(len(data)), req: &Request{Layout: layout}}
	s.c = &checked{enc: enc, file: FileStamp{Size: int64(len(data))}}
	pv := &s.c.pv
	if err := s.pass1(pv, nil); err != nil {
		return nil, err
	}
	if !pv.OK() {
		return nil, problemsError(pv)
	}
	s.c.file = pv.File
	var orders []*backend.Order
	now := time.Now()
	all := func(*orderSum) bool { return true }
	err = s.pass2(pv, "read", all, func(in *incoming, _ *orderSum) error {
		orders = append(orders, merge(nil, in, s.c.plan, now).save)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(orders) == 0 {
		return nil, backend.Errorf(backend.EINVALID, "CSVを取り込めません: 受注が1件もありません", "the CSV holds no orders")
	}
	return orders, nil
}

// Write writes orders in Kessai Desk's own layout: CP932 for Excel when sjis, else
// UTF-8 with a BOM.
func Write(w io.Writer, orders []*backend.Order, sjis bool) error {
	enc := EncodingUTF8
	if sjis {
		enc = EncodingCP932
	}
	ew, err := newExportWriter(w, enc)
	if err != nil {
		return err
	}
	for _, o := range orders {
		if err := ew.order(o, nil); err != nil {
			return err
		}
	}
	return ew.flush()
}
