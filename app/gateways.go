package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
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
	Code          string `json:"code"`
	Ja            string `json:"ja"`
	MerchantLabel string `json:"merchantLabel"`
	SubLabel      string `json:"subLabel"` // "" = not used
	// Where the operator finds the ids and secrets (the gateway's own words).
	MerchantHelp      string       `json:"merchantHelp"`
	SubHelp           string       `json:"subHelp"`
	SecretsHelp       string       `json:"secretsHelp"`
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
	// Paygent's client certificate as saved: whose, until when ("" = not readable:
	// CertProblem says why); CertExpiring within CertWarnDays.
	CertSubject  string `json:"certSubject"`
	CertNotAfter string `json:"certNotAfter"`
	CertDaysLeft int    `json:"certDaysLeft"`
	CertExpiring bool   `json:"certExpiring"`
	CertProblem  string `json:"certProblem"`
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

// kindFieldsEn are kindFields in English.
var kindFieldsEn = map[backend.GatewayKind][2]string{
	backend.GatewayGMO:     {"Shop ID", ""},
	backend.GatewaySGP:     {"Shop ID", ""},
	backend.GatewaySBPS:    {"Merchant ID", "Service ID"},
	backend.GatewayPaygent: {"Merchant ID", "Connect ID"},
}

// kindHelp says where each field is found: the merchant id, the sub id, the secrets.
var kindHelp = map[backend.GatewayKind][3]string{
	backend.GatewayGMO: {"契約時にGMOペイメントゲートウェイから届く「ショップID」（テスト環境は tshop から始まる英数字13文字まで）。ショップ管理画面のログインIDと同じです",
		"", "ショップパスワードは、ショップIDと一緒に届く英数字10文字までのパスワードです（ショップ管理画面のログインパスワードとは別のものです）"},
	backend.GatewaySGP: {"SMBC GMO PAYMENT から届く「ショップID」。ショップ管理画面（kt01.smbc-gp.co.jp、本番は別ホスト）のURLにも含まれます",
		"", "ショップパスワードは、ショップIDと一緒に届くパスワードです"},
	backend.GatewaySBPS: {"SBペイメントサービスから届く接続情報の「マーチャントID」（数字5桁）",
		"同じ接続情報の「サービスID」（数字3桁）", "ハッシュキーは接続情報の「ハッシュキー」です（API のBasic認証パスワードも通常はこれです）。3DES暗号化を契約した場合だけ、暗号化キーと初期化ベクトルを入力します"},
	backend.GatewayPaygent: {"ペイジェントから届く接続情報の「マーチャントID」（数字）",
		"同じ接続情報の「接続ID」", "接続パスワードは接続情報の「接続パスワード」、クライアント証明書はペイジェントから届く証明書ファイル（PEM、または PKCS#12 の .p12/.pfx とそのパスワード）です。ペイジェントは接続元のIPアドレスを登録制にしている場合があります（P015 が返るときは、このPCのIPアドレスの登録を依頼してください）"},
}

// kindHelpEn is kindHelp in English (the consoles' names of the fields are Japanese:
// the English says which they are).
var kindHelpEn = map[backend.GatewayKind][3]string{
	backend.GatewayGMO: {"The “Shop ID” GMO Payment Gateway sends with the contract (on the test environment it starts with tshop; up to 13 letters and digits). It is the shop console's login ID",
		"", "The shop password comes with the shop ID (up to 10 letters and digits; not the shop console's login password)"},
	backend.GatewaySGP: {"The “Shop ID” SMBC GMO PAYMENT sends. It is also in the shop console's address (kt01.smbc-gp.co.jp; production is another host)",
		"", "The shop password comes with the shop ID"},
	backend.GatewaySBPS: {"The “Merchant ID” of the connection details SB Payment Service sends (5 digits)",
		"The “Service ID” of the same details (3 digits)", "The hash key is the details' “Hash key” (usually the API's Basic authentication password too). Enter the 3DES key and initialisation vector only if your contract uses encryption"},
	backend.GatewayPaygent: {"The “Merchant ID” of the connection details Paygent sends (digits)",
		"The “Connect ID” of the same details", "The connect password is the details' “Connect password”; the client certificate is the file Paygent sends (PEM, or PKCS#12 .p12/.pfx with its password). Paygent may accept only registered IP addresses (when P015 comes back, ask them to register this PC's address)"},
}

// linkExample is the order number the link rule is explained with.
const linkExample = "100123"

// Kinds lists the gateways a profile can be made for.
func (g *Gateways) Kinds() []GatewayKindInfo {
	out := []GatewayKindInfo{}
	fields, help := kindFields, kindHelp
	en := g.s.lang(g.s.Ctx()) == "en"
	if en {
		fields, help = kindFieldsEn, kindHelpEn
	}
	for _, k := range profiles.Kinds {
		info := GatewayKindInfo{Code: string(k), Ja: k.Label(), MerchantLabel: fields[k][0], SubLabel: fields[k][1],
			MerchantHelp: help[k][0], SubHelp: help[k][1], SecretsHelp: help[k][2],
			DefaultExpiryDays: backend.DefaultAuthExpiryDays(k), Secrets: []SecretInfo{}}
		for _, sp := range profiles.Secrets(k) {
			info.Secrets = append(info.Secrets, SecretInfo{Name: sp.Name, Label: secretLabel(sp, en), Required: sp.Required})
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

func secretLabel(sp profiles.SecretSpec, en bool) string {
	if en {
		return sp.LabelEn
	}
	return sp.Label
}

// List returns the saved profiles, the demo first.
func (g *Gateways) List() ([]ProfileView, error) {
	ps, err := g.s.Store.Profiles(g.s.Ctx())
	if err != nil {
		return nil, err
	}
	out := []ProfileView{}
	en := g.s.lang(g.s.Ctx()) == "en"
	for _, p := range ps {
		v := ProfileView{ID: p.ID, Name: p.Name, Kind: string(p.Kind), KindLabel: p.Kind.Label(), Demo: p.Demo,
			Environment: string(p.Environment), Host: p.Host, MerchantID: p.MerchantID, SubID: p.SubID, Methods: []string{},
			AuthExpiryDays: p.AuthExpiryDays, FeePerOperation: int64(p.FeePerOperation), AutoCapture: p.AutoCapture, Secrets: []SecretInfo{},
			LinkRule:     LinkRule(p.LinkRule),
			LinkRuleText: p.LinkRule.Describe(linkExample)}
		if en { // the window's language when the list was read (設定 reads it again after a change)
			v.KindLabel, v.LinkRuleText = p.Kind.LabelEn(), p.LinkRule.DescribeEn(linkExample)
		}
		if p.Kind == backend.GatewayPaygent {
			w := p.SalesCancel.OrDefault()
			v.SalesCancelFrom, v.SalesCancelDays = string(w.From), w.Days
		}
		for _, m := range p.Methods {
			v.Methods = append(v.Methods, string(m))
		}
		if p.Kind == backend.GatewayPaygent && !p.Demo {
			g.certOf(p, &v)
		}
		feed, _ := g.s.Store.Setting(g.s.Ctx(), sync.SettingChangeFeed(p.ID))
		v.DifferenceInquiry = feed == "1"
		if !p.Demo {
			for _, sp := range profiles.Secrets(p.Kind) {
				v.Secrets = append(v.Secrets, SecretInfo{Name: sp.Name, Label: secretLabel(sp, en), Required: sp.Required,
					Set: g.s.System.Profiles.HasSecret(p.ID, sp.Name)})
			}
		}
		out = append(out, v)
	}
	return out, nil
}

func optionalInt(s string, label backend.Text, max int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > max {
		return 0, backend.Errorf(backend.EINVALID, "%[1]sは0〜%[3]d の半角数字で入力してください", "the %[2]s must be a number from 0 to %[3]d", label.Ja, label.En, max)
	}
	return n, nil
}

// input checks the form's numbers and builds the profile input.
func (in ProfileInput) input() (profiles.Input, error) {
	days, err := optionalInt(in.AuthExpiryDays, backend.Text{Ja: "与信の有効期間", En: "authorisation period (days)"}, 365)
	if err != nil {
		return profiles.Input{}, err
	}
	fee, err := optionalInt(in.FeePerOperation, backend.Text{Ja: "1件あたりの手数料", En: "fee per operation"}, 10000)
	if err != nil {
		return profiles.Input{}, err
	}
	pin := profiles.Input{ID: in.ID, Name: in.Name, Kind: backend.GatewayKind(in.Kind), Environment: backend.Environment(in.Environment),
		Host: in.Host, MerchantID: in.MerchantID, SubID: in.SubID, AuthExpiryDays: days, FeePerOperation: backend.Yen(fee),
		AutoCapture: in.AutoCapture, Secrets: in.Secrets, LinkRule: backend.LinkRule(in.LinkRule)}
	for _, m := range in.Methods {
		pin.Methods = append(pin.Methods, backend.PaymentMethod(m))
	}
	if pin.Kind == backend.GatewayPaygent {
		cancelDays, err := optionalInt(in.SalesCancelDays, backend.Text{Ja: "売上取消の期限の日数", En: "days to cancel a sale"}, 365)
		if err != nil {
			return profiles.Input{}, err
		}
		pin.SalesCancel = backend.CancelWindow{From: backend.CancelFrom(in.SalesCancelFrom), Days: cancelDays}
	}
	if in.DifferenceInquiry && pin.Kind != backend.GatewayPaygent {
		return profiles.Input{}, backend.Errorf(backend.EINVALID, "差分照会はペイジェントだけで使えます", "the difference inquiry is for Paygent only")
	}
	return pin, nil
}

// Save checks and saves a profile with its secrets; bad input saves nothing.
func (g *Gateways) Save(in ProfileInput) (*ProfileView, error) {
	pin, err := in.input()
	if err != nil {
		return nil, err
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

// TestDraft runs the 接続テスト on the form as typed, before anything is saved (a
// secret left empty on a saved profile is the keychain's). CancelTest stops it.
func (g *Gateways) TestDraft(in ProfileInput) (*TestResult, error) {
	pin, err := in.input()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(g.s.Ctx())
	defer cancel()
	g.s.mu.Lock()
	g.s.cancelTest = cancel
	g.s.mu.Unlock()
	defer func() {
		g.s.mu.Lock()
		g.s.cancelTest = nil
		g.s.mu.Unlock()
	}()
	r, err := g.s.System.Profiles.TestInput(ctx, pin)
	if err != nil {
		return nil, err
	}
	return &TestResult{OK: r.OK, Message: pick(g.s.lang(g.s.Ctx()), r.Message, r.MessageEn)}, nil
}

// CancelTest stops a running TestDraft (the test only inquires: nothing to undo).
func (g *Gateways) CancelTest() {
	g.s.mu.Lock()
	if g.s.cancelTest != nil {
		g.s.cancelTest()
	}
	g.s.mu.Unlock()
}

// CertificateView is a client certificate read for the form: the content to save
// (PEM text, or a PKCS#12 file as base64) and whose it is, until when.
type CertificateView struct {
	Content  string `json:"content"`
	Format   string `json:"format"` // "pem" or "pkcs12"
	FileName string `json:"fileName"`
	Subject  string `json:"subject"`
	NotAfter string `json:"notAfter"`
	DaysLeft int    `json:"daysLeft"`
	Expiring bool   `json:"expiring"` // within CertWarnDays
}

// CertWarnDays: a certificate this close to its end is announced.
const CertWarnDays = 30

// ReadCertificate reads a client certificate file (PEM, or PKCS#12 with its
// password) for the Paygent form; path "" asks with the open dialog (nil: cancelled).
// The certificate is checked here, before anything is saved.
func (g *Gateways) ReadCertificate(path, password string) (*CertificateView, error) {
	if strings.TrimSpace(path) == "" {
		if g.s.Dialogs == nil {
			return nil, backend.Errorf(backend.EUNSUPPORTED, "ファイルを選ぶ画面を開けません", "the file dialog is not available")
		}
		p, err := g.s.Dialogs.OpenFile(pick(g.s.lang(g.s.Ctx()), "ペイジェントのクライアント証明書（PEM または PKCS#12）を選んでください",
			"Choose Paygent's client certificate (PEM or PKCS#12)"), FileCertificate)
		if err != nil || p == "" {
			return nil, err
		}
		path = p
	}
	st, err := os.Stat(path)
	if err != nil || st.IsDir() {
		return nil, backend.Errorf(backend.EINVALID, "ファイル %s を開けません", "cannot open %s", filepath.Base(path))
	}
	if st.Size() > 256<<10 {
		return nil, backend.Errorf(backend.EINVALID, "%s は証明書としては大きすぎます（256KBまで）。ペイジェントから届いた証明書ファイルを選んでください",
			"%s is too large for a certificate; choose the file Paygent issued", filepath.Base(path))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, backend.Errorf(backend.EINVALID, "ファイル %s を読めません", "cannot read %s", filepath.Base(path))
	}
	v := &CertificateView{Content: string(b), Format: "pem", FileName: filepath.Base(path)}
	if !bytes.Contains(b, []byte("-----BEGIN")) {
		v.Content, v.Format = base64.StdEncoding.EncodeToString(b), "pkcs12"
	}
	return g.describeCertificate(v, password)
}

// CheckCertificate checks certificate content (as ReadCertificate gives it, or
// pasted PEM) with its password and says whose it is, until when.
func (g *Gateways) CheckCertificate(content, password string) (*CertificateView, error) {
	v := &CertificateView{Content: content, Format: "pem"}
	if !strings.Contains(content, "-----BEGIN") {
		v.Format = "pkcs12"
	}
	return g.describeCertificate(v, password)
}

func (g *Gateways) describeCertificate(v *CertificateView, password string) (*CertificateView, error) {
	now := g.s.Clock.Now()
	info, err := paygent.ReadCertificate([]byte(v.Content), password, now)
	if err != nil {
		return nil, err
	}
	v.Subject, v.NotAfter = info.Subject, jst(info.NotAfter)
	v.DaysLeft = backend.DaysBetweenJST(now, info.NotAfter)
	v.Expiring = v.DaysLeft <= CertWarnDays
	return v, nil
}

// certOf reads a saved Paygent profile's certificate for the list: until when it is
// valid, or why it cannot be used.
func (g *Gateways) certOf(p *backend.GatewayProfile, v *ProfileView) {
	cert, err := g.s.System.Vault.Get(backend.SecretKey(p.ID, backend.SecretClientCert))
	if err != nil {
		if backend.ErrorCode(err) != backend.ENOTFOUND {
			v.CertProblem = backend.ErrorMessage(err, g.s.lang(g.s.Ctx()))
		}
		return
	}
	pass, _ := g.s.System.Vault.Get(backend.SecretKey(p.ID, backend.SecretCertPassword))
	c, err := g.CheckCertificate(cert, pass)
	if err != nil {
		v.CertProblem = backend.ErrorMessage(err, g.s.lang(g.s.Ctx()))
		return
	}
	v.CertSubject, v.CertNotAfter, v.CertDaysLeft, v.CertExpiring = c.Subject, c.NotAfter, c.DaysLeft, c.Expiring
}
