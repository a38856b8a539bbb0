package lsp

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// The language server re-parses and re-checks only what an edit touches.
// These tests hold it to the one rule that matters: after any sequence of
// edits, what the editor sees (diagnostics, document symbols, semantic
// tokens) is exactly what a fresh server shows for the same text.

// editFragments are the pieces random edits insert: brackets, strings and
// comments that change how everything after them parses, declarations,
// statements, and names that other declarations refer to.
var editFragments = []string{
	"}", "{", "}\n", "\"", "{\"", "\"}", "/*", "*/", "#", "//", "\n", " ", ";", "(", ")",
	"sub extra {\n  set req.http.X-E = \"e\";\n}\n",
	"}\nsub split_here {\n",
	"table redirects {\n  \"/a\": \"/b\",\n}\n",
	"table redirects INTEGER {\n  \"/a\": 1,\n}\n",
	"backend F_origin { .host = \"h\"; }\n",
	"acl internal { \"10.0.0.0\"/8; }\n",
	"  set req.http.X-New = table.lookup(redirects, req.url);\n",
	"  call custom_1;\n", "  call missing_sub;\n",
	"  declare local var.y STRING;\n  set var.y = \"1\";\n",
	"  if (req.url ~ \"^/x\") { return(pass); }\n",
	"  return(lookup);\n", "  restart;\n", "  error 601;\n",
	"custom_0", "F_origin", "redirects", "var.x0", "req.http.Host", "beresp.ttl",
	"sub vcl_fetch {\n  #FASTLY fetch\n  set beresp.ttl = 1s;\n  return(deliver);\n}\n",
	"include \"part\";\n", "é", "😀",
}

// textEdit is one edit of a document: replace [start, end) (byte offsets)
// with text.
type textEdit struct {
	start, end int
	text       string
}

// randomEdit makes an edit of text from the random source: a deletion, an
// insertion of a fragment, or a replacement, at rune boundaries.
func randomEdit(r *rand.Rand, text string) textEdit {
	at := func() int {
		if len(text) == 0 {
			return 0
		}
		i := r.Intn(len(text) + 1)
		for i < len(text) && !utf8.RuneStart(text[i]) {
			i++
		}
		return i
	}
	a, b := at(), at()
	if a > b {
		a, b = b, a
	}
	if b-a > 200 {
		b = a + r.Intn(200)
		for b < len(text) && !utf8.RuneStart(text[b]) {
			b++
		}
	}
	switch r.Intn(3) {
	case 0:
		return textEdit{a, b, ""}
	case 1:
		return textEdit{a, a, editFragments[r.Intn(len(editFragments))]}
	}
	return textEdit{a, b, editFragments[r.Intn(len(editFragments))]}
}

// lspPosition converts a byte offset of text to an LSP position (UTF-16).
func lspPosition(text string, off int) protocol.Position {
	line := strings.Count(text[:off], "\n")
	ls := strings.LastIndex(text[:off], "\n") + 1
	col := 0
	for _, r := range text[ls:off] {
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
	}
	return protocol.Position{Line: uint32(line), Character: uint32(col)}
}

// editorView is what an editor shows of one document.
type editorView struct {
	Diagnostics []protocol.Diagnostic
	Symbols     json.RawMessage
	Tokens      []uint32
}

// viewOf asks the server for what the editor shows of uri at version.
func viewOf(c *testClient, uri protocol.DocumentURI, version int32) editorView {
	c.t.Helper()
	c.waitVersion(uri, version)
	c.mu.Lock()
	diags := append([]protocol.Diagnostic(nil), c.diags[uri].Diagnostics...)
	c.mu.Unlock()
	sort.SliceStable(diags, func(i, j int) bool {
		return fmt.Sprint(diags[i].Range, diags[i].Message) < fmt.Sprint(diags[j].Range, diags[j].Message)
	})
	var v editorView
	v.Diagnostics = diags
	doc := map[string]any{"textDocument": map[string]any{"uri": uri}}
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol, doc, &v.Symbols)
	var toks protocol.SemanticTokens
	c.mustCall(protocol.MethodSemanticTokensFull, doc, &toks)
	v.Tokens = toks.Data
	return v
}

// freshView opens texts (path → text) in a new server and returns what it
// shows of each.
func freshView(t testing.TB, dir string, texts map[string]string) map[string]editorView {
	t.Helper()
	c := newTestClient(t, clientOpts{folder: dir, noIndex: true, quiet: true})
	defer func() { c.shutdown(); c.release() }()
	uris := map[string]protocol.DocumentURI{}
	for _, name := range sortedKeys(texts) {
		uris[name] = c.open(filepath.Join(dir, name), texts[name])
	}
	out := map[string]editorView{}
	for _, name := range sortedKeys(texts) {
		out[name] = viewOf(c, uris[name], 1)
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkEditSequence applies n random edits to the documents (path → text)
// in one server, and after each edit compares what it shows with a fresh
// server's view of the same texts.
func checkEditSequence(t testing.TB, r *rand.Rand, texts map[string]string, n int) {
	t.Helper()
	dir := t.TempDir()
	// The documents exist on disk too (as an editor opens saved files);
	// the edits stay in the buffers. A name starting with "disk:" is a
	// file nobody opens (an include read from disk): never edited.
	for name, text := range texts {
		if err := os.WriteFile(filepath.Join(dir, strings.TrimPrefix(name, "disk:")), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name := range texts {
		if strings.HasPrefix(name, "disk:") {
			delete(texts, name)
		}
	}
	c := newTestClient(t, clientOpts{folder: dir, noIndex: true, quiet: true})
	defer func() { c.shutdown(); c.release() }()
	names := sortedKeys(texts)
	uris := map[string]protocol.DocumentURI{}
	versions := map[string]int32{}
	for _, name := range names {
		uris[name] = c.open(filepath.Join(dir, name), texts[name])
		versions[name] = 1
	}
	var history []string
	for step := 0; step < n; step++ {
		name := names[r.Intn(len(names))]
		text := texts[name]
		e := randomEdit(r, text)
		rng := protocol.Range{Start: lspPosition(text, e.start), End: lspPosition(text, e.end)}
		versions[name]++
		c.change(uris[name], int(versions[name]), &rng, e.text)
		texts[name] = text[:e.start] + e.text + text[e.end:]
		history = append(history, fmt.Sprintf("%s: replace [%d,%d) %q with %q", name, e.start, e.end, text[e.start:e.end], e.text))

		want := freshView(t, dir, texts)
		for _, nm := range names {
			// A document that was not edited has its diagnostics published
			// again, under the same version, when a file it includes
			// changes: wait a little for them to match before judging.
			got := viewOf(c, uris[nm], versions[nm])
			for deadline := time.Now().Add(3 * time.Second); compareViews(got, want[nm]) != "" && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
				got = viewOf(c, uris[nm], versions[nm])
			}
			if diff := compareViews(got, want[nm]); diff != "" {
				t.Fatalf("after %d edits, %s differs from a fresh analysis: %s\nedits:\n  %s\ntext of %s:\n%s",
					step+1, nm, diff, strings.Join(history, "\n  "), nm, texts[nm])
			}
		}
	}
}

// compareViews describes the first difference between two views ("" when
// they are equal).
func compareViews(got, want editorView) string {
	g, _ := json.Marshal(got.Diagnostics)
	w, _ := json.Marshal(want.Diagnostics)
	if string(g) != string(w) {
		return fmt.Sprintf("diagnostics\n got %s\nwant %s", g, w)
	}
	if string(got.Symbols) != string(want.Symbols) {
		return fmt.Sprintf("document symbols\n got %s\nwant %s", got.Symbols, want.Symbols)
	}
	if fmt.Sprint(got.Tokens) != fmt.Sprint(want.Tokens) {
		return fmt.Sprintf("semantic tokens\n got %v\nwant %v", got.Tokens, want.Tokens)
	}
	return ""
}

// incrementalRounds repeats TestIncrementalEqualsFresh with further seeds
// (go test ./lsp -run TestIncrementalEqualsFresh -incremental.rounds 50),
// for a long run before a release.
var incrementalRounds = flag.Int("incremental.rounds", 1, "rounds of seeded edit sequences in TestIncrementalEqualsFresh")

// TestIncrementalEqualsFresh applies seeded random edit sequences to a
// generated program, to a program split over an include, and to real
// corpus files, comparing every step with a fresh analysis.
func TestIncrementalEqualsFresh(t *testing.T) {
	part := "sub custom_part {\n  set req.http.X-Part = \"p\";\n}\n"
	withInclude := strings.Replace(genVCL(120), "sub vcl_recv {", "include \"part\";\nsub vcl_recv {\n  call custom_part;", 1)
	cases := []struct {
		name  string
		texts map[string]string
		edits int
	}{
		{"generated", map[string]string{"main.vcl": genVCL(150)}, 60},
		{"include", map[string]string{"main.vcl": withInclude, "part.vcl": part}, 40},
		{"include from disk", map[string]string{"main.vcl": withInclude, "disk:part.vcl": part}, 40},
		{"small", map[string]string{"main.vcl": "sub vcl_recv {\n  #FASTLY recv\n  return(lookup);\n}\n"}, 40},
	}
	for _, name := range []string{"fastly__fastly-typo3/Resources/Private/VCL/main.vcl", "alphagov__govuk-cdn-config/spec/test-outputs/assets-production.out.vcl", "fastly__fastly-magento2/etc/vcl_snippets/recv.vcl"} {
		if b, err := os.ReadFile(filepath.Join(corpusDir, name)); err == nil {
			cases = append(cases, struct {
				name  string
				texts map[string]string
				edits int
			}{"corpus " + name, map[string]string{"main.vcl": string(b)}, 25})
		}
	}
	for round := 0; round < *incrementalRounds; round++ {
		for i, tc := range cases {
			seed := int64(round*len(cases) + i + 1)
			texts := map[string]string{}
			for k, v := range tc.texts {
				texts[k] = v
			}
			t.Run(fmt.Sprintf("%s/seed=%d", tc.name, seed), func(t *testing.T) {
				checkEditSequence(t, rand.New(rand.NewSource(seed)), texts, tc.edits)
			})
		}
	}
}

// FuzzIncrementalEqualsFresh drives edit sequences from fuzz input: the
// seed chooses the edits, the text is the document they apply to.
func FuzzIncrementalEqualsFresh(f *testing.F) {
	f.Add(int64(1), genVCL(60))
	f.Add(int64(2), "sub vcl_recv {\n  #FASTLY recv\n  if (req.url ~ \"/x\") { return(pass); }\n}\n")
	f.Add(int64(3), "table t { \"a\": \"b\", }\nsub vcl_recv { set req.http.X = table.lookup(t, \"a\"); }\n")
	f.Fuzz(func(t *testing.T, seed int64, text string) {
		// Every input is used: made valid UTF-8 without NULs (a buffer with
		// a NUL is not VCL at all) and cut to a size that keeps runs fast.
		text = strings.ReplaceAll(strings.ToValidUTF8(text, "?"), "\x00", " ")
		if len(text) > 4000 {
			text = strings.ToValidUTF8(text[:4000], "")
		}
		checkEditSequence(t, rand.New(rand.NewSource(seed)), map[string]string{"main.vcl": text}, 4)
	})
}
