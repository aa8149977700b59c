package app

import (
	"context"
	"io"
	"strings"
	"sync"

	"kessaidesk/backend"
	"kessaidesk/backend/csvimport"
)

// exports runs one CSV出力 at a time, cancellable from the window.
type exports struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

// ExportResult says where the orders went; Path "" when the operator cancelled the dialog.
type ExportResult struct {
	Path  string `json:"path"`
	Count int    `json:"count"`
}

// Export writes the orders the search selects (all pages) as CSV: encoding "cp932"
// (Shift_JIS, for Excel) or "utf-8" (with BOM). path "" asks with the save dialog.
// Progress goes out as "export:progress" {rows, total}. The file is written to a
// temporary file and renamed: a failure or 中止 never leaves half a file or destroys
// the one already there; the data folder is refused.
func (o *Orders) Export(q OrderSearch, encoding, path string) (*ExportResult, error) {
	f, err := toFilter(q)
	if err != nil {
		return nil, err
	}
	enc := csvimport.Encoding(encoding)
	if enc != csvimport.EncodingCP932 && enc != csvimport.EncodingUTF8 {
		return nil, backend.Errorf(backend.EINVALID, "文字コードは Shift_JIS（Excel向け）か UTF-8 を選んでください", "choose Shift_JIS or UTF-8")
	}
	path = strings.TrimSpace(path)
	if path == "" {
		if o.s.Dialogs == nil {
			return nil, backend.Errorf(backend.EUNSUPPORTED, "保存先を選ぶ画面を開けません。保存先のパスを入力してください",
				"the save dialog is not available; type the path")
		}
		if path, err = o.s.Dialogs.SaveCSV(pick(o.s.lang(o.s.Ctx()), "CSVの保存先", "Save the CSV as"), "受注_"+o.s.Clock.Now().In(backend.JST).Format("20060102")+".csv"); err != nil || path == "" {
			return &ExportResult{}, err
		}
	}
	o.export.mu.Lock()
	if o.export.cancel != nil {
		o.export.mu.Unlock()
		return nil, backend.Errorf(backend.EBUSY, "CSV出力を実行中です", "an export is running")
	}
	ctx, cancel := context.WithCancel(o.s.Ctx())
	o.export.cancel = cancel
	o.export.mu.Unlock()
	defer func() {
		o.export.mu.Lock()
		o.export.cancel = nil
		o.export.mu.Unlock()
		cancel()
	}()
	n := 0
	err = csvimport.WriteFileAtomic(path, o.s.DataDir, func(w io.Writer) error {
		var err error
		n, err = csvimport.Export(ctx, w, o.s.Store, f, enc, func(done, total int) {
			o.s.emit("export:progress", map[string]int{"rows": done, "total": total})
		})
		return err
	})
	if ctx.Err() != nil {
		return nil, backend.Errorf(backend.EINVALID, "CSV出力を中止しました（ファイルは書き出していません）", "the export was stopped; no file was written")
	}
	if err != nil {
		return nil, err
	}
	return &ExportResult{Path: path, Count: n}, nil
}

// CancelExport stops a running CSV出力; nothing is written.
func (o *Orders) CancelExport() {
	o.export.mu.Lock()
	if o.export.cancel != nil {
		o.export.cancel()
	}
	o.export.mu.Unlock()
}
