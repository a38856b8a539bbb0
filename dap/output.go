package dap

import (
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strings"

	"github.com/google/go-dap"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/interp"
)

// maxBodyShown caps the response body printed in the debug console.
const maxBodyShown = 2048

// engineEvent turns an interpreter event into an output event: `log`
// statements go to stdout with their source line, route lines, cluster
// hand-offs, cache and other events to the console.
func (s *Session) engineEvent(x execState, kind, text string) {
	body := dap.OutputEventBody{Category: "console", Output: fmt.Sprintf("[%s] %s\n", kind, text)}
	if kind == "log" {
		body.Category, body.Output = "stdout", text+"\n"
	}
	if kind == "log" || kind == "error" {
		s.locate(x, &body)
	}
	s.send(&dap.OutputEvent{Event: event("output"), Body: body})
}

// logpoint prints a logpoint's message at its location.
func (s *Session) logpoint(x execState, bp *breakpoint, msg string) {
	body := dap.OutputEventBody{Category: "console", Output: msg + "\n"}
	if bp.file != "" {
		file := analysis.SourceFile(bp.file)
		body.Source = &dap.Source{Name: filepath.Base(file), Path: file}
		body.Line, body.Column = bp.line-1+s.lineBase, bp.col-1+s.colBase
	} else {
		s.locate(x, &body)
	}
	s.send(&dap.OutputEvent{Event: event("output"), Body: body})
}

// locate attaches the innermost frame's position to an output event.
func (s *Session) locate(x execState, body *dap.OutputEventBody) {
	stack := x.Stack()
	if len(stack) == 0 {
		return
	}
	f := stack[len(stack)-1]
	if f.File == nil {
		return
	}
	p := f.File.Position(f.Pos.Start)
	body.Source = s.sourceOf(f.File.Name)
	body.Line, body.Column = p.Line-1+s.lineBase, p.Col-1+s.colBase
}

// formatResult renders a finished request as a block for the console:
// a summary line, the status line, the headers and (the start of) the body.
func formatResult(j *job, res *interp.Result) string {
	var b strings.Builder
	r := res.Response
	fmt.Fprintf(&b, "%s → %d", j.label, r.Status)
	if res.State != "" {
		fmt.Fprintf(&b, " (%s", res.State)
		if res.Restarts > 0 {
			fmt.Fprintf(&b, ", %d restart(s)", res.Restarts)
		}
		b.WriteString(")")
	}
	b.WriteString("\n")
	if len(res.Route) > 0 {
		subs := make([]string, len(res.Route))
		for i, st := range res.Route {
			subs[i] = strings.TrimPrefix(st.Sub, "vcl_")
		}
		fmt.Fprintf(&b, "  route: %s\n", strings.Join(subs, " → "))
	}
	for _, bg := range res.Background {
		subs := make([]string, len(bg.Route))
		for i, st := range bg.Route {
			subs[i] = strings.TrimPrefix(st.Sub, "vcl_")
		}
		fmt.Fprintf(&b, "  %s on %s: %s", bg.Label(), bg.Node, strings.Join(subs, " → "))
		for _, c := range bg.BackendRequests {
			fmt.Fprintf(&b, " (%s %d)", c.Backend, c.Status)
		}
		b.WriteString("\n")
	}
	reason := r.Reason
	if reason == "" {
		reason = http.StatusText(r.Status)
	}
	fmt.Fprintf(&b, "  HTTP/1.1 %d %s\n", r.Status, reason)
	names := make([]string, 0, len(r.Header))
	for n := range r.Header {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, v := range r.Header[n] {
			fmt.Fprintf(&b, "  %s: %s\n", n, v)
		}
	}
	if len(r.Body) > 0 {
		body := string(r.Body)
		if len(body) > maxBodyShown {
			body = body[:maxBodyShown] + fmt.Sprintf("… (%d bytes)", len(r.Body))
		}
		b.WriteString("\n")
		for _, line := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
			b.WriteString("  " + line + "\n")
		}
	}
	return b.String()
}
