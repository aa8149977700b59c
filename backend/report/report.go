// Package report is 売上集計: the sales of a period by day, week or month (JST), by
// gateway profile and payment method with refunds and cancels netted; the
// authorisations still to capture and the deposits still awaited, by when; and the
// month's gateway fees from the journal. Everything is read from the local database:
// it works offline.
package report

import (
	"context"
	"fmt"
	"sort"
	"time"

	"kessaidesk/backend"
)

// Store is what the reports read.
type Store interface {
	backend.ReportStore
	Profiles(ctx context.Context) ([]*backend.GatewayProfile, error)
}

// Granularity is the length of a period of the sales report.
type Granularity string

const (
	Day   Granularity = "day"
	Week  Granularity = "week" // Monday to Sunday, as Japanese business calendars run
	Month Granularity = "month"
)

// MaxPeriods bounds a report (a day report of three years would be unreadable).
const MaxPeriods = 1200

// Period is one day, week or month of a report.
type Period struct {
	Start time.Time // 00:00 JST
	End   time.Time // the next period's start
	Label string    // "2026/11/03", "2026/11/02〜11/08", "2026/11"
}

// Periods splits [from, to) into periods of g: the first starts on or before from
// (the Monday of its week, the first of its month); from and to are JST days.
func Periods(g Granularity, from, to time.Time) ([]Period, error) {
	from, to = dayStart(from), dayStart(to)
	if !to.After(from) {
		return nil, backend.Errorf(backend.EINVALID, "期間の終わりは始まりより後の日にしてください", "the period must end after it starts")
	}
	start := from
	switch g {
	case Day:
	case Week:
		start = start.AddDate(0, 0, -((int(start.Weekday()) + 6) % 7))
	case Month:
		start = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, backend.JST)
	default:
		return nil, backend.Errorf(backend.EINVALID, "集計の単位は日・週・月から選んでください", "choose day, week or month")
	}
	var out []Period
	for s := start; s.Before(to); {
		var e time.Time
		var label string
		switch g {
		case Day:
			e, label = s.AddDate(0, 0, 1), s.Format("2006/01/02")
		case Week:
			e = s.AddDate(0, 0, 7)
			label = s.Format("2006/01/02") + "〜" + e.AddDate(0, 0, -1).Format("01/02")
		case Month:
			e, label = s.AddDate(0, 1, 0), s.Format("2006/01")
		}
		out = append(out, Period{Start: s, End: e, Label: label})
		if len(out) > MaxPeriods {
			return nil, backend.Errorf(backend.EINVALID, "期間が長すぎます（%d区切りまで）。週または月で集計してください",
				"the period is too long (at most %d); group by week or month", MaxPeriods)
		}
		s = e
	}
	return out, nil
}

func dayStart(t time.Time) time.Time {
	t = t.In(backend.JST)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, backend.JST)
}

// Figures are the sums of one line of the sales report.
type Figures struct {
	Count    int
	Gross    backend.Yen // captured or deposited
	Refunded backend.Yen // refunds and cancels of those sales
	Net      backend.Yen // Gross − Refunded
}

func (f *Figures) add(s backend.SalesDay) {
	f.Count += s.Count
	f.Gross += s.Gross
	f.Refunded += s.Refunded
	f.Net += s.Gross - s.Refunded
}

// SalesLine is one period × profile × method of the sales report.
type SalesLine struct {
	Period      int // index into Sales.Periods
	ProfileID   int64
	ProfileName string
	Method      backend.PaymentMethod
	Figures
}

// Sales is the sales report.
type Sales struct {
	Filter      backend.ReportFilter
	Granularity Granularity
	Periods     []Period
	Lines       []SalesLine // by period, then profile, then method; empty combinations left out
	PerPeriod   []Figures   // one per period
	Total       Figures
}

// Service computes the reports.
type Service struct {
	Store Store
	Clock backend.Clock
}

// Sales sums the sales of f's period by g.
func (s *Service) Sales(ctx context.Context, f backend.ReportFilter, g Granularity) (*Sales, error) {
	if f.Basis == "" {
		f.Basis = backend.BasisSale
	}
	if f.Basis != backend.BasisSale && f.Basis != backend.BasisOrdered {
		return nil, backend.Errorf(backend.EINVALID, "集計の基準は売上日か注文日を選んでください", "count by sale date or order date")
	}
	periods, err := Periods(g, f.From, f.To)
	if err != nil {
		return nil, err
	}
	// The periods cover whole weeks and months; the sums cover exactly what was asked.
	f.From, f.To = dayStart(f.From), dayStart(f.To)
	days, err := s.Store.SalesByDay(ctx, f)
	if err != nil {
		return nil, err
	}
	names, err := s.profileNames(ctx)
	if err != nil {
		return nil, err
	}
	r := &Sales{Filter: f, Granularity: g, Periods: periods, PerPeriod: make([]Figures, len(periods))}
	type key struct {
		period  int
		profile int64
		method  backend.PaymentMethod
	}
	lines := map[key]*SalesLine{}
	for _, d := range days {
		i := sort.Search(len(periods), func(i int) bool { return periods[i].End.After(d.Day) })
		if i == len(periods) {
			continue
		}
		k := key{i, d.ProfileID, d.Method}
		l := lines[k]
		if l == nil {
			l = &SalesLine{Period: i, ProfileID: d.ProfileID, ProfileName: names[d.ProfileID], Method: d.Method}
			lines[k] = l
		}
		l.add(d)
		r.PerPeriod[i].add(d)
		r.Total.add(d)
	}
	for _, l := range lines {
		r.Lines = append(r.Lines, *l)
	}
	sort.Slice(r.Lines, func(i, j int) bool {
		a, b := r.Lines[i], r.Lines[j]
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		if a.ProfileID != b.ProfileID {
			return a.ProfileID < b.ProfileID
		}
		return methodOrder(a.Method) < methodOrder(b.Method)
	})
	return r, nil
}

func methodOrder(m backend.PaymentMethod) int {
	for i, x := range backend.PaymentMethods {
		if x == m {
			return i
		}
	}
	return len(backend.PaymentMethods)
}

func (s *Service) profileNames(ctx context.Context) (map[int64]string, error) {
	ps, err := s.Store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{0: "（ゲートウェイなし）"}
	for _, p := range ps {
		names[p.ID] = p.Name
	}
	return names, nil
}

// DueLine is money still to come on one day from one profile and method.
type DueLine struct {
	Day         time.Time // zero = no date known
	DaysLeft    int       // JST calendar days from today; negative = past
	ProfileID   int64
	ProfileName string
	Method      backend.PaymentMethod
	Count       int
	Amount      backend.Yen
}

// DueBand sums the lines whose day falls in a band of days left.
type DueBand struct {
	Code   string // "past", "today", "3", "7", "14", "30", "later", "unknown"
	Count  int
	Amount backend.Yen
}

// Due is the 仮売上 outstanding or the deposits awaited.
type Due struct {
	Lines []DueLine // by day, then profile, then method
	Bands []DueBand // every band, in order, even when empty
	Total DueBand
}

// Outstanding lists the authorisations still to capture, by the day they lapse.
func (s *Service) Outstanding(ctx context.Context, f backend.ReportFilter) (*Due, error) {
	lines, err := s.Store.AuthsDue(ctx, f)
	if err != nil {
		return nil, err
	}
	return s.due(ctx, lines)
}

// Deposits lists the konbini / Pay-easy / net-bank payments awaited, by deadline.
func (s *Service) Deposits(ctx context.Context, f backend.ReportFilter) (*Due, error) {
	lines, err := s.Store.DepositsDue(ctx, f)
	if err != nil {
		return nil, err
	}
	return s.due(ctx, lines)
}

var dueBands = []string{"past", "today", "3", "7", "14", "30", "later", "unknown"}

func band(d backend.DueDay, left int) string {
	switch {
	case d.Day.IsZero():
		return "unknown"
	case left < 0:
		return "past"
	case left == 0:
		return "today"
	case left <= 3:
		return "3"
	case left <= 7:
		return "7"
	case left <= 14:
		return "14"
	case left <= 30:
		return "30"
	}
	return "later"
}

func (s *Service) due(ctx context.Context, days []backend.DueDay) (*Due, error) {
	names, err := s.profileNames(ctx)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	r := &Due{Lines: []DueLine{}}
	idx := map[string]int{}
	for i, code := range dueBands {
		r.Bands = append(r.Bands, DueBand{Code: code})
		idx[code] = i
	}
	for _, d := range days {
		left := 0
		if !d.Day.IsZero() {
			left = backend.DaysBetweenJST(now, d.Day)
		}
		r.Lines = append(r.Lines, DueLine{Day: d.Day, DaysLeft: left, ProfileID: d.ProfileID, ProfileName: names[d.ProfileID],
			Method: d.Method, Count: d.Count, Amount: d.Amount})
		b := &r.Bands[idx[band(d, left)]]
		b.Count += d.Count
		b.Amount += d.Amount
		r.Total.Count += d.Count
		r.Total.Amount += d.Amount
	}
	// Undated lines last: they need the operator's look most of all, but sort after the dated.
	sort.SliceStable(r.Lines, func(i, j int) bool {
		a, b := r.Lines[i], r.Lines[j]
		if a.Day.IsZero() != b.Day.IsZero() {
			return b.Day.IsZero()
		}
		return a.Day.Before(b.Day)
	})
	return r, nil
}

// FeeLine is one profile and operation kind of the month's fees.
type FeeLine struct {
	ProfileID   int64
	ProfileName string
	Kind        backend.OpKind
	Billable    int
	Unresolved  int // outcome still unknown: billed once it is settled (if it reached the gateway)
	FeePerOp    backend.Yen
	Fee         backend.Yen
}

// Fees is the month's gateway fees.
type Fees struct {
	Month      string // "2026-11"
	Lines      []FeeLine
	Billable   int
	Unresolved int
	Total      backend.Yen
}

// ParseMonth reads "2026-11" as the JST month.
func ParseMonth(month string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01", month, backend.JST)
	if err != nil {
		return time.Time{}, backend.Errorf(backend.EINVALID, "月は 2026-11 の形で入力してください", "enter the month as 2026-11")
	}
	return t, nil
}

// FeeFor is what one operation of the kind costs at the profile: the schedule's fee
// for the kind, or the profile's fee for every operation.
func FeeFor(p *backend.GatewayProfile, schedule backend.FeeSchedule, kind backend.OpKind) backend.Yen {
	if fee, ok := schedule[kind]; ok {
		return fee
	}
	if p == nil {
		return 0
	}
	return p.FeePerOperation
}

// Fees counts the month's billable operations per profile and kind and prices them.
func (s *Service) Fees(ctx context.Context, month string) (*Fees, error) {
	from, err := ParseMonth(month)
	if err != nil {
		return nil, err
	}
	counts, err := s.Store.OperationCounts(ctx, from, from.AddDate(0, 1, 0))
	if err != nil {
		return nil, err
	}
	schedules, err := s.Store.GatewayFees(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.Store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*backend.GatewayProfile{}
	for _, p := range ps {
		byID[p.ID] = p
	}
	r := &Fees{Month: from.Format("2006-01"), Lines: []FeeLine{}}
	for _, c := range counts {
		p := byID[c.ProfileID]
		name := fmt.Sprintf("#%d", c.ProfileID)
		if p != nil {
			name = p.Name
		}
		fee := FeeFor(p, schedules[c.ProfileID], c.Kind)
		l := FeeLine{ProfileID: c.ProfileID, ProfileName: name, Kind: c.Kind, Billable: c.Billable, Unresolved: c.Unresolved,
			FeePerOp: fee, Fee: fee * backend.Yen(c.Billable)}
		r.Lines = append(r.Lines, l)
		r.Billable += l.Billable
		r.Unresolved += l.Unresolved
		r.Total += l.Fee
	}
	sort.SliceStable(r.Lines, func(i, j int) bool {
		a, b := r.Lines[i], r.Lines[j]
		if a.ProfileID != b.ProfileID {
			return a.ProfileID < b.ProfileID
		}
		return kindOrder(a.Kind) < kindOrder(b.Kind)
	})
	return r, nil
}

func kindOrder(k backend.OpKind) int {
	for i, x := range backend.BillableKinds {
		if x == k {
			return i
		}
	}
	return len(backend.BillableKinds)
}
