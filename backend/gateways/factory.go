// Package gateways builds the gateway client for a profile: the protocol by the
// profile's kind, the host by its environment (or its custom host), the secrets from
// the OS keychain. The demo profiles talk to the built-in sandbox's simulators over
// HTTP(S), through the same clients a real contract uses.
package gateways

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo"
	"kessaidesk/backend/gwhttp"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/sbps"
)

// Sandbox is the running built-in simulators the demo profiles point at: one per
// gateway family (GMO-PG/SGP, SBPS, Paygent).
type Sandbox interface {
	// Account is how a demo profile of the kind reaches its simulator; false when the
	// sandbox has none for the kind.
	Account(kind backend.GatewayKind) (SandboxAccount, bool)
}

// SandboxAccount is a demo merchant at a simulator: where it is and its credentials
// (demo only, never a real contract's).
type SandboxAccount struct {
	URL        string
	MerchantID string // GMO ShopID, SBPS merchant_id, Paygent merchant_id
	SubID      string // SBPS service_id, Paygent connect_id
	Secret     string // GMO ShopPass, SBPS hash key, Paygent connect password
	ClientCert string // Paygent: the client certificate, its chain and key (PEM)
	CACert     string // Paygent: the simulator's server CA (PEM)
	// Now is the simulator's clock (SBPS refuses a request_date far from it); nil = real time.
	Now func() time.Time
}

// secret returns the account's value for a profile secret name ("" when it has none).
func (a SandboxAccount) secret(name string) string {
	switch name {
	case backend.SecretShopPass, backend.SecretHashKey, backend.SecretConnectPassword:
		return a.Secret
	case backend.SecretClientCert:
		return a.ClientCert
	case backend.SecretCACert:
		return a.CACert
	}
	return ""
}

// Factory implements backend.GatewayFactory. Clients are cached per profile and
// rebuilt when the profile changes.
type Factory struct {
	Vault   backend.Vault
	Sandbox Sandbox // nil: no demo
	// SandboxErr is why the demo sandbox did not start; demo profiles say it.
	SandboxErr error
	// RootCAs verifies TLS servers that need a client certificate (Paygent); nil = the
	// system roots plus the profile's server CA, if it has one. Only tests set it.
	RootCAs *x509.CertPool
	Timeout time.Duration
	// Now is the clock of requests that carry a timestamp (SBPS request_date, which
	// SBPS refuses when it is far from its own clock); nil = time.Now. Tests set the
	// simulator's clock.
	Now func() time.Time
	// Log receives a summary of every gateway exchange; nil = none.
	Log *slog.Logger
	// unavailable, when set, is returned for every profile (SetUnavailable).
	unavailable error

	mu    sync.Mutex
	cache map[int64]cached
}

type cached struct {
	stamp time.Time
	gw    backend.Gateway
}

var _ backend.GatewayFactory = (*Factory)(nil)

// Gateway returns the client for a profile.
func (f *Factory) Gateway(ctx context.Context, p *backend.GatewayProfile) (backend.Gateway, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.unavailable != nil {
		return nil, f.unavailable
	}
	if c, ok := f.cache[p.ID]; ok && c.stamp.Equal(p.UpdatedAt) && p.ID != 0 {
		return c.gw, nil
	}
	gw, err := f.build(p)
	if err != nil {
		return nil, err
	}
	if f.cache == nil {
		f.cache = map[int64]cached{}
	}
	if p.ID != 0 {
		f.cache[p.ID] = cached{stamp: p.UpdatedAt, gw: gw}
	}
	return gw, nil
}

// Draft builds the client of a profile not saved yet (the form's 接続テスト), with the
// secrets secret returns; nothing is cached.
func (f *Factory) Draft(p *backend.GatewayProfile, secret func(name string) (string, error)) (backend.Gateway, error) {
	if p.Demo {
		return nil, backend.Errorf(backend.EINVALID, "デモ用の設定は変更できません", "the demo profile cannot be changed")
	}
	return f.client(p, f.Now, func(name, label string, required bool) (string, error) {
		v, err := secret(name)
		if err != nil {
			return "", err
		}
		if v == "" && required {
			e := backend.Errorf(backend.ECREDENTIAL, "%sを入力してください", "enter the %s", label)
			e.Class = backend.ClassNotSent
			return "", e
		}
		return v, nil
	})
}

// Forget drops the cached client of a profile (after its secrets changed).
func (f *Factory) Forget(profileID int64) {
	f.mu.Lock()
	delete(f.cache, profileID)
	f.mu.Unlock()
}

func (f *Factory) timeout() time.Duration {
	if f.Timeout > 0 {
		return f.Timeout
	}
	return 30 * time.Second
}

func (f *Factory) build(p *backend.GatewayProfile) (backend.Gateway, error) {
	if !p.Demo {
		return f.client(p, f.Now, func(name, label string, required bool) (string, error) {
			if required {
				return f.secret(p, name, label)
			}
			return f.optional(p, name)
		})
	}
	// A demo profile reaches its simulator with the sandbox's own account, through the
	// same client a real contract uses.
	var acct SandboxAccount
	ok := false
	if f.Sandbox != nil {
		acct, ok = f.Sandbox.Account(p.Kind)
	}
	if !ok {
		if f.SandboxErr != nil {
			return nil, &backend.Error{Code: backend.EOFFLINE, Class: backend.ClassNotSent, Err: f.SandboxErr,
				Message:   "デモ用サンドボックスが起動していません: " + backend.ErrorMessage(f.SandboxErr, "ja"),
				MessageEn: "the demo sandbox is not running: " + backend.ErrorMessage(f.SandboxErr, "en")}
		}
		return nil, backend.Errorf(backend.EOFFLINE, "デモ用サンドボックスが起動していません", "the demo sandbox is not running")
	}
	demo := *p
	demo.Host, demo.MerchantID, demo.SubID, demo.Environment = acct.URL, acct.MerchantID, acct.SubID, backend.EnvTest
	now := f.Now
	if acct.Now != nil {
		now = acct.Now
	}
	return f.client(&demo, now, func(name, _ string, _ bool) (string, error) { return acct.secret(name), nil })
}

// client builds the protocol client of a profile, reading its secrets with get.
func (f *Factory) client(p *backend.GatewayProfile, now func() time.Time, get func(name, label string, required bool) (string, error)) (backend.Gateway, error) {
	// The profile's server CA (a test host whose CA is not public), added to the
	// system roots; f.RootCAs (tests) replaces both. Read after the required secrets,
	// whose messages say which secret cannot be read.
	serverRoots := func() (*x509.CertPool, error) {
		if f.RootCAs != nil {
			return f.RootCAs, nil
		}
		ca, err := get(backend.SecretCACert, "サーバーCA証明書", false)
		if err != nil {
			return nil, err
		}
		return gwhttp.RootPool([]byte(ca))
	}
	switch p.Kind {
	case backend.GatewayGMO, backend.GatewaySGP:
		pass, err := get(backend.SecretShopPass, "ショップパスワード", true)
		if err != nil {
			return nil, err
		}
		roots, err := serverRoots()
		if err != nil {
			return nil, err
		}
		return gmo.New(gmo.Config{Kind: p.Kind, Environment: p.Environment, Host: p.Host, ShopID: p.MerchantID,
			ShopPass: pass, RootCAs: roots, Timeout: f.timeout(), Log: f.Log})
	case backend.GatewaySBPS:
		key, err := get(backend.SecretHashKey, "ハッシュキー", true)
		if err != nil {
			return nil, err
		}
		// Optional: a separate Basic password and the 3DES pair of encrypting contracts.
		var basic, cipherKey, cipherIV string
		for name, v := range map[string]*string{backend.SecretBasicPassword: &basic, backend.SecretCipherKey: &cipherKey, backend.SecretCipherIV: &cipherIV} {
			if *v, err = get(name, "", false); err != nil {
				return nil, err
			}
		}
		roots, err := serverRoots()
		if err != nil {
			return nil, err
		}
		return sbps.New(sbps.Config{Environment: p.Environment, Host: p.Host, MerchantID: p.MerchantID, ServiceID: p.SubID,
			HashKey: key, BasicPassword: basic, CipherKey: cipherKey, CipherIV: cipherIV, RootCAs: roots, Timeout: f.timeout(), Now: now, Log: f.Log})
	case backend.GatewayPaygent:
		pass, err := get(backend.SecretConnectPassword, "接続パスワード", true)
		if err != nil {
			return nil, err
		}
		cert, err := get(backend.SecretClientCert, "クライアント証明書", true)
		if err != nil {
			return nil, err
		}
		certPass, err := get(backend.SecretCertPassword, "", false)
		if err != nil {
			return nil, err
		}
		roots, err := serverRoots()
		if err != nil {
			return nil, err
		}
		return paygent.New(paygent.Config{Environment: p.Environment, Host: p.Host, MerchantID: p.MerchantID, ConnectID: p.SubID,
			ConnectPassword: pass, ClientCertPEM: []byte(cert), CertPassword: certPass, RootCAs: roots, Timeout: f.timeout(), Log: f.Log})
	}
	return nil, backend.Errorf(backend.EUNSUPPORTED, "%[1]s への接続はまだ対応していません", "%[2]s is not supported yet", p.Kind.Label(), p.Kind.LabelEn())
}

// secret reads one secret of a profile from the vault; a missing one is a clear
// credential error naming what to enter, never the value.
func (f *Factory) secret(p *backend.GatewayProfile, name, label string) (string, error) {
	if f.Vault == nil {
		return "", backend.Errorf(backend.ECREDENTIAL, "キーチェーンが使えません", "the keychain is not available")
	}
	v, err := f.Vault.Get(backend.SecretKey(p.ID, name))
	if err != nil && backend.ErrorCode(err) != backend.ENOTFOUND {
		// The keychain itself cannot be used: the secret may well be there, so the
		// operator is not asked to type it again.
		return "", &backend.Error{Code: backend.ECREDENTIAL, Class: backend.ClassNotSent, Err: err,
			Message:   fmt.Sprintf("「%s」の%sを読めません: %s", p.Name, label, backend.ErrorMessage(err, "ja")),
			MessageEn: fmt.Sprintf("cannot read the %s of %q: %s", name, p.Name, backend.ErrorMessage(err, "en"))}
	}
	if err != nil || v == "" {
		return "", &backend.Error{Code: backend.ECREDENTIAL, Class: backend.ClassNotSent,
			Message:   fmt.Sprintf("「%s」の%sがキーチェーンにありません。ゲートウェイ設定で入力してください", p.Name, label),
			MessageEn: fmt.Sprintf("the %s of %q is not in the keychain; enter it in the gateway settings", name, p.Name), Err: err}
	}
	return v, nil
}

// optional reads a secret a profile may lack: absent is "", a keychain that cannot
// be read is an error (not a silent fallback to another credential).
func (f *Factory) optional(p *backend.GatewayProfile, name string) (string, error) {
	v, err := f.Vault.Get(backend.SecretKey(p.ID, name))
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		return "", nil
	}
	return v, err
}

// SetSandbox points demo profiles at a sandbox started after the factory (the operator
// chose the demo shop on the first window).
func (f *Factory) SetSandbox(sb Sandbox) {
	f.mu.Lock()
	f.Sandbox = sb
	f.mu.Unlock()
}

// SetUnavailable makes every profile answer err from now on: the app shows the shared
// database's offline copy, or the folder was pointed at another database and waits for
// the restart — nothing may be sent.
func (f *Factory) SetUnavailable(err error) {
	f.mu.Lock()
	f.unavailable = err
	f.mu.Unlock()
}
