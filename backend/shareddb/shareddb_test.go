package shareddb

import (
	"context"
	"database/sql"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/pgstore"
	"kessaidesk/backend/pgstore/pgtest"
	"kessaidesk/backend/sqlite/migrations"
	"kessaidesk/backend/vault"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Cleanup()
	os.Exit(code)
}

func TestValidateRefusesWhatCannotWork(t *testing.T) {
	ok := Config{Host: "db.example.jp", Database: "shop", User: "kessai"}
	require.NoError(t, ok.Validate())
	assert.Equal(t, VerifyFull, ok.SSLMode, "TLS is verified unless said otherwise")
	assert.Equal(t, 5432, ok.Port)

	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, []byte("not a certificate"), 0o600))
	for name, c := range map[string]Config{
		"no host":             {Database: "shop", User: "u"},
		"a URL as host":       {Host: "postgres://db", Database: "shop", User: "u"},
		"port":                {Host: "db", Port: 70000, Database: "shop", User: "u"},
		"no database":         {Host: "db", User: "u"},
		"no user":             {Host: "db", Database: "shop"},
		"plain text remotely": {Host: "db.example.jp", Database: "shop", User: "u", SSLMode: Disable},
		"unknown TLS mode":    {Host: "db", Database: "shop", User: "u", SSLMode: "prefer"},
		"CA file missing":     {Host: "db", Database: "shop", User: "u", CAFile: filepath.Join(t.TempDir(), "none.pem")},
		"CA file not PEM":     {Host: "db", Database: "shop", User: "u", CAFile: ca},
	} {
		err := c.Validate()
		require.Error(t, err, name)
		assert.Equal(t, backend.EINVALID, backend.ErrorCode(err), name)
		assert.Regexp(t, `[ぁ-んァ-ン一-龯]`, backend.ErrorMessage(err, "ja"), name)
	}
	local := Config{Host: "127.0.0.1", Database: "shop", User: "u", SSLMode: Disable}
	assert.NoError(t, local.Validate(), "a server on this PC may go without TLS")
}

func TestDSNVerifiesTLSAndLabelHidesThePassword(t *testing.T) {
	c := Config{Host: "db.example.jp", Port: 6432, Database: "shop", User: "kessai", CAFile: "/etc/ca.pem"}
	dsn := c.DSN("p@ss word/?")
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	pw, _ := u.User.Password()
	assert.Equal(t, "p@ss word/?", pw, "the password survives URL escaping")
	assert.Equal(t, "verify-full", u.Query().Get("sslmode"))
	assert.Equal(t, "/etc/ca.pem", u.Query().Get("sslrootcert"))
	assert.Equal(t, "db.example.jp:6432", u.Host)
	assert.Equal(t, "kessai@db.example.jp:6432/shop", c.Label())
	assert.NotContains(t, c.Label(), "p@ss")
}

func TestSaveLoadRemove(t *testing.T) {
	dir := t.TempDir()
	c, err := Load(dir)
	require.NoError(t, err)
	assert.Nil(t, c, "no file: the folder's own database")

	kc := vault.NewMemory()
	saved := &Config{Host: "db", Database: "shop", User: "u"}
	require.NoError(t, Save(dir, saved))
	require.NotEmpty(t, saved.ID)
	require.NoError(t, Passwords(kc, saved).Set(PasswordKey, "secret"))
	b, err := os.ReadFile(filepath.Join(dir, File))
	require.NoError(t, err)
	assert.NotContains(t, string(b), "secret", "the password is never in the file")

	got, err := Load(dir)
	require.NoError(t, err)
	assert.Equal(t, "db", got.Host)
	assert.Equal(t, saved.ID, got.ID)

	other := &Config{ID: "other"}
	_, err = Passwords(kc, other).Get(PasswordKey)
	assert.Error(t, err, "another configuration's keychain entry is its own")

	require.NoError(t, Remove(dir, kc))
	_, err = os.Stat(filepath.Join(dir, File))
	assert.True(t, os.IsNotExist(err))
	_, err = Passwords(kc, saved).Get(PasswordKey)
	assert.Error(t, err, "leaving the server forgets its password")

	require.NoError(t, os.WriteFile(filepath.Join(dir, File), []byte("{broken"), 0o600))
	_, err = Load(dir)
	assert.Equal(t, backend.EINVALID, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "壊れています")
}

// serverConfig is the test server's database dsn as a form would hold it.
func serverConfig(t *testing.T, dsn string) (*Config, string) {
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	port, _ := strconv.Atoi(u.Port())
	pw, _ := u.User.Password()
	return &Config{Host: u.Hostname(), Port: port, Database: strings.TrimPrefix(u.Path, "/"), User: u.User.Username(), SSLMode: Disable}, pw
}

func known(t *testing.T) []string {
	ms, err := migrations.Postgres()
	require.NoError(t, err)
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	return names
}

func TestConnectionTestSaysWhatIsThereAndWhatIsWrong(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t, func(ctx context.Context, dsn string) error {
		db, err := pgstore.Open(ctx, dsn, pgstore.Options{})
		if err != nil {
			return err
		}
		return db.Close()
	})
	c, pw := serverConfig(t, dsn)

	res, err := Test(ctx, c, pw, known(t))
	require.NoError(t, err)
	assert.Equal(t, "current", res.Schema)
	assert.NotEmpty(t, res.ServerVersion)
	assert.False(t, res.TLS)
	assert.Zero(t, res.Orders)

	res, err = Test(ctx, c, pw, known(t)[:3])
	require.NoError(t, err)
	assert.Equal(t, "newer", res.Schema, "a server migrated past what this app knows")

	secret := pw
	check := func(name string, err error, code, ja string) {
		t.Helper()
		require.Error(t, err, name)
		assert.Equal(t, code, backend.ErrorCode(err), name)
		assert.Contains(t, backend.ErrorMessage(err, "ja"), ja, name)
		for _, lang := range []string{"ja", "en"} {
			assert.NotContains(t, backend.ErrorMessage(err, lang), secret, "%s: no password in a message", name)
		}
	}
	_, err = Test(ctx, c, "wrong-password", known(t))
	check("wrong password", err, backend.ECREDENTIAL, "パスワードが違います")

	missing := *c
	missing.Database = "kd_nothing_here"
	_, err = Test(ctx, &missing, pw, known(t))
	check("no such database", err, backend.EINVALID, "kd_nothing_here")

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := *c
	closed.Port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	_, err = Test(ctx, &closed, pw, known(t))
	check("nobody listening", err, backend.EOFFLINE, "接続できません")

	if os.Getenv("KESSAIDESK_TEST_PG_CA") == "" { // a server with TLS: TestTLSIsVerified
		tls := *c
		tls.SSLMode = VerifyFull
		_, err = Test(ctx, &tls, pw, known(t))
		check("TLS asked of a server without it", err, backend.ECREDENTIAL, "TLS")
	}
}

func TestConnectionTestOfAnEmptyOrForeignDatabase(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.EmptyDSN(t)
	c, pw := serverConfig(t, dsn)
	res, err := Test(ctx, c, pw, known(t))
	require.NoError(t, err)
	assert.Equal(t, "empty", res.Schema)

	db, err := pgstore.Open(ctx, dsn, pgstore.Options{})
	require.NoError(t, err)
	db.Close()
	res, err = Test(ctx, c, pw, known(t))
	require.NoError(t, err)
	assert.Equal(t, "current", res.Schema, "the first desktop's start migrated it")
}

func TestConnectionTestRefusesNothingButNamesAForeignDatabase(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.EmptyDSN(t)
	c, pw := serverConfig(t, dsn)
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE customers (id int)`)
	db.Close()
	require.NoError(t, err)
	res, err := Test(ctx, c, pw, known(t))
	require.NoError(t, err)
	assert.Equal(t, "foreign", res.Schema, "another application's tables: not ours to use")
}

// The test server (build/scripts/pg.sh) has a certificate for the name localhost signed
// by its own CA: verify-full trusts it with that CA file, and refuses it without the
// file or under another name.
func TestTLSIsVerified(t *testing.T) {
	ca := os.Getenv("KESSAIDESK_TEST_PG_CA")
	if ca == "" {
		t.Skip("the test server has no TLS certificate (KESSAIDESK_TEST_PG_CA)")
	}
	ctx := context.Background()
	dsn := pgtest.EmptyDSN(t)
	c, pw := serverConfig(t, dsn)
	c.SSLMode, c.Host, c.CAFile = VerifyFull, "localhost", ca
	res, err := Test(ctx, c, pw, known(t))
	require.NoError(t, err)
	assert.True(t, res.TLS, "the connection is encrypted")

	noCA := *c
	noCA.CAFile = ""
	_, err = Test(ctx, &noCA, pw, known(t))
	require.Error(t, err)
	assert.Equal(t, backend.ECREDENTIAL, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "CA")

	otherName := *c
	otherName.Host = "127.0.0.1"
	_, err = Test(ctx, &otherName, pw, known(t))
	require.Error(t, err)
	assert.Equal(t, backend.ECREDENTIAL, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "一致しません")
}
