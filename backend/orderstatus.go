package backend

// The 対応状況 an operator sets by hand in 受注詳細 (発送済み after shipping, 保留 …).
// Two traps of the back offices are closed here: キャンセル set by hand while the
// payment still holds money keeps charging the customer (the manuals' "必ずキャンセル処理
// を行わないとお客様に請求がかかります"), and 入金済み set by hand on a payment still to be
// captured or paid hides that no money came in. The キャンセル and 売上 actions do both
// steps at once; the status alone is only offered where it cannot mislead.

// manualStatuses are the ones an operator may set; 決済処理中 and 予約 are the
// checkout's and the import's.
var manualStatuses = []OrderStatus{OrderNew, OrderAwaitingDeposit, OrderPaid, OrderShipped, OrderOnHold, OrderCancelled}

// StatusChoices lists the 対応状況 the operator may set on the order now (its current
// one included, first in the usual order).
func StatusChoices(o *Order, pays []*Payment) []OrderStatus {
	var out []OrderStatus
	current := false
	for _, s := range manualStatuses {
		if s == o.Status || CheckStatusChange(o, pays, s) == nil {
			out = append(out, s)
			current = current || s == o.Status
		}
	}
	if !current {
		out = append([]OrderStatus{o.Status}, out...)
	}
	return out
}

// CheckStatusChange says why the order's 対応状況 cannot be set to s by hand, or nil.
func CheckStatusChange(o *Order, pays []*Payment, s OrderStatus) error {
	allowed := false
	for _, m := range manualStatuses {
		allowed = allowed || m == s
	}
	if !allowed {
		return Errorf(EINVALID, "対応状況「%[1]s」は手動では設定できません", "the status %[2]q cannot be set by hand", s.Label(), s.LabelEn())
	}
	for _, p := range pays {
		switch {
		case s == OrderCancelled && holdsMoney(p.State):
			return Errorf(ECONFLICT, "決済が「%[1]s」のため、対応状況だけをキャンセルにはできません。決済欄の「キャンセル」で決済と対応状況を同時にキャンセルしてください",
				"the payment is %[2]q: use the payment's Cancel, which cancels the payment and the order together", p.State.Label(), p.State.LabelEn())
		case s == OrderPaid && (p.State == StateAuthorized || p.State == StateCaptureFailed):
			return Errorf(ECONFLICT, "決済がまだ「%[1]s」です。入金済みにするには決済欄の「売上」を行ってください（売上と同時に対応状況が変わります）",
				"the payment is still %[2]q: capture it (the status changes with the capture)", p.State.Label(), p.State.LabelEn())
		case s == OrderPaid && p.State == StateAwaitingDeposit:
			return Errorf(ECONFLICT, "ゲートウェイでまだ入金が確認されていません（入金待ち）。入金は同期で自動的に反映されます",
				"the gateway has not confirmed the deposit yet; the sync records it when it does")
		}
	}
	return nil
}

// holdsMoney: a payment in this state still holds or may still take the customer's money.
func holdsMoney(s PaymentState) bool {
	switch s {
	case StateVoided, StateRefunded, StateExpired:
		return false
	}
	return true
}
