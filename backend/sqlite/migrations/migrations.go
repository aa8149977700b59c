// Package migrations is the schema of both stores, in one place and numbered once.
//
// Every step of the schema is a pair of files with the same name: NNNN_name.sql for
// SQLite (backend/sqlite applies them) and NNNN_name.pgsql for PostgreSQL
// (backend/pgstore). A change to the schema adds both, written each in its own dialect
// — the two engines differ where it matters (FTS5 against pg_trgm, INTEGER PRIMARY KEY
// against identity columns, SQLite's ALTER TABLE limits), so a translated subset would
// hide more than it saves. The pair is checked by this package's test: a step without
// its twin fails CI. A step one engine does not need is a file that says why, in a
// comment, and does nothing.
//
// Shared conventions: times are Unix milliseconds (UTC) in integer columns and money is
// integer yen, on both engines, so a row means the same whichever stores it.
package migrations

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed *.sql *.pgsql
var files embed.FS

// Migration is one step of the schema for one engine.
type Migration struct {
	Name string // "0001_init": the same for both engines
	SQL  string
}

// SQLite returns the SQLite steps, oldest first.
func SQLite() ([]Migration, error) { return list(".sql") }

// Postgres returns the PostgreSQL steps, oldest first.
func Postgres() ([]Migration, error) { return list(".pgsql") }

func list(ext string) ([]Migration, error) {
	names, err := fs.Glob(files, "*"+ext)
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]Migration, 0, len(names))
	for _, n := range names {
		body, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Name: strings.TrimSuffix(path.Base(n), ext), SQL: string(body)})
	}
	return out, nil
}
