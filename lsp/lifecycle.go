package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/vclide/vclide/analysis/syntax"
)

// initialize answers the client's first request with the capabilities.
func (s *Server) initialize(raw json.RawMessage) (runner, error) {
	var p initializeParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	var folders []string
	for _, f := range p.WorkspaceFolders {
		folders = append(folders, uriToPath(f.URI))
	}
	if len(folders) == 0 && p.RootURI != "" {
		folders = append(folders, uriToPath(p.RootURI))
	}
	if len(folders) == 0 && p.RootPath != "" {
		folders = append(folders, filepath.Clean(p.RootPath))
	}
	var opts initOptions
	if len(p.InitializationOptions) > 0 {
		_ = json.Unmarshal(p.InitializationOptions, &opts)
	}
	encoding := encodingUTF16
	if p.Capabilities.General != nil {
		for _, e := range p.Capabilities.General.PositionEncodings {
			if e == encodingUTF8 {
				encoding = encodingUTF8
			}
		}
	}

	s.mu.Lock()
	s.state = stateRunning
	s.caps = p.Capabilities
	s.conv = posConv{utf8: encoding == encodingUTF8}
	s.mu.Unlock()
	s.sess.mu.Lock()
	s.sess.folders = folders
	s.sess.mu.Unlock()
	s.sess.configs.setFolders(folders)
	s.sess.configs.setClientIncludes(resolvePaths(opts.IncludePaths, folders))
	client := ""
	if p.ClientInfo != nil {
		client = p.ClientInfo.Name + " " + p.ClientInfo.Version
	}
	s.log.Info("initialize", zap.String("client", client), zap.Strings("folders", folders), zap.String("encoding", encoding))

	result := initializeResult{
		Capabilities: serverCapabilities{
			ServerCapabilities: protocol.ServerCapabilities{
				TextDocumentSync: map[string]any{
					"openClose": true,
					"change":    protocol.TextDocumentSyncKindIncremental,
					"save":      map[string]any{"includeText": false},
				},
				CompletionProvider: &protocol.CompletionOptions{
					ResolveProvider:   true,
					TriggerCharacters: []string{".", "(", " ", "~", "#", "="},
				},
				HoverProvider: true,
				SignatureHelpProvider: &protocol.SignatureHelpOptions{
					TriggerCharacters:   []string{"(", ","},
					RetriggerCharacters: []string{","},
				},
				DefinitionProvider:              true,
				DeclarationProvider:             true,
				ReferencesProvider:              true,
				DocumentHighlightProvider:       true,
				DocumentSymbolProvider:          true,
				WorkspaceSymbolProvider:         true,
				CodeActionProvider:              map[string]any{"codeActionKinds": []string{"quickfix"}},
				DocumentFormattingProvider:      true,
				DocumentRangeFormattingProvider: true,
				RenameProvider:                  map[string]any{"prepareProvider": true},
				FoldingRangeProvider:            true,
				SelectionRangeProvider:          true,
				CodeLensProvider:                &protocol.CodeLensOptions{},
				ExecuteCommandProvider:          &protocol.ExecuteCommandOptions{Commands: []string{CommandRunTest}},
				SemanticTokensProvider: map[string]any{
					"legend": map[string]any{"tokenTypes": semanticTypeNames, "tokenModifiers": semanticModifierNames},
					"full":   true,
					"range":  true,
				},
				Workspace: &protocol.ServerCapabilitiesWorkspace{
					WorkspaceFolders: &protocol.ServerCapabilitiesWorkspaceFolders{Supported: true, ChangeNotifications: true},
				},
			},
			PositionEncoding:  encoding,
			InlayHintProvider: true,
		},
		ServerInfo: &protocol.ServerInfo{Name: "vclide", Version: s.opts.Version},
	}
	return func(context.Context) (any, error) { return result, nil }, nil
}

// resolvePaths makes relative include paths absolute against the first
// workspace folder.
func resolvePaths(paths, folders []string) []string {
	var out []string
	for _, p := range paths {
		if p == "" {
			continue
		}
		if strings.HasPrefix(p, "~/") {
			continue // the editor plugins expand ~ themselves
		}
		if !filepath.IsAbs(p) && len(folders) > 0 {
			p = filepath.Join(folders[0], p)
		}
		out = append(out, filepath.Clean(p))
	}
	return out
}

// initialized starts the workspace index and asks for file watching.
func (s *Server) initialized(json.RawMessage) error {
	s.mu.Lock()
	caps := s.caps
	s.mu.Unlock()
	if caps.Workspace != nil && caps.Workspace.DidChangeWatchedFiles != nil && caps.Workspace.DidChangeWatchedFiles.DynamicRegistration {
		go s.registerWatchers()
	}
	if s.opts.NoWorkspaceIndex {
		s.indexOnce.Do(func() { close(s.indexDone) })
		return nil
	}
	go s.indexWorkspace()
	return nil
}

func (s *Server) registerWatchers() {
	params := map[string]any{
		"registrations": []map[string]any{{
			"id":     "vclide-watch",
			"method": protocol.MethodWorkspaceDidChangeWatchedFiles,
			"registerOptions": map[string]any{
				"watchers": []map[string]any{
					{"globPattern": "**/*.vcl"},
					{"globPattern": "**/" + configFileName},
				},
			},
		}},
	}
	if _, err := s.conn.Call(s.ctx, protocol.MethodClientRegisterCapability, params, nil); err != nil {
		s.log.Info("the client refused file watching", zap.Error(err))
	}
}

// didOpen records a buffer and schedules diagnostics.
func (s *Server) didOpen(raw json.RawMessage) error {
	var p protocol.DidOpenTextDocumentParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	path := uriToPath(string(p.TextDocument.URI))
	s.sess.open(&document{uri: p.TextDocument.URI, path: path, version: p.TextDocument.Version, text: p.TextDocument.Text})
	s.diag.reopened(path)
	s.afterEdit(path)
	return nil
}

// didChange applies incremental (or whole) changes to a buffer.
func (s *Server) didChange(raw json.RawMessage) error {
	var p didChangeParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	path := uriToPath(p.TextDocument.URI)
	old := s.sess.doc(path)
	if old == nil {
		return fmt.Errorf("didChange for %s, which is not open", p.TextDocument.URI)
	}
	text := old.text
	conv := s.converter()
	// The buffer's latest parse has the line index of its text: the first
	// change converts its positions with it instead of indexing the whole
	// text again.
	src := s.sess.parses.source(path, text)
	for _, ch := range p.ContentChanges {
		text = applyChange(text, src, ch, conv)
		src = nil
	}
	s.sess.update(&document{uri: old.uri, path: path, version: p.TextDocument.Version, text: text})
	s.afterEdit(path)
	return nil
}

// applyChange applies one content change to text. src is text's Source
// when the caller has one (nil: it is made here).
func applyChange(text string, src *syntax.Source, ch contentChange, conv posConv) string {
	if ch.Range == nil {
		return ch.Text
	}
	if src == nil || src.Text != text {
		src = syntax.NewSource("", text)
	}
	// Positions of a chunked Source are virtual: back to byte offsets.
	start := src.Offset(conv.offset(src, ch.Range.Start))
	end := src.Offset(conv.offset(src, ch.Range.End))
	if end < start {
		start, end = end, start
	}
	return text[:start] + ch.Text + text[end:]
}

// afterEdit reacts to a buffer change: a configuration buffer reloads the
// configuration; anything else starts checking at once and schedules
// publishing the diagnostics.
func (s *Server) afterEdit(path string) {
	if filepath.Base(path) == configFileName {
		s.configChanged()
		return
	}
	s.diag.warm(path)
	s.diag.schedule()
}

// didClose forgets a buffer and clears its diagnostics.
func (s *Server) didClose(raw json.RawMessage) error {
	var p protocol.DidCloseTextDocumentParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	path := uriToPath(string(p.TextDocument.URI))
	s.sess.close(path)
	s.diag.closed(path, p.TextDocument.URI)
	s.diag.schedule()
	return nil
}

// didSave reloads the configuration when it is the file saved.
func (s *Server) didSave(raw json.RawMessage) error {
	var p protocol.DidSaveTextDocumentParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	path := uriToPath(string(p.TextDocument.URI))
	if filepath.Base(path) == configFileName {
		s.configChanged()
	}
	return nil
}

// didChangeWatchedFiles follows files changed outside the editor.
func (s *Server) didChangeWatchedFiles(raw json.RawMessage) error {
	var p protocol.DidChangeWatchedFilesParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	config, listChanged := false, false
	var changed, reindex []string
	for _, ch := range p.Changes {
		if ch == nil {
			continue
		}
		path := uriToPath(string(ch.URI))
		if filepath.Base(path) == configFileName {
			config = true
			continue
		}
		if !strings.HasSuffix(path, ".vcl") {
			continue
		}
		changed = append(changed, path)
		if ch.Type != protocol.FileChangeTypeChanged {
			listChanged = true
		}
		if ch.Type == protocol.FileChangeTypeDeleted {
			s.sess.index.remove(path)
		} else if s.sess.doc(path) == nil {
			reindex = append(reindex, path)
		}
	}
	if config {
		s.configChanged()
	}
	if len(changed) == 0 {
		return nil
	}
	// A created or deleted file can change how includes resolve anywhere
	// and which files are siblings, and a changed one what its includers
	// see (the workspaces notice changed sibling files themselves).
	if listChanged {
		s.sess.configs.reset()
	}
	go func() {
		s.indexFiles(reindex)
		s.sess.invalidateAll()
		s.diag.schedule()
	}()
	return nil
}

// didChangeConfiguration takes the include paths from the settings.
func (s *Server) didChangeConfiguration(raw json.RawMessage) error {
	var p settingsParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	if p.Settings.Vclide == nil {
		return nil
	}
	s.sess.mu.Lock()
	folders := s.sess.folders
	s.sess.mu.Unlock()
	s.sess.configs.setClientIncludes(resolvePaths(p.Settings.Vclide.IncludePaths, folders))
	s.sess.invalidateAll()
	s.diag.schedule()
	return nil
}

// didChangeWorkspaceFolders follows added and removed folders.
func (s *Server) didChangeWorkspaceFolders(raw json.RawMessage) error {
	var p struct {
		Event struct {
			Added   []workspaceFolder `json:"added"`
			Removed []workspaceFolder `json:"removed"`
		} `json:"event"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	var added []string
	s.sess.mu.Lock()
	removed := map[string]bool{}
	for _, f := range p.Event.Removed {
		removed[uriToPath(f.URI)] = true
	}
	var folders []string
	for _, f := range s.sess.folders {
		if !removed[f] {
			folders = append(folders, f)
		}
	}
	for _, f := range p.Event.Added {
		folders = append(folders, uriToPath(f.URI))
		added = append(added, uriToPath(f.URI))
	}
	s.sess.folders = folders
	s.sess.mu.Unlock()
	s.sess.configs.setFolders(folders)
	s.sess.invalidateAll()
	if len(added) > 0 {
		go s.indexFiles(findVCLFiles(added))
	}
	return nil
}

// configChanged reloads every configuration and checks everything again.
func (s *Server) configChanged() {
	s.log.Info("configuration changed: checking again")
	s.sess.configs.reset()
	s.sess.invalidateAll()
	s.diag.schedule()
}
