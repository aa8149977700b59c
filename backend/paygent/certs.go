package paygent

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/pkcs12"

	"kessaidesk/backend"
)

// Paygent issues each merchant a client certificate. Its PEM file (research §B1) holds
// an RSA key encrypted the legacy OpenSSL way ("Proc-Type: 4,ENCRYPTED",
// "DEK-Info: DES-EDE3-CBC"), the client certificate and SECOM's intermediate CA; some
// merchants hold the PKCS#12 (.p12/.pfx) it was exported from instead. Both are read
// here; every failure is an ECREDENTIAL error that says what to fix and never quotes
// the password.

func credErr(cause error, ja, en string, args ...any) *backend.Error {
	e := backend.Errorf(backend.ECREDENTIAL, ja, en, args...)
	e.Class, e.Err = backend.ClassNotSent, cause
	return e
}

// loadCertificate builds the TLS client certificate from PEM (certificate and key in
// one file or two) or from PKCS#12. now checks the validity period.
func loadCertificate(certPEM, keyPEM, p12 []byte, password string, now time.Time) (tls.Certificate, error) {
	if len(bytes.TrimSpace(p12)) == 0 && len(bytes.TrimSpace(certPEM)) > 0 && !bytes.Contains(certPEM, []byte("-----BEGIN")) && len(bytes.TrimSpace(keyPEM)) == 0 {
		p12 = certPEM // a PKCS#12 file stored where the PEM goes (binary or base64)
	}
	var blocks []*pem.Block
	switch {
	case len(bytes.TrimSpace(p12)) > 0:
		var err error
		if blocks, err = pkcs12Blocks(p12, password); err != nil {
			return tls.Certificate{}, err
		}
	case len(bytes.TrimSpace(certPEM)) == 0 && len(bytes.TrimSpace(keyPEM)) == 0:
		return tls.Certificate{}, credErr(nil, "ペイジェントのクライアント証明書が設定されていません。ペイジェントから発行された証明書（PEMまたはPKCS#12）をゲートウェイ設定で登録してください",
			"no Paygent client certificate is set; register the PEM or PKCS#12 file Paygent issued")
	default:
		for _, data := range [][]byte{certPEM, keyPEM} {
			for rest := data; ; {
				var b *pem.Block
				b, rest = pem.Decode(rest)
				if b == nil {
					break
				}
				blocks = append(blocks, b)
			}
		}
	}
	var certs []*x509.Certificate
	var key crypto.Signer
	for _, b := range blocks {
		switch b.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return tls.Certificate{}, credErr(err, "クライアント証明書を読み込めません（証明書の部分が壊れています）", "cannot read the client certificate (corrupt certificate)")
			}
			certs = append(certs, c)
		case "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY":
			if key != nil {
				continue
			}
			k, err := parseKey(b, password)
			if err != nil {
				return tls.Certificate{}, err
			}
			key = k
		case "ENCRYPTED PRIVATE KEY":
			if key == nil {
				return tls.Certificate{}, credErr(nil, "クライアント証明書の秘密鍵の暗号方式（PKCS#8）に対応していません。ペイジェントから届いたPEMファイルか、PKCS#12ファイルを登録してください",
					"the key is an encrypted PKCS#8 key, which is not supported; register Paygent's original PEM or the PKCS#12 file")
			}
		}
	}
	if len(certs) == 0 {
		return tls.Certificate{}, credErr(nil, "クライアント証明書を読み込めません（証明書が見つかりません）。ペイジェントから発行されたPEMファイルを登録してください",
			"cannot read the client certificate (no certificate found)")
	}
	if key == nil {
		return tls.Certificate{}, credErr(nil, "クライアント証明書の秘密鍵が見つかりません。秘密鍵を含むPEMファイル（またはPKCS#12ファイル）を登録してください",
			"the client certificate's private key is missing")
	}
	leaf := -1
	for i, c := range certs {
		if samePublicKey(c.PublicKey, key.Public()) {
			leaf = i
			break
		}
	}
	if leaf < 0 {
		return tls.Certificate{}, credErr(nil, "クライアント証明書と秘密鍵が対応していません（別の証明書の鍵です）", "the private key does not belong to the client certificate")
	}
	lc := certs[leaf]
	if now.After(lc.NotAfter) {
		return tls.Certificate{}, credErr(nil, "クライアント証明書の有効期限が切れています（%s まで）。ペイジェントに新しい証明書を依頼してください",
			"the client certificate expired on %s; ask Paygent for a new one", lc.NotAfter.In(backend.JST).Format("2006/01/02"))
	}
	if now.Before(lc.NotBefore) {
		return tls.Certificate{}, credErr(nil, "クライアント証明書はまだ有効になっていません（%s から）", "the client certificate is not valid before %s",
			lc.NotBefore.In(backend.JST).Format("2006/01/02 15:04"))
	}
	// The leaf first, then the chain in file order (Paygent's file carries its
	// intermediate CA; the server needs it to verify the leaf).
	chain := [][]byte{lc.Raw}
	for i, c := range certs {
		if i != leaf {
			chain = append(chain, c.Raw)
		}
	}
	return tls.Certificate{Certificate: chain, PrivateKey: key, Leaf: lc}, nil
}

// parseKey reads a private key block, decrypting a legacy encrypted PEM key.
func parseKey(b *pem.Block, password string) (crypto.Signer, error) {
	der := b.Bytes
	// Paygent's PEM keys use the legacy OpenSSL encryption (deprecated in crypto/x509
	// as insecure, but the only way to read the files Paygent ships).
	if x509.IsEncryptedPEMBlock(b) {
		if password == "" {
			return nil, credErr(nil, "クライアント証明書の秘密鍵はパスワードで保護されています。証明書のパスワードを入力してください",
				"the client certificate's key is encrypted; enter its password")
		}
		var err error
		der, err = x509.DecryptPEMBlock(b, []byte(password))
		if err != nil {
			if errors.Is(err, x509.IncorrectPasswordError) {
				return nil, credErr(nil, "クライアント証明書のパスワードが正しくありません", "the client certificate's password is wrong")
			}
			return nil, credErr(nil, "クライアント証明書の秘密鍵を復号できません（暗号方式に対応していないか、ファイルが壊れています）",
				"cannot decrypt the client certificate's key")
		}
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		if s, ok := k.(crypto.Signer); ok {
			return s, nil
		}
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	if b.Headers["Proc-Type"] != "" {
		// Decryption with a wrong password sometimes "succeeds" with garbage padding.
		return nil, credErr(nil, "クライアント証明書のパスワードが正しくありません", "the client certificate's password is wrong")
	}
	return nil, credErr(nil, "クライアント証明書の秘密鍵を読み込めません（形式に対応していないか、ファイルが壊れています）", "cannot read the client certificate's key")
}

// pkcs12Blocks reads a PKCS#12 file (DER, or base64 of it as a keychain may hold it).
func pkcs12Blocks(data []byte, password string) ([]*pem.Block, error) {
	der := data
	if dec, err := base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields(data), nil))); err == nil && len(dec) > 0 {
		der = dec
	}
	blocks, err := pkcs12.ToPEM(der, password)
	if err == nil {
		return blocks, nil
	}
	var ni pkcs12.NotImplementedError
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		return nil, credErr(nil, "クライアント証明書（PKCS#12）のパスワードが正しくありません", "the PKCS#12 password is wrong")
	case errors.As(err, &ni):
		// golang.org/x/crypto/pkcs12 reads the legacy 3DES/RC2 + SHA-1 files only, not
		// the AES/PBKDF2 files OpenSSL 3 and recent Windows export by default.
		return nil, credErr(nil, "このPKCS#12ファイルの暗号方式には対応していません。PEM形式に変換して登録してください（例: openssl pkcs12 -in 証明書.p12 -out 証明書.pem）",
			"this PKCS#12 file uses an encryption that is not supported; convert it to PEM")
	}
	return nil, credErr(nil, "クライアント証明書を読み込めません（PEMでもPKCS#12でもないか、ファイルが壊れています）",
		"cannot read the client certificate (neither PEM nor PKCS#12, or corrupt)")
}

func samePublicKey(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	switch k := a.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		if e, ok := k.(equaler); ok {
			return e.Equal(b)
		}
	}
	return false
}

// describeCert names a certificate for the connection test.
func describeCert(c *x509.Certificate) string {
	if c == nil {
		return ""
	}
	return fmt.Sprintf("%s（%s まで有効）", c.Subject.CommonName, c.NotAfter.In(backend.JST).Format("2006/01/02"))
}

// CheckCertificate reads a client certificate as New would (PEM with its key, or
// PKCS#12) and explains in Japanese why it cannot be used — for the profile form,
// before anything is saved.
func CheckCertificate(cert []byte, password string, now time.Time) error {
	_, err := loadCertificate(cert, nil, nil, password, now)
	return err
}

// CertificateInfo names a client certificate for the profile form.
type CertificateInfo struct {
	Subject  string    // the certificate's CN (Paygent: the merchant)
	NotAfter time.Time // the last moment it is valid
}

// ReadCertificate reads a client certificate as New would (PEM with its key, or
// PKCS#12 with its password) and says whose it is and until when it is valid.
func ReadCertificate(cert []byte, password string, now time.Time) (*CertificateInfo, error) {
	c, err := loadCertificate(cert, nil, nil, password, now)
	if err != nil {
		return nil, err
	}
	return &CertificateInfo{Subject: c.Leaf.Subject.CommonName, NotAfter: c.Leaf.NotAfter}, nil
}
