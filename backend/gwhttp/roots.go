package gwhttp

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"

	"kessaidesk/backend"
)

// RootPool is the pool that verifies a gateway's server when the profile carries a
// server CA (PEM) — a test host or a simulator whose CA is not public (like Paygent's
// module's CA file setting): the system roots plus those certificates; verification
// stays on.
// Empty caPEM = nil (the system roots alone). Anything that is not a PEM certificate
// is an EINVALID error in Japanese, for the profile form.
func RootPool(caPEM []byte) (*x509.CertPool, error) {
	if len(bytes.TrimSpace(caPEM)) == 0 {
		return nil, nil
	}
	var certs []*x509.Certificate
	for rest := caPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, backend.Errorf(backend.EINVALID, "サーバーCA証明書を読み込めません（証明書の部分が壊れています）", "cannot read the server CA certificate (corrupt certificate)")
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, backend.Errorf(backend.EINVALID, "サーバーCA証明書が見つかりません。「-----BEGIN CERTIFICATE-----」で始まるPEM形式で入力してください",
			"no server CA certificate found; enter it in PEM (-----BEGIN CERTIFICATE-----)")
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}
