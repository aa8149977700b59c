package pgstore

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsConnectionLost reports an error that means the server could not be reached or
// went away mid-statement (a network cut, the server stopped or restarted) — not a
// refusal of what was asked. The window says so in words (app.FormatError).
func IsConnectionLost(err error) bool {
	if err == nil {
		return false
	}
	var connect *pgconn.ConnectError
	var op *net.OpError
	var pg *pgconn.PgError
	switch {
	case errors.As(err, &connect), errors.As(err, &op), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), pgconn.Timeout(err):
		return true
	case errors.As(err, &pg):
		// Class 08: connection exception; 57P01–57P03: the server is shutting down or
		// starting.
		return strings.HasPrefix(pg.Code, "08") || pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03"
	}
	return strings.Contains(err.Error(), "conn closed")
}
