package app

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"kessaidesk/backend"
	"kessaidesk/backend/csvimport"
)

// Import is the 受注取込 area: a back office's order CSV, previewed, then imported in
// one transaction.
type Import struct {
	s *Services

	mu     sync.Mutex
	cancel context.CancelFunc
	// stamps remember what each preview read, so a commit refuses a file that changed.
	stamps map[string]csvimport.FileStamp
}

// ImportLayout is a layout as the mapping screen edits it.
type ImportLayout struct {
	Name     string              `json:"name"`
	Label    string              `json:"label"`
	Builtin  bool                `json:"builtin"`
	PerItem  bool                `json:"perItem"`
	Columns  map[string][]string `json:"columns"`  // field id → header names, joined in order
	Methods  map[string]string   `json:"methods"`  // the shop's word → payment method
	Statuses map[string]string   `json:"statuses"` // the shop's word → 対応状況
	Note     string              `json:"note"`
}

func uiLayout(l csvimport.Layout) ImportLayout {
	out := ImportLayout{Name: l.Name, Label: l.Label, Builtin: l.Builtin, PerItem: l.Rows == csvimport.RowsPerItem,
		Columns: map[string][]string{}, Methods: map[string]string{}, Statuses: map[string]string{}, Note: l.Description}
	for f, c := range l.Fields {
		out.Columns[string(f)] = c.Columns
	}
	for w, m := range l.Methods {
		out.Methods[w] = string(m)
	}
	for w, s := range l.Statuses {
		out.Statuses[w] = string(s)
	}
	return out
}

// layout turns the screen's layout into the importer's, over base (the named preset or
// saved layout it was copied from, whose other settings — line kinds, tax, date
// formats — it keeps); base nil = a layout built from scratch.
func (ui ImportLayout) layout(base *csvimport.Layout) csvimport.Layout {
	var l csvimport.Layout
	if base != nil {
		l = *base
	}
	l.Name, l.Label, l.Builtin = strings.TrimSpace(ui.Name), strings.TrimSpace(ui.Label), false
	if ui.PerItem {
		l.Rows = csvimport.RowsPerItem
	} else {
		l.Rows = csvimport.RowsPerOrder
	}
	if len(ui.Columns) > 0 || base == nil {
		fields := map[csvimport.FieldID]csvimport.Column{}
		for f, cols := range ui.Columns {
			var keep []string
			for _, c := range cols {
				if c = strings.TrimSpace(c); c != "" {
					keep = append(keep, c)
				}
			}
			if len(keep) == 0 {
				continue
			}
			col := csvimport.Column{Columns: keep}
			if base != nil {
				if old, ok := base.Fields[csvimport.FieldID(f)]; ok && strings.Join(old.Columns, "\x00") == strings.Join(keep, "\x00") {
					col = old // the same columns: keep how the preset joins them
				}
			}
			fields[csvimport.FieldID(f)] = col
		}
		l.Fields = fields
	}
	l.Methods, l.Statuses = methodMap(ui.Methods), statusMap(ui.Statuses)
	if ui.Note != "" {
		l.Description = ui.Note
	}
	return l
}

func methodMap(in map[string]string) map[string]backend.PaymentMethod {
	out := map[string]backend.PaymentMethod{}
	for w, m := range in {
		if w != "" && m != "" {
			out[w] = backend.PaymentMethod(m)
		}
	}
	return out
}

func statusMap(in map[string]string) map[string]backend.OrderStatus {
	out := map[string]backend.OrderStatus{}
	for w, s := range in {
		if w != "" && s != "" {
			out[w] = backend.OrderStatus(s)
		}
	}
	return out
}

// ChooseFile shows the OS open dialog; "" when cancelled.
func (im *Import) ChooseFile() (string, error) {
	if im.s.Dialogs == nil {
		return "", backend.Errorf(backend.EUNSUPPORTED, "ファイルを選ぶ画面を開けません。ファイルのパスを入力してください",
			"the file dialog is not available; type the file's path")
	}
	return im.s.Dialogs.OpenCSV(pick(im.s.lang(im.s.Ctx()), "取り込むCSVファイルを選んでください", "Choose the CSV file to import"))
}

// ImportFileInfo is a chosen file as the screen first shows it.
type ImportFileInfo struct {
	Path      string     `json:"path"`
	Name      string     `json:"name"`
	Size      int64      `json:"size"`
	Encoding  string     `json:"encoding"` // what it is read in
	Detected  string     `json:"detected"` // what detection found
	Header    []string   `json:"header"`
	Sample    [][]string `json:"sample"`
	Suggested string     `json:"suggested"` // the layout whose columns match best, "" if none
}

const sampleRows = 5

// Inspect reads the head of a file: its encoding, header and first rows.
func (im *Import) Inspect(path, encoding string) (*ImportFileInfo, error) {
	path = strings.TrimSpace(path)
	f, err := openCSV(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	detected, err := csvimport.Detect(f)
	if err != nil {
		return nil, backend.Errorf(backend.EINVALID, "ファイルを読めません: %v", "cannot read the file: %v", err)
	}
	enc := csvimport.Encoding(encoding)
	if enc == csvimport.EncodingAuto {
		enc = detected
	}
	if enc != csvimport.EncodingUTF8 && enc != csvimport.EncodingCP932 {
		return nil, backend.Errorf(backend.EINVALID, "文字コード「%s」は選べません（自動・Shift_JIS・UTF-8）", "unknown encoding %q", encoding)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	r, err := csvimport.NewReader(f, enc)
	if err != nil {
		return nil, lineError(err)
	}
	info := &ImportFileInfo{Path: path, Name: filepath.Base(path), Size: st.Size(), Encoding: string(enc), Detected: string(detected),
		Header: r.Header(), Sample: [][]string{}}
	for len(info.Sample) < sampleRows {
		rec, _, err := r.Next()
		if err != nil {
			break // the preview reports every problem with its line
		}
		info.Sample = append(info.Sample, rec)
	}
	info.Suggested = csvimport.Suggest(r.Header())
	return info, nil
}

func openCSV(path string) (*os.File, error) {
	if path == "" {
		return nil, backend.Errorf(backend.EINVALID, "ファイルを選んでください", "choose a file")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, backend.Errorf(backend.ENOTFOUND, "ファイル %s を開けません（場所と名前を確認してください）", "cannot open %s", path)
	}
	if st, err := f.Stat(); err != nil || st.IsDir() {
		f.Close()
		return nil, backend.Errorf(backend.EINVALID, "%s はファイルではありません", "%s is not a file", path)
	}
	return f, nil
}

func lineError(err error) error {
	if le, ok := err.(*csvimport.LineError); ok {
		return le.AsError()
	}
	return err
}

// Layouts are the presets and the operator's saved layouts.
func (im *Import) Layouts() ([]ImportLayout, error) {
	ls, err := csvimport.Layouts(im.s.Ctx(), im.s.Store)
	if err != nil {
		return nil, err
	}
	out := []ImportLayout{}
	for _, l := range ls {
		out = append(out, uiLayout(l))
	}
	return out, nil
}

// ImportFieldSpec is a field the mapping screen offers.
type ImportFieldSpec struct {
	Field           string `json:"field"`
	Label           Label  `json:"label"`
	Required        bool   `json:"required"`
	RequiredPerItem bool   `json:"requiredPerItem"`
	PerItem         bool   `json:"perItem"`
	Group           string `json:"group"`
	Help            string `json:"help"`
}

// Fields lists the fields a layout maps columns to.
func (im *Import) Fields() []ImportFieldSpec {
	out := []ImportFieldSpec{}
	for _, f := range csvimport.Fields() {
		out = append(out, ImportFieldSpec{Field: string(f.ID), Label: Label{Code: string(f.ID), Ja: f.Label, En: f.LabelEn},
			Required: f.Required, RequiredPerItem: f.RequiredPerItem, PerItem: f.PerItem, Group: f.Group, Help: f.Help})
	}
	return out
}

// SaveLayout saves a layout by name (the operator's mapping, or word maps added to a preset).
func (im *Import) SaveLayout(ui ImportLayout) error {
	ctx := im.s.Ctx()
	base, err := csvimport.FindLayout(ctx, im.s.Store, strings.TrimSpace(ui.Name))
	var l csvimport.Layout
	if err == nil {
		l = ui.layout(&base)
	} else {
		l = ui.layout(nil)
	}
	return csvimport.SaveLayout(ctx, im.s.Store, l)
}

// DeleteLayout deletes a saved layout (or the operator's edits of a preset).
func (im *Import) DeleteLayout(name string) error {
	return csvimport.DeleteLayout(im.s.Ctx(), im.s.Store, name)
}

// ImportRequest is the screen's choice: file, encoding, layout, word maps.
type ImportRequest struct {
	Path     string            `json:"path"`
	Encoding string            `json:"encoding"`
	Layout   string            `json:"layout"`
	Inline   *ImportLayout     `json:"inline"`
	Methods  map[string]string `json:"methods"`
	Statuses map[string]string `json:"statuses"`
}

func (im *Import) request(ctx context.Context, in ImportRequest) (csvimport.Request, error) {
	req := csvimport.Request{Path: strings.TrimSpace(in.Path), Encoding: csvimport.Encoding(in.Encoding),
		Methods: methodMap(in.Methods), Statuses: statusMap(in.Statuses)}
	name := in.Layout
	if in.Inline != nil && name == "" {
		name = in.Inline.Name
	}
	var base *csvimport.Layout
	if name != "" {
		l, err := csvimport.FindLayout(ctx, im.s.Store, name)
		switch {
		case err == nil:
			base = &l
		case in.Inline == nil:
			return req, err
		}
	}
	switch {
	case in.Inline != nil:
		req.Layout = in.Inline.layout(base)
		if req.Layout.Name == "" {
			req.Layout.Name = "custom"
		}
	case base != nil:
		req.Layout = *base
	default:
		return req, backend.Errorf(backend.EINVALID, "取込レイアウトを選んでください", "choose a layout")
	}
	return req, nil
}

// ImportProblem is one row's problem.
type ImportProblem struct {
	Line      int    `json:"line"`
	Column    string `json:"column"`
	Message   string `json:"message"`
	MessageEn string `json:"messageEn"`
}

// ImportConflict is an order whose change the import does not apply.
type ImportConflict struct {
	OrderNo string `json:"orderNo"`
	Line    int    `json:"line"`
	Reason  string `json:"reason"`
}

// ImportPreview is what an import would do.
type ImportPreview struct {
	Encoding        string           `json:"encoding"`
	Rows            int              `json:"rows"`
	Orders          int              `json:"orders"`
	New             int              `json:"new"`
	Updated         int              `json:"updated"`
	Unchanged       int              `json:"unchanged"`
	Invalid         int              `json:"invalid"`
	Conflicts       int              `json:"conflicts"`
	Problems        []ImportProblem  `json:"problems"`
	ProblemsTotal   int              `json:"problemsTotal"`
	ConflictList    []ImportConflict `json:"conflictList"`
	UnknownMethods  []string         `json:"unknownMethods"`
	UnknownStatuses []string         `json:"unknownStatuses"`
	OK              bool             `json:"ok"`
}

func uiPreview(p *csvimport.Preview, lang string) *ImportPreview {
	out := &ImportPreview{Encoding: string(p.Encoding), Rows: p.Rows, Orders: p.Orders, New: p.New, Updated: p.Updated,
		Unchanged: p.Unchanged, Invalid: p.Invalid, Conflicts: p.Conflicting, Problems: []ImportProblem{}, ProblemsTotal: p.ProblemCount,
		ConflictList: []ImportConflict{}, UnknownMethods: []string{}, UnknownStatuses: []string{}, OK: p.OK()}
	for _, pr := range p.Problems {
		out.Problems = append(out.Problems, ImportProblem{Line: pr.Line, Column: pr.Column, Message: pr.Message, MessageEn: pr.MessageEn})
	}
	for _, c := range p.Conflicts {
		out.ConflictList = append(out.ConflictList, ImportConflict{OrderNo: c.OrderNo, Line: c.Line, Reason: pick(lang, c.Reason, c.ReasonEn)})
	}
	for _, w := range p.UnknownWords {
		switch w.Field {
		case csvimport.FPaymentMethod:
			out.UnknownMethods = append(out.UnknownMethods, w.Word)
		case csvimport.FStatus:
			out.UnknownStatuses = append(out.UnknownStatuses, w.Word)
		}
	}
	sort.Strings(out.UnknownMethods)
	sort.Strings(out.UnknownStatuses)
	return out
}

// pick chooses the message in the UI language.
func pick(lang, ja, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return ja
}

// importer runs one preview or commit at a time, cancellable, with progress events.
func (im *Import) importer(fn func(ctx context.Context, imp *csvimport.Importer) error) error {
	im.mu.Lock()
	if im.cancel != nil {
		im.mu.Unlock()
		return backend.Errorf(backend.EBUSY, "取込を実行中です。終わるか中止してから、もう一度お試しください", "an import is running")
	}
	ctx, cancel := context.WithCancel(im.s.Ctx())
	im.cancel = cancel
	im.mu.Unlock()
	defer func() {
		im.mu.Lock()
		im.cancel = nil
		im.mu.Unlock()
		cancel()
	}()
	imp := &csvimport.Importer{Store: im.s.Store, Now: im.s.Clock.Now, Progress: func(p csvimport.Progress) {
		im.s.emit("import:progress", map[string]any{"phase": p.Phase, "bytes": p.Bytes, "totalBytes": p.Total, "rows": p.Rows})
	}}
	return fn(ctx, imp)
}

// Preview reads the whole file and says what importing it would do; it saves nothing.
func (im *Import) Preview(in ImportRequest) (*ImportPreview, error) {
	var out *ImportPreview
	err := im.importer(func(ctx context.Context, imp *csvimport.Importer) error {
		req, err := im.request(ctx, in)
		if err != nil {
			return err
		}
		p, err := imp.Preview(ctx, req)
		if err != nil {
			return err
		}
		im.mu.Lock()
		if im.stamps == nil {
			im.stamps = map[string]csvimport.FileStamp{}
		}
		im.stamps[req.Path] = p.File
		im.mu.Unlock()
		out = uiPreview(p, im.s.lang(ctx))
		return nil
	})
	return out, err
}

// ImportResult is what a commit did.
type ImportResult struct {
	New           int `json:"new"`
	Updated       int `json:"updated"`
	Unchanged     int `json:"unchanged"`
	Conflicts     int `json:"conflicts"`
	QueuedForLink int `json:"queuedForLink"`
}

// Commit imports the previewed file in one transaction: all of it, or nothing.
func (im *Import) Commit(in ImportRequest) (*ImportResult, error) {
	var out *ImportResult
	err := im.importer(func(ctx context.Context, imp *csvimport.Importer) error {
		req, err := im.request(ctx, in)
		if err != nil {
			return err
		}
		im.mu.Lock()
		stamp, ok := im.stamps[req.Path]
		im.mu.Unlock()
		if !ok {
			return backend.Errorf(backend.EINVALID, "先に「内容を確認」で取り込む内容を確認してください", "preview the file first")
		}
		req.Expect = &stamp
		res, err := imp.Commit(ctx, req, im.s.operator(ctx))
		if err != nil {
			return err
		}
		if !res.OK() {
			return backend.Errorf(backend.EINVALID, "取り込めない行が%d件あるため、何も保存していません。もう一度「内容を確認」してください",
				"%d problems: nothing was saved; preview again", res.ProblemCount)
		}
		queued, err := im.s.System.Store.CountPendingLinks(ctx)
		if err != nil {
			return err
		}
		out = &ImportResult{New: res.New, Updated: res.Updated, Unchanged: res.Unchanged, Conflicts: res.Conflicting, QueuedForLink: queued}
		return nil
	})
	return out, err
}

// Cancel stops a running preview or commit; nothing is saved.
func (im *Import) Cancel() {
	im.mu.Lock()
	if im.cancel != nil {
		im.cancel()
	}
	im.mu.Unlock()
}
