package syntax

// Token is the kind of a lexical token.
type Token uint8

// Token kinds.
const (
	ILLEGAL Token = iota
	EOF
	COMMENT

	IDENT    // req.http.X-Foo:bar, vcl_recv, F_origin
	STRING   // "…"
	LSTRING  // {"…"} or {delim"…"delim}
	INT      // 123, 0x1F
	FLOAT    // 1.5
	DURATION // 10s, 1.5h
	IPADDR   // bare 192.0.2.1 (unquoted)
	MACRO    // #FASTLY recv

	// operators and punctuation
	ASSIGN      // =
	ADD_ASSIGN  // +=
	SUB_ASSIGN  // -=
	MUL_ASSIGN  // *=
	QUO_ASSIGN  // /=
	REM_ASSIGN  // %=
	OR_ASSIGN   // |=
	AND_ASSIGN  // &=
	XOR_ASSIGN  // ^=
	SHL_ASSIGN  // <<=
	SHR_ASSIGN  // >>=
	ROL_ASSIGN  // rol=
	ROR_ASSIGN  // ror=
	LAND_ASSIGN // &&=
	LOR_ASSIGN  // ||=
	EQL         // ==
	NEQ         // !=
	LSS         // <
	GTR         // >
	LEQ         // <=
	GEQ         // >=
	MATCH       // ~
	NOMATCH     // !~
	LAND        // &&
	LOR         // ||
	NOT         // !
	PLUS        // +
	MINUS       // -
	STAR        // *
	SLASH       // /
	PERCENT     // %
	LPAREN      // (
	RPAREN      // )
	LBRACE      // {
	RBRACE      // }
	SEMICOLON   // ;
	COMMA       // ,
	COLON       // :
	DOT         // . (property prefix .host)
)

var tokenNames = [...]string{
	ILLEGAL: "illegal character", EOF: "end of file", COMMENT: "comment",
	IDENT: "identifier", STRING: "string", LSTRING: "long string", INT: "integer",
	FLOAT: "float", DURATION: "duration", IPADDR: "IP address", MACRO: "#FASTLY macro",
	ASSIGN: "=", ADD_ASSIGN: "+=", SUB_ASSIGN: "-=", MUL_ASSIGN: "*=", QUO_ASSIGN: "/=",
	REM_ASSIGN: "%=", OR_ASSIGN: "|=", AND_ASSIGN: "&=", XOR_ASSIGN: "^=", SHL_ASSIGN: "<<=",
	SHR_ASSIGN: ">>=", ROL_ASSIGN: "rol=", ROR_ASSIGN: "ror=", LAND_ASSIGN: "&&=", LOR_ASSIGN: "||=",
	EQL: "==", NEQ: "!=", LSS: "<", GTR: ">", LEQ: "<=", GEQ: ">=", MATCH: "~", NOMATCH: "!~",
	LAND: "&&", LOR: "||", NOT: "!", PLUS: "+", MINUS: "-", STAR: "*", SLASH: "/", PERCENT: "%",
	LPAREN: "(", RPAREN: ")", LBRACE: "{", RBRACE: "}", SEMICOLON: ";", COMMA: ",", COLON: ":", DOT: ".",
}

// String returns the token's spelling or a description.
func (t Token) String() string {
	if int(t) < len(tokenNames) {
		return tokenNames[t]
	}
	return "token"
}

// IsAssign reports whether t is = or a compound assignment operator.
func (t Token) IsAssign() bool { return t >= ASSIGN && t <= LOR_ASSIGN }
