package terraform

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// service reads one fastly_service_vcl resource block.
func (m *module) service(b *hclsyntax.Block) *Service {
	r := b.DefRange()
	s := &Service{Address: ResourceType + "." + b.Labels[1], File: r.Filename, Decl: posOf(r.Start, r.Filename)}
	body := b.Body
	for _, meta := range []string{"count", "for_each"} {
		if a := body.Attributes[meta]; a != nil {
			m.warn(a.Expr.Range(), s.Address+": "+meta+" is not evaluated; the service is read once")
		}
	}
	s.Name, _, _ = m.str(body, "name", s.Address)
	for _, blk := range body.Blocks {
		what := s.Address + " " + blk.Type
		switch blk.Type {
		case "dynamic":
			m.warn(blk.DefRange(), s.Address+": dynamic blocks are not evaluated statically; left out")
		case "vcl":
			if v := m.vcl(blk.Body, what); v != nil {
				s.VCLs = append(s.VCLs, v)
			}
		case "snippet":
			if sn := m.snippet(blk, what); sn != nil {
				s.Snippets = append(s.Snippets, sn)
			}
		case "backend":
			if be := m.backend(blk, what); be != nil {
				s.Backends = append(s.Backends, be)
			}
		case "healthcheck":
			if h := m.healthcheck(blk.Body, what); h != nil {
				s.Healthchecks = append(s.Healthchecks, h)
			}
		case "dictionary":
			if name, _, ok := m.str(blk.Body, "name", what); ok && name != "" {
				s.Dictionaries = append(s.Dictionaries, &Dictionary{Name: name})
			}
		case "acl":
			if name, _, ok := m.str(blk.Body, "name", what); ok && name != "" {
				s.ACLs = append(s.ACLs, &ACL{Name: name})
			}
		}
	}
	return s
}

// named reads the name of a block; "" (with a warning when absent) when
// it cannot.
func (m *module) named(body *hclsyntax.Body, what string, at hcl.Range) string {
	name, present, ok := m.str(body, "name", what)
	if !ok {
		return ""
	}
	if !present || name == "" {
		m.warn(at, what+" has no name; left out")
		return ""
	}
	return name
}

func (m *module) vcl(body *hclsyntax.Body, what string) *VCL {
	name := m.named(body, what, body.SrcRange)
	if name == "" {
		return nil
	}
	what += " " + strconv.Quote(name)
	v := &VCL{Name: name}
	v.Main, _ = m.boolean(body, "main", what)
	c, ok := m.requiredContent(body, body.SrcRange, what)
	if !ok {
		return nil
	}
	v.Content = c
	return v
}

// requiredContent reads the content attribute of a vcl or snippet block;
// a missing one is warned about at the given range.
func (m *module) requiredContent(body *hclsyntax.Body, at hcl.Range, what string) (Content, bool) {
	a := body.Attributes["content"]
	if a == nil {
		m.warn(at, what+" has no content; left out")
		return Content{}, false
	}
	return m.content(a, what+" content")
}

func (m *module) snippet(blk *hclsyntax.Block, what string) *Snippet {
	body := blk.Body
	name := m.named(body, what, blk.DefRange())
	if name == "" {
		return nil
	}
	what += " " + strconv.Quote(name)
	sn := &Snippet{Name: name, Priority: DefaultSnippetPriority, Decl: posOf(blk.DefRange().Start, blk.DefRange().Filename)}
	t, present, ok := m.str(body, "type", what)
	if !ok {
		return nil
	}
	if !present || !ValidSnippetType(t) {
		at := body.SrcRange
		if a := body.Attributes["type"]; a != nil {
			at = a.Expr.Range()
		}
		m.warn(at, what+": type must be one of init, recv, hash, hit, miss, pass, fetch, error, deliver, log, none; left out")
		return nil
	}
	sn.Type = t
	if p, ok := m.integer(body, "priority", what); ok {
		sn.Priority = p
	}
	c, ok := m.requiredContent(body, blk.DefRange(), what)
	if !ok {
		return nil
	}
	sn.Content = c
	return sn
}

func (m *module) backend(blk *hclsyntax.Block, what string) *Backend {
	body := blk.Body
	name := m.named(body, what, blk.DefRange())
	if name == "" {
		return nil
	}
	what += " " + strconv.Quote(name)
	be := &Backend{Name: name, Decl: posOf(blk.DefRange().Start, blk.DefRange().Filename)}
	be.Address, _, _ = m.str(body, "address", what)
	be.Port, _ = m.integer(body, "port", what)
	be.UseSSL, _ = m.boolean(body, "use_ssl", what)
	be.SSLCertHostname, _, _ = m.str(body, "ssl_cert_hostname", what)
	be.SSLSNIHostname, _, _ = m.str(body, "ssl_sni_hostname", what)
	be.OverrideHost, _, _ = m.str(body, "override_host", what)
	be.Shield, _, _ = m.str(body, "shield", what)
	be.Healthcheck, _, _ = m.str(body, "healthcheck", what)
	be.AutoLoadbalance, _ = m.boolean(body, "auto_loadbalance", what)
	be.Weight, _ = m.integer(body, "weight", what)
	be.ConnectTimeout, _ = m.integer(body, "connect_timeout", what)
	be.FirstByteTimeout, _ = m.integer(body, "first_byte_timeout", what)
	be.BetweenBytesTimeout, _ = m.integer(body, "between_bytes_timeout", what)
	be.MaxConns, _ = m.integer(body, "max_conn", what)
	be.RequestCondition, _, _ = m.str(body, "request_condition", what)
	return be
}

func (m *module) healthcheck(body *hclsyntax.Body, what string) *Healthcheck {
	name := m.named(body, what, body.SrcRange)
	if name == "" {
		return nil
	}
	what += " " + strconv.Quote(name)
	h := &Healthcheck{Name: name, Set: map[string]bool{}}
	h.Host, _, _ = m.str(body, "host", what)
	h.Path, _, _ = m.str(body, "path", what)
	h.Method, _, _ = m.str(body, "method", what)
	h.HTTPVersion, _, _ = m.str(body, "http_version", what)
	for field, dst := range map[string]*int{"expected_response": &h.ExpectedResponse, "check_interval": &h.Interval, "timeout": &h.Timeout, "window": &h.Window, "threshold": &h.Threshold, "initial": &h.Initial} {
		if n, ok := m.integer(body, field, what); ok {
			*dst = n
			h.Set[field] = true
		}
	}
	return h
}

// serviceRef finds the fastly_service_vcl a companion resource refers to
// (in service_id or for_each).
func (m *module) serviceRef(body *hclsyntax.Body) *Service {
	for _, attr := range []string{"service_id", "for_each"} {
		a := body.Attributes[attr]
		if a == nil {
			continue
		}
		for _, t := range a.Expr.Variables() {
			if t.RootName() != ResourceType || len(t) < 2 {
				continue
			}
			if ga, ok := t[1].(hcl.TraverseAttr); ok {
				for _, s := range m.proj.Services {
					if s.Address == ResourceType+"."+ga.Name {
						return s
					}
				}
			}
		}
	}
	return nil
}

// companionName finds which dictionary or ACL a companion resource fills:
// a comparison `….name == "static"` in its for_each or id expression (the
// Fastly provider's documented pattern).
func (m *module) companionName(body *hclsyntax.Body, idAttr string) (string, bool) {
	for _, attr := range []string{"for_each", idAttr} {
		a := body.Attributes[attr]
		if a == nil {
			continue
		}
		var found string
		hclsyntax.VisitAll(a.Expr, func(n hclsyntax.Node) hcl.Diagnostics {
			bin, ok := n.(*hclsyntax.BinaryOpExpr)
			if !ok || bin.Op != hclsyntax.OpEqual || found != "" {
				return nil
			}
			for _, pair := range [][2]hclsyntax.Expression{{bin.LHS, bin.RHS}, {bin.RHS, bin.LHS}} {
				if !endsInName(pair[0]) {
					continue
				}
				v, diags := pair[1].Value(m.ctx)
				if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
					continue
				}
				if sv, err := convert.Convert(v, cty.String); err == nil {
					found = sv.AsString()
				}
			}
			return nil
		})
		if found != "" {
			return found, true
		}
	}
	return "", false
}

// endsInName reports whether expr is a reference ending in `.name`.
func endsInName(expr hclsyntax.Expression) bool {
	var t hcl.Traversal
	switch e := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		t = e.Traversal
	case *hclsyntax.RelativeTraversalExpr:
		t = e.Traversal
	default:
		return false
	}
	if len(t) == 0 {
		return false
	}
	ga, ok := t[len(t)-1].(hcl.TraverseAttr)
	return ok && ga.Name == "name"
}

// dictionaryItems reads a fastly_service_dictionary_items resource.
func (m *module) dictionaryItems(b *hclsyntax.Block) {
	what := "fastly_service_dictionary_items." + b.Labels[1]
	s := m.serviceRef(b.Body)
	name, ok := m.companionName(b.Body, "dictionary_id")
	if s == nil || !ok {
		m.warn(b.DefRange(), what+": cannot tell statically which fastly_service_vcl dictionary it fills (write service_id = fastly_service_vcl.NAME.id and a for_each filtering on d.name == \"…\"); left out")
		return
	}
	var dict *Dictionary
	for _, d := range s.Dictionaries {
		if d.Name == name {
			dict = d
		}
	}
	if dict == nil {
		m.warn(b.DefRange(), what+": "+s.Address+" has no dictionary "+strconv.Quote(name)+"; left out")
		return
	}
	a := b.Body.Attributes["items"]
	if a == nil {
		return
	}
	v, ok := m.eval(a.Expr, what+" items")
	if !ok || v.IsNull() {
		return
	}
	mv, err := convert.Convert(v, cty.Map(cty.String))
	if err != nil {
		m.warn(a.Expr.Range(), what+" items: not a map of strings; left out")
		return
	}
	dict.Items, dict.HasItems = map[string]string{}, true
	for k, iv := range mv.AsValueMap() {
		dict.Items[k] = iv.AsString()
	}
}

// aclEntries reads a fastly_service_acl_entries resource.
func (m *module) aclEntries(b *hclsyntax.Block) {
	what := "fastly_service_acl_entries." + b.Labels[1]
	s := m.serviceRef(b.Body)
	name, ok := m.companionName(b.Body, "acl_id")
	if s == nil || !ok {
		m.warn(b.DefRange(), what+": cannot tell statically which fastly_service_vcl ACL it fills (write service_id = fastly_service_vcl.NAME.id and a for_each filtering on a.name == \"…\"); left out")
		return
	}
	var acl *ACL
	for _, a := range s.ACLs {
		if a.Name == name {
			acl = a
		}
	}
	if acl == nil {
		m.warn(b.DefRange(), what+": "+s.Address+" has no acl "+strconv.Quote(name)+"; left out")
		return
	}
	acl.HasEntries = true
	for _, blk := range b.Body.Blocks {
		switch blk.Type {
		case "dynamic":
			m.warn(blk.DefRange(), what+": dynamic blocks are not evaluated statically; left out")
		case "entry":
			ip, _, ok := m.str(blk.Body, "ip", what+" entry")
			if !ok || ip == "" {
				continue
			}
			e := ACLEntry{IP: ip}
			if sub, _, ok := m.str(blk.Body, "subnet", what+" entry"); ok && sub != "" {
				n, err := strconv.Atoi(sub)
				if err != nil {
					m.warn(blk.Body.Attributes["subnet"].Expr.Range(), what+" entry subnet: not a number; entry left out")
					continue
				}
				e.Subnet = n
			}
			e.Negated, _ = m.boolean(blk.Body, "negated", what+" entry")
			e.Comment, _, _ = m.str(blk.Body, "comment", what+" entry")
			acl.Entries = append(acl.Entries, e)
		}
	}
}
