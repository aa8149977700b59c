package pgstore

import "database/sql"

// Pool returns the database/sql pool, for backend/dbmove, which copies a whole
// database to or from the server (pgx's COPY through sql.Conn.Raw). Everything else
// goes through the Store's methods.
func (db *DB) Pool() *sql.DB { return db.sql }
