package analysis

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadFileLimited(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.vcl")
	os.WriteFile(small, []byte("sub a {}\n"), 0o644)
	fifo := filepath.Join(dir, "fifo.vcl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs: %v", err)
	}
	for _, tc := range []struct {
		path  string
		limit int64
		want  error
	}{
		{small, 0, nil},
		{small, 4, ErrTooLarge},
		{fifo, 0, ErrNotRegular},
		{"/dev/zero", 0, ErrNotRegular},
		{"/dev/stdin", 0, ErrNotRegular},
		{dir, 0, ErrNotRegular},
	} {
		_, err := ReadFileLimited(tc.path, tc.limit)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("ReadFileLimited(%s, %d) = %v, want %v", tc.path, tc.limit, err, tc.want)
		}
	}
}

// TestWorkspaceReadable: a restricted workspace reads its folders and
// include paths only, and a symbolic link inside a folder does not lead
// outside it.
func TestWorkspaceReadable(t *testing.T) {
	root := t.TempDir()
	ws, inc, out := filepath.Join(root, "ws"), filepath.Join(root, "inc"), filepath.Join(root, "out")
	for _, d := range []string{ws, inc, out} {
		os.MkdirAll(d, 0o755)
	}
	os.WriteFile(filepath.Join(out, "secret.vcl"), []byte("sub s {}\n"), 0o644)
	os.WriteFile(filepath.Join(inc, "lib.vcl"), []byte("sub l {}\n"), 0o644)
	if err := os.Symlink(filepath.Join(out, "secret.vcl"), filepath.Join(ws, "link.vcl")); err != nil {
		t.Skip(err)
	}
	w, err := OpenWorkspace(WorkspaceSpec{Folders: []string{ws}, IncludePaths: []string{inc}, Restrict: true})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{
		filepath.Join(ws, "main.vcl"):                true,
		filepath.Join(inc, "lib.vcl"):                true,
		filepath.Join(out, "secret.vcl"):             false,
		filepath.Join(ws, "link.vcl"):                false,
		filepath.Join(ws, "..", "out", "secret.vcl"): false,
	} {
		if got := w.Readable(path); got != want {
			t.Errorf("Readable(%s) = %v, want %v", path, got, want)
		}
	}
	_, err = w.ReadFile(filepath.Join(ws, "link.vcl"), nil)
	if !errors.Is(err, ErrOutsideWorkspace) || strings.Contains(err.Error(), "sub s") {
		t.Errorf("reading through the link: %v", err)
	}
	// An open buffer is always readable.
	text, err := w.ReadFile(filepath.Join(out, "secret.vcl"), func(string) (string, bool) { return "open", true })
	if err != nil || text != "open" {
		t.Errorf("open buffer: %q %v", text, err)
	}
}

// TestWorkspaceFiles: folders are scanned with their subdirectories, dirs
// (an entry file's directory) without, a configuration's directory with.
func TestWorkspaceFiles(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{"a.vcl", "sub/b.vcl", ".hidden/c.vcl", "notes.txt"} {
		p = filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("sub x {}\n"), 0o644)
	}
	rel := func(w *Workspace) string {
		var out []string
		for _, f := range w.Files() {
			r, _ := filepath.Rel(root, f)
			out = append(out, filepath.ToSlash(r))
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		name string
		spec WorkspaceSpec
		want string
	}{
		{"folder", WorkspaceSpec{Folders: []string{root}}, "a.vcl sub/b.vcl"},
		{"dir", WorkspaceSpec{Dirs: []string{root}}, "a.vcl"},
	} {
		w, err := OpenWorkspace(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := rel(w); got != tc.want {
			t.Errorf("%s: files %q, want %q", tc.name, got, tc.want)
		}
	}
	os.WriteFile(filepath.Join(root, ".vclide.yaml"), []byte("max_file_size: 1MB\n"), 0o644)
	w, err := OpenWorkspace(WorkspaceSpec{Dirs: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	if got := rel(w); got != "a.vcl sub/b.vcl" || w.MaxFileSize() != 1<<20 {
		t.Errorf("with a configuration: files %q, cap %d", got, w.MaxFileSize())
	}
}
