package lsp

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

func TestHover(t *testing.T) {
	dir := copyWorkspace(t)
	c := newTestClient(t, clientOpts{folder: dir})
	mainPath := filepath.Join(dir, "main.vcl")
	main := readFile(t, mainPath)
	uri := c.open(mainPath, main)
	tests := []struct {
		name   string
		needle string
		delta  int
		want   []string
	}{
		{"variable", "req.url.path", 2, []string{"STRING req.url.path", "In vcl_recv: read ✓", "https://"}},
		{"variable read-only here", "server.identity", 3, []string{"set ✗", "Set: never"}},
		{"header variable", "req.http.X-Internal", 10, []string{"req.http.X-Internal", "one of `req.http.*`"}},
		{"function", "std.tolower", 5, []string{"STRING std.tolower(STRING", "https://"}},
		{"builtin sub", "sub vcl_fetch", 6, []string{"sub vcl_fetch", "**fetch** node", "`deliver`", "`pass`"}},
		{"user sub at call", "call normalize_host", 7, []string{"sub normalize_host", "Runs in vcl_recv", "Called from vcl_recv"}},
		{"local", "set var.host", 6, []string{"declare local var.host STRING;", "Local variable of normalize_host"}},
		{"acl", "~ internal", 4, []string{"acl internal {", "\"10.0.0.0\"/8;"}},
		{"backend from include", "= F_origin", 4, []string{"backend F_origin {", "backends.vcl"}},
		{"table", "lookup(redirects", 9, []string{"table redirects {"}},
		{"macro", "#FASTLY recv", 2, []string{"`#FASTLY recv`"}},
		{"return action", "return(lookup)", 8, []string{"return action `lookup`", "valid in vcl_recv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h *protocol.Hover
			c.mustCall(protocol.MethodTextDocumentHover, tdp(uri, at(t, main, tt.needle, tt.delta)), &h)
			if h == nil {
				t.Fatal("no hover")
			}
			for _, w := range tt.want {
				if !strings.Contains(h.Contents.Value, w) {
					t.Errorf("hover lacks %q:\n%s", w, h.Contents.Value)
				}
			}
		})
	}
	// Nothing under the cursor: a null answer.
	var h *protocol.Hover
	c.mustCall(protocol.MethodTextDocumentHover, tdp(uri, protocol.Position{Line: 2, Character: 0}), &h)
	if h != nil {
		t.Errorf("hover on an empty line: %+v", h)
	}
}

func TestSignatureHelp(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	dir := t.TempDir()
	tests := []struct {
		name       string
		text       string
		wantLabel  string
		wantActive uint32
		wantSigs   int
	}{
		{"first argument", "sub vcl_recv {\n  set req.http.X = regsub(" + cursor + ");\n}\n", "regsub(STRING input, REGEX pattern, STRING replacement) → STRING", 0, 1},
		{"third argument", "sub vcl_recv {\n  set req.http.X = regsub(req.url, \"a\", " + cursor + ");\n}\n", "regsub(", 2, 1},
		{"inside a string argument", "sub vcl_recv {\n  set req.http.X = regsub(req.url, \"^/a" + cursor + "\", \"\");\n}\n", "regsub(", 1, 1},
		{"nested call", "sub vcl_recv {\n  set req.http.X = regsub(std.tolower(" + cursor + "), \"a\", \"b\");\n}\n", "std.tolower(", 0, 1},
		{"optional parameter", "sub vcl_recv {\n  set req.http.X = table.lookup(t, \"k\", " + cursor + ");\n}\n", "table.lookup(TABLE id, STRING key, [STRING default])", 2, 1},
		{"user subroutine", "sub f(STRING var.a, INTEGER var.b) STRING { return var.a; }\nsub vcl_recv {\n  set req.http.X = f(\"x\", " + cursor + ");\n}\n", "f(STRING var.a, INTEGER var.b) → STRING", 1, 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uri, pos := c.openAtCursor(filepath.Join(dir, "s"+string(rune('a'+i))+".vcl"), tt.text)
			var sh *signatureHelp
			c.mustCall(protocol.MethodTextDocumentSignatureHelp, tdp(uri, pos), &sh)
			if sh == nil || len(sh.Signatures) != tt.wantSigs {
				t.Fatalf("signatures: %+v", sh)
			}
			sig := sh.Signatures[sh.ActiveSignature]
			if !strings.HasPrefix(sig.Label, tt.wantLabel) {
				t.Errorf("label %q, want prefix %q", sig.Label, tt.wantLabel)
			}
			if sh.ActiveParameter != tt.wantActive {
				t.Errorf("active parameter %d, want %d", sh.ActiveParameter, tt.wantActive)
			}
			for _, p := range sig.Parameters {
				if int(p.Label[1]) > len(sig.Label) || p.Label[0] >= p.Label[1] {
					t.Errorf("bad parameter offsets %v in %q", p.Label, sig.Label)
				}
			}
		})
	}
	// Outside any call: no help.
	uri, pos := c.openAtCursor(filepath.Join(dir, "none.vcl"), "sub vcl_recv {\n  set req.http.X = "+cursor+";\n}\n")
	var sh *signatureHelp
	c.mustCall(protocol.MethodTextDocumentSignatureHelp, tdp(uri, pos), &sh)
	if sh != nil {
		t.Errorf("signature help outside a call: %+v", sh)
	}
}

// locStrings renders locations as file:line:col for comparisons.
func locStrings(locs []protocol.Location) []string {
	var out []string
	for _, l := range locs {
		out = append(out, filepath.Base(uriToPath(string(l.URI)))+":"+strconv.Itoa(int(l.Range.Start.Line)+1)+":"+strconv.Itoa(int(l.Range.Start.Character)+1))
	}
	sort.Strings(out)
	return out
}

func TestDefinitionReferencesHighlight(t *testing.T) {
	dir := copyWorkspace(t)
	c := newTestClient(t, clientOpts{folder: dir})
	mainPath := filepath.Join(dir, "main.vcl")
	main := readFile(t, mainPath)
	uri := c.open(mainPath, main)
	tests := []struct {
		name    string
		needle  string
		delta   int
		def     []string
		refs    []string // with the declaration
		highlit int      // occurrences in main.vcl
	}{
		{"sub from its call", "call normalize_host", 6, []string{"main.vcl:14:5"}, []string{"main.vcl:14:5", "main.vcl:22:8"}, 2},
		{"local", "set var.host", 6, []string{"main.vcl:15:17"}, []string{"main.vcl:15:17", "main.vcl:16:7", "main.vcl:17:23"}, 3},
		{"acl", "~ internal", 3, []string{"main.vcl:4:5"}, []string{"main.vcl:23:19", "main.vcl:4:5"}, 2},
		{"table", "lookup(redirects", 8, []string{"main.vcl:9:7"}, []string{"main.vcl:26:42", "main.vcl:9:7"}, 2},
		// F_origin: declared in the included file, used in main.vcl, in a
		// director member, in a snippet and in another program.
		{"backend across files", "= F_origin", 3, []string{"backends.vcl:1:9"},
			[]string{"backends.vcl:13:16", "backends.vcl:1:9", "main.vcl:27:21", "other.vcl:4:21", "recv_extra.vcl:3:21"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pos := at(t, main, tt.needle, tt.delta)
			var def []protocol.Location
			c.mustCall(protocol.MethodTextDocumentDefinition, tdp(uri, pos), &def)
			if got := strings.Join(locStrings(def), " "); got != strings.Join(tt.def, " ") {
				t.Errorf("definition %s, want %s", got, strings.Join(tt.def, " "))
			}
			var refs []protocol.Location
			params := tdp(uri, pos)
			params["context"] = map[string]any{"includeDeclaration": true}
			c.mustCall(protocol.MethodTextDocumentReferences, params, &refs)
			if got := strings.Join(locStrings(refs), " "); got != strings.Join(tt.refs, " ") {
				t.Errorf("references %s, want %s", got, strings.Join(tt.refs, " "))
			}
			var hl []protocol.DocumentHighlight
			c.mustCall(protocol.MethodTextDocumentDocumentHighlight, tdp(uri, pos), &hl)
			if len(hl) != tt.highlit {
				t.Errorf("%d highlights, want %d", len(hl), tt.highlit)
			}
		})
	}
	// Definition of an include line opens the included file.
	var def []protocol.Location
	c.mustCall(protocol.MethodTextDocumentDefinition, tdp(uri, at(t, main, "\"backends\"", 2)), &def)
	if len(def) != 1 || !strings.HasSuffix(string(def[0].URI), "backends.vcl") {
		t.Errorf("include definition: %+v", def)
	}
}

func TestRename(t *testing.T) {
	dir := copyWorkspace(t)
	c := newTestClient(t, clientOpts{folder: dir})
	mainPath := filepath.Join(dir, "main.vcl")
	main := readFile(t, mainPath)
	uri := c.open(mainPath, main)
	tests := []struct {
		name    string
		needle  string
		delta   int
		newName string
		edits   map[string]int // file → number of edits
		errLike string         // a refusal
	}{
		{"sub", "call normalize_host", 6, "clean_host", map[string]int{"main.vcl": 2}, ""},
		{"local", "set var.host", 6, "var.h", map[string]int{"main.vcl": 3}, ""},
		{"backend across the workspace", "= F_origin", 3, "F_primary",
			map[string]int{"main.vcl": 1, "backends.vcl": 2, "other.vcl": 1, "recv_extra.vcl": 1}, ""},
		{"predefined variable", "req.url.path", 2, "x", nil, "predefined Fastly variable"},
		{"builtin function", "std.tolower", 3, "x", nil, "builtin Fastly function"},
		{"builtin subroutine", "sub vcl_recv", 6, "vcl_x", nil, "predefined Fastly subroutine"},
		{"local without var.", "set var.host", 6, "host", nil, "var.NAME"},
		{"collision", "~ internal", 3, "redirects", nil, "already declared"},
		{"reserved vcl_ prefix", "call normalize_host", 6, "vcl_mine", nil, "reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pos := at(t, main, tt.needle, tt.delta)
			var prep *prepareRenameResult
			perr := c.call(protocol.MethodTextDocumentPrepareRename, tdp(uri, pos), &prep)
			params := tdp(uri, pos)
			params["newName"] = tt.newName
			var edit protocol.WorkspaceEdit
			err := c.call(protocol.MethodTextDocumentRename, params, &edit)
			if tt.errLike != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errLike) {
					t.Errorf("rename error %v, want one mentioning %q", err, tt.errLike)
				}
				return
			}
			if perr != nil || prep == nil {
				t.Fatalf("prepareRename: %v %+v", perr, prep)
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for u, edits := range edit.Changes {
				got[filepath.Base(uriToPath(string(u)))] += len(edits)
				for _, e := range edits {
					if e.NewText != tt.newName {
						t.Errorf("edit text %q", e.NewText)
					}
				}
			}
			for f, n := range tt.edits {
				if got[f] != n {
					t.Errorf("%s: %d edits, want %d (all: %v)", f, got[f], n, got)
				}
			}
			if len(got) != len(tt.edits) {
				t.Errorf("edited files %v, want %v", got, tt.edits)
			}
		})
	}
	// prepareRename refuses predefined names with a message.
	err := c.call(protocol.MethodTextDocumentPrepareRename, tdp(uri, at(t, main, "req.url.path", 1)), nil)
	if err == nil || !strings.Contains(err.Error(), "cannot be renamed") {
		t.Errorf("prepareRename on req.url.path: %v", err)
	}
}

func TestRenameKinds(t *testing.T) {
	text := `penaltybox pb { }
ratecounter rc { }
backend F_a { .host = "a"; }
director d1 random { { .backend = F_a; .weight = 1; } }
sub vcl_recv {
  #FASTLY recv
  if (ratelimit.check_rate(req.http.Fastly-Client-IP, rc, 1, 10, 100, pb, 2m)) {
    error 429;
  }
  set req.backend = d1;
  goto done;
  done:
  return(lookup);
}
`
	c := newTestClient(t, clientOpts{noIndex: true})
	uri := c.open(filepath.Join(t.TempDir(), "kinds.vcl"), text)
	c.waitDiagnostics(uri, func([]protocol.Diagnostic) bool { return true })
	tests := []struct {
		name, needle string
		delta        int
		newName      string
		edits        int
	}{
		{"penaltybox", "pb, 2m", 0, "pb2", 2},
		{"ratecounter", "rc, 1", 0, "rc2", 2},
		{"backend in a director member", ".backend = F_a", 12, "F_b", 2},
		{"director", "= d1", 2, "d2", 2},
		{"label from goto", "goto done", 6, "finish", 2},
		{"label from its definition", "done:", 1, "finish", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := tdp(uri, at(t, text, tt.needle, tt.delta))
			params["newName"] = tt.newName
			var edit protocol.WorkspaceEdit
			c.mustCall(protocol.MethodTextDocumentRename, params, &edit)
			if n := len(edit.Changes[uri]); n != tt.edits || len(edit.Changes) != 1 {
				t.Errorf("%d edits in %d files, want %d: %+v", n, len(edit.Changes), tt.edits, edit.Changes)
			}
			got := applyEdits(t, text, edit.Changes[uri])
			if strings.Count(got, tt.newName) < tt.edits {
				t.Errorf("renamed text:\n%s", got)
			}
		})
	}
}
