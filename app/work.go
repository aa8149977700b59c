package app

import (
	"strconv"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
	"kessaidesk/backend/sync"
)

// Work is the 作業リスト area: what needs the operator today, the sync with the
// gateways and the differences it found, キャンセル在庫 and 要返金.
type Work struct{ s *Services }

// WorkListInfo is one work list with its count.
type WorkListInfo struct {
	Code  string `json:"code"`
	Ja    string `json:"ja"`
	En    string `json:"en"`
	Count int    `json:"count"`
}

var workListLabels = map[string][2]string{
	sqlstore.ListStopShipping:    {"出荷を止める", "Stop shipping"},
	sqlstore.ListToCapture:       {"売上待ち（与信期限の近い順）", "To capture (by days left)"},
	sqlstore.ListCaptureFailed:   {"売上失敗", "Capture failed"},
	sqlstore.ListNeedsReview:     {"要確認・結果不明", "Needs review / unknown outcome"},
	sqlstore.ListOverdueDeposit:  {"入金待ち（期限超過）", "Awaiting deposit past the deadline"},
	sqlstore.ListStaleProcessing: {"決済処理中のまま", "Stuck in processing"},
	ListUnlinked:                 {"未連携", "Not linked"},
}

// ListUnlinked is the 未連携 list: orders not yet tied to their gateway transaction
// (Link.Unlinked gives its rows, each with the reason).
const ListUnlinked = "unlinked"

func (w *Work) staleBefore(now time.Time) time.Time {
	m := settingInt(w.s, sync.SettingStaleMinutes, 60)
	return now.Add(-time.Duration(m) * time.Minute)
}

// Lists returns every work list with its count.
func (w *Work) Lists() ([]WorkListInfo, error) {
	now := w.s.Clock.Now()
	counts, err := w.s.Store.WorkListCounts(w.s.Ctx(), now, w.staleBefore(now))
	if err != nil {
		return nil, err
	}
	out := []WorkListInfo{}
	for _, code := range sqlstore.WorkLists {
		l := workListLabels[code]
		out = append(out, WorkListInfo{Code: code, Ja: l[0], En: l[1], Count: counts[code]})
	}
	unlinked, err := w.s.System.Links.Unlinked(w.s.Ctx(), 1000)
	if err != nil {
		return nil, err
	}
	l := workListLabels[ListUnlinked]
	return append(out, WorkListInfo{Code: ListUnlinked, Ja: l[0], En: l[1], Count: len(unlinked)}), nil
}

// List returns the orders of one work list, most urgent first.
func (w *Work) List(code string) ([]OrderRow, error) {
	now := w.s.Clock.Now()
	ctx := w.s.Ctx()
	rows, err := w.s.Store.WorkList(ctx, code, now, w.staleBefore(now), 1000)
	if err != nil {
		return nil, err
	}
	out := orderRows(rows, now)
	if err := withPaymentVersions(ctx, w.s.Store, out); err != nil {
		return nil, err
	}
	return out, nil
}

// SyncState is the sync status shown in the header and on the work screen.
type SyncState struct {
	Profiles []ProfileSync `json:"profiles"`
	Drifts   int           `json:"drifts"`
}

// ProfileSync is the last sync of one gateway profile.
type ProfileSync struct {
	ProfileID    int64  `json:"profileId"`
	Name         string `json:"name"`
	LastSuccess  string `json:"lastSuccess"`
	OfflineSince string `json:"offlineSince"`
	LastError    string `json:"lastError"`
}

// SyncStatus says when each gateway was last synced and whether it is reachable.
func (w *Work) SyncStatus() (*SyncState, error) {
	ctx := w.s.Ctx()
	profs, err := w.s.Store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	out := &SyncState{Profiles: []ProfileSync{}}
	lang := w.s.lang(ctx)
	for _, p := range profs {
		st, err := w.s.Store.SyncStatus(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		out.Profiles = append(out.Profiles, ProfileSync{ProfileID: p.ID, Name: p.Name, LastSuccess: jst(st.LastSuccess),
			OfflineSince: jst(st.OfflineSince), LastError: pick(lang, st.LastError, st.LastErrorEn)})
	}
	drifts, err := w.s.Store.Drifts(ctx)
	if err != nil {
		return nil, err
	}
	out.Drifts = len(drifts)
	return out, nil
}

// SyncNow asks for a sync run at once (今すぐ同期); progress arrives as events.
func (w *Work) SyncNow() error {
	if w.s.System == nil || w.s.System.Syncer == nil {
		return backend.Errorf(backend.EUNSUPPORTED, "同期は使えません", "sync is not available")
	}
	w.s.System.Syncer.RunNow()
	return nil
}

// DriftRow is one difference between our state and the gateway's.
type DriftRow struct {
	PaymentID     int64  `json:"paymentId"`
	OrderID       int64  `json:"orderId"`
	OrderNo       string `json:"orderNo"`
	CustomerName  string `json:"customerName"`
	FoundAt       string `json:"foundAt"`
	OurState      Label  `json:"ourState"`
	GatewayState  Label  `json:"gatewayState"`
	OurAmount     int64  `json:"ourAmount"`
	GatewayAmount int64  `json:"gatewayAmount"`
	Detail        string `json:"detail"`
	// Hold: the order is on 「出荷を止める」 for this payment (キャンセルにする or keep it).
	Hold bool `json:"hold"`
}

// Drifts lists the differences the sync found; nothing is fixed without a click.
func (w *Work) Drifts() ([]DriftRow, error) {
	ctx := w.s.Ctx()
	ds, err := w.s.Store.Drifts(ctx)
	if err != nil {
		return nil, err
	}
	holds, err := w.s.Store.ShippingHolds(ctx)
	if err != nil {
		return nil, err
	}
	lang := w.s.lang(ctx) // a difference listed before English was kept stays Japanese
	held := map[int64]bool{}
	for _, h := range holds {
		held[h.PaymentID] = true
	}
	out := []DriftRow{}
	for _, d := range ds {
		out = append(out, DriftRow{PaymentID: d.PaymentID, OrderID: d.OrderID, OrderNo: d.OrderNo, CustomerName: d.CustomerName,
			FoundAt: jst(d.FoundAt), OurState: stateLabel(d.OurState), GatewayState: stateLabel(d.GatewayState),
			OurAmount: int64(d.OurAmount), GatewayAmount: int64(d.GatewayAmount), Detail: pick(lang, d.Detail, d.DetailEn), Hold: held[d.PaymentID]})
	}
	return out, nil
}

// HoldRow is one order of 「出荷を止める」: its payment was cancelled or refunded at the
// gateway before it was shipped.
type HoldRow struct {
	PaymentID    int64  `json:"paymentId"`
	OrderID      int64  `json:"orderId"`
	OrderNo      string `json:"orderNo"`
	CustomerName string `json:"customerName"`
	Status       Label  `json:"status"`
	Total        int64  `json:"total"`
	Gateway      string `json:"gateway"`
	GatewayState Label  `json:"gatewayState"`
	FoundAt      string `json:"foundAt"`
	Detail       string `json:"detail"`
}

// Holds lists 「出荷を止める」, oldest first.
func (w *Work) Holds() ([]HoldRow, error) {
	ctx := w.s.Ctx()
	hs, err := w.s.Store.ShippingHolds(ctx)
	if err != nil {
		return nil, err
	}
	lang := w.s.lang(ctx)
	out := []HoldRow{}
	for _, h := range hs {
		out = append(out, HoldRow{PaymentID: h.PaymentID, OrderID: h.OrderID, OrderNo: h.OrderNo, CustomerName: h.CustomerName,
			Status: statusLabel(h.OrderStatus), Total: int64(h.Total), Gateway: h.Gateway.Label(), GatewayState: stateLabel(h.GatewayState),
			FoundAt: jst(h.FoundAt), Detail: pick(lang, h.Detail, h.DetailEn)})
	}
	return out, nil
}

// CancelHeldOrder answers 「出荷を止める」 with キャンセルにする: the payment takes the
// gateway's state and the order becomes キャンセル (nothing is sent to the gateway).
func (w *Work) CancelHeldOrder(paymentID int64) error {
	ctx := w.s.Ctx()
	return w.s.System.Syncer.CancelHeldOrder(ctx, paymentID, w.s.operator(ctx))
}

// KeepHeldOrder answers 「出荷を止める」 by keeping the order as it is.
func (w *Work) KeepHeldOrder(paymentID int64) error {
	ctx := w.s.Ctx()
	return w.s.System.Syncer.KeepHeldOrder(ctx, paymentID, w.s.operator(ctx))
}

// AcceptGateway fixes a difference by taking the gateway's state as ours.
func (w *Work) AcceptGateway(paymentID int64) error {
	ctx := w.s.Ctx()
	return w.s.System.Syncer.AcceptGateway(ctx, paymentID, w.s.operator(ctx))
}

// PushOurs fixes a difference by sending the operation that brings the gateway to our state.
func (w *Work) PushOurs(paymentID int64) (string, error) {
	ctx := w.s.Ctx()
	res, err := w.s.System.Syncer.PushOurs(ctx, paymentID, w.s.operator(ctx))
	if err != nil {
		return "", err
	}
	return pick(w.s.lang(ctx), res.Message, res.MessageEn), nil
}

// StockRow is one line of the キャンセル在庫 list.
type StockRow struct {
	ID          int64  `json:"id"`
	OrderID     int64  `json:"orderId"`
	OrderNo     string `json:"orderNo"`
	ProductCode string `json:"productCode"`
	ProductName string `json:"productName"`
	Variant     string `json:"variant"`
	Quantity    int64  `json:"quantity"`
	Status      string `json:"status"` // pending 未対応, returned 在庫戻し済
	CreatedAt   string `json:"createdAt"`
}

// CancelStock lists キャンセル在庫 by status ("pending", "returned", "" = all).
func (w *Work) CancelStock(status string) ([]StockRow, error) {
	items, err := w.s.Store.CancelStock(w.s.Ctx(), status)
	if err != nil {
		return nil, err
	}
	out := []StockRow{}
	for _, it := range items {
		out = append(out, StockRow{ID: it.ID, OrderID: it.OrderID, OrderNo: it.OrderNo, ProductCode: it.ProductCode,
			ProductName: it.ProductName, Variant: it.Variant, Quantity: it.Quantity, Status: it.Status, CreatedAt: jst(it.CreatedAt)})
	}
	return out, nil
}

// MarkStockReturned marks キャンセル在庫 lines 在庫戻し済 (bulk).
func (w *Work) MarkStockReturned(ids []int64) error {
	if len(ids) == 0 {
		return backend.Errorf(backend.EINVALID, "在庫戻し済にする行を選んでください", "choose the lines to mark")
	}
	return w.s.Store.MarkStockReturned(w.s.Ctx(), ids)
}

// RefundRow is one 要返金(口座) task: money to return by bank transfer.
type RefundRow struct {
	ID           int64  `json:"id"`
	OrderID      int64  `json:"orderId"`
	OrderNo      string `json:"orderNo"`
	CustomerName string `json:"customerName"`
	Amount       int64  `json:"amount"`
	Reason       string `json:"reason"`
	Status       string `json:"status"` // open 未対応, done 返金済
	CreatedAt    string `json:"createdAt"`
	DoneAt       string `json:"doneAt"`
	Operator     string `json:"operator"`
}

// RefundTasks lists 要返金 tasks by status ("open", "done", "" = all).
func (w *Work) RefundTasks(status string) ([]RefundRow, error) {
	ctx := w.s.Ctx()
	ts, err := w.s.Store.RefundTasks(ctx, status)
	if err != nil {
		return nil, err
	}
	lang := w.s.lang(ctx) // a task recorded before English was kept stays Japanese
	out := []RefundRow{}
	for _, t := range ts {
		out = append(out, RefundRow{ID: t.ID, OrderID: t.OrderID, OrderNo: t.OrderNo, CustomerName: t.CustomerName,
			Amount: int64(t.Amount), Reason: pick(lang, t.Reason, t.ReasonEn), Status: t.Status, CreatedAt: jst(t.CreatedAt), DoneAt: jst(t.DoneAt), Operator: t.Operator})
	}
	return out, nil
}

// CompleteRefundTask records that the bank refund was made.
func (w *Work) CompleteRefundTask(id int64) error {
	ctx := w.s.Ctx()
	return w.s.Store.CompleteRefundTask(ctx, id, w.s.operator(ctx))
}

// FeeRow is one gateway profile's fees of a month: the 売上集計 fee report's lines of
// the profile summed (the report has them per operation kind, each at its own fee).
type FeeRow struct {
	ProfileName string `json:"profileName"`
	Month       string `json:"month"`
	Operations  int    `json:"operations"` // billable
	Unresolved  int    `json:"unresolved"` // outcome still unknown: billed once settled, if it reached the gateway
	Fee         int64  `json:"fee"`
}

// Fees is the month's ("2026-11") gateway fees per profile, as 売上集計 counts them
// (report.Service.Fees: the one rule of what is billable).
func (w *Work) Fees(month string) ([]FeeRow, error) {
	r, err := (&Reports{w.s}).service().Fees(w.s.Ctx(), month)
	if err != nil {
		return nil, err
	}
	out := []FeeRow{}
	for i, l := range r.Lines { // by profile, then kind
		if i == 0 || r.Lines[i-1].ProfileID != l.ProfileID {
			out = append(out, FeeRow{ProfileName: l.ProfileName, Month: r.Month})
		}
		row := &out[len(out)-1]
		row.Operations += l.Billable
		row.Unresolved += l.Unresolved
		row.Fee += int64(l.Fee)
	}
	return out, nil
}

func settingInt(s *Services, key string, def int) int {
	v, _ := s.Store.Setting(s.Ctx(), key)
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return def
	}
	return n
}
