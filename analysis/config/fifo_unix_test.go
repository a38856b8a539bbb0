//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFindFIFO: a .vclide.yaml that is a FIFO, found by walking up, is
// returned, and Load refuses it without opening it (which would block),
// saying why.
func TestFindFIFO(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(root, "a", FileName)
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("cannot make a FIFO here:", err)
	}
	got, ok := Find(deep)
	if !ok || got != fifo {
		t.Fatalf("Find(%q) = %q, %v; want the FIFO %q", deep, got, ok, fifo)
	}
	cfg, err := Load(got)
	if cfg != nil || err == nil || !strings.Contains(err.Error(), "is not a regular file") {
		t.Errorf("Load(FIFO) = %v, %v; want a refusal saying it is not a regular file", cfg, err)
	}
}
