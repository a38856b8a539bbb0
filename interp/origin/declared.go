package origin

import (
	"context"
	"errors"
	"sync"

	"github.com/vclide/vclide/interp"
)

// DeclaredSpec is the origin spec (`--origin declared`, a scenario backend's
// `url: declared`) that sends requests to the hosts the VCL declares.
const DeclaredSpec = "declared"

// Declared sends each backend request to the host and port that the VCL
// declares for its backend (`.host`, `.port`, `.ssl`), with the
// declaration's timeouts. It is opt-in: production hosts are contacted only
// when the user asks for it with `--origin declared` or `url: declared`.
// Service backends have no host in the VCL; Service answers them.
type Declared struct {
	// Service answers service backends (default: the embedded origin).
	Service interp.Origin

	mu     sync.Mutex
	byAddr map[string]*HTTP
}

// NewDeclared returns an origin for the declared hosts whose service
// backends are answered by the embedded origin.
func NewDeclared() *Declared { return &Declared{Service: Embedded{}} }

// ServiceOrigin answers the backends the VCL does not declare.
func (d *Declared) ServiceOrigin() interp.Origin {
	if d.Service == nil {
		return Embedded{}
	}
	return d.Service
}

// String names the origin in notes.
func (d *Declared) String() string { return "the host the VCL declares (--origin declared)" }

// RoundTrip sends req to its backend's declared address.
func (d *Declared) RoundTrip(ctx context.Context, req *interp.BackendRequest) (*interp.BackendResponse, error) {
	if req.Addr == "" {
		if d.Service != nil {
			return d.Service.RoundTrip(ctx, req)
		}
		return nil, &Error{Backend: req.Backend, Kind: FailConnect, Err: errors.New("the VCL declares no host for this backend")}
	}
	scheme := "http://"
	if req.SSL {
		scheme = "https://"
	}
	h, err := d.origin(scheme + req.Addr)
	if err != nil {
		return nil, &Error{Backend: req.Backend, Kind: FailConnect, Err: err}
	}
	return h.RoundTrip(ctx, req)
}

// origin returns the HTTP origin for one declared address (shared, so that
// connections are reused).
func (d *Declared) origin(base string) (*HTTP, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if h := d.byAddr[base]; h != nil {
		return h, nil
	}
	h, err := NewHTTP(base)
	if err != nil {
		return nil, err
	}
	if d.byAddr == nil {
		d.byAddr = map[string]*HTTP{}
	}
	d.byAddr[base] = h
	return h, nil
}

// Close releases idle connections.
func (d *Declared) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, h := range d.byAddr {
		h.Close()
	}
}

// Parse builds the origin an `--origin` flag (or a launch configuration's
// origin) names: "declared" for the hosts the VCL declares, else the base
// URL of a real HTTP origin.
func Parse(spec string) (interp.Origin, error) {
	if spec == DeclaredSpec {
		return NewDeclared(), nil
	}
	return NewHTTP(spec)
}

var _ interp.DeclaredOnly = (*Declared)(nil)
