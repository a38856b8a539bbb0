package terraform

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// jsonModule is a module of `terraform show -json` output (state or plan).
type jsonModule struct {
	Resources    []jsonResource `json:"resources"`
	ChildModules []jsonModule   `json:"child_modules"`
}

type jsonResource struct {
	Address string         `json:"address"`
	Mode    string         `json:"mode"`
	Type    string         `json:"type"`
	Name    string         `json:"name"`
	Values  map[string]any `json:"values"`
}

type jsonShow struct {
	Values *struct {
		RootModule jsonModule `json:"root_module"`
	} `json:"values"`
	PlannedValues *struct {
		RootModule jsonModule `json:"root_module"`
	} `json:"planned_values"`
}

// LoadPlan reads the JSON that `terraform show -json` prints, for a state
// (values) or a saved plan (planned_values). VCL content has no file
// there: match returns where the workspace holds the identical text (a
// .vcl file, or a heredoc of a .tf file) so positions and breakpoints land
// there, or false to keep it inline in the JSON file.
func LoadPlan(path string, read ReadFunc, match func(text string) (Content, bool)) (*Project, error) {
	text, err := read(path)
	if err != nil {
		return nil, err
	}
	var show jsonShow
	if err := json.Unmarshal([]byte(text), &show); err != nil {
		return nil, fmt.Errorf("%s: not the JSON of terraform show -json: %v", path, err)
	}
	var root *jsonModule
	switch {
	case show.PlannedValues != nil:
		root = &show.PlannedValues.RootModule
	case show.Values != nil:
		root = &show.Values.RootModule
	default:
		return nil, fmt.Errorf("%s: no values or planned_values: not the JSON of terraform show -json", path)
	}
	p := &planReader{path: path, text: text, match: match, proj: &Project{Files: []string{path}}}
	var all []jsonResource
	var walk func(m *jsonModule)
	walk = func(m *jsonModule) {
		all = append(all, m.Resources...)
		for i := range m.ChildModules {
			walk(&m.ChildModules[i])
		}
	}
	walk(root)
	for _, r := range all {
		if r.Type == ResourceType && r.Mode != "data" {
			p.proj.Services = append(p.proj.Services, p.service(r))
		}
	}
	for _, r := range all {
		switch r.Type {
		case "fastly_service_dictionary_items":
			p.dictionaryItems(r)
		case "fastly_service_acl_entries":
			p.aclEntries(r)
		}
	}
	return p.proj, nil
}

type planReader struct {
	path  string
	text  string
	match func(string) (Content, bool)
	proj  *Project
}

// at is the position of a resource in the JSON text (its address).
func (p *planReader) at(address string) Pos {
	i := strings.Index(p.text, strconv.Quote(address))
	if i < 0 {
		return Pos{File: p.path, Line: 1, Col: 1}
	}
	line := 1 + strings.Count(p.text[:i], "\n")
	col := i - strings.LastIndex(p.text[:i], "\n")
	return Pos{File: p.path, Line: line, Col: col, Offset: i}
}

func (p *planReader) warn(address, msg string) {
	p.proj.Warnings = append(p.proj.Warnings, Warning{p.at(address), msg})
}

func jstr(m map[string]any, k string) string {
	switch v := m[k].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

func jint(m map[string]any, k string) (int, bool) {
	switch v := m[k].(type) {
	case float64:
		return int(v), v == float64(int(v))
	case string:
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	return 0, false
}

func jbool(m map[string]any, k string) bool {
	b, _ := m[k].(bool)
	return b
}

func jlist(m map[string]any, k string) []map[string]any {
	var out []map[string]any
	l, _ := m[k].([]any)
	for _, e := range l {
		if em, ok := e.(map[string]any); ok {
			out = append(out, em)
		}
	}
	return out
}

func (p *planReader) content(address, what string, m map[string]any) (Content, bool) {
	text, ok := m["content"].(string)
	if !ok {
		p.warn(address, what+": content is not known (computed or missing); left out")
		return Content{}, false
	}
	if p.match != nil {
		if c, ok := p.match(text); ok {
			return c, true
		}
	}
	return Content{Text: text, File: p.path, Inline: true, Start: p.at(address)}, true
}

func (p *planReader) service(r jsonResource) *Service {
	v := r.Values
	s := &Service{Address: r.Address, Name: jstr(v, "name"), File: p.path, Decl: p.at(r.Address)}
	for _, e := range jlist(v, "vcl") {
		what := r.Address + " vcl " + strconv.Quote(jstr(e, "name"))
		if c, ok := p.content(r.Address, what, e); ok && jstr(e, "name") != "" {
			s.VCLs = append(s.VCLs, &VCL{Name: jstr(e, "name"), Main: jbool(e, "main"), Content: c})
		}
	}
	for _, e := range jlist(v, "snippet") {
		name, t := jstr(e, "name"), jstr(e, "type")
		what := r.Address + " snippet " + strconv.Quote(name)
		if !ValidSnippetType(t) {
			p.warn(r.Address, what+": type must be one of init, recv, hash, hit, miss, pass, fetch, error, deliver, log, none; left out")
			continue
		}
		c, ok := p.content(r.Address, what, e)
		if !ok || name == "" {
			continue
		}
		prio, ok := jint(e, "priority")
		if !ok {
			prio = DefaultSnippetPriority
		}
		s.Snippets = append(s.Snippets, &Snippet{Name: name, Type: t, Priority: prio, Content: c, Decl: s.Decl})
	}
	for _, e := range jlist(v, "backend") {
		if jstr(e, "name") == "" {
			continue
		}
		be := &Backend{Name: jstr(e, "name"), Address: jstr(e, "address"), UseSSL: jbool(e, "use_ssl"),
			SSLCertHostname: jstr(e, "ssl_cert_hostname"), SSLSNIHostname: jstr(e, "ssl_sni_hostname"),
			OverrideHost: jstr(e, "override_host"), Shield: jstr(e, "shield"), Healthcheck: jstr(e, "healthcheck"),
			AutoLoadbalance: jbool(e, "auto_loadbalance"), RequestCondition: jstr(e, "request_condition"), Decl: s.Decl}
		be.Port, _ = jint(e, "port")
		be.Weight, _ = jint(e, "weight")
		be.ConnectTimeout, _ = jint(e, "connect_timeout")
		be.FirstByteTimeout, _ = jint(e, "first_byte_timeout")
		be.BetweenBytesTimeout, _ = jint(e, "between_bytes_timeout")
		be.MaxConns, _ = jint(e, "max_conn")
		s.Backends = append(s.Backends, be)
	}
	for _, e := range jlist(v, "healthcheck") {
		h := &Healthcheck{Name: jstr(e, "name"), Host: jstr(e, "host"), Path: jstr(e, "path"), Method: jstr(e, "method"), HTTPVersion: jstr(e, "http_version"), Set: map[string]bool{}}
		for field, dst := range map[string]*int{"expected_response": &h.ExpectedResponse, "check_interval": &h.Interval, "timeout": &h.Timeout, "window": &h.Window, "threshold": &h.Threshold, "initial": &h.Initial} {
			if n, ok := jint(e, field); ok {
				*dst, h.Set[field] = n, true
			}
		}
		if h.Name != "" {
			s.Healthchecks = append(s.Healthchecks, h)
		}
	}
	for _, e := range jlist(v, "dictionary") {
		if jstr(e, "name") != "" {
			s.Dictionaries = append(s.Dictionaries, &Dictionary{Name: jstr(e, "name"), ID: jstr(e, "dictionary_id")})
		}
	}
	for _, e := range jlist(v, "acl") {
		if jstr(e, "name") != "" {
			s.ACLs = append(s.ACLs, &ACL{Name: jstr(e, "name"), ID: jstr(e, "acl_id")})
		}
	}
	return s
}

// byID finds a service's dictionary or ACL by its id: only the state
// knows ids (a plan leaves them unknown, and the items are then left out).
func (p *planReader) dictionaryItems(r jsonResource) {
	id := jstr(r.Values, "dictionary_id")
	for _, s := range p.proj.Services {
		for _, d := range s.Dictionaries {
			if id != "" && d.ID == id {
				items, _ := r.Values["items"].(map[string]any)
				d.Items, d.HasItems = map[string]string{}, true
				for k, v := range items {
					if sv, ok := v.(string); ok {
						d.Items[k] = sv
					}
				}
				return
			}
		}
	}
	p.warn(r.Address, r.Address+": no fastly_service_vcl dictionary has its dictionary_id (a plan does not know ids yet); left out")
}

func (p *planReader) aclEntries(r jsonResource) {
	id := jstr(r.Values, "acl_id")
	for _, s := range p.proj.Services {
		for _, a := range s.ACLs {
			if id == "" || a.ID != id {
				continue
			}
			a.HasEntries = true
			for _, e := range jlist(r.Values, "entry") {
				en := ACLEntry{IP: jstr(e, "ip"), Negated: jbool(e, "negated"), Comment: jstr(e, "comment")}
				if n, ok := jint(e, "subnet"); ok {
					en.Subnet = n
				}
				if en.IP != "" {
					a.Entries = append(a.Entries, en)
				}
			}
			return
		}
	}
	p.warn(r.Address, r.Address+": no fastly_service_vcl acl has its acl_id (a plan does not know ids yet); left out")
}
