package lsp

import (
	"context"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
)

// Terraform files.
//
// An editor may attach the server to Terraform files (VS Code's
// "terraform" language, Neovim's "terraform" and "hcl" filetypes) to check
// the VCL written in them. The server answers only inside the content of
// the fastly_service_vcl snippet and vcl blocks that are heredocs without
// interpolations (analysis.InlineSource): each is checked as a program of
// its own, named file#terraform:snippet.NAME, whose positions are the
// .tf file's. Elsewhere in a .tf file requests get an empty answer, and
// its diagnostics are the Terraform warnings plus those of its heredocs.

// isTerraformPath reports whether path is a Terraform file.
func isTerraformPath(path string) bool { return strings.HasSuffix(path, ".tf") }

// positionOf extracts the cursor position of a request's parameters.
func positionOf(p any) (protocol.Position, bool) {
	switch v := p.(type) {
	case *protocol.TextDocumentPositionParams:
		return v.Position, true
	case *protocol.CompletionParams:
		return v.Position, true
	case *protocol.SignatureHelpParams:
		return v.Position, true
	}
	return protocol.Position{}, false
}

// inlineAt returns a query on the in-place VCL that holds pos in a .tf
// document, or nil when pos is not inside one.
func (q *docQuery) inlineAt(pos protocol.Position) *docQuery {
	ws := q.view.ws
	if ws == nil {
		return nil
	}
	docs := q.view.docs
	text, err := ws.ReadFile(q.path, docs.buffers)
	if err != nil {
		return nil
	}
	off := int(q.conv.offset(syntax.NewSource(q.path, text), pos))
	for _, in := range ws.InlineSourcesIn(q.path, docs.buffers) {
		if off >= in.Start && off <= in.End {
			return &docQuery{s: q.s, uri: q.uri, path: in.Name, view: q.s.sess.viewFor(in.Name), conv: q.conv}
		}
	}
	return nil
}

// onTerraform runs a document request about a .tf file: on the heredoc
// under the cursor, else with an empty answer.
func onTerraform[P any](q *docQuery, p *P, run func(ctx context.Context, q *docQuery, p *P) (any, error)) runner {
	return func(ctx context.Context) (any, error) {
		pos, ok := positionOf(any(p))
		if !ok {
			return nil, nil
		}
		in := q.inlineAt(pos)
		if in == nil {
			return nil, nil
		}
		return run(ctx, in, p)
	}
}

// terraformDiagnostics are the diagnostics of an open .tf file: what the
// workspace could not read statically, and the problems of its heredocs.
func (d *diagnoser) terraformDiagnostics(path string, conv posConv) []protocol.Diagnostic {
	sess := d.s.sess
	v := sess.viewFor(path)
	if v.ws == nil {
		return nil
	}
	uriOf := func(p string) protocol.DocumentURI { return sess.uriOf(analysis.SourceFile(p)) }
	out := []protocol.Diagnostic{}
	for _, ad := range v.ws.TerraformDiagnostics(v.docs.buffers) {
		if ad.File.Name == path {
			out = append(out, toLSPDiagnostic(ad, conv, uriOf))
		}
	}
	for _, in := range v.ws.InlineSourcesIn(path, v.docs.buffers) {
		iv := sess.viewFor(in.Name)
		snap := sess.snapshotOf(iv, in.Name)
		if snap == nil {
			continue
		}
		for _, ad := range snap.diags[in.Name] {
			out = append(out, toLSPDiagnostic(ad, conv, uriOf))
		}
	}
	return out
}
