package vcltest

import (
	"context"
	"os"
	"path/filepath"
	"time"
)

// Watch runs the tests, calls onReport with each report (or run error),
// then re-runs them whenever the main VCL, a file in its directory or in
// the include paths, or a test file changes, until ctx is done. Changes are
// found by polling modification times every interval.
func Watch(ctx context.Context, opts Options, interval time.Duration, onReport func(*Report, error)) error {
	if interval <= 0 {
		interval = 300 * time.Millisecond
	}
	last := snapshot(opts)
	onReport(Run(ctx, opts))
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		now := snapshot(opts)
		if equalSnapshots(last, now) {
			continue
		}
		last = now
		rep, err := Run(ctx, opts)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		onReport(rep, err)
	}
}

// snapshot maps the watched .vcl files to their modification time and size.
func snapshot(opts Options) map[string][2]int64 {
	out := map[string][2]int64{}
	dirs := []string{filepath.Dir(opts.Main)}
	if opts.Workspace != nil {
		dirs = append(dirs, opts.Workspace.IncludePaths()...)
	}
	files := append([]string{opts.Main}, opts.TestFiles...)
	for _, d := range dirs {
		m, _ := filepath.Glob(filepath.Join(d, "*.vcl"))
		files = append(files, m...)
	}
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			out[f] = [2]int64{st.ModTime().UnixNano(), st.Size()}
		}
	}
	return out
}

func equalSnapshots(a, b map[string][2]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
