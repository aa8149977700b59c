package link

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/csvimport"
)

// The gateways' consoles export their transactions as CSV, but the column names are
// not published (shop-csv-linking.md §3, open questions 1–3). The default layouts are
// data — one small JSON file per gateway, like the order presets — so a wrong name is
// a one-line fix, and an operator's mapping overrides them column by column.

//go:embed layouts/*.json
var layoutFS embed.FS

// Fields of a console CSV a layout maps to header names.
const (
	FieldOrderNo        = "orderNo"        // the shop's 注文番号, when the CSV has it
	FieldGatewayOrderID = "gatewayOrderId" // GMO オーダーID, SBPS 受注ID, Paygent 取引ID
	FieldTranID         = "tranId"         // GMO 取引ID (AccessID), SBPS トラッキングID, Paygent 決済ID
	FieldTranPass       = "tranPass"       // GMO 取引パスワード (AccessPass)
	FieldStatus         = "status"         // the console's word for the transaction's state
	FieldResult         = "result"         // SBPS 請求ステータス (正常 / エラー)
	FieldAmount         = "amount"
	FieldTax            = "tax"
	FieldProcessedAt    = "processedAt"
	FieldCreatedAt      = "createdAt" // when the transaction was made (SBPS 受注日時, Paygent 登録日時)
	FieldMethod         = "method"
)

// Classes of a console row, by its status words.
const (
	ClassLive      = "live"      // holds money or will: 与信済, 売上済, 入金待ち…
	ClassCancelled = "cancelled" // 取消, 返金済, 期限切れ: linked only when the order has nothing else
	ClassError     = "error"     // a failed attempt: never linked
)

// ConsoleLayout reads one gateway console's transaction CSV. Its JSON has the shape of
// the order import's layouts.
type ConsoleLayout struct {
	Name     string                `json:"name"`
	Label    string                `json:"label"`
	Gateways []backend.GatewayKind `json:"gateways"`
	Builtin  bool                  `json:"builtin"`
	// Columns maps a field to header names; several are joined with a space, in order.
	Columns map[string][]string `json:"columns"`
	// Statuses maps the console's words (state, or SBPS 請求ステータス) to a class;
	// other words are neither live nor cancelled (kept when nothing live is there).
	Statuses map[string]string `json:"statuses"`
	Note     string            `json:"note"`
}

var (
	layoutsOnce sync.Once
	layouts     []ConsoleLayout
	layoutsErr  error
)

func loadLayouts() ([]ConsoleLayout, error) {
	layoutsOnce.Do(func() {
		names, _ := layoutFS.ReadDir("layouts")
		for _, n := range names {
			b, err := layoutFS.ReadFile(path.Join("layouts", n.Name()))
			if err == nil {
				var l ConsoleLayout
				if err = json.Unmarshal(b, &l); err == nil {
					l.Builtin = true
					layouts = append(layouts, l)
					continue
				}
			}
			layoutsErr = fmt.Errorf("link: layout %s: %w", n.Name(), err)
		}
	})
	return layouts, layoutsErr
}

// ConsoleLayouts are the built-in layouts, one per gateway family.
func ConsoleLayouts() []ConsoleLayout {
	ls, _ := loadLayouts()
	out := make([]ConsoleLayout, len(ls))
	for i, l := range ls {
		out[i] = l.clone()
	}
	return out
}

// ConsoleLayoutFor is the built-in layout of a gateway's console.
func ConsoleLayoutFor(kind backend.GatewayKind) (ConsoleLayout, bool) {
	for _, l := range ConsoleLayouts() {
		for _, g := range l.Gateways {
			if g == kind {
				return l, true
			}
		}
	}
	return ConsoleLayout{}, false
}

func (l ConsoleLayout) clone() ConsoleLayout {
	c := l
	c.Gateways = append([]backend.GatewayKind(nil), l.Gateways...)
	c.Columns, c.Statuses = map[string][]string{}, map[string]string{}
	for k, v := range l.Columns {
		c.Columns[k] = append([]string(nil), v...)
	}
	for k, v := range l.Statuses {
		c.Statuses[k] = v
	}
	return c
}

// ConsoleRequest is one console CSV to import.
type ConsoleRequest struct {
	Path      string
	Encoding  csvimport.Encoding // "" = detect
	ProfileID int64              // the profile whose console exported the file
	Layout    string             // a built-in layout's name; "" = the one of the profile's gateway
	// Inline is the operator's mapping: its columns replace the layout's field by
	// field, its status words are added to the layout's.
	Inline *ConsoleLayout
	Actor  string // named in the order events (default ActorConsole)
}

// ConsoleLine is a row that was not used, with its physical line in the file.
type ConsoleLine struct {
	Line           int
	GatewayOrderID string
	Reason         string
	ReasonEn       string
}

// ConsoleResult is an order the file's rows belong to that was not simply linked.
type ConsoleResult struct {
	OrderID  int64
	OrderNo  string
	Lines    []int
	Status   backend.LinkStatus // not_found, ambiguous, failed, console_only…; "skipped", "already"
	Reason   string
	ReasonEn string
}

// StatusSkipped: an order that needs no link (cancelled, demo, not a gateway method).
const StatusSkipped backend.LinkStatus = "skipped"

// StatusAlready: an order that already has a payment.
const StatusAlready = statusAlready

// ConsoleReport is the outcome of a console CSV import.
type ConsoleReport struct {
	Encoding  csvimport.Encoding
	Rows      int // data rows read
	Orders    int // orders the rows belong to
	Linked    int
	Already   int
	Ambiguous int
	NotFound  int
	Failed    int
	Skipped   int
	// Unmatched are rows that belong to no order (at most MaxListed; UnmatchedTotal counts all).
	Unmatched      []ConsoleLine
	UnmatchedTotal int
	// Problems are rows that could not be read (at most MaxListed).
	Problems  []ConsoleLine
	Results   []ConsoleResult // orders not linked, at most MaxListed
	Cancelled bool
}

// MaxListed bounds each list of a report.
const MaxListed = 1000

type consoleRow struct {
	line      int
	ids       backend.TransactionIDs
	class     string
	amount    backend.Yen
	hasAmount bool
	createdAt time.Time
}

type consoleGroup struct {
	order *backend.Order
	rows  []consoleRow
}

// ImportConsole links orders from a gateway console's transaction CSV: each row is
// tied to an order by the profile's link rule (or an explicit 注文番号 column), rows
// are grouped per order, the live row is kept (not error rows; cancelled ones only
// when nothing else is there), checked with the gateway, and attached: the gateway's
// state and amounts win; for SBPS, whose inquiry has no amount, the state is SBPS's
// and the amount is the row's. Several live rows for an order leave it for the
// operator to choose. The file is read once, streaming, before anything is asked.
func (s *Service) ImportConsole(ctx context.Context, req ConsoleRequest) (*ConsoleReport, error) {
	prof, err := s.Store.ProfileByID(ctx, req.ProfileID)
	if err != nil {
		return nil, err
	}
	if prof.Demo {
		return nil, backend.Errorf(backend.EINVALID, "デモの設定「%s」は実際の受注の連携に使えません", "the demo profile %q cannot link real orders", prof.Name)
	}
	layout, err := resolveLayout(prof.Kind, req.Layout, req.Inline)
	if err != nil {
		return nil, err
	}
	if req.Actor == "" {
		req.Actor = ActorConsole
	}
	ctx, err = s.begin(ctx, 0)
	if err != nil {
		return nil, err
	}
	rep := &ConsoleReport{}
	defer func() {
		msg := fmt.Sprintf("取引CSVから%d件を連携しました", rep.Linked)
		if rep.Cancelled {
			msg = "取引CSVの取込を中断しました（" + msg + "）"
		}
		s.end(msg)
	}()
	finder, err := s.finder(ctx, prof)
	if err != nil {
		return nil, err
	}
	groups, err := s.readConsole(ctx, req, prof, layout, rep)
	if ctx.Err() != nil {
		rep.Cancelled = true // cancelled while reading: nothing was linked
		return rep, nil
	}
	if err != nil {
		return nil, err
	}
	rep.Orders = len(groups)
	s.update(func(p *Progress) { p.Total = len(groups) })
	var mu sync.Mutex
	s.each(ctx, len(groups), func(i int) {
		res := s.consoleOrder(ctx, groups[i], prof, finder, req.Actor)
		if res.Status == "" {
			return // cancelled
		}
		s.update(func(p *Progress) { p.count(res.Status) })
		mu.Lock()
		defer mu.Unlock()
		switch res.Status {
		case backend.LinkLinked:
			rep.Linked++
			return
		case statusAlready:
			rep.Already++
		case backend.LinkAmbiguous:
			rep.Ambiguous++
		case backend.LinkFailed:
			rep.Failed++
		case StatusSkipped:
			rep.Skipped++
		default:
			rep.NotFound++
		}
		if len(rep.Results) < MaxListed {
			rep.Results = append(rep.Results, res)
		}
	})
	sort.Slice(rep.Results, func(i, j int) bool { return rep.Results[i].Lines[0] < rep.Results[j].Lines[0] })
	rep.Cancelled = ctx.Err() != nil
	return rep, nil
}

// resolveLayout is the named (or the gateway's) layout with the operator's mapping on top.
func resolveLayout(kind backend.GatewayKind, name string, inline *ConsoleLayout) (ConsoleLayout, error) {
	var base ConsoleLayout
	ok := false
	if name != "" {
		for _, l := range ConsoleLayouts() {
			if l.Name == name {
				base, ok = l, true
			}
		}
		if !ok {
			return base, backend.Errorf(backend.EINVALID, "取引CSVの形式「%s」はありません", "no console CSV layout %q", name)
		}
	} else if base, ok = ConsoleLayoutFor(kind); !ok {
		base = ConsoleLayout{Columns: map[string][]string{}, Statuses: map[string]string{}}
	}
	if inline != nil {
		for f, names := range inline.Columns {
			if len(names) > 0 {
				base.Columns[f] = names
			}
		}
		for w, c := range inline.Statuses {
			if c != ClassLive && c != ClassCancelled && c != ClassError {
				return base, backend.Errorf(backend.EINVALID, "状態「%s」の区分「%s」は使えません（live / cancelled / error）", "status %q: unknown class %q", w, c)
			}
			base.Statuses[w] = c
		}
	}
	return base, nil
}

// readConsole reads the file, streaming, into rows grouped by order. Rows of no order
// and unreadable rows go to the report with their line numbers.
func (s *Service) readConsole(ctx context.Context, req ConsoleRequest, prof *backend.GatewayProfile, layout ConsoleLayout, rep *ConsoleReport) ([]*consoleGroup, error) {
	f, err := os.Open(req.Path)
	if err != nil {
		return nil, backend.Errorf(backend.EINVALID, "ファイルを開けません（%s）", "cannot open the file (%s)", path.Base(strings.ReplaceAll(req.Path, `\`, "/")))
	}
	defer f.Close()
	enc := req.Encoding
	if enc == csvimport.EncodingAuto {
		if enc, err = csvimport.Detect(f); err != nil {
			return nil, err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
	}
	rep.Encoding = enc
	rd, err := csvimport.NewReader(f, enc)
	if err != nil {
		var le *csvimport.LineError
		if errors.As(err, &le) {
			return nil, le.AsError()
		}
		return nil, err
	}
	cols, err := columnIndex(rd.Header(), layout, prof.Kind)
	if err != nil {
		return nil, err
	}
	problem := func(line int, ja, en string) {
		if len(rep.Problems) < MaxListed {
			rep.Problems = append(rep.Problems, ConsoleLine{Line: line, Reason: ja, ReasonEn: en})
		}
	}
	unmatched := func(line int, id, ja, en string) {
		rep.UnmatchedTotal++
		if len(rep.Unmatched) < MaxListed {
			rep.Unmatched = append(rep.Unmatched, ConsoleLine{Line: line, GatewayOrderID: id, Reason: ja, ReasonEn: en})
		}
	}
	byNo := map[string]*consoleGroup{} // nil value: no such order
	var groups []*consoleGroup
	for ctx.Err() == nil {
		rec, line, err := rd.Next()
		if err == io.EOF {
			break
		}
		var le *csvimport.LineError
		switch {
		case errors.As(err, &le) && le.Fatal:
			return nil, le.AsError() // nothing has been linked yet
		case errors.As(err, &le):
			problem(le.Line, le.Message, le.MessageEn)
			continue
		case err != nil:
			return nil, err
		}
		get := func(field string) string {
			var parts []string
			for _, i := range cols[field] {
				if i < len(rec) && strings.TrimSpace(rec[i]) != "" {
					parts = append(parts, strings.TrimSpace(rec[i]))
				}
			}
			return strings.Join(parts, " ")
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // an empty line
		}
		rep.Rows++
		row := consoleRow{line: line, ids: backend.TransactionIDs{GatewayOrderID: get(FieldGatewayOrderID),
			GatewayTranID: get(FieldTranID), GatewayTranPass: get(FieldTranPass)}}
		row.class = layout.Statuses[get(FieldStatus)]
		if layout.Statuses[get(FieldResult)] == ClassError {
			row.class = ClassError
		}
		if v := get(FieldAmount); v != "" {
			a, ok := parseYen(v)
			if !ok {
				problem(line, fmt.Sprintf("金額「%s」を読めません", clip(v)), fmt.Sprintf("cannot read the amount %q", clip(v)))
				continue
			}
			row.amount, row.hasAmount = a, true
		}
		if v := get(FieldCreatedAt); v != "" {
			if row.createdAt = parseTime(v); row.createdAt.IsZero() {
				problem(line, fmt.Sprintf("日時「%s」を読めません（この行の日時は使いません）", clip(v)), fmt.Sprintf("cannot read the date %q (not used)", clip(v)))
			}
		}
		no := get(FieldOrderNo)
		if no == "" {
			gid := row.ids.GatewayOrderID
			if gid == "" {
				unmatched(line, "", "ゲートウェイの注文ID（オーダーID・受注ID・取引ID）が空です", "the gateway's order id is empty")
				continue
			}
			var ok bool
			if no, ok = prof.LinkRule.OrderNo(gid); !ok {
				unmatched(line, gid, "このIDは設定「"+prof.Name+"」の連携ルール（"+prof.LinkRule.Describe("1001")+"）に合いません",
					"the id does not follow the profile's link rule")
				continue
			}
		}
		g, seen := byNo[no]
		if !seen {
			o, err := s.Store.OrderByNo(ctx, no)
			switch {
			case backend.ErrorCode(err) == backend.ENOTFOUND:
			case err != nil:
				return nil, err
			default:
				g = &consoleGroup{order: o}
				groups = append(groups, g)
			}
			byNo[no] = g
		}
		if g == nil {
			unmatched(line, row.ids.GatewayOrderID, "注文番号 "+no+" の受注がありません", "no order "+no)
			continue
		}
		g.rows = append(g.rows, row)
	}
	return groups, ctx.Err()
}

// columnIndex finds each field's columns in the header and checks that the fields the
// gateway's lookup needs are there: GMO asks by OrderID; SBPS by tracking_id, with the
// amount from the file; Paygent by payment_id. Rows are tied to orders by the gateway's
// order id or a 注文番号 column.
func columnIndex(header []string, layout ConsoleLayout, kind backend.GatewayKind) (map[string][]int, error) {
	at := map[string]int{}
	for i, h := range header {
		if _, dup := at[h]; !dup {
			at[h] = i
		}
	}
	cols := map[string][]int{}
	for field, names := range layout.Columns {
		var idx []int
		for _, n := range names {
			if i, ok := at[n]; ok {
				idx = append(idx, i)
			}
		}
		if len(idx) == len(names) && len(idx) > 0 { // a field is read whole or not at all
			cols[field] = idx
		}
	}
	var need []string
	switch kind {
	case backend.GatewayGMO, backend.GatewaySGP:
		need = []string{FieldGatewayOrderID}
	case backend.GatewaySBPS:
		need = []string{FieldTranID, FieldAmount}
	default:
		need = []string{FieldTranID}
	}
	if cols[FieldGatewayOrderID] == nil && cols[FieldOrderNo] == nil && need[0] != FieldGatewayOrderID {
		need = append(need, FieldGatewayOrderID)
	}
	var lacking []string
	for _, f := range need {
		if cols[f] == nil {
			names := layout.Columns[f]
			if len(names) == 0 {
				names = []string{f}
			}
			lacking = append(lacking, "「"+strings.Join(names, "」「")+"」")
		}
	}
	if len(lacking) > 0 {
		return nil, backend.Errorf(backend.EINVALID, "取引CSVに必要な列がありません: %s。ファイルの見出しは %s です。列の対応を指定してください",
			"the console CSV lacks the columns %s; the file's header is %s: map the columns",
			strings.Join(lacking, ""), clip(strings.Join(header, ",")))
	}
	return cols, nil
}

// consoleOrder links one order from its rows; Status "" = cancelled.
func (s *Service) consoleOrder(ctx context.Context, g *consoleGroup, prof *backend.GatewayProfile, finder backend.TransactionFinder, actor string) ConsoleResult {
	o := g.order
	res := ConsoleResult{OrderID: o.ID, OrderNo: o.OrderNo}
	for _, r := range g.rows {
		res.Lines = append(res.Lines, r.line)
	}
	lines := lineList(res.Lines)
	if ja, en, ok := needsNoLink(o); ok {
		res.Status, res.Reason, res.ReasonEn = StatusSkipped, ja, en
		return res
	}
	if st, done := s.alreadyPaid(ctx, o); done {
		res.Status, res.Reason, res.ReasonEn = st, "この受注には既に決済があります", "the order already has a payment"
		return res
	}
	save := func(out outcome) ConsoleResult {
		res.Status = s.save(ctx, o.ID, out)
		res.Reason, res.ReasonEn = out.reason, out.reasonEn
		if out.err != nil && out.reason == "" {
			res.Reason, res.ReasonEn = backend.ErrorMessage(out.err, "ja"), backend.ErrorMessage(out.err, "en")
		}
		return res
	}
	picked := pickRows(g.rows)
	if len(picked) == 0 {
		return save(outcome{status: backend.LinkNotFound, profileID: prof.ID,
			reason:   "取引CSVにはこの受注のエラーの行しかありません（" + lines + "）",
			reasonEn: "the console CSV has only error rows for this order (lines " + lines + ")"})
	}
	var (
		verified  []backend.Transaction
		notes     []string
		transient *outcome
	)
	for _, r := range picked {
		tx, err := s.ask(ctx, prof, func() (*backend.Transaction, error) { return finder.LookupTransaction(ctx, o.PaymentMethod, r.ids) })
		if err != nil {
			out := s.failure(ctx, prof, err)
			switch out.status {
			case "":
				return res // cancelled
			case backend.LinkFailed:
				transient = &out
			default:
				notes = append(notes, fmt.Sprintf("%d行目: %s", r.line, backend.ErrorMessage(err, "ja")))
			}
			continue
		}
		if tx.Gateway == backend.GatewaySBPS && r.hasAmount {
			withAmount(tx, r.amount)
			if tx.View.AuthorizedAt.IsZero() && o.PaymentMethod == backend.MethodCard {
				tx.View.AuthorizedAt = r.createdAt // the 伝票's 受注日時: when SBPS made the authorisation
			}
		}
		verified = append(verified, *tx)
	}
	switch {
	case transient != nil:
		// Asked again by the next run, with the row's ids (SBPS: its amount is only in
		// this file, so the file is needed again).
		_ = s.Store.QueueLinkHint(context.WithoutCancel(ctx), o.ID, picked[0].ids, prof.ID)
		msg := backend.ErrorMessage(transient.err, "ja") + "。次の連携で確認します"
		if prof.Kind == backend.GatewaySBPS {
			msg = backend.ErrorMessage(transient.err, "ja") + "。つながってから取引CSVをもう一度取り込んでください"
		}
		return save(outcome{status: backend.LinkFailed, profileID: prof.ID, reason: msg, reasonEn: backend.ErrorMessage(transient.err, "en")})
	case len(verified) == 0:
		return save(outcome{status: backend.LinkNotFound, profileID: prof.ID, reason: strings.Join(notes, "／"),
			reasonEn: "the gateway does not confirm the console CSV's rows (lines " + lines + ")"})
	case len(verified) > 1:
		return save(s.ambiguous(prof, verified, "取引CSVにこの受注の取引が複数あります（"+lines+"）。正しいものを選んでください",
			"the console CSV has several transactions for this order (lines "+lines+"): choose the right one"))
	}
	out := s.found(o, prof, &verified[0])
	if out.status != backend.LinkLinked {
		return save(out)
	}
	res.Status = s.attach(ctx, o, prof, out.tx, actor)
	if res.Status != backend.LinkLinked {
		if l, err := s.Store.LinkState(ctx, o.ID); err == nil {
			res.Reason, res.ReasonEn = l.Reason, l.ReasonEn
		}
	}
	return res
}

// pickRows keeps the rows to check for an order: its live rows; else the rows of
// other states; else its cancelled rows. Error rows never.
func pickRows(rows []consoleRow) []consoleRow {
	tiers := map[string][]consoleRow{}
	for _, r := range rows {
		tiers[r.class] = append(tiers[r.class], r)
	}
	for _, c := range []string{ClassLive, "", ClassCancelled} {
		if len(tiers[c]) > 0 {
			return tiers[c]
		}
	}
	return nil
}

// needsNoLink says why an order is not to be linked (the store's needsLink in Go).
func needsNoLink(o *backend.Order) (string, string, bool) {
	switch {
	case o.Source == "demo":
		return "デモの受注です", "a demo order", true
	case o.Status == backend.OrderCancelled:
		return "キャンセルされた受注です", "the order is cancelled", true
	case o.PaymentMethod == backend.MethodOther || !o.PaymentMethod.Valid():
		return "支払方法がゲートウェイの決済ではありません", "the order is not paid through a gateway", true
	}
	return "", "", false
}

func lineList(lines []int) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = strconv.Itoa(l) + "行目"
	}
	return strings.Join(parts, "・")
}

// parseYen reads an amount as consoles write it: 12345, 12,345, ¥12,345, 12,345円.
func parseYen(s string) (backend.Yen, bool) {
	r := strings.NewReplacer(",", "", "，", "", "¥", "", "￥", "", "円", "", " ", "", "　", "")
	v, err := strconv.ParseInt(r.Replace(s), 10, 64)
	if err != nil || v < 0 || v > 1_000_000_000_000 {
		return 0, false
	}
	return backend.Yen(v), true
}

var timeLayouts = []string{"2006/1/2 15:04:05", "2006/1/2 15:04", "2006-1-2 15:04:05", "2006-1-2T15:04:05", "2006-1-2 15:04", "2006/1/2", "2006-1-2"}

// parseTime reads a date as consoles write it, in Japan time; zero when unreadable.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if t := backend.ParseJST(s); !t.IsZero() {
		return t
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, backend.JST); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
