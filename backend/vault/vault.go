// Package vault keeps merchant secrets (ShopPass, hash keys, connect passwords,
// certificate keys) in the OS keychain through go-keyring: Windows Credential Manager,
// macOS Keychain, the Secret Service on Linux. Memory is the in-memory fake for tests.
package vault

import (
	"errors"
	"runtime"
	"sync"

	"github.com/zalando/go-keyring"

	"kessaidesk/backend"
)

// Service is the keychain service name under which every secret is stored.
const Service = "Kessai Desk"

// Keyring is the OS keychain.
type Keyring struct {
	Service string // "" = Service
}

var _ backend.Vault = Keyring{}

func (k Keyring) service() string {
	if k.Service == "" {
		return Service
	}
	return k.Service
}

// Set stores a secret.
func (k Keyring) Set(key, secret string) error {
	if err := noSessionBus(); err != nil {
		return err
	}
	err := keyring.Set(k.service(), key, secret)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return backend.Errorf(backend.EINVALID, "秘密情報が大きすぎてキーチェーンに保存できません", "the secret is too large for the OS keychain")
	}
	return keychainError(err)
}

// Get reads a secret; ENOTFOUND when absent.
func (k Keyring) Get(key string) (string, error) {
	if err := noSessionBus(); err != nil {
		return "", err
	}
	s, err := keyring.Get(k.service(), key)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", backend.Errorf(backend.ENOTFOUND, "キーチェーンに認証情報がありません。設定のゲートウェイで入力してください", "no credential in the OS keychain; enter it in the gateway settings")
	}
	if err != nil {
		return "", keychainError(err)
	}
	return s, nil
}

// Delete removes a secret; a missing one is not an error.
func (k Keyring) Delete(key string) error {
	if err := noSessionBus(); err != nil {
		return err
	}
	err := keyring.Delete(k.service(), key)
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return keychainError(err)
}

// keychainError explains a keychain failure without echoing any secret (go-keyring's
// errors never contain the secret; they describe the platform call).
func keychainError(err error) error {
	ja, en := keychainHelp()
	return &backend.Error{Code: backend.ECREDENTIAL,
		Message:   "OSのキーチェーンを使えません（ロックされているか、キーチェーンのサービスがありません）。" + ja,
		MessageEn: "the OS keychain is not available (locked, or no keychain service). " + en, Err: err}
}

// keychainHelp says what the operator can do about a keychain that cannot be used.
// Nothing is saved elsewhere instead: secrets never go to the database or a file in
// the clear.
func keychainHelp() (ja, en string) {
	switch runtime.GOOS {
	case "windows":
		return "Windowsの「資格情報マネージャー」（Credential Manager サービス）が動いているか確認し、Windowsにサインインし直してから、もう一度操作してください",
			"check that Windows' Credential Manager service is running, sign in to Windows again, then try again"
	case "darwin":
		return "「キーチェーンアクセス」で「ログイン」キーチェーンのロックを解除し、決済デスクにアクセスを許可してから、もう一度操作してください",
			"unlock the login keychain in Keychain Access and allow Kessai Desk to use it, then try again"
	}
	return "デスクトップのキーリング（GNOME キーリング、KDE Wallet など）を起動してロックを解除し、もう一度操作してください。認証情報はデータベースには保存しません",
		"start and unlock the desktop keyring (GNOME Keyring, KDE Wallet…), then try again; credentials are never stored in the database"
}

// Memory is an in-memory Vault for tests.
type Memory struct {
	mu sync.Mutex
	m  map[string]string
}

var _ backend.Vault = (*Memory)(nil)

// NewMemory returns an empty in-memory vault.
func NewMemory() *Memory { return &Memory{m: map[string]string{}} }

// Set stores a secret.
func (v *Memory) Set(key, secret string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.m[key] = secret
	return nil
}

// Get reads a secret; ENOTFOUND when absent.
func (v *Memory) Get(key string) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	s, ok := v.m[key]
	if !ok {
		return "", backend.Errorf(backend.ENOTFOUND, "キーチェーンに認証情報がありません", "no credential in the keychain")
	}
	return s, nil
}

// Delete removes a secret.
func (v *Memory) Delete(key string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.m, key)
	return nil
}

// Keys lists the stored keys (tests check that deleting a profile removes them).
func (v *Memory) Keys() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make([]string, 0, len(v.m))
	for k := range v.m {
		out = append(out, k)
	}
	return out
}
