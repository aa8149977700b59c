package simkit

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// StateFile keeps a simulator's state on disk, so the demo sandbox survives a
// restart: it is written after every change (atomically, so a crash never leaves
// half a file), or once at the end of a Batch.
type StateFile struct {
	Path string                // "" = in memory only
	Save func(io.Writer) error // writes the whole state
	mu   sync.Mutex
	hold int // > 0 inside Batch
}

// Load reads the file with load when it exists (a first start has none).
func (f *StateFile) Load(load func(io.Reader) error) error {
	if f.Path == "" {
		return nil
	}
	r, err := os.Open(f.Path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer r.Close()
	if err := load(r); err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	return nil
}

// Changed writes the file after a change, unless a Batch is running.
func (f *StateFile) Changed() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Path == "" || f.hold > 0 {
		return
	}
	tmp := f.Path + ".tmp"
	w, err := os.Create(tmp)
	if err != nil {
		return
	}
	if err := f.Save(w); err != nil {
		w.Close()
		return
	}
	if w.Sync() == nil && w.Close() == nil {
		os.Rename(tmp, f.Path)
	}
}

// Batch runs fn and writes the file once at the end instead of after every change
// (seeding hundreds of demo payments).
func (f *StateFile) Batch(fn func() error) error {
	f.mu.Lock()
	f.hold++
	f.mu.Unlock()
	err := fn()
	f.mu.Lock()
	f.hold--
	f.mu.Unlock()
	f.Changed()
	return err
}
