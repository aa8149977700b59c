// Package shareddb is how a desktop reaches its team's shared database (issue 18): the
// server's address kept in the data folder (shared-db.json — never the password, which
// is in the OS keychain), the connection string built from it with TLS verified, and
// the connection test of 設定 → 共有データベース with what each failure means.
package shareddb

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"kessaidesk/backend"
	"kessaidesk/backend/vault"
)

// File is the data folder's file that says the orders are on a shared server. Without
// it the folder's own SQLite database is used.
const File = "shared-db.json"

// CopyFile is the folder's last copy of the shared database (SQLite), opened read-only
// when the server cannot be reached.
const CopyFile = "shared-copy.db"

// TLS modes (PostgreSQL's sslmode). verify-full checks the server's certificate and its
// name; it is the default, and the only one offered for a server across a network.
const (
	VerifyFull = "verify-full"
	VerifyCA   = "verify-ca"
	Disable    = "disable" // only for a server on this PC (127.0.0.1, localhost)
)

// Config is where the shared database is. The password is in the keychain (PasswordKey).
type Config struct {
	Host     string `json:"host"`
	Port     int    `json:"port"` // 0 = 5432
	Database string `json:"database"`
	User     string `json:"user"`
	SSLMode  string `json:"sslMode"` // "" = verify-full
	// CAFile is the PEM file of the CA that signed the server's certificate; "" = the
	// OS's trusted roots (a managed server with a public certificate).
	CAFile string `json:"caFile"`
	// ID names this configuration's keychain entry (made once, kept with it).
	ID string `json:"id"`
}

// Load reads the folder's configuration; nil when the folder uses its own database.
func Load(dir string) (*Config, error) {
	b, err := os.ReadFile(filepath.Join(dir, File))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, backend.Errorf(backend.EINTERNAL, "共有データベースの設定 %s を読めません: %v",
			"cannot read the shared database settings %s: %v", filepath.Join(dir, File), err)
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, backend.Errorf(backend.EINVALID, "共有データベースの設定 %s が壊れています（%v）。設定し直すか、ファイルを削除するとこのPCのデータベースに戻ります",
			"the shared database settings %s are damaged (%v); set them again, or delete the file to go back to this PC's database",
			filepath.Join(dir, File), err)
	}
	c.normalise()
	return &c, nil
}

// Save writes the configuration (atomically), giving it an ID if it has none.
func Save(dir string, c *Config) error {
	if c.ID == "" {
		b := make([]byte, 8)
		rand.Read(b)
		c.ID = hex.EncodeToString(b)
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, File+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return backend.Errorf(backend.EINTERNAL, "共有データベースの設定を保存できません: %v", "cannot save the shared database settings: %v", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, File)); err != nil {
		os.Remove(tmp)
		return backend.Errorf(backend.EINTERNAL, "共有データベースの設定を保存できません: %v", "cannot save the shared database settings: %v", err)
	}
	return nil
}

// Remove makes the folder use its own database again (the configuration file goes;
// the keychain entry too).
func Remove(dir string, keychain backend.Vault) error {
	c, err := Load(dir)
	if err != nil || c == nil {
		os.Remove(filepath.Join(dir, File))
		return nil
	}
	if c.ID != "" {
		Passwords(keychain, c).Delete(PasswordKey)
	}
	if err := os.Remove(filepath.Join(dir, File)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return backend.Errorf(backend.EINTERNAL, "共有データベースの設定を削除できません: %v", "cannot delete the shared database settings: %v", err)
	}
	return nil
}

// PasswordKey is the password's name in the configuration's keychain scope.
const PasswordKey = "shared-db/password"

// Passwords is the keychain scope of a configuration.
func Passwords(keychain backend.Vault, c *Config) backend.Vault {
	return &vault.Scoped{Inner: keychain, Scope: "shared-" + c.ID}
}

func (c *Config) normalise() {
	c.Host = strings.TrimSpace(c.Host)
	c.Database = strings.TrimSpace(c.Database)
	c.User = strings.TrimSpace(c.User)
	c.CAFile = strings.TrimSpace(c.CAFile)
	if c.SSLMode == "" {
		c.SSLMode = VerifyFull
	}
	if c.Port == 0 {
		c.Port = 5432
	}
}

// Local reports whether the server is on this PC (TLS may then be off).
func (c *Config) Local() bool {
	h := strings.Trim(c.Host, "[]")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Validate checks the form before anything is saved or tried.
func (c *Config) Validate() error {
	c.normalise()
	switch {
	case c.Host == "":
		return backend.Errorf(backend.EINVALID, "サーバー（ホスト名またはIPアドレス）を入力してください", "enter the server (host name or IP address)")
	case strings.ContainsAny(c.Host, " /?#@"):
		return backend.Errorf(backend.EINVALID, "サーバー「%s」はホスト名またはIPアドレスではありません", "the server %q is not a host name or IP address", c.Host)
	case c.Port < 1 || c.Port > 65535:
		return backend.Errorf(backend.EINVALID, "ポート番号は 1〜65535 です（PostgreSQL の標準は 5432）", "the port is 1–65535 (PostgreSQL's default is 5432)")
	case c.Database == "":
		return backend.Errorf(backend.EINVALID, "データベース名を入力してください", "enter the database name")
	case c.User == "":
		return backend.Errorf(backend.EINVALID, "ユーザー名を入力してください", "enter the user name")
	}
	switch c.SSLMode {
	case VerifyFull, VerifyCA:
	case Disable:
		if !c.Local() {
			return backend.Errorf(backend.EINVALID, "暗号化なしの接続は、このPCのサーバー（localhost）にだけ使えます。ネットワーク越しのサーバーにはサーバー証明書を検証して接続します",
				"an unencrypted connection is only allowed to a server on this PC (localhost); a server across the network is reached with its certificate verified")
		}
	default:
		return backend.Errorf(backend.EINVALID, "TLSの設定「%s」は使えません（verify-full、verify-ca、disable）", "TLS mode %q is not supported (verify-full, verify-ca, disable)", c.SSLMode)
	}
	if c.CAFile != "" {
		b, err := os.ReadFile(c.CAFile)
		if err != nil {
			return backend.Errorf(backend.EINVALID, "CA証明書ファイル %s を読めません: %v", "cannot read the CA certificate file %s: %v", c.CAFile, err)
		}
		if !x509.NewCertPool().AppendCertsFromPEM(b) {
			return backend.Errorf(backend.EINVALID, "CA証明書ファイル %s に PEM 形式の証明書がありません", "the CA certificate file %s holds no PEM certificate", c.CAFile)
		}
	}
	return nil
}

// DSN is the connection string (a postgres:// URL) with the password.
func (c *Config) DSN(password string) string {
	c.normalise()
	q := url.Values{}
	q.Set("sslmode", c.SSLMode)
	if c.CAFile != "" && c.SSLMode != Disable {
		q.Set("sslrootcert", c.CAFile)
	}
	q.Set("connect_timeout", "10")
	q.Set("application_name", "kessaidesk")
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(strings.Trim(c.Host, "[]"), strconv.Itoa(c.Port)),
		Path: "/" + c.Database, RawQuery: q.Encode()}
	if password != "" {
		u.User = url.UserPassword(c.User, password)
	} else {
		u.User = url.User(c.User)
	}
	return u.String()
}

// Label names the server for the screen and the log: user@host:port/database.
func (c *Config) Label() string {
	c.normalise()
	return fmt.Sprintf("%s@%s/%s", c.User, net.JoinHostPort(strings.Trim(c.Host, "[]"), strconv.Itoa(c.Port)), c.Database)
}

// TestResult is what the connection test found.
type TestResult struct {
	ServerVersion string `json:"serverVersion"`
	TLS           bool   `json:"tls"` // the connection is encrypted
	// Schema is "empty" (nothing of Kessai Desk yet), "current" (this version's),
	// "older" (the first desktop to connect upgrades it), "newer" (update this app
	// first) or "foreign" (tables that are not Kessai Desk's: choose another database).
	Schema     string `json:"schema"`
	Migrations int    `json:"migrations"`
	Orders     int64  `json:"orders"` // orders on the server (0 when empty)
}

// Test connects with the configuration and password and says what is there. It
// changes nothing on the server. known is the number of migrations this app has.
func Test(ctx context.Context, c *Config, password string, known []string) (*TestResult, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", c.DSN(password))
	if err != nil {
		return nil, Explain(c, err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, Explain(c, err)
	}
	defer conn.Close()
	r := &TestResult{}
	if err := conn.QueryRowContext(ctx, `SHOW server_version`).Scan(&r.ServerVersion); err != nil {
		return nil, Explain(c, err)
	}
	conn.QueryRowContext(ctx, `SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)`).Scan(&r.TLS)
	var tables int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&tables); err != nil {
		return nil, Explain(c, err)
	}
	var hasMigrations bool
	conn.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&hasMigrations)
	switch {
	case tables == 0:
		r.Schema = "empty"
		return r, nil
	case !hasMigrations:
		r.Schema = "foreign"
		return r, nil
	}
	rows, err := conn.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, Explain(c, err)
	}
	applied := map[string]bool{}
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			applied[strings.TrimSuffix(strings.TrimSuffix(n, ".sql"), ".pgsql")] = true
		}
	}
	rows.Close()
	r.Migrations = len(applied)
	ours := map[string]bool{}
	for _, k := range known {
		ours[k] = true
	}
	r.Schema = "current"
	for n := range applied {
		if !ours[n] {
			r.Schema = "newer"
		}
	}
	if r.Schema == "current" && len(applied) < len(known) {
		r.Schema = "older"
	}
	conn.QueryRowContext(ctx, `SELECT count(*) FROM orders`).Scan(&r.Orders)
	return r, nil
}

// Explain turns a connection failure into what the operator can do about it, without
// the password.
func Explain(c *Config, err error) error {
	var pg *pgconn.PgError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var dns *net.DNSError
	var op *net.OpError
	label := c.Label()
	msg := err.Error()
	switch {
	case errors.As(err, &pg) && (pg.Code == "28P01" || pg.Code == "28000"):
		return backend.Errorf(backend.ECREDENTIAL, "%s: ユーザー名またはパスワードが違います（サーバーが接続を拒否しました）",
			"%s: the user name or password is wrong (the server refused the connection)", label)
	case errors.As(err, &pg) && pg.Code == "3D000":
		return backend.Errorf(backend.EINVALID, "%s: データベース「%s」がサーバーにありません。サーバーの管理者に作成を依頼してください（CREATE DATABASE）",
			"%s: the server has no database %q; ask its administrator to create it (CREATE DATABASE)", label, c.Database)
	case errors.As(err, &pg) && pg.Code == "42501":
		return backend.Errorf(backend.ECREDENTIAL, "%s: ユーザー「%s」にこのデータベースの権限がありません（%s）",
			"%s: the user %q lacks privileges on this database (%s)", label, c.User, pg.Message)
	case errors.As(err, &unknownCA) || strings.Contains(msg, "certificate signed by unknown authority"):
		return backend.Errorf(backend.ECREDENTIAL, "%s: サーバー証明書を発行したCAを信頼できません。サーバーのCA証明書ファイルを指定してください",
			"%s: the server's certificate is signed by an untrusted CA; choose the server's CA certificate file", label)
	case errors.As(err, &hostname) || strings.Contains(msg, "certificate is valid for"):
		return backend.Errorf(backend.ECREDENTIAL, "%s: サーバー証明書の名前がサーバー「%s」と一致しません。証明書に書かれた名前で接続してください",
			"%s: the server's certificate does not name %q; connect with the name on the certificate", label, c.Host)
	case errors.As(err, &invalid) || strings.Contains(msg, "x509:"):
		return backend.Errorf(backend.ECREDENTIAL, "%s: サーバー証明書を検証できません（%s）", "%s: the server's certificate cannot be verified (%s)", label, redact(msg))
	case strings.Contains(msg, "server refused TLS connection") || strings.Contains(msg, "server does not support SSL"):
		return backend.Errorf(backend.ECREDENTIAL, "%s: サーバーがTLS（暗号化）に対応していません。サーバーでSSLを有効にしてください",
			"%s: the server does not offer TLS; enable SSL on the server", label)
	case strings.Contains(msg, "no pg_hba.conf entry"):
		return backend.Errorf(backend.ECREDENTIAL, "%s: サーバーがこのPCからの接続を許可していません（pg_hba.conf）", "%s: the server does not accept connections from this PC (pg_hba.conf)", label)
	case errors.As(err, &dns):
		return backend.Errorf(backend.EOFFLINE, "%s: サーバー名「%s」が見つかりません（名前の誤り、またはネットワークに接続していません）",
			"%s: the server name %q cannot be found (a typo, or no network)", label, c.Host)
	case errors.As(err, &op) || errors.Is(err, context.DeadlineExceeded) || strings.Contains(msg, "connect") || strings.Contains(msg, "timeout"):
		return backend.Errorf(backend.EOFFLINE, "%s: サーバーに接続できません（サーバーが止まっているか、ネットワークに接続していません）: %s",
			"%s: cannot reach the server (it is down, or there is no network): %s", label, redact(msg))
	}
	return backend.Errorf(backend.EINTERNAL, "%s: 共有データベースを使えません: %s", "%s: the shared database cannot be used: %s", label, redact(msg))
}

// redact drops what pgx may quote from the connection string.
func redact(s string) string {
	for _, k := range []string{"password=", "postgres://"} {
		for {
			i := strings.Index(s, k)
			if i < 0 {
				break
			}
			j := strings.IndexAny(s[i:], " )'\"")
			if j < 0 {
				j = len(s) - i
			}
			s = s[:i] + "***" + s[i+j:]
		}
	}
	return s
}
