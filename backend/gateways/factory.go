// Package gateways builds the gateway client for a profile: the protocol by the
// profile's kind, the host by its environment (or its custom host), the secrets from
// the OS keychain. The demo profile talks to the built-in sandbox over HTTP, through
// the same client a real contract uses.
package gateways

import (
	"context"
	"crypto/x509"
	"fmt"
	"sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/gmo"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/sbps"
)

// Sandbox is the running built-in simulator the demo profile points at.
type Sandbox interface {
	URL() string
	Credentials() (shopID, shopPass string)
}

// Factory implements backend.GatewayFactory. Clients are cached per profile and
// rebuilt when the profile changes.
type Factory struct {
	Vault   backend.Vault
	Sandbox Sandbox // nil: no demo
	// RootCAs verifies TLS servers that need a client certificate (Paygent); nil = the
	// system roots. Only tests and a simulator set it.
	RootCAs *x509.CertPool
	Timeout time.Duration
	// Now is the clock of requests that carry a timestamp (SBPS request_date, which
	// SBPS refuses when it is far from its own clock); nil = time.Now. Tests set the
	// simulator's clock.
	Now func() time.Time

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
	if p.Demo {
		if f.Sandbox == nil {
			return nil, backend.Errorf(backend.EOFFLINE, "デモ用サンドボックスが起動していません", "the demo sandbox is not running")
		}
		id, pass := f.Sandbox.Credentials()
		return gmo.New(gmo.Config{Kind: backend.GatewayGMO, Host: f.Sandbox.URL(), ShopID: id, ShopPass: pass, Timeout: f.timeout()})
	}
	switch p.Kind {
	case backend.GatewayGMO, backend.GatewaySGP:
		pass, err := f.secret(p, backend.SecretShopPass, "ショップパスワード")
		if err != nil {
			return nil, err
		}
		return gmo.New(gmo.Config{Kind: p.Kind, Environment: p.Environment, Host: p.Host, ShopID: p.MerchantID,
			ShopPass: pass, Timeout: f.timeout()})
	case backend.GatewaySBPS:
		key, err := f.secret(p, backend.SecretHashKey, "ハッシュキー")
		if err != nil {
			return nil, err
		}
		// Optional: a separate Basic password and the 3DES pair of encrypting contracts.
		var basic, cipherKey, cipherIV string
		for name, v := range map[string]*string{backend.SecretBasicPassword: &basic, backend.SecretCipherKey: &cipherKey, backend.SecretCipherIV: &cipherIV} {
			if *v, err = f.optional(p, name); err != nil {
				return nil, err
			}
		}
		return sbps.New(sbps.Config{Environment: p.Environment, Host: p.Host, MerchantID: p.MerchantID, ServiceID: p.SubID,
			HashKey: key, BasicPassword: basic, CipherKey: cipherKey, CipherIV: cipherIV, Timeout: f.timeout(), Now: f.Now})
	case backend.GatewayPaygent:
		pass, err := f.secret(p, backend.SecretConnectPassword, "接続パスワード")
		if err != nil {
			return nil, err
		}
		cert, err := f.secret(p, backend.SecretClientCert, "クライアント証明書")
		if err != nil {
			return nil, err
		}
		certPass, err := f.optional(p, backend.SecretCertPassword)
		if err != nil {
			return nil, err
		}
		return paygent.New(paygent.Config{Environment: p.Environment, Host: p.Host, MerchantID: p.MerchantID, ConnectID: p.SubID,
			ConnectPassword: pass, ClientCertPEM: []byte(cert), CertPassword: certPass, RootCAs: f.RootCAs, Timeout: f.timeout()})
	}
	return nil, backend.Errorf(backend.EUNSUPPORTED, "%s への接続はまだ対応していません", "%s is not supported yet", p.Kind.Label())
}

// secret reads one secret of a profile from the vault; a missing one is a clear
// credential error naming what to enter, never the value.
func (f *Factory) secret(p *backend.GatewayProfile, name, label string) (string, error) {
	if f.Vault == nil {
		return "", backend.Errorf(backend.ECREDENTIAL, "キーチェーンが使えません", "the keychain is not available")
	}
	v, err := f.Vault.Get(backend.SecretKey(p.ID, name))
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
