package syntax

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkRanges asserts the invariants every tree must hold: each node lies
// inside the file, Start <= End, and children lie inside their parents.
func checkRanges(t testing.TB, f *File) {
	t.Helper()
	n := Pos(len(f.Source.Text))
	var stack []Range
	var walk func(Node)
	walk = func(node Node) {
		r := node.Span()
		if r.Start < 0 || r.End > n || r.Start > r.End {
			t.Fatalf("%T range %v outside file of %d bytes", node, r, n)
		}
		if len(stack) > 0 {
			p := stack[len(stack)-1]
			if r.Start < p.Start || r.End > p.End {
				t.Fatalf("%T range %v outside parent %v in %q", node, r, p, f.Source.Text)
			}
		}
		stack = append(stack, r)
		first := true
		Inspect(node, func(c Node) bool {
			if first {
				first = false
				return true
			}
			walk(c)
			return false
		})
		stack = stack[:len(stack)-1]
	}
	walk(f)
	for _, e := range f.Errors {
		if e.Start < 0 || e.End > n || e.Start > e.End {
			t.Fatalf("error range %v outside file: %s", e.Range, e.Msg)
		}
	}
}

func TestParseConstructs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want func(t *testing.T, f *File)
	}{
		{"acl", `acl internal { "192.0.2.0"/24; !"192.0.2.12"; "2001:db8::"/32; "localhost"; }`, func(t *testing.T, f *File) {
			acl := f.Decls[0].(*ACLDecl)
			if len(acl.Entries) != 4 || !acl.Entries[1].Negated || acl.Entries[0].Mask != 24 || acl.Entries[3].Mask != -1 {
				t.Errorf("entries: %+v", acl.Entries)
			}
		}},
		{"backend with probe", `backend F_origin {
  .host = "example.com"; .port = "443"; .ssl = true; .connect_timeout = 1s;
  .first_byte_timeout = 15s; .max_connections = 200; .between_bytes_timeout = 10s;
  .probe = { .request = "HEAD / HTTP/1.1" "Host: example.com" "Connection: close"; .expected_response = 200; .interval = 60s; .window = 5; .threshold = 3; .initial = 4; .timeout = 5s; }
}`, func(t *testing.T, f *File) {
			b := f.Decls[0].(*BackendDecl)
			if len(b.Body.Props) != 8 || b.Body.Props[7].Object == nil || len(b.Body.Props[7].Object.Props) != 7 {
				t.Errorf("props: %d", len(b.Body.Props))
			}
		}},
		{"director old style", `director d random { .quorum = 50%; .retries = 3; { .backend = F_a; .weight = 1; } { .backend = F_b; .weight = 2; } }`, func(t *testing.T, f *File) {
			d := f.Decls[0].(*DirectorDecl)
			if d.Kind.Name != "random" || len(d.Props) != 2 || len(d.Members) != 2 || d.Props[0].Value.(*IntLit).Raw != "50%" {
				t.Errorf("director: %+v", d)
			}
		}},
		{"tables", "table redirects { \"/a\": \"/b\", \"/c\": \"/d\", }\ntable flags BOOL { \"x\": true }\ntable t RTIME { \"k\": 10s, }", func(t *testing.T, f *File) {
			if n := len(f.Decls[0].(*TableDecl).Entries); n != 2 {
				t.Errorf("entries %d", n)
			}
			if f.Decls[1].(*TableDecl).ValueType.Name != "BOOL" {
				t.Error("typed table")
			}
		}},
		{"penaltybox ratecounter include import pragma", "penaltybox pb {}\nratecounter rc {}\ninclude \"shared\";\nimport boltsort;\npragma optional_param geoip_opt_in true;", func(t *testing.T, f *File) {
			if len(f.Decls) != 5 || f.Decls[4].(*PragmaDecl).Text != "optional_param geoip_opt_in true" {
				t.Errorf("decls %d", len(f.Decls))
			}
		}},
		{"sub with return type and params", `sub f(STRING var.a, INTEGER var.n) BOOL { return true; } sub g STRING { return "x"; }`, func(t *testing.T, f *File) {
			s := f.Decls[0].(*SubDecl)
			if len(s.Params) != 2 || s.ReturnType.Name != "BOOL" {
				t.Errorf("sub: %+v", s)
			}
			if _, ok := s.Body.Stmts[0].(*ReturnStmt).Value.(*BoolLit); !ok {
				t.Error("typed return value")
			}
		}},
		{"statements", `sub vcl_recv {
#FASTLY recv
  set req.http.X = "a" req.url "b";
  add resp.http.Set-Cookie = "a=b";
  unset req.http.Cookie;
  remove req.http.Y;
  declare local var.X-Exp INTEGER;
  set var.X-Exp += 1;
  set var.X-Exp rol= 2;
  set var.X-Exp &&= true;
  call other;
  call withargs("a", 1);
  h3.alt_svc();
  std.collect(req.http.Cookie);
  esi;
  log "syslog " req.service_id " x";
  synthetic {"<html>"};
  synthetic.base64 "aGk=";
  goto done;
  done:
  restart;
  error 900 "Fastly " + req.url;
  error;
  return(lookup);
}`, func(t *testing.T, f *File) {
			s := f.Decls[0].(*SubDecl)
			if len(s.Body.Stmts) != 23 {
				t.Fatalf("stmts %d", len(s.Body.Stmts))
			}
			if m := s.Body.Stmts[0].(*MacroStmt); m.Name != "recv" {
				t.Error("macro")
			}
			if c := s.Body.Stmts[1].(*SetStmt).Value.(*ConcatExpr); len(c.Parts) != 3 {
				t.Error("concat")
			}
			if s.Body.Stmts[7].(*SetStmt).Op != ROL_ASSIGN || s.Body.Stmts[8].(*SetStmt).Op != LAND_ASSIGN {
				t.Error("compound ops")
			}
			if c := s.Body.Stmts[10].(*CallStmt); len(c.Args) != 2 {
				t.Error("call args")
			}
			if e := s.Body.Stmts[20].(*ErrorStmt); e.Code.(*IntLit).Value != 900 {
				t.Error("error code")
			}
			if r := s.Body.Stmts[22].(*ReturnStmt); r.Action.Name != "lookup" || !r.Parens {
				t.Error("return")
			}
		}},
		{"if chains", `sub vcl_recv { if (a) { } else if (b) { } elsif (c) { } elseif (d) { } else { } }`, func(t *testing.T, f *File) {
			i := f.Decls[0].(*SubDecl).Body.Stmts[0].(*IfStmt)
			kws := []string{i.Keyword}
			for e := i.Else; e != nil; {
				if ii, ok := e.(*IfStmt); ok {
					kws = append(kws, ii.Keyword)
					e = ii.Else
				} else {
					kws = append(kws, "else")
					break
				}
			}
			if strings.Join(kws, ",") != "if,else if,elsif,elseif,else" {
				t.Errorf("chain %v", kws)
			}
		}},
		{"expressions", `sub vcl_recv {
  if (!req.http.Cookie:session && (req.url ~ "^/a" || client.ip ~ internal) && req.restarts == 0 && req.http.X !~ {"x"y"}) {
    set req.http.T = if(req.is_ssl, "https", "http") "://" req.http.host;
    set req.http.L = {xyz"long "} string"xyz};
    set var.d = 1.5h; set var.f = 0x1F; set var.g = 1.5; set var.h = -10s; set var.i = 192.0.2.1;
  }
}`, func(t *testing.T, f *File) {
			s := f.Decls[0].(*SubDecl).Body.Stmts[0].(*IfStmt)
			cond := s.Cond.(*BinaryExpr)
			if cond.Op != LAND {
				t.Error("and")
			}
			set := s.Then.Stmts[0].(*SetStmt).Value.(*ConcatExpr)
			if _, ok := set.Parts[0].(*IfExpr); !ok {
				t.Error("ternary")
			}
			long := s.Then.Stmts[1].(*SetStmt).Value.(*StringLit)
			if long.Value != `long "} string` {
				t.Errorf("long string %q", long.Value)
			}
			if d := s.Then.Stmts[2].(*SetStmt).Value.(*DurationLit); d.Seconds != 5400 {
				t.Error("duration")
			}
			if i := s.Then.Stmts[3].(*SetStmt).Value.(*IntLit); i.Value != 31 {
				t.Error("hex")
			}
			if _, ok := s.Then.Stmts[6].(*SetStmt).Value.(*IPLit); !ok {
				t.Error("ip")
			}
		}},
		{"multi-line ternary in concatenation", "sub vcl_log {\n log \"a\" \" \"\n   if (client.geo.conn_type == \"mobile\", \"M\", \"-\")\n ;\n}", nil},
		{"string escapes", `sub vcl_recv { set req.http.X = "a%20b%u0041%zz"; }`, func(t *testing.T, f *File) {
			v := f.Decls[0].(*SubDecl).Body.Stmts[0].(*SetStmt).Value.(*StringLit).Value
			if v != "a bA%zz" {
				t.Errorf("decoded %q", v)
			}
		}},
		{"return forms", `sub vcl_fetch { return deliver; } sub vcl_hit { return (pass); } sub vcl_miss { return; }`, nil},
		{"comments kept", "# one\n// two\n/* three */ sub vcl_recv { }", func(t *testing.T, f *File) {
			if len(f.Comments) != 3 {
				t.Errorf("comments %d", len(f.Comments))
			}
		}},
		{"comment that mentions Fastly is not a macro", "sub vcl_recv {\n  # Fastly only deals with GMT\n  #FASTLY RECV\n}", func(t *testing.T, f *File) {
			if len(f.Decls[0].(*SubDecl).Body.Stmts) != 1 {
				t.Error("macro count")
			}
		}},
		{"snippet", "set req.http.X = \"1\";\nif (req.url ~ \"x\") { return(pass); }\n", func(t *testing.T, f *File) {
			if f.Snippet == nil || len(f.Snippet.Stmts) != 2 {
				t.Error("snippet")
			}
		}},
		{"generated markers", "pragma optional_param max_backends 20;\nC!\nW!\nsub vcl_recv { }", nil},
		{"declare with value", `sub f { declare local var.s STRING = "a" "b"; }`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse(tt.name+".vcl", tt.src)
			for _, e := range f.Errors {
				pos := f.Source.Position(e.Start)
				t.Errorf("%d:%d: %s", pos.Line, pos.Col, e.Msg)
			}
			checkRanges(t, f)
			if tt.want != nil && len(f.Errors) == 0 {
				tt.want(t, f)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		count int
		first string // substring of the first message
		line  int    // line of the first error
	}{
		{"three independent errors", "sub vcl_recv {\n  set req.http.A = ;\n  set req.http.B = \"ok\";\n  unset;\n  set req.http.C = \"x\"\n  set req.http.D = \"y\";\n}\n", 3, "expected an expression", 2},
		{"missing brace before next sub", "sub vcl_recv {\n  set req.http.A = \"1\";\n\nsub vcl_deliver {\n}\n", 1, "missing '}'", 2},
		{"unterminated string", "sub vcl_recv {\n  set req.http.A = \"abc;\n}\n", 2, "string not terminated", 2},
		{"bad duration", "sub vcl_recv { set beresp.ttl = 10q; }", 1, "duration units", 1},
		{"else without if", "sub vcl_recv {\n else { }\n}", 1, "without a matching if", 2},
		{"bad table entry", "table t {\n \"a\": \"b\",\n c: \"d\",\n \"e\": \"f\"\n}", 1, "quoted key", 3},
		{"unexpected top-level brace", "}\nsub vcl_recv {}", 1, "no block is open", 1},
		{"unclosed comment", "sub vcl_recv {} /* x", 1, "comment not terminated", 1},
		{"pragma at end of file", "x;pragma ", 2, "unexpected 'x'", 1},
		{"deep nesting", "sub vcl_recv { set req.http.X = " + strings.Repeat("(", 2000) + "1" + strings.Repeat(")", 2000) + "; }", 1, "nested too deeply", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse("e.vcl", tt.src)
			checkRanges(t, f)
			var msgs []string
			for _, e := range f.Errors {
				pos := f.Source.Position(e.Start)
				msgs = append(msgs, fmt.Sprintf("%d:%d: %s", pos.Line, pos.Col, e.Msg))
			}
			if len(f.Errors) != tt.count {
				t.Fatalf("got %d errors, want %d:\n%s", len(f.Errors), tt.count, strings.Join(msgs, "\n"))
			}
			if !strings.Contains(f.Errors[0].Msg, tt.first) {
				t.Errorf("first error %q does not mention %q", msgs[0], tt.first)
			}
			if got := f.Source.Position(f.Errors[0].Start).Line; got != tt.line {
				t.Errorf("first error on line %d, want %d (%s)", got, tt.line, msgs[0])
			}
		})
	}
}

// corpusDir is the shared corpus of real-world VCL; tests skip without it.
const corpusDir = "../../../shared/corpus"

func TestCorpusParses(t *testing.T) {
	manifest, err := os.ReadFile(filepath.Join(corpusDir, "MANIFEST.tsv"))
	if err != nil {
		t.Skip("shared corpus not present")
	}
	n := 0
	for _, line := range strings.Split(string(manifest), "\n")[1:] {
		cols := strings.Split(line, "\t")
		if len(cols) < 8 {
			continue
		}
		src, err := os.ReadFile(filepath.Join(corpusDir, "vcl", cols[7]))
		if err != nil {
			t.Fatal(err)
		}
		f := Parse(cols[7], string(src))
		checkRanges(t, f)
		if cols[5] == "fail" {
			if len(f.Errors) == 0 {
				t.Errorf("%s: falco rejects this file but we report no error", cols[7])
			}
			continue
		}
		n++
		for _, e := range f.Errors {
			pos := f.Source.Position(e.Start)
			t.Errorf("%s:%d:%d: %s", cols[7], pos.Line, pos.Col, e.Msg)
		}
	}
	if n < 130 {
		t.Errorf("only %d corpus files parsed", n)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("sub vcl_recv { set req.http.X = \"a\" req.url; if (a ~ \"b\") { return(pass); } }")
	f.Add("acl a { \"1.2.3.4\"/8; } backend b { .host = \"x\"; .probe = { .timeout = 1s; } }")
	f.Add("table t { \"a\": \"b\", } director d random { { .backend = b; .weight = 1; } }")
	f.Add("{\"long\"} {x\"delim\"x} /* c */ # c\n// c\n#FASTLY recv\n0x1F 1.5h 192.0.2.1 %")
	f.Add("sub f(STRING var.a) BOOL { declare local var.x STRING = if(a, \"b\", \"c\"); return true; }")
	f.Fuzz(func(t *testing.T, src string) {
		file := Parse("fuzz.vcl", src)
		checkRanges(t, file)
	})
}

func FuzzScan(f *testing.F) {
	f.Add("set req.http.X-Foo:bar rol= 0x10 \"%u0041\" {\"x\"} !~ <<= &&=")
	f.Fuzz(func(t *testing.T, src string) {
		sc := NewScanner(src, nil)
		prev := Pos(0)
		for i := 0; i <= len(src)+1; i++ {
			tok := sc.Next()
			if tok.Start < prev || tok.End < tok.Start || int(tok.End) > len(src) {
				t.Fatalf("token %v %v out of order or range", tok.Kind, tok.Range)
			}
			prev = tok.End
			if tok.Kind == EOF {
				return
			}
			if tok.End == tok.Start {
				t.Fatalf("empty token %v at %d", tok.Kind, tok.Start)
			}
		}
		t.Fatal("scanner did not reach EOF")
	})
}
