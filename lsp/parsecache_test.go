package lsp

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis/syntax"
)

// TestParseCache: open buffers are parsed in chunks and re-parsed
// incrementally, sharing the declarations an edit did not touch; other
// files are parsed plainly; closing a buffer forgets its parse.
func TestParseCache(t *testing.T) {
	c := newParseCache()
	text := "sub a { set req.http.A = \"1\"; }\nsub b { set req.http.B = \"2\"; }\nsub c { set req.http.C = \"3\"; }\n"
	if f := c.parse("a.vcl", text); f.Source.Virtual() {
		t.Error("a file that is not open was parsed in chunks")
	}
	c.setOpen("a.vcl", true)
	f1 := c.parse("a.vcl", text)
	if !f1.Source.Virtual() {
		t.Fatal("an open buffer was not parsed in chunks")
	}
	if c.parse("a.vcl", text) != f1 {
		t.Error("the same text was parsed again")
	}
	f2 := c.parse("a.vcl", strings.Replace(text, `"2"`, `"two"`, 1))
	if f2.Decls[0] != f1.Decls[0] || f2.Decls[2] != f1.Decls[2] {
		t.Error("the untouched subs a and c are not the previous nodes")
	}
	if f2.Decls[1] == f1.Decls[1] {
		t.Error("the edited sub b was not parsed again")
	}
	c.setOpen("a.vcl", false)
	if f := c.parse("a.vcl", f2.Source.Text); f == f2 || f.Source.Virtual() {
		t.Error("a closed buffer's parse is still used")
	}
}

// TestServerReparsesOpenBuffers: after a didChange in one subroutine, the
// server's snapshot of the buffer holds the previous version's nodes for
// every other declaration (at their virtual positions, still mapped to the
// right text), and answers like a fresh parse would.
func TestServerReparsesOpenBuffers(t *testing.T) {
	c, path, uri, text := openInFolder(t, genVCL(200))
	before := c.srv.sess.viewFor(path).get().file(path)
	if before == nil || !before.Source.Virtual() {
		t.Fatal("the open buffer was not parsed in chunks")
	}
	at := strings.Index(text, "X-Custom-7 ")
	pos := lspPosition(text, at)
	c.change(uri, 2, &protocol.Range{Start: pos, End: pos}, "Edited-")
	c.waitVersion(uri, 2)
	after := c.srv.sess.viewFor(path).get().file(path)
	if after == nil || after == before || len(after.Decls) != len(before.Decls) {
		t.Fatalf("no new parse of the edited buffer")
	}
	changed := 0
	for i := range after.Decls {
		if after.Decls[i] != before.Decls[i] {
			changed++
		}
	}
	if changed != 1 {
		t.Errorf("%d declarations were parsed again, want 1", changed)
	}
	last := after.Decls[len(after.Decls)-1].(*syntax.SubDecl)
	if got := after.Source.Slice(last.Name.Range); got != "vcl_deliver" {
		t.Errorf("the last sub's name reads %q after the edit", got)
	}
	newText := text[:at] + "Edited-" + text[at:]
	if want := syntax.Parse(path, newText); len(want.Decls) != len(after.Decls) || len(want.Errors) != len(after.Errors) {
		t.Errorf("the re-parse differs from a fresh parse")
	}
}

// TestServerRechecksOnlyTheEditedSub: after an edit inside one subroutine's
// body the server checks that subroutine again and adopts every other
// one's results; renaming a table re-checks the subroutines that read it.
func TestServerRechecksOnlyTheEditedSub(t *testing.T) {
	text := strings.Replace(genVCL(200), "sub custom_3 {\n", "sub custom_3 {\n  set req.http.X-T = table.lookup(redirects, req.url);\n", 1)
	c, path, uri, _ := openInFolder(t, text)
	rechecked := func() []string {
		return c.srv.sess.viewFor(path).get().prog.Rechecked()
	}
	if n := len(rechecked()); n < 10 {
		t.Fatalf("the first check checked %d subroutines", n)
	}
	at := strings.Index(text, "X-Custom-7 ")
	pos := lspPosition(text, at)
	c.change(uri, 2, &protocol.Range{Start: pos, End: pos}, "Edited-")
	c.waitVersion(uri, 2)
	if got := rechecked(); len(got) != 1 || got[0] != "custom_7" {
		t.Errorf("after an edit in custom_7 the server re-checked %v, want [custom_7]", got)
	}
	text = text[:at] + "Edited-" + text[at:]
	at = strings.Index(text, "table redirects")
	pos = lspPosition(text, at+len("table "))
	end := lspPosition(text, at+len("table redirects"))
	c.change(uri, 3, &protocol.Range{Start: pos, End: end}, "moved")
	c.waitVersion(uri, 3)
	if got := rechecked(); len(got) != 1 || got[0] != "custom_3" {
		t.Errorf("after renaming the table the server re-checked %v, want [custom_3], the one sub that reads it", got)
	}
}

// TestCheckStartsBeforeTheDelay: an edit is checked at once, during the
// diagnostics delay, which then only holds back publishing.
func TestCheckStartsBeforeTheDelay(t *testing.T) {
	c, path, uri, text := openInFolder(t, genVCL(200))
	c.srv.opts.DiagnosticsDelay = 2 * time.Second
	pos := lspPosition(text, strings.Index(text, "X-Custom-7 "))
	start := time.Now()
	c.change(uri, 2, &protocol.Range{Start: pos, End: pos}, "Edited-")
	for {
		if snap := c.srv.sess.viewFor(path).computed(); snap != nil && snap.docVersion(path) != nil && *snap.docVersion(path) == 2 {
			break
		}
		if time.Since(start) > time.Second {
			t.Fatal("the edited program was not checked within a second of a change, with a 2 s diagnostics delay")
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.mu.Lock()
	published := c.diags[uri].Version
	c.mu.Unlock()
	if published == nil || *published != 1 {
		t.Errorf("diagnostics of version %v were published before the delay ended", published)
	}
	c.waitVersion(uri, 2)
}

// TestConfigChangeChecksFromScratch: after the configuration changes, the
// next check does not adopt results checked under the old one.
func TestConfigChangeChecksFromScratch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "main.vcl")
	text := "sub vcl_recv {\n  #FASTLY recv\n  call helper;\n  return(lookup);\n}\nsub helper {\n  set req.http.X-A = \"1\";\n}\n"
	c := newTestClient(t, clientOpts{folder: dir, noIndex: true, quiet: true})
	defer func() { c.shutdown(); c.release() }()
	uri := c.open(path, text)
	c.waitVersion(uri, 1)
	// An edit in vcl_recv re-checks only vcl_recv.
	pos := lspPosition(text, strings.Index(text, "return"))
	c.change(uri, 2, &protocol.Range{Start: pos, End: pos}, "set req.http.X-B = \"2\";\n  ")
	c.waitVersion(uri, 2)
	if got := c.srv.sess.viewFor(path).get().prog.Rechecked(); len(got) != 1 || got[0] != "vcl_recv" {
		t.Fatalf("after an edit in vcl_recv: re-checked %v", got)
	}
	cfg := filepath.Join(dir, ".vclide.yaml")
	if err := os.WriteFile(cfg, []byte("severity:\n  unused-local: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
		"changes": []any{map[string]any{"uri": pathToURI(cfg), "type": 1}},
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := c.srv.sess.viewFor(path).get().prog.Rechecked()
		if len(got) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a configuration change: re-checked %v, want both subroutines", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestIncludedDiskFileKeepsItsParse: an include nobody has open keeps its
// parse while its text is unchanged, so an edit in the file that includes
// it does not check its subroutines again; a change on disk checks them.
func TestIncludedDiskFileKeepsItsParse(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"part.vcl": "sub part_a {\n  set req.http.X-A = \"a\";\n}\nsub part_b {\n  set req.http.X-B = \"b\";\n}\n",
	})
	path := filepath.Join(dir, "main.vcl")
	text := "include \"part\";\nsub vcl_recv {\n  #FASTLY recv\n  call part_a;\n  call part_b;\n  return(lookup);\n}\n"
	c := newTestClient(t, clientOpts{folder: dir, noIndex: true, quiet: true})
	defer func() { c.shutdown(); c.release() }()
	uri := c.open(path, text)
	c.waitVersion(uri, 1)
	rechecked := func() []string { return c.srv.sess.viewFor(path).get().prog.Rechecked() }
	pos := lspPosition(text, strings.Index(text, "return"))
	c.change(uri, 2, &protocol.Range{Start: pos, End: pos}, "set req.http.X-M = \"m\";\n  ")
	c.waitVersion(uri, 2)
	if got := rechecked(); len(got) != 1 || got[0] != "vcl_recv" {
		t.Errorf("after an edit in main.vcl: re-checked %v, want [vcl_recv]", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "part.vcl"), []byte("sub part_a {\n  set req.http.X-A = \"changed\";\n}\nsub part_b {\n  set req.http.X-B = \"b\";\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
		"changes": []any{map[string]any{"uri": pathToURI(filepath.Join(dir, "part.vcl")), "type": 2}},
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := rechecked()
		sort.Strings(got)
		if j := strings.Join(got, " "); strings.Contains(j, "part_a part_b") {
			break // the changed file's subroutines (the session may start afresh)
		}
		if time.Now().After(deadline) {
			t.Fatalf("after part.vcl changed on disk: re-checked %v, want part_a and part_b among them", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// openInFolder opens text as main.vcl of a new workspace folder in a new
// server and waits for its first diagnostics; the server is shut down when
// the test ends.
func openInFolder(t *testing.T, text string) (*testClient, string, protocol.DocumentURI, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "main.vcl")
	c := newTestClient(t, clientOpts{folder: dir, noIndex: true, quiet: true})
	t.Cleanup(func() { c.shutdown(); c.release() })
	uri := c.open(path, text)
	c.waitVersion(uri, 1)
	return c, path, uri, text
}
