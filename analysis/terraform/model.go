// Package terraform reads Fastly VCL services defined with Terraform's
// Fastly provider: the fastly_service_vcl resources of *.tf files (parsed
// with HCL and evaluated only where the value is static) or of the JSON
// that `terraform show -json` prints. It never guesses: a value it cannot
// work out statically is left out and reported as a Warning at its
// position.
package terraform

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Pos is a position in a file: 1-based line and column (in bytes), and the
// byte offset.
type Pos struct {
	File   string
	Line   int
	Col    int
	Offset int
}

// Warning is a problem found while reading the Terraform configuration: a
// syntax error, or an expression that cannot be evaluated statically. The
// value it concerns is left out.
type Warning struct {
	Pos
	Message string
}

// String formats the warning as "file:line:col: message".
func (w Warning) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", w.File, w.Line, w.Col, w.Message)
}

// Content is VCL text taken from the configuration.
type Content struct {
	// Text is the VCL.
	Text string
	// File is where the text lives: the file file() or templatefile()
	// read, or the .tf (or JSON) file that holds it inline.
	File string
	// Inline is true when the text is written inside File (a heredoc or a
	// string) rather than being the whole of File.
	Inline bool
	// InPlace is true for inline text that appears byte for byte at Start
	// in File (a heredoc without interpolations), so positions in Text map
	// to File exactly.
	InPlace bool
	// Start is where the text (or, when not in place, its expression)
	// begins in File.
	Start Pos
	// End is where in-place text ends in File (exclusive).
	End Pos
}

// VCL is a `vcl` block: a custom VCL file of the service.
type VCL struct {
	Name    string
	Main    bool
	Content Content
}

// Snippet is a `snippet` block.
type Snippet struct {
	Name string
	// Type is where Fastly puts the snippet: init, recv, hash, hit, miss,
	// pass, fetch, error, deliver, log or none.
	Type     string
	Priority int
	Content  Content
	Decl     Pos
}

// SnippetTypes are the snippet types Fastly accepts.
var SnippetTypes = []string{"init", "recv", "hash", "hit", "miss", "pass", "fetch", "error", "deliver", "log", "none"}

// ValidSnippetType reports whether t is one of SnippetTypes.
func ValidSnippetType(t string) bool {
	for _, s := range SnippetTypes {
		if s == t {
			return true
		}
	}
	return false
}

// DefaultSnippetPriority is the priority of a snippet that sets none.
const DefaultSnippetPriority = 100

// Backend is a `backend` block. Zero fields were not given.
type Backend struct {
	Name            string
	Address         string
	Port            int
	UseSSL          bool
	SSLCertHostname string
	SSLSNIHostname  string
	OverrideHost    string
	Shield          string
	Healthcheck     string
	AutoLoadbalance bool
	Weight          int
	// Timeouts in milliseconds.
	ConnectTimeout      int
	FirstByteTimeout    int
	BetweenBytesTimeout int
	MaxConns            int
	RequestCondition    string
	Decl                Pos
}

// VCLName is the name the backend has in the VCL Fastly generates:
// F_ followed by the name with every character other than a letter, a
// digit or an underscore replaced by an underscore.
func (b *Backend) VCLName() string { return VCLBackendName(b.Name) }

// VCLBackendName is the generated VCL name of a backend called name.
func VCLBackendName(name string) string {
	var sb strings.Builder
	sb.WriteString("F_")
	for _, r := range name {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	return sb.String()
}

// Healthcheck is a `healthcheck` block. Zero fields were not given.
type Healthcheck struct {
	Name             string
	Host             string
	Path             string
	Method           string
	HTTPVersion      string
	ExpectedResponse int
	Interval         int // ms
	Timeout          int // ms
	Window           int
	Threshold        int
	Initial          int
	// Set records which of the optional integer fields were given.
	Set map[string]bool
}

// Dictionary is a `dictionary` block with its items, when a
// fastly_service_dictionary_items resource (or the state) gives them.
type Dictionary struct {
	Name     string
	Items    map[string]string
	HasItems bool
	// ID is the dictionary_id from the state, used to match items.
	ID string
}

// SortedKeys lists the item keys in order.
func (d *Dictionary) SortedKeys() []string {
	keys := make([]string, 0, len(d.Items))
	for k := range d.Items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ACLEntry is one entry of an ACL.
type ACLEntry struct {
	IP      string
	Subnet  int // 0: none
	Negated bool
	Comment string
}

// ACL is an `acl` block with its entries, when a fastly_service_acl_entries
// resource (or the state) gives them.
type ACL struct {
	Name       string
	Entries    []ACLEntry
	HasEntries bool
	ID         string
}

// Service is one fastly_service_vcl resource.
type Service struct {
	// Address is the resource address, e.g. fastly_service_vcl.shop.
	Address string
	// Name is the service's name attribute ("" when not static).
	Name string
	// File is the .tf or JSON file that defines the resource; Decl is
	// where.
	File         string
	Decl         Pos
	VCLs         []*VCL
	Snippets     []*Snippet
	Backends     []*Backend
	Healthchecks []*Healthcheck
	Dictionaries []*Dictionary
	ACLs         []*ACL
}

// Main returns the main VCL, or nil when there is none.
func (s *Service) Main() *VCL {
	for _, v := range s.VCLs {
		if v.Main {
			return v
		}
	}
	return nil
}

// Healthcheck returns the healthcheck called name.
func (s *Service) HealthcheckNamed(name string) *Healthcheck {
	for _, h := range s.Healthchecks {
		if h.Name == name {
			return h
		}
	}
	return nil
}

// SnippetsOfType lists the snippets of one type in execution order: by
// priority (lower first), then in the order the configuration lists them.
func (s *Service) SnippetsOfType(t string) []*Snippet {
	var out []*Snippet
	for _, sn := range s.Snippets {
		if sn.Type == t {
			out = append(out, sn)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Priority < out[j].Priority })
	return out
}

// Label names the service for messages: its name, else its address.
func (s *Service) Label() string {
	if s.Name != "" {
		return s.Name
	}
	return s.Address
}

// Project is everything read from a module's .tf files (or a JSON file).
type Project struct {
	Services []*Service
	Warnings []Warning
	// Files are the files read: .tf files, the JSON file, and the files
	// file() and templatefile() read.
	Files []string
}

// ReadFunc reads a file under the caller's rules (workspace folders, size
// cap, regular files only).
type ReadFunc func(path string) (string, error)

// abs makes p absolute relative to dir.
func abs(dir, p string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}
