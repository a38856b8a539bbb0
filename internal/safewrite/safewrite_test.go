package safewrite

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// failingFile writes the first half of what it is given, then reports a
// full disk, as a real write on a full file system does.
type failingFile struct{ *os.File }

func (f failingFile) Write(p []byte) (int, error) {
	n, _ := f.File.Write(p[:len(p)/2])
	return n, syscall.ENOSPC
}

func TestReplace(t *testing.T) {
	tests := []struct {
		name    string
		fail    bool
		mode    os.FileMode
		wantErr bool
	}{
		{"writes and keeps the mode", false, 0o640, false},
		{"keeps an executable mode", false, 0o755, false},
		{"a write failing midway leaves the original", true, 0o600, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "a.vcl")
			original := []byte("sub vcl_recv {\n}\n")
			if err := os.WriteFile(path, original, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}
			if tc.fail {
				old := CreateTemp
				defer func() { CreateTemp = old }()
				CreateTemp = func(dir, pattern string) (File, error) {
					f, err := os.CreateTemp(dir, pattern)
					return failingFile{f}, err
				}
			}
			next := []byte("sub vcl_recv {\n  esi;\n}\n")
			err := Replace(path, next)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if tc.wantErr && !errors.Is(err, syscall.ENOSPC) {
				t.Errorf("err = %v, want ENOSPC", err)
			}
			got, _ := os.ReadFile(path)
			want := next
			if tc.wantErr {
				want = original
			}
			if string(got) != string(want) {
				t.Errorf("file holds %q, want %q", got, want)
			}
			info, err := os.Stat(path)
			if err != nil || info.Mode().Perm() != tc.mode {
				t.Errorf("mode %v (%v), want %v", info.Mode().Perm(), err, tc.mode)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("directory holds %d entries, want only a.vcl (no temporary file left)", len(entries))
			}
		})
	}
}

func TestReplaceFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.vcl")
	link := filepath.Join(dir, "link.vcl")
	if err := os.WriteFile(target, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	if err := Replace(link, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link replaced by a regular file")
	}
	if got, _ := os.ReadFile(target); string(got) != "new\n" {
		t.Errorf("target holds %q", got)
	}
}
