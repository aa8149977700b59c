package vault

import (
	"kessaidesk/backend"
)

// Scoped names every entry after one data folder, so two folders on one PC (a trial
// folder and the shop's, two shops, a restored copy) never read or overwrite each
// other's secrets: both have a "profile 1".
//
// Folders made before entries were scoped kept theirs under the bare name. Such a
// folder (Legacy) still finds a secret there, and copies it to its own name on first
// read; the bare entry is left for any other old folder that shares it. A folder made
// since never reads a bare entry.
type Scoped struct {
	Inner  backend.Vault
	Scope  string // the folder's id
	Legacy bool
}

var _ backend.Vault = (*Scoped)(nil)

func (s *Scoped) name(key string) string { return "folder/" + s.Scope + "/" + key }

// Set stores the secret under the folder's name.
func (s *Scoped) Set(key, secret string) error { return s.Inner.Set(s.name(key), secret) }

// Get reads the folder's secret (or, for an old folder, the bare entry it used).
func (s *Scoped) Get(key string) (string, error) {
	v, err := s.Inner.Get(s.name(key))
	if err == nil || !s.Legacy || backend.ErrorCode(err) != backend.ENOTFOUND {
		return v, err
	}
	v, lerr := s.Inner.Get(key)
	if lerr != nil {
		return "", err
	}
	s.Inner.Set(s.name(key), v) // from now on, the folder's own entry
	return v, nil
}

// Delete removes the folder's entry (and an old folder's bare one it may still use).
func (s *Scoped) Delete(key string) error {
	if err := s.Inner.Delete(s.name(key)); err != nil {
		return err
	}
	if s.Legacy {
		return s.Inner.Delete(key)
	}
	return nil
}
