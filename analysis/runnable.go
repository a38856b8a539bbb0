package analysis

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vclide/vclide/analysis/syntax"
)

// defaultBoilerplate is Fastly's recommended custom VCL boilerplate: every
// subroutine keeps its #FASTLY macro, followed by the small defaults. A
// snippet file runs inside it, at the #FASTLY line of its subroutine.
const defaultBoilerplate = `sub vcl_recv {
#FASTLY recv
  if (req.method != "HEAD" && req.method != "GET" && req.method != "FASTLYPURGE") {
    return(pass);
  }
  return(lookup);
}

sub vcl_hash {
#FASTLY hash
  set req.hash += req.url;
  set req.hash += req.http.host;
  return(hash);
}

sub vcl_hit {
#FASTLY hit
  return(deliver);
}

sub vcl_miss {
#FASTLY miss
  return(fetch);
}

sub vcl_pass {
#FASTLY pass
  return(pass);
}

sub vcl_fetch {
#FASTLY fetch
  if ((beresp.status == 500 || beresp.status == 503) && req.restarts < 1 && (req.method == "GET" || req.method == "HEAD")) {
    restart;
  }
  if (req.restarts > 0) {
    set beresp.http.Fastly-Restarts = req.restarts;
  }
  if (beresp.http.Set-Cookie) {
    return(pass);
  }
  if (beresp.http.Cache-Control ~ "(private|no-store)") {
    return(pass);
  }
  if (!beresp.http.Expires && !beresp.http.Surrogate-Control ~ "max-age" && !beresp.http.Cache-Control ~ "(s-maxage|max-age)") {
    set beresp.ttl = 3600s;
  }
  return(deliver);
}

sub vcl_error {
#FASTLY error
  return(deliver);
}

sub vcl_deliver {
#FASTLY deliver
  return(deliver);
}

sub vcl_log {
#FASTLY log
}
`

// boilerplateName is the file name the default boilerplate gets when a
// snippet runs inside it (it exists only in memory).
const boilerplateName = "vclide-boilerplate.vcl"

// LoadRunnable loads the program that vclide run and serve and the
// debugger execute for an entry file. A full program is loaded as Load
// does. A snippet file (bare statements whose subroutine is known, from a
// scope comment, a snippets glob or the file name, as lint infers it) runs
// as the body of that subroutine inside the default boilerplate, at its
// #FASTLY line; note then says so in one line. When the snippet has
// diagnostics that block running, the snippet checked on its own is
// returned, so the refusal lists what lint reports. A file of a service
// defined in Terraform (its main VCL, a snippet, or the .tf file itself)
// runs as the whole service, assembled as Fastly does (see loadService).
func (w *Workspace) LoadRunnable(path string, open Buffers) (prog *Program, note string, err error) {
	if prog, note, ok, err := w.loadService(path, open); ok {
		return prog, note, err
	}
	prog, err = w.Load(path, open)
	if err != nil || prog.Root.Snippet == nil || len(Blocking(prog)) > 0 {
		return prog, "", err
	}
	sub := prog.SnippetSub(prog.Root)
	if sub == nil || sub.Scopes == 0 {
		return nil, "", fmt.Errorf("%s holds bare statements but vclide cannot tell which subroutine they run in: add a comment `# vclide: scope=recv`, a snippets glob in .vclide.yaml, or name the file after it (recv.vcl)", path)
	}
	macro := "#FASTLY " + sub.Kind.String()
	i := strings.Index(defaultBoilerplate, macro+"\n")
	if i < 0 {
		return nil, "", fmt.Errorf("%s: no %s in the default boilerplate", path, macro)
	}
	i += len(macro) + 1
	// The include keeps the snippet's own file, lines and breakpoints.
	text := defaultBoilerplate[:i] + "include " + strconv.Quote(path) + ";\n" + defaultBoilerplate[i:]
	name := filepath.Join(filepath.Dir(path), boilerplateName)
	// The boilerplate is an open buffer of the program, never read from
	// disk (so a file of that name next to the snippet does not matter).
	wrapped := w.Check(syntax.Parse(name, text), func(p string) (string, bool) {
		if p == path {
			return prog.Root.Source.Text, true
		}
		if open != nil {
			return open(p)
		}
		return "", false
	})
	note = fmt.Sprintf("snippet: %s runs as the body of %s in the default boilerplate, at %s", filepath.Base(path), sub.Kind.VCLName(), macro)
	return wrapped, note, nil
}
