package lsp

import (
	"context"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// Semantic token types, in legend order.
const (
	semKeyword = iota
	semVariable
	semFunction
	semParameter
	semProperty
	semString
	semNumber
	semComment
	semMacro
	semOperator
	semType
	semEnumMember
	semLabel
	semRegexp
	semClass
)

var semanticTypeNames = []string{
	"keyword", "variable", "function", "parameter", "property", "string", "number",
	"comment", "macro", "operator", "type", "enumMember", "label", "regexp", "class",
}

// Semantic token modifiers, as bits in legend order.
const (
	modDeclaration = 1 << iota
	modReadonly
	modDefaultLibrary
	modDeprecated
)

var semanticModifierNames = []string{"declaration", "readonly", "defaultLibrary", "deprecated"}

// semanticTokensFull answers textDocument/semanticTokens/full.
func semanticTokensFull(ctx context.Context, q *docQuery, p *protocol.SemanticTokensParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	return &protocol.SemanticTokens{Data: encodeTokens(ctx, snap, f, q.conv, 0, f.Source.End())}, nil
}

// semanticTokensRange answers textDocument/semanticTokens/range.
func semanticTokensRange(ctx context.Context, q *docQuery, p *protocol.SemanticTokensRangeParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	lo := q.conv.offset(f.Source, p.Range.Start)
	hi := q.conv.offset(f.Source, p.Range.End)
	return &protocol.SemanticTokens{Data: encodeTokens(ctx, snap, f, q.conv, lo, hi)}, nil
}

// identRoles classifies the identifiers of a file by their start offset.
type identRole struct {
	typ, mods int
}

func identRoles(snap *snapshot, f *syntax.File) map[syntax.Pos]identRole {
	roles := map[syntax.Pos]identRole{}
	set := func(id *syntax.Ident, typ, mods int) {
		if id != nil && id.Name != "" {
			roles[id.Start] = identRole{typ, mods}
		}
	}
	syntax.Inspect(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.SubDecl:
			set(n.Name, semFunction, modDeclaration)
			set(n.ReturnType, semType, 0)
		case *syntax.Param:
			set(n.TypeName, semType, 0)
			set(n.Name, semParameter, modDeclaration)
			return false
		case *syntax.DeclareStmt:
			set(n.Name, semVariable, modDeclaration)
			set(n.TypeName, semType, 0)
			if n.Value != nil {
				syntax.Inspect(n.Value, func(m syntax.Node) bool { classifyUse(snap, m, set); return true })
			}
			return false
		case *syntax.BackendDecl:
			set(n.Name, semClass, modDeclaration)
		case *syntax.DirectorDecl:
			set(n.Name, semClass, modDeclaration)
			set(n.Kind, semEnumMember, 0)
		case *syntax.ACLDecl:
			set(n.Name, semClass, modDeclaration)
		case *syntax.TableDecl:
			set(n.Name, semClass, modDeclaration)
			set(n.ValueType, semType, 0)
		case *syntax.PenaltyboxDecl:
			set(n.Name, semClass, modDeclaration)
		case *syntax.RatecounterDecl:
			set(n.Name, semClass, modDeclaration)
		case *syntax.Property:
			set(n.Name, semProperty, 0)
		case *syntax.ReturnStmt:
			set(n.Action, semEnumMember, 0)
		case *syntax.LabelStmt:
			set(n.Label, semLabel, modDeclaration)
		case *syntax.GotoStmt:
			set(n.Label, semLabel, 0)
		default:
			classifyUse(snap, n, set)
		}
		return true
	})
	return roles
}

// classifyUse classifies a use of a name.
func classifyUse(snap *snapshot, n syntax.Node, set func(*syntax.Ident, int, int)) {
	switch n := n.(type) {
	case *syntax.CallExpr:
		called, _ := snap.prog.CallOf(n)
		if fn, ok := called.(*catalog.Function); ok {
			mods := modDefaultLibrary
			if fn.Deprecated {
				mods |= modDeprecated
			}
			set(n.Fn, semFunction, mods)
		} else {
			set(n.Fn, semFunction, 0)
		}
	case *syntax.CallStmt:
		set(n.Name, semFunction, 0)
	case *syntax.Ident:
		if sym := snap.symbolOf(n); sym != nil {
			switch sym.Kind {
			case analysis.SymSub:
				set(n, semFunction, 0)
			case analysis.SymLocal:
				set(n, semVariable, 0)
			case analysis.SymParam:
				set(n, semParameter, 0)
			case analysis.SymLabel:
				set(n, semLabel, 0)
			default:
				set(n, semClass, 0)
			}
			return
		}
		if v, ok := snap.prog.RefOf(n).(*catalog.Variable); ok {
			mods := modDefaultLibrary
			if v.Set == 0 {
				mods |= modReadonly
			}
			if v.Deprecated {
				mods |= modDeprecated
			}
			set(n, semVariable, mods)
		}
	}
}

// encodeTokens produces the relative-encoded token data for [lo, hi].
// It scans the text in byte offsets; the tree's positions (which may be
// virtual) are reached through a PosMapper as the scan moves forward.
func encodeTokens(ctx context.Context, snap *snapshot, f *syntax.File, conv posConv, lo, hi syntax.Pos) []uint32 {
	src := f.Source
	roles := identRoles(snap, f)
	regex := map[syntax.Pos]bool{}
	for lit := range snap.prog.RegexLits() {
		regex[lit.Start] = true
	}
	loOff, hiOff := syntax.Pos(src.Offset(lo)), syntax.Pos(src.Offset(hi))
	posOf := src.PosMapper()
	data := make([]uint32, 0, 1024)
	prevLine, prevCol := uint32(0), uint32(0)
	cur := newPosCursor(conv, src)
	// start and end are byte offsets.
	emit := func(start, end syntax.Pos, typ, mods int) {
		// Tokens may not span lines: split multi-line ones.
		for start < end {
			lineEnd := start
			for lineEnd < end && src.Text[lineEnd] != '\n' {
				lineEnd++
			}
			if lineEnd > start {
				p := cur.position(start)
				length := conv.width(src.Text[start:lineEnd])
				dl := p.Line - prevLine
				dc := p.Character
				if dl == 0 {
					dc -= prevCol
				}
				data = append(data, dl, dc, length, uint32(typ), uint32(mods))
				prevLine, prevCol = p.Line, p.Character
			}
			start = lineEnd + 1
		}
	}
	sc := syntax.NewScanner(src.Text, nil) // positions are offsets
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return data
		}
		t := sc.Next()
		if t.Kind == syntax.EOF || t.Start > hiOff {
			break
		}
		if t.End < loOff {
			continue
		}
		switch t.Kind {
		case syntax.COMMENT:
			emit(t.Start, t.End, semComment, 0)
		case syntax.MACRO:
			emit(t.Start, t.End, semMacro, 0)
		case syntax.STRING, syntax.LSTRING:
			if regex[posOf.PosOf(int(t.Start))] {
				emit(t.Start, t.End, semRegexp, 0)
			} else {
				emit(t.Start, t.End, semString, 0)
			}
		case syntax.INT, syntax.FLOAT, syntax.DURATION, syntax.IPADDR:
			emit(t.Start, t.End, semNumber, 0)
		case syntax.IDENT:
			if r, ok := roles[posOf.PosOf(int(t.Start))]; ok {
				emit(t.Start, t.End, r.typ, r.mods)
			} else if isKeyword(t.Text) {
				emit(t.Start, t.End, semKeyword, 0)
			}
		case syntax.ILLEGAL, syntax.LPAREN, syntax.RPAREN, syntax.LBRACE, syntax.RBRACE, syntax.SEMICOLON, syntax.COMMA, syntax.COLON, syntax.DOT:
		default:
			emit(t.Start, t.End, semOperator, 0)
		}
	}
	return data
}

// keywords of the language (statement and declaration words).
var keywords = map[string]bool{
	"sub": true, "acl": true, "backend": true, "director": true, "table": true, "penaltybox": true, "ratecounter": true,
	"import": true, "include": true, "pragma": true, "set": true, "unset": true, "add": true, "remove": true,
	"declare": true, "local": true, "if": true, "else": true, "elsif": true, "elseif": true, "return": true,
	"call": true, "error": true, "restart": true, "synthetic": true, "synthetic.base64": true, "esi": true,
	"log": true, "goto": true, "true": true, "false": true,
}

func isKeyword(s string) bool { return keywords[strings.ToLower(s)] && s == strings.ToLower(s) }

// posCursor converts increasing byte offsets to LSP positions by scanning
// only the text between one offset and the next. Converting each token from
// the start of its line made semantic tokens quadratic on a long line (a
// concatenation of 100k terms).
type posCursor struct {
	conv posConv
	src  *syntax.Source
	off  int
	pos  protocol.Position
}

func newPosCursor(conv posConv, src *syntax.Source) *posCursor {
	return &posCursor{conv: conv, src: src}
}

// position returns the position of byte offset p; offsets before the
// previous one fall back to a full conversion.
func (c *posCursor) position(off syntax.Pos) protocol.Position {
	p := min(max(int(off), 0), len(c.src.Text))
	if p < c.off {
		c.off, c.pos = p, c.conv.position(c.src, c.src.PosOf(p))
		return c.pos
	}
	text := c.src.Text[c.off:p]
	if nl := strings.LastIndexByte(text, '\n'); nl >= 0 {
		c.pos.Line += uint32(strings.Count(text, "\n"))
		c.pos.Character = 0
		text = text[nl+1:]
	}
	c.pos.Character += c.conv.width(text)
	c.off = p
	return c.pos
}
