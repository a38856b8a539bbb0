package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunRepeatedSubroutineDefinitions: every definition of vcl_recv runs,
// in the order of the program's text with includes expanded where they
// stand (Fastly's boilerplate begin/end files and a service's own files
// rely on it). Only the first definition used to run.
func TestRunRepeatedSubroutineDefinitions(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"begin.vcl": "sub vcl_recv {\n  set req.http.X-Order = \"begin\";\n}\n",
		"svc.vcl":   "sub vcl_recv {\n  set req.http.X-Order = req.http.X-Order \",svc\";\n}\n",
		"end.vcl":   "sub vcl_recv {\n  set req.http.X-Order = req.http.X-Order \",end\";\n  return(lookup);\n}\n",
		"main.vcl": "include \"begin\";\n" +
			"sub vcl_recv {\n#FASTLY recv\n  set req.http.X-Order = req.http.X-Order \",main\";\n}\n" +
			"include \"svc\";\ninclude \"end\";\n" +
			"sub vcl_deliver {\n#FASTLY deliver\n  set resp.http.X-Order = req.http.X-Order;\n  return(deliver);\n}\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, code := runCLI(t, "run", filepath.Join(dir, "main.vcl"))
	if code != 0 || !strings.Contains(out, "X-Order: begin,main,svc,end") {
		t.Errorf("exit %d; want the header X-Order: begin,main,svc,end in:\n%s", code, out)
	}
}
