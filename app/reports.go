package app

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/csvimport"
	"kessaidesk/backend/report"
)

// Reports is 売上集計: sales by period, 仮売上 outstanding, deposits awaited and the
// month's gateway fees, each with its CSV出力. It reads the local database only.
type Reports struct{ s *Services }

func (r *Reports) service() *report.Service {
	return &report.Service{Store: r.s.Store, Clock: r.s.Clock}
}

// ReportQuery is the 売上集計 form as typed.
type ReportQuery struct {
	From        string   `json:"from"` // YYYY-MM-DD, JST, inclusive
	To          string   `json:"to"`   // YYYY-MM-DD, JST, inclusive
	Granularity string   `json:"granularity"`
	Basis       string   `json:"basis"` // "sale" (売上日・入金日) or "ordered" (注文日)
	ProfileIDs  []int64  `json:"profileIds"`
	Methods     []string `json:"methods"`
}

func (q ReportQuery) filter(needDates bool) (backend.ReportFilter, error) {
	f := backend.ReportFilter{Basis: backend.ReportBasis(q.Basis), ProfileIDs: q.ProfileIDs}
	for _, m := range q.Methods {
		pm := backend.PaymentMethod(m)
		if !pm.Valid() {
			return f, backend.Errorf(backend.EINVALID, "支払方法「%s」はありません", "unknown payment method %q", m)
		}
		f.Methods = append(f.Methods, pm)
	}
	if !needDates {
		return f, nil
	}
	from, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(q.From), backend.JST)
	if err != nil {
		return f, backend.Errorf(backend.EINVALID, "期間の始まりを 2026-11-01 の形で入力してください", "enter the start as 2026-11-01")
	}
	to, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(q.To), backend.JST)
	if err != nil {
		return f, backend.Errorf(backend.EINVALID, "期間の終わりを 2026-11-30 の形で入力してください", "enter the end as 2026-11-30")
	}
	f.From, f.To = from, to.AddDate(0, 0, 1)
	return f, nil
}

// Figures are the sums of one line.
type Figures struct {
	Count    int   `json:"count"`
	Gross    int64 `json:"gross"`
	Refunded int64 `json:"refunded"`
	Net      int64 `json:"net"`
}

func figures(f report.Figures) Figures {
	return Figures{Count: f.Count, Gross: int64(f.Gross), Refunded: int64(f.Refunded), Net: int64(f.Net)}
}

// PeriodView is one day, week or month.
type PeriodView struct {
	Label string `json:"label"`
	Start string `json:"start"`
}

// SalesLineView is one period × profile × method.
type SalesLineView struct {
	Period      int    `json:"period"`
	ProfileID   int64  `json:"profileId"`
	ProfileName string `json:"profileName"`
	Method      Label  `json:"method"`
	Figures
}

// SalesView is the sales report.
type SalesView struct {
	Periods   []PeriodView    `json:"periods"`
	Lines     []SalesLineView `json:"lines"`
	PerPeriod []Figures       `json:"perPeriod"`
	Total     Figures         `json:"total"`
}

func reportMethod(m backend.PaymentMethod) Label {
	return Label{Code: string(m), Ja: report.MethodLabel(m, "ja"), En: report.MethodLabel(m, "en")}
}

// Sales sums the sales of the period by day, week or month.
func (r *Reports) Sales(q ReportQuery) (*SalesView, error) {
	f, err := q.filter(true)
	if err != nil {
		return nil, err
	}
	rep, err := r.service().Sales(r.s.Ctx(), f, report.Granularity(q.Granularity))
	if err != nil {
		return nil, err
	}
	v := &SalesView{Periods: []PeriodView{}, Lines: []SalesLineView{}, PerPeriod: []Figures{}, Total: figures(rep.Total)}
	for _, p := range rep.Periods {
		v.Periods = append(v.Periods, PeriodView{Label: p.Label, Start: jst(p.Start)})
	}
	for _, l := range rep.Lines {
		v.Lines = append(v.Lines, SalesLineView{Period: l.Period, ProfileID: l.ProfileID, ProfileName: l.ProfileName,
			Method: reportMethod(l.Method), Figures: figures(l.Figures)})
	}
	for _, f := range rep.PerPeriod {
		v.PerPeriod = append(v.PerPeriod, figures(f))
	}
	return v, nil
}

// DueLineView is money still to come on one day.
type DueLineView struct {
	Day         string `json:"day"` // "" = no date known
	DaysLeft    int    `json:"daysLeft"`
	ProfileName string `json:"profileName"`
	Method      Label  `json:"method"`
	Count       int    `json:"count"`
	Amount      int64  `json:"amount"`
}

// DueBandView sums a band of days left ("past", "today", "3", "7", "14", "30", "later", "unknown").
type DueBandView struct {
	Code   string `json:"code"`
	Count  int    `json:"count"`
	Amount int64  `json:"amount"`
}

// DueView is the 仮売上 outstanding or the deposits awaited.
type DueView struct {
	Lines []DueLineView `json:"lines"`
	Bands []DueBandView `json:"bands"`
	Total DueBandView   `json:"total"`
}

func dueView(d *report.Due) *DueView {
	v := &DueView{Lines: []DueLineView{}, Bands: []DueBandView{}, Total: DueBandView{Code: "total", Count: d.Total.Count, Amount: int64(d.Total.Amount)}}
	for _, l := range d.Lines {
		v.Lines = append(v.Lines, DueLineView{Day: jst(l.Day), DaysLeft: l.DaysLeft, ProfileName: l.ProfileName, Method: reportMethod(l.Method),
			Count: l.Count, Amount: int64(l.Amount)})
	}
	for _, b := range d.Bands {
		v.Bands = append(v.Bands, DueBandView{Code: b.Code, Count: b.Count, Amount: int64(b.Amount)})
	}
	return v
}

// Outstanding lists the authorisations still to capture, by the day they lapse.
func (r *Reports) Outstanding(q ReportQuery) (*DueView, error) {
	f, err := q.filter(false)
	if err != nil {
		return nil, err
	}
	d, err := r.service().Outstanding(r.s.Ctx(), f)
	if err != nil {
		return nil, err
	}
	return dueView(d), nil
}

// Deposits lists the konbini / Pay-easy / net-bank payments awaited, by deadline.
func (r *Reports) Deposits(q ReportQuery) (*DueView, error) {
	f, err := q.filter(false)
	if err != nil {
		return nil, err
	}
	d, err := r.service().Deposits(r.s.Ctx(), f)
	if err != nil {
		return nil, err
	}
	return dueView(d), nil
}

// FeeLineView is one profile and operation kind of the month's fees.
type FeeLineView struct {
	ProfileID   int64  `json:"profileId"`
	ProfileName string `json:"profileName"`
	Kind        Label  `json:"kind"`
	Billable    int    `json:"billable"`
	Unresolved  int    `json:"unresolved"`
	FeePerOp    int64  `json:"feePerOp"`
	Fee         int64  `json:"fee"`
}

// FeesView is the month's gateway fees.
type FeesView struct {
	Month      string        `json:"month"`
	Lines      []FeeLineView `json:"lines"`
	Billable   int           `json:"billable"`
	Unresolved int           `json:"unresolved"`
	Total      int64         `json:"total"`
}

func kindLabel(k backend.OpKind) Label { return Label{Code: string(k), Ja: k.Label(), En: k.LabelEn()} }

// Fees counts the month's billable operations ("2026-11") and prices them.
func (r *Reports) Fees(month string) (*FeesView, error) {
	f, err := r.service().Fees(r.s.Ctx(), month)
	if err != nil {
		return nil, err
	}
	v := &FeesView{Month: f.Month, Lines: []FeeLineView{}, Billable: f.Billable, Unresolved: f.Unresolved, Total: int64(f.Total)}
	for _, l := range f.Lines {
		v.Lines = append(v.Lines, FeeLineView{ProfileID: l.ProfileID, ProfileName: l.ProfileName, Kind: kindLabel(l.Kind),
			Billable: l.Billable, Unresolved: l.Unresolved, FeePerOp: int64(l.FeePerOp), Fee: int64(l.Fee)})
	}
	return v, nil
}

// FeeScheduleView is one profile's fees per operation kind ("" = the profile's fee
// for every operation, Default).
type FeeScheduleView struct {
	ProfileID   int64             `json:"profileId"`
	ProfileName string            `json:"profileName"`
	Default     int64             `json:"default"`
	Kinds       []Label           `json:"kinds"`
	Fees        map[string]string `json:"fees"`
}

// FeeSchedules lists every profile's fees per operation kind.
func (r *Reports) FeeSchedules() ([]FeeScheduleView, error) {
	ctx := r.s.Ctx()
	ps, err := r.s.Store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	all, err := r.s.Store.GatewayFees(ctx)
	if err != nil {
		return nil, err
	}
	out := []FeeScheduleView{}
	for _, p := range ps {
		v := FeeScheduleView{ProfileID: p.ID, ProfileName: p.Name, Default: int64(p.FeePerOperation), Kinds: []Label{}, Fees: map[string]string{}}
		for _, k := range backend.BillableKinds {
			if !supportsAny(p.Kind, k) {
				continue
			}
			v.Kinds = append(v.Kinds, kindLabel(k))
			if fee, ok := all[p.ID][k]; ok {
				v.Fees[string(k)] = strconv.FormatInt(int64(fee), 10)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// supportsAny reports whether the gateway offers the operation for some method.
func supportsAny(g backend.GatewayKind, k backend.OpKind) bool {
	for _, m := range backend.PaymentMethods {
		if backend.Supports(g, m, k) {
			return true
		}
	}
	return false
}

// SaveFeeSchedule checks and saves a profile's fees per operation kind ("" = the
// profile's fee for every operation); bad input saves nothing.
func (r *Reports) SaveFeeSchedule(profileID int64, fees map[string]string) error {
	ctx := r.s.Ctx()
	if _, err := r.s.Store.ProfileByID(ctx, profileID); err != nil {
		return err
	}
	known := map[backend.OpKind]bool{}
	for _, k := range backend.BillableKinds {
		known[k] = true
	}
	sched := backend.FeeSchedule{}
	for kind, v := range fees {
		k := backend.OpKind(kind)
		if !known[k] {
			return backend.Errorf(backend.EINVALID, "操作「%s」に手数料は設定できません", "no fee can be set for %q", kind)
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10000 {
			return backend.Errorf(backend.EINVALID, "「%[1]s」の手数料は0〜10000円の半角数字で入力してください", "the fee for %[2]s is 0 to 10000 yen", k.Label(), k.LabelEn())
		}
		sched[k] = backend.Yen(n)
	}
	return r.s.Store.SetGatewayFees(ctx, profileID, sched)
}

// reportTable builds the table a CSV出力 writes: "sales", "outstanding", "deposits" or "fees".
func (r *Reports) reportTable(table string, q ReportQuery, month, lang string) (report.Table, string, error) {
	ctx := r.s.Ctx()
	svc := r.service()
	switch table {
	case "sales":
		f, err := q.filter(true)
		if err != nil {
			return report.Table{}, "", err
		}
		rep, err := svc.Sales(ctx, f, report.Granularity(q.Granularity))
		if err != nil {
			return report.Table{}, "", err
		}
		return rep.Table(lang), "売上集計_" + f.From.Format("20060102") + "-" + f.To.AddDate(0, 0, -1).Format("20060102"), nil
	case "outstanding", "deposits":
		f, err := q.filter(false)
		if err != nil {
			return report.Table{}, "", err
		}
		if table == "outstanding" {
			d, err := svc.Outstanding(ctx, f)
			if err != nil {
				return report.Table{}, "", err
			}
			return d.Table(lang, pick(lang, "仮売上の金額", "Authorised amount")), "仮売上残高", nil
		}
		d, err := svc.Deposits(ctx, f)
		if err != nil {
			return report.Table{}, "", err
		}
		return d.Table(lang, pick(lang, "入金予定の金額", "Amount awaited")), "入金予定", nil
	case "fees":
		fees, err := svc.Fees(ctx, month)
		if err != nil {
			return report.Table{}, "", err
		}
		return fees.Table(lang), "決済手数料_" + strings.ReplaceAll(fees.Month, "-", ""), nil
	}
	return report.Table{}, "", backend.Errorf(backend.EINVALID, "表「%s」はありません", "unknown table %q", table)
}

// ExportCSV writes one of the report's tables as CSV ("cp932" for Excel or "utf-8"
// with BOM) to path, or where the save dialog says when path is "". The file is
// written whole or not at all; the data folder is refused. Path "" in the result:
// the operator cancelled the dialog.
func (r *Reports) ExportCSV(table string, q ReportQuery, month, encoding, path string) (*ExportResult, error) {
	enc := csvimport.Encoding(encoding)
	if enc != csvimport.EncodingCP932 && enc != csvimport.EncodingUTF8 {
		return nil, backend.Errorf(backend.EINVALID, "文字コードは Shift_JIS（Excel向け）か UTF-8 を選んでください", "choose Shift_JIS or UTF-8")
	}
	t, name, err := r.reportTable(table, q, month, r.s.lang(r.s.Ctx()))
	if err != nil {
		return nil, err
	}
	// Encoded first: a character Shift_JIS cannot carry is refused before a dialog opens.
	var buf bytes.Buffer
	if err := csvimport.WriteTable(&buf, enc, t.Header, t.Rows); err != nil {
		return nil, err
	}
	path = strings.TrimSpace(path)
	if path == "" {
		if r.s.Dialogs == nil {
			return nil, backend.Errorf(backend.EUNSUPPORTED, "保存先を選ぶ画面を開けません。保存先のパスを入力してください", "the save dialog is not available; type the path")
		}
		if path, err = r.s.Dialogs.SaveCSV(pick(r.s.lang(r.s.Ctx()), "CSVの保存先", "Save the CSV as"), name+".csv"); err != nil || path == "" {
			return &ExportResult{}, err
		}
	}
	if err := csvimport.WriteFileAtomic(path, r.s.DataDir, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	}); err != nil {
		return nil, err
	}
	return &ExportResult{Path: path, Count: len(t.Rows)}, nil
}
