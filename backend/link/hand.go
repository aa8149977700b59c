package link

import (
	"context"
	"strings"

	"kessaidesk/backend"
)

// Unlinked is the 未連携 work list: orders that need a payment and were looked up
// without success, each with why (Reason) and, when several, its candidates.
func (s *Service) Unlinked(ctx context.Context, limit int) ([]backend.OrderLink, error) {
	return s.Store.Unlinked(ctx, limit)
}

// State is where linking one order stands (受注詳細); ENOTFOUND when it was never queued.
func (s *Service) State(ctx context.Context, orderID int64) (*backend.OrderLink, error) {
	return s.Store.LinkState(ctx, orderID)
}

// Checked is one set of pasted ids as the gateway reports them: the transaction, or
// why it cannot be linked (Err, in the operator's words).
type Checked struct {
	IDs         backend.TransactionIDs
	Transaction *backend.Transaction
	Err         error
}

// Check asks the gateway about ids pasted for an order (受注詳細), several at once so
// the operator can compare them side by side — e.g. the payment_ids of one Paygent
// trading_id. It saves nothing. profileID 0 = the only profile for the order's method.
// The error is for what stops all checks (no order, no profile, no credentials); a
// problem with one set of ids is in its Checked.Err.
func (s *Service) Check(ctx context.Context, orderID, profileID int64, ids []backend.TransactionIDs) ([]Checked, error) {
	o, prof, finder, err := s.handSetup(ctx, orderID, profileID)
	if err != nil {
		return nil, err
	}
	out := make([]Checked, len(ids))
	for i, id := range ids {
		id = trimIDs(id)
		out[i].IDs = id
		if id == (backend.TransactionIDs{}) {
			out[i].Err = backend.Errorf(backend.EINVALID, "IDが入力されていません", "no id entered")
			continue
		}
		out[i].Transaction, out[i].Err = s.ask(ctx, prof, func() (*backend.Transaction, error) {
			return finder.LookupTransaction(ctx, o.PaymentMethod, id)
		})
	}
	return out, nil
}

// Attach checks pasted ids with the gateway again and makes the transaction the
// order's payment, with an order event naming actor. amount is required for SBPS,
// whose inquiry has no amount; for the other gateways it is ignored (their amount wins).
func (s *Service) Attach(ctx context.Context, orderID, profileID int64, ids backend.TransactionIDs, amount backend.Yen, actor string) (*backend.Payment, error) {
	o, prof, finder, err := s.handSetup(ctx, orderID, profileID)
	if err != nil {
		return nil, err
	}
	ids = trimIDs(ids)
	if ids == (backend.TransactionIDs{}) {
		return nil, backend.Errorf(backend.EINVALID, "IDを入力してください", "enter the ids")
	}
	tx, err := s.ask(ctx, prof, func() (*backend.Transaction, error) { return finder.LookupTransaction(ctx, o.PaymentMethod, ids) })
	if err != nil {
		return nil, err
	}
	if tx.Gateway == backend.GatewaySBPS {
		if err := validAmount(amount, prof.Kind); err != nil {
			return nil, err
		}
		withAmount(tx, amount)
	}
	return s.attachByHand(ctx, o, prof, tx, actor)
}

// Choose links an order waiting in LinkAmbiguous with one of its candidates (0-based),
// after asking the gateway about it again.
func (s *Service) Choose(ctx context.Context, orderID int64, candidate int, actor string) (*backend.Payment, error) {
	l, err := s.Store.LinkState(ctx, orderID)
	if err != nil {
		return nil, err
	}
	if l.Status != backend.LinkAmbiguous || len(l.Candidates) == 0 {
		return nil, backend.Errorf(backend.ECONFLICT, "この受注は候補から選ぶ状態ではありません（%[1]s）", "the order has no candidates to choose from (%[2]s)", l.Status.Label(), l.Status.LabelEn())
	}
	if candidate < 0 || candidate >= len(l.Candidates) {
		return nil, backend.Errorf(backend.EINVALID, "候補の番号が正しくありません（1〜%d）", "no such candidate (1–%d)", len(l.Candidates))
	}
	c := l.Candidates[candidate]
	o, prof, finder, err := s.handSetup(ctx, orderID, c.ProfileID)
	if err != nil {
		return nil, err
	}
	tx, err := s.ask(ctx, prof, func() (*backend.Transaction, error) { return finder.LookupTransaction(ctx, c.Method, c.TransactionIDs) })
	if err != nil {
		return nil, err
	}
	if tx.Gateway == backend.GatewaySBPS {
		if !c.AmountFromConsole {
			return nil, backend.Errorf(backend.EINVALID, "この候補には金額がありません（SBPSの照会には金額がありません）。受注詳細で金額を入力して連携してください",
				"the candidate has no amount (SBPS's inquiry has none): link it by hand with the amount")
		}
		withAmount(tx, c.View.AmountAuthorized)
		if tx.View.AuthorizedAt.IsZero() {
			tx.View.AuthorizedAt = c.View.AuthorizedAt // the console CSV's date, when it gave one
		}
	}
	return s.attachByHand(ctx, o, prof, tx, actor)
}

func (s *Service) attachByHand(ctx context.Context, o *backend.Order, prof *backend.GatewayProfile, tx *backend.Transaction, actor string) (*backend.Payment, error) {
	if actor == "" {
		actor = "担当者"
	}
	p := newPayment(o, prof, tx, s.now())
	if err := s.Store.AttachPayment(ctx, p, actor); err != nil {
		return nil, err
	}
	return p, nil
}

// handSetup reads the order and the profile to ask, and builds its client.
func (s *Service) handSetup(ctx context.Context, orderID, profileID int64) (*backend.Order, *backend.GatewayProfile, backend.TransactionFinder, error) {
	o, err := s.Store.OrderByID(ctx, orderID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !o.PaymentMethod.Valid() || o.PaymentMethod == backend.MethodOther {
		return nil, nil, nil, backend.Errorf(backend.EINVALID, "受注 %s の支払方法（%s）はゲートウェイの決済ではありません", "order %s is not paid through a gateway (%s)",
			o.OrderNo, o.PaymentMethod.Label())
	}
	profiles, err := s.Store.Profiles(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	var prof *backend.GatewayProfile
	if profileID != 0 {
		for _, p := range profiles {
			if p.ID == profileID && usable(p) {
				prof = p
			}
		}
		if prof == nil {
			return nil, nil, nil, backend.Errorf(backend.ENOTFOUND, "ゲートウェイ設定（ID %d）がありません", "gateway profile %d does not exist", profileID)
		}
	} else {
		p, out := s.chooseProfile(o, 0, 0, profiles)
		if p == nil {
			return nil, nil, nil, &backend.Error{Code: backend.EINVALID, Message: out.reason, MessageEn: out.reasonEn}
		}
		prof = p
	}
	finder, err := s.finder(ctx, prof)
	if err != nil {
		return nil, nil, nil, err
	}
	return o, prof, finder, nil
}

func trimIDs(ids backend.TransactionIDs) backend.TransactionIDs {
	return backend.TransactionIDs{GatewayOrderID: strings.TrimSpace(ids.GatewayOrderID),
		GatewayTranID: strings.TrimSpace(ids.GatewayTranID), GatewayTranPass: strings.TrimSpace(ids.GatewayTranPass)}
}

func validAmount(amount backend.Yen, kind backend.GatewayKind) error {
	switch {
	case amount <= 0:
		return backend.Errorf(backend.EINVALID, "SBPSの照会には金額がないため、決済金額を入力してください", "SBPS's inquiry has no amount: enter the payment's amount")
	case amount > backend.MaxAmount(kind):
		return backend.Errorf(backend.EINVALID, "金額 %s は%sの上限 %s を超えています", "the amount %s exceeds the %s limit %s",
			amount, kind.Label(), backend.MaxAmount(kind))
	}
	return nil
}
