package pgstore

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A server that goes away under a running store gives errors IsConnectionLost
// recognises; a refusal of what was asked (a unique key) is not one.
func TestIsConnectionLost(t *testing.T) {
	db := openTest(t, Options{})
	ctx := context.Background()
	_, err := db.Pool().ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('k', 'v')`)
	require.NoError(t, err)
	_, err = db.Pool().ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('k', 'v')`)
	require.Error(t, err)
	assert.False(t, IsConnectionLost(err), "a duplicate key is an answer")
	assert.False(t, IsConnectionLost(errors.New("something else")))
	assert.False(t, IsConnectionLost(nil))

	// Every connection of the pool is terminated by the server, then the server is out
	// of reach for this pool (its DSN now points at a closed port).
	conn, err := db.Pool().Conn(ctx)
	require.NoError(t, err)
	var pid int
	require.NoError(t, conn.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid))
	admin := openTest(t, Options{})
	_, err = admin.Pool().ExecContext(ctx, fmt.Sprintf(`SELECT pg_terminate_backend(%d)`, pid))
	require.NoError(t, err)
	var one int
	err = conn.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
	require.Error(t, err)
	assert.True(t, IsConnectionLost(err), "%T %v", err, err)
	conn.Close()

	_, err = Open(ctx, "postgres://u:p@127.0.0.1:1/db?sslmode=disable&connect_timeout=2", Options{})
	require.Error(t, err)
	assert.True(t, IsConnectionLost(err), "%T %v", err, err)
}
