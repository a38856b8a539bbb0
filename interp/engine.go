package interp

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/cache"
	"github.com/vclide/vclide/interp/builtin"
	"github.com/vclide/vclide/interp/value"
)

// Engine runs requests through one compiled VCL program on a simulated POP.
// Everything that depends only on the program (subroutine bodies, variable
// bindings, regular expressions, ACLs, tables, backends, directors) is
// prepared once by New, so the cost of a request does not grow with the size
// of the program.
//
// An Engine is safe for concurrent use. Do and DoConcurrent run one request
// at a time, because the POP, its caches and the virtual clock are shared
// state; Serve (live requests) also holds the engine while VCL runs, but
// lets go of it while the origin answers (see live.go).
type Engine struct {
	cfg   Config
	prog  *analysis.Program
	clock *cache.VirtualClock
	pop   *cache.POP

	mu       sync.Mutex
	requests int64

	subs     map[string]*csub
	builtins [catalog.NumSubs]*csub
	// Unit tests: compiled test subroutines and describe hooks, test-file
	// subroutines by name (mock targets), and the clock's start.
	tests      map[*analysis.Sub]*csub
	testByName map[string]*csub
	testStart  time.Time

	backends       map[string]*backendInfo
	defaultBackend string
	typos          map[string]string // referenced backend name → the declared one it misspells
	announced      sync.Map          // service backends already noted (name → true)
	directors      map[string]*director
	acls           map[string]*aclInfo
	tables         map[string]map[string]value.Value

	rateLimits *builtin.RateLimits
	regexps    map[string]regexEntry // compiled once, shared by every request
	usesGroups bool                  // some code reads re.group.N: ~ keeps captures
	vclMD5     string
	names      sync.Map        // runtime name resolution cache: string → cvar
	bgInFlight map[string]bool // background fetches running (node, key, variant)
	live       liveState       // coordination of the requests run by Serve
}

// New compiles cfg.Program for execution. It fails when the program has
// error diagnostics (listing them), or when a declaration cannot be
// prepared (an ACL entry that is not an address, for example).
func New(cfg Config) (*Engine, error) {
	p := cfg.Program
	if p == nil {
		return nil, errors.New("interp: no program")
	}
	var errs []string
	for _, d := range p.Diagnostics {
		if d.Severity != analysis.SeverityError {
			continue
		}
		if d.File == nil {
			errs = append(errs, d.Message)
			continue
		}
		pos := d.File.Position(d.Range.Start)
		errs = append(errs, fmt.Sprintf("%s:%d:%d: %s", d.File.Name, pos.Line, pos.Col, d.Message))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("interp: the program has %d error(s):\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
	if cfg.Nodes <= 0 {
		cfg.Nodes = cache.DefaultNodes
	}
	if cfg.Clock == nil {
		cfg.Clock = cache.NewVirtualClock(time.Time{})
	}
	if cfg.Fallback == nil {
		cfg.Fallback = EmbeddedOrigin{}
	}
	e := &Engine{
		cfg:        cfg,
		prog:       p,
		clock:      cfg.Clock,
		pop:        newPOP(cfg),
		subs:       map[string]*csub{},
		tests:      map[*analysis.Sub]*csub{},
		testByName: map[string]*csub{},
		testStart:  cfg.Clock.Now(),
		backends:   map[string]*backendInfo{},
		typos:      map[string]string{},
		directors:  map[string]*director{},
		acls:       map[string]*aclInfo{},
		tables:     map[string]map[string]value.Value{},
		rateLimits: builtin.NewRateLimits(),
	}
	if p.Root != nil && p.Root.Source != nil {
		sum := md5.Sum([]byte(p.Root.Source.Text))
		e.vclMD5 = hex.EncodeToString(sum[:])
	}
	if err := e.compileGlobals(); err != nil {
		return nil, err
	}
	if err := e.compileSubs(); err != nil {
		return nil, err
	}
	return e, nil
}

// newPOP builds the POP with the configured retention of expired objects.
func newPOP(cfg Config) *cache.POP {
	p := cache.New(cfg.Nodes, cfg.Seed)
	keep := cfg.KeepExpired
	if keep == 0 {
		keep = DefaultKeepExpired
	}
	p.SetKeepExpired(keep)
	return p
}

// Clock returns the engine's virtual clock; advance it between requests to
// age cached objects.
func (e *Engine) Clock() *cache.VirtualClock { return e.clock }

// POP returns the simulated point of presence (its nodes and caches).
func (e *Engine) POP() *cache.POP { return e.pop }

// Program returns the program the engine runs.
func (e *Engine) Program() *analysis.Program { return e.prog }

// Purge purges the object stored for url (a URL with a host, such as
// "http://example.com/a", or a path, in which case the host is
// "example.com") on every node, softly (marking it stale) or not. It
// purges the keys Fastly's default vcl_hash and its boilerplate build: the
// path and query followed by the host, and the host followed by the path
// and query. It returns the number of objects touched.
func (e *Engine) Purge(url string, soft bool) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	host, path := "example.com", url
	if i := strings.Index(url, "://"); i >= 0 {
		rest := url[i+3:]
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			host, path = rest, "/"
		} else {
			host, path = rest[:j], rest[j:]
		}
	}
	host = strings.ToLower(host)
	n := e.pop.PurgeKey(path+host, soft, e.clock.Now())
	n += e.pop.PurgeKey(host+path, soft, e.clock.Now())
	return n
}

// PurgeKey purges one cache key (a req.hash value) on every node.
func (e *Engine) PurgeKey(key string, soft bool) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.pop.PurgeKey(key, soft, e.clock.Now())
}

// PurgeSurrogateKey purges every object tagged with the surrogate key on
// every node, softly or not, and returns the number of objects touched.
func (e *Engine) PurgeSurrogateKey(key string, soft bool) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.pop.PurgeSurrogateKey(key, soft, e.clock.Now())
}

// Do runs one client request through the program and returns its outcome.
func (e *Engine) Do(ctx context.Context, req Request) *Result {
	e.mu.Lock()
	defer e.mu.Unlock()
	x := e.newExec(ctx, req)
	x.runSafe()
	res := x.finish()
	if x.bgJobs != nil {
		x.runBackground(res)
	}
	x.release()
	return res
}

// ---------------------------------------------------------------------------
// Globals

// backendInfo is a backend: declared in VCL, or a service backend.
type backendInfo struct {
	name string
	// service says why this is a service backend (one that lives in the
	// Fastly service, not in the VCL); "" for a backend the VCL declares.
	service                                               string
	host                                                  string
	port                                                  int64
	ssl                                                   bool
	connectTimeout, firstByteTimeout, betweenBytesTimeout time.Duration
	origin                                                Origin
	ip                                                    netip.Addr
}

// aclInfo is a compiled ACL: its entries as prefixes.
type aclInfo struct {
	name    string
	entries []aclEntry
}

type aclEntry struct {
	prefix  netip.Prefix
	negated bool
}

// match reports whether ip matches the ACL: the most specific matching
// entry decides, and a negated entry excludes.
func (a *aclInfo) match(ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	ip = ip.Unmap()
	best := -1
	neg := false
	for _, en := range a.entries {
		if en.prefix.Contains(ip) && en.prefix.Bits() > best {
			best, neg = en.prefix.Bits(), en.negated
		}
	}
	return best >= 0 && !neg
}

func (e *Engine) compileGlobals() error {
	var errs []string
	// Backends in declaration order: the first is the default backend.
	var decls []*analysis.Symbol
	for _, s := range e.prog.Globals {
		decls = append(decls, s)
	}
	sort.Slice(decls, func(i, j int) bool { return declBefore(e.prog, decls[i], decls[j]) })
	for _, sym := range decls {
		switch d := sym.Decl.(type) {
		case *syntax.BackendDecl:
			b := e.compileBackend(sym.Name, d)
			e.backends[sym.Name] = b
			if e.defaultBackend == "" {
				e.defaultBackend = sym.Name
			}
		case *syntax.DirectorDecl:
			e.directors[sym.Name] = compileDirector(sym.Name, d)
		case *syntax.ACLDecl:
			a, err := compileACL(sym.Name, d)
			if err != nil {
				errs = append(errs, err.Error())
			}
			e.acls[sym.Name] = a
		case *syntax.TableDecl:
			t, err := compileTable(d, sym.Type)
			if err != nil {
				errs = append(errs, err.Error())
			}
			e.tables[sym.Name] = t
		case nil:
			// External declarations (from .vclide.yaml): backends are
			// service backends (compileServiceBackends); ACLs and tables
			// are empty.
			switch sym.Kind {
			case analysis.SymACL:
				e.acls[sym.Name] = &aclInfo{name: sym.Name}
			case analysis.SymTable:
				e.tables[sym.Name] = map[string]value.Value{}
			}
		}
	}
	e.compileServiceBackends()
	// Origins configured for other names answer for those names too.
	for name := range e.cfg.Backends {
		if _, ok := e.backends[name]; !ok && e.directors[name] == nil {
			e.backends[name] = &backendInfo{name: name, port: 80, origin: e.serviceOrigin(name), ip: serviceAddr}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("interp: %s", strings.Join(errs, "; "))
	}
	return nil
}

// declBefore orders symbols by file (load order) and position; external
// symbols come last, by name.
func declBefore(p *analysis.Program, a, b *analysis.Symbol) bool {
	fa, fb := fileIndex(p, a), fileIndex(p, b)
	if fa != fb {
		return fa < fb
	}
	if a.Decl == nil || b.Decl == nil {
		return a.Name < b.Name
	}
	return a.Decl.Span().Start < b.Decl.Span().Start
}

func fileIndex(p *analysis.Program, s *analysis.Symbol) int {
	if s.Decl == nil {
		return len(p.Files)
	}
	for i, f := range p.Files {
		if f.Source == s.NameLoc.File {
			return i
		}
	}
	return len(p.Files)
}

func (e *Engine) originFor(name string) Origin {
	if o, ok := e.cfg.Backends[name]; ok && o != nil {
		return o
	}
	return e.cfg.Fallback
}

func (e *Engine) compileBackend(name string, d *syntax.BackendDecl) *backendInfo {
	b := &backendInfo{name: name, port: 80, origin: e.originFor(name)}
	if d.Body == nil {
		return b
	}
	for _, p := range d.Body.Props {
		if p.Name == nil || p.Value == nil {
			continue
		}
		v, err := constValue(p.Value, catalog.TypeUnknown)
		if err != nil {
			continue
		}
		switch p.Name.Name {
		case "host":
			b.host = v.String()
			if a, err := netip.ParseAddr(b.host); err == nil {
				b.ip = a
			}
		case "port":
			if n, err := value.ToInteger(v); err == nil {
				b.port = n
			}
		case "ssl":
			b.ssl = v.T == catalog.TypeBool && v.Bool
		case "connect_timeout":
			b.connectTimeout, _ = value.ToRTime(v)
		case "first_byte_timeout":
			b.firstByteTimeout, _ = value.ToRTime(v)
		case "between_bytes_timeout":
			b.betweenBytesTimeout, _ = value.ToRTime(v)
		}
	}
	if !b.ip.IsValid() {
		// A documentation address stands for the resolved host.
		b.ip = serviceAddr
	}
	return b
}

func compileACL(name string, d *syntax.ACLDecl) (*aclInfo, error) {
	a := &aclInfo{name: name}
	for _, en := range d.Entries {
		if en.Addr == nil {
			continue
		}
		addr, err := netip.ParseAddr(strings.TrimSpace(en.Addr.Value))
		if err != nil {
			return a, fmt.Errorf("acl %s: %q is not an IP address", name, en.Addr.Value)
		}
		addr = addr.Unmap()
		bits := addr.BitLen()
		if en.Mask >= 0 && en.Mask <= bits {
			bits = en.Mask
		}
		pfx, err := addr.Prefix(bits)
		if err != nil {
			return a, fmt.Errorf("acl %s: %v", name, err)
		}
		a.entries = append(a.entries, aclEntry{prefix: pfx, negated: en.Negated})
	}
	return a, nil
}

func compileTable(d *syntax.TableDecl, t catalog.Type) (map[string]value.Value, error) {
	m := make(map[string]value.Value, len(d.Entries))
	for _, en := range d.Entries {
		if en.Key == nil || en.Value == nil {
			continue
		}
		v, err := constValue(en.Value, t)
		if err != nil {
			return m, fmt.Errorf("table %s: entry %q: %v", d.Name.Name, en.Key.Value, err)
		}
		m[en.Key.Value] = v
	}
	return m, nil
}

// constValue evaluates a literal (or a bare name) from a declaration,
// converted to t when t is known.
func constValue(ex syntax.Expr, t catalog.Type) (value.Value, error) {
	var v value.Value
	switch ex := ex.(type) {
	case *syntax.StringLit:
		v = value.String(ex.Value)
	case *syntax.IntLit:
		v = value.Integer(ex.Value)
	case *syntax.FloatLit:
		v = value.Float(ex.Value)
	case *syntax.BoolLit:
		v = value.Bool(ex.Value)
	case *syntax.DurationLit:
		v = value.RTime(time.Duration(ex.Seconds * float64(time.Second)))
	case *syntax.IPLit:
		a, err := netip.ParseAddr(ex.Raw)
		if err != nil {
			return v, err
		}
		v = value.IP(a)
	case *syntax.Ident:
		v = value.ID(ex.Name)
	case *syntax.ParenExpr:
		return constValue(ex.X, t)
	case *syntax.UnaryExpr:
		inner, err := constValue(ex.X, t)
		if err != nil || ex.Op != syntax.MINUS {
			return inner, err
		}
		switch inner.T {
		case catalog.TypeInteger:
			inner.Int = -inner.Int
		case catalog.TypeFloat:
			inner.Float = -inner.Float
		case catalog.TypeRTime:
			inner.Dur = -inner.Dur
		}
		return inner, nil
	default:
		return v, fmt.Errorf("not a literal")
	}
	switch t {
	case catalog.TypeUnknown, catalog.TypeAny:
		return v, nil
	case catalog.TypeBackend, catalog.TypeACL:
		return value.Value{T: t, Str: v.String()}, nil
	}
	return convertFor(v, t)
}
