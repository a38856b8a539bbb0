// Package lsp is vclide's language server for Fastly VCL.
//
// The server speaks LSP 3.17 over any byte stream (stdio or a loopback TCP
// connection) with go.lsp.dev/jsonrpc2 and go.lsp.dev/protocol. It never
// parses VCL itself: every answer comes from the analysis core (packages
// analysis, analysis/syntax, analysis/catalog, analysis/config and
// analysis/format).
//
// # Design
//
// Open buffers are immutable documents; a change replaces the document. A
// file is checked as part of the program of its root: the file that
// includes it (found through the workspace index), or the file itself. Each
// root has a view that lazily computes one immutable snapshot (the parsed
// and checked analysis.Program) for the buffers current when the view was
// made; a change drops only the views whose snapshot read the changed file.
// A request binds to the current view on the connection's read loop, so it
// sees the state as of its arrival, and then runs on its own goroutine,
// only asking questions of the snapshot.
//
// Diagnostics are published after a short debounce for every open buffer
// and for every file its program includes. The workspace index, built at
// start with work-done progress, knows every .vcl file of the workspace:
// its declarations (workspace symbols), includes (roots), the names it uses
// (references and rename across programs) and header names (completion).
//
// Every handler recovers from panics and answers with an error; requests
// honour $/cancelRequest; unknown methods get MethodNotFound.
package lsp
