// Package safewrite replaces a file's contents without ever leaving it
// half-written: the new text goes to a temporary file in the same
// directory, which is synced and then renamed over the original. A failure
// at any step (a full disk, a quota, a crash) leaves the original intact.
package safewrite

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File is the part of *os.File the write path needs; tests substitute one
// that fails midway.
type File interface {
	io.Writer
	Name() string
	Chmod(os.FileMode) error
	Sync() error
	Close() error
}

// CreateTemp creates the temporary file; tests replace it.
var CreateTemp = func(dir, pattern string) (File, error) { return os.CreateTemp(dir, pattern) }

// Replace writes data to path atomically and keeps the file's permission
// bits. A symbolic link is followed, so the link stays and its target is
// replaced. path must already exist.
func Replace(path string, data []byte) (err error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", path)
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmp, err := CreateTemp(dir, "."+base+".vclide-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(info.Mode().Perm()); err != nil {
		return err
	}
	n, err := tmp.Write(data)
	if err == nil && n < len(data) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	// Make the rename itself durable; a failure here does not lose data.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
