package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestRunReasonPhrase checks that the reason phrase the VCL sets (error
// with a response text, obj.response, resp.response) is what `vclide run`
// prints and what --json reports in response.reason.
func TestRunReasonPhrase(t *testing.T) {
	tests := []struct {
		url, status, reason string
	}{
		{"/cheers", "299", "Cheers!"},
		{"/teapot", "418", "Short and stout"},
		{"/renamed", "200", "Fine, thanks"},
		{"/plain", "200", "OK"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run([]string{"run", td("reason.vcl"), "-r", tt.url}, &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			if want := "  response: " + tt.status + " " + tt.reason + "\n"; !strings.Contains(out.String(), want) {
				t.Errorf("text output lacks %q:\n%s", want, out.String())
			}
			out.Reset()
			if code := run([]string{"run", td("reason.vcl"), "-r", tt.url, "--json"}, &out, &errb); code != 0 {
				t.Fatalf("--json: exit %d: %s", code, errb.String())
			}
			checkRunJSON(t, out.String())
			var line struct {
				Response struct {
					Status int
					Reason string
				}
			}
			if err := json.Unmarshal(out.Bytes(), &line); err != nil {
				t.Fatal(err)
			}
			if line.Response.Reason != tt.reason {
				t.Errorf("response.reason = %q, want %q", line.Response.Reason, tt.reason)
			}
		})
	}
}

// TestServeReasonPhrase checks that `vclide serve` puts the VCL's reason
// phrase on the HTTP status line, for GET and HEAD, and keeps standard
// responses on the ordinary path.
func TestServeReasonPhrase(t *testing.T) {
	var log syncBuffer
	base, stop := startServe(t, &log, td("reason.vcl"))
	defer stop()
	tests := []struct {
		method, path, status, body string
	}{
		{"GET", "/cheers", "299 Cheers!", ""},
		{"HEAD", "/cheers", "299 Cheers!", ""},
		{"GET", "/teapot", "418 Short and stout", ""},
		{"GET", "/renamed", "200 Fine, thanks", "vclide embedded origin"},
		{"GET", "/plain", "200 OK", "vclide embedded origin"},
	}
	for _, tt := range tests {
		resp, body := get(t, tt.method, base+tt.path, nil)
		if resp.Status != tt.status {
			t.Errorf("%s %s: status line %q, want %q", tt.method, tt.path, resp.Status, tt.status)
		}
		if tt.body != "" && !strings.Contains(body, tt.body) {
			t.Errorf("%s %s: body %q lacks %q", tt.method, tt.path, body, tt.body)
		}
		if tt.method == "HEAD" && body != "" {
			t.Errorf("HEAD %s: body %q", tt.path, body)
		}
	}
}
