package lsp

import (
	"context"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis/catalog"
)

// signatureHelpAt answers textDocument/signatureHelp: every overload of the
// function whose parentheses hold the cursor, the first that takes the
// current argument active.
func signatureHelpAt(ctx context.Context, q *docQuery, p *protocol.TextDocumentPositionParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	pos := q.conv.offset(f.Source, p.Position)
	call := callAt(f, pos)
	if call == nil {
		return nil, nil
	}
	var sigs []signatureInformation
	active := -1
	if fn, ok := lookupFunction(call.name); ok {
		for i := range fn.Overloads {
			sig := &fn.Overloads[i]
			params := make([]labeledParam, len(sig.Params))
			for j, prm := range sig.Params {
				params[j] = labeledParam{text: paramLabel(prm), doc: ""}
			}
			info := buildSignature(fn.Name, params, sig.Return.String(), fn.Description)
			if _, ok := sig.ParamAt(call.arg); ok && active < 0 {
				active = i
			}
			sigs = append(sigs, info)
		}
	} else if sub, ok := snap.prog.Subs[call.name]; ok && sub.Decl != nil {
		params := make([]labeledParam, len(sub.Decl.Params))
		for j, prm := range sub.Decl.Params {
			params[j] = labeledParam{text: prm.VarType.String() + " " + prm.Name.Name}
		}
		ret := "VOID"
		if sub.ReturnT != catalog.TypeUnknown {
			ret = sub.ReturnT.String()
		}
		sigs = append(sigs, buildSignature(sub.Name, params, ret, "user subroutine"))
		active = 0
	}
	if len(sigs) == 0 {
		return nil, nil
	}
	if active < 0 {
		active = 0
	}
	arg := uint32(call.arg)
	// A variadic last parameter stays active for every further argument.
	if n := len(sigs[active].Parameters); n > 0 && int(arg) >= n {
		arg = uint32(n - 1)
	}
	return &signatureHelp{Signatures: sigs, ActiveSignature: uint32(active), ActiveParameter: arg}, nil
}

type labeledParam struct {
	text string
	doc  string
}

// paramLabel renders one parameter: "[INTEGER length]", "[STRING s...]".
func paramLabel(p catalog.Param) string {
	s := p.Type.String() + " " + p.Name
	if p.Variadic {
		s += "..."
	}
	if p.Optional || p.Variadic {
		s = "[" + s + "]" // a variadic parameter takes zero or more arguments
	}
	return s
}

// buildSignature assembles "name(p1, p2) → RET" and the parameter offsets.
func buildSignature(name string, params []labeledParam, ret, doc string) signatureInformation {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('(')
	info := signatureInformation{}
	for i, p := range params {
		if i > 0 {
			b.WriteString(", ")
		}
		start := utf16Len(b.String())
		b.WriteString(p.text)
		info.Parameters = append(info.Parameters, parameterInformation{Label: [2]uint32{start, start + utf16Len(p.text)}, Documentation: p.doc})
	}
	b.WriteString(") → ")
	b.WriteString(ret)
	info.Label = b.String()
	if doc != "" {
		info.Documentation = &protocol.MarkupContent{Kind: protocol.Markdown, Value: doc}
	}
	return info
}
