package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The -update flag rewrites golden files. Another test file of this package
// may register it first; only register it when nobody has.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// ex and td name files of examples/ and testdata/run/ from this directory.
func ex(name string) string { return filepath.Join("..", "..", "examples", name) }
func td(name string) string { return filepath.Join("..", "..", "testdata", "run", name) }

// runCLI runs the command and renders everything it did as one text: the
// command line, stdout, stderr and the exit code. Absolute paths of the
// repository are replaced by <root> so the text is the same everywhere.
func runCLI(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("$ vclide " + strings.Join(args, " ") + "\n")
	b.WriteString(stdout.String())
	if stderr.Len() > 0 {
		b.WriteString("--- stderr\n" + stderr.String())
	}
	b.WriteString("--- exit " + strconv.Itoa(code) + "\n")
	return strings.ReplaceAll(b.String(), root, "<root>"), code
}

func TestRunGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"default", []string{"run", ex("boilerplate.vcl")}, 0},
		{"requests", []string{"run", ex("boilerplate.vcl"), "-r", "GET /", "-r", "GET /?utm_source=mail&id=7", "-r", "POST /form", "-H", "Host: shop.example"}, 0},
		{"requests_json", []string{"run", ex("boilerplate.vcl"), "-r", "GET /", "-r", "/", "-r", "POST /form", "-H", "Host: shop.example", "--json"}, 0},
		{"no_clustering", []string{"run", "--no-clustering", "--seed", "3", "--nodes", "2", ex("boilerplate.vcl"), "-r", "/a", "-r", "/a"}, 0},
		{"breadcrumbs", []string{"run", "--scenario", ex("breadcrumbs.scenario.yaml")}, 0},
		{"breadcrumbs_json", []string{"run", "--scenario", ex("breadcrumbs.scenario.yaml"), "--json"}, 0},
		{"stale", []string{"run", "--scenario", ex("stale.scenario.yaml")}, 0},
		{"restart", []string{"run", "--scenario", td("restart.scenario.yaml")}, 0},
		{"concurrent", []string{"run", "--scenario", td("concurrent.scenario.yaml")}, 0},
		// stale-while-revalidate's background fetch, revalidation of expired
		// objects, keep_expired and Fastly-Debug (issue 13).
		{"revalidate", []string{"run", "--scenario", td("revalidate.scenario.yaml")}, 0},
		{"revalidate_json", []string{"run", "--scenario", td("revalidate.scenario.yaml"), "--json"}, 0},
		// Edge Side Includes: subrequests, nested includes (issue 13).
		{"esi", []string{"run", "--scenario", td("esi.scenario.yaml")}, 0},
		{"esi_json", []string{"run", "--scenario", td("esi.scenario.yaml"), "--json"}, 0},
		{"failing", []string{"run", "--scenario", td("fail.scenario.yaml")}, 1},
		{"failing_json", []string{"run", "--scenario", td("fail.scenario.yaml"), "--json"}, 1},
		{"service", []string{"run", ex("service.vcl"), "-r", "/products/shoes", "-r", "/assets/app.css", "-r", "/healthz"}, 0},
		{"service_scenario", []string{"run", "--scenario", ex("service.scenario.yaml")}, 0},
		{"misspelt_backend", []string{"run", td("misspelt_backend.vcl"), "-r", "/api/x"}, 0},
		{"vcl_errors", []string{"run", td("broken.vcl")}, 2},
		{"bad_scenario", []string{"run", "--scenario", td("bad.scenario.yaml")}, 2},
		{"bad_request_flag", []string{"run", ex("boilerplate.vcl"), "-r", "GET / extra"}, 2},
		{"bad_header_flag", []string{"run", ex("boilerplate.vcl"), "-H", "no colon"}, 2},
		{"no_vcl", []string{"run", "-r", "/"}, 2},
		{"both_r_and_scenario", []string{"run", "--scenario", ex("stale.scenario.yaml"), "-r", "/"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, code := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, got)
			}
			golden := td(tt.name + ".golden")
			if updating() {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (go test -update rewrites it)\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

// TestRunJSONShape checks that each --json line follows
// schema/run.schema.json, and that the run is deterministic.
func TestRunJSONShape(t *testing.T) {
	args := []string{"run", "--scenario", ex("breadcrumbs.scenario.yaml"), "--json"}
	var out, errb bytes.Buffer
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var again bytes.Buffer
	run(args, &again, &errb)
	if out.String() != again.String() {
		t.Error("two runs of the same scenario differ")
	}
	if n := strings.Count(strings.TrimSpace(out.String()), "\n") + 1; n != 4 {
		t.Fatalf("%d lines, want one per request (4)", n)
	}
	checkRunJSON(t, out.String())
	// Without expectations the expect key is left out.
	out.Reset()
	run([]string{"run", ex("boilerplate.vcl"), "--json"}, &out, &errb)
	if strings.Contains(out.String(), `"expect"`) {
		t.Errorf("expect present without expectations: %s", out.String())
	}
}

// TestRunOrigin sends backend requests to a real HTTP server.
func TestRunOrigin(t *testing.T) {
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.Method+" "+r.URL.RequestURI()+" host="+r.Host)
		w.Header().Set("Cache-Control", "max-age=30")
		w.Write([]byte("from the dev server"))
	}))
	defer srv.Close()
	var out, errb bytes.Buffer
	code := run([]string{"run", ex("boilerplate.vcl"), "--origin", srv.URL, "-r", "/x?utm_medium=a&b=1", "-r", "/x?b=1", "-H", "Host: dev.example", "--json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	// The tracking parameter is dropped, so the second request is a hit.
	if want := []string{"GET /x?b=1 host=dev.example"}; !slices.Equal(paths, want) {
		t.Errorf("origin saw %v, want %v", paths, want)
	}
	var first struct {
		Response struct{ Body string }
		State    string
	}
	line, _, _ := strings.Cut(out.String(), "\n")
	if err := json.Unmarshal([]byte(line), &first); err != nil || first.Response.Body != "from the dev server" {
		t.Errorf("first response = %+v (%v)", first, err)
	}

	// An unreachable origin is a 503 through vcl_error.
	srv.Close()
	out.Reset()
	code = run([]string{"run", ex("boilerplate.vcl"), "--origin", srv.URL, "--json"}, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), `"status":503`) || !strings.Contains(out.String(), `"sub":"vcl_error"`) {
		t.Errorf("unreachable origin: exit %d\n%s", code, out.String())
	}
}

func TestParseRequestFlag(t *testing.T) {
	tests := []struct {
		in, method, url, err string
	}{
		{"/", "GET", "/", ""},
		{"post /form", "POST", "/form", ""},
		{"GET https://shop.example/a?b", "GET", "https://shop.example/a?b", ""},
		{"GET", "", "", "must start with /"},
		{"GET / x", "", "", `want "METHOD URL"`},
		{"", "", "", `want "METHOD URL"`},
	}
	for _, tt := range tests {
		r, err := parseRequestFlag(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || r.Method != tt.method || r.URL != tt.url {
			t.Errorf("%q = %+v, %v", tt.in, r, err)
		}
	}
}

func TestPrintable(t *testing.T) {
	tests := map[string]string{
		"plain":        "plain",
		"a\x1b[31mb":   `a\x1b[31mb`,
		"tab\there":    "tab    here",
		"bad\xffutf8":  `bad\xffutf8`,
		"ok \uFFFD ok": "ok \uFFFD ok",
		"naïve":        "naïve",
	}
	for in, want := range tests {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRunJSONBackgroundRequests: a stale-while-revalidate hit reports its
// background fetch under background_requests (schema/run.schema.json).
func TestRunJSONBackgroundRequests(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"run", "--scenario", td("revalidate.scenario.yaml"), "--json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	checkRunJSON(t, out.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	type bg struct {
		Label string `json:"label"`
		Node  string `json:"node"`
		Route []struct {
			Sub  string `json:"sub"`
			Node string `json:"node"`
		} `json:"route"`
		BackendRequests []struct {
			Status int `json:"status"`
		} `json:"backend_requests"`
	}
	var counts []int
	var second struct {
		State      string `json:"state"`
		Background []bg   `json:"background_requests"`
	}
	for i, l := range lines {
		var v struct {
			Background []bg `json:"background_requests"`
		}
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatal(err)
		}
		counts = append(counts, len(v.Background))
		if i == 1 {
			json.Unmarshal([]byte(l), &second)
		}
	}
	if !slices.Equal(counts, []int{0, 1, 0, 0, 0, 0}) {
		t.Fatalf("background fetches per request %v, want only the second request's", counts)
	}
	b := second.Background[0]
	if second.State != "HIT-STALE-CLUSTER" || b.Label != "background fetch GET /swr" || len(b.Route) != 2 ||
		b.Route[0].Sub != "vcl_miss" || b.Route[1].Sub != "vcl_fetch" || b.Route[0].Node != "fetch" ||
		len(b.BackendRequests) != 1 || b.BackendRequests[0].Status != 200 {
		t.Errorf("state %s, background fetch %+v", second.State, b)
	}
}
