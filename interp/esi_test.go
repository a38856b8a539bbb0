package interp

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// pages answers backend requests by path; unknown paths get a 404.
func pages(m map[string]*BackendResponse) *mockOrigin {
	return &mockOrigin{reply: func(_ int, req *BackendRequest) (*BackendResponse, error) {
		path, _, _ := strings.Cut(req.URL, "?")
		r, ok := m[path]
		if !ok {
			return resp(404, "missing "+path), nil
		}
		c := *r
		c.Header = r.Header.Clone()
		return &c, nil
	}}
}

// esiVCL turns ESI on for every response and logs what each request sees.
const esiVCL = `
sub vcl_recv {
#FASTLY recv
  if (req.http.X-No-ESI) { set req.esi = false; }
  log "recv " req.url " level=" req.esi_level " top=" req.topurl " sub=" req.is_esi_subreq " host=" req.http.host;
}
sub vcl_fetch {
#FASTLY fetch
  esi;
}`

// TestESI: `esi;` in vcl_fetch makes the delivered body process
// <esi:include>, <esi:remove> and <!--esi ... -->; each include is a
// subrequest through the whole state machine, with req.topurl, req.esi_level
// and req.is_esi_subreq set, its own cache entry and TTL.
//
// Source: https://www.fastly.com/documentation/reference/vcl/statements/esi
// (supported directives include, comment and remove; "ESI requests are made
// to your Fastly service as new client requests, with a copy of the HTTP
// header information"; "In ESI child requests, the req.topurl variable is
// set to the value of req.url from the parent request"; an absolute src sets
// the Host header).
func TestESI(t *testing.T) {
	o := pages(map[string]*BackendResponse{
		"/page": resp(200, `<h1>Page</h1><esi:include src="/frag"/>`+
			`<esi:remove><p>no ESI here</p></esi:remove>`+
			`<!--esi <p>ESI on</p> --><esi:comment text="gone"/>`+
			`<esi:include src="http://other.example/frag"></esi:include>.`,
			"Cache-Control", "max-age=600", "Content-Length", "999"),
		"/frag": resp(200, "[frag]", "Cache-Control", "max-age=10"),
	})
	e := newEngine(t, esiVCL, engineOpts{origin: o})
	r := do(e, "GET", "/page", "X-Client", "c1")
	const want = "<h1>Page</h1>[frag] <p>ESI on</p> [frag]."
	if string(r.Response.Body) != want {
		t.Fatalf("body %q, want %q", r.Response.Body, want)
	}
	if hdr(r, "Content-Length") != "" {
		t.Errorf("Content-Length %q kept after splicing", hdr(r, "Content-Length"))
	}
	if len(r.ESI) != 2 {
		t.Fatalf("%d includes, want 2", len(r.ESI))
	}
	inc := r.ESI[0]
	if inc.Level != 1 || inc.Label() != "esi GET /frag" || inc.Result == nil {
		t.Fatalf("include %+v", inc)
	}
	sub := inc.Result
	if route(sub) != "recv hash miss fetch deliver log" || sub.State != "MISS" {
		t.Errorf("subrequest route %q state %s", route(sub), sub.State)
	}
	if len(sub.Logs) != 1 || sub.Logs[0] != "recv /frag level=1 top=/page sub=1 host=example.com" {
		t.Errorf("subrequest saw %q", sub.Logs)
	}
	if sub.Request.Header.Get("X-Client") != "c1" {
		t.Errorf("subrequest headers %v: want a copy of the client's", sub.Request.Header)
	}
	if l := r.ESI[1].Result.Logs; len(l) != 1 || !strings.HasSuffix(l[0], "host=other.example") {
		t.Errorf("absolute src: subrequest saw %q", l)
	}
	if len(r.Logs) != 1 || r.Logs[0] != "recv /page level=0 top=/page sub=0 host=example.com" {
		t.Errorf("page saw %q", r.Logs)
	}

	// Each fragment has its own cache entry and TTL: 30 s later the page is
	// a hit and still processed, the 10 s fragment is fetched again.
	e.Clock().Advance(30 * time.Second)
	calls := o.calls()
	r = do(e, "GET", "/page")
	if r.State != "HIT" || string(r.Response.Body) != want {
		t.Errorf("second delivery: state %s body %q", r.State, r.Response.Body)
	}
	if r.ESI[0].Result.State != "MISS" || o.calls() != calls+2 {
		t.Errorf("fragment state %s, %d new backend calls; want MISS and 2 (the two fragments)", r.ESI[0].Result.State, o.calls()-calls)
	}
	for _, q := range o.reqs[calls:] {
		if q.URL != "/frag" {
			t.Errorf("backend asked for %s: only the fragments have expired", q.URL)
		}
	}
	if r.ESI[1].Result.State != "MISS" {
		t.Errorf("other host's fragment: state %s (own cache key)", r.ESI[1].Result.State)
	}

	// req.esi = false: the body is delivered unprocessed.
	r = do(e, "GET", "/page", "X-No-ESI", "1")
	if !strings.Contains(string(r.Response.Body), `<esi:include src="/frag"/>`) || len(r.ESI) != 0 {
		t.Errorf("req.esi false: body %q", r.Response.Body)
	}
}

// TestESILimits: at most 5 levels of esi:include and 256 includes per
// page; an include past a limit is not made (the simulator passes the tag
// through unchanged).
//
// Source: https://www.fastly.com/documentation/reference/vcl/statements/esi
// ("Resource limits: The maximum depth of esi:include processing is 5; The
// maximum total esi:include processing fragments is 256").
func TestESILimits(t *testing.T) {
	t.Run("depth", func(t *testing.T) {
		m := map[string]*BackendResponse{}
		for i := range 8 {
			m[fmt.Sprintf("/n%d", i)] = resp(200, fmt.Sprintf(`(%d<esi:include src="/n%d"/>)`, i, i+1), "Cache-Control", "max-age=60")
		}
		e := newEngine(t, esiVCL, engineOpts{origin: pages(m)})
		r := do(e, "GET", "/n0")
		const want = `(0(1(2(3(4(5<esi:include src="/n6"/>))))))`
		if string(r.Response.Body) != want {
			t.Errorf("body %q, want %q", r.Response.Body, want)
		}
		// The deepest subrequest records the include it did not make.
		inc := r.ESI[0]
		for inc.Result != nil && len(inc.Result.ESI) > 0 {
			inc = inc.Result.ESI[0]
		}
		if inc.Level != 6 || inc.Skipped == "" {
			t.Errorf("deepest include: level %d skipped %q", inc.Level, inc.Skipped)
		}
	})
	t.Run("includes per page", func(t *testing.T) {
		page := strings.Repeat(`<esi:include src="/f"/>`, 300)
		o := pages(map[string]*BackendResponse{
			"/page": resp(200, page, "Cache-Control", "max-age=60"),
			"/f":    resp(200, "x", "Cache-Control", "max-age=60"),
		})
		e := newEngine(t, esiVCL, engineOpts{origin: o})
		r := do(e, "GET", "/page")
		body := string(r.Response.Body)
		if got := strings.Count(body, "x"); got != 256 {
			t.Errorf("%d fragments spliced, want 256", got)
		}
		if got := strings.Count(body, `<esi:include src="/f"/>`); got != 44 {
			t.Errorf("%d includes passed through, want 44", got)
		}
		if o.calls() != 2 {
			t.Errorf("%d backend calls: the fragment should be cached after the first include", o.calls())
		}
	})
}

// TestESIMarkup: markup Fastly's parser does not support, and tags that are
// not closed, are passed through; a compressed response is delivered
// unprocessed.
//
// Source: https://www.fastly.com/documentation/reference/vcl/statements/esi
// ("Fastly only supports the following ESI directives: include, comment,
// remove"; "Compressed responses will obfuscate the ESI tags and they will be
// delivered unprocessed").
func TestESIMarkup(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
		kv               []string
	}{
		{"unsupported directive", `a<esi:try><esi:attempt>b</esi:attempt></esi:try>`, `a<esi:try><esi:attempt>b</esi:attempt></esi:try>`, nil},
		{"include without src", `a<esi:include alt="/f"/>b`, `a<esi:include alt="/f"/>b`, nil},
		{"include not closed", `a<esi:include src="/f">b`, `a<esi:include src="/f">b`, nil},
		{"tag not ended", `a<esi:include src="/f"`, `a<esi:include src="/f"`, nil},
		{"remove not closed", `a<esi:remove>b`, `a<esi:remove>b`, nil},
		{"esi comment not closed", `a<!--esi b`, `a<!--esi b`, nil},
		{"html around", `<p class="x">1</p><esi:include src='/f'/><!-- plain -->`, `<p class="x">1</p>F<!-- plain -->`, nil},
		{"compressed", `a<esi:include src="/f"/>`, `a<esi:include src="/f"/>`, []string{"Content-Encoding", "gzip"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := pages(map[string]*BackendResponse{
				"/page": resp(200, tc.body, append([]string{"Cache-Control", "max-age=60"}, tc.kv...)...),
				"/f":    resp(200, "F"),
			})
			e := newEngine(t, esiVCL, engineOpts{origin: o})
			r := do(e, "GET", "/page")
			if string(r.Response.Body) != tc.want {
				t.Errorf("body %q, want %q", r.Response.Body, tc.want)
			}
		})
	}
}
