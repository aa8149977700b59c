package paygentsim

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"time"
)

// PKI is a throw-away certificate authority made at run time (nothing is stored in
// the repository): a root, an intermediate that issues the merchants' client
// certificates (as SECOM's "Passport for Member" CA does for Paygent), and the
// simulator's server certificate for 127.0.0.1. Tests make a second PKI to play a
// certificate from the wrong CA.
type PKI struct {
	Name string

	root, inter       *x509.Certificate
	rootKey, interKey crypto.Signer
	server            tls.Certificate
	pool              *x509.CertPool
}

// NewPKI makes a fresh CA named name (ECDSA P-256 keys: quick to make).
func NewPKI(name string) (*PKI, error) {
	p := &PKI{Name: name, pool: x509.NewCertPool()}
	now := time.Now()
	var err error
	if p.rootKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	rootTmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{Organization: []string{name}, CommonName: name + " Root CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(10, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	if p.root, err = issue(rootTmpl, rootTmpl, p.rootKey.Public(), p.rootKey); err != nil {
		return nil, err
	}
	if p.interKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	interTmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{Organization: []string{name}, CommonName: name + " Member CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(5, 0, 0),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	if p.inter, err = issue(interTmpl, p.root, p.interKey.Public(), p.rootKey); err != nil {
		return nil, err
	}
	p.pool.AddCert(p.root)
	if err := p.issueServer(); err != nil {
		return nil, err
	}
	return p, nil
}

// issueServer makes the simulator's server certificate for 127.0.0.1 (a new one at
// every start: only the CA needs to last).
func (p *PKI) issueServer() error {
	now := time.Now()
	serverKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serverTmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{Organization: []string{p.Name}, CommonName: "127.0.0.1"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}, DNSNames: []string{"localhost"},
	}
	sc, err := issue(serverTmpl, p.root, serverKey.Public(), p.rootKey)
	if err != nil {
		return err
	}
	p.server = tls.Certificate{Certificate: [][]byte{sc.Raw}, PrivateKey: serverKey, Leaf: sc}
	return nil
}

// MarshalPEM writes the CA — the root and intermediate certificates and their private
// keys — so that a sandbox keeps its PKI, and the client certificates it issued keep
// working, across restarts. The output holds private keys: store it 0600.
func (p *PKI) MarshalPEM() ([]byte, error) {
	var out []byte
	for _, c := range []struct {
		cert *x509.Certificate
		key  crypto.Signer
	}{{p.root, p.rootKey}, {p.inter, p.interKey}} {
		der, err := x509.MarshalPKCS8PrivateKey(c.key)
		if err != nil {
			return nil, fmt.Errorf("paygentsim: %w", err)
		}
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.cert.Raw})...)
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})...)
	}
	return out, nil
}

// LoadPKI reads a CA written by MarshalPEM and makes a fresh server certificate.
func LoadPKI(data []byte) (*PKI, error) {
	var certs []*x509.Certificate
	var keys []crypto.Signer
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		switch b.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("paygentsim: CA file: %w", err)
			}
			certs = append(certs, c)
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("paygentsim: CA file: %w", err)
			}
			s, ok := k.(crypto.Signer)
			if !ok {
				return nil, fmt.Errorf("paygentsim: CA file: not a signing key")
			}
			keys = append(keys, s)
		}
	}
	if len(certs) != 2 || len(keys) != 2 {
		return nil, fmt.Errorf("paygentsim: CA file: want 2 certificates and 2 keys, found %d and %d", len(certs), len(keys))
	}
	if len(certs[0].Subject.Organization) == 0 {
		return nil, fmt.Errorf("paygentsim: CA file: the root has no organisation")
	}
	if err := certs[1].CheckSignatureFrom(certs[0]); err != nil {
		return nil, fmt.Errorf("paygentsim: CA file: %w", err)
	}
	for i, k := range keys {
		if pub, ok := k.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(certs[i].PublicKey) {
			return nil, fmt.Errorf("paygentsim: CA file: key %d does not belong to its certificate", i+1)
		}
	}
	p := &PKI{Name: certs[0].Subject.Organization[0], root: certs[0], rootKey: keys[0], inter: certs[1], interKey: keys[1],
		pool: x509.NewCertPool()}
	p.pool.AddCert(p.root)
	if err := p.issueServer(); err != nil {
		return nil, err
	}
	return p, nil
}

// NotAfter is when the CA stops issuing usable certificates (the intermediate's end).
func (p *PKI) NotAfter() time.Time { return p.inter.NotAfter }

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n.Add(n, big.NewInt(1))
}

func issue(tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// RootCAs is the pool a client passes as Config.RootCAs to trust the simulator.
func (p *PKI) RootCAs() *x509.CertPool { return p.pool }

// RootPEM is the root certificate in PEM.
func (p *PKI) RootPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.root.Raw})
}

// ClientSpec describes a client certificate to issue.
type ClientSpec struct {
	CommonName string        // the merchant's name in the certificate (the simulator can tie it to a merchant)
	Key        crypto.Signer // nil = a new ECDSA P-256 key
	NotBefore  time.Time     // zero = an hour ago
	NotAfter   time.Time     // zero = a year from now
}

// IssueClient issues a client certificate and returns it as Paygent ships it: the
// certificate followed by the intermediate CA (certPEM), and the key as PKCS#8 PEM.
func (p *PKI) IssueClient(spec ClientSpec) (certPEM, keyPEM []byte, err error) {
	key := spec.Key
	if key == nil {
		if key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			return nil, nil, err
		}
	}
	nb, na := spec.NotBefore, spec.NotAfter
	if nb.IsZero() {
		nb = time.Now().Add(-time.Hour)
	}
	if na.IsZero() {
		na = time.Now().AddDate(1, 0, 0)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{Organization: []string{p.Name}, OrganizationalUnit: []string{"PAYGENT B2B Module"}, CommonName: spec.CommonName},
		NotBefore:    nb, NotAfter: na,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	c, err := issue(tmpl, p.inter, key.Public(), p.interKey)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("paygentsim: %w", err)
	}
	certPEM = append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.inter.Raw})...)
	return certPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ServerTLS is the simulator's TLS configuration: its certificate for 127.0.0.1, and a
// client certificate is required and verified against this PKI's root. TLS 1.2 is
// the default maximum, like Paygent's module hosts (renegotiation-era servers verify
// the client certificate inside the handshake, so a refusal is seen before anything
// is sent); tls13 allows TLS 1.3 (the refusal then arrives after the request).
func (p *PKI) ServerTLS(tls13 bool) *tls.Config {
	max := uint16(tls.VersionTLS12)
	if tls13 {
		max = tls.VersionTLS13
	}
	return &tls.Config{
		Certificates: []tls.Certificate{p.server},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    p.pool,
		MinVersion:   tls.VersionTLS12,
		MaxVersion:   max,
	}
}
