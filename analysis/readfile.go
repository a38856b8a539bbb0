package analysis

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// DefaultMaxFileSize is the largest source file vclide reads when the
// configuration sets no max_file_size: 16 MB.
const DefaultMaxFileSize int64 = 16 << 20

// Reasons a file is refused before (or instead of) reading it.
var (
	// ErrOutsideWorkspace: the file is not in a workspace folder, a
	// configured include path or a document the editor opened.
	ErrOutsideWorkspace = errors.New("outside the workspace")
	// ErrNotRegular: the path is a device, FIFO, socket or directory.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge: the file is bigger than the size cap.
	ErrTooLarge = errors.New("file too large")
)

// FileError is a file vclide refused to read, and why (one of the Err*
// values above, or the operating system's error). Its message names the
// path but never quotes the file's content.
type FileError struct {
	Path  string
	Err   error
	Limit int64 // the size cap, for ErrTooLarge
}

// Error says which file was refused and why.
func (e *FileError) Error() string {
	switch {
	case errors.Is(e.Err, ErrTooLarge):
		return fmt.Sprintf("%s: file too large (over the %s cap; raise max_file_size in .vclide.yaml)", e.Path, humanSize(e.Limit))
	case errors.Is(e.Err, ErrNotRegular):
		return fmt.Sprintf("%s: not a regular file", e.Path)
	case errors.Is(e.Err, ErrOutsideWorkspace):
		return fmt.Sprintf("%s: outside the workspace", e.Path)
	}
	return e.Err.Error()
}

// Unwrap returns the reason, for errors.Is (ErrOutsideWorkspace, …).
func (e *FileError) Unwrap() error { return e.Err }

func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// CheckReadable refuses, without opening it, a path that is not a regular
// file or is larger than limit bytes (limit <= 0 means
// DefaultMaxFileSize). Opening a FIFO would block and reading a device
// would not end, so every file vclide reads goes through this first.
func CheckReadable(path string, limit int64) error {
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return &FileError{Path: path, Err: ErrNotRegular}
	}
	if st.Size() > limit {
		return &FileError{Path: path, Err: ErrTooLarge, Limit: limit}
	}
	return nil
}

// ReadFileLimited reads a regular file of at most limit bytes (limit <= 0
// means DefaultMaxFileSize), refusing anything else before reading it. A
// file that grows past the cap while it is read is refused too.
func ReadFileLimited(path string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	if err := CheckReadable(path, limit); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|nonBlockFlag, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The path may have been swapped for something else since the check.
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, &FileError{Path: path, Err: ErrNotRegular}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &FileError{Path: path, Err: ErrTooLarge, Limit: limit}
	}
	return b, nil
}
