package origin

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vclide/vclide/interp"
)

func TestDeclared(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Seen", r.Host+" "+r.URL.RequestURI())
		w.WriteHeader(207)
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().(*net.TCPAddr)
	d := NewDeclared()
	defer d.Close()

	// A declared backend goes to its declared address, with the request's
	// Host header.
	resp, err := d.RoundTrip(context.Background(), &interp.BackendRequest{Backend: "F_origin", Method: "GET", URL: "/a?b=1", Host: "shop.example", Addr: addr.String()})
	if err != nil || resp.Status != 207 || resp.Header.Get("X-Seen") != "shop.example /a?b=1" {
		t.Fatalf("declared backend: %+v, %v", resp, err)
	}

	// A service backend (no address) goes to the embedded origin.
	resp, err = d.RoundTrip(context.Background(), &interp.BackendRequest{Backend: "F_Heroku", Method: "GET", URL: "/x"})
	if err != nil || resp.Status != 200 || resp.Header.Get("Cache-Control") == "" {
		t.Fatalf("service backend: %+v, %v", resp, err)
	}
	if _, ok := d.ServiceOrigin().(Embedded); !ok {
		t.Errorf("ServiceOrigin = %T, want Embedded", d.ServiceOrigin())
	}

	// An address nobody listens on fails as a connection error.
	srv.Close()
	if _, err := d.RoundTrip(context.Background(), &interp.BackendRequest{Backend: "F_origin", Method: "GET", URL: "/", Addr: addr.String()}); err == nil {
		t.Error("closed declared address: no error")
	}
}

func TestParse(t *testing.T) {
	if o, err := Parse("declared"); err != nil {
		t.Errorf("declared: %v", err)
	} else if _, ok := o.(*Declared); !ok {
		t.Errorf("declared = %T", o)
	}
	if o, err := Parse("http://127.0.0.1:3000"); err != nil {
		t.Errorf("url: %v", err)
	} else if _, ok := o.(*HTTP); !ok {
		t.Errorf("url = %T", o)
	}
	if _, err := Parse("ftp://x"); err == nil {
		t.Error("ftp accepted")
	}
}

// TestHTTPReasonPhrase checks that an HTTP origin's own reason phrase is
// passed on (it becomes beresp.response).
func TestHTTPReasonPhrase(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		_, _ = c.Read(buf)
		_, _ = c.Write([]byte("HTTP/1.1 200 Okey Dokey\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"))
	}()
	h, err := NewHTTP("http://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	resp, err := h.RoundTrip(context.Background(), &interp.BackendRequest{Backend: "F_origin", Method: "GET", URL: "/"})
	if err != nil || resp.Status != 200 || resp.Reason != "Okey Dokey" || string(resp.Body) != "hi" {
		t.Fatalf("%+v, %v", resp, err)
	}
}
