package vcltest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWatch runs the tests, changes the test file, and expects a second run
// that sees the change; then stops the watcher (bounded by a deadline).
func TestWatch(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "main.vcl")
	test := filepath.Join(dir, "main.test.vcl")
	os.WriteFile(main, []byte("sub vcl_recv {\n#FASTLY recv\n  set req.http.A = \"1\";\n}\n"), 0o644)
	os.WriteFile(test, []byte("sub t {\n  testing.call_subroutine(\"vcl_recv\");\n  assert.equal(req.http.A, \"1\");\n}\n"), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	reports := make(chan *Report, 4)
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, Options{Main: main}, 20*time.Millisecond, func(r *Report, err error) {
			if err != nil {
				t.Error(err)
			}
			reports <- r
		})
	}()
	first := <-reports
	if first.Summaries.Passes != 1 {
		t.Fatalf("first run: %+v", first.Summaries)
	}
	// A different size makes the change visible even within one mtime tick.
	os.WriteFile(test, []byte("sub t {\n  testing.call_subroutine(\"vcl_recv\");\n  assert.equal(req.http.A, \"2\");\n}\n"), 0o644)
	select {
	case second := <-reports:
		if second.Summaries.Fails != 1 {
			t.Errorf("second run: %+v", second.Summaries)
		}
	case <-ctx.Done():
		t.Fatal("no re-run after the change")
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Watch ended with %v", err)
	}
}
