//go:build !unix

package sqlite

// holdFolder: Windows keeps an open lock file from being deleted; the lock file is
// enough there.
func holdFolder(string) (release func() error, busy bool, err error) {
	return func() error { return nil }, false, nil
}
