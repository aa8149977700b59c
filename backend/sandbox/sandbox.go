// Package sandbox is the built-in demo gateway: the project's GMO-PG/SGP, SBPS and
// Paygent simulators started in-process on 127.0.0.1, with their state kept in the
// data folder, the demo shop whose payments live there, and a sample shop (back-office
// CSV files whose orders have transactions at the simulators) for trying a real
// shop's path. The app reaches the simulators over HTTP(S) through the same clients a
// real contract uses.
package sandbox

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	gosync "sync"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/gateways"
	"kessaidesk/backend/gmo/gmosim"
	"kessaidesk/backend/paygent"
	"kessaidesk/backend/paygent/paygentsim"
	"kessaidesk/backend/sbps/sbpssim"
	"kessaidesk/backend/simkit"
)

// The demo merchants' identifiers at the simulators (their secrets are made per
// sandbox folder and kept in ConfigFile).
const (
	ShopID            = "tdemo0000001" // GMO-PG ShopID
	SBPSMerchantID    = "90001"
	SBPSServiceID     = "001"
	PaygentMerchantID = "900001"
	PaygentConnectID  = "kddemo"
)

// Files in the sandbox folder.
const (
	ConfigFile        = "sandbox.json"       // the demo credentials and ports (0600)
	PaygentClientFile = "paygent-client.pem" // the demo merchant's client certificate, chain and key (0600)
	PaygentCAFile     = "paygent-ca.pem"     // the Paygent simulator's server CA
	paygentPKIFile    = "paygent-pki.pem"    // the simulator's CA with its keys (0600)
	// The simulators' state.
	gmoStateFile     = "gmo-sandbox.json"
	sbpsStateFile    = "sbps-sandbox.json"
	paygentStateFile = "paygent-sandbox.json"
)

// Dir is the sandbox folder of a data folder.
func Dir(dataDir string) string { return filepath.Join(dataDir, "sandbox") }

// Sandbox is the three running simulators with the demo merchants.
type Sandbox struct {
	Sim     *gmosim.Sim // GMO-PG / SGP
	SBPS    *sbpssim.Sim
	Paygent *paygentsim.Sim
	Dir     string

	mu         gosync.Mutex // writes of cfg (the sample shop counter); the rest is set at Start
	cfg        config
	clientPEM  []byte
	caPEM      []byte
	clientFile string
	caFile     string
}

// config is ConfigFile: demo-only secrets, stable per sandbox folder so that a profile
// an operator made pointing at `kessaidesk sandbox` keeps working across restarts, and
// the ports the simulators listened on last time.
type config struct {
	Note    string `json:"note"`
	GMO     port   `json:"gmo"`
	SBPS    port   `json:"sbps"`
	Paygent port   `json:"paygent"`
	// SampleShops counts the sample shops made (each gets fresh order numbers).
	SampleShops int `json:"sampleShops"`
}

type port struct {
	Addr   string `json:"addr"`
	Secret string `json:"secret"` // ShopPass, hash key, connect password
}

const configNote = "デモ専用の認証情報です。実際の決済サービスの契約では使えません / demo-only credentials, not valid at any real gateway"

func errorf(format string, args ...any) error {
	return backend.Errorf(backend.EINTERNAL, "デモ用サンドボックスを起動できません: "+format, "cannot start the demo sandbox: "+format, args...)
}

// Start runs the three simulators with their state in dir (created if needed). The
// demo credentials, the Paygent CA and the demo client certificate are made on the
// first start and kept in dir; each simulator listens on the port it had last time
// when that port is free.
func Start(dir string, clock *simkit.Clock) (s *Sandbox, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "サンドボックスのフォルダを作成できません: %v", "cannot create the sandbox folder: %v", err)
	}
	s = &Sandbox{Dir: dir, clientFile: filepath.Join(dir, PaygentClientFile), caFile: filepath.Join(dir, PaygentCAFile)}
	if err := s.loadConfig(); err != nil {
		return nil, err
	}
	pki, err := s.paygentPKI()
	if err != nil {
		return nil, err
	}
	started := s // the named result is nil by the time an error return runs this
	defer func() {
		if err != nil {
			started.Close()
		}
	}()
	if err = listen(&s.cfg.GMO, func(addr string) (string, error) {
		sim, err := gmosim.Start(gmosim.Options{Clock: clock, Addr: addr, StateFile: filepath.Join(dir, gmoStateFile)})
		if err != nil {
			return "", err
		}
		s.Sim = sim
		return sim.URL(), nil
	}); err != nil {
		return nil, errorf("GMO-PG: %v", err)
	}
	if err = listen(&s.cfg.SBPS, func(addr string) (string, error) {
		sim, err := sbpssim.Start(sbpssim.Options{Clock: clock, Addr: addr, StateFile: filepath.Join(dir, sbpsStateFile)})
		if err != nil {
			return "", err
		}
		s.SBPS = sim
		return sim.URL(), nil
	}); err != nil {
		return nil, errorf("SBPS: %v", err)
	}
	if err = listen(&s.cfg.Paygent, func(addr string) (string, error) {
		sim, err := paygentsim.Start(paygentsim.Options{Clock: clock, Addr: addr, PKI: pki, StateFile: filepath.Join(dir, paygentStateFile)})
		if err != nil {
			return "", err
		}
		s.Paygent = sim
		return sim.URL(), nil
	}); err != nil {
		return nil, errorf("Paygent: %v", err)
	}
	s.Sim.AddShop(ShopID, s.cfg.GMO.Secret)
	s.SBPS.AddMerchant(sbpssim.Merchant{MerchantID: SBPSMerchantID, ServiceID: SBPSServiceID, HashKey: s.cfg.SBPS.Secret})
	s.Paygent.AddMerchant(paygentsim.Merchant{ID: PaygentMerchantID, ConnectID: PaygentConnectID,
		ConnectPassword: s.cfg.Paygent.Secret, CertCN: PaygentMerchantID})
	if err := s.saveConfig(); err != nil {
		return nil, err
	}
	return s, nil
}

// listen starts a simulator on the address it had last time, or on a free port when
// that one is taken (or there was none), and records where it listens.
func listen(p *port, start func(addr string) (string, error)) error {
	u, err := "", errors.New("no address yet")
	if p.Addr != "" {
		u, err = start(p.Addr)
	}
	if err != nil {
		if u, err = start(""); err != nil {
			return err
		}
	}
	if pu, err := url.Parse(u); err == nil {
		p.Addr = pu.Host
	}
	return nil
}

func (s *Sandbox) loadConfig() error {
	path := filepath.Join(s.Dir, ConfigFile)
	data, err := os.ReadFile(path)
	switch {
	case os.IsNotExist(err):
	case err != nil:
		return errorf("%v", err)
	default:
		if err := json.Unmarshal(data, &s.cfg); err != nil {
			return errorf("%s: %v", ConfigFile, err)
		}
	}
	// Demo-only secrets, in the alphabets the gateways allow (GMO ShopPass: up to 10
	// letters and digits; SBPS hash key: 40 characters; Paygent: letters and digits).
	for _, p := range []struct {
		port *port
		n    int
	}{{&s.cfg.GMO, 10}, {&s.cfg.SBPS, 40}, {&s.cfg.Paygent, 16}} {
		if p.port.Secret == "" {
			p.port.Secret = randomAlnum(p.n)
		}
	}
	s.cfg.Note = configNote
	return nil
}

func (s *Sandbox) saveConfig() error {
	data, err := json.MarshalIndent(s.cfg, "", "  ")
	if err != nil {
		return errorf("%v", err)
	}
	if err := writeFile(filepath.Join(s.Dir, ConfigFile), data, 0o600); err != nil {
		return errorf("%v", err)
	}
	return nil
}

// writeFile writes atomically (a crash never leaves half a credentials file).
func writeFile(path string, data []byte, perm os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, perm); err != nil {
		return err
	}
	if err := os.Chmod(tmp, perm); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func randomAlnum(n int) string {
	const chars = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = chars[int(b[i])%len(chars)]
	}
	return string(b)
}

func randomDigits(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

// paygentPKI loads the Paygent simulator's CA (or makes one, and a new demo client
// certificate with it), and writes the client certificate and the server CA for an
// operator to load in a profile.
func (s *Sandbox) paygentPKI() (*paygentsim.PKI, error) {
	path := filepath.Join(s.Dir, paygentPKIFile)
	var pki *paygentsim.PKI
	if data, err := os.ReadFile(path); err == nil {
		pki, _ = paygentsim.LoadPKI(data) // unreadable: made again below
	}
	if pki == nil || time.Until(pki.NotAfter()) < 30*24*time.Hour {
		var err error
		if pki, err = paygentsim.NewPKI("Kessai Desk Paygent sandbox"); err != nil {
			return nil, errorf("%v", err)
		}
		data, err := pki.MarshalPEM()
		if err != nil {
			return nil, errorf("%v", err)
		}
		if err := writeFile(path, data, 0o600); err != nil {
			return nil, errorf("%v", err)
		}
	}
	client, err := os.ReadFile(s.clientFile)
	if err != nil || !issuedBy(client, pki) {
		cert, key, err := pki.IssueClient(paygentsim.ClientSpec{CommonName: PaygentMerchantID,
			NotBefore: time.Now().AddDate(0, 0, -1), NotAfter: pki.NotAfter()})
		if err != nil {
			return nil, errorf("%v", err)
		}
		client = append(cert, key...)
		if err := writeFile(s.clientFile, client, 0o600); err != nil {
			return nil, errorf("%v", err)
		}
	}
	s.clientPEM, s.caPEM = client, pki.RootPEM()
	if err := writeFile(s.caFile, s.caPEM, 0o644); err != nil {
		return nil, errorf("%v", err)
	}
	return pki, nil
}

// issuedBy reports whether a client certificate file is usable with this CA now.
func issuedBy(file []byte, pki *paygentsim.PKI) bool {
	if paygent.CheckCertificate(file, "", time.Now()) != nil {
		return false
	}
	var certs []*x509.Certificate
	for rest := file; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if c, err := x509.ParseCertificate(b.Bytes); err == nil && b.Type == "CERTIFICATE" {
			certs = append(certs, c)
		}
	}
	if len(certs) == 0 {
		return false
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{Roots: pki.RootCAs(), Intermediates: inter,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	return err == nil
}

var _ gateways.Sandbox = (*Sandbox)(nil)

// Account is how a demo profile of a gateway kind reaches its simulator (GMO-PG and
// SGP share the GMO simulator).
func (s *Sandbox) Account(kind backend.GatewayKind) (gateways.SandboxAccount, bool) {
	switch kind {
	case backend.GatewayGMO, backend.GatewaySGP:
		return gateways.SandboxAccount{URL: s.Sim.URL(), MerchantID: ShopID, Secret: s.cfg.GMO.Secret}, true
	case backend.GatewaySBPS:
		return gateways.SandboxAccount{URL: s.SBPS.URL(), MerchantID: SBPSMerchantID, SubID: SBPSServiceID,
			Secret: s.cfg.SBPS.Secret, Now: s.SBPS.Clock.Now}, true
	case backend.GatewayPaygent:
		return gateways.SandboxAccount{URL: s.Paygent.URL(), MerchantID: PaygentMerchantID, SubID: PaygentConnectID,
			Secret: s.cfg.Paygent.Secret, ClientCert: string(s.clientPEM), CACert: string(s.caPEM)}, true
	}
	return gateways.SandboxAccount{}, false
}

// Info describes the running sandbox for the command line: where each simulator
// listens and the demo merchants' credentials (demo only).
type Info struct {
	GMO struct {
		URL      string `json:"url"`
		ShopID   string `json:"shopId"`
		ShopPass string `json:"shopPass"`
	} `json:"gmo"`
	SBPS struct {
		URL        string `json:"url"`
		MerchantID string `json:"merchantId"`
		ServiceID  string `json:"serviceId"`
		HashKey    string `json:"hashKey"`
	} `json:"sbps"`
	Paygent struct {
		URL             string `json:"url"`
		MerchantID      string `json:"merchantId"`
		ConnectID       string `json:"connectId"`
		ConnectPassword string `json:"connectPassword"`
		ClientCertFile  string `json:"clientCertFile"`
		CAFile          string `json:"caFile"`
	} `json:"paygent"`
}

// Info returns the sandbox's addresses and demo credentials.
func (s *Sandbox) Info() Info {
	var in Info
	in.GMO.URL, in.GMO.ShopID, in.GMO.ShopPass = s.Sim.URL(), ShopID, s.cfg.GMO.Secret
	in.SBPS.URL, in.SBPS.MerchantID, in.SBPS.ServiceID, in.SBPS.HashKey = s.SBPS.URL(), SBPSMerchantID, SBPSServiceID, s.cfg.SBPS.Secret
	in.Paygent.URL, in.Paygent.MerchantID, in.Paygent.ConnectID = s.Paygent.URL(), PaygentMerchantID, PaygentConnectID
	in.Paygent.ConnectPassword, in.Paygent.ClientCertFile, in.Paygent.CAFile = s.cfg.Paygent.Secret, s.clientFile, s.caFile
	return in
}

// Close stops the simulators.
func (s *Sandbox) Close() error {
	var errs []error
	if s.Sim != nil {
		errs = append(errs, s.Sim.Close())
	}
	if s.SBPS != nil {
		errs = append(errs, s.SBPS.Close())
	}
	if s.Paygent != nil {
		errs = append(errs, s.Paygent.Close())
	}
	return errors.Join(errs...)
}

// batch runs fn with every simulator's state file written once at the end.
func (s *Sandbox) batch(fn func() error) error {
	return s.Sim.Batch(func() error {
		return s.SBPS.Batch(func() error { return s.Paygent.Batch(fn) })
	})
}

// ForgetTrades deletes the simulators' saved transactions in dir (a demo shop whose
// creation was cut short is made again from nothing); the demo credentials and
// certificates stay. Call it while no sandbox runs on dir.
func ForgetTrades(dir string) error {
	for _, f := range []string{gmoStateFile, sbpsStateFile, paygentStateFile} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return backend.Errorf(backend.EINTERNAL, "デモ用サンドボックスの取引を削除できません: %v", "cannot delete the demo sandbox's transactions: %v", err)
		}
	}
	return nil
}
