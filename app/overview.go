package app

import (
	"kessaidesk/backend"
)

// Overview is ホーム: the morning in one look. Each count is the size of a work list
// the window links to; amounts are integer yen.
type Overview struct {
	Orders int  `json:"orders"` // orders in the shop (0: nothing imported yet)
	Demo   bool `json:"demo"`   // the demo shop's sandbox is among the profiles

	ToCapture               []CaptureBucket `json:"toCapture"`
	ToCaptureCount          int             `json:"toCaptureCount"`
	ToCaptureAmount         int64           `json:"toCaptureAmount"`
	ToCaptureNoExpiry       int             `json:"toCaptureNoExpiry"`
	ToCaptureNoExpiryAmount int64           `json:"toCaptureNoExpiryAmount"`

	CaptureFailed       int          `json:"captureFailed"`
	CaptureFailedAmount int64        `json:"captureFailedAmount"`
	FailReasons         []FailReason `json:"failReasons"`

	AwaitingDeposit       int   `json:"awaitingDeposit"`
	AwaitingDepositAmount int64 `json:"awaitingDepositAmount"`
	OverdueDeposit        int   `json:"overdueDeposit"`
	OverdueDepositAmount  int64 `json:"overdueDepositAmount"`

	NeedsReview  int `json:"needsReview"`
	Unresolved   int `json:"unresolved"`
	Stale        int `json:"stale"`
	Drifts       int `json:"drifts"`
	StopShipping int `json:"stopShipping"`
	CancelStock  int `json:"cancelStock"`
	Unlinked     int `json:"unlinked"`

	Sync []ProfileHealth `json:"sync"`
}

// CaptureBucket is 仮売上 lapsing within minDays..maxDays days (JST, inclusive); a
// bound is null when the range is open on that side (null..-1 = already lapsed).
type CaptureBucket struct {
	MinDays *int  `json:"minDays"`
	MaxDays *int  `json:"maxDays"`
	Count   int   `json:"count"`
	Amount  int64 `json:"amount"`
}

// FailReason is one answer of the gateway behind 売上失敗 and how many orders have it.
type FailReason struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Count   int    `json:"count"`
}

// ProfileHealth is how one gateway profile's sync stands. State is "ok" (lastSuccess
// is when), "error" (the last run failed: reason; lastSuccess is the one before),
// "offline" (since when, reason) or "never" (not synced yet).
type ProfileHealth struct {
	ProfileID   int64  `json:"profileId"`
	Name        string `json:"name"`
	Demo        bool   `json:"demo"`
	State       string `json:"state"`
	LastSuccess string `json:"lastSuccess"`
	Since       string `json:"since"` // offline since, or the failed attempt's time
	Reason      string `json:"reason"`
}

// Overview returns ホーム's counts and each gateway profile's sync health.
func (o *Orders) Overview() (*Overview, error) {
	ctx := o.s.Ctx()
	now := o.s.Clock.Now()
	w := Work{s: o.s}
	lang := o.s.lang(ctx)
	ov, err := o.s.Store.Overview(ctx, now, w.staleBefore(now))
	if err != nil {
		return nil, err
	}
	logFirstScreen("ホーム")
	out := &Overview{
		Orders: ov.Orders, ToCapture: []CaptureBucket{}, ToCaptureNoExpiry: ov.ToCaptureNoExpiry,
		ToCaptureNoExpiryAmount: int64(ov.ToCaptureNoExpiryAmount),
		CaptureFailed:           ov.CaptureFailed, CaptureFailedAmount: int64(ov.CaptureFailedAmount), FailReasons: []FailReason{},
		AwaitingDeposit: ov.AwaitingDeposit, AwaitingDepositAmount: int64(ov.AwaitingDepositAmount),
		OverdueDeposit: ov.OverdueDeposit, OverdueDepositAmount: int64(ov.OverdueDepositAmount),
		NeedsReview: ov.NeedsReview, Unresolved: ov.Unresolved, Stale: ov.Stale, Drifts: ov.Drifts,
		StopShipping: ov.StopShipping, CancelStock: ov.CancelStock, Unlinked: ov.Unlinked, Sync: []ProfileHealth{},
	}
	out.ToCaptureCount, out.ToCaptureAmount = ov.ToCaptureNoExpiry, int64(ov.ToCaptureNoExpiryAmount)
	for _, b := range ov.ToCapture {
		cb := CaptureBucket{Count: b.Count, Amount: int64(b.Amount)}
		if b.MinDays != -backend.Unbounded {
			cb.MinDays = &b.MinDays
		}
		if b.MaxDays != backend.Unbounded {
			cb.MaxDays = &b.MaxDays
		}
		out.ToCapture = append(out.ToCapture, cb)
		out.ToCaptureCount += b.Count
		out.ToCaptureAmount += int64(b.Amount)
	}
	for _, r := range ov.FailReasons {
		// the window's language; a failure journalled before English was kept stays Japanese
		out.FailReasons = append(out.FailReasons, FailReason{Code: r.Code, Message: pick(lang, r.Message, r.MessageEn), Count: r.Count})
	}
	profs, err := o.s.Store.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range profs {
		out.Demo = out.Demo || p.Demo
		st, err := o.s.Store.SyncStatus(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		out.Sync = append(out.Sync, profileHealth(p, st, lang))
	}
	return out, nil
}

// profileHealth reads the sync's record of a profile: a failed or offline profile is
// reported as such with the reason, never by the time of an older success alone.
func profileHealth(p *backend.GatewayProfile, st *backend.SyncStatus, lang string) ProfileHealth {
	h := ProfileHealth{ProfileID: p.ID, Name: p.Name, Demo: p.Demo, LastSuccess: jst(st.LastSuccess),
		Reason: pick(lang, st.LastError, st.LastErrorEn)}
	switch {
	case !st.OfflineSince.IsZero():
		h.State, h.Since = "offline", jst(st.OfflineSince)
	case st.LastError != "" || st.Failures > 0:
		h.State, h.Since = "error", jst(st.LastAttempt)
	case st.LastSuccess.IsZero():
		h.State = "never"
	default:
		h.State = "ok"
	}
	return h
}
