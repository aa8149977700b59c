package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"

	"kessaidesk/backend"
)

// MaxKeychainSecret is the largest secret put in the keychain itself. Windows' Credential
// Manager holds about 2.5 KB per secret and macOS about 4 KB; a client certificate with
// its key is often larger.
const MaxKeychainSecret = 2000

// filePrefix marks a keychain entry that holds the key of an encrypted file.
const filePrefix = "aes256gcm-file:"

// Sealed stores secrets that do not fit the keychain encrypted (AES-256-GCM) in a
// folder of the data directory, with a fresh random key per secret kept in the
// keychain. Small secrets go to the keychain unchanged.
type Sealed struct {
	Keychain backend.Vault
	Dir      string
}

var _ backend.Vault = (*Sealed)(nil)

func (s *Sealed) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(s.Dir, hex.EncodeToString(sum[:16])+".sealed")
}

// Set stores a secret in the keychain, or sealed in a file when it is too large.
func (s *Sealed) Set(key, secret string) error {
	if len(secret) <= MaxKeychainSecret && !strings.HasPrefix(secret, filePrefix) {
		if err := s.Keychain.Set(key, secret); err != nil {
			return err
		}
		os.Remove(s.path(key))
		return nil
	}
	k := make([]byte, 32)
	nonce := make([]byte, 12)
	rand.Read(k)
	rand.Read(nonce)
	block, err := aes.NewCipher(k)
	if err != nil {
		return err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return err
	}
	sealed := gcm.Seal(nonce, nonce, []byte(secret), []byte(key))
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return backend.Errorf(backend.EINTERNAL, "秘密情報のフォルダを作成できません", "cannot create the secrets folder")
	}
	tmp := s.path(key) + ".tmp"
	if err := os.WriteFile(tmp, sealed, 0o600); err != nil {
		return backend.Errorf(backend.EINTERNAL, "秘密情報のファイルを書き込めません", "cannot write the sealed secret")
	}
	if err := os.Rename(tmp, s.path(key)); err != nil {
		return backend.Errorf(backend.EINTERNAL, "秘密情報のファイルを書き込めません", "cannot write the sealed secret")
	}
	return s.Keychain.Set(key, filePrefix+hex.EncodeToString(k))
}

// Get reads a secret from the keychain, opening its sealed file when there is one.
func (s *Sealed) Get(key string) (string, error) {
	v, err := s.Keychain.Get(key)
	if err != nil || !strings.HasPrefix(v, filePrefix) {
		return v, err
	}
	k, err := hex.DecodeString(strings.TrimPrefix(v, filePrefix))
	if err != nil || len(k) != 32 {
		return "", backend.Errorf(backend.EINTERNAL, "キーチェーンの鍵が壊れています。認証情報を入力し直してください", "the keychain entry is damaged; enter the credential again")
	}
	data, err := os.ReadFile(s.path(key))
	if err != nil {
		return "", backend.Errorf(backend.ENOTFOUND, "暗号化された証明書ファイルがありません。認証情報を入力し直してください", "the sealed certificate file is missing; enter the credential again")
	}
	block, _ := aes.NewCipher(k)
	gcm, _ := cipher.NewGCM(block)
	if len(data) < gcm.NonceSize() {
		return "", backend.Errorf(backend.EINTERNAL, "暗号化された証明書ファイルが壊れています", "the sealed file is damaged")
	}
	plain, err := gcm.Open(nil, data[:gcm.NonceSize()], data[gcm.NonceSize():], []byte(key))
	if err != nil {
		return "", backend.Errorf(backend.EINTERNAL, "暗号化された証明書ファイルを復号できません（改ざんまたは破損）", "the sealed file cannot be decrypted (tampered or damaged)")
	}
	return string(plain), nil
}

// Delete removes the secret and its sealed file.
func (s *Sealed) Delete(key string) error {
	os.Remove(s.path(key))
	return s.Keychain.Delete(key)
}
