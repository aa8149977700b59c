package sqlite

import (
	"errors"

	sqlite3 "github.com/mattn/go-sqlite3"

	"kessaidesk/backend"
)

// Linking is backend/sqlstore's, which both stores share (the reads, queueing orders
// with or without the ids a file carried, attaching the payment found).

func isForeignKeyViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}

var _ backend.LinkStore = (*DB)(nil)
