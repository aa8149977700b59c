package vault

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSealedKeepsSmallSecretsInTheKeychain(t *testing.T) {
	kc := NewMemory()
	s := &Sealed{Keychain: kc, Dir: t.TempDir()}
	require.NoError(t, s.Set("profile/1/shop_pass", "abc123"))
	v, err := kc.Get("profile/1/shop_pass")
	require.NoError(t, err)
	assert.Equal(t, "abc123", v)
	got, err := s.Get("profile/1/shop_pass")
	require.NoError(t, err)
	assert.Equal(t, "abc123", got)
	entries, _ := os.ReadDir(s.Dir)
	assert.Empty(t, entries)
}

func TestSealedPutsLargeSecretsInAnEncryptedFile(t *testing.T) {
	kc := NewMemory()
	dir := t.TempDir()
	s := &Sealed{Keychain: kc, Dir: dir}
	cert := "-----BEGIN CERTIFICATE-----\n" + strings.Repeat("MIIFazCCA1OgAwIBAgIUSECRETCERTDATA", 200) + "\n-----END CERTIFICATE-----\n"
	require.Greater(t, len(cert), MaxKeychainSecret)
	require.NoError(t, s.Set("profile/2/client_cert", cert))

	inKeychain, _ := kc.Get("profile/2/client_cert")
	assert.Less(t, len(inKeychain), 200, "only the file key is in the keychain")
	files, _ := filepath.Glob(filepath.Join(dir, "*.sealed"))
	require.Len(t, files, 1)
	raw, _ := os.ReadFile(files[0])
	assert.NotContains(t, string(raw), "SECRETCERTDATA", "the file is encrypted")

	got, err := s.Get("profile/2/client_cert")
	require.NoError(t, err)
	assert.Equal(t, cert, got)

	// A tampered file is refused, not returned.
	raw[len(raw)-1] ^= 1
	require.NoError(t, os.WriteFile(files[0], raw, 0o600))
	_, err = s.Get("profile/2/client_cert")
	require.Error(t, err)

	require.NoError(t, s.Delete("profile/2/client_cert"))
	files, _ = filepath.Glob(filepath.Join(dir, "*.sealed"))
	assert.Empty(t, files)
	_, err = kc.Get("profile/2/client_cert")
	assert.Error(t, err)
}
