package lsp

import (
	"encoding/json"

	"go.lsp.dev/protocol"
)

// This file holds the small LSP 3.17 shapes that go.lsp.dev/protocol v0.12.0
// lacks or gets wrong for our purposes: position encodings, inlay hints, a
// content change whose range may be absent, resource operations in a
// workspace edit, and the few client capabilities the server reads.

// Position encodings (LSP 3.17 PositionEncodingKind).
const (
	encodingUTF16 = "utf-16"
	encodingUTF8  = "utf-8"
)

// Methods not listed by go.lsp.dev/protocol v0.12.0.
const (
	methodInlayHint       = "textDocument/inlayHint"
	methodSelectionRange  = "textDocument/selectionRange"
	methodInlayHintResolv = "inlayHint/resolve"
)

// JSON-RPC / LSP error codes used in replies.
const (
	codeRequestCancelled     = -32800
	codeServerNotInitialized = -32002
	codeParseError           = -32700
	codeInvalidRequest       = -32600
	codeInvalidParams        = -32602
	codeInternalError        = -32603
	codeMethodNotFound       = -32601
	codeRequestFailed        = -32803
)

// initializeParams is the part of InitializeParams the server reads. It is
// decoded separately from protocol.InitializeParams so that unknown or
// newer client capability shapes can never make initialize fail.
type initializeParams struct {
	ProcessID             *int32             `json:"processId"`
	RootPath              string             `json:"rootPath,omitempty"`
	RootURI               string             `json:"rootUri,omitempty"`
	WorkspaceFolders      []workspaceFolder  `json:"workspaceFolders,omitempty"`
	InitializationOptions json.RawMessage    `json:"initializationOptions,omitempty"`
	Capabilities          clientCapabilities `json:"capabilities"`
	ClientInfo            *struct {
		Name    string `json:"name"`
		Version string `json:"version,omitempty"`
	} `json:"clientInfo,omitempty"`
}

type workspaceFolder struct {
	URI  string `json:"uri"`
	Name string `json:"name"`
}

// clientCapabilities lists the client features the server adapts to.
type clientCapabilities struct {
	General *struct {
		PositionEncodings []string `json:"positionEncodings,omitempty"`
	} `json:"general,omitempty"`
	Window *struct {
		WorkDoneProgress bool `json:"workDoneProgress,omitempty"`
	} `json:"window,omitempty"`
	Workspace *struct {
		DidChangeWatchedFiles *struct {
			DynamicRegistration bool `json:"dynamicRegistration,omitempty"`
		} `json:"didChangeWatchedFiles,omitempty"`
		WorkspaceEdit *struct {
			DocumentChanges    bool     `json:"documentChanges,omitempty"`
			ResourceOperations []string `json:"resourceOperations,omitempty"`
		} `json:"workspaceEdit,omitempty"`
	} `json:"workspace,omitempty"`
	TextDocument *struct {
		Completion *struct {
			CompletionItem *struct {
				SnippetSupport bool `json:"snippetSupport,omitempty"`
			} `json:"completionItem,omitempty"`
			CompletionList *struct {
				ItemDefaults []string `json:"itemDefaults,omitempty"`
			} `json:"completionList,omitempty"`
		} `json:"completion,omitempty"`
		DocumentSymbol *struct {
			HierarchicalDocumentSymbolSupport bool `json:"hierarchicalDocumentSymbolSupport,omitempty"`
		} `json:"documentSymbol,omitempty"`
	} `json:"textDocument,omitempty"`
}

// initOptions are the initializationOptions the editor plugins send.
type initOptions struct {
	IncludePaths []string `json:"includePaths,omitempty"`
	LogLevel     string   `json:"logLevel,omitempty"`
}

// settingsParams is workspace/didChangeConfiguration's payload as the
// editor plugins send it: {"settings": {"vclide": {"includePaths": [...]}}}.
type settingsParams struct {
	Settings struct {
		Vclide *initOptions `json:"vclide,omitempty"`
	} `json:"settings"`
}

// serverCapabilities extends protocol.ServerCapabilities with the LSP 3.17
// fields it lacks.
type serverCapabilities struct {
	protocol.ServerCapabilities
	PositionEncoding  string `json:"positionEncoding,omitempty"`
	InlayHintProvider any    `json:"inlayHintProvider,omitempty"`
}

type initializeResult struct {
	Capabilities serverCapabilities   `json:"capabilities"`
	ServerInfo   *protocol.ServerInfo `json:"serverInfo,omitempty"`
}

// contentChange is one TextDocumentContentChangeEvent; Range is nil for a
// whole-document replacement (protocol v0.12.0 cannot tell the two apart).
type contentChange struct {
	Range *protocol.Range `json:"range,omitempty"`
	Text  string          `json:"text"`
}

type didChangeParams struct {
	TextDocument struct {
		URI     string `json:"uri"`
		Version int32  `json:"version"`
	} `json:"textDocument"`
	ContentChanges []contentChange `json:"contentChanges"`
}

// InlayHint is an LSP 3.17 inlay hint.
type InlayHint struct {
	Position     protocol.Position `json:"position"`
	Label        string            `json:"label"`
	Kind         int               `json:"kind,omitempty"` // 1 type, 2 parameter
	Tooltip      string            `json:"tooltip,omitempty"`
	PaddingLeft  bool              `json:"paddingLeft,omitempty"`
	PaddingRight bool              `json:"paddingRight,omitempty"`
}

// Inlay hint kinds.
const (
	inlayHintType      = 1
	inlayHintParameter = 2
)

type inlayHintParams struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	Range        protocol.Range                  `json:"range"`
}

// prepareRenameResult is the {range, placeholder} answer to prepareRename.
type prepareRenameResult struct {
	Range       protocol.Range `json:"range"`
	Placeholder string         `json:"placeholder"`
}

// resourceEdit is a documentChanges entry: a text document edit or a create
// file operation (protocol v0.12.0's WorkspaceEdit only models the first).
type resourceEdit struct {
	Kind         string                                            `json:"kind,omitempty"` // "create" for a CreateFile
	URI          protocol.DocumentURI                              `json:"uri,omitempty"`
	Options      *createFileOptions                                `json:"options,omitempty"`
	TextDocument *protocol.OptionalVersionedTextDocumentIdentifier `json:"textDocument,omitempty"`
	Edits        []protocol.TextEdit                               `json:"edits,omitempty"`
}

type createFileOptions struct {
	Overwrite      bool `json:"overwrite,omitempty"`
	IgnoreIfExists bool `json:"ignoreIfExists,omitempty"`
}

// workspaceEdit is a WorkspaceEdit that may carry resource operations.
type workspaceEdit struct {
	Changes         map[protocol.DocumentURI][]protocol.TextEdit `json:"changes,omitempty"`
	DocumentChanges []resourceEdit                               `json:"documentChanges,omitempty"`
}

// codeAction is a CodeAction whose edit may carry resource operations.
type codeAction struct {
	Title       string                  `json:"title"`
	Kind        protocol.CodeActionKind `json:"kind,omitempty"`
	Diagnostics []protocol.Diagnostic   `json:"diagnostics,omitempty"`
	IsPreferred bool                    `json:"isPreferred,omitempty"`
	Edit        *workspaceEdit          `json:"edit,omitempty"`
}

// signatureHelp mirrors protocol.SignatureHelp without omitempty on the
// active indexes (0 is meaningful).
type signatureHelp struct {
	Signatures      []signatureInformation `json:"signatures"`
	ActiveSignature uint32                 `json:"activeSignature"`
	ActiveParameter uint32                 `json:"activeParameter"`
}

type signatureInformation struct {
	Label           string                  `json:"label"`
	Documentation   *protocol.MarkupContent `json:"documentation,omitempty"`
	Parameters      []parameterInformation  `json:"parameters,omitempty"`
	ActiveParameter *uint32                 `json:"activeParameter,omitempty"`
}

// parameterInformation labels a parameter by its [start, end) offsets in
// the signature label (in UTF-16 code units, as LSP requires).
type parameterInformation struct {
	Label         [2]uint32 `json:"label"`
	Documentation string    `json:"documentation,omitempty"`
}

// publishDiagnosticsParams mirrors protocol.PublishDiagnosticsParams with a
// pointer version (absent for files that are not open).
type publishDiagnosticsParams struct {
	URI         protocol.DocumentURI  `json:"uri"`
	Version     *int32                `json:"version,omitempty"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
}

// diagnosticData is attached to each published diagnostic so that code
// actions can work from what the client sends back.
type diagnosticData struct {
	Suggestions []string          `json:"suggestions,omitempty"`
	Data        map[string]string `json:"data,omitempty"`
}

// snippets reports whether the client accepts snippet completions.
func (c clientCapabilities) snippets() bool {
	td := c.TextDocument
	return td != nil && td.Completion != nil && td.Completion.CompletionItem != nil && td.Completion.CompletionItem.SnippetSupport
}

// itemDefault reports whether the client takes a completion list default.
func (c clientCapabilities) itemDefault(name string) bool {
	td := c.TextDocument
	if td == nil || td.Completion == nil || td.Completion.CompletionList == nil {
		return false
	}
	for _, d := range td.Completion.CompletionList.ItemDefaults {
		if d == name {
			return true
		}
	}
	return false
}
