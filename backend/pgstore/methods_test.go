package pgstore

import (
	"reflect"
	"testing"

	"kessaidesk/backend/sqlite"
)

// sqliteOnly are the methods of *sqlite.DB that a shared database has no use for, and
// why. Anything else the app calls on SQLite's store must be on PostgreSQL's too.
var sqliteOnly = map[string]string{
	// The two pools of one file, for backend/dbmove's copy; the server's pool is Pool.
	"Handles": "SQLite's reader and writer pools",
}

// *pgstore.DB is a complete replacement for *sqlite.DB: it has every method of it,
// with the same signature, but for sqliteOnly's.
func TestEveryMethodOfTheSQLiteStore(t *testing.T) {
	lite, pg := reflect.TypeOf(&sqlite.DB{}), reflect.TypeOf(&DB{})
	for i := range lite.NumMethod() {
		m := lite.Method(i)
		if _, ok := sqliteOnly[m.Name]; ok {
			continue
		}
		got, ok := pg.MethodByName(m.Name)
		if !ok {
			t.Errorf("*pgstore.DB has no %s%s", m.Name, m.Type.String()[len("func(*sqlite.DB"):])
			continue
		}
		// The receiver differs; the rest of the signature must not.
		if a, b := m.Type, got.Type; a.NumIn() != b.NumIn() || a.NumOut() != b.NumOut() || !sameParams(a, b) {
			t.Errorf("%s: %s on SQLite, %s on PostgreSQL", m.Name, a, b)
		}
	}
	for name := range sqliteOnly {
		if _, ok := lite.MethodByName(name); !ok {
			t.Errorf("sqliteOnly names %s, which *sqlite.DB no longer has", name)
		}
	}
}

func sameParams(a, b reflect.Type) bool {
	for i := 1; i < a.NumIn(); i++ {
		if a.In(i) != b.In(i) {
			return false
		}
	}
	for i := range a.NumOut() {
		if a.Out(i) != b.Out(i) {
			return false
		}
	}
	return true
}
