// Command mutants runs the rule mutants of `make mutate`: each changes one payment
// rule the way a person could by mistake — a date read from the wrong field, a
// gateway or a state dropped from a rule, a window off by one, a status mapped to the
// wrong state — then runs the tests of the package that holds the rule. A mutant the
// tests do not notice lives. Operator changes (== / !=, < / <=…) are gremlins' part.
//
// It rewrites source files, so it runs only on a copy of the tree (no .git here):
// build/scripts/mutate.sh makes one.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// mutant replaces old (found exactly once) with new in file, and the tests of pkg
// must then fail.
type mutant struct {
	file, old, new string
	rule           string // what the mutant breaks, in the operator's words
}

// pkgOf is the package whose tests judge a file: its own.
func pkgOf(file string) string { return "./" + file[:strings.LastIndex(file, "/")] }

var mutants = []mutant{
	// backend/cancel.go: which operation a キャンセル needs.
	{"backend/cancel.go", "last := p.ProcessedAt", "last := p.AuthorizedAt",
		"GMO: 取消/返品/月跨返品 judged by the authorisation's date, not the latest processing (the sale's)"},
	{"backend/cancel.go", "if p.Method == MethodKonbini && (p.Gateway == GatewayGMO || p.Gateway == GatewaySGP) {", "if p.Method == MethodKonbini && p.Gateway == GatewayGMO {",
		"SGP konbini without 支払停止"},
	{"backend/cancel.go", "case StatePending, StateNeedsReview:", "case StateNeedsReview:",
		"a pending payment (未処理) cancelled"},
	{"backend/cancel.go", "case StateDeposited:\n\t\treturn manualRefund(p, \"入金済みのため、ゲートウェイからは返金できません\")", "case StateDeposited:\n\t\treturn CancelChoice{Reason: \"入金済み\"}, nil",
		"no 要返金 for a deposited konbini"},
	{"backend/cancel.go", "if p.Method == MethodCard && (p.Gateway == GatewayGMO || p.Gateway == GatewaySGP) {\n\t\t\t// GMO keeps", "if false {\n\t\t\t// GMO keeps",
		"an expired GMO authorisation only cancelled in the order, still held at the gateway"},
	{"backend/cancel.go", "if !captured {\n\t\treturn CancelChoice{Kind: OpReturn", "if false {\n\t\treturn CancelChoice{Kind: OpReturn",
		"GMO: an uncaptured authorisation of an earlier month cancelled with 月跨返品 instead of 返品"},
	{"backend/cancel.go", "DaysBetweenJST(last, now) > GMOCancelLimitDays", "DaysBetweenJST(last, now) > GMOCancelLimitDays+1",
		"GMO: the 180-day cancel window one day longer"},
	{"backend/cancel.go", "limit := endOfMonthJST(p.CapturedAt.In(JST).AddDate(0, 3, 0))", "limit := endOfMonthJST(p.CapturedAt.In(JST).AddDate(0, 4, 0))",
		"SBPS: card refunds allowed a month past the end of the third month"},
	{"backend/cancel.go", "start := p.CapturedAt\n", "start := p.AuthorizedAt\n",
		"Paygent: the sales-cancel window counted from the authorisation on a contract that counts from the sale"},
	{"backend/cancel.go", "if p.RawStatus == \"41\" {", "if p.RawStatus == \"x41\" {",
		"Paygent: a sale past its cancel period (status 41) sent a 売上取消 instead of 要返金"},
	{"backend/cancel.go", "captured := p.State == StateCaptured || p.State == StatePartiallyRefunded", "captured := p.State == StateCaptured",
		"a partially refunded sale cancelled as if never captured (与信取消)"},

	// backend/payment/plans.go and the engine's offers: what each intent sends.
	{"backend/payment/engine.go", "ok = card && (p.State == backend.StateCaptured || p.State == backend.StatePartiallyRefunded) &&\n\t\t\t\t(gmo ||", "ok = card &&\n\t\t\t\t(gmo ||",
		"部分返金 offered in any state"},
	{"backend/payment/plans.go", "if p.Method != backend.MethodCard || (p.State != backend.StateCaptured && p.State != backend.StatePartiallyRefunded) {\n\t\treturn nil, conflict(\"部分返金", "if p.Method != backend.MethodCard {\n\t\treturn nil, conflict(\"部分返金",
		"部分返金 planned for an authorisation not captured"},
	{"backend/payment/plans.go", "case backend.StateAuthorized, backend.StateCaptureFailed:\n\tcase backend.StateCaptured:", "case backend.StateAuthorized, backend.StateCaptureFailed, backend.StateVoided:\n\tcase backend.StateCaptured:",
		"売上 of a cancelled payment"},
	{"backend/payment/plans.go", "u.AuthorizedAt, u.AuthExpiresAt = at, authExpiry(at, prof)", "u.AuthorizedAt, u.AuthExpiresAt = now, authExpiry(now, prof)\n\t_ = at",
		"a new authorisation dated by this computer's clock, not the gateway's answer"},
	{"backend/payment/plans.go", "if kind == backend.OpVoid || kind == backend.OpStopPayment {", "if kind == backend.OpVoid {",
		"a konbini 支払停止 expected to read as refunded"},
	{"backend/payment/plans.go", "if expect == backend.StateRefunded && u.AmountRefunded < u.AmountCaptured {", "if false {",
		"a card refund recorded without its refunded amount"},
	{"backend/payment/plans.go", "if amount > current {\n\t\t\treturn nil, conflict(\"ペイジェントでは増額できません", "if amount > current+1000 {\n\t\t\treturn nil, conflict(\"ペイジェントでは増額できません",
		"Paygent: an increase planned"},
	{"backend/payment/plans.go", "u.AmountCaptured = p.AmountCaptured // keep the original sale", "u.AmountCaptured = newSale // keep the original sale",
		"GMO 部分返金 records the lowered sale as the sale, losing the original"},

	// Each gateway's status and field mapping.
	{"backend/gmo/gateway.go", "\"RETURNX\":       backend.StateRefunded,", "\"RETURNX\":       backend.StateVoided,",
		"GMO RETURNX (月跨返品) read as 取消"},
	{"backend/gmo/gateway.go", "\"CHECK\":         backend.StateReserved,", "\"CHECK\":         backend.StateAuthorized,",
		"GMO CHECK (有効性チェック) read as an authorisation"},
	{"backend/gmo/gateway.go", "\"PAYSUCCESS\":  backend.StateDeposited,", "\"PAYSUCCESS\":  backend.StateAwaitingDeposit,",
		"GMO konbini PAYSUCCESS not read as paid"},
	{"backend/gmo/gateway.go", "PaidAt: ParseTime(a[\"FinishDate\"])", "PaidAt: ParseTime(a[\"ProcessDate\"])",
		"GMO deposit date taken from ProcessDate instead of FinishDate"},
	{"backend/gmo/gateway.go", "amount := yen(a[\"Amount\"]) + tax", "amount := yen(a[\"Amount\"])",
		"GMO amounts read without the tax"},
	{"backend/gmo/gateway.go", "case \"AUTH\", \"SAUTH\", \"CAPTURE\":\n\t\t// ProcessDate", "case \"AUTH\", \"SAUTH\", \"CAPTURE\", \"SALES\":\n\t\t// ProcessDate",
		"GMO: a sale's date taken as the authorisation's"},
	{"backend/sbps/gateway.go", "DepositCancelled: backend.StateExpired,", "DepositCancelled: backend.StateVoided,",
		"SBPS deposit 9 (取消) read as stopped by the shop"},
	{"backend/sbps/gateway.go", "case status == StatusAuthorized && commit == CommitNone:", "case false && commit == CommitNone:",
		"SBPS: an authorisation never committed (確定) read as authorised"},
	{"backend/sbps/gateway.go", "StatusRefundRequested:   backend.StateNeedsReview,", "StatusRefundRequested:   backend.StateRefunded,",
		"SBPS 6 (返金要求) read as refunded"},
	{"backend/sbps/gateway.go", "case !refund && status == StatusAuthorized, refund && (status == StatusCaptured || status == StatusPartiallyRefunded):", "case !refund && status == StatusAuthorized, refund && status == StatusCaptured:",
		"SBPS: a partially refunded sale cannot be refunded in full"},
	{"backend/paygent/status.go", "\"41\": backend.StateCaptured,", "\"41\": backend.StateRefunded,",
		"Paygent 41 (消込済・売上取消期限切) read as cancelled"},
	{"backend/paygent/status.go", "\"35\": backend.StateNeedsReview,", "\"35\": backend.StateCaptured,",
		"Paygent 35 (売上要求済) read as captured before the card company confirms"},
	{"backend/paygent/status.go", "\"43\": backend.StateDeposited,", "\"43\": backend.StateAwaitingDeposit,",
		"Paygent 43 (速報検知済) not read as paid"},
	{"backend/paygent/status.go", "\"33\": backend.StateExpired,", "\"33\": backend.StateVoided,",
		"Paygent 33 (オーソリ期限切) read as cancelled by the shop"},
	{"backend/paygent/gateway.go", "v.PaymentDeadline = ParseDeadline(r[\"payment_limit_date\"])", "v.PaymentDeadline = ParseDeadline(r[\"payment_date\"])",
		"Paygent deadline read from the wrong field"},
	{"backend/paygent/gateway.go", "v.ProcessedAt = ParseTime(r[\"cancel_date\"])", "v.ProcessedAt = ParseTime(r[\"payment_date\"])",
		"Paygent: a cancel dated by the sale"},
}

func main() {
	if _, err := os.Stat(".git"); err == nil {
		fmt.Fprintln(os.Stderr, "mutants rewrites source files: run it on a copy of the tree (make mutate)")
		os.Exit(2)
	}
	killed, stale := 0, 0
	var lived []mutant
	for i, m := range mutants {
		orig, err := os.ReadFile(m.file)
		if err != nil || strings.Count(string(orig), m.old) != 1 {
			fmt.Printf("  STALE  %s: the text to change is not found once — update build/mutants (%s)\n", m.file, m.rule)
			stale++
			continue
		}
		if err := os.WriteFile(m.file, []byte(strings.Replace(string(orig), m.old, m.new, 1)), 0o644); err != nil {
			panic(err)
		}
		start := time.Now()
		out, err := exec.Command("go", "test", "-count=1", "-timeout=10m", pkgOf(m.file)).CombinedOutput()
		if werr := os.WriteFile(m.file, orig, 0o644); werr != nil {
			panic(werr)
		}
		switch {
		case err == nil:
			lived = append(lived, m)
			fmt.Printf("  LIVED  %2d %s: %s\n", i+1, m.file, m.rule)
		case strings.Contains(string(out), "[build failed]") || strings.Contains(string(out), "[setup failed]"):
			fmt.Printf("  STALE  %2d %s: the mutant does not build — update build/mutants (%s)\n", i+1, m.file, m.rule)
			stale++
		default:
			killed++
			fmt.Printf("  KILLED %2d %s: %s (%.0fs)\n", i+1, m.file, m.rule, time.Since(start).Seconds())
		}
	}
	fmt.Printf("rule mutants: %d of %d killed\n", killed, len(mutants)-stale)
	if len(lived) > 0 || stale > 0 {
		os.Exit(1)
	}
}
