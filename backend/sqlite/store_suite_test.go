package sqlite

import (
	"testing"

	"kessaidesk/backend/storetest"
)

// The store behaviour both engines share (backend/storetest), on SQLite.
func TestStoreSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return openTestDB(t) })
}
