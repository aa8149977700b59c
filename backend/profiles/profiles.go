// Package profiles manages gateway profiles — a shop's contracts with GMO-PG, SGP,
// SBPS and Paygent, each in its test or production environment — with their secrets
// in the OS keychain, and the 接続テスト that tells the operator whether a profile works.
package profiles

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"kessaidesk/backend"
	"kessaidesk/backend/gwhttp"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/sbps"
)

// Store is what the service needs from the database.
type Store interface {
	Profiles(ctx context.Context) ([]*backend.GatewayProfile, error)
	ProfileByID(ctx context.Context, id int64) (*backend.GatewayProfile, error)
	SaveProfile(ctx context.Context, p *backend.GatewayProfile) error
	DeleteProfile(ctx context.Context, id int64) error
}

// Factory builds clients; Forget drops a cached one after its profile changed; Draft
// builds one for a profile not saved yet, with the given secrets.
type Factory interface {
	backend.GatewayFactory
	Forget(profileID int64)
	Draft(p *backend.GatewayProfile, secret func(name string) (string, error)) (backend.Gateway, error)
}

// Service saves, deletes and tests profiles.
type Service struct {
	Store    Store
	Vault    backend.Vault
	Gateways Factory
}

// Input is a profile as the operator entered it. Secrets maps a secret name
// (backend.Secret*) to its value; an empty value keeps the stored secret.
type Input struct {
	ID              int64
	Name            string
	Kind            backend.GatewayKind
	Environment     backend.Environment
	Host            string
	MerchantID      string
	SubID           string
	Methods         []backend.PaymentMethod
	AuthExpiryDays  int
	FeePerOperation backend.Yen
	AutoCapture     bool
	LinkRule        backend.LinkRule
	// SalesCancel is the contract's 売上取消 window (Paygent only; zero = 60 days from the sale).
	SalesCancel backend.CancelWindow
	Secrets     map[string]string
}

// SecretSpec is one secret a gateway needs.
type SecretSpec struct {
	Name     string
	Label    string
	Required bool
	LabelEn  string
}

// Secrets lists the secrets of a gateway kind, in the order the form shows them.
func Secrets(kind backend.GatewayKind) []SecretSpec {
	// Every kind may name the CA of a test host whose certificate is not from a public CA.
	ca := SecretSpec{backend.SecretCACert, "サーバーCA証明書（PEM、テスト環境などで公的CAでない場合のみ）", false,
		"Server CA certificate (PEM; only when the host's CA is not a public one, as on some test hosts)"}
	switch kind {
	case backend.GatewayGMO, backend.GatewaySGP:
		return []SecretSpec{{backend.SecretShopPass, "ショップパスワード", true, "Shop password"}, ca}
	case backend.GatewaySBPS:
		return []SecretSpec{{backend.SecretHashKey, "ハッシュキー", true, "Hash key"},
			{backend.SecretBasicPassword, "Basic認証パスワード（ハッシュキーと異なる場合）", false, "Basic authentication password (when not the hash key)"},
			{backend.SecretCipherKey, "3DES暗号化キー（24文字、暗号化を使う契約のみ）", false, "3DES key (24 characters; only for a contract with encryption)"},
			{backend.SecretCipherIV, "3DES初期化ベクトル（8文字）", false, "3DES initialisation vector (8 characters)"}, ca}
	case backend.GatewayPaygent:
		return []SecretSpec{{backend.SecretConnectPassword, "接続パスワード", true, "Connect password"},
			{backend.SecretClientCert, "クライアント証明書と秘密鍵（PEM）", true, "Client certificate and private key (PEM)"},
			{backend.SecretCertPassword, "秘密鍵のパスワード", false, "Private key password"}, ca}
	}
	return nil
}

// Kinds are the gateways a profile can be made for.
var Kinds = []backend.GatewayKind{backend.GatewayGMO, backend.GatewaySGP, backend.GatewaySBPS, backend.GatewayPaygent}

func invalid(ja, en string, args ...any) error {
	return backend.Errorf(backend.EINVALID, ja, en, args...)
}

var (
	gmoShopID   = regexp.MustCompile(`^[A-Za-z0-9]{1,13}$`)
	digits      = regexp.MustCompile(`^[0-9]+$`)
	alnum       = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	gmoShopPass = regexp.MustCompile(`^[A-Za-z0-9]{1,10}$`)
)

// ValidateHost accepts "" (the published host), an https URL, or plain http only for a
// simulator on 127.0.0.1: TLS verification is always on for real hosts.
func ValidateHost(host string) error {
	if host == "" {
		return nil
	}
	return gwhttp.ValidateHost(host, "https://pt01.mul-pay.jp")
}

// validate checks everything before anything is saved.
func validate(in *Input, existing *backend.GatewayProfile, hasSecret func(string) bool) error {
	in.Name = strings.TrimSpace(in.Name)
	in.MerchantID = strings.TrimSpace(in.MerchantID)
	in.SubID = strings.TrimSpace(in.SubID)
	in.Host = strings.TrimRight(strings.TrimSpace(in.Host), "/")
	switch {
	case in.Name == "":
		return invalid("設定名を入力してください", "enter a name")
	case utf8.RuneCountInString(in.Name) > 40:
		return invalid("設定名は40文字以内で入力してください", "the name must be at most 40 characters")
	}
	known := false
	for _, k := range Kinds {
		known = known || k == in.Kind
	}
	if !known {
		return invalid("決済サービスを選んでください", "choose a gateway")
	}
	if existing != nil && existing.Kind != in.Kind {
		return invalid("登録済みの設定の決済サービスは変更できません。新しい設定を作成してください", "the gateway of a saved profile cannot change")
	}
	if in.Environment != backend.EnvTest && in.Environment != backend.EnvProduction {
		return invalid("環境（テスト／本番）を選んでください", "choose test or production")
	}
	if err := ValidateHost(in.Host); err != nil {
		return err
	}
	if err := validateLinkRule(&in.LinkRule); err != nil {
		return err
	}
	switch in.Kind {
	case backend.GatewayGMO, backend.GatewaySGP:
		if !gmoShopID.MatchString(in.MerchantID) {
			return invalid("ショップIDは半角英数字13文字以内で入力してください", "the shop ID is up to 13 letters and digits")
		}
		if p := in.Secrets[backend.SecretShopPass]; p != "" && !gmoShopPass.MatchString(p) {
			return invalid("ショップパスワードは半角英数字10文字以内で入力してください", "the shop password is up to 10 letters and digits")
		}
	case backend.GatewaySBPS:
		if !digits.MatchString(in.MerchantID) || len(in.MerchantID) != 5 {
			return invalid("マーチャントIDは半角数字5桁で入力してください", "the merchant ID is 5 digits")
		}
		if !digits.MatchString(in.SubID) || len(in.SubID) != 3 {
			return invalid("サービスIDは半角数字3桁で入力してください", "the service ID is 3 digits")
		}
		// The 3DES key and IV come as a pair; either may be re-entered alone later.
		key, iv := in.Secrets[backend.SecretCipherKey], in.Secrets[backend.SecretCipherIV]
		haveKey := key != "" || (existing != nil && hasSecret(backend.SecretCipherKey))
		haveIV := iv != "" || (existing != nil && hasSecret(backend.SecretCipherIV))
		switch {
		case key != "" && len(key) != sbps.CipherKeyLen, iv != "" && len(iv) != sbps.CipherIVLen:
			return invalid("3DES暗号化キーは半角24文字、初期化ベクトルは半角8文字です。SBPSから発行された値を入力してください",
				"the 3DES key is 24 characters and the IV 8 characters, as issued by SBPS")
		case haveKey != haveIV:
			return invalid("3DES暗号化キーと初期化ベクトルは両方とも入力してください", "enter both the 3DES key and the IV")
		}
	case backend.GatewayPaygent:
		if !digits.MatchString(in.MerchantID) || len(in.MerchantID) > 9 {
			return invalid("マーチャントIDは半角数字で入力してください", "the merchant ID is digits")
		}
		if !alnum.MatchString(in.SubID) || len(in.SubID) > 32 {
			return invalid("接続IDは半角英数字で入力してください", "the connect ID is letters and digits")
		}
		if c := in.Secrets[backend.SecretClientCert]; c != "" {
			if err := paygent.CheckCertificate([]byte(c), in.Secrets[backend.SecretCertPassword], time.Now()); err != nil {
				return &backend.Error{Code: backend.EINVALID, Class: backend.ClassPermanent, Message: backend.ErrorMessage(err, "ja"),
					MessageEn: backend.ErrorMessage(err, "en")}
			}
		}
	}
	if _, err := gwhttp.RootPool([]byte(in.Secrets[backend.SecretCACert])); err != nil {
		return err
	}
	if len(in.Methods) == 0 {
		return invalid("この設定で扱う支払方法を1つ以上選んでください", "choose at least one payment method")
	}
	for _, m := range in.Methods {
		if !m.Valid() || m == backend.MethodOther {
			return invalid("支払方法「%s」は選べません", "unknown payment method %q", m)
		}
	}
	if in.AuthExpiryDays == 0 {
		in.AuthExpiryDays = backend.DefaultAuthExpiryDays(in.Kind)
	}
	if in.AuthExpiryDays < 1 || in.AuthExpiryDays > 365 {
		return invalid("与信の有効期間は1〜365日で入力してください", "the authorisation period is 1 to 365 days")
	}
	if in.SalesCancel != (backend.CancelWindow{}) && in.Kind != backend.GatewayPaygent {
		return invalid("売上取消の期限の設定はペイジェントだけで使えます", "the sales-cancel window is a Paygent setting")
	}
	if !in.SalesCancel.Valid() {
		return invalid("売上取消の期限は、起算日（オーソリ日か売上日）と1〜365日で入力してください", "the sales-cancel window is counted from the authorisation or the sale, 1 to 365 days")
	}
	if in.FeePerOperation < 0 || in.FeePerOperation > 10000 {
		return invalid("1件あたりの手数料は0〜10,000円で入力してください", "the fee per operation is 0 to 10,000 yen")
	}
	for _, s := range Secrets(in.Kind) {
		v := in.Secrets[s.Name]
		if s.Required && v == "" && (existing == nil || !hasSecret(s.Name)) {
			return backend.Errorf(backend.EINVALID, "%[1]sを入力してください", "enter the %[2]s", s.Label, s.LabelEn)
		}
		if strings.ContainsAny(v, "\r\n") && s.Name != backend.SecretClientCert && s.Name != backend.SecretCACert {
			return backend.Errorf(backend.EINVALID, "%[1]sに改行は使えません", "%[2]s: no line breaks allowed", s.Label, s.LabelEn)
		}
	}
	for name := range in.Secrets {
		ok := false
		for _, s := range Secrets(in.Kind) {
			ok = ok || s.Name == name
		}
		if !ok {
			return invalid("この決済サービスでは使わない認証情報です", "a credential this gateway does not use: %s", name)
		}
	}
	return nil
}

// HasSecret reports whether a profile's secret is stored (never its value).
func (s *Service) HasSecret(profileID int64, name string) bool {
	v, err := s.Vault.Get(backend.SecretKey(profileID, name))
	return err == nil && v != ""
}

// Save checks the input and saves the profile and its secrets; on bad input nothing
// is saved. Secrets go only to the vault.
func (s *Service) Save(ctx context.Context, in Input) (*backend.GatewayProfile, error) {
	var existing *backend.GatewayProfile
	if in.ID != 0 {
		var err error
		if existing, err = s.Store.ProfileByID(ctx, in.ID); err != nil {
			return nil, err
		}
		if existing.Demo {
			return nil, invalid("デモ用の設定は変更できません", "the demo profile cannot be changed")
		}
	}
	if err := validate(&in, existing, func(name string) bool { return s.HasSecret(in.ID, name) }); err != nil {
		return nil, err
	}
	p := &backend.GatewayProfile{ID: in.ID, Name: in.Name, Kind: in.Kind, Environment: in.Environment, Host: in.Host,
		MerchantID: in.MerchantID, SubID: in.SubID, Methods: in.Methods, AuthExpiryDays: in.AuthExpiryDays,
		FeePerOperation: in.FeePerOperation, AutoCapture: in.AutoCapture, LinkRule: in.LinkRule, SalesCancel: in.SalesCancel}
	if existing != nil {
		p.CreatedAt = existing.CreatedAt
		// Secrets first: if the keychain refuses, the profile is unchanged too.
		if err := s.setSecrets(p.ID, in.Secrets); err != nil {
			return nil, err
		}
		if err := s.Store.SaveProfile(ctx, p); err != nil {
			return nil, err
		}
	} else {
		if err := s.Store.SaveProfile(ctx, p); err != nil {
			return nil, err
		}
		if err := s.setSecrets(p.ID, in.Secrets); err != nil {
			s.deleteSecrets(p.ID, p.Kind)
			s.Store.DeleteProfile(ctx, p.ID)
			return nil, err
		}
	}
	if s.Gateways != nil {
		s.Gateways.Forget(p.ID)
	}
	return p, nil
}

func (s *Service) setSecrets(id int64, secrets map[string]string) error {
	for name, v := range secrets {
		if v == "" {
			continue
		}
		if err := s.Vault.Set(backend.SecretKey(id, name), v); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) deleteSecrets(id int64, kind backend.GatewayKind) error {
	var first error
	for _, sp := range Secrets(kind) {
		if err := s.Vault.Delete(backend.SecretKey(id, sp.Name)); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Delete removes a profile and its secrets. A profile that payments use stays.
func (s *Service) Delete(ctx context.Context, id int64) error {
	p, err := s.Store.ProfileByID(ctx, id)
	if err != nil {
		return err
	}
	// All or nothing: the secrets are read first (a keychain that cannot be used stops
	// here, with nothing deleted), and put back if the profile cannot go after all.
	saved := map[string]string{}
	for _, sp := range Secrets(p.Kind) {
		v, err := s.Vault.Get(backend.SecretKey(id, sp.Name))
		switch {
		case err == nil:
			saved[sp.Name] = v
		case backend.ErrorCode(err) != backend.ENOTFOUND:
			return err
		}
	}
	restore := func() {
		for name, v := range saved {
			s.Vault.Set(backend.SecretKey(id, name), v)
		}
	}
	if err := s.deleteSecrets(id, p.Kind); err != nil {
		restore()
		return err
	}
	if err := s.Store.DeleteProfile(ctx, id); err != nil {
		restore()
		return err
	}
	if s.Gateways != nil {
		s.Gateways.Forget(id)
	}
	return nil
}

// TestResult is the outcome of a 接続テスト, explained for the operator.
type TestResult struct {
	OK        bool
	Message   string // Japanese
	MessageEn string
	Code      string
}

type pinger interface {
	Ping(ctx context.Context) error
}

// Test makes a harmless authenticated call with the profile and explains the result.
func (s *Service) Test(ctx context.Context, id int64) (*TestResult, error) {
	p, err := s.Store.ProfileByID(ctx, id)
	if err != nil {
		return nil, err
	}
	s.Gateways.Forget(id)
	gw, err := s.Gateways.Gateway(ctx, p)
	if err == nil {
		pg, ok := gw.(pinger)
		if !ok {
			return &TestResult{Message: "この決済サービスは接続テストに対応していません", MessageEn: "this gateway offers no connection test",
				Code: backend.EUNSUPPORTED}, nil
		}
		err = pg.Ping(ctx)
	}
	return explain(ctx, err), nil
}

// TestInput tests a profile as typed, before it is saved: the same checks as Save,
// then the same harmless call as Test, with the typed secrets (a secret left empty
// on a saved profile is the one in the keychain). Nothing is saved; ctx cancels it.
func (s *Service) TestInput(ctx context.Context, in Input) (*TestResult, error) {
	var existing *backend.GatewayProfile
	if in.ID != 0 {
		var err error
		if existing, err = s.Store.ProfileByID(ctx, in.ID); err != nil {
			return nil, err
		}
		if existing.Demo {
			return nil, invalid("デモ用の設定は変更できません", "the demo profile cannot be changed")
		}
	}
	if err := validate(&in, existing, func(name string) bool { return s.HasSecret(in.ID, name) }); err != nil {
		return nil, err
	}
	p := &backend.GatewayProfile{ID: in.ID, Name: in.Name, Kind: in.Kind, Environment: in.Environment, Host: in.Host,
		MerchantID: in.MerchantID, SubID: in.SubID, Methods: in.Methods, AuthExpiryDays: in.AuthExpiryDays}
	gw, err := s.Gateways.Draft(p, func(name string) (string, error) {
		if v := in.Secrets[name]; v != "" {
			return v, nil
		}
		if in.ID == 0 {
			return "", nil
		}
		v, err := s.Vault.Get(backend.SecretKey(in.ID, name))
		if backend.ErrorCode(err) == backend.ENOTFOUND {
			return "", nil
		}
		return v, err
	})
	if err == nil {
		pg, ok := gw.(pinger)
		if !ok {
			return &TestResult{Message: "この決済サービスは接続テストに対応していません", MessageEn: "this gateway offers no connection test",
				Code: backend.EUNSUPPORTED}, nil
		}
		err = pg.Ping(ctx)
	}
	return explain(ctx, err), nil
}

// explain says what a connection test's outcome means. A test only inquires: it never
// speaks of checking whether something was processed, as an operation's outcome would.
func explain(ctx context.Context, err error) *TestResult {
	if err == nil {
		return &TestResult{OK: true, Message: "接続できました。認証情報は正しく、ゲートウェイが応答しています",
			MessageEn: "connected: the credentials are right and the gateway answers"}
	}
	if ctx.Err() != nil {
		return &TestResult{Message: "接続テストを中止しました。照会だけのテストのため、何も変更されていません",
			MessageEn: "the connection test was stopped; it only inquires, so nothing changed", Code: "cancelled"}
	}
	msg, en := backend.ErrorMessage(err, "ja"), backend.ErrorMessage(err, "en")
	switch backend.ErrorClassOf(err) {
	case backend.ClassAuthFailed:
		msg, en = "認証に失敗しました: "+msg, "authentication failed: "+en
	case backend.ClassNotSent:
		if backend.ErrorCode(err) != backend.ECREDENTIAL {
			msg, en = "接続先に届きませんでした: "+msg, "the request did not reach the gateway: "+en
		}
	case backend.ClassUnknown, backend.ClassRetryable:
		// A timeout or a server error: for an operation that would be an unknown
		// outcome, but the test is an inquiry that changes nothing at the gateway.
		msg = "ゲートウェイから正常な応答がありませんでした（タイムアウトまたはゲートウェイ側のエラー）。接続テストは照会だけで何も変更しないため、時間をおいてもう一度お試しください"
		en = "the gateway gave no proper answer (a timeout or an error on its side); the test only inquires and changes nothing: try again later"
		if code := gatewayCodeOf(err); code != "" {
			msg, en = msg+"（"+code+"）", en+" ("+code+")"
		}
	}
	return &TestResult{Message: msg, MessageEn: en, Code: backend.ErrorCode(err)}
}

// linkAffix is what a prefix or suffix of a gateway id may hold: GMO OrderIDs take
// letters, digits and "-", Paygent trading_ids letters, digits and "_".
var linkAffix = regexp.MustCompile(`^[A-Za-z0-9_-]{0,20}$`)

func validateLinkRule(r *backend.LinkRule) error {
	r.Prefix, r.Suffix = strings.TrimSpace(r.Prefix), strings.TrimSpace(r.Suffix)
	switch {
	case !linkAffix.MatchString(r.Prefix) || !linkAffix.MatchString(r.Suffix):
		return invalid("注文番号に付ける文字は半角英数字・「-」・「_」で20文字以内にしてください",
			"a prefix or suffix is up to 20 letters, digits, - or _")
	case r.Timestamped && (r.RetrySuffixes || r.Prefix != "" || r.Suffix != ""):
		return invalid("「注文番号-日時」の形は、接頭辞・接尾辞・再決済番号と一緒には選べません",
			"the order-number-and-timestamp form cannot be combined with a prefix, suffix or re-payment numbers")
	}
	return nil
}

func gatewayCodeOf(err error) string {
	var be *backend.Error
	if errors.As(err, &be) {
		return be.GatewayCode
	}
	return ""
}
