package vcltest

import (
	"bytes"
	"strings"
	"testing"
)

// TestCoverage: statements, if branches (true/false, with and without an
// else) and subroutines are counted over the VCL under test only.
func TestCoverage(t *testing.T) {
	mainVCL := `sub never { set req.http.N = "1"; }
sub vcl_recv {
#FASTLY recv
  if (req.http.A) {
    set req.http.B = "1";
  } else {
    set req.http.B = "2";
  }
  if (req.http.C) {
    set req.http.D = "1";
  }
  return(lookup);
}
`
	test := `sub t1 {
  set req.http.A = "x";
  testing.call_subroutine("vcl_recv");
}
`
	rep := project(t, mainVCL, test, func(o *Options) { o.Coverage = true })
	if rep.Coverage == nil || len(rep.Coverage.Files) != 1 {
		t.Fatalf("coverage: %+v", rep.Coverage)
	}
	f := rep.Coverage.Files[0]
	// Statements: never's set; the #FASTLY line, the two ifs, their three sets, return.
	if f.Statements != (Ratio{Covered: 5, Total: 8}) {
		t.Errorf("statements %v", f.Statements)
	}
	// if A: true taken; if C (no else): false taken.
	if f.Branches != (Ratio{Covered: 2, Total: 4}) {
		t.Errorf("branches %v %+v", f.Branches, f.BranchList)
	}
	if f.Subroutines != (Ratio{Covered: 1, Total: 2}) {
		t.Errorf("subroutines %v", f.Subroutines)
	}
	want := []BranchCoverage{{4, 0, 0, 1}, {4, 0, 1, 0}, {9, 1, 0, 0}, {9, 1, 1, 1}}
	for i, b := range want {
		if i >= len(f.BranchList) || f.BranchList[i] != b {
			t.Errorf("branch %d = %+v, want %+v", i, f.BranchList, b)
			break
		}
	}
	var lcov, table bytes.Buffer
	rep.Coverage.WriteLCOV(&lcov)
	rep.Coverage.WriteTable(&table, "")
	for _, w := range []string{"FNDA:0,never", "FNDA:1,vcl_recv", "BRDA:4,0,1,-", "DA:5,1", "DA:7,0", "LH:5", "LF:8"} {
		if !strings.Contains(lcov.String(), w) {
			t.Errorf("lcov lacks %q:\n%s", w, lcov.String())
		}
	}
	if !strings.Contains(table.String(), "62.5% (5/8)") {
		t.Errorf("table:\n%s", table.String())
	}
}
