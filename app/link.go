package app

import (
	"kessaidesk/backend"
	"kessaidesk/backend/csvimport"
	"kessaidesk/backend/link"
)

// Link is the 連携 area: tying imported orders to their transactions at the gateway.
type Link struct{ s *Services }

// TxIds are a transaction's ids as the operator typed them (or a file carried them).
type TxIds struct {
	GatewayOrderID string `json:"gatewayOrderId"` // GMO OrderID, SBPS order_id, Paygent trading_id
	TranID         string `json:"tranId"`         // GMO AccessID, SBPS tracking_id, Paygent payment_id
	TranPass       string `json:"tranPass"`       // GMO AccessPass
}

func (t TxIds) ids() backend.TransactionIDs {
	return backend.TransactionIDs{GatewayOrderID: t.GatewayOrderID, GatewayTranID: t.TranID, GatewayTranPass: t.TranPass}
}

// TxView is a transaction as the gateway reports it (never its password).
type TxView struct {
	ProfileID         int64  `json:"profileId"`
	Gateway           string `json:"gateway"`
	GatewayLabel      string `json:"gatewayLabel"`
	Method            Label  `json:"method"`
	GatewayOrderID    string `json:"gatewayOrderId"`
	TranID            string `json:"tranId"`
	State             Label  `json:"state"`
	RawStatus         string `json:"rawStatus"`
	Amount            int64  `json:"amount"`
	Tax               int64  `json:"tax"`
	ProcessedAt       string `json:"processedAt"`
	AuthorizedAt      string `json:"authorizedAt"`
	AmountFromConsole bool   `json:"amountFromConsole"`
	Error             string `json:"error"` // this id's problem when several were checked
}

func txView(t *backend.Transaction) TxView {
	v := t.View
	amount := v.AmountAuthorized
	if amount == 0 {
		amount = v.AmountCaptured
	}
	return TxView{ProfileID: t.ProfileID, Gateway: string(t.Gateway), GatewayLabel: t.Gateway.Label(), Method: methodLabel(t.Method),
		GatewayOrderID: t.GatewayOrderID, TranID: t.GatewayTranID, State: stateLabel(v.State), RawStatus: v.RawStatus,
		Amount: int64(amount), Tax: int64(v.Tax), ProcessedAt: jst(v.ProcessedAt), AuthorizedAt: jst(v.AuthorizedAt),
		AmountFromConsole: t.AmountFromConsole}
}

func reviewView(rv *backend.Review) *Review {
	out := &Review{FoundAt: jst(rv.FoundAt), OperationID: rv.OperationID, Candidates: []TxView{}}
	for i := range rv.Candidates {
		out.Candidates = append(out.Candidates, txView(&rv.Candidates[i]))
	}
	return out
}

// LinkRow is one line of the 未連携 list.
type LinkRow struct {
	OrderID        int64    `json:"orderId"`
	OrderNo        string   `json:"orderNo"`
	CustomerName   string   `json:"customerName"`
	Method         Label    `json:"method"`
	Total          int64    `json:"total"`
	OrderedAt      string   `json:"orderedAt"`
	Status         Label    `json:"status"`
	Reason         string   `json:"reason"`
	ReasonEn       string   `json:"reasonEn"`
	GatewayOrderID string   `json:"gatewayOrderId"`
	ProfileID      int64    `json:"profileId"`
	Candidates     []TxView `json:"candidates"`
}

func linkRow(l *backend.OrderLink) LinkRow {
	r := LinkRow{OrderID: l.OrderID, OrderNo: l.OrderNo, CustomerName: l.CustomerName, Method: methodLabel(l.Method),
		Total: int64(l.Total), OrderedAt: jst(l.OrderedAt), Status: Label{Code: string(l.Status), Ja: l.Status.Label(), En: l.Status.LabelEn()},
		Reason: l.Reason, ReasonEn: l.ReasonEn, GatewayOrderID: l.GatewayOrderID, ProfileID: l.ProfileID, Candidates: []TxView{}}
	if r.Reason == "" && l.Status == backend.LinkPending {
		r.Reason, r.ReasonEn = "次の連携でゲートウェイに照会します", "asked at the next link run"
	}
	for i := range l.Candidates {
		r.Candidates = append(r.Candidates, txView(&l.Candidates[i]))
	}
	return r
}

// Start runs the link in the background (progress in "link:progress"): profileID 0 =
// the profile of each order's method; no order ids = every order that needs a payment.
func (l *Link) Start(profileID int64, orderIDs []int64) error {
	return l.s.System.Links.Start(l.s.Ctx(), link.RunOptions{ProfileID: profileID, OrderIDs: orderIDs, Actor: l.s.operator(l.s.Ctx())})
}

// Cancel stops the run; the rest waits for the next one.
func (l *Link) Cancel() { l.s.System.Links.Cancel() }

// Progress is where the current (or last) run stands.
func (l *Link) Progress() link.Progress { return l.s.System.Links.Progress() }

// Unlinked is the 未連携 list.
func (l *Link) Unlinked() ([]LinkRow, error) {
	list, err := l.s.System.Links.Unlinked(l.s.Ctx(), 1000)
	if err != nil {
		return nil, err
	}
	out := []LinkRow{}
	for i := range list {
		out = append(out, linkRow(&list[i]))
	}
	return out, nil
}

// Check asks the gateway about pasted ids (several side by side); it saves nothing.
func (l *Link) Check(orderID, profileID int64, ids []TxIds) ([]TxView, error) {
	in := make([]backend.TransactionIDs, len(ids))
	for i, id := range ids {
		in[i] = id.ids()
	}
	checked, err := l.s.System.Links.Check(l.s.Ctx(), orderID, profileID, in)
	if err != nil {
		return nil, err
	}
	out := make([]TxView, len(checked))
	for i, c := range checked {
		if c.Transaction != nil {
			out[i] = txView(c.Transaction)
		} else {
			out[i] = TxView{GatewayOrderID: c.IDs.GatewayOrderID, TranID: c.IDs.GatewayTranID, State: stateLabel("")}
		}
		if c.Err != nil {
			out[i].Error = backend.ErrorMessage(c.Err, l.s.lang(l.s.Ctx()))
		}
	}
	return out, nil
}

// Attach checks the ids with the gateway again and links the transaction to the order.
// amount is the SBPS amount as its console shows it (its inquiry has none); ignored for
// the other gateways, whose own answer gives the amount.
func (l *Link) Attach(orderID, profileID int64, ids TxIds, amount int64) error {
	ctx := l.s.Ctx()
	_, err := l.s.System.Links.Attach(ctx, orderID, profileID, ids.ids(), backend.Yen(amount), l.s.operator(ctx))
	return err
}

// Choose links one of an ambiguous order's candidates (0-based), checked again first.
func (l *Link) Choose(orderID int64, candidate int) error {
	ctx := l.s.Ctx()
	_, err := l.s.System.Links.Choose(ctx, orderID, candidate, l.s.operator(ctx))
	return err
}

// ConsoleLayouts are the gateway consoles' transaction CSV layouts.
func (l *Link) ConsoleLayouts() []link.ConsoleLayout { return link.ConsoleLayouts() }

// ConsoleImportRequest is a gateway console's transaction CSV to link from.
type ConsoleImportRequest struct {
	Path      string              `json:"path"`
	Encoding  string              `json:"encoding"`
	ProfileID int64               `json:"profileId"`
	Layout    string              `json:"layout"`
	Inline    *link.ConsoleLayout `json:"inline"`
}

// ConsoleLine is a row that linked nothing.
type ConsoleLine struct {
	Line           int    `json:"line"`
	GatewayOrderID string `json:"gatewayOrderId"`
	Reason         string `json:"reason"`
}

// ConsoleImportResult says what the console CSV linked.
type ConsoleImportResult struct {
	Rows      int           `json:"rows"`
	Orders    int           `json:"orders"`
	Linked    int           `json:"linked"`
	Already   int           `json:"already"`
	Ambiguous int           `json:"ambiguous"`
	NotFound  int           `json:"notFound"`
	Failed    int           `json:"failed"`
	Unmatched []ConsoleLine `json:"unmatched"`
	Problems  []ConsoleLine `json:"problems"`
	Cancelled bool          `json:"cancelled"`
}

// ImportConsole links orders from a gateway console's transaction CSV (progress in
// "link:progress"); every row it links is checked with the gateway first.
func (l *Link) ImportConsole(req ConsoleImportRequest) (*ConsoleImportResult, error) {
	ctx := l.s.Ctx()
	rep, err := l.s.System.Links.ImportConsole(ctx, link.ConsoleRequest{Path: req.Path, Encoding: csvimport.Encoding(req.Encoding),
		ProfileID: req.ProfileID, Layout: req.Layout, Inline: req.Inline, Actor: l.s.operator(ctx)})
	if err != nil {
		return nil, err
	}
	lang := l.s.lang(ctx)
	lines := func(in []link.ConsoleLine) []ConsoleLine {
		out := []ConsoleLine{}
		for _, c := range in {
			r := c.Reason
			if lang == "en" && c.ReasonEn != "" {
				r = c.ReasonEn
			}
			out = append(out, ConsoleLine{Line: c.Line, GatewayOrderID: c.GatewayOrderID, Reason: r})
		}
		return out
	}
	return &ConsoleImportResult{Rows: rep.Rows, Orders: rep.Orders, Linked: rep.Linked, Already: rep.Already, Ambiguous: rep.Ambiguous,
		NotFound: rep.NotFound, Failed: rep.Failed, Unmatched: lines(rep.Unmatched), Problems: lines(rep.Problems), Cancelled: rep.Cancelled}, nil
}
