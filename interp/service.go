package interp

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/internal/suggest"
)

// Service backends.
//
// Most production VCL declares no backend: Fastly generates the backends
// from the service configuration and `#FASTLY recv` selects the default one.
// A backend is a *service backend* when the VCL references it
// (`set req.backend = F_Heroku;`, a director member) without declaring it,
// or when .vclide.yaml lists it under declarations.backends. Service
// backends are answered like any other backend: by the origin configured
// for their name, else by the fallback (the embedded origin unless
// --origin or a scenario "*" entry says otherwise).
//
// A referenced name that is a near miss of a backend or director the VCL
// does declare (F_orgin for F_origin) is taken for a typo, not a service
// backend: a request sent to it fails with an error that names it.

// ImplicitDefaultBackend is the service's default backend when the VCL
// declares and references no backend at all.
const ImplicitDefaultBackend = "F_default"

// Why a backend is a service backend (the first half of its note).
const (
	serviceReferenced = "not declared in VCL"
	serviceListed     = "listed under declarations.backends in .vclide.yaml"
	serviceImplicit   = "the VCL names no backend"
)

// defaultGuessNote ends the note of a referenced service backend that
// #FASTLY recv selects: the real default lives in the service
// configuration, so say how it was chosen and how to choose another.
const defaultGuessNote = "; the default backend, as the first one the VCL names (list the service's default first under declarations.backends to choose another)"

// serviceAddr stands for the resolved address of a backend with no literal
// IP (RFC 5737 documentation range).
var serviceAddr = netip.MustParseAddr("192.0.2.10")

// compileServiceBackends registers the service backends after the
// declarations have been compiled, and picks the default backend: the
// first declared one, else the first service backend (those listed in
// .vclide.yaml first, in their order, then those referenced, in source
// order), else the implicit F_default.
func (e *Engine) compileServiceBackends() {
	add := func(name, why string) {
		if _, ok := e.backends[name]; ok || e.directors[name] != nil {
			return
		}
		e.backends[name] = &backendInfo{name: name, port: 80, origin: e.serviceOrigin(name), ip: serviceAddr, service: why}
		if e.defaultBackend == "" {
			e.defaultBackend = name
		}
	}
	for _, name := range e.prog.Options.External.Backends {
		if sym := e.prog.Globals[name]; sym != nil && sym.Kind == analysis.SymBackend && sym.Decl == nil {
			add(name, serviceListed)
		}
	}
	// Externals the options did not list in order (a program built by
	// hand) still count, by name.
	var rest []string
	for name, sym := range e.prog.Globals {
		if sym.Kind == analysis.SymBackend && sym.Decl == nil {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		add(name, serviceListed)
	}
	declared := e.declaredNames()
	for _, name := range ReferencedBackends(e.prog) {
		if _, ok := e.backends[name]; ok || e.directors[name] != nil {
			continue
		}
		if near := suggest.Best(name, declared); near != "" {
			e.typos[name] = near
			continue
		}
		add(name, serviceReferenced)
	}
	if e.defaultBackend == "" {
		add(ImplicitDefaultBackend, serviceImplicit)
	}
}

// declaredNames lists the backends and directors the VCL declares.
func (e *Engine) declaredNames() []string {
	var out []string
	for name, b := range e.backends {
		if b.service == "" {
			out = append(out, name)
		}
	}
	for name := range e.directors {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// serviceOrigin is the origin for a service backend: the one configured for
// its name, else the fallback. An origin that only reaches declared hosts
// (--origin declared) hands service backends to the origin it names for
// them, since they have no host in the VCL.
func (e *Engine) serviceOrigin(name string) Origin {
	o := e.originFor(name)
	if d, ok := o.(DeclaredOnly); ok {
		return d.ServiceOrigin()
	}
	return o
}

// DeclaredOnly is implemented by an origin that contacts the host and port
// each backend declares in VCL (`--origin declared`). Service backends have
// none; ServiceOrigin answers for them.
type DeclaredOnly interface {
	Origin
	ServiceOrigin() Origin
}

// ReferencedBackends lists, in source order without repeats, the names
// used where a backend is expected that the checker could not resolve to a
// declaration: the service backends, and any misspelt backend names.
func ReferencedBackends(p *analysis.Program) []string {
	type ref struct {
		name string
		file int
		pos  syntax.Pos
	}
	var refs []ref
	for i, f := range p.Files {
		syntax.Inspect(f, func(n syntax.Node) bool {
			id, ok := n.(*syntax.Ident)
			if !ok || p.RefOf(id) != nil || p.TypeOf(id) != catalog.TypeBackend || id.Name == "" || strings.ContainsAny(id.Name, ".:") {
				return true
			}
			refs = append(refs, ref{id.Name, i, id.Start})
			return true
		})
	}
	sort.SliceStable(refs, func(i, j int) bool {
		if refs[i].file != refs[j].file {
			return refs[i].file < refs[j].file
		}
		return refs[i].pos < refs[j].pos
	})
	seen := map[string]bool{}
	var out []string
	for _, r := range refs {
		if !seen[r.name] {
			seen[r.name] = true
			out = append(out, r.name)
		}
	}
	return out
}

// ServiceBackends maps each of the engine's service backends to why it is
// one ("not declared in VCL", "listed under declarations.backends …"); the
// one #FASTLY recv selects is DefaultBackend.
func (e *Engine) ServiceBackends() map[string]string {
	out := map[string]string{}
	for name, b := range e.backends {
		if b.service != "" {
			out[name] = b.service
		}
	}
	return out
}

// DefaultBackend is the backend `#FASTLY recv` selects.
func (e *Engine) DefaultBackend() string { return e.defaultBackend }

// serviceNote returns the one-line note printed the first time a service
// backend answers in this engine, and "" after that (or for a declared
// backend).
func (x *execState) serviceNote(b *backendInfo) string {
	if b.service == "" {
		return ""
	}
	if _, seen := x.e.announced.LoadOrStore(b.name, true); seen {
		return ""
	}
	what := "a service backend"
	if b.service == serviceImplicit {
		what = "the service's default backend"
	}
	note := fmt.Sprintf("%s: %s; treated as %s answered by %s", b.name, b.service, what, describeOrigin(b.origin))
	if b.service == serviceReferenced && b.name == x.e.defaultBackend {
		note += defaultGuessNote
	}
	return note
}

// describeOrigin names who answers for a backend, for notes: an origin
// that implements fmt.Stringer says it itself.
func describeOrigin(o Origin) string {
	if s, ok := o.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", o)
}

// undefinedBackendError is the error of a backend request for a name that
// is neither declared nor a service backend.
func (e *Engine) undefinedBackendError(name string) string {
	if name == "" {
		return "req.backend names no backend: declare one in VCL, list the service's backends under declarations.backends in .vclide.yaml, or answer them with --origin URL"
	}
	msg := "backend " + name + " is not defined"
	if near := e.typos[name]; near != "" {
		msg += " (did you mean " + near + "?)"
	} else if near := suggest.Best(name, e.declaredNames()); near != "" {
		msg += " (did you mean " + near + "?)"
	}
	return msg + ": if it lives in the Fastly service, list it under declarations.backends in .vclide.yaml; --origin URL or a scenario backends entry then answers it"
}
