package syntax

// Inspect traverses the tree rooted at n in source order, calling f for each
// node; when f returns false the node's children are skipped. Nil children
// are not visited.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || isNilNode(n) || !f(n) {
		return
	}
	switch n := n.(type) {
	case *File:
		for _, d := range n.Decls {
			Inspect(d, f)
		}
		if n.Snippet != nil {
			Inspect(n.Snippet, f)
		}
	case *SubDecl:
		Inspect(n.Name, f)
		for _, p := range n.Params {
			Inspect(p, f)
		}
		inspectIdent(n.ReturnType, f)
		Inspect(n.Body, f)
	case *DescribeDecl:
		Inspect(n.Name, f)
		for _, h := range n.Hooks {
			Inspect(h, f)
		}
		for _, s := range n.Subs {
			Inspect(s, f)
		}
	case *Param:
		Inspect(n.TypeName, f)
		Inspect(n.Name, f)
	case *ACLDecl:
		Inspect(n.Name, f)
		for _, e := range n.Entries {
			Inspect(e, f)
		}
	case *ACLEntry:
		if n.Addr != nil {
			Inspect(n.Addr, f)
		}
	case *BackendDecl:
		Inspect(n.Name, f)
		Inspect(n.Body, f)
	case *Object:
		for _, p := range n.Props {
			Inspect(p, f)
		}
	case *Property:
		Inspect(n.Name, f)
		if n.Value != nil {
			Inspect(n.Value, f)
		}
		if n.Object != nil {
			Inspect(n.Object, f)
		}
	case *DirectorDecl:
		Inspect(n.Name, f)
		Inspect(n.Kind, f)
		for _, p := range n.Props {
			Inspect(p, f)
		}
		for _, m := range n.Members {
			Inspect(m, f)
		}
	case *TableDecl:
		Inspect(n.Name, f)
		inspectIdent(n.ValueType, f)
		for _, e := range n.Entries {
			Inspect(e, f)
		}
	case *TableEntry:
		Inspect(n.Key, f)
		if n.Value != nil {
			Inspect(n.Value, f)
		}
	case *PenaltyboxDecl:
		Inspect(n.Name, f)
		Inspect(n.Body, f)
	case *RatecounterDecl:
		Inspect(n.Name, f)
		Inspect(n.Body, f)
	case *IncludeDecl:
		Inspect(n.Path, f)
	case *ImportDecl:
		Inspect(n.Name, f)
	case *Block:
		for _, s := range n.Stmts {
			Inspect(s, f)
		}
	case *SetStmt:
		Inspect(n.Target, f)
		Inspect(n.Value, f)
	case *UnsetStmt:
		Inspect(n.Target, f)
	case *DeclareStmt:
		Inspect(n.Name, f)
		Inspect(n.TypeName, f)
		if n.Value != nil {
			Inspect(n.Value, f)
		}
	case *IfStmt:
		Inspect(n.Cond, f)
		Inspect(n.Then, f)
		if n.Else != nil {
			Inspect(n.Else, f)
		}
	case *ReturnStmt:
		inspectIdent(n.Action, f)
		if n.Value != nil {
			Inspect(n.Value, f)
		}
	case *CallStmt:
		Inspect(n.Name, f)
		for _, a := range n.Args {
			Inspect(a, f)
		}
	case *ErrorStmt:
		if n.Code != nil {
			Inspect(n.Code, f)
		}
		if n.Response != nil {
			Inspect(n.Response, f)
		}
	case *SyntheticStmt:
		Inspect(n.Value, f)
	case *LogStmt:
		Inspect(n.Value, f)
	case *ExprStmt:
		Inspect(n.Call, f)
	case *GotoStmt:
		Inspect(n.Label, f)
	case *LabelStmt:
		Inspect(n.Label, f)
	case *IncludeStmt:
		Inspect(n.Path, f)
	case *BinaryExpr:
		inspectChain(n, f)
	case *UnaryExpr:
		Inspect(n.X, f)
	case *ConcatExpr:
		for _, p := range n.Parts {
			Inspect(p, f)
		}
	case *ParenExpr:
		Inspect(n.X, f)
	case *CallExpr:
		Inspect(n.Fn, f)
		for _, a := range n.Args {
			Inspect(a, f)
		}
	case *IfExpr:
		Inspect(n.Cond, f)
		Inspect(n.Then, f)
		Inspect(n.Else, f)
	}
}

// inspectChain visits the children of a binary expression without
// recursing down its left spine: the links of the chain first (outermost
// first, as recursion would), then the first operand, then each link's
// right operand from the innermost link out.
func inspectChain(n *BinaryExpr, f func(Node) bool) {
	spine := []*BinaryExpr{n}
	x := n.X
	for {
		b, ok := x.(*BinaryExpr)
		if !ok {
			break
		}
		if !f(b) {
			x = nil // b and its children are skipped
			break
		}
		spine = append(spine, b)
		x = b.X
	}
	if x != nil {
		Inspect(x, f)
	}
	for i := len(spine) - 1; i >= 0; i-- {
		Inspect(spine[i].Y, f)
	}
}

func inspectIdent(id *Ident, f func(Node) bool) {
	if id != nil {
		Inspect(id, f)
	}
}

// isNilNode guards against typed nil pointers stored in interfaces.
func isNilNode(n Node) bool {
	switch v := n.(type) {
	case *Ident:
		return v == nil
	case *Block:
		return v == nil
	case *StringLit:
		return v == nil
	case *Object:
		return v == nil
	case *CallExpr:
		return v == nil
	}
	return false
}

// PathTo returns the chain of nodes from the file down to the innermost node
// whose range contains pos (useful for hover, completion and selection
// ranges). The first element is the File.
func PathTo(f *File, pos Pos) []Node {
	var path []Node
	Inspect(f, func(n Node) bool {
		if _, isFile := n.(*File); isFile {
			path = append(path, n)
			return true
		}
		r := n.Span()
		if pos < r.Start || pos > r.End {
			return false
		}
		path = append(path, n)
		return true
	})
	return path
}
