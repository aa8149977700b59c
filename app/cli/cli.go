// Package cli is Kessai Desk without the window: subcommands over the same backend and
// database, for Task Scheduler, cron and scripts. Output is Japanese (or English with
// -lang en), or JSON with -json; errors exit non-zero with a clear message.
package cli

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"

	"kessaidesk/backend"
	"kessaidesk/backend/csvimport"
	"kessaidesk/backend/link"
	"kessaidesk/backend/payment"
	"kessaidesk/backend/profiles"
	"kessaidesk/backend/sandbox"
	"kessaidesk/backend/system"
)

// Commands are the subcommands, for main to recognise.
var Commands = []string{"sync", "import", "export", "link", "capture", "cancel", "change-amount", "refund", "reauth", "status", "profile", "sandbox", "help"}

// IsCommand reports whether arg names a subcommand.
func IsCommand(arg string) bool {
	for _, c := range Commands {
		if arg == c {
			return true
		}
	}
	return false
}

// Env is what a run uses; tests swap the streams and the system.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Open opens the system; nil = system.Open.
	Open func(ctx context.Context, cfg system.Config) (*system.System, error)
	// Config is the base configuration (tests set a fake vault, a clock).
	Config system.Config
}

type runner struct {
	env  Env
	lang string
	json bool
	out  io.Writer
	// result is the command's JSON document; one document per run is printed: the
	// result, or an error that carries the result so far.
	result  any
	flushed bool
}

func (r *runner) say(ja, en string, args ...any) {
	if r.json {
		return
	}
	if r.lang == "en" {
		fmt.Fprintf(r.out, en+"\n", args...)
	} else {
		fmt.Fprintf(r.out, ja+"\n", args...)
	}
}

// emitJSON sets the command's JSON result (printed once, at the end of the run).
func (r *runner) emitJSON(v any) { r.result = v }

// flushJSON prints the result now (a command that keeps running, like sandbox).
func (r *runner) flushJSON() {
	if r.json && !r.flushed && r.result != nil {
		r.printJSON(r.result)
		r.flushed = true
	}
}

func (r *runner) printJSON(v any) {
	enc := json.NewEncoder(r.out)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

const usage = `使い方 / usage: kessaidesk [-data DIR] [-json] [-lang ja|en] [-demo] COMMAND [ARGS]

  sync                                 同期を1回実行 / run one sync
  import FILE [-preset NAME | -mapping NAME] [-encoding cp932|utf-8] [-dry-run]
                                       受注CSVを確認して取り込む（全件か何もしないか）/ preview and import an order CSV
  export [-o FILE] [-sjis]             受注をCSVで書き出す（UTF-8 BOM付き、-sjis で Shift_JIS）/ export orders as CSV
  link [-profile N] [ORDER...]         受注をゲートウェイの取引と連携（照会のみ）/ link orders to their gateway transactions
  link ORDER -profile N -order-id ID [-tran-id ID] [-tran-pass PASS] [-amount YEN]
                                       手入力のIDで連携（ゲートウェイで確認してから保存）/ link one order by hand
  link -console FILE -profile N [-layout NAME] [-encoding cp932|utf-8]
                                       管理画面の取引CSVで連携 / link from the gateway console's transaction CSV
  status ORDER                         受注と決済の状態 / show an order and its payment
  capture ORDER... | -all-authorised   売上 / capture (one by one or in bulk)
  cancel ORDER...                      キャンセル（取消/返品/月跨返品を自動選択）/ cancel
  change-amount ORDER AMOUNT [-capture-now]  金額変更 / change the amount
  refund ORDER AMOUNT                  部分返金（ゲートウェイが対応する場合）/ partial refund
  reauth ORDER [AMOUNT] [-capture-now] 再オーソリ（GMO-PG・SGP、キャンセル後）/ re-authorise
  profile list | add [flags] [-cert FILE] [-ca FILE] | test ID | delete ID
                                       ゲートウェイ設定（認証情報は標準入力から）/ gateway profiles (secrets on stdin)
  sandbox [-shop DIR]                  デモ用シミュレーター（GMO-PG・SBPS・ペイジェント）を 127.0.0.1 で起動、-shop でサンプルショップのCSVを作成 / run the demo simulators; -shop writes a sample shop`

// Run runs one command line and returns the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Open == nil {
		env.Open = system.Open
	}
	r := &runner{env: env, lang: "ja", out: env.Stdout}
	global := flag.NewFlagSet("kessaidesk", flag.ContinueOnError)
	global.SetOutput(env.Stderr)
	dataDir := global.String("data", env.Config.DataDir, "データフォルダ / data folder")
	global.BoolVar(&r.json, "json", false, "JSON で出力 / JSON output")
	global.StringVar(&r.lang, "lang", "ja", "ja | en")
	demo := global.Bool("demo", env.Config.Demo, "新しいデータフォルダにデモショップを作る / create the demo shop in a new data folder")
	global.Usage = func() { fmt.Fprintln(env.Stderr, usage) }
	if err := global.Parse(args); err != nil {
		return 2
	}
	if r.lang != "ja" && r.lang != "en" {
		fmt.Fprintf(env.Stderr, "-lang は ja か en を指定してください（%q は使えません）/ -lang is ja or en\n", r.lang)
		return 2
	}
	rest := global.Args()
	if len(rest) == 0 || rest[0] == "help" {
		fmt.Fprintln(env.Stdout, usage)
		return 0
	}
	cmd, cmdArgs := rest[0], rest[1:]
	if !IsCommand(cmd) {
		fmt.Fprintf(env.Stderr, "不明なコマンドです: %s\n%s\n", cmd, usage)
		return 2
	}
	cfg := env.Config
	cfg.DataDir = *dataDir
	cfg.Demo = *demo // a command never seeds the demo unless asked
	cfg.Mode = "command " + cmd
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	sys, err := env.Open(ctx, cfg)
	if err != nil {
		return r.fail(err)
	}
	defer sys.Close()
	if cmd != "sandbox" {
		r.settleInterrupted(ctx, sys) // never start on top of an unknown outcome
	}
	switch cmd {
	case "sync":
		err = r.sync(ctx, sys)
	case "import":
		err = r.importCSV(ctx, sys, cmdArgs)
	case "export":
		err = r.export(ctx, sys, cmdArgs)
	case "link":
		err = r.link(ctx, sys, cmdArgs)
	case "status":
		err = r.status(ctx, sys, cmdArgs)
	case "capture", "cancel", "change-amount", "refund", "reauth":
		err = r.operate(ctx, sys, cmd, cmdArgs)
	case "profile":
		err = r.profile(ctx, sys, cmdArgs)
	case "sandbox":
		err = r.sandbox(ctx, sys, cmdArgs)
	}
	if err != nil {
		sys.Log.Warn("command failed", "command", cmd, "code", backend.ErrorCode(err), "error", backend.ErrorMessage(err, "en"))
		return r.fail(err)
	}
	r.flushJSON()
	return 0
}

// settleInterrupted asks the gateways about operations an interrupted run left
// unresolved, before anything new is sent, and says which and how they ended (on
// standard error with -json, so the JSON output stays one document).
func (r *runner) settleInterrupted(ctx context.Context, sys *system.System) {
	ops, err := sys.Store.UnresolvedOperations(ctx)
	if err != nil || len(ops) == 0 {
		return
	}
	sys.Engine.ResolveUnresolved(ctx)
	out := r.out
	if r.json {
		out = r.env.Stderr
	}
	if r.lang == "en" {
		fmt.Fprintf(out, "checked %d operations an interrupted run left unresolved:\n", len(ops))
	} else {
		fmt.Fprintf(out, "前回中断した操作 %d件の結果を確認しました:\n", len(ops))
	}
	for _, op := range ops {
		no := ""
		if p, err := sys.Store.PaymentByID(ctx, op.PaymentID); err == nil {
			if o, err := sys.Store.OrderByID(ctx, p.OrderID); err == nil {
				no = o.OrderNo
			}
		}
		now, err := sys.Store.OperationByID(ctx, op.ID)
		if err != nil {
			continue
		}
		if r.lang == "en" {
			fmt.Fprintf(out, "  order %s: %s %s — %s\n", no, now.Kind.LabelEn(), now.Amount, now.State)
		} else {
			fmt.Fprintf(out, "  受注 %s: %s %s — %s %s\n", no, now.Kind.Label(), now.Amount, now.State.Label(), now.Message)
		}
	}
}

func (r *runner) fail(err error) int {
	msg := backend.ErrorMessage(err, r.lang)
	if r.json && !r.flushed {
		doc := map[string]any{"error": backend.ErrorCode(err), "message": backend.ErrorMessage(err, "ja"),
			"messageEn": backend.ErrorMessage(err, "en")}
		if r.result != nil {
			doc["result"] = r.result // what was done or found before the failure
		}
		r.printJSON(doc)
		r.flushed = true
	}
	if r.lang == "en" {
		fmt.Fprintln(r.env.Stderr, "error:", msg)
	} else {
		fmt.Fprintln(r.env.Stderr, "エラー:", msg)
	}
	if backend.ErrorCode(err) == backend.EINVALID || backend.ErrorCode(err) == backend.ENOTFOUND {
		return 2
	}
	return 1
}

func invalid(ja, en string, args ...any) error {
	return backend.Errorf(backend.EINVALID, ja, en, args...)
}

func (r *runner) operator(ctx context.Context, sys *system.System) string {
	name, _ := sys.Store.Setting(ctx, "operator")
	if name == "" {
		name = "オペレーター"
	}
	return name + "（コマンド）"
}

func (r *runner) sync(ctx context.Context, sys *system.System) error {
	rep, err := sys.Syncer.RunOnce(ctx)
	if err != nil {
		return err
	}
	r.emitJSON(rep)
	r.say("同期しました: 確認 %d件（照会 %d回）、入金 %d件、期限切れ %d件、更新 %d件、差異 %d件、結果確定 %d件",
		"synced: %d checked (%d requests), %d deposits, %d expired, %d updated, %d differences, %d resolved",
		rep.Checked, rep.Requests, rep.Deposits, rep.Expired, rep.Updated, rep.Drifts, rep.Resolved)
	if len(rep.Holds) > 0 {
		r.say("出荷を止めてください: 受注 %s の決済が発送前にゲートウェイで取消・返金されました（作業リストの「出荷を止める」）",
			"stop shipping: the payment of order %s was cancelled or refunded at the gateway before shipping (see 出荷を止める)", strings.Join(rep.Holds, "、"))
	}
	for _, o := range rep.Offline {
		r.say("オフライン: %s（次回の同期で追いつきます）", "offline: %s (the next sync catches up)", o)
	}
	for _, e := range rep.Errors {
		r.say("エラー: %s", "error: %s", e)
	}
	if len(rep.Errors) > 0 {
		return backend.Errorf(backend.EGATEWAY, "%d件のエラーがありました", "%d errors", len(rep.Errors))
	}
	return nil
}

func (r *runner) importCSV(ctx context.Context, sys *system.System, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(r.env.Stderr)
	preset := fs.String("preset", "", "取込レイアウト（eccube4, eccube2, futureshop, makeshop, kessaidesk）/ preset")
	mapping := fs.String("mapping", "", "保存した取込レイアウトの名前 / a saved mapping")
	encoding := fs.String("encoding", "", "cp932 | utf-8（省略時は自動判別）")
	dryRun := fs.Bool("dry-run", false, "確認だけで保存しない / preview only")
	files, err := parseArgs(fs, args)
	if err != nil || len(files) != 1 || (*preset != "" && *mapping != "") {
		return invalid("取り込むCSVファイルを1つ指定してください（-preset か -mapping のどちらか一方）", "give one CSV file (and -preset or -mapping, not both)")
	}
	path := files[0]
	name := *preset + *mapping
	if name == "" {
		if name, err = suggestLayout(path, csvimport.Encoding(*encoding)); err != nil {
			return err
		}
	}
	layout, err := csvimport.FindLayout(ctx, sys.Store, name)
	if err != nil {
		return err
	}
	imp := &csvimport.Importer{Store: sys.Store, Now: sys.Clock.Now}
	req := csvimport.Request{Path: path, Encoding: csvimport.Encoding(*encoding), Layout: layout}
	pv, err := imp.Preview(ctx, req)
	if err != nil {
		return err
	}
	r.sayPreview(pv)
	if !pv.OK() {
		r.emitJSON(pv)
		return problemsError(pv)
	}
	if *dryRun {
		r.emitJSON(pv)
		r.say("確認のみ（-dry-run）: 何も保存していません", "dry run: nothing was saved")
		return nil
	}
	req.Expect = &pv.File
	res, err := imp.Commit(ctx, req, r.operator(ctx, sys))
	if err != nil {
		return err
	}
	if !res.OK() {
		r.emitJSON(res)
		return problemsError(res)
	}
	r.emitJSON(res)
	r.say("取り込みました: 新規 %d件、更新 %d件、変更なし %d件、競合 %d件（競合は取り込んでいません）",
		"imported: %d new, %d updated, %d unchanged, %d conflicts (not applied)", res.New, res.Updated, res.Unchanged, res.Conflicting)
	if n, err := sys.Store.CountPendingLinks(ctx); err == nil && n > 0 {
		r.say("連携待ち %d件: kessaidesk link で決済サービスの取引と連携します", "%d orders wait to be linked: run kessaidesk link", n)
	}
	return nil
}

// suggestLayout picks the layout whose columns match the file's header.
func suggestLayout(path string, enc csvimport.Encoding) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", backend.Errorf(backend.ENOTFOUND, "ファイル %s を開けません", "cannot open %s", path)
	}
	defer f.Close()
	if enc == csvimport.EncodingAuto {
		if enc, err = csvimport.Detect(f); err != nil {
			return "", err
		}
		if _, err := f.Seek(0, 0); err != nil {
			return "", err
		}
	}
	rd, err := csvimport.NewReader(f, enc)
	if err != nil {
		if le, ok := err.(*csvimport.LineError); ok {
			return "", le.AsError()
		}
		return "", err
	}
	if name := csvimport.Suggest(rd.Header()); name != "" {
		return name, nil
	}
	var names []string
	for _, l := range csvimport.Presets() {
		names = append(names, l.Name)
	}
	return "", invalid("どの取込レイアウトの列か判別できません。-preset（%s）か -mapping で指定してください",
		"cannot tell the layout from the header; give -preset (%s) or -mapping", strings.Join(names, ", "))
}

// problemsError lists every problem of a file with its line, in both languages.
func problemsError(p *csvimport.Preview) error {
	ja := []string{fmt.Sprintf("取り込めない行が%d件あります。何も保存していません", p.ProblemCount)}
	en := []string{fmt.Sprintf("%d problems; nothing was saved", p.ProblemCount)}
	for _, pr := range p.Problems {
		col := ""
		if pr.Column != "" {
			col = "「" + pr.Column + "」 "
		}
		ja = append(ja, fmt.Sprintf("  %d行目: %s%s", pr.Line, col, pr.Message))
		en = append(en, fmt.Sprintf("  line %d: %s%s", pr.Line, col, pr.MessageEn))
	}
	if n := p.ProblemCount - len(p.Problems); n > 0 {
		ja, en = append(ja, fmt.Sprintf("  ほかに%d件", n)), append(en, fmt.Sprintf("  and %d more", n))
	}
	return &backend.Error{Code: backend.EINVALID, Class: backend.ClassPermanent, Message: strings.Join(ja, "\n"), MessageEn: strings.Join(en, "\n")}
}

// sayPreview prints what an import would do and its conflicts.
func (r *runner) sayPreview(p *csvimport.Preview) {
	r.say("%s: %d行 %d件 — 新規 %d件、更新 %d件、変更なし %d件、エラー %d件、競合 %d件",
		"%s: %d rows, %d orders — %d new, %d updated, %d unchanged, %d invalid, %d conflicts",
		p.Encoding.Label(), p.Rows, p.Orders, p.New, p.Updated, p.Unchanged, p.Invalid, p.Conflicting)
	for _, c := range p.Conflicts {
		r.say("  競合 %d行目 受注 %s: %s", "  conflict line %d order %s: %s", c.Line, c.OrderNo, pick(r.lang, c.Reason, c.ReasonEn))
	}
}

func (r *runner) export(ctx context.Context, sys *system.System, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(r.env.Stderr)
	out := fs.String("o", "", "書き出し先（省略時は標準出力）/ output file")
	sjis := fs.Bool("sjis", false, "Shift_JIS（CP932）で書き出す（Excel向け）/ write Shift_JIS")
	if _, err := parseArgs(fs, args); err != nil {
		return invalid("export の指定が正しくありません", "bad export flags")
	}
	enc := csvimport.EncodingUTF8
	if *sjis {
		enc = csvimport.EncodingCP932
	}
	f := backend.OrderFilter{Sort: "order_no_asc"}
	if *out == "" {
		_, err := csvimport.Export(ctx, r.env.Stdout, sys.Store, f, enc, nil)
		return err
	}
	n := 0
	err := csvimport.WriteFileAtomic(*out, sys.DataDir, func(w io.Writer) error {
		var err error
		n, err = csvimport.Export(ctx, w, sys.Store, f, enc, nil)
		return err
	})
	if err != nil {
		return err
	}
	r.emitJSON(map[string]any{"path": *out, "count": n})
	r.say("%d件の受注を %s に書き出しました", "exported %d orders to %s", n, *out)
	return nil
}

// mainPayment is the payment an order-number command acts on: the newest that is not
// finished, else the newest.
func mainPayment(ctx context.Context, sys *system.System, orderNo string) (*backend.Order, *backend.Payment, error) {
	o, err := sys.Store.OrderByNo(ctx, orderNo)
	if err != nil {
		return nil, nil, err
	}
	ps, err := sys.Store.PaymentsByOrder(ctx, o.ID)
	if err != nil {
		return nil, nil, err
	}
	if len(ps) == 0 {
		return o, nil, backend.Errorf(backend.EINVALID, "受注 %s には決済サービスの取引がありません", "order %s has no gateway payment", orderNo)
	}
	return o, ps[len(ps)-1], nil
}

type statusOut struct {
	OrderNo   string   `json:"orderNo"`
	Customer  string   `json:"customer"`
	Total     int64    `json:"total"`
	Status    string   `json:"status"`
	PaymentID int64    `json:"paymentId,omitempty"`
	State     string   `json:"paymentState,omitempty"`
	Actions   []string `json:"actions"`
}

func (r *runner) status(ctx context.Context, sys *system.System, args []string) error {
	if len(args) != 1 {
		return invalid("受注番号を1つ指定してください", "give one order number")
	}
	o, p, err := mainPayment(ctx, sys, args[0])
	if o == nil {
		return err
	}
	out := statusOut{OrderNo: o.OrderNo, Customer: o.CustomerName, Total: int64(o.Total), Status: string(o.Status), Actions: []string{}}
	r.say("受注 %s  %s  %s  対応状況: %s", "order %s  %s  %s  status: %s", o.OrderNo, o.CustomerName, o.Total, o.Status.Label())
	if p != nil {
		out.PaymentID, out.State = p.ID, string(p.State)
		out.Actions = payment.Actions(p, sys.Clock.Now())
		r.say("決済 %s  %s  %s  状態: %s  できる操作: %s", "payment %s  %s  %s  state: %s  actions: %s",
			p.GatewayOrderID, p.Gateway.Label(), p.Method.Label(), p.State.Label(), strings.Join(out.Actions, ", "))
		ops, err := sys.Store.OperationsByPayment(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, op := range ops {
			r.say("  %s  %s  %s  %s  %s", "  %s  %s  %s  %s  %s", op.RequestedAt.In(backend.JST).Format("2006/01/02 15:04"),
				op.Kind.Label(), op.Amount, op.State, op.Message)
		}
	}
	r.emitJSON(out)
	return nil
}

type opOut struct {
	OrderNo string `json:"orderNo"`
	State   string `json:"state"`
	Message string `json:"message"`
}

func (r *runner) operate(ctx context.Context, sys *system.System, cmd string, args []string) error {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(r.env.Stderr)
	all := fs.Bool("all-authorised", false, "仮売上の受注をすべて売上にする / capture every authorised payment")
	captureNow := fs.Bool("capture-now", false, "金額変更を即時売上で / change and capture")
	args, err := parseArgs(fs, args)
	if err != nil {
		return invalid("%s の指定が正しくありません", "bad %s flags", cmd)
	}
	intent := map[string]payment.Intent{"capture": payment.IntentCapture, "cancel": payment.IntentCancel,
		"change-amount": payment.IntentChangeAmount, "refund": payment.IntentPartialRefund, "reauth": payment.IntentReauth}[cmd]
	prm := payment.Params{CaptureNow: *captureNow}
	switch cmd {
	case "change-amount", "refund":
		if len(args) != 2 {
			return invalid("受注番号と金額を指定してください（例: %s 1001 4800）", "give the order number and the amount (e.g. %s 1001 4800)", cmd)
		}
		n, err := parseYen(args[1])
		if err != nil {
			return err
		}
		prm.Amount, args = n, args[:1]
	case "reauth":
		if len(args) == 2 { // the amount to authorise; omitted = as before
			n, err := parseYen(args[1])
			if err != nil {
				return err
			}
			prm.Amount, args = n, args[:1]
		}
		if len(args) != 1 {
			return invalid("再オーソリする受注番号を1つ指定してください（例: reauth 1001 [金額]）", "give one order number (reauth 1001 [amount])")
		}
	}
	var ids []int64
	nos := map[int64]string{}
	if *all {
		if cmd != "capture" {
			return invalid("-all-authorised は capture だけに使えます", "-all-authorised is for capture only")
		}
		ps, err := sys.Store.FindPayments(ctx, backend.PaymentFilter{States: []backend.PaymentState{backend.StateAuthorized}})
		if err != nil {
			return err
		}
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
	} else {
		if len(args) == 0 {
			return invalid("受注番号を指定してください", "give order numbers")
		}
		for _, no := range args {
			_, p, err := mainPayment(ctx, sys, no)
			if err != nil {
				return err
			}
			ids, nos[p.ID] = append(ids, p.ID), no
		}
	}
	if len(ids) == 0 {
		r.say("対象の決済はありません", "nothing to do")
		r.emitJSON([]opOut{})
		return nil
	}
	operator := r.operator(ctx, sys)
	if len(ids) == 1 && !*all {
		res, err := sys.Engine.Run(ctx, payment.Request{PaymentID: ids[0], Intent: intent, Params: prm, Operator: operator})
		if err != nil {
			return err
		}
		r.emitJSON(opOut{OrderNo: nos[ids[0]], State: string(res.Payment.State), Message: res.Message})
		r.say("受注 %s: %s（決済状態: %s）", "order %s: %s (payment: %s)", nos[ids[0]], res.Message, res.Payment.State.Label())
		return nil
	}
	job, items, err := sys.Bulk.Run(ctx, intent, prm, ids, operator)
	if err != nil {
		return err
	}
	outs := []opOut{}
	failed := 0
	for _, it := range items {
		outs = append(outs, opOut{OrderNo: it.OrderNo, State: it.State, Message: it.Message})
		r.say("受注 %s: %s %s", "order %s: %s %s", it.OrderNo, it.State, it.Message)
		if it.State == backend.BulkFailed || it.State == backend.BulkUnknown || it.State == backend.BulkCancelled {
			failed++
		}
	}
	r.emitJSON(outs)
	r.say("一括処理 #%d: %d件中 成功 %d件、失敗・未確定 %d件", "bulk #%d: %d items, %d succeeded, %d failed or unknown",
		job.ID, job.Total, job.Counts[backend.BulkSucceeded], failed)
	if failed > 0 {
		return backend.Errorf(backend.EGATEWAY, "%d件が完了しませんでした", "%d did not complete", failed)
	}
	return nil
}

func (r *runner) profile(ctx context.Context, sys *system.System, args []string) error {
	if len(args) == 0 {
		return invalid("profile list | add | test ID | delete ID を指定してください", "give profile list|add|test|delete")
	}
	switch args[0] {
	case "list":
		ps, err := sys.Store.Profiles(ctx)
		if err != nil {
			return err
		}
		type pOut struct {
			ID          int64  `json:"id"`
			Name        string `json:"name"`
			Kind        string `json:"kind"`
			Environment string `json:"environment"`
			Demo        bool   `json:"demo"`
		}
		outs := []pOut{}
		for _, p := range ps {
			outs = append(outs, pOut{p.ID, p.Name, string(p.Kind), string(p.Environment), p.Demo})
			r.say("%d  %s  %s  %s", "%d  %s  %s  %s", p.ID, p.Name, p.Kind.Label(), p.Environment.Label())
		}
		r.emitJSON(outs)
		return nil
	case "add":
		fs := flag.NewFlagSet("profile add", flag.ContinueOnError)
		fs.SetOutput(r.env.Stderr)
		name := fs.String("name", "", "設定名")
		kind := fs.String("kind", "gmo", "gmo | sgp | sbps | paygent")
		env := fs.String("env", "test", "test | production")
		host := fs.String("host", "", "接続先（省略時は公開されている接続先）")
		merchant := fs.String("merchant", "", "ショップID / マーチャントID")
		sub := fs.String("sub", "", "サービスID / 接続ID")
		methods := fs.String("methods", "card", "card,konbini,payeasy,netbank")
		certFile := fs.String("cert", "", "ペイジェントのクライアント証明書ファイル（PEM または PKCS#12）")
		caFile := fs.String("ca", "", "接続先のサーバーCA証明書ファイル（PEM、テスト環境などで公的CAでない場合のみ）")
		if _, err := parseArgs(fs, args[1:]); err != nil {
			return invalid("profile add の指定が正しくありません", "bad profile add flags")
		}
		in := profiles.Input{Name: *name, Kind: backend.GatewayKind(*kind), Environment: backend.Environment(*env), Host: *host,
			MerchantID: *merchant, SubID: *sub, Secrets: map[string]string{}}
		for _, m := range strings.Split(*methods, ",") {
			in.Methods = append(in.Methods, backend.PaymentMethod(strings.TrimSpace(m)))
		}
		// Secrets come on standard input, one per line in the order listed, never as arguments
		// (which other users of the machine can see).
		sc := bufio.NewScanner(r.env.Stdin)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for _, sp := range profiles.Secrets(in.Kind) {
			if sp.Name == backend.SecretClientCert || sp.Name == backend.SecretCACert {
				continue // files, named by -cert and -ca (a passphrase comes on stdin)
			}
			if sc.Scan() {
				in.Secrets[sp.Name] = strings.TrimRight(sc.Text(), "\r")
			}
		}
		for name, path := range map[string]string{backend.SecretClientCert: *certFile, backend.SecretCACert: *caFile} {
			if path == "" {
				continue
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return invalid("証明書ファイル %s を読めません", "cannot read the certificate file %s", path)
			}
			if !utf8.Valid(b) { // PKCS#12 is binary: the keychain keeps text
				b = []byte(base64.StdEncoding.EncodeToString(b))
			}
			in.Secrets[name] = string(b)
		}
		p, err := sys.Profiles.Save(ctx, in)
		if err != nil {
			return err
		}
		r.emitJSON(map[string]int64{"id": p.ID})
		r.say("ゲートウェイ設定 %d「%s」を保存しました（認証情報はキーチェーンに保存）", "saved profile %d %q (secrets in the keychain)", p.ID, p.Name)
		return nil
	case "test", "delete":
		if len(args) != 2 {
			return invalid("設定の番号を指定してください（profile list で確認できます）", "give the profile id")
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return invalid("設定の番号「%s」は数字で指定してください", "the profile id %q must be a number", args[1])
		}
		if args[0] == "delete" {
			if err := sys.Profiles.Delete(ctx, id); err != nil {
				return err
			}
			r.say("削除しました", "deleted")
			return nil
		}
		res, err := sys.Profiles.Test(ctx, id)
		if err != nil {
			return err
		}
		r.emitJSON(res)
		r.say("%s", "%s", pick(r.lang, res.Message, res.MessageEn))
		if !res.OK {
			return backend.Errorf(backend.EGATEWAY, "接続テストに失敗しました", "the connection test failed")
		}
		return nil
	}
	return invalid("profile のサブコマンド「%s」はありません", "unknown profile subcommand %q", args[0])
}

func (r *runner) sandbox(ctx context.Context, sys *system.System, args []string) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(r.env.Stderr)
	shopDir := fs.String("shop", "", "サンプルショップ（取引とバックオフィスのCSV）を作るフォルダ / make a sample shop in this folder")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return invalid("sandbox の指定が正しくありません（sandbox [-shop フォルダ]）", "bad sandbox flags (sandbox [-shop DIR])")
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM) // a service manager stops it like Ctrl+C
	defer stop()
	sb := sys.Sandbox // running already when the data folder has the demo shop
	if sb == nil {
		var err error
		if sb, err = sandbox.Start(sandbox.Dir(sys.DataDir), nil); err != nil {
			return err
		}
		defer sb.Close()
	}
	type shopOut struct {
		Dir   string   `json:"dir"`
		Files []string `json:"files"`
	}
	out := struct {
		sandbox.Info
		Shop *shopOut `json:"shop,omitempty"`
	}{Info: sb.Info()}
	if *shopDir != "" {
		shop, err := sb.CreateSampleShop(*shopDir, sys.Clock.Now())
		if err != nil {
			return err
		}
		out.Shop = &shopOut{Dir: shop.Dir, Files: shop.Files}
	}
	in := out.Info
	r.emitJSON(out)
	r.flushJSON() // printed now: the command keeps running
	r.say("デモ用シミュレーター（認証情報はデモ専用です。実際の契約では使えません）", "demo simulators (demo-only credentials, not valid at any real gateway)")
	r.say("GMO-PG / SGP   %s  ショップID: %s  ショップパスワード: %s", "GMO-PG / SGP   %s  shop ID: %s  shop password: %s",
		in.GMO.URL, in.GMO.ShopID, in.GMO.ShopPass)
	r.say("SBペイメント   %s  マーチャントID: %s  サービスID: %s  ハッシュキー: %s", "SBPS           %s  merchant ID: %s  service ID: %s  hash key: %s",
		in.SBPS.URL, in.SBPS.MerchantID, in.SBPS.ServiceID, in.SBPS.HashKey)
	r.say("ペイジェント   %s  マーチャントID: %s  接続ID: %s  接続パスワード: %s", "Paygent        %s  merchant ID: %s  connect ID: %s  connect password: %s",
		in.Paygent.URL, in.Paygent.MerchantID, in.Paygent.ConnectID, in.Paygent.ConnectPassword)
	r.say("               クライアント証明書: %s\n               サーバーCA証明書: %s", "               client certificate: %s\n               server CA: %s",
		in.Paygent.ClientCertFile, in.Paygent.CAFile)
	if out.Shop != nil {
		r.say("サンプルショップを作成しました: %s", "sample shop written to %s", out.Shop.Dir)
		for _, f := range out.Shop.Files {
			r.say("  %s", "  %s", f)
		}
	}
	r.say("Ctrl+C で終了します", "Ctrl+C to stop")
	<-ctx.Done()
	if errors.Is(ctx.Err(), context.Canceled) {
		return nil
	}
	return ctx.Err()
}

// parseYen reads an amount typed on the command line ("4800", "4,800").
func parseYen(s string) (backend.Yen, error) {
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	if err != nil || n <= 0 {
		return 0, invalid("金額「%s」は1円以上の半角数字で指定してください", "the amount %q must be a whole number of yen above 0", s)
	}
	return backend.Yen(n), nil
}

// parseArgs parses flags given before, between or after the positional arguments
// (`change-amount 100268 4800 -capture-now`, as people write it) and returns the
// positional ones in order. "--" ends the flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

func (r *runner) link(ctx context.Context, sys *system.System, args []string) error {
	fs := flag.NewFlagSet("link", flag.ContinueOnError)
	fs.SetOutput(r.env.Stderr)
	profile := fs.Int64("profile", 0, "ゲートウェイ設定の番号（profile list）/ profile id")
	orderID := fs.String("order-id", "", "オーダーID / order_id / trading_id")
	tranID := fs.String("tran-id", "", "取引ID / トラッキングID / 決済ID")
	tranPass := fs.String("tran-pass", "", "取引パスワード（GMO）")
	amount := fs.Int64("amount", 0, "金額（SBPSのみ: 管理画面の金額）")
	console := fs.String("console", "", "管理画面の取引CSV / the console's transaction CSV")
	layout := fs.String("layout", "", "取引CSVの形式 / console CSV layout")
	encoding := fs.String("encoding", "", "cp932 | utf-8（省略時は自動判別）")
	nos, err := parseArgs(fs, args)
	if err != nil {
		return invalid("link の指定が正しくありません", "bad link flags")
	}
	actor := r.operator(ctx, sys)
	switch {
	case *console != "":
		if *profile == 0 || len(nos) > 0 {
			return invalid("取引CSVの連携には -profile（ゲートウェイ設定の番号）を指定し、受注番号は指定しないでください",
				"give -profile and no order numbers with -console")
		}
		rep, err := sys.Links.ImportConsole(ctx, link.ConsoleRequest{Path: *console, Encoding: csvimport.Encoding(*encoding),
			ProfileID: *profile, Layout: *layout, Actor: actor})
		if err != nil {
			return err
		}
		r.emitJSON(rep)
		r.say("取引CSV %d行: 連携 %d件、連携済み %d件、候補が複数 %d件、取引なし %d件、照会できず %d件",
			"console CSV, %d rows: %d linked, %d already, %d with several candidates, %d not found, %d could not be asked",
			rep.Rows, rep.Linked, rep.Already, rep.Ambiguous, rep.NotFound, rep.Failed)
		for _, u := range append(rep.Problems, rep.Unmatched...) {
			r.say("  %d行目 %s: %s", "  line %d %s: %s", u.Line, u.GatewayOrderID, pick(r.lang, u.Reason, u.ReasonEn))
		}
		return nil
	case *orderID != "" || *tranID != "":
		if len(nos) != 1 {
			return invalid("手入力のIDで連携する受注番号を1つ指定してください", "give one order number to link by hand")
		}
		o, err := sys.Store.OrderByNo(ctx, nos[0])
		if err != nil {
			return err
		}
		p, err := sys.Links.Attach(ctx, o.ID, *profile, backend.TransactionIDs{GatewayOrderID: *orderID, GatewayTranID: *tranID,
			GatewayTranPass: *tranPass}, backend.Yen(*amount), actor)
		if err != nil {
			return err
		}
		r.emitJSON(map[string]any{"orderNo": o.OrderNo, "paymentId": p.ID, "state": p.State, "amount": p.AmountAuthorized})
		r.say("受注 %s を連携しました: %s %s（%s）", "order %s linked: %s %s (%s)", o.OrderNo, p.GatewayOrderID, p.State.Label(), p.AmountAuthorized)
		return nil
	}
	var ids []int64
	for _, no := range nos {
		o, err := sys.Store.OrderByNo(ctx, no)
		if err != nil {
			return err
		}
		ids = append(ids, o.ID)
	}
	rep, err := sys.Links.Run(ctx, link.RunOptions{ProfileID: *profile, OrderIDs: ids, Actor: actor})
	if err != nil {
		return err
	}
	r.emitJSON(rep)
	stopped, stoppedEn := "", ""
	if rep.Cancelled {
		stopped, stoppedEn = "（中断しました。残りは次の連携で続けます）", " (stopped; the rest waits for the next run)"
	}
	r.say("連携: 対象 %d件 — 連携 %d件、連携済み %d件、取引なし %d件、候補が複数 %d件、設定なし %d件、取引CSVが必要 %d件、照会できず %d件"+stopped,
		"link: %d orders — %d linked, %d already, %d not found, %d with several candidates, %d without a profile, %d need the console CSV, %d could not be asked"+stoppedEn,
		rep.Total, rep.Linked, rep.Already, rep.NotFound, rep.Ambiguous, rep.NoProfile, rep.ConsoleOnly, rep.Failed)
	if len(nos) > 0 {
		for _, id := range ids {
			if l, err := sys.Links.State(ctx, id); err == nil && l.Status != backend.LinkLinked {
				r.say("  受注 %s: %s %s", "  order %s: %s %s", l.OrderNo, pick(r.lang, l.Status.Label(), l.Status.LabelEn()), pick(r.lang, l.Reason, l.ReasonEn))
			}
		}
	}
	if rep.Failed > 0 {
		return backend.Errorf(backend.EGATEWAY, "%d件はゲートウェイに照会できませんでした（次の連携で再度照会します）",
			"%d could not be asked (asked again next run)", rep.Failed)
	}
	return nil
}

// pick chooses the message in the output language.
func pick(lang, ja, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return ja
}
