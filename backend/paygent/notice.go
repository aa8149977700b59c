package paygent

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/gwhttp"
)

// Difference inquiry (決済情報差分照会, 091) — opt-in.
//
// 091 returns the merchant's next not-yet-delivered change notice, one per call, until
// success_code=1 (nothing more). Notices are numbered 1, 2, 3… per merchant; Paygent
// counts a notice delivered when it answers, even if the answer is lost on the way,
// and purges notices after 7 days. Any notice can be asked for again by its number
// (payment_notice_id). The cursor is ONE PER MERCHANT: if the shop's back office (or
// Paygent's push variant) also reads 091, each reader takes notices from the other.
// That is why the per-payment inquiry (094, Inquire) is the default and this is an
// explicit opt-in the operator must confirm.
//
// The caller keeps, between runs, the highest notice id it holds and the ids still
// missing (NoticeCursor); FetchNotices fills gaps by id. Notices come back even with
// an error: they are already taken from Paygent and must be stored.

// Notice is one change notice.
type Notice struct {
	ID               int64
	ChangeDate       time.Time
	PaymentID        string
	TradingID        string
	PaymentType      string
	Status           string // payment_status
	State            backend.PaymentState
	Known            bool // State is meaningful (the status is known for the type)
	Method           backend.PaymentMethod
	Amount           backend.Yen
	InitDate         time.Time // payment_init_date
	LimitDate        time.Time // payment_limit_date (deposits: the deadline)
	CancelDate       time.Time
	UserPaymentDate  time.Time // the customer paid (konbini 速報)
	PaymentDate      time.Time // 消込: captured / deposit confirmed
	BankCode         string
	CvsCompanyID     string
	RelatedPaymentID string // set when the customer paid twice (duplicate payment)
	// Refetched: fetched by its id to fill a gap, not from the cursor.
	Refetched bool
}

// View is the notice as a gateway view of its payment.
func (n Notice) View() *backend.GatewayView {
	v := &backend.GatewayView{Found: true, State: n.State, RawStatus: n.Status, AmountAuthorized: n.Amount}
	if !n.Known {
		v.State = backend.StateNeedsReview
	}
	if n.PaymentType == TypeCard {
		v.AuthorizedAt = n.InitDate
		if v.State == backend.StateCaptured {
			v.AmountCaptured, v.ProcessedAt = n.Amount, n.PaymentDate
		}
		return v
	}
	v.PaymentDeadline = n.LimitDate
	if v.State == backend.StateDeposited {
		v.PaidAt = n.PaymentDate
		if v.PaidAt.IsZero() {
			v.PaidAt = n.UserPaymentDate
		}
	}
	v.ProcessedAt = n.ChangeDate
	return v
}

// NoticeCursor is what the caller keeps between runs (in its own store).
type NoticeCursor struct {
	MaxID   int64   // the highest notice id received so far (0 = none yet)
	Missing []int64 // ids known to exist (or suspected) but not received yet
}

// NoticeRun is the outcome of FetchNotices.
type NoticeRun struct {
	Notices   []Notice // every notice received, in id order (new ones and gap fills)
	Refetched []int64  // ids fetched by id to fill gaps
	// Cursor is the caller's new cursor: store it with the notices.
	Cursor NoticeCursor
	// Purged: Paygent reported (success_code 2) that notices were purged before anyone
	// read them (more than 7 days undelivered). Their payments must be inquired one by
	// one (094); the ids below Cursor.MaxID that never arrive are in Cursor.Missing.
	Purged bool
	Calls  int // 091 requests sent
}

// NoticeOptions bound a run.
type NoticeOptions struct {
	MaxCalls int // safety bound on 091 requests in one run (0 = 2000)
}

// Success codes of 091.
const (
	noticeData    = "0"
	noticeNone    = "1"
	noticePurged  = "2" // data returned, and older notices were purged before delivery
	maxNoticeCall = 2000
)

// FetchNotices reads every undelivered notice (091 without id, one per call, until
// nothing is left), then asks by id for every id missing between the cursor and the
// highest id now seen, and for the ids the cursor says were still missing. Runs are
// serialised per client. On an error the notices received so far are returned with it
// (they are gone from Paygent's cursor) and the cursor accounts for them; after an
// answer that may have been lost, the next id is marked missing so the next run asks
// for it by number.
func (c *Client) FetchNotices(ctx context.Context, cur NoticeCursor, opt NoticeOptions) (*NoticeRun, error) {
	c.notices.Lock()
	defer c.notices.Unlock()
	limit := opt.MaxCalls
	if limit <= 0 {
		limit = maxNoticeCall
	}
	run := &NoticeRun{}
	got := map[int64]bool{}
	maxID := cur.MaxID
	add := func(n Notice) {
		if n.ID <= 0 || got[n.ID] {
			return
		}
		got[n.ID] = true
		run.Notices = append(run.Notices, n)
		maxID = max(maxID, n.ID)
	}
	finish := func(err error) (*NoticeRun, error) {
		slices.SortFunc(run.Notices, func(a, b Notice) int { return cmp.Compare(a.ID, b.ID) })
		missing := map[int64]bool{}
		for _, id := range cur.Missing {
			missing[id] = true
		}
		for id := cur.MaxID + 1; id < maxID; id++ {
			missing[id] = true
		}
		for id := range got {
			delete(missing, id)
		}
		run.Cursor = NoticeCursor{MaxID: maxID}
		for id := range missing {
			run.Cursor.Missing = append(run.Cursor.Missing, id)
		}
		slices.Sort(run.Cursor.Missing)
		return run, err
	}
	// 1. The cursor: one notice per call until none is left.
	for {
		if run.Calls >= limit {
			return finish(backend.Errorf(backend.EGATEWAY, "差分照会が%d回を超えたため中断しました。次回の同期で続きを取得します", "the difference inquiry stopped after %d calls; the next sync continues", limit))
		}
		run.Calls++
		n, code, err := c.noticeCall(ctx, "")
		if err != nil {
			if backend.ErrorClassOf(err) == backend.ClassUnknown {
				// The answer may have been lost after Paygent counted the notice
				// delivered: ask for the next number explicitly next time.
				cur.Missing = append(cur.Missing, maxID+1)
			}
			return finish(err)
		}
		if code == noticeNone {
			break
		}
		if code == noticePurged {
			run.Purged = true
		}
		add(n)
	}
	// 2. Gaps: ids between the cursor and the newest seen, and ids missing before.
	want := map[int64]bool{}
	for _, id := range cur.Missing {
		want[id] = true
	}
	for id := cur.MaxID + 1; id < maxID; id++ {
		want[id] = true
	}
	var gaps []int64
	for id := range want {
		if !got[id] {
			gaps = append(gaps, id)
		}
	}
	slices.Sort(gaps)
	for _, id := range gaps {
		if run.Calls >= limit {
			return finish(nil)
		}
		run.Calls++
		n, code, err := c.noticeCall(ctx, strconv.FormatInt(id, 10))
		if err != nil {
			return finish(err)
		}
		if code == noticeNone || n.ID != id {
			continue // purged, or not issued yet: it stays missing
		}
		n.Refetched = true
		run.Refetched = append(run.Refetched, id)
		add(n)
	}
	return finish(nil)
}

// noticeCall sends one 091: the next notice (id "") or the notice with that id.
func (c *Client) noticeCall(ctx context.Context, id string) (Notice, string, error) {
	var f []Field
	if id != "" {
		f = append(f, Field{"payment_notice_id", id})
	}
	if c.cfg.SiteID != "" {
		f = append(f, Field{"site_id", c.cfg.SiteID})
	}
	r, err := c.call(ctx, KindNoticeInquiry, f, "success_code")
	if err != nil {
		return Notice{}, "", err
	}
	code := r["success_code"]
	switch code {
	case noticeNone:
		return Notice{}, code, nil
	case noticeData, noticePurged:
	default:
		return Notice{}, "", gwhttp.Unknownf(nil, "差分照会の応答の success_code「%s」を理解できません", "unknown success_code %q in the difference inquiry", clip(code))
	}
	n, err := parseNotice(r)
	if err != nil {
		return Notice{}, "", err
	}
	return n, code, nil
}

func parseNotice(r Response) (Notice, error) {
	id, err := strconv.ParseInt(r["payment_notice_id"], 10, 64)
	if err != nil || id <= 0 {
		return Notice{}, gwhttp.Unknownf(nil, "差分照会の応答に通知番号（payment_notice_id）がありません", "the difference inquiry answer has no payment_notice_id")
	}
	n := Notice{
		ID: id, ChangeDate: ParseTime(r["change_date"]), PaymentID: r["payment_id"], TradingID: r["trading_id"],
		PaymentType: r["payment_type"], Status: r["payment_status"], Amount: yen(r["payment_amount"]),
		InitDate: ParseTime(r["payment_init_date"]), LimitDate: ParseDeadline(r["payment_limit_date"]),
		CancelDate: ParseTime(r["cancel_date"]), UserPaymentDate: ParseTime(r["user_payment_date"]),
		PaymentDate: ParseTime(r["payment_date"]), BankCode: r["bank_code"], CvsCompanyID: r["cvs_company_id"],
		RelatedPaymentID: r["related_payment_id"],
	}
	n.State, n.Known = StateOf(n.PaymentType, n.Status)
	n.Method = MethodOf(n.PaymentType)
	return n, nil
}
