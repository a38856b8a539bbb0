package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vclide/vclide/internal/loopback"
	"github.com/vclide/vclide/internal/statusline"
	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/origin"
	"github.com/vclide/vclide/interp/scenario"
)

func init() {
	register(command{"serve", "a local HTTP proxy running real requests through the VCL", runServe})
}

// Timeouts of serve's HTTP server: a client that trickles its headers or
// keeps an idle connection open does not hold a connection for ever.
// Variables so that tests can shorten them.
var (
	serveReadHeaderTimeout = 10 * time.Second
	serveIdleTimeout       = 2 * time.Minute
)

// maxServeBody caps the request bodies `serve` accepts.
const maxServeBody = 16 << 20

func runServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveMain(ctx, args, stdout, stderr, nil)
}

// serveMain runs the server until ctx is done. ready, when not nil, is
// called with the listening address once requests are accepted.
func serveMain(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(addr string)) int {
	fl := newCmdFlags("serve", "vclide serve [flags] FILE.vcl",
		"Serve HTTP on a loopback address; every request (curl, a browser) runs through the VCL\non the simulated POP. Stops on Ctrl-C.", stderr)
	var rf runFlags
	rf.register(fl.FlagSet)
	listen := fl.String("listen", "127.0.0.1:8080", "address to listen on")
	allowRemote := fl.Bool("allow-remote", false, "allow a listen address other than loopback")
	pos, exit, ok := fl.parse(args, stdout)
	if !ok {
		return exit
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "vclide serve: "+format+"\n", a...)
		return 2
	}
	if len(pos) == 0 && rf.terraformPlan != "" {
		pos = []string{rf.terraformPlan} // the plan alone names the service, as for run
	}
	if len(pos) != 1 {
		return fail("name one VCL file: vclide serve FILE.vcl")
	}
	if ok, err := isLoopback(*listen); err != nil {
		return fail("--listen %q: %v", *listen, err)
	} else if !ok && !*allowRemote {
		return fail("--listen %q is not a loopback address; the simulator is meant for this machine only (pass --allow-remote to expose it)", *listen)
	}
	abs, err := filepath.Abs(pos[0])
	if err != nil {
		return fail("%v", err)
	}
	s := &scenario.Scenario{File: "command line", VCL: abs, Seed: rf.seed, Nodes: rf.nodes}
	if rf.noCluster {
		off := false
		s.Clustering = &off
	}
	eng, code := buildEngine(s, &rf, "serve", stderr)
	if eng == nil {
		return code
	}
	if rf.snippetNote != "" {
		fmt.Fprintln(stderr, rf.snippetNote)
	}

	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return fail("%v", err)
	}
	h := &simHandler{eng: eng, log: stderr, now: time.Now}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: serveReadHeaderTimeout,
		IdleTimeout:       serveIdleTimeout,
	}
	where := "the embedded origin"
	if rf.originURL == origin.DeclaredSpec {
		where = "the hosts the VCL declares; service backends: the embedded origin"
	} else if rf.originURL != "" {
		where = rf.originURL
	}
	if svc := eng.ServiceBackends(); len(svc) > 0 {
		names := make([]string, 0, len(svc))
		for n := range svc {
			names = append(names, n)
		}
		sort.Strings(names)
		where += "; service backends (not declared in the VCL): " + strings.Join(names, ", ") + ", default " + eng.DefaultBackend()
	}
	fmt.Fprintf(stderr, "vclide serve: %s on http://%s (backends: %s); Ctrl-C stops\n", pos[0], l.Addr(), where)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	if ready != nil {
		ready(l.Addr().String())
	}
	select {
	case err := <-errc:
		return fail("%v", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		_ = srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fail("%v", err)
	}
	fmt.Fprintln(stderr, "vclide serve: stopped")
	return 0
}

// isLoopback reports whether a listen address only accepts connections from
// this machine.
func isLoopback(addr string) (bool, error) { return loopback.Is(addr) }

// simHandler runs each HTTP request through the engine (Engine.Serve):
// requests run concurrently, a slow origin delays only the requests waiting
// for the same object, and the virtual clock follows real time.
type simHandler struct {
	eng   *interp.Engine
	log   io.Writer
	logMu sync.Mutex // one route line at a time
	now   func() time.Time
}

func (h *simHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxServeBody))
	if err != nil {
		http.Error(w, "vclide serve: request body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	req := interp.Request{
		Method: r.Method,
		URL:    r.URL.RequestURI(),
		Header: r.Header.Clone(),
		Body:   body,
		TLS:    r.TLS != nil,
	}
	req.Header.Set("Host", r.Host)
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		req.ClientIP = ap.Addr().Unmap()
	}

	// Requests run concurrently; only misses for the same cache key wait
	// for each other (request collapsing).
	res := h.eng.Serve(r.Context(), req, h.now())
	h.logMu.Lock()
	fmt.Fprintln(h.log, routeLine(req, res))
	for _, n := range res.Notes {
		fmt.Fprintln(h.log, "  note: "+printable(n))
	}
	h.logMu.Unlock()

	resp := res.Response
	status := resp.Status
	if status < 100 || status > 999 {
		status, resp.Reason = http.StatusBadGateway, ""
	}
	// The reason phrase the VCL set (error 299 "Cheers!", resp.response)
	// goes on the status line.
	_ = statusline.Write(w, r, status, resp.Reason, resp.Header, resp.Body)
}

// routeLine summarizes a request on one line:
// "GET /a → recv hash miss fetch deliver log → 200 MISS-CLUSTER".
func routeLine(req interp.Request, res *interp.Result) string {
	subs := make([]string, len(res.Route))
	for i, s := range res.Route {
		subs[i] = strings.TrimPrefix(s.Sub, "vcl_")
	}
	line := fmt.Sprintf("%s %s → %s → %d %s", req.Method, printable(req.URL), strings.Join(subs, " "), res.Response.Status, res.State)
	if res.Restarts > 0 {
		line += fmt.Sprintf(" (%d restarts)", res.Restarts)
	}
	if res.Err != nil {
		line += " error: " + printable(res.Err.Error())
	}
	return line
}
