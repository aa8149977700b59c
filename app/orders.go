package app

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/payment"
)

// Orders is the 受注管理 area.
type Orders struct {
	s      *Services
	export exports
}

// Options returns the labelled choices of the search form.
func (o *Orders) Options() Options {
	var opt Options
	for _, s := range backend.OrderStatuses {
		opt.Statuses = append(opt.Statuses, statusLabel(s))
	}
	for _, m := range backend.PaymentMethods {
		opt.Methods = append(opt.Methods, methodLabel(m))
	}
	for _, s := range backend.PaymentStates {
		opt.PaymentStates = append(opt.PaymentStates, stateLabel(s))
	}
	return opt
}

// Search runs the 受注管理 search.
func (o *Orders) Search(q OrderSearch) (*OrderPage, error) {
	f, err := toFilter(q)
	if err != nil {
		return nil, err
	}
	ctx := o.s.Ctx()
	page, err := o.s.Store.FindOrders(ctx, f)
	if err != nil {
		return nil, err
	}
	logFirstScreen(fmt.Sprintf("受注一覧 (%d rows)", len(page.Rows)))
	now := o.s.Clock.Now()
	rows := orderRows(page.Rows, now)
	if err := withPaymentVersions(ctx, o.s.Store, rows); err != nil {
		return nil, err
	}
	return &OrderPage{Total: page.Total, TotalAtLeast: page.TotalAtLeast, Page: max(q.Page, 1), PageSize: f.Limit,
		Rows: rows, Next: page.Next}, nil
}

// withPaymentVersions sets each row's PaymentVersion, read in one look-up just after
// the rows: a bulk run of a selection sends them, so a payment changed after it was
// listed is not sent blindly. A payment whose state is no longer the row's changed
// between the two reads: its row gets an older version than the one read, which the
// run refuses like any other that changed since the list was read.
func withPaymentVersions(ctx context.Context, st backend.PaymentStore, rows []OrderRow) error {
	var ids []int64
	for _, r := range rows {
		if r.PaymentID != 0 {
			ids = append(ids, r.PaymentID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	pays, err := st.FindPayments(ctx, backend.PaymentFilter{IDs: ids})
	if err != nil {
		return err
	}
	byID := make(map[int64]*backend.Payment, len(pays))
	for _, p := range pays {
		byID[p.ID] = p
	}
	for i := range rows {
		p := byID[rows[i].PaymentID]
		switch {
		case p == nil:
		case rows[i].PaymentState.Code != string(p.State) && p.Version > 1:
			rows[i].PaymentVersion = p.Version - 1
		default:
			rows[i].PaymentVersion = p.Version
		}
	}
	return nil
}

// orderRows turns store rows into 受注一覧 rows (search results and work lists).
func orderRows(rows []backend.OrderRow, now time.Time) []OrderRow {
	out := []OrderRow{}
	for _, r := range rows {
		row := OrderRow{
			ID: r.ID, OrderNo: r.OrderNo, OrderedAt: jst(r.OrderedAt), UpdatedAt: jst(r.UpdatedAt),
			CustomerName: r.CustomerName, CustomerKana: r.CustomerKana, PaymentMethod: methodLabel(r.PaymentMethod),
			Total: int64(r.Total), Status: statusLabel(r.Status), PaymentID: r.PaymentID,
			PaymentState: stateLabel(r.PaymentState), Gateway: string(r.Gateway), AuthExpiresAt: jst(r.AuthExpiresAt),
			InFlight: r.InFlight, Demo: r.Source == "demo",
		}
		if r.PaymentState == backend.StateAuthorized && !r.AuthExpiresAt.IsZero() {
			d := backend.DaysBetweenJST(now, r.AuthExpiresAt)
			row.AuthDaysLeft = &d
		}
		out = append(out, row)
	}
	return out
}

func toFilter(q OrderSearch) (backend.OrderFilter, error) {
	f := backend.OrderFilter{
		OrderNoFrom: strings.TrimSpace(q.OrderNoFrom), OrderNoTo: strings.TrimSpace(q.OrderNoTo),
		Name: q.Name, Kana: q.Kana, Email: q.Email, Tel: q.Tel, Product: q.Product, Sort: q.Sort,
	}
	for _, s := range q.Statuses {
		st := backend.OrderStatus(s)
		if !st.Valid() {
			return f, backend.Errorf(backend.EINVALID, "対応状況「%s」は選べません", "unknown status %q", s)
		}
		f.Statuses = append(f.Statuses, st)
	}
	for _, m := range q.Methods {
		pm := backend.PaymentMethod(m)
		if !pm.Valid() {
			return f, backend.Errorf(backend.EINVALID, "支払方法「%s」は選べません", "unknown payment method %q", m)
		}
		f.Methods = append(f.Methods, pm)
	}
	for _, s := range q.PaymentStates {
		ps := backend.PaymentState(s)
		if !ps.Valid() {
			return f, backend.Errorf(backend.EINVALID, "決済状態「%s」は選べません", "unknown payment state %q", s)
		}
		f.PaymentStates = append(f.PaymentStates, ps)
	}
	var err error
	dates := []struct {
		in    string
		label backend.Text
		out   *time.Time
		end   bool
	}{
		{q.OrderedFrom, backend.Text{Ja: "受注日(開始)", En: "ordered from"}, &f.OrderedFrom, false},
		{q.OrderedTo, backend.Text{Ja: "受注日(終了)", En: "ordered to"}, &f.OrderedTo, true},
		{q.UpdatedFrom, backend.Text{Ja: "更新日(開始)", En: "updated from"}, &f.UpdatedFrom, false},
		{q.UpdatedTo, backend.Text{Ja: "更新日(終了)", En: "updated to"}, &f.UpdatedTo, true},
	}
	for _, d := range dates {
		if *d.out, err = parseDay(d.in, d.label, d.end); err != nil {
			return f, err
		}
	}
	if f.TotalMin, err = parseYen(q.TotalMin, backend.Text{Ja: "合計金額(下限)", En: "the minimum total"}); err != nil {
		return f, err
	}
	if f.TotalMax, err = parseYen(q.TotalMax, backend.Text{Ja: "合計金額(上限)", En: "the maximum total"}); err != nil {
		return f, err
	}
	if f.TotalMin != nil && f.TotalMax != nil && *f.TotalMin > *f.TotalMax {
		return f, backend.Errorf(backend.EINVALID, "合計金額の下限が上限より大きくなっています", "the minimum amount is larger than the maximum")
	}
	f.Limit = q.PageSize
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500)
	f.Offset = (max(q.Page, 1) - 1) * f.Limit
	f.After = q.After
	return f, nil
}

// parseDay reads YYYY-MM-DD (or YYYY/MM/DD) as a JST day; an end date is inclusive,
// so it becomes the start of the next day.
func parseDay(s string, label backend.Text, end bool) (time.Time, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "/", "-"))
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, backend.JST)
	if err != nil {
		return time.Time{}, backend.Errorf(backend.EINVALID, "%[1]sの日付「%[3]s」が読めません。2026-11-24 の形で入力してください", "%[2]s: cannot read the date %[3]q; use 2026-11-24",
			label.Ja, label.En, s)
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// parseYen reads an amount typed by the operator ("12,000", "１２０００", "12000円").
func parseYen(s string, label backend.Text) (*backend.Yen, error) {
	return parseAmount(s, label, false)
}

func parseAmount(s string, label backend.Text, required bool) (*backend.Yen, error) {
	clean := strings.NewReplacer(",", "", "，", "", "円", "", " ", "", "　", "", "¥", "", "￥", "").Replace(s)
	clean = toHalfWidthDigits(clean)
	if clean == "" {
		if required {
			return nil, backend.Errorf(backend.EINVALID, "%[1]sを入力してください", "enter the %[2]s", label.Ja, label.En)
		}
		return nil, nil
	}
	v, err := strconv.ParseInt(clean, 10, 64)
	if err != nil || v < 0 || v > 9_999_999_999 {
		return nil, backend.Errorf(backend.EINVALID, "%[1]s「%[3]s」は金額として読めません。半角数字（円単位）で入力してください", "%[2]s %[3]q is not an amount in yen",
			label.Ja, label.En, s)
	}
	y := backend.Yen(v)
	return &y, nil
}

func toHalfWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

// Detail returns the 受注詳細 of one order with its payments and journal.
func (o *Orders) Detail(orderID int64) (*OrderDetail, error) {
	return orderDetail(o.s, orderID)
}

func orderDetail(s *Services, orderID int64) (*OrderDetail, error) {
	ctx := s.Ctx()
	ord, err := s.Store.OrderByID(ctx, orderID)
	if err != nil {
		return nil, err
	}
	d := &OrderDetail{
		ID: ord.ID, OrderNo: ord.OrderNo, OrderedAt: jst(ord.OrderedAt), UpdatedAt: jst(ord.UpdatedAt),
		CustomerName: ord.CustomerName, CustomerKana: ord.CustomerKana, Email: ord.Email, Tel: ord.Tel,
		PaymentMethod: methodLabel(ord.PaymentMethod), Subtotal: int64(ord.Subtotal), Discount: int64(ord.Discount),
		Shipping: int64(ord.Shipping), Fee: int64(ord.Fee), PointsUsed: int64(ord.PointsUsed), Total: int64(ord.Total),
		Status: statusLabel(ord.Status), Memo: ord.Memo, Demo: ord.Source == "demo",
		Items: []LineItem{}, Payments: []Payment{}, Events: []OrderEvent{},
		Tax: int64(ord.Tax), Zip: ord.Zip, Address: ord.Address, ShipName: ord.ShipName, ShipZip: ord.ShipZip,
		ShipAddress: ord.ShipAddress, ShipTel: ord.ShipTel, DeliveryMethod: ord.DeliveryMethod, TrackingNo: ord.TrackingNo,
	}
	for _, it := range ord.Items {
		d.Items = append(d.Items, LineItem{ProductCode: it.ProductCode, ProductName: it.ProductName, Variant: it.Variant,
			UnitPrice: int64(it.UnitPrice), Quantity: it.Quantity, Amount: int64(it.UnitPrice) * it.Quantity})
	}
	pays, err := s.Store.PaymentsByOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	for _, p := range pays {
		dp := Payment{
			ID: p.ID, Gateway: string(p.Gateway), GatewayLabel: p.Gateway.Label(), Method: methodLabel(p.Method),
			State: stateLabel(p.State), RawStatus: p.RawStatus, GatewayOrderID: p.GatewayOrderID, GatewayTranID: p.GatewayTranID,
			AmountAuthorized: int64(p.AmountAuthorized), AmountCaptured: int64(p.AmountCaptured), AmountRefunded: int64(p.AmountRefunded),
			AuthorizedAt: jst(p.AuthorizedAt), CapturedAt: jst(p.CapturedAt), AuthExpiresAt: jst(p.AuthExpiresAt),
			PaymentDeadline: jst(p.PaymentDeadline), PaidAt: jst(p.PaidAt), LastSyncedAt: jst(p.LastSyncedAt),
			Operations: []Operation{}, Actions: []string{}, Tax: int64(p.Tax), ProcessedAt: jst(p.ProcessedAt),
			Version: p.Version,
		}
		if p.ProfileID != 0 {
			if prof, err := s.Store.ProfileByID(ctx, p.ProfileID); err == nil {
				dp.ProfileName, dp.Demo = prof.Name, prof.Demo
			}
		}
		if p.State == backend.StateAuthorized && !p.AuthExpiresAt.IsZero() {
			days := p.DaysUntilAuthExpiry(now)
			dp.AuthDaysLeft = &days
		}
		ops, err := s.Store.OperationsByPayment(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		amounts := journalAmounts(ops, p)
		for i := len(ops) - 1; i >= 0; i-- { // newest first
			op := toOperation(ops[i])
			op.NewIDNeeded = backend.CreatesTransaction(p.Gateway, ops[i].Kind)
			if op.Amount == 0 && amounts[i] > 0 {
				op.Amount, op.AmountImplied = int64(amounts[i]), true
			}
			dp.Operations = append(dp.Operations, op)
			if ops[i].State.Unresolved() {
				dp.InFlight = true
			}
		}
		if p.State == backend.StateNeedsReview {
			if rv, err := s.Store.Review(ctx, p.ID); err == nil {
				dp.Review = reviewView(rv)
			}
		}
		dp.Slip = slipView(p)
		if p.State == backend.StateCaptureFailed {
			dp.FailureReason = failureReason(ops, s.lang(s.Ctx()))
		}
		if dp.InFlight {
			dp.Actions = append(dp.Actions, "resolve")
		} else {
			dp.Actions = append(dp.Actions, payment.Actions(p, now)...)
		}
		d.Payments = append(d.Payments, dp)
	}
	if len(pays) == 0 && ord.PaymentMethod != backend.MethodOther && ord.Source != "demo" {
		// An order with a gateway method and no payment yet: the 決済を連携 panel.
		l, err := s.System.Links.State(ctx, orderID)
		switch {
		case err == nil:
			row := linkRow(l)
			d.Link = &row
		case backend.ErrorCode(err) == backend.ENOTFOUND:
			d.Link = &LinkRow{OrderID: ord.ID, OrderNo: ord.OrderNo, CustomerName: ord.CustomerName, Method: methodLabel(ord.PaymentMethod),
				Total: int64(ord.Total), OrderedAt: jst(ord.OrderedAt), Status: Label{Code: "", Ja: "未連携", En: "Not linked"},
				Candidates: []TxView{}}
		default:
			return nil, err
		}
	}
	for _, st := range backend.StatusChoices(ord, pays) {
		d.StatusChoices = append(d.StatusChoices, statusLabel(st))
	}
	events, err := s.Store.OrderEvents(ctx, orderID)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		d.Events = append(d.Events, OrderEvent{At: jst(e.At), Actor: e.Actor, PC: e.PC, Kind: e.Kind, Detail: e.Detail,
			DetailEn: cmp.Or(e.DetailEn, eventEn(&e))})
	}
	return d, nil
}
