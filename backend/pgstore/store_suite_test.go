package pgstore

import (
	"testing"

	"kessaidesk/backend/storetest"
)

// The store behaviour both engines share (backend/storetest), on PostgreSQL. Each
// subtest gets a fresh database.
func TestStoreSuite(t *testing.T) {
	testDSN(t) // skips without a server
	storetest.Run(t, func(t *testing.T) storetest.Store { return openTest(t, Options{}) })
}
