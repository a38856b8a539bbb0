package interp

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/vclide/vclide/cache"
)

// Edge Side Includes, as Fastly's esi statement reference documents them
// (https://www.fastly.com/documentation/reference/vcl/statements/esi):
//
//   - `esi;` (or beresp.do_esi) in vcl_fetch flags the object; the delivered
//     body is parsed after vcl_deliver, on every delivery (the cached object
//     keeps the flag and its unprocessed body).
//   - Only include, comment and remove are supported; `<!--esi ... -->`
//     wrappers are removed and their content processed.
//   - Each include is a new client request to the service, with a copy of
//     the parent's request headers; an absolute src sets Host. In the child
//     req.topurl is the parent's req.url, req.esi_level is one more than the
//     parent's and req.is_esi_subreq is true. Includes run one after the
//     other.
//   - At most 5 levels of includes and 256 includes in all per page.
//   - A compressed response is delivered unprocessed.
//
// Markup the parser does not understand (an unsupported esi: element, a tag
// that is not closed, an include without src, an include past a limit) is
// passed through unchanged: the simulator's choice, since the documentation
// does not say what Fastly's parser does with it.
const (
	esiMaxDepth    = 5
	esiMaxIncludes = 256
)

// ESIInclude is one <esi:include> of a delivered body.
type ESIInclude struct {
	// Src is the include's src attribute as written.
	Src string
	// Level is the subrequest's req.esi_level (1 for an include of the
	// client's page).
	Level int
	// Result is the subrequest's outcome (its own ESI includes in
	// Result.ESI); nil when the include was not made.
	Result *Result
	// Skipped says why the include was not made (a limit, a bad src).
	Skipped string
}

// Label names the subrequest in output and in the debugger: "esi GET /frag".
func (i *ESIInclude) Label() string {
	u := i.Src
	if i.Result != nil {
		u = i.Result.Request.URL
	}
	return "esi GET " + u
}

// esiCount is the include budget shared by every request of one page.
type esiCount struct{ n int }

// applyESI processes the response body when vcl_fetch asked for ESI, the
// request allows it (req.esi) and the body is not compressed.
func (x *execState) applyESI() {
	r := x.resp
	if r == nil || !r.doESI || !x.req.esi || len(r.body) == 0 {
		return
	}
	if ce, _ := headerGet(r.header, "Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		if x.hooks != nil {
			x.event("esi", "not processed: the response is compressed ("+ce+")")
		}
		return
	}
	if x.esiBudget == nil {
		x.esiBudget = &esiCount{}
	}
	r.body = x.esiProcess(r.body)
	// The spliced body has a new length; Fastly streams it.
	headerDel(r.header, "Content-Length")
}

// esiProcess returns body with its ESI markup applied.
func (x *execState) esiProcess(body []byte) []byte {
	var out bytes.Buffer
	for len(body) > 0 {
		i := bytes.IndexByte(body, '<')
		if i < 0 {
			out.Write(body)
			break
		}
		out.Write(body[:i])
		body = body[i:]
		switch {
		case bytes.HasPrefix(body, []byte("<!--esi")):
			end := bytes.Index(body, []byte("-->"))
			if end < 0 {
				out.Write(body) // not closed: passed through
				return out.Bytes()
			}
			out.Write(x.esiProcess(body[len("<!--esi"):end]))
			body = body[end+len("-->"):]
		case bytes.HasPrefix(body, []byte("<esi:remove>")):
			end := bytes.Index(body, []byte("</esi:remove>"))
			if end < 0 {
				out.Write(body)
				return out.Bytes()
			}
			body = body[end+len("</esi:remove>"):]
		case bytes.HasPrefix(body, []byte("<esi:comment")):
			tag, rest, ok := esiTag(body)
			if !ok || !tag.selfClosing {
				out.WriteString("<")
				body = body[1:]
				continue
			}
			body = rest
		case bytes.HasPrefix(body, []byte("<esi:include")):
			tag, rest, ok := esiTag(body)
			if !ok {
				out.WriteString("<")
				body = body[1:]
				continue
			}
			if !tag.selfClosing {
				// <esi:include ...></esi:include>
				const closing = "</esi:include>"
				if !bytes.HasPrefix(rest, []byte(closing)) {
					out.WriteString("<")
					body = body[1:]
					continue
				}
				rest = rest[len(closing):]
			}
			raw := body[:len(body)-len(rest)]
			if spliced, ok := x.esiInclude(tag.src); ok {
				out.Write(spliced)
			} else {
				out.Write(raw)
			}
			body = rest
		default:
			out.WriteString("<")
			body = body[1:]
		}
	}
	return out.Bytes()
}

// esiTagInfo is what the parser needs from one esi: start tag.
type esiTagInfo struct {
	src         string
	hasSrc      bool
	selfClosing bool
}

// esiTag reads a start tag at the beginning of b ("<esi:include src=... />")
// and returns it with the bytes after it; ok is false when the tag is not
// closed by ">".
func esiTag(b []byte) (esiTagInfo, []byte, bool) {
	var t esiTagInfo
	i := bytes.IndexAny(b, " \t\r\n/>")
	if i < 0 {
		return t, nil, false
	}
	p := i
	for p < len(b) {
		c := b[p]
		switch {
		case c == '>':
			return t, b[p+1:], true
		case c == '/' && p+1 < len(b) && b[p+1] == '>':
			t.selfClosing = true
			return t, b[p+2:], true
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/':
			p++
		default:
			// name[=value]
			start := p
			for p < len(b) && b[p] != '=' && b[p] != '>' && b[p] != ' ' && b[p] != '/' {
				p++
			}
			name := string(b[start:p])
			val := ""
			if p < len(b) && b[p] == '=' {
				p++
				if p >= len(b) {
					return t, nil, false
				}
				if q := b[p]; q == '"' || q == '\'' {
					end := bytes.IndexByte(b[p+1:], q)
					if end < 0 {
						return t, nil, false
					}
					val = string(b[p+1 : p+1+end])
					p += end + 2
				} else {
					s := p
					for p < len(b) && b[p] != ' ' && b[p] != '>' && !(b[p] == '/' && p+1 < len(b) && b[p+1] == '>') {
						p++
					}
					val = string(b[s:p])
				}
			}
			if name == "src" {
				t.src, t.hasSrc = val, true
			}
		}
	}
	return t, nil, false
}

// esiInclude makes the subrequest for src and returns its body; ok is false
// when the include is not made (then the tag is passed through).
func (x *execState) esiInclude(src string) (body []byte, ok bool) {
	inc := &ESIInclude{Src: src, Level: x.req.esiLevel + 1}
	x.res.ESI = append(x.res.ESI, inc)
	switch {
	case src == "":
		inc.Skipped = "no src attribute"
	case inc.Level > esiMaxDepth:
		inc.Skipped = "deeper than 5 levels of esi:include"
	case x.esiBudget.n >= esiMaxIncludes:
		inc.Skipped = "more than 256 esi:include fragments in the page"
	}
	host, _ := headerGet(x.req.header, "Host")
	target, newHost, err := esiTarget(host, x.req.url, src)
	if err != nil && inc.Skipped == "" {
		inc.Skipped = "bad src: " + err.Error()
	}
	if inc.Skipped != "" {
		if x.hooks != nil {
			x.event("esi", "include "+src+" not made: "+inc.Skipped)
		}
		return nil, false
	}
	x.esiBudget.n++
	hdr := x.res.Request.Header.Clone()
	if hdr == nil {
		hdr = http.Header{}
	}
	if newHost != "" {
		hdr.Set("Host", newHost)
	} else if host != "" {
		hdr.Set("Host", host)
	}
	in := Request{Method: http.MethodGet, URL: target, Header: hdr, ClientIP: x.res.Request.ClientIP, TLS: x.res.Request.TLS}
	c := x.e.newChildExec(x, in, "esi GET "+target)
	c.req.esiLevel = inc.Level
	c.req.topurl = x.req.url
	c.esiBudget = x.esiBudget
	sh, _ := c.hooks.(SubrequestHooks)
	if sh != nil {
		sh.SubrequestStart(x.xp, c.xp)
	}
	c.runSafe()
	res := c.finish()
	if c.bgJobs != nil {
		c.runBackground(res)
	}
	if sh != nil {
		sh.SubrequestEnd(x.xp, c.xp)
	}
	inc.Result = res
	if x.hooks != nil {
		x.event("esi", "include "+target+" → "+res.State)
	}
	return res.Response.Body, true
}

// esiTarget resolves an include's src against the parent request: the
// path and query to request, and the Host header when src names a host.
func esiTarget(host, parentURL, src string) (target, newHost string, err error) {
	base, err := url.Parse("http://" + host + parentURL)
	if err != nil {
		base = &url.URL{Scheme: "http", Host: host, Path: "/"}
	}
	ref, err := url.Parse(strings.TrimSpace(src))
	if err != nil {
		return "", "", err
	}
	u := base.ResolveReference(ref)
	if ref.IsAbs() && ref.Scheme != "http" && ref.Scheme != "https" {
		return "", "", errString("an absolute src must start with http:// or https://")
	}
	if ref.Host != "" {
		newHost = ref.Host
	}
	return u.RequestURI(), newHost, nil
}

// newChildExec prepares a request made by another one (an ESI include): it
// starts on the parent's delivery node, as the node that parses the page
// makes it.
func (e *Engine) newChildExec(parent *execState, in Request, label string) *execState {
	e.requests++
	x := &execState{e: e, ctx: parent.ctx, hooks: e.cfg.Hooks, seq: e.requests, sublabel: label}
	if x.hooks != nil {
		x.xp = &Exec{impl: x}
		x.parentX = parent.xp
	}
	x.start = e.clock.Now()
	x.res = &Result{Request: in}
	x.req = newReq(in)
	x.delivery = parent.delivery
	x.node = x.delivery
	x.req.backend = e.defaultBackend
	x.addFastlyHeaders()
	x.state = cache.StateNone
	return x
}
