package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// runLine is the part of a `vclide run --json` line these tests read.
type runLine struct {
	Request  struct{ URL string }
	Response struct {
		Status int
		Reason string
		Body   string
	}
	State           string
	BackendRequests []struct {
		Backend string
		Status  int
		Error   string
	} `json:"backend_requests"`
	Notes  []string
	Expect *struct{ Passed bool }
}

// runJSON runs vclide with args plus --json and decodes each line.
func runJSON(t *testing.T, args ...string) ([]runLine, int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append(args, "--json"), &out, &errb)
	checkRunJSON(t, out.String())
	var lines []runLine
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if l == "" {
			continue
		}
		var rl runLine
		if err := json.Unmarshal([]byte(l), &rl); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		lines = append(lines, rl)
	}
	return lines, code, errb.String()
}

// TestRunServiceVCL runs examples/service.vcl, production-style VCL whose
// backends F_Heroku and F_S3 live in the Fastly service (referenced, never
// declared), the four ways a user would: with no flags, with --origin,
// with a scenario mocking F_Heroku, and with --origin declared.
func TestRunServiceVCL(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	dev := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.Path+" host="+r.Host)
		mu.Unlock()
		w.Header().Set("Cache-Control", "max-age=60")
		_, _ = w.Write([]byte("from the dev server"))
	}))
	defer dev.Close()

	reqs := []string{"-r", "/products/shoes", "-r", "/assets/app.css", "-r", "/api/cart", "-r", "/healthz", "-H", "Host: shop.example.com"}
	type want struct {
		url, backend string
		status       int
		reason, body string
	}
	tests := []struct {
		name  string
		args  []string
		want  []want
		notes []string
		// origin lists what the dev server must have seen.
		origin []string
	}{
		{
			name: "no flags: the embedded origin answers the service backends",
			args: append([]string{"run", ex("service.vcl")}, reqs...),
			want: []want{
				{"/products/shoes", "F_Heroku", 200, "OK", "vclide embedded origin"},
				{"/assets/app.css", "F_S3", 200, "OK", "vclide embedded origin"},
				{"/api/cart", "F_Heroku", 200, "OK", "vclide embedded origin"},
				{"/healthz", "", 299, "Cheers!", "ok"},
			},
			notes: []string{
				"F_Heroku: not declared in VCL; treated as a service backend answered by the embedded origin",
				"F_S3: not declared in VCL; treated as a service backend answered by the embedded origin",
			},
		},
		{
			name: "--origin: a loopback dev server answers every backend",
			args: append([]string{"run", ex("service.vcl"), "--origin", dev.URL}, reqs...),
			want: []want{
				{"/products/shoes", "F_Heroku", 200, "OK", "from the dev server"},
				{"/assets/app.css", "F_S3", 200, "OK", "from the dev server"},
				{"/api/cart", "F_Heroku", 200, "OK", "from the dev server"},
				{"/healthz", "", 299, "Cheers!", "ok"},
			},
			notes: []string{
				"F_Heroku: not declared in VCL; treated as a service backend answered by " + dev.URL,
				"F_S3: not declared in VCL; treated as a service backend answered by " + dev.URL,
			},
			// vcl_miss rewrites the Host for the bucket.
			origin: []string{"/products/shoes host=shop.example.com", "/assets/app.css host=storefront-assets.s3.amazonaws.com", "/api/cart host=shop.example.com"},
		},
		{
			name: "a scenario mocks F_Heroku; F_S3 keeps the embedded origin",
			args: []string{"run", "--scenario", ex("service.scenario.yaml")},
			want: []want{
				{"/products/shoes", "F_Heroku", 200, "OK", "<h1>Shoes</h1>"},
				{"/products/shoes", "", 200, "OK", "<h1>Shoes</h1>"},
				{"/assets/app.css", "F_S3", 200, "OK", "vclide embedded origin"},
				{"/api/cart", "F_Heroku", 200, "OK", `{"items":[]}`},
				{"/healthz", "", 299, "Cheers!", "ok"},
				{"/blog/2020/hello", "", 301, "Moved Permanently", ""},
			},
			notes: []string{
				"F_Heroku: not declared in VCL; treated as a service backend answered by the scenario's mock responses",
				"F_S3: not declared in VCL; treated as a service backend answered by the embedded origin",
			},
		},
		{
			name: "--origin declared: service backends have no host, so the embedded origin answers",
			args: append([]string{"run", ex("service.vcl"), "--origin", "declared"}, reqs[:4]...),
			want: []want{
				{"/products/shoes", "F_Heroku", 200, "OK", "vclide embedded origin"},
				{"/assets/app.css", "F_S3", 200, "OK", "vclide embedded origin"},
			},
			notes: []string{
				"F_Heroku: not declared in VCL; treated as a service backend answered by the embedded origin",
				"F_S3: not declared in VCL; treated as a service backend answered by the embedded origin",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			seen = nil
			mu.Unlock()
			lines, code, stderr := runJSON(t, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if len(lines) != len(tt.want) {
				t.Fatalf("%d responses, want %d", len(lines), len(tt.want))
			}
			var notes []string
			for i, w := range tt.want {
				l := lines[i]
				notes = append(notes, l.Notes...)
				if l.Request.URL != w.url || l.Response.Status != w.status || l.Response.Reason != w.reason || !strings.Contains(l.Response.Body, w.body) {
					t.Errorf("%s: %d %q %q, want %d %q with %q", l.Request.URL, l.Response.Status, l.Response.Reason, l.Response.Body, w.status, w.reason, w.body)
				}
				var backends []string
				for _, b := range l.BackendRequests {
					backends = append(backends, b.Backend)
					if b.Backend == "" || b.Status == 0 {
						t.Errorf("%s: backend request %+v", w.url, b)
					}
				}
				if want := []string{w.backend}; w.backend == "" && len(backends) != 0 || w.backend != "" && !slices.Equal(backends, want) {
					t.Errorf("%s: backends %v, want %q", w.url, backends, w.backend)
				}
				if l.Expect != nil && !l.Expect.Passed {
					t.Errorf("%s: expectations failed", w.url)
				}
			}
			if len(notes) != len(tt.notes) {
				t.Fatalf("notes %q, want %q", notes, tt.notes)
			}
			for i := range notes {
				if !strings.HasPrefix(notes[i], tt.notes[i]) {
					t.Errorf("note %q, want %q", notes[i], tt.notes[i])
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if !slices.Equal(seen, tt.origin) {
				t.Errorf("the dev server saw %q, want %q", seen, tt.origin)
			}
		})
	}
}

// TestRunMisspeltBackend checks that a backend name that is not a service
// backend (it misspells the declared F_origin) is reported by name, with
// where to declare it, and never with an empty name.
func TestRunMisspeltBackend(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"run", td("misspelt_backend.vcl"), "-r", "/api/x"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{
		"F_orgin GET /api/x → failed: backend F_orgin is not defined (did you mean F_origin?)",
		"declarations.backends",
		"--origin",
		"response: 503",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "no such backend") || strings.Contains(out.String(), "     GET") {
		t.Errorf("a backend line without a name:\n%s", out.String())
	}
	// --json reports the same error with the backend request.
	lines, _, _ := runJSON(t, "run", td("misspelt_backend.vcl"), "-r", "/api/x")
	if len(lines) != 1 || len(lines[0].BackendRequests) != 1 || !strings.HasPrefix(lines[0].BackendRequests[0].Error, "backend F_orgin is not defined") {
		t.Errorf("--json backend requests: %+v", lines)
	}
	// lint keeps its diagnostic for the name.
	out.Reset()
	run([]string{"lint", td("misspelt_backend.vcl")}, &out, &errb)
	if !strings.Contains(out.String(), "backend F_orgin is not declared") {
		t.Errorf("lint output lacks the undefined-backend diagnostic:\n%s", out.String())
	}
}

// TestServeServiceVCL runs `vclide serve` on the service example: real
// requests reach the service backends, and health checks get the VCL's
// reason phrase on the status line.
func TestServeServiceVCL(t *testing.T) {
	var log syncBuffer
	base, stop := startServe(t, &log, ex("service.vcl"))
	defer stop()
	for _, tt := range []struct{ path, status, body string }{
		{"/products/shoes", "200 OK", "vclide embedded origin"},
		{"/healthz", "299 Cheers!", "ok"},
	} {
		resp, body := get(t, "GET", base+tt.path, nil)
		if resp.Status != tt.status || !strings.Contains(body, tt.body) {
			t.Errorf("%s: %q %q, want %q with %q", tt.path, resp.Status, body, tt.status, tt.body)
		}
	}
	// The start line names the service backends and the default.
	if want := "service backends (not declared in the VCL): F_Heroku, F_S3, default F_Heroku"; !strings.Contains(log.String(), want) {
		t.Errorf("serve log lacks %q:\n%s", want, log.String())
	}
	// The server's log names the service backend the first time.
	if want := "  note: F_Heroku: not declared in VCL; treated as a service backend answered by the embedded origin"; !strings.Contains(log.String(), want) {
		t.Errorf("serve log lacks %q:\n%s", want, log.String())
	}
}

// TestRunServiceStarBackend checks that a scenario's "*" entry answers
// every service backend (it used to give "no such backend").
func TestRunServiceStarBackend(t *testing.T) {
	vcl, err := filepath.Abs(ex("service.vcl"))
	if err != nil {
		t.Fatal(err)
	}
	sc := filepath.Join(t.TempDir(), "star.scenario.yaml")
	src := "vcl: " + vcl + "\nbackends:\n  \"*\": {responses: [{status: 203, body: star}]}\nrequests:\n  - url: /products/x\n  - url: /assets/y\n"
	if err := os.WriteFile(sc, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	lines, code, stderr := runJSON(t, "run", "--scenario", sc)
	if code != 0 || len(lines) != 2 {
		t.Fatalf("exit %d, %d lines: %s", code, len(lines), stderr)
	}
	for i, backend := range []string{"F_Heroku", "F_S3"} {
		l := lines[i]
		if l.Response.Status != 203 || l.Response.Body != "star" || len(l.BackendRequests) != 1 || l.BackendRequests[0].Backend != backend {
			t.Errorf("%s: %+v", l.Request.URL, l)
		}
		if want := backend + ": not declared in VCL; treated as a service backend answered by the scenario's mock responses"; len(l.Notes) != 1 || !strings.HasPrefix(l.Notes[0], want) {
			t.Errorf("%s: notes %q, want %q", l.Request.URL, l.Notes, want)
		}
	}
}

// TestRunDeclaredOrigin checks that the host a VCL declares is contacted
// only on request: by default the embedded origin answers; with --origin
// declared (or a scenario's url: declared) the declared host:port does.
func TestRunDeclaredOrigin(t *testing.T) {
	var mu sync.Mutex
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		_, _ = w.Write([]byte("from the declared host"))
	}))
	defer srv.Close()
	host, port, _ := strings.Cut(strings.TrimPrefix(srv.URL, "http://"), ":")
	dir := t.TempDir()
	vcl := filepath.Join(dir, "declared.vcl")
	src := "backend F_local {\n  .host = \"" + host + "\";\n  .port = \"" + port + "\";\n}\n\nsub vcl_recv {\n#FASTLY recv\n  return(pass);\n}\n"
	if err := os.WriteFile(vcl, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	sc := filepath.Join(dir, "declared.scenario.yaml")
	if err := os.WriteFile(sc, []byte("vcl: declared.vcl\nbackends:\n  F_local: {url: declared}\nrequests: [{url: /s}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		body     string
		wantHits int
	}{
		{"default: never contacted", []string{"run", vcl, "-r", "/a"}, "vclide embedded origin", 0},
		{"--origin declared", []string{"run", vcl, "-r", "/a", "--origin", "declared"}, "from the declared host", 1},
		{"scenario url: declared", []string{"run", "--scenario", sc}, "from the declared host", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			hits = 0
			mu.Unlock()
			lines, code, stderr := runJSON(t, tt.args...)
			if code != 0 || len(lines) != 1 {
				t.Fatalf("exit %d, %d lines: %s", code, len(lines), stderr)
			}
			if !strings.Contains(lines[0].Response.Body, tt.body) || len(lines[0].Notes) != 0 {
				t.Errorf("body %q notes %q, want %q and no note", lines[0].Response.Body, lines[0].Notes, tt.body)
			}
			mu.Lock()
			defer mu.Unlock()
			if hits != tt.wantHits {
				t.Errorf("the declared host got %d request(s), want %d", hits, tt.wantHits)
			}
		})
	}
}
