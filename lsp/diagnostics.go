package lsp

import (
	"context"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/internal/parallel"
)

// diagnoser publishes diagnostics a short, fixed delay after the last
// change: for every open buffer, and for every file an open buffer's
// program includes. It remembers what it published to publish only what
// changed and to clear what no longer applies.
type diagnoser struct {
	s *Server

	mu      sync.Mutex
	timer   *time.Timer
	stopped bool
	// published maps a path to the snapshot its diagnostics came from.
	published map[string]*snapshot
	// closedByUser are files the user closed: their diagnostics stay
	// cleared even when an open file includes them, until reopened.
	closedByUser map[string]bool
	// configs maps a configuration file to the load its diagnostics came
	// from.
	configs map[string]*loadedConfig
	// terraform are the .tf documents diagnostics were published for.
	terraform map[string]bool

	runMu sync.Mutex // one publishing pass at a time

	// warming is set while a warm-up goroutine runs; warmPaths are the
	// edited files it has yet to check.
	warming   bool
	warmPaths map[string]bool
}

func newDiagnoser(s *Server) *diagnoser {
	return &diagnoser{s: s, published: map[string]*snapshot{}, closedByUser: map[string]bool{}, configs: map[string]*loadedConfig{}, terraform: map[string]bool{}, warmPaths: map[string]bool{}}
}

// schedule (re)starts the debounce timer.
func (d *diagnoser) schedule() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped {
		return
	}
	if d.timer != nil {
		d.timer.Stop()
	}
	d.timer = time.AfterFunc(d.s.opts.DiagnosticsDelay, d.run)
}

// warm starts checking the program an edited file belongs to at once, on
// a background goroutine, so that the check runs during the debounce
// delay: the delay then only holds back publishing, and the diagnostics
// are ready when it ends (incremental checks of big files take a few
// milliseconds). One warm-up runs at a time; edits that arrive meanwhile
// are gathered into its next pass, which checks the latest buffers.
func (d *diagnoser) warm(path string) {
	if isTerraformPath(path) {
		return
	}
	d.mu.Lock()
	if d.stopped {
		d.mu.Unlock()
		return
	}
	d.warmPaths[path] = true
	if d.warming {
		d.mu.Unlock()
		return
	}
	d.warming = true
	d.mu.Unlock()
	go d.warmLoop()
}

// warmLoop checks the views of the edited files until none is left.
func (d *diagnoser) warmLoop() {
	defer func() {
		if r := recover(); r != nil {
			d.s.log.Error("panic while checking ahead of diagnostics", zap.Any("panic", r))
		}
		d.mu.Lock()
		d.warming = false
		d.mu.Unlock()
	}()
	for {
		d.mu.Lock()
		paths := d.warmPaths
		if len(paths) == 0 || d.stopped {
			d.mu.Unlock()
			return
		}
		d.warmPaths = map[string]bool{}
		d.mu.Unlock()
		for path := range paths {
			d.s.sess.viewFor(path).get()
		}
	}
}

func (d *diagnoser) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stopped = true
	if d.timer != nil {
		d.timer.Stop()
	}
}

// reopened forgets that the user closed path.
func (d *diagnoser) reopened(path string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.closedByUser, path)
}

// closed clears the diagnostics of a file the user closed.
func (d *diagnoser) closed(path string, uri protocol.DocumentURI) {
	d.mu.Lock()
	d.closedByUser[path] = true
	_, had := d.published[path]
	had = had || d.terraform[path]
	delete(d.published, path)
	delete(d.terraform, path)
	d.mu.Unlock()
	if had {
		d.send(uri, nil, nil)
	}
}

// run checks what changed and publishes.
func (d *diagnoser) run() {
	defer func() {
		if r := recover(); r != nil {
			d.s.log.Error("panic while publishing diagnostics", zap.Any("panic", r))
		}
	}()
	d.runMu.Lock()
	defer d.runMu.Unlock()
	start := time.Now()
	sess := d.s.sess
	conv := d.s.converter()

	type job struct {
		path string
		snap *snapshot
	}
	var jobs []job
	owned := map[string]*snapshot{}
	var tfDocs, vclDocs []string
	for _, path := range sess.openPaths() {
		if filepath.Base(path) == configFileName {
			continue // its diagnostics are the configuration's (publishConfigs)
		}
		if isTerraformPath(path) {
			tfDocs = append(tfDocs, path)
			continue
		}
		vclDocs = append(vclDocs, path)
	}
	// Programs of different roots are independent: check them at once
	// (after a change to a file several open programs include, or to the
	// configuration, every one of them is checked again). Then take the
	// snapshots in path order as before, since checking a program teaches
	// the index which root a file belongs to; those are computed already.
	var pending []*view
	seen := map[*view]bool{}
	for _, path := range vclDocs {
		if v := sess.viewFor(path); !seen[v] && v.computed() == nil {
			seen[v] = true
			pending = append(pending, v)
		}
	}
	if len(pending) > 1 {
		parallel.Each(len(pending), runtime.GOMAXPROCS(0), func(i int) { sess.index.updateFromSnapshot(pending[i].get()) })
	}
	for _, path := range vclDocs {
		snap := sess.snapshotOf(sess.viewFor(path), path)
		if snap == nil {
			continue
		}
		owned[path] = snap
		// Files the program includes that are checked from this root.
		for p := range snap.files {
			if _, ok := owned[p]; ok || p == path {
				continue
			}
			if sess.index.rootOf(p) == snap.root {
				owned[p] = snap
			}
		}
	}
	// Keep the parses of the disk files these programs include (and only
	// those), so that the next check adopts their subroutines.
	keep := map[string]bool{}
	for _, snap := range owned {
		for p := range snap.files {
			keep[p] = true
		}
	}
	sess.parses.retainDisk(keep)
	d.mu.Lock()
	for path, snap := range owned {
		if d.closedByUser[path] && sess.doc(path) == nil {
			continue
		}
		if d.published[path] != snap {
			jobs = append(jobs, job{path, snap})
			d.published[path] = snap
		}
	}
	var clear []string
	for path := range d.published {
		if _, ok := owned[path]; !ok || (d.closedByUser[path] && sess.doc(path) == nil) {
			clear = append(clear, path)
			delete(d.published, path)
		}
	}
	d.mu.Unlock()

	for _, j := range jobs {
		f := j.snap.file(j.path)
		if f == nil {
			continue
		}
		diags := make([]protocol.Diagnostic, 0, len(j.snap.diags[j.path]))
		for _, ad := range j.snap.diags[j.path] {
			diags = append(diags, toLSPDiagnostic(ad, conv, sess.uriOf))
		}
		for _, ad := range d.s.testResults.get(j.path) {
			diags = append(diags, toLSPDiagnostic(ad, conv, sess.uriOf))
		}
		d.send(sess.uriOf(j.path), j.snap.docVersion(j.path), diags)
	}
	for _, path := range clear {
		d.send(sess.uriOf(path), nil, nil)
	}
	for _, path := range tfDocs {
		d.mu.Lock()
		d.terraform[path] = true
		d.mu.Unlock()
		d.send(sess.uriOf(path), sess.docVersionOf(path), d.terraformDiagnostics(path, conv))
	}
	d.publishConfigs()
	if len(jobs) > 0 || len(clear) > 0 {
		d.s.log.Debug("published diagnostics", zap.Int("files", len(jobs)), zap.Int("cleared", len(clear)), zap.Duration("took", time.Since(start)))
	}
}

// publishConfigs publishes the problems of the configuration files read
// (and clears those of files no longer read).
func (d *diagnoser) publishConfigs() {
	sess := d.s.sess
	current := map[string]*loadedConfig{}
	for _, lc := range sess.configs.loadedConfigs() {
		current[lc.path] = lc
	}
	for path, lc := range current {
		d.mu.Lock()
		same := d.configs[path] == lc
		d.configs[path] = lc
		d.mu.Unlock()
		if same {
			continue
		}
		text := ""
		if doc := sess.doc(path); doc != nil {
			text = doc.text
		} else if b, err := analysis.ReadFileLimited(path, 0); err == nil {
			text = string(b)
		}
		d.send(sess.uriOf(path), nil, configDiagnostics(lc, text))
	}
	d.mu.Lock()
	var gone []string
	for path := range d.configs {
		if current[path] == nil {
			gone = append(gone, path)
			delete(d.configs, path)
		}
	}
	d.mu.Unlock()
	for _, path := range gone {
		d.send(sess.uriOf(path), nil, nil)
	}
}

func (d *diagnoser) send(uri protocol.DocumentURI, version *int32, diags []protocol.Diagnostic) {
	if diags == nil {
		diags = []protocol.Diagnostic{}
	}
	err := d.s.conn.Notify(context.Background(), protocol.MethodTextDocumentPublishDiagnostics,
		&publishDiagnosticsParams{URI: uri, Version: version, Diagnostics: diags})
	if err != nil {
		d.s.log.Warn("cannot publish diagnostics", zap.Error(err))
	}
}

// unnecessaryCodes are shown faded by editors.
var unnecessaryCodes = map[string]bool{
	analysis.CodeUnusedLocal: true,
	analysis.CodeUnusedSub:   true,
	analysis.CodeUnreachable: true,
}

// toLSPDiagnostic converts an analysis diagnostic.
func toLSPDiagnostic(ad *analysis.Diagnostic, conv posConv, uriOf func(string) protocol.DocumentURI) protocol.Diagnostic {
	d := protocol.Diagnostic{
		Range:    conv.rng(ad.File, ad.Range),
		Severity: protocol.DiagnosticSeverity(ad.Severity),
		Code:     ad.Code,
		Source:   "vclide",
		Message:  ad.Message,
	}
	if unnecessaryCodes[ad.Code] {
		d.Tags = []protocol.DiagnosticTag{protocol.DiagnosticTagUnnecessary}
	}
	for _, r := range ad.Related {
		if r.File == nil {
			continue
		}
		d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: uriOf(r.File.Name), Range: conv.rng(r.File, r.Range)},
			Message:  r.Message,
		})
	}
	if len(ad.Suggestions) > 0 || len(ad.Data) > 0 {
		d.Data = diagnosticData{Suggestions: ad.Suggestions, Data: ad.Data}
	}
	return d
}
