package catalog

import (
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/catalog/internal/schema"
	"github.com/vclide/vclide/analysis/types"
)

func TestCounts(t *testing.T) {
	vars := Variables()
	patterns := 0
	for _, v := range vars {
		if v.Pattern {
			patterns++
		}
	}
	if len(vars) < 391 {
		t.Errorf("variables = %d, want >= 391", len(vars))
	}
	if fns := Functions(); len(fns) < 196 {
		t.Errorf("functions = %d, want >= 196", len(fns))
	}
	if patterns < 19 {
		t.Errorf("pattern families = %d, want >= 19", patterns)
	}
	if h := CommonHeaders(); len(h) < 40 {
		t.Errorf("common headers = %d, want >= 40", len(h))
	}
	t.Logf("%d variables (%d pattern families), %d functions, %d common headers", len(vars), patterns, len(Functions()), len(CommonHeaders()))
}

func TestEveryEntryDocumented(t *testing.T) {
	for _, v := range Variables() {
		if strings.TrimSpace(v.Description) == "" {
			t.Errorf("variable %s has no description", v.Name)
		}
		if v.Type == TypeUnknown {
			t.Errorf("variable %s has no type", v.Name)
		}
		if v.Available() == 0 {
			t.Errorf("variable %s is usable nowhere", v.Name)
		}
		if v.Category == "" {
			t.Errorf("variable %s has no category", v.Name)
		}
		if v.Link != "" && !strings.HasPrefix(v.Link, "https://www.fastly.com/documentation/reference/vcl/") {
			t.Errorf("variable %s: unexpected link %s", v.Name, v.Link)
		}
	}
	for _, f := range Functions() {
		if strings.TrimSpace(f.Description) == "" {
			t.Errorf("function %s has no description", f.Name)
		}
		if f.Subs == 0 {
			t.Errorf("function %s is callable nowhere", f.Name)
		}
		if f.Link != "" && !strings.HasPrefix(f.Link, "https://www.fastly.com/documentation/reference/vcl/functions/") {
			t.Errorf("function %s: unexpected link %q", f.Name, f.Link)
		}
		if len(f.Overloads) == 0 {
			t.Errorf("function %s has no signature", f.Name)
		}
	}
	for s := Sub(0); s < NumSubs; s++ {
		info := SubInfoOf(s)
		if info == nil || info.Sub != s || info.Description == "" || info.DefaultReturn == "" {
			t.Errorf("subroutine %s: incomplete info %+v", s, info)
			continue
		}
		if !ValidReturn(s, info.DefaultReturn) {
			t.Errorf("subroutine %s: default return %q not valid", s, info.DefaultReturn)
		}
	}
}

func TestSortedListings(t *testing.T) {
	vars := Variables()
	if !sort.SliceIsSorted(vars, func(i, j int) bool { return vars[i].Name < vars[j].Name }) {
		t.Error("Variables() not sorted")
	}
	fns := Functions()
	if !sort.SliceIsSorted(fns, func(i, j int) bool { return fns[i].Name < fns[j].Name }) {
		t.Error("Functions() not sorted")
	}
	got := VariablesWithPrefix("req.url")
	var names []string
	for _, v := range got {
		names = append(names, v.Name)
	}
	want := "req.url req.url.basename req.url.dirname req.url.ext req.url.path req.url.qs"
	if strings.Join(names, " ") != want {
		t.Errorf("VariablesWithPrefix(req.url) = %v", names)
	}
	if vs := VariablesWithPrefix("req.ht"); len(vs) != 1 || vs[0].Name != "req.http.*" {
		t.Errorf("VariablesWithPrefix(req.ht) = %v", vs)
	}
	if vs := VariablesWithPrefix("zzz"); len(vs) != 0 {
		t.Errorf("VariablesWithPrefix(zzz) = %v", vs)
	}
	if fs := FunctionsWithPrefix("std.str"); len(fs) < 5 {
		t.Errorf("FunctionsWithPrefix(std.str) = %d entries", len(fs))
	}
	// Callers get copies.
	vars[0] = nil
	if Variables()[0] == nil {
		t.Error("Variables() exposes internal slice")
	}
}

func TestVariableAccess(t *testing.T) {
	all := AllSubs
	tests := []struct {
		name              string
		typ               Type
		read, set, unset  SubSet
		pattern, deprecat bool
	}{
		// req.url: readable and settable everywhere (Fastly: "can be read
		// and set, but not unset", all subroutines).
		{name: "req.url", typ: TypeString, read: all, set: all},
		{name: "req.url.path", typ: TypeString, read: all},
		// beresp.ttl: only in vcl_fetch.
		{name: "beresp.ttl", typ: TypeRTime, read: SetOf(SubFetch), set: SetOf(SubFetch)},
		// obj.status is readable in hit and error, writable only in error.
		{name: "obj.status", typ: TypeInteger, read: SetOf(SubHit, SubError), set: SetOf(SubError)},
		{name: "obj.ttl", typ: TypeRTime, read: SetOf(SubHit, SubError, SubLog), set: SetOf(SubHit, SubError)},
		{name: "resp.status", typ: TypeInteger, read: SetOf(SubDeliver, SubLog), set: SetOf(SubDeliver, SubLog)},
		{name: "client.ip", typ: TypeIP, read: all},
		{name: "req.backend", typ: TypeBackend, read: all, set: all},
		{name: "req.hash", typ: TypeHash, set: SetOf(SubHash, SubError)},
		{name: "req.digest.ratio", typ: TypeFloat, read: all &^ SetOf(SubRecv, SubHash)},
		{name: "beresp.backend.ip", typ: TypeIP, read: SetOf(SubFetch)},
		{name: "fastly.error", typ: TypeString, read: all, unset: all},
		{name: "math.PI", typ: TypeFloat, read: all},
		{name: "req.http.*", typ: TypeString, read: all, set: all, unset: all, pattern: true},
		{name: "bereq.http.*", typ: TypeString, read: SetOf(SubMiss, SubPass, SubFetch), set: SetOf(SubMiss, SubPass, SubFetch), unset: SetOf(SubMiss, SubPass, SubFetch), pattern: true},
		{name: "beresp.http.*", typ: TypeString, read: SetOf(SubFetch), set: SetOf(SubFetch), unset: SetOf(SubFetch), pattern: true},
		{name: "obj.http.*", typ: TypeString, read: SetOf(SubHit, SubError), set: SetOf(SubHit, SubError), unset: SetOf(SubHit, SubError), pattern: true},
		{name: "resp.http.*", typ: TypeString, read: SetOf(SubDeliver, SubLog), set: SetOf(SubDeliver, SubLog), unset: SetOf(SubDeliver, SubLog), pattern: true},
		{name: "geoip.city", typ: TypeString, read: all, deprecat: true},
		{name: "req.grace", typ: TypeRTime, read: all, set: all, deprecat: true},
	}
	for _, tc := range tests {
		v, ok := LookupVariable(tc.name)
		if !ok {
			t.Errorf("%s: not found", tc.name)
			continue
		}
		if v.Name != tc.name || v.Type != tc.typ || v.Read != tc.read || v.Set != tc.set || v.Unset != tc.unset || v.Pattern != tc.pattern || v.Deprecated != tc.deprecat {
			t.Errorf("%s: got type %s read [%s] set [%s] unset [%s] pattern %v deprecated %v", tc.name, v.Type, v.Read, v.Set, v.Unset, v.Pattern, v.Deprecated)
		}
	}
	v, _ := LookupVariable("req.url")
	if !v.Readable(SubRecv) || !v.Settable(SubDeliver) || v.Unsettable(SubRecv) {
		t.Error("req.url helpers disagree with the table")
	}
	v, _ = LookupVariable("beresp.ttl")
	for s := Sub(0); s < NumSubs; s++ {
		if v.Settable(s) != (s == SubFetch) {
			t.Errorf("beresp.ttl settable in %s = %v", s.VCLName(), v.Settable(s))
		}
	}
}

func TestLookupPatterns(t *testing.T) {
	tests := []struct {
		name string
		want string // "" means not found
	}{
		{"req.http.X-Foo", "req.http.*"},
		{"req.http.x-foo", "req.http.*"},
		{"req.http.X-FOO", "req.http.*"},
		{"req.http.Cookie:session", "req.http.*"},
		{"req.http.Cache-Control:max-age", "req.http.*"},
		{"req.http.X-Long-Header-With-Many-Hyphens", "req.http.*"},
		{"req.http.host", "req.http.*"},
		{"bereq.http.Authorization", "bereq.http.*"},
		{"beresp.http.Set-Cookie", "beresp.http.*"},
		{"beresp.http.Surrogate-Control:max-age", "beresp.http.*"},
		{"obj.http.Content-Type", "obj.http.*"},
		{"resp.http.X-Served-By", "resp.http.*"},
		{"backend.F_origin_0.healthy", "backend.*.healthy"},
		{"backend.F_origin_0.connections_open", "backend.*.connections_open"},
		{"director.my_director.healthy", "director.*.healthy"},
		{"ratecounter.rc_1.rate.10s", "ratecounter.*.rate.10s"},
		{"ratecounter.rc_1.bucket.60s", "ratecounter.*.bucket.60s"},
		{"re.group.0", "re.group.*"},
		{"re.group.9", "re.group.*"},
		// Exact names win over families.
		{"backend.socket.cwnd", "backend.socket.cwnd"},
		{"req.http", ""},
		{"req.http.", ""},
		{"req.http.Cookie:", ""},
		{"req.http.:x", ""},
		{"req.http.a b", ""},
		{"re.group.x", ""},
		{"re.group.", ""},
		{"backend..healthy", ""},
		{"backend.a.b.healthy", ""},
		{"ratecounter.rc.rate.5s", ""},
		{"REQ.URL", ""},
		{"req.nope", ""},
		{"", ""},
	}
	for _, tc := range tests {
		v, ok := LookupVariable(tc.name)
		switch {
		case tc.want == "" && ok:
			t.Errorf("LookupVariable(%q) = %s, want not found", tc.name, v.Name)
		case tc.want != "" && !ok:
			t.Errorf("LookupVariable(%q) not found, want %s", tc.name, tc.want)
		case ok && v.Name != tc.want:
			t.Errorf("LookupVariable(%q) = %s, want %s", tc.name, v.Name, tc.want)
		}
	}
	v, ok := LookupVariable("req.http.Cookie:session")
	if !ok || v.Type != TypeString {
		t.Fatalf("req.http.Cookie:session: %v %v", v, ok)
	}
	a, _ := LookupVariable("req.http.X-Foo")
	b, _ := LookupVariable("req.http.x-foo")
	if a != b {
		t.Error("header lookup depends on case")
	}
}

func TestFunctions(t *testing.T) {
	f, ok := LookupFunction("std.tolower")
	if !ok {
		t.Fatal("std.tolower missing")
	}
	if len(f.Overloads) != 1 {
		t.Fatalf("std.tolower overloads = %d", len(f.Overloads))
	}
	sig := f.Overloads[0]
	if sig.Return != TypeString || len(sig.Params) != 1 || sig.Params[0].Type != TypeString || sig.Params[0].Optional || sig.Params[0].Variadic {
		t.Errorf("std.tolower = %s", sig.String())
	}
	if f.Subs != AllSubs {
		t.Errorf("std.tolower subs = %s", f.Subs)
	}

	// regsub has a single shape; its pattern must be a regex literal.
	for _, name := range []string{"regsub", "regsuball"} {
		f, ok := LookupFunction(name)
		if !ok {
			t.Fatalf("%s missing", name)
		}
		if len(f.Overloads) != 1 {
			t.Errorf("%s overloads = %d, want 1", name, len(f.Overloads))
			continue
		}
		s := f.Overloads[0]
		if got := s.String(); got != "STRING (STRING input, REGEX pattern, STRING replacement)" {
			t.Errorf("%s = %s", name, got)
		}
		if !s.Accepts(3) || s.Accepts(2) || s.Accepts(4) {
			t.Errorf("%s arity wrong", name)
		}
	}

	f, _ = LookupFunction("table.lookup")
	s := f.Overloads[0]
	if got := s.String(); got != "STRING (TABLE id, STRING key, [STRING default])" {
		t.Errorf("table.lookup = %s", got)
	}
	if !s.Params[2].Optional || s.MinArgs() != 2 || s.MaxArgs() != 3 || !s.Accepts(2) || !s.Accepts(3) || s.Accepts(1) || s.Accepts(4) {
		t.Errorf("table.lookup optional default not honoured: min %d max %d", s.MinArgs(), s.MaxArgs())
	}

	tests := []struct{ name, sig string }{
		{"substr", "STRING (STRING s, INTEGER offset, [INTEGER length])"},
		{"std.collect", "VOID (ID header, [STRING separator_character])"},
		{"header.filter", "VOID (ID where, [STRING headers...])"},
		{"early_hints", "VOID (STRING resource, [STRING more_resources...])"},
		{"h2.disable_header_compression", "VOID (STRING header, [STRING more_headers...])"},
		{"time.add", "TIME (TIME t, RTIME offset)"},
		{"ratelimit.check_rate", "BOOL (STRING entry, ID rc, INTEGER delta, INTEGER window, INTEGER limit, ID pb, RTIME ttl)"},
		{"table.lookup_backend", "BACKEND (TABLE id, STRING key, BACKEND default)"},
		{"querystring.sort", "STRING (STRING url, [BOOL only_unique_keys])"},
		{"uuid.version4", "STRING ()"},
		{"h3.alt_svc", "VOID ()"},
	}
	for _, tc := range tests {
		f, ok := LookupFunction(tc.name)
		if !ok {
			t.Errorf("%s missing", tc.name)
			continue
		}
		if got := f.Overloads[0].String(); got != tc.sig {
			t.Errorf("%s = %s, want %s", tc.name, got, tc.sig)
		}
	}

	f, _ = LookupFunction("header.filter")
	s = f.Overloads[0]
	// Fastly: "a list of zero or more names of headers".
	if s.MaxArgs() != -1 || s.MinArgs() != 1 || !s.Accepts(1) || !s.Accepts(2) || !s.Accepts(10) || s.Accepts(0) {
		t.Error("header.filter variadic arity wrong")
	}
	if p, ok := s.ParamAt(7); !ok || p.Type != TypeString || !p.Variadic {
		t.Errorf("header.filter ParamAt(7) = %+v %v", p, ok)
	}
	if _, ok := LookupFunction("substr"); !ok {
		t.Error("substr missing")
	}
	if p, ok := f.Overloads[0].ParamAt(-1); ok {
		t.Errorf("ParamAt(-1) = %+v", p)
	}

	f, _ = LookupFunction("h2.push")
	if f.AllowedIn(SubLog) || !f.AllowedIn(SubRecv) {
		t.Errorf("h2.push subs = %s", f.Subs)
	}
	f, _ = LookupFunction("resp.tarpit")
	if f.Subs != SetOf(SubDeliver) {
		t.Errorf("resp.tarpit subs = %s", f.Subs)
	}
	if _, ok := LookupFunction("no.such"); ok {
		t.Error("no.such found")
	}
	f, _ = LookupFunction("boltsort.sort")
	if !f.Deprecated {
		t.Error("boltsort.sort should be deprecated")
	}
}

func TestSubroutines(t *testing.T) {
	nodes := map[Sub]string{
		SubRecv: "delivery", SubHash: "delivery", SubHit: "fetch", SubMiss: "fetch", SubPass: "fetch",
		SubFetch: "fetch", SubError: "delivery or fetch", SubDeliver: "delivery", SubLog: "delivery",
	}
	defaults := map[Sub]string{
		SubRecv: "lookup", SubHash: "hash", SubHit: "deliver", SubMiss: "fetch", SubPass: "pass",
		SubFetch: "deliver", SubError: "deliver", SubDeliver: "deliver", SubLog: "deliver",
	}
	for s := Sub(0); s < NumSubs; s++ {
		info := SubInfoOf(s)
		if info.Node != nodes[s] || info.DefaultReturn != defaults[s] {
			t.Errorf("%s: node %q default %q", s.VCLName(), info.Node, info.DefaultReturn)
		}
		if !strings.HasSuffix(info.Link, "/subroutines/"+s.String()+"/") {
			t.Errorf("%s: link %s", s.VCLName(), info.Link)
		}
	}
	if SubInfoOf(NumSubs) != nil {
		t.Error("SubInfoOf(NumSubs) != nil")
	}
	tests := []struct {
		sub    Sub
		action string
		want   bool
	}{
		{SubRecv, "lookup", true}, {SubRecv, "pass", true}, {SubRecv, "error", true},
		{SubRecv, "restart", true}, {SubRecv, "upgrade", true}, {SubRecv, "pipe", true},
		{SubRecv, "deliver", false}, {SubRecv, "fetch", false}, {SubRecv, "LOOKUP", true},
		{SubHash, "hash", true}, {SubHash, "lookup", false},
		{SubHit, "deliver", true}, {SubHit, "pass", true}, {SubHit, "restart", true}, {SubHit, "fetch", false},
		{SubMiss, "fetch", true}, {SubMiss, "deliver_stale", true}, {SubMiss, "pass", true}, {SubMiss, "restart", false},
		{SubPass, "pass", true}, {SubPass, "error", true}, {SubPass, "restart", false},
		{SubFetch, "deliver", true}, {SubFetch, "deliver_stale", true}, {SubFetch, "pass", true},
		{SubFetch, "restart", true}, {SubFetch, "hit_for_pass", true}, {SubFetch, "lookup", false},
		{SubError, "deliver", true}, {SubError, "restart", true}, {SubError, "deliver_stale", true}, {SubError, "pass", false},
		{SubDeliver, "deliver", true}, {SubDeliver, "restart", true}, {SubDeliver, "pass", false},
		{SubLog, "deliver", true}, {SubLog, "restart", false},
		{NumSubs, "deliver", false},
	}
	for _, tc := range tests {
		if got := ValidReturn(tc.sub, tc.action); got != tc.want {
			t.Errorf("ValidReturn(%s, %q) = %v, want %v", tc.sub, tc.action, got, tc.want)
		}
	}
}

func TestCommonHeaders(t *testing.T) {
	h := CommonHeaders()
	if !sort.StringsAreSorted(h) {
		t.Error("CommonHeaders not sorted")
	}
	want := map[string]bool{"Cookie": false, "Surrogate-Key": false, "Fastly-Debug": false, "Host": false}
	for _, n := range h {
		if _, ok := want[n]; ok {
			want[n] = true
		}
	}
	for n, seen := range want {
		if !seen {
			t.Errorf("CommonHeaders lacks %s", n)
		}
	}
}

func TestNoAllocations(t *testing.T) {
	names := []string{"req.url", "req.http.X-Forwarded-For", "req.http.Cookie:session", "backend.F_a.healthy", "re.group.1", "not.a.variable"}
	allocs := testing.AllocsPerRun(200, func() {
		for _, n := range names {
			LookupVariable(n)
		}
		LookupFunction("std.tolower")
		LookupFunction("no.such")
		ValidReturn(SubFetch, "deliver_stale")
		SubInfoOf(SubRecv)
	})
	if allocs != 0 {
		t.Errorf("lookups allocate %.1f times per run", allocs)
	}
}

// TestBuildErrors: build refuses tables that a hand edit could break and
// the generator never writes.
func TestBuildErrors(t *testing.T) {
	str := []Signature{{Return: TypeString}}
	var goodSubs [NumSubs]SubInfo
	for s := Sub(0); s < NumSubs; s++ {
		goodSubs[s] = SubInfo{Sub: s, Returns: []string{"x"}}
	}
	missingSub := goodSubs
	missingSub[SubLog] = SubInfo{}
	tests := []struct {
		name string
		vars []Variable
		fns  []Function
		subs [NumSubs]SubInfo
		want string
	}{
		{"good", []Variable{{Name: "a", Type: TypeString}, {Name: "b.*", Type: TypeString, Pattern: true}}, []Function{{Name: "f", Overloads: str}}, goodSubs, ""},
		{"unsorted variables", []Variable{{Name: "b", Type: TypeString}, {Name: "a", Type: TypeString}}, nil, goodSubs, "variable a: not sorted"},
		{"duplicate variable", []Variable{{Name: "a", Type: TypeString}, {Name: "a", Type: TypeString}}, nil, goodSubs, "variable a: not sorted"},
		{"untyped variable", []Variable{{Name: "a"}}, nil, goodSubs, "variable a has no type"},
		{"two stars", []Variable{{Name: "a.*.*", Type: TypeString, Pattern: true}}, nil, goodSubs, "pattern a.*.* needs exactly one *"},
		{"no star", []Variable{{Name: "a.b", Type: TypeString, Pattern: true}}, nil, goodSubs, "pattern a.b needs exactly one *"},
		{"unsorted functions", nil, []Function{{Name: "g", Overloads: str}, {Name: "f", Overloads: str}}, goodSubs, "function f: not sorted"},
		{"no signature", nil, []Function{{Name: "f"}}, goodSubs, "function f has no signature"},
		{"subroutine missing", nil, nil, missingSub, "subroutine vcl_log is not described"},
	}
	for _, tc := range tests {
		subs := tc.subs
		_, err := build(tc.vars, tc.fns, &subs)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func BenchmarkLookupVariable(b *testing.B) {
	names := []string{"req.url", "beresp.ttl", "req.http.X-Forwarded-For", "resp.http.Cache-Control", "req.http.Cookie:session", "re.group.2", "var.local"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		LookupVariable(names[i%len(names)])
	}
}

func BenchmarkLookupFunction(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		LookupFunction("std.tolower")
	}
}

func TestWithArticle(t *testing.T) {
	for word, want := range map[string]string{
		"INTEGER": "an INTEGER", "RTIME": "an RTIME", "IP": "an IP", "ACL": "an ACL", "ID": "an ID",
		"acl": "an acl", "STRING": "a STRING", "TIME": "a TIME", "BOOL": "a BOOL", "FLOAT": "a FLOAT",
		"REGEX": "a REGEX", "backend": "a backend", "local variable": "a local variable", "": "",
	} {
		if got := WithArticle(word); got != want {
			t.Errorf("WithArticle(%q) = %q, want %q", word, got, want)
		}
	}
}

// TestDataMarkedGenerated: catalog_data.go carries Go's "Code generated …
// DO NOT EDIT." line (the generator writes it, so a hand edit shows) and
// .gitattributes marks it linguist-generated so reviews collapse it.
func TestDataMarkedGenerated(t *testing.T) {
	src, err := os.ReadFile("catalog_data.go")
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(src), "\n")
	if want := "// " + schema.GeneratedHeader; first != want {
		t.Errorf("first line = %q, want %q", first, want)
	}
	if !regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.$`).MatchString(first) {
		t.Errorf("first line %q is not Go's generated-file marker", first)
	}
	attrs, err := os.ReadFile("../../.gitattributes")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(attrs), "analysis/catalog/catalog_data.go linguist-generated=true") {
		t.Error(".gitattributes does not mark catalog_data.go linguist-generated")
	}
}

// BenchmarkBuild is the one-off cost of the first catalogue lookup in a
// process (indexing the generated tables): what a lint pays and what
// version and fmt must not.
func BenchmarkBuild(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := build(variableTable[:], functionTable[:], &subroutineTable); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLoadedOnceOnFirstLookup(t *testing.T) {
	LookupFunction("std.tolower")
	LookupVariable("req.url")
	if !Decoded() {
		t.Fatal("Decoded() is false after a lookup")
	}
	if n := loads.Load(); n != 1 {
		t.Errorf("the catalogue was loaded %d times, want 1", n)
	}
}

// TestDeclarableTypes: the list spelled out here is the one package types
// defines.
func TestDeclarableTypes(t *testing.T) {
	if !slices.Equal(DeclarableTypes, types.DeclarableTypes) {
		t.Errorf("DeclarableTypes = %v, types.DeclarableTypes = %v", DeclarableTypes, types.DeclarableTypes)
	}
}
