package paygent_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
)

func TestCredentialErrors(t *testing.T) {
	f := setup(t)
	cases := []struct {
		name   string
		mutate func(*paygent.Config)
		want   string
	}{
		{"no merchant id", func(c *paygent.Config) { c.MerchantID = "" }, "マーチャントIDが設定されていません"},
		{"bad merchant id", func(c *paygent.Config) { c.MerchantID = "12a" }, "マーチャントIDの形式が正しくありません"},
		{"no connect id", func(c *paygent.Config) { c.ConnectID = "" }, "接続IDが設定されていません"},
		{"bad connect id", func(c *paygent.Config) { c.ConnectID = "a-b" }, "接続IDの形式が正しくありません"},
		{"no connect password", func(c *paygent.Config) { c.ConnectPassword = "" }, "接続パスワードがキーチェーンにありません"},
		{"no certificate", func(c *paygent.Config) { c.ClientCertPEM, c.ClientKeyPEM = nil, nil }, "クライアント証明書が設定されていません"},
		{"no key", func(c *paygent.Config) { c.ClientKeyPEM = nil }, "秘密鍵が見つかりません"},
		{"key only", func(c *paygent.Config) { c.ClientCertPEM = nil }, "証明書が見つかりません"},
		{"garbage", func(c *paygent.Config) { c.ClientCertPEM, c.ClientKeyPEM = []byte("hello"), nil }, "PEMでもPKCS#12でもない"},
		{"corrupt certificate", func(c *paygent.Config) {
			c.ClientCertPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not DER")})
		}, "証明書の部分が壊れています"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := f.config()
			c.mutate(&cfg)
			_, err := paygent.New(cfg)
			require.Error(t, err)
			assert.Equal(t, backend.ECREDENTIAL, code(err))
			assert.Contains(t, ja(err), c.want)
			assert.NotContains(t, ja(err)+err.Error(), connectPW)
		})
	}
	// Not a credential, a host.
	cfg := f.config()
	cfg.Host = "http://127.0.0.1:1"
	_, err := paygent.New(cfg)
	assert.Equal(t, backend.EINVALID, code(err))
	// The published host by environment.
	cfg = f.config()
	cfg.Host = ""
	_, err = paygent.New(cfg)
	assert.NoError(t, err)
}

func TestCertificateAndKeyInOneFile(t *testing.T) {
	f := setup(t)
	c := f.newClient(t, func(c *paygent.Config) {
		c.ClientCertPEM, c.ClientKeyPEM = append(append([]byte("Bag Attributes\n"), f.keyPEM...), f.certPEM...), nil
	})
	require.NoError(t, c.Ping(context.Background()))
	assert.Contains(t, c.Certificate(), certCN)
	assert.True(t, c.CertificateExpiry().After(time.Now()))
}

func TestKeyOfAnotherCertificate(t *testing.T) {
	f := setup(t)
	_, otherKey, err := f.sim.PKI().IssueClient(paygentsim.ClientSpec{CommonName: "x"})
	require.NoError(t, err)
	cfg := f.config()
	cfg.ClientKeyPEM = otherKey
	_, err = paygent.New(cfg)
	assert.Equal(t, backend.ECREDENTIAL, code(err))
	assert.Contains(t, ja(err), "証明書と秘密鍵が対応していません")
}

func TestExpiredCertificate(t *testing.T) {
	f := setup(t)
	cert, key, err := f.sim.PKI().IssueClient(paygentsim.ClientSpec{CommonName: certCN,
		NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(0, 0, -1)})
	require.NoError(t, err)
	cfg := f.config()
	cfg.ClientCertPEM, cfg.ClientKeyPEM = cert, key
	_, err = paygent.New(cfg)
	assert.Equal(t, backend.ECREDENTIAL, code(err))
	assert.Contains(t, ja(err), "クライアント証明書の有効期限が切れています")
}

// Paygent's own file: an RSA key encrypted the legacy OpenSSL way (DES-EDE3-CBC), the
// client certificate and the intermediate CA, all in one PEM.
func TestEncryptedLegacyPEMKey(t *testing.T) {
	f := setup(t)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	cert, _, err := f.sim.PKI().IssueClient(paygentsim.ClientSpec{CommonName: certCN, Key: rsaKey})
	require.NoError(t, err)
	const pass = "changeit"
	block, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey), []byte(pass), x509.PEMCipher3DES) //nolint:staticcheck // the format Paygent ships
	require.NoError(t, err)
	file := append(pem.EncodeToMemory(block), cert...)
	require.Contains(t, string(file), "Proc-Type: 4,ENCRYPTED")
	require.Contains(t, string(file), "DEK-Info: DES-EDE3-CBC")

	c := f.newClient(t, func(c *paygent.Config) { c.ClientCertPEM, c.ClientKeyPEM, c.CertPassword = file, nil, pass })
	require.NoError(t, c.Ping(context.Background()))

	for _, tc := range []struct{ pass, want string }{
		{"", "パスワードで保護されています"},
		{"wrong-Pa55", "パスワードが正しくありません"},
	} {
		cfg := f.config()
		cfg.ClientCertPEM, cfg.ClientKeyPEM, cfg.CertPassword = file, nil, tc.pass
		_, err := paygent.New(cfg)
		require.Error(t, err)
		assert.Equal(t, backend.ECREDENTIAL, code(err))
		assert.Contains(t, ja(err), tc.want)
		if tc.pass != "" {
			assert.NotContains(t, ja(err)+err.Error()+backend.ErrorMessage(err, "en"), tc.pass)
		}
	}
}

// PKCS#12: the legacy encryption (3DES, SHA-1 MAC) that golang.org/x/crypto/pkcs12
// reads; the AES/PBKDF2 default of OpenSSL 3 gets a message to convert it to PEM.
// The files are made with the openssl command at test time (skipped without it).
func TestPKCS12(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed")
	}
	f := setup(t)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, f.certPEM, 0o600))
	require.NoError(t, os.WriteFile(keyFile, f.keyPEM, 0o600))
	const pass = "p12-Secret"
	export := func(name string, extra ...string) []byte {
		out := filepath.Join(dir, name)
		args := append([]string{"pkcs12", "-export", "-in", certFile, "-inkey", keyFile, "-out", out, "-passout", "pass:" + pass}, extra...)
		b, err := exec.Command(openssl, args...).CombinedOutput()
		if err != nil {
			t.Skipf("openssl pkcs12 failed: %v: %s", err, b)
		}
		data, err := os.ReadFile(out)
		require.NoError(t, err)
		return data
	}
	legacy := export("legacy.p12", "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1")

	c := f.newClient(t, func(c *paygent.Config) {
		c.ClientCertPEM, c.ClientKeyPEM, c.PKCS12, c.CertPassword = nil, nil, legacy, pass
	})
	require.NoError(t, c.Ping(context.Background()), "the chain from the PKCS#12 is sent")
	// The same file kept in the keychain as base64, where the PEM would go.
	c = f.newClient(t, func(c *paygent.Config) {
		c.ClientCertPEM, c.ClientKeyPEM, c.CertPassword = []byte(base64.StdEncoding.EncodeToString(legacy)), nil, pass
	})
	require.NoError(t, c.Ping(context.Background()))

	cfg := f.config()
	cfg.ClientCertPEM, cfg.ClientKeyPEM, cfg.PKCS12, cfg.CertPassword = nil, nil, legacy, "wrong"
	_, err = paygent.New(cfg)
	assert.Equal(t, backend.ECREDENTIAL, code(err))
	assert.Contains(t, ja(err), "PKCS#12）のパスワードが正しくありません")

	modern := export("modern.p12") // OpenSSL 3 default: AES-256-CBC, PBKDF2, SHA-256 MAC
	cfg.PKCS12, cfg.CertPassword = modern, pass
	_, err = paygent.New(cfg)
	assert.Equal(t, backend.ECREDENTIAL, code(err))
	assert.Contains(t, ja(err), "暗号方式には対応していません。PEM形式に変換して登録してください")
	assert.NotContains(t, ja(err)+err.Error(), pass)
}
