package app

import (
	"strconv"
	"strings"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/profiles"
	"kessaidesk/backend/sbps"
	"kessaidesk/backend/sync"
)

// Gateways is the ゲートウェイ設定 area: profiles, their secrets (write-only: the UI
// learns only whether each is set) and the 接続テスト.
type Gateways struct{ s *Services }

// GatewayKindInfo describes a gateway for the profile form.
type GatewayKindInfo struct {
	Code              string       `json:"code"`
	Ja                string       `json:"ja"`
	MerchantLabel     string       `json:"merchantLabel"`
	SubLabel          string       `json:"subLabel"` // "" = not used
	Secrets           []SecretInfo `json:"secrets"`
	DefaultExpiryDays int          `json:"defaultExpiryDays"`
	TestHost          string       `json:"testHost"`
	ProductionHost    string       `json:"productionHost"`
	Supported         bool         `json:"supported"` // a client exists in this version
}

// SecretInfo is one secret field of a profile.
type SecretInfo struct {
	Name     string `json:"name"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
	Set      bool   `json:"set"`
}

// ProfileView is a saved profile as the settings screen shows it.
type ProfileView struct {
	ID              int64        `json:"id"`
	Name            string       `json:"name"`
	Kind            string       `json:"kind"`
	KindLabel       string       `json:"kindLabel"`
	Demo            bool         `json:"demo"`
	Environment     string       `json:"environment"`
	Host            string       `json:"host"`
	MerchantID      string       `json:"merchantId"`
	SubID           string       `json:"subId"`
	Methods         []string     `json:"methods"`
	AuthExpiryDays  int          `json:"authExpiryDays"`
	FeePerOperation int64        `json:"feePerOperation"`
	AutoCapture     bool         `json:"autoCapture"`
	Secrets         []SecretInfo `json:"secrets"`
	// DifferenceInquiry: the sync reads the gateway's change feed (Paygent 091).
	DifferenceInquiry bool `json:"differenceInquiry"`
	// LinkRule forms the gateway's id from the order number; LinkRuleText says it in words.
	LinkRule     LinkRule `json:"linkRule"`
	LinkRuleText string   `json:"linkRuleText"`
	// Paygent's 売上取消 window: counted from "sale" (売上日) or "auth" (オーソリ日), days.
	SalesCancelFrom string `json:"salesCancelFrom"`
	SalesCancelDays int    `json:"salesCancelDays"`
}

// LinkRule is backend.LinkRule for the form.
type LinkRule struct {
	Prefix        string `json:"prefix"`
	Suffix        string `json:"suffix"`
	RetrySuffixes bool   `json:"retrySuffixes"`
	Timestamped   bool   `json:"timestamped"`
}

// ProfileInput is the profile form as typed.
type ProfileInput struct {
	ID              int64             `json:"id"`
	Name            string            `json:"name"`
	Kind            string            `json:"kind"`
	Environment     string            `json:"environment"`
	Host            string            `json:"host"`
	MerchantID      string            `json:"merchantId"`
	SubID           string            `json:"subId"`
	Methods         []string          `json:"methods"`
	AuthExpiryDays  string            `json:"authExpiryDays"`
	FeePerOperation string            `json:"feePerOperation"`
	AutoCapture     bool              `json:"autoCapture"`
	Secrets         map[string]string `json:"secrets"` // "" = keep
	// DifferenceInquiry opts in to the change feed; only when the shop's back office
	// does not read it (its cursor is shared per merchant).
	DifferenceInquiry bool     `json:"differenceInquiry"`
	LinkRule          LinkRule `json:"linkRule"`
	// Paygent only: 売上取消の期限の起算日 "sale" (売上日, default) or "auth" (オーソリ日), and
	// the number of days as typed ("" = 60).
	SalesCancelFrom string `json:"salesCancelFrom"`
	SalesCancelDays string `json:"salesCancelDays"`
}

// TestResult is the 接続テスト outcome.
type TestResult struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

var kindFields = map[backend.GatewayKind][2]string{
	backend.GatewayGMO:     {"ショップID", ""},
	backend.GatewaySGP:     {"ショップID", ""},
	backend.GatewaySBPS:    {"マーチャントID", "サービスID"},
	backend.GatewayPaygent: {"マーチャントID", "接続ID"},
}

// linkExample is the order number the link rule is explained with.
const linkExample = "100123"

// Kinds lists the gateways a profile can be made for.
func (g *Gateways) Kinds() []GatewayKindInfo {
	out := []GatewayKindInfo{}
	for _, k := range profiles.Kinds {
		info := GatewayKindInfo{Code: string(k), Ja: k.Label(), MerchantLabel: kindFields[k][0], SubLabel: kindFields[k][1],
			DefaultExpiryDays: backend.DefaultAuthExpiryDays(k), Secrets: []SecretInfo{}}
		for _, sp := range profiles.Secrets(k) {
			info.Secrets = append(info.Secrets, SecretInfo{Name: sp.Name, Label: sp.Label, Required: sp.Required})
		}
		switch k {
		case backend.GatewayGMO, backend.GatewaySGP:
			info.Supported = true
			info.TestHost, info.ProductionHost = gmo.HostFor(k, backend.EnvTest), gmo.HostFor(k, backend.EnvProduction)
		case backend.GatewaySBPS:
			info.Supported = true
			info.TestHost, info.ProductionHost = sbps.HostFor(backend.EnvTest), sbps.HostFor(backend.EnvProduction)
		case backend.GatewayPaygent:
			info.Supported = true
			info.TestHost, info.ProductionHost = paygent.HostFor(backend.EnvTest), paygent.HostFor(backend.EnvProduction)
		}
		out = append(out, info)
	}
	return out
}

// List returns the saved profiles, the demo first.
func (g *Gateways) List() ([]ProfileView, error) {
	ps, err := g.s.Store.Profiles(g.s.Ctx())
	if err != nil {
		return nil, err
	}
	out := []ProfileView{}
	for _, p := range ps {
		v := ProfileView{ID: p.ID, Name: p.Name, Kind: string(p.Kind), KindLabel: p.Kind.Label(), Demo: p.Demo,
			Environment: string(p.Environment), Host: p.Host, MerchantID: p.MerchantID, SubID: p.SubID, Methods: []string{},
			AuthExpiryDays: p.AuthExpiryDays, FeePerOperation: int64(p.FeePerOperation), AutoCapture: p.AutoCapture, Secrets: []SecretInfo{},
			LinkRule:     LinkRule(p.LinkRule),
			LinkRuleText: p.LinkRule.Describe(linkExample)}
		if p.Kind == backend.GatewayPaygent {
			w := p.SalesCancel.OrDefault()
			v.SalesCancelFrom, v.SalesCancelDays = string(w.From), w.Days
		}
		for _, m := range p.Methods {
			v.Methods = append(v.Methods, string(m))
		}
		feed, _ := g.s.Store.Setting(g.s.Ctx(), sync.SettingChangeFeed(p.ID))
		v.DifferenceInquiry = feed == "1"
		if !p.Demo {
			for _, sp := range profiles.Secrets(p.Kind) {
				v.Secrets = append(v.Secrets, SecretInfo{Name: sp.Name, Label: sp.Label, Required: sp.Required,
					Set: g.s.System.Profiles.HasSecret(p.ID, sp.Name)})
			}
		}
		out = append(out, v)
	}
	return out, nil
}

func optionalInt(s, label string, max int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > max {
		return 0, backend.Errorf(backend.EINVALID, "%sは0〜%d の半角数字で入力してください", "%s must be digits from 0 to %d", label, max)
	}
	return n, nil
}

// Save checks and saves a profile with its secrets; bad input saves nothing.
func (g *Gateways) Save(in ProfileInput) (*ProfileView, error) {
	days, err := optionalInt(in.AuthExpiryDays, "与信の有効期間", 365)
	if err != nil {
		return nil, err
	}
	fee, err := optionalInt(in.FeePerOperation, "1件あたりの手数料", 10000)
	if err != nil {
		return nil, err
	}
	pin := profiles.Input{ID: in.ID, Name: in.Name, Kind: backend.GatewayKind(in.Kind), Environment: backend.Environment(in.Environment),
		Host: in.Host, MerchantID: in.MerchantID, SubID: in.SubID, AuthExpiryDays: days, FeePerOperation: backend.Yen(fee),
		AutoCapture: in.AutoCapture, Secrets: in.Secrets, LinkRule: backend.LinkRule(in.LinkRule)}
	for _, m := range in.Methods {
		pin.Methods = append(pin.Methods, backend.PaymentMethod(m))
	}
	if pin.Kind == backend.GatewayPaygent {
		cancelDays, err := optionalInt(in.SalesCancelDays, "売上取消の期限の日数", 365)
		if err != nil {
			return nil, err
		}
		pin.SalesCancel = backend.CancelWindow{From: backend.CancelFrom(in.SalesCancelFrom), Days: cancelDays}
	}
	if in.DifferenceInquiry && pin.Kind != backend.GatewayPaygent {
		return nil, backend.Errorf(backend.EINVALID, "差分照会はペイジェントだけで使えます", "the difference inquiry is for Paygent only")
	}
	p, err := g.s.System.Profiles.Save(g.s.Ctx(), pin)
	if err != nil {
		return nil, err
	}
	feed := "0"
	if in.DifferenceInquiry {
		feed = "1"
	}
	if err := g.s.Store.SetSetting(g.s.Ctx(), sync.SettingChangeFeed(p.ID), feed); err != nil {
		return nil, err
	}
	list, err := g.List()
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == p.ID {
			return &list[i], nil
		}
	}
	return nil, backend.Errorf(backend.EINTERNAL, "保存した設定が見つかりません", "the saved profile is missing")
}

// Delete removes a profile and its secrets from the keychain.
func (g *Gateways) Delete(id int64) error {
	return g.s.System.Profiles.Delete(g.s.Ctx(), id)
}

// Test makes a harmless authenticated call and explains the result in Japanese.
func (g *Gateways) Test(id int64) (*TestResult, error) {
	r, err := g.s.System.Profiles.Test(g.s.Ctx(), id)
	if err != nil {
		return nil, err
	}
	return &TestResult{OK: r.OK, Message: pick(g.s.lang(g.s.Ctx()), r.Message, r.MessageEn)}, nil
}
