//go:build dev

package app

// BackupDay is the end-to-end tests' door to the daily backup: it runs the hourly
// check as it would run days later, without waiting for the clock. Only a dev build
// binds it.
type BackupDay struct{ s *Services }

func init() {
	devBindings = append(devBindings, func(s *Services) any { return &BackupDay{s: s} })
}

// After runs the automatic backup's check as at now + days; it returns the backup
// made ("" when none was due).
func (b *BackupDay) After(days int) (string, error) {
	bk, err := b.s.System.AutoBackup(b.s.Ctx(), b.s.Clock.Now().AddDate(0, 0, days))
	if err != nil || bk == nil {
		return "", err
	}
	return bk.Name, nil
}
