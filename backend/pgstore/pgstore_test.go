package pgstore

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlite/migrations"
)

func TestRebind(t *testing.T) {
	assert.Equal(t, "SELECT $1, '?', $2", rebind("SELECT ?, '?', ?"))
	assert.Equal(t, "SELECT 1", rebind("SELECT 1"))
}

func TestMigrationsAppliedOnceAndNamedAsOnSQLite(t *testing.T) {
	dsn := testDSN(t)
	db := openDSN(t, dsn, Options{})
	applied, err := db.Migrations(context.Background())
	require.NoError(t, err)
	steps, err := migrations.Postgres()
	require.NoError(t, err)
	require.Len(t, applied, len(steps))
	assert.Equal(t, steps[0].Name+".sql", applied[0])
	// A second desktop opening the same database applies nothing again.
	again := openDSN(t, dsn, Options{})
	applied2, err := again.Migrations(context.Background())
	require.NoError(t, err)
	assert.Equal(t, applied, applied2)
}

func TestNewerSchemaRefused(t *testing.T) {
	dsn := testDSN(t)
	db := openDSN(t, dsn, Options{})
	_, err := db.sql.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', 0)`)
	require.NoError(t, err)
	_, err = Open(context.Background(), dsn, Options{})
	require.Error(t, err)
	assert.Equal(t, backend.EINTERNAL, backend.ErrorCode(err))
	assert.Contains(t, backend.ErrorMessage(err, "ja"), "9999_future")
}

func TestUnreachableServerSaysSoWithoutThePassword(t *testing.T) {
	_, err := Open(context.Background(), "postgres://kd:s3cretpw@127.0.0.1:1/x?sslmode=disable&connect_timeout=2", Options{})
	require.Error(t, err)
	assert.Equal(t, backend.EOFFLINE, backend.ErrorCode(err))
	assert.NotContains(t, err.Error(), "s3cretpw")
	assert.NotContains(t, backend.ErrorMessage(err, "ja"), "s3cretpw")
}
