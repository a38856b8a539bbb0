package dap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"time"

	"go.uber.org/zap"

	"github.com/vclide/vclide/internal/statusline"
	"github.com/vclide/vclide/interp"
)

// maxLiveBody caps the body of a request received in serve mode.
const maxLiveBody = 10 << 20

// liveServer is the HTTP listener of serve mode: every request it receives
// becomes a job (a new thread), and its response is written when the
// interpreter has finished with it.
type liveServer struct {
	listen string // the configured address
	ln     net.Listener
	srv    *http.Server
}

// startLiveServer listens on a loopback address.
func startLiveServer(addr string, s *Session) (*liveServer, error) {
	if err := CheckLoopback(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	ls := &liveServer{listen: addr, ln: ln}
	ls.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serveHTTP(w, r) }), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := ls.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Warn("live server stopped", zap.Error(err))
		}
	}()
	return ls, nil
}

func (ls *liveServer) addr() string { return ls.ln.Addr().String() }

// close stops accepting requests and lets the ones being answered finish
// (briefly).
func (ls *liveServer) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if ls.srv.Shutdown(ctx) != nil {
		_ = ls.srv.Close()
	}
}

// serveHTTP runs one real request through the debugger.
func (s *Session) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	d := s.d
	s.mu.Unlock()
	if d == nil {
		http.Error(w, "vclide: the debug session has not started yet", http.StatusServiceUnavailable)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxLiveBody))
	if err != nil {
		http.Error(w, "vclide: reading the request body: "+err.Error(), http.StatusBadRequest)
		return
	}
	hdr := r.Header.Clone()
	hdr.Set("Host", r.Host)
	req := interp.Request{Method: r.Method, URL: r.URL.RequestURI(), Header: hdr, Body: body}
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		req.ClientIP = ap.Addr().Unmap()
	}
	j := &job{label: req.Method + " " + req.URL, req: req, reply: make(chan *interp.Result, 1)}
	d.addJob(j)
	select {
	case res := <-j.reply:
		resp := res.Response
		if resp.Status < 100 || resp.Status > 999 {
			resp.Status, resp.Reason = http.StatusServiceUnavailable, ""
		}
		// The VCL's reason phrase goes on the status line.
		_ = statusline.Write(w, r, resp.Status, resp.Reason, resp.Header, resp.Body)
	case <-d.done:
		http.Error(w, "vclide: the debug session ended", http.StatusServiceUnavailable)
	case <-r.Context().Done():
		s.log.Info("live client went away", zap.String("request", fmt.Sprint(j.label)))
	}
}
