package statusline

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWriteStatusLine(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		status     int
		reason     string
		wantStatus string
		wantBody   string
	}{
		{"custom reason goes on the status line", "GET", 299, "Cheers!", "299 Cheers!", "hello"},
		{"standard reason keeps net/http", "GET", 200, "OK", "200 OK", "hello"},
		{"empty reason gives the standard one", "GET", 404, "", "404 Not Found", "hello"},
		{"control characters cannot split the line", "GET", 503, "Oops\r\nX-Evil: 1", "503 Oops  X-Evil: 1", "hello"},
		{"HEAD has no body", "HEAD", 299, "Cheers!", "299 Cheers!", ""},
		{"304 has no body", "GET", 304, "Not Changed", "304 Not Changed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h := http.Header{"X-A": {"1"}, "Content-Length": {"999"}}
				if err := Write(w, r, tt.status, tt.reason, h, []byte("hello")); err != nil {
					t.Errorf("Write: %v", err)
				}
			}))
			defer srv.Close()
			req, _ := http.NewRequest(tt.method, srv.URL+"/", nil)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.Status != tt.wantStatus {
				t.Errorf("status line %q, want %q", resp.Status, tt.wantStatus)
			}
			if string(body) != tt.wantBody {
				t.Errorf("body %q, want %q", body, tt.wantBody)
			}
			if got := resp.Header.Get("X-A"); got != "1" {
				t.Errorf("X-A = %q, want 1", got)
			}
			if resp.Header.Get("X-Evil") != "" {
				t.Errorf("a header was injected through the reason phrase")
			}
		})
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{"Cheers!": "Cheers!", " a\tb \n": "a b", "\x7f": ""} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
