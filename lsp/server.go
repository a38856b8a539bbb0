package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/config"
	"github.com/vclide/vclide/analysis/syntax"
)

// Options configure a Server.
type Options struct {
	// Logger receives the server's log; nil discards it. It must not write
	// to the protocol stream.
	Logger *zap.Logger
	// DiagnosticsDelay is how long the server waits after the last change
	// before it checks and publishes diagnostics (default 10ms).
	DiagnosticsDelay time.Duration
	// Version is reported to the client in serverInfo.
	Version string
	// NoWorkspaceIndex skips the scan of the workspace folders at start.
	NoWorkspaceIndex bool
	// StrictFraming ends the connection when its first message is not
	// LSP framing (an HTTP request a web page sent to the port, for one)
	// instead of answering an error and skipping to the next header. Set
	// it for network listeners.
	StrictFraming bool
}

// Server is one language server connection. Create it with NewServer and
// run it with Serve.
type Server struct {
	opts Options
	log  *zap.Logger
	sess *session
	diag *diagnoser
	// testResults are the failures of the last test run per file.
	testResults testResults

	conn jsonrpc2.Conn
	ctx  context.Context // lives as long as the connection

	mu         sync.Mutex
	state      serverState
	caps       clientCapabilities
	conv       posConv
	pending    map[string]context.CancelFunc
	exitCode   chan int
	indexDone  chan struct{}
	indexOnce  sync.Once
	progressID int
	inflight   sync.WaitGroup // requests being answered
}

type serverState int

const (
	stateNew serverState = iota
	stateRunning
	stateShutdown
)

// NewServer returns a server ready to Serve one connection.
func NewServer(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	if opts.DiagnosticsDelay <= 0 {
		opts.DiagnosticsDelay = 10 * time.Millisecond
	}
	s := &Server{
		opts:      opts,
		log:       opts.Logger,
		sess:      newSession(),
		pending:   map[string]context.CancelFunc{},
		exitCode:  make(chan int, 1),
		indexDone: make(chan struct{}),
	}
	s.sess.onPanic = func(root string, r any) {
		s.log.Error("panic while checking", zap.String("root", root), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
	}
	s.sess.configs.onError = func(path string, err error) {
		// The problems are published as diagnostics on the file; a file
		// that cannot be read at all is also reported in a message.
		s.log.Warn("problems in the configuration", zap.String("path", path), zap.Error(err))
		var list config.ErrorList
		if !errors.As(err, &list) {
			s.showMessage(protocol.MessageTypeWarning, "vclide: "+err.Error())
		}
	}
	s.diag = newDiagnoser(s)
	return s
}

// Serve speaks the protocol over rwc until the client sends exit or the
// stream ends, and returns the exit code the process should end with: 0
// after shutdown then exit, 1 otherwise.
func (s *Server) Serve(ctx context.Context, rwc io.ReadWriteCloser) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.ctx = ctx
	stream := newHeaderStream(rwc, s.log, s.opts.StrictFraming)
	s.conn = jsonrpc2.NewConn(stream)
	s.conn.Go(ctx, s.handle)
	code := 1
	select {
	case code = <-s.exitCode:
	case <-s.conn.Done():
		s.mu.Lock()
		if s.state == stateShutdown {
			code = 0
		}
		s.mu.Unlock()
		s.log.Info("connection closed", zap.Error(s.conn.Err()))
	case <-ctx.Done():
	}
	s.diag.stop()
	// Let the requests in flight answer (a client may send exit without
	// waiting for every reply), then send what is queued.
	waitTimeout(&s.inflight, time.Second)
	stream.flush(time.Second)
	_ = s.conn.Close()
	s.cancelAll()
	return code
}

// handle is the jsonrpc2 handler. It runs on the connection's read loop:
// notifications are applied in order right here (they are cheap), requests
// bind to the current state here and then run on their own goroutine.
func (s *Server) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	method := req.Method()
	call, isCall := req.(*jsonrpc2.Call)
	if !isCall {
		s.notify(method, req.Params())
		return nil
	}
	id := idKey(call.ID())
	s.log.Debug("request", zap.String("method", method), zap.String("id", id))

	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	switch {
	case method == protocol.MethodInitialize:
		if state != stateNew {
			return s.replyError(ctx, reply, method, rpcError(codeInvalidRequest, "initialize was already received"))
		}
	case state == stateNew:
		return s.replyError(ctx, reply, method, rpcError(codeServerNotInitialized, "the server is not initialized yet: send initialize first"))
	case state == stateShutdown:
		return s.replyError(ctx, reply, method, rpcError(codeInvalidRequest, "the server is shutting down: only exit is accepted"))
	}

	h, ok := requestHandlers[method]
	if !ok {
		return s.replyError(ctx, reply, method, rpcError(codeMethodNotFound, "method not found: "+method))
	}
	run, err := s.bindRequest(method, h, req.Params())
	if err != nil {
		return s.replyError(ctx, reply, method, err)
	}
	rctx, cancel := context.WithCancel(s.ctx)
	s.mu.Lock()
	s.pending[id] = cancel
	s.mu.Unlock()
	s.inflight.Add(1)
	go func() {
		defer s.inflight.Done()
		defer func() {
			s.mu.Lock()
			delete(s.pending, id)
			s.mu.Unlock()
			cancel()
		}()
		start := time.Now()
		res, err := s.runRequest(rctx, method, run)
		if rctx.Err() != nil && s.ctx.Err() == nil {
			res, err = nil, rpcError(codeRequestCancelled, "request cancelled: "+method)
		}
		if err != nil {
			s.log.Debug("request failed", zap.String("method", method), zap.String("id", id), zap.Error(err))
		}
		// Reply with a context that is never cancelled: the answer must go out.
		if rerr := reply(context.Background(), res, err); rerr != nil {
			s.log.Warn("cannot send a reply", zap.String("method", method), zap.Error(rerr))
		}
		s.log.Debug("replied", zap.String("method", method), zap.String("id", id), zap.Duration("took", time.Since(start)))
	}()
	return nil
}

// replyError answers a request with an error from the read loop. It
// always returns nil: jsonrpc2 closes the connection when a handler
// returns an error, and a second failure of the connection (the read that
// follows) panics inside jsonrpc2 when the two errors differ in type,
// which would end the whole process, every --listen client included.
func (s *Server) replyError(ctx context.Context, reply jsonrpc2.Replier, method string, err error) error {
	if rerr := reply(ctx, nil, err); rerr != nil {
		s.log.Warn("cannot send a reply", zap.String("method", method), zap.Error(rerr))
	}
	return nil
}

// bindRequest decodes a request's parameters and captures the state it
// applies to, recovering from a panic.
func (s *Server) bindRequest(method string, h requestFunc, params json.RawMessage) (run runner, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic while reading a request", zap.String("method", method), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			run, err = nil, rpcError(codeInternalError, fmt.Sprintf("internal error in %s: %v", method, r))
		}
	}()
	return h(s, params)
}

// runRequest runs a bound request, turning a panic into an error.
func (s *Server) runRequest(ctx context.Context, method string, run runner) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic in a request handler", zap.String("method", method), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			res, err = nil, rpcError(codeInternalError, fmt.Sprintf("internal error in %s: %v", method, r))
		}
	}()
	return run(ctx)
}

// notify applies one notification.
func (s *Server) notify(method string, params json.RawMessage) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic in a notification handler", zap.String("method", method), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
		}
	}()
	s.log.Debug("notification", zap.String("method", method))
	switch method {
	case protocol.MethodExit:
		s.mu.Lock()
		code := 1
		if s.state == stateShutdown {
			code = 0
		}
		s.mu.Unlock()
		select {
		case s.exitCode <- code:
		default:
		}
		return
	case protocol.MethodCancelRequest:
		var p struct {
			ID json.RawMessage `json:"id"`
		}
		if json.Unmarshal(params, &p) == nil {
			s.cancel(rawIDKey(p.ID))
		}
		return
	}
	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	if state != stateRunning {
		return // before initialize or after shutdown, notifications are dropped
	}
	h, ok := notificationHandlers[method]
	if !ok {
		return // unknown notifications (and $/ ones) are ignored
	}
	if err := h(s, params); err != nil {
		s.log.Warn("notification failed", zap.String("method", method), zap.Error(err))
	}
}

func (s *Server) cancel(id string) {
	s.mu.Lock()
	cancel := s.pending[id]
	s.mu.Unlock()
	if cancel != nil {
		s.log.Debug("cancelling", zap.String("id", id))
		cancel()
	}
}

func (s *Server) cancelAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.pending {
		c()
	}
}

// idKey renders a request id the way $/cancelRequest spells it.
func idKey(id jsonrpc2.ID) string {
	b, err := (&id).MarshalJSON()
	if err != nil {
		return fmt.Sprint(id)
	}
	return string(b)
}

func rawIDKey(raw json.RawMessage) string {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

// rpcError builds a JSON-RPC error reply.
func rpcError(code int, msg string) error {
	return &jsonrpc2.Error{Code: jsonrpc2.Code(code), Message: msg}
}

// decodeParams decodes a request's parameters, reporting InvalidParams.
func decodeParams(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return rpcError(codeInvalidParams, "invalid parameters: "+err.Error())
	}
	return nil
}

// requestFunc decodes a request and binds it to the current state; the
// runner it returns does the work on its own goroutine.
type requestFunc func(s *Server, params json.RawMessage) (runner, error)

type runner func(ctx context.Context) (any, error)

// notificationFunc applies a notification.
type notificationFunc func(s *Server, params json.RawMessage) error

// docQuery is a request about one document, bound to the view that was
// current when the request arrived.
type docQuery struct {
	s    *Server
	uri  protocol.DocumentURI
	path string
	view *view
	conv posConv
}

// bind captures the state for a request about uri.
func (s *Server) bind(uri protocol.DocumentURI) *docQuery {
	path := uriToPath(string(uri))
	s.mu.Lock()
	conv := s.conv
	s.mu.Unlock()
	return &docQuery{s: s, uri: uri, path: path, view: s.sess.viewFor(path), conv: conv}
}

// errNoFile is returned for requests about files the server cannot read.
var errNoFile = errors.New("no such document")

// snapshot computes (or reuses) the checked program and the document's file.
func (q *docQuery) snapshot() (*snapshot, *syntax.File, error) {
	snap := q.s.sess.snapshotOf(q.view, q.path)
	if snap == nil {
		return nil, nil, rpcError(codeRequestFailed, "the analysis failed")
	}
	if snap.root == q.path && analysis.IsFileRefused(snap.loadErr) {
		// Outside the workspace, a device or too large: no content.
		return nil, nil, rpcError(codeRequestFailed, snap.loadErr.Error())
	}
	f := snap.file(q.path)
	if f == nil {
		return nil, nil, rpcError(codeRequestFailed, fmt.Sprintf("%v: %s", errNoFile, q.path))
	}
	return snap, f, nil
}

// onDoc builds a requestFunc for a request about one document.
func onDoc[P any](uriOf func(*P) protocol.DocumentURI, run func(ctx context.Context, q *docQuery, p *P) (any, error)) requestFunc {
	return func(s *Server, raw json.RawMessage) (runner, error) {
		p := new(P)
		if err := decodeParams(raw, p); err != nil {
			return nil, err
		}
		q := s.bind(uriOf(p))
		if isTerraformPath(q.path) {
			return onTerraform(q, p, run), nil
		}
		return func(ctx context.Context) (any, error) { return run(ctx, q, p) }, nil
	}
}

// posParams reads the document of a TextDocumentPositionParams.
func posParams(p *protocol.TextDocumentPositionParams) protocol.DocumentURI {
	return p.TextDocument.URI
}

// requestHandlers and notificationHandlers map methods to handlers (filled
// by init, to break the initialization cycle through the handlers).
var (
	requestHandlers      map[string]requestFunc
	notificationHandlers map[string]notificationFunc
)

func init() {
	requestHandlers = map[string]requestFunc{
		protocol.MethodInitialize: (*Server).initialize,
		protocol.MethodShutdown: func(s *Server, _ json.RawMessage) (runner, error) {
			s.mu.Lock()
			s.state = stateShutdown
			s.mu.Unlock()
			return func(context.Context) (any, error) { return nil, nil }, nil
		},
		protocol.MethodTextDocumentCompletion:        onDoc(func(p *protocol.CompletionParams) protocol.DocumentURI { return p.TextDocument.URI }, completion),
		protocol.MethodCompletionItemResolve:         resolveCompletion,
		protocol.MethodTextDocumentHover:             onDoc(posParams, hover),
		protocol.MethodTextDocumentSignatureHelp:     onDoc(posParams, signatureHelpAt),
		protocol.MethodTextDocumentDefinition:        onDoc(posParams, definition),
		protocol.MethodTextDocumentDeclaration:       onDoc(posParams, definition),
		protocol.MethodTextDocumentReferences:        onDoc(func(p *protocol.ReferenceParams) protocol.DocumentURI { return p.TextDocument.URI }, references),
		protocol.MethodTextDocumentDocumentHighlight: onDoc(posParams, documentHighlight),
		protocol.MethodTextDocumentPrepareRename:     onDoc(posParams, prepareRename),
		protocol.MethodTextDocumentRename:            onDoc(func(p *protocol.RenameParams) protocol.DocumentURI { return p.TextDocument.URI }, rename),
		protocol.MethodTextDocumentDocumentSymbol:    onDoc(func(p *protocol.DocumentSymbolParams) protocol.DocumentURI { return p.TextDocument.URI }, documentSymbols),
		protocol.MethodWorkspaceSymbol:               workspaceSymbols,
		protocol.MethodTextDocumentFormatting:        onDoc(func(p *protocol.DocumentFormattingParams) protocol.DocumentURI { return p.TextDocument.URI }, formatDocument),
		protocol.MethodTextDocumentRangeFormatting:   onDoc(func(p *protocol.DocumentRangeFormattingParams) protocol.DocumentURI { return p.TextDocument.URI }, formatRange),
		protocol.MethodSemanticTokensFull:            onDoc(func(p *protocol.SemanticTokensParams) protocol.DocumentURI { return p.TextDocument.URI }, semanticTokensFull),
		protocol.MethodSemanticTokensRange:           onDoc(func(p *protocol.SemanticTokensRangeParams) protocol.DocumentURI { return p.TextDocument.URI }, semanticTokensRange),
		protocol.MethodTextDocumentFoldingRange:      onDoc(func(p *protocol.FoldingRangeParams) protocol.DocumentURI { return p.TextDocument.URI }, foldingRanges),
		methodSelectionRange:                         onDoc(func(p *protocol.SelectionRangeParams) protocol.DocumentURI { return p.TextDocument.URI }, selectionRanges),
		protocol.MethodTextDocumentCodeAction:        onDoc(func(p *protocol.CodeActionParams) protocol.DocumentURI { return p.TextDocument.URI }, codeActions),
		methodInlayHint:                              onDoc(func(p *inlayHintParams) protocol.DocumentURI { return p.TextDocument.URI }, inlayHints),
		protocol.MethodTextDocumentCodeLens:          onDoc(func(p *protocol.CodeLensParams) protocol.DocumentURI { return p.TextDocument.URI }, codeLenses),
		protocol.MethodWorkspaceExecuteCommand:       executeCommand,
	}
	notificationHandlers = map[string]notificationFunc{
		protocol.MethodInitialized:                        (*Server).initialized,
		protocol.MethodTextDocumentDidOpen:                (*Server).didOpen,
		protocol.MethodTextDocumentDidChange:              (*Server).didChange,
		protocol.MethodTextDocumentDidClose:               (*Server).didClose,
		protocol.MethodTextDocumentDidSave:                (*Server).didSave,
		protocol.MethodWorkspaceDidChangeWatchedFiles:     (*Server).didChangeWatchedFiles,
		protocol.MethodWorkspaceDidChangeConfiguration:    (*Server).didChangeConfiguration,
		protocol.MethodWorkspaceDidChangeWorkspaceFolders: (*Server).didChangeWorkspaceFolders,
	}
}

// showMessage sends window/showMessage (best effort).
func (s *Server) showMessage(typ protocol.MessageType, msg string) {
	if s.conn == nil {
		return
	}
	_ = s.conn.Notify(context.Background(), protocol.MethodWindowShowMessage, &protocol.ShowMessageParams{Type: typ, Message: msg})
}

// position converter currently negotiated.
func (s *Server) converter() posConv {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conv
}

// waitTimeout waits for wg, at most d.
func waitTimeout(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
	}
}
