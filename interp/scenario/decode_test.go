package scenario

import (
	"strings"
	"testing"
	"time"
)

const full = `# every feature once
vcl: main.vcl
include_paths: [inc]
clustering: false
nodes: 8
seed: 42
clock: 2024-05-01T10:00:00Z
backends:
  F_origin:
    responses:
      - path: /api/**
        method: GET
        status: 200
        headers:
          Cache-Control: max-age=60
          Set-Cookie: [a=1, b=2]
        body: '{"ok":true}'
        delay: 250ms
      - path: /flaky
        sequence:
          - {status: 200}
          - {status: 503, fail: timeout}
  F_dev:
    url: http://127.0.0.1:3000
requests:
  - url: /api/users?page=2
    method: POST
    headers: {Accept: application/json, X-N: 3}
    body: hello
    client_ip: 2001:db8::1
    expect:
      status: 200
      headers: {X-Cache: HIT, Set-Cookie: null}
      body: ok
      state: MISS-CLUSTER
      route: [vcl_recv, vcl_hash, vcl_miss, vcl_fetch, vcl_deliver, vcl_log]
      logs: [hello]
  - at: 2m
    concurrent:
      - url: https://www.example.org/a
      - url: /b
        expect: {status: 404}
  - at: 150
    purge: {surrogate_key: products, soft: true}
`

func TestParseFull(t *testing.T) {
	s, err := Parse("dir/full.yaml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if s.VCL != "main.vcl" || s.Resolve(s.VCL) != "dir/main.vcl" || len(s.IncludePaths) != 1 ||
		s.Clustering == nil || *s.Clustering || s.Nodes != 8 || s.Seed != 42 ||
		!s.Start().Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("top level decoded wrongly: %+v", s)
	}
	o := s.Backends["F_origin"]
	if o == nil || len(o.Responses) != 2 {
		t.Fatalf("backends = %+v", s.Backends)
	}
	r := o.Responses[0]
	if r.Path != "/api/**" || r.Status != 200 || r.Delay.D != 250*time.Millisecond ||
		len(r.Headers["Set-Cookie"]) != 2 || r.Headers["Cache-Control"][0] != "max-age=60" {
		t.Errorf("rule decoded wrongly: %+v", r)
	}
	if seq := o.Responses[1].Sequence; len(seq) != 2 || seq[1].Fail != "timeout" {
		t.Errorf("sequence decoded wrongly: %+v", seq)
	}
	if s.Backends["F_dev"].URL != "http://127.0.0.1:3000" {
		t.Errorf("url backend: %+v", s.Backends["F_dev"])
	}
	if len(s.Requests) != 3 {
		t.Fatalf("requests = %d", len(s.Requests))
	}
	st := s.Requests[0]
	e := st.Expect
	if st.Kind() != "request" || st.Method != "POST" || st.Headers["X-N"][0] != "3" || st.ClientIP != "2001:db8::1" ||
		e.Status != 200 || *e.Headers["X-Cache"] != "HIT" || e.Headers["Set-Cookie"] != nil ||
		*e.Body != "ok" || len(e.Route) != 6 || e.Logs[0] != "hello" {
		t.Errorf("first request decoded wrongly: %+v / %+v", st, e)
	}
	if c := s.Requests[1]; c.Kind() != "concurrent" || c.At.D != 2*time.Minute || len(c.Concurrent) != 2 || c.Concurrent[1].Expect.Status != 404 {
		t.Errorf("concurrent step decoded wrongly: %+v", c)
	}
	if p := s.Requests[2]; p.Kind() != "purge" || p.At.D != 150*time.Second || p.Purge.SurrogateKey != "products" || !p.Purge.Soft {
		t.Errorf("purge step decoded wrongly: %+v", p)
	}
}

func TestParseJSON(t *testing.T) {
	src := "{\n\t\"vcl\": \"a.vcl\",\n\t\"requests\": [{\"url\": \"/\", \"expect\": {\"status\": 200}}]\n}\n"
	s, err := Parse("s.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if s.VCL != "a.vcl" || s.Requests[0].Expect.Status != 200 {
		t.Errorf("decoded %+v", s)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // each must appear in the error, in order
	}{
		{"unknown top-level key", "vcl: a.vcl\nreqests: []\n",
			[]string{`s.yaml:2:1: unknown key "reqests" in scenario (did you mean "requests"?)`}},
		{"unknown nested key", "requests:\n  - url: /\n    expect:\n      stauts: 200\n",
			[]string{`s.yaml:4:7: unknown key "stauts" in expect (did you mean "status"?)`}},
		{"unknown key lists known ones", "requests:\n  - url: /\n    wibble: 1\n",
			[]string{`s.yaml:3:5: unknown key "wibble" in request (known keys: method, url,`}},
		{"wrong type", "nodes: four\nrequests: [{url: /}]\n",
			[]string{`s.yaml:1:8: expected an integer, got "four"`}},
		{"bad bool", "clustering: maybe\nrequests: [{url: /}]\n",
			[]string{`s.yaml:1:13: expected true or false, got "maybe"`}},
		{"bad duration", "requests:\n  - url: /\n    at: soon\n",
			[]string{`s.yaml:3:9: expected a duration like 10s or 2m, got "soon"`}},
		{"bad clock", "clock: yesterday\nrequests: [{url: /}]\n",
			[]string{`s.yaml:1:8: expected an RFC 3339 time`}},
		{"at goes backwards", "requests:\n  - url: /a\n    at: 10s\n  - url: /b\n    at: 5s\n",
			[]string{`s.yaml:5:9: at 5s goes back in time (an earlier step is at 10s)`}},
		{"no requests", "vcl: a.vcl\n", []string{`s.yaml:1:1: no requests`}},
		{"step with two kinds", "requests:\n  - url: /\n    purge: {url: /}\n",
			[]string{`s.yaml:2:5: a step needs exactly one of url, concurrent or purge`}},
		{"request key in purge step", "requests:\n  - purge: {url: /}\n    expect: {status: 200}\n",
			[]string{`s.yaml:3:13: expect is not allowed in a purge step`}},
		{"purge needs one target", "requests:\n  - purge: {soft: true}\n",
			[]string{`s.yaml:2:12: purge needs exactly one of url or surrogate_key`}},
		{"bad url", "requests:\n  - url: example.com/x\n",
			[]string{`s.yaml:2:10: url "example.com/x" must start with / or http(s)://`}},
		{"bad client ip", "requests:\n  - url: /\n    client_ip: 300.1.1.1\n",
			[]string{`s.yaml:3:16: client_ip "300.1.1.1" is not an IP address`}},
		{"bad route name", "requests:\n  - url: /\n    expect: {route: [recv]}\n",
			[]string{`s.yaml:3:21: route: "recv" is not a vcl_* subroutine`}},
		{"backend with both", "backends:\n  b:\n    url: http://x\n    responses: []\nrequests: [{url: /}]\n",
			[]string{`s.yaml:3:5: backend "b": give either url or responses, not both`}},
		{"backend with neither", "backends:\n  b: {}\nrequests: [{url: /}]\n",
			[]string{`s.yaml:2:6: backend "b": give a url or responses`}},
		{"bad fail", "backends:\n  b:\n    responses:\n      - fail: boom\nrequests: [{url: /}]\n",
			[]string{`s.yaml:4:15: fail must be connect or timeout, not "boom"`}},
		{"reply fields beside sequence", "backends:\n  b:\n    responses:\n      - status: 200\n        sequence: [{status: 500}]\nrequests: [{url: /}]\n",
			[]string{`s.yaml:4:17: status belongs inside each sequence entry`}},
		{"duplicate key", "requests: [{url: /}]\nrequests: [{url: /}]\n",
			[]string{`s.yaml:2:1: duplicate key "requests"`}},
		{"header value mapping", "requests:\n  - url: /\n    headers: {X: {a: 1}}\n",
			[]string{`s.yaml:3:18: header X: expected a string or a list of strings, got a mapping`}},
		{"several errors in file order", "nodes: x\nseed: y\nrequests: [{url: /}]\n",
			[]string{`s.yaml:1:8: expected an integer`, "\ns.yaml:2:7: expected an integer"}},
		{"yaml syntax", "requests: [\n", []string{`s.yaml:1:1: invalid YAML: did not find expected node content`}},
		{"top level list", "- url: /\n", []string{`s.yaml:1:1: expected a scenario mapping, got a list`}},
		{"empty", "", []string{`s.yaml:1:1: empty scenario`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			msg := err.Error()
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error\n%s\ndoes not contain (in order) %q", msg, w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestParseJSONSyntaxErrorPosition(t *testing.T) {
	src := "{\n  \"vcl\": \"a.vcl\",\n  \"requests\": [\n    {\"url\": \"/\"} {\"url\": \"/b\"}\n  ]\n}\n"
	_, err := Parse("s.json", []byte(src))
	if err == nil || !strings.HasPrefix(err.Error(), "s.json:4:18: invalid JSON:") {
		t.Errorf("err = %v", err)
	}
}
