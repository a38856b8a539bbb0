package syntax

import "github.com/vclide/vclide/analysis/types"

// Node is any syntax tree node. Every node knows its exact source range.
type Node interface {
	Span() Range
}

// Decl is a top-level declaration (sub, acl, backend, …).
type Decl interface {
	Node
	declNode()
}

// Stmt is a statement inside a subroutine body (or at the top of a snippet).
type Stmt interface {
	Node
	stmtNode()
}

// Expr is an expression. Trees are immutable once parsed: what the checker
// learns about an expression (its type, what a name refers to) lives in
// the checker's side tables (analysis.Program.TypeOf, RefOf, CallOf).
type Expr interface {
	Node
	exprNode()
}

// ---------------------------------------------------------------------------
// Files and comments

// File is one parsed VCL source file. It is always returned, even when the
// source has syntax errors: Errors lists them and the tree holds what could
// be recovered.
type File struct {
	Source   *Source
	Decls    []Decl
	Comments []*Comment
	// Snippet is non-nil when the file holds bare statements outside any
	// subroutine (a Fastly snippet). Its statements are in source order.
	Snippet *Block
	Errors  []*Error
	// Includes lists every include (IncludeDecl and IncludeStmt) in source
	// order, so loaders need not walk the tree.
	Includes []Node
	// HasLabels is true when the file contains at least one goto label.
	HasLabels bool
	// chunks is how a chunked parse tiled the text (nil for Parse); Reparse
	// reuses the chunks an edit does not touch.
	chunks []fileChunk
}

// Span covers the whole file.
func (f *File) Span() Range { return Range{0, f.Source.End()} }

// Comment is one comment (`#`, `//` or `/* */`), text included verbatim.
type Comment struct {
	Range
	Text string
}

// ---------------------------------------------------------------------------
// Identifiers and literals (expressions)

// exprBase marks expression nodes; it holds nothing.
type exprBase struct{}

func (e *exprBase) exprNode() {}

// Ident is a name: a subroutine, backend, ACL, table, local (`var.x`), label,
// or a predefined variable (`req.http.X-Foo:bar`). Name is the full source
// spelling including dots, hyphens and the subfield.
type Ident struct {
	exprBase
	Range
	Name string
}

// StringLit is a string literal: "…" (with %XX/%uXXXX escapes decoded),
// {"…"} or {delim"…"delim} (verbatim).
type StringLit struct {
	exprBase
	Range
	Value string
	Long  bool // a {"…"} long string
}

// IntLit is an integer literal (decimal or 0x hex).
type IntLit struct {
	exprBase
	Range
	Value int64
	Raw   string
}

// FloatLit is a floating point literal.
type FloatLit struct {
	exprBase
	Range
	Value float64
	Raw   string
}

// DurationLit is an RTIME literal such as 10s, 1.5h or 1y.
type DurationLit struct {
	exprBase
	Range
	Seconds float64
	Raw     string
}

// BoolLit is true or false.
type BoolLit struct {
	exprBase
	Range
	Value bool
}

// IPLit is a bare IP literal (rare; IPs are usually quoted strings).
type IPLit struct {
	exprBase
	Range
	Raw string
}

// ---------------------------------------------------------------------------
// Compound expressions

// BinaryExpr is X Op Y for comparisons (==, !=, <, >, <=, >=), regex and ACL
// matches (~, !~), logical operators (&&, ||) and explicit concatenation (+)
// or arithmetic (-, *, /, %).
//
// A chain of left-associative operators (a + b + c) nests to the left, so a
// long chain is a deep tree: walk it with Chain, not by recursing on X.
type BinaryExpr struct {
	exprBase
	X     Expr
	Op    Token
	OpPos Pos
	Y     Expr
	// Start is where X begins, kept so that Span needs no descent.
	Start Pos
}

// Span covers both operands.
func (e *BinaryExpr) Span() Range { return Range{e.Start, e.Y.Span().End} }

// Chain returns the left-nested operator chain rooted at e, innermost link
// first: chain[0].X is the first operand of the chain and chain[i].X is
// chain[i-1]; the last element is e. Every operand after the first is the Y
// of a link. Walkers iterate over it instead of recursing down X, so a
// chain of a million operands needs no deep stack.
func Chain(e *BinaryExpr) []*BinaryExpr {
	n := 1
	for x, ok := e.X.(*BinaryExpr); ok; x, ok = x.X.(*BinaryExpr) {
		n++
	}
	chain := make([]*BinaryExpr, n)
	for i := n - 1; i >= 0; i-- {
		chain[i] = e
		e, _ = e.X.(*BinaryExpr)
	}
	return chain
}

// UnaryExpr is !X or -X or +X.
type UnaryExpr struct {
	exprBase
	OpPos Pos
	Op    Token
	X     Expr
}

// Span covers the operator and operand.
func (e *UnaryExpr) Span() Range { return Range{e.OpPos, e.X.Span().End} }

// ConcatExpr is string concatenation by juxtaposition: "a" req.url "b".
type ConcatExpr struct {
	exprBase
	Parts []Expr
}

// Span covers all parts.
func (e *ConcatExpr) Span() Range {
	return Range{e.Parts[0].Span().Start, e.Parts[len(e.Parts)-1].Span().End}
}

// ParenExpr is ( X ).
type ParenExpr struct {
	exprBase
	Range
	X Expr
}

// CallExpr is a function call fn(args…). Bare calls as statements use CallStmt.
type CallExpr struct {
	exprBase
	Fn     *Ident
	Lparen Pos
	Args   []Expr
	Rparen Pos // position after ')' (End of the call)
}

// Span covers the name through the closing parenthesis.
func (e *CallExpr) Span() Range { return Range{e.Fn.Start, e.Rparen} }

// IfExpr is the ternary if(cond, then, else).
type IfExpr struct {
	exprBase
	Range
	Cond, Then, Else Expr
}

// BadExpr stands for an expression that could not be parsed.
type BadExpr struct {
	exprBase
	Range
}

// ---------------------------------------------------------------------------
// Statements

// Block is { stmts }.
type Block struct {
	Range
	Stmts []Stmt
}

func (*Block) stmtNode() {}

// SetStmt is set|add TARGET OP VALUE; (Op is ASSIGN or a compound operator).
type SetStmt struct {
	Range
	Add    bool // `add` instead of `set`
	Target *Ident
	Op     Token
	OpPos  Pos
	Value  Expr
}

// UnsetStmt is unset|remove TARGET;.
type UnsetStmt struct {
	Range
	Remove bool // `remove` instead of `unset`
	Target *Ident
}

// DeclareStmt is declare local var.NAME TYPE [= VALUE];.
type DeclareStmt struct {
	Range
	Name     *Ident
	TypeName *Ident
	VarType  types.Type
	Value    Expr // optional initial value
}

// IfStmt is if (Cond) Then [else-chain]. Else is nil, a *Block, or another
// *IfStmt (for else if / elsif / elseif). Keyword is the spelling that
// introduced this link of the chain ("if", "elsif", "elseif", "else if").
type IfStmt struct {
	Range
	Keyword string
	Cond    Expr
	Then    *Block
	Else    Stmt
}

// ReturnStmt is return; return(action); return action; or return(expr) in a
// subroutine with a return type. Exactly one of Action and Value is set, or
// neither for a bare return.
type ReturnStmt struct {
	Range
	Action *Ident
	Value  Expr
	Parens bool
}

// CallStmt is call NAME; or call NAME(args…);.
type CallStmt struct {
	Range
	Name *Ident
	Args []Expr
	// Parens is true when the call was written with an argument list.
	Parens bool
}

// ErrorStmt is error [CODE [RESPONSE]];.
type ErrorStmt struct {
	Range
	Code     Expr
	Response Expr
}

// RestartStmt is restart;.
type RestartStmt struct{ Range }

// SyntheticStmt is synthetic EXPR; or synthetic.base64 EXPR;.
type SyntheticStmt struct {
	Range
	Base64 bool
	Value  Expr
}

// EsiStmt is esi;.
type EsiStmt struct{ Range }

// LogStmt is log EXPR;.
type LogStmt struct {
	Range
	Value Expr
}

// ExprStmt is a bare function call used as a statement: h3.alt_svc();.
type ExprStmt struct {
	Range
	Call *CallExpr
}

// GotoStmt is goto LABEL;.
type GotoStmt struct {
	Range
	Label *Ident
}

// LabelStmt is LABEL: (a goto target).
type LabelStmt struct {
	Range
	Label *Ident
}

// IncludeStmt is include "name"; used inside a subroutine body.
type IncludeStmt struct {
	Range
	Path *StringLit
}

// MacroStmt is a `#FASTLY recv` comment, which Fastly expands to generated code.
type MacroStmt struct {
	Range
	Name    string // the lower-case macro argument, e.g. "recv"
	NamePos Range
}

// BadStmt stands for a statement that could not be parsed.
type BadStmt struct{ Range }

func (*SetStmt) stmtNode()       {}
func (*UnsetStmt) stmtNode()     {}
func (*DeclareStmt) stmtNode()   {}
func (*IfStmt) stmtNode()        {}
func (*ReturnStmt) stmtNode()    {}
func (*CallStmt) stmtNode()      {}
func (*ErrorStmt) stmtNode()     {}
func (*RestartStmt) stmtNode()   {}
func (*SyntheticStmt) stmtNode() {}
func (*EsiStmt) stmtNode()       {}
func (*LogStmt) stmtNode()       {}
func (*ExprStmt) stmtNode()      {}
func (*GotoStmt) stmtNode()      {}
func (*LabelStmt) stmtNode()     {}
func (*IncludeStmt) stmtNode()   {}
func (*MacroStmt) stmtNode()     {}
func (*BadStmt) stmtNode()       {}

// ---------------------------------------------------------------------------
// Declarations

// SubDecl is sub NAME[(PARAMS)] [TYPE] { … }.
type SubDecl struct {
	Range
	Name       *Ident
	Params     []*Param // parameters of `sub f(STRING var.a) …`
	ReturnType *Ident   // nil for ordinary subroutines
	Body       *Block
}

// Param is one subroutine parameter: TYPE var.NAME.
type Param struct {
	Range
	TypeName *Ident
	Name     *Ident
	VarType  types.Type
}

// ACLDecl is acl NAME { entries }.
type ACLDecl struct {
	Range
	Name    *Ident
	Entries []*ACLEntry
}

// ACLEntry is [!] "addr"[/mask]; inside an acl.
type ACLEntry struct {
	Range
	Negated bool
	Addr    *StringLit
	Mask    int // -1 when absent
}

// Property is .name = value; inside a backend, director, probe or a
// penaltybox/ratecounter. Value is an Expr, or an *Object for nested blocks
// (.probe = { … }).
type Property struct {
	Range
	Name   *Ident // without the leading dot
	Value  Expr
	Object *Object
}

// Object is a { .prop = value; … } block.
type Object struct {
	Range
	Props []*Property
}

// BackendDecl is backend NAME { .prop = value; … }.
type BackendDecl struct {
	Range
	Name *Ident
	Body *Object
}

// DirectorDecl is director NAME TYPE { props; { member props } … }.
type DirectorDecl struct {
	Range
	Name    *Ident
	Kind    *Ident // random, client, hash, chash, fallback, shield, …
	Props   []*Property
	Members []*Object
}

// TableDecl is table NAME [TYPE] { "key": value, … }.
type TableDecl struct {
	Range
	Name      *Ident
	ValueType *Ident // nil for untyped (STRING) tables
	Entries   []*TableEntry
}

// TableEntry is "key": value.
type TableEntry struct {
	Range
	Key   *StringLit
	Value Expr
}

// PenaltyboxDecl is penaltybox NAME { }.
type PenaltyboxDecl struct {
	Range
	Name *Ident
	Body *Object
}

// RatecounterDecl is ratecounter NAME { }.
type RatecounterDecl struct {
	Range
	Name *Ident
	Body *Object
}

// IncludeDecl is include "name"; at the top level.
type IncludeDecl struct {
	Range
	Path *StringLit
}

// ImportDecl is import NAME;.
type ImportDecl struct {
	Range
	Name *Ident
}

// PragmaDecl is pragma WORDS…; kept as text.
type PragmaDecl struct {
	Range
	Text string
}

// BadDecl stands for a declaration that could not be parsed.
type BadDecl struct{ Range }

func (*SubDecl) declNode()         {}
func (*ACLDecl) declNode()         {}
func (*BackendDecl) declNode()     {}
func (*DirectorDecl) declNode()    {}
func (*TableDecl) declNode()       {}
func (*PenaltyboxDecl) declNode()  {}
func (*RatecounterDecl) declNode() {}
func (*IncludeDecl) declNode()     {}
func (*ImportDecl) declNode()      {}
func (*PragmaDecl) declNode()      {}
func (*BadDecl) declNode()         {}
