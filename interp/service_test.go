package interp

import (
	"context"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis"
)

// namedOrigin is a mock origin with a name for notes.
type namedOrigin struct {
	*mockOrigin
	name string
}

func (n namedOrigin) String() string { return n.name }

// serviceEngine builds an engine for src with no test backend added,
// external backends as .vclide.yaml would list them, and per-name origins.
func serviceEngine(t *testing.T, src string, listed []string, backends map[string]Origin, fallback Origin) *Engine {
	t.Helper()
	p := analysis.ParseFile("main.vcl", src, analysis.Options{External: analysis.External{Backends: listed}})
	cfg := Config{Program: p, Nodes: 1, DisableClustering: true, Backends: backends, Fallback: fallback}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const serviceRecv = `
sub vcl_recv {
#FASTLY recv
  if (req.url ~ "^/api/") {
    set req.backend = F_Heroku;
  }
  if (req.url ~ "^/assets/") {
    set req.backend = F_S3;
  }
  return(pass);
}
`

func TestServiceBackends(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		listed   []string
		backends map[string]Origin
		fallback Origin
		url      string
		// wantDefault is the backend #FASTLY recv selects.
		wantDefault string
		// wantBackend and wantStatus describe the backend request.
		wantBackend string
		wantStatus  int
		wantNote    string
		wantErr     []string
	}{
		{
			name: "undeclared F_ backends are service backends; the first referenced is the default",
			src:  serviceRecv, url: "/", wantDefault: "F_Heroku", wantBackend: "F_Heroku", wantStatus: 200,
			wantNote: "F_Heroku: not declared in VCL; treated as a service backend answered by the embedded origin" + defaultGuessNote,
		},
		{
			name: "a referenced service backend answers its route",
			src:  serviceRecv, url: "/assets/a.css", wantDefault: "F_Heroku", wantBackend: "F_S3", wantStatus: 200,
			wantNote: "F_S3: not declared in VCL; treated as a service backend answered by the embedded origin",
		},
		{
			name: "declarations.backends come first, in their order",
			src:  serviceRecv, listed: []string{"F_Main", "F_Heroku"}, url: "/", wantDefault: "F_Main", wantBackend: "F_Main", wantStatus: 200,
			wantNote: "F_Main: listed under declarations.backends in .vclide.yaml; treated as a service backend answered by the embedded origin",
		},
		{
			name: "a declared backend is the default and gets no note",
			src:  "backend F_local { .host = \"127.0.0.1\"; }\n" + serviceRecv, url: "/", wantDefault: "F_local", wantBackend: "F_local", wantStatus: 200,
		},
		{
			name: "no backend at all: the implicit F_default",
			src:  "sub vcl_recv {\n#FASTLY recv\n  return(pass);\n}\n", url: "/", wantDefault: "F_default", wantBackend: "F_default", wantStatus: 200,
			wantNote: "F_default: the VCL names no backend; treated as the service's default backend answered by the embedded origin",
		},
		{
			name: "a named origin answers its service backend",
			src:  serviceRecv, url: "/api/users", backends: map[string]Origin{"F_Heroku": namedOrigin{fixed(201, "heroku"), "the scenario's mock responses"}},
			wantDefault: "F_Heroku", wantBackend: "F_Heroku", wantStatus: 201,
			wantNote: "F_Heroku: not declared in VCL; treated as a service backend answered by the scenario's mock responses" + defaultGuessNote,
		},
		{
			name: "the fallback (--origin, \"*\") answers every service backend",
			src:  serviceRecv, url: "/assets/x", fallback: namedOrigin{fixed(202, "dev"), "http://127.0.0.1:3000"},
			wantDefault: "F_Heroku", wantBackend: "F_S3", wantStatus: 202,
			wantNote: "F_S3: not declared in VCL; treated as a service backend answered by http://127.0.0.1:3000",
		},
		{
			name: "a misspelt declared backend is an error that names it",
			src:  "backend F_origin { .host = \"127.0.0.1\"; }\nsub vcl_recv {\n#FASTLY recv\n  set req.backend = F_orgin;\n  return(pass);\n}\n",
			url:  "/", wantDefault: "F_origin", wantBackend: "F_orgin", wantStatus: 0,
			wantErr: []string{"backend F_orgin is not defined", "did you mean F_origin?", "declarations.backends", "--origin"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := serviceEngine(t, tt.src, tt.listed, tt.backends, tt.fallback)
			if got := e.DefaultBackend(); got != tt.wantDefault {
				t.Errorf("default backend %q, want %q", got, tt.wantDefault)
			}
			r := do(e, "GET", tt.url)
			if len(r.BackendRequests) != 1 {
				t.Fatalf("backend requests %+v, want one", r.BackendRequests)
			}
			b := r.BackendRequests[0]
			if b.Backend != tt.wantBackend || b.Status != tt.wantStatus {
				t.Errorf("backend request %+v, want %s → %d", b, tt.wantBackend, tt.wantStatus)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(b.Error, w) {
					t.Errorf("error %q lacks %q", b.Error, w)
				}
			}
			if len(tt.wantErr) == 0 && b.Error != "" {
				t.Errorf("unexpected error %q", b.Error)
			}
			var notes []string
			if tt.wantNote != "" {
				notes = []string{tt.wantNote}
			}
			if strings.Join(r.Notes, "|") != strings.Join(notes, "|") {
				t.Errorf("notes %q, want %q", r.Notes, notes)
			}
			// The note is given once per engine.
			if again := do(e, "GET", tt.url); len(again.Notes) != 0 {
				t.Errorf("second request notes %q, want none", again.Notes)
			}
		})
	}
}

// TestServiceBackendEmptyName checks that a request whose req.backend was
// emptied (by a debugger, say) reports a name, never an empty one.
func TestServiceBackendEmptyName(t *testing.T) {
	e := serviceEngine(t, serviceRecv, nil, nil, nil)
	x := e.newExec(context.Background(), Request{Method: "GET", URL: "/"})
	x.req.backend = ""
	x.bereq = x.newBereq()
	x.doBackend()
	b := x.res.BackendRequests[0]
	if b.Backend == "" || !strings.Contains(b.Error, "req.backend names no backend") {
		t.Errorf("backend call %+v", b)
	}
}

// declaredOnly stands in for origin.Declared: declared backends get their
// address, service backends go to svc.
type declaredOnly struct {
	*mockOrigin
	svc Origin
}

func (d declaredOnly) ServiceOrigin() Origin { return d.svc }

func TestDeclaredOriginIsOptIn(t *testing.T) {
	src := "backend F_local { .host = \"10.1.2.3\"; .port = \"8443\"; .ssl = true; }\n" + serviceRecv
	declared, service := fixed(200, "declared"), fixed(200, "service")
	e := serviceEngine(t, src, nil, nil, declaredOnly{declared, service})
	do(e, "GET", "/")
	do(e, "GET", "/api/x")
	if declared.calls() != 1 || declared.reqs[0].Addr != "10.1.2.3:8443" || !declared.reqs[0].SSL {
		t.Errorf("declared origin saw %d calls %+v, want one to 10.1.2.3:8443 with SSL", declared.calls(), declared.reqs)
	}
	if service.calls() != 1 || service.reqs[0].Backend != "F_Heroku" || service.reqs[0].Addr != "" {
		t.Errorf("service origin saw %+v, want F_Heroku with no address", service.reqs)
	}

	// Without opting in, the declared address is passed along but the
	// embedded origin, which never dials, answers.
	e = serviceEngine(t, src, nil, nil, nil)
	if r := do(e, "GET", "/"); r.Response.Status != 200 || !strings.Contains(string(r.Response.Body), "embedded origin") {
		t.Errorf("default: %d %q", r.Response.Status, r.Response.Body)
	}
}

// TestServiceBackendsInDirectors checks that director members the VCL
// does not declare are service backends too.
func TestServiceBackendsInDirectors(t *testing.T) {
	src := "director app random {\n  { .backend = F_app_1; .weight = 1; }\n  { .backend = F_app_2; .weight = 1; }\n}\nsub vcl_recv {\n#FASTLY recv\n  set req.backend = app;\n  return(pass);\n}\n"
	e := serviceEngine(t, src, nil, nil, nil)
	if got := e.ServiceBackends(); len(got) != 2 || got["F_app_1"] != serviceReferenced || got["F_app_2"] != serviceReferenced {
		t.Errorf("service backends %v", got)
	}
	seen := map[string]bool{}
	for _, u := range []string{"/a", "/b", "/c", "/d", "/e", "/f"} {
		r := do(e, "GET", u)
		if len(r.BackendRequests) != 1 || r.BackendRequests[0].Error != "" || r.Response.Status != 200 {
			t.Fatalf("%s: %+v", u, r.BackendRequests)
		}
		seen[r.BackendRequests[0].Backend] = true
	}
	if !seen["F_app_1"] || !seen["F_app_2"] {
		t.Errorf("the random director picked only %v", seen)
	}
}
