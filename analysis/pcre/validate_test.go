package pcre

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// agreementPatterns gathers every pattern of this package's tests: the
// corpus extract, the valid and invalid tables, FuzzCheck's seeds and any
// fuzz inputs saved under testdata/fuzz/FuzzCheck.
func agreementPatterns(t *testing.T) []string {
	pats := append([]string(nil), corpusPatterns...)
	pats = append(pats, validPatterns...)
	for _, tc := range invalidPatterns {
		pats = append(pats, tc.pattern)
	}
	pats = append(pats, fuzzSeeds()...)
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzCheck", "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// go test fuzz v1 files hold one line: string("…").
		for _, line := range strings.Split(string(b), "\n") {
			if q, ok := strings.CutPrefix(line, "string("); ok {
				if s, err := strconv.Unquote(strings.TrimSuffix(q, ")")); err == nil {
					pats = append(pats, s)
				}
			}
		}
	}
	return pats
}

// TestCheckAgreesWithParse checks that the validation-only path accepts and
// rejects exactly what the full parser does, with the same error, also when
// its reused memory has just served a different pattern (forwards, then
// backwards through the list).
func TestCheckAgreesWithParse(t *testing.T) {
	pats := agreementPatterns(t)
	if len(pats) < 250 {
		t.Fatalf("only %d patterns", len(pats))
	}
	accepted, rejected := 0, 0
	check := func(p string) {
		got := Check(p)
		_, full := parse(p)
		if !sameError(got, full.err) {
			t.Errorf("Check(%q) = %v, full parse = %v", p, got, full.err)
		}
		if got == nil {
			accepted++
		} else {
			rejected++
		}
	}
	for _, p := range pats {
		check(p)
	}
	for i := len(pats) - 1; i >= 0; i-- {
		check(pats[i])
	}
	if accepted == 0 || rejected < 2*len(invalidPatterns) {
		t.Errorf("%d accepted, %d rejected: the tables do not exercise both outcomes", accepted, rejected)
	}
}

// TestCheckConcurrent runs the validation-only path from several goroutines
// (run it with -race): each parse must have memory of its own.
func TestCheckConcurrent(t *testing.T) {
	pats := agreementPatterns(t)
	want := make([]*SyntaxError, len(pats))
	for i, p := range pats {
		_, full := parse(p)
		want[i] = full.err
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := range pats {
				i := (k*(g+1) + g) % len(pats)
				if got := Check(pats[i]); !sameError(got, want[i]) {
					errs <- pats[i]
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for p := range errs {
		t.Errorf("concurrent Check(%q) disagrees with the full parse", p)
	}
}

// TestCheckDoesNotAllocate checks that validating a valid pattern reuses
// memory instead of allocating a tree for it, unlike the full parse.
func TestCheckDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	pats := []string{`^/p123/`, `\?.*$`, `^/section-7/(?:[a-z]+)$`, `(?i)^(?:www\.)?example\.(com|net)$`, `[^\d.]+`}
	for _, p := range pats {
		if Check(p) != nil {
			t.Fatalf("%q is not valid", p)
		}
		check := testing.AllocsPerRun(200, func() { Check(p) })
		full := testing.AllocsPerRun(200, func() { parse(p) })
		if check >= 0.5 {
			t.Errorf("Check(%q) allocates %.2f times per call", p, check)
		}
		if full < 1 {
			t.Errorf("the full parse of %q allocates %.2f times: the comparison is void", p, full)
		}
	}
}

// BenchmarkCheck is the validation of a typical set of patterns; compare
// BenchmarkParse, the full parse that Compile and Features need.
func BenchmarkCheck(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Check(corpusPatterns[i%len(corpusPatterns)])
	}
}

// BenchmarkParse is BenchmarkCheck's patterns through the full parser.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		parse(corpusPatterns[i%len(corpusPatterns)])
	}
}

// TestScratchKeepsFewBlocks checks that a huge pattern does not leave the
// pooled scratch holding its memory.
func TestScratchKeepsFewBlocks(t *testing.T) {
	s := new(scratch)
	for i := 0; i < (maxScratchBlocks+3)*scratchNodes; i++ {
		s.node(node{kind: nLit})
		s.list([]*node{nil, nil, nil})
	}
	if len(s.nodes) <= maxScratchBlocks || len(s.lists) <= maxScratchBlocks {
		t.Fatalf("the scratch grew to only %d node and %d list blocks", len(s.nodes), len(s.lists))
	}
	s.reset()
	if extra := s.nodes[:cap(s.nodes)][maxScratchBlocks:]; len(extra) > 0 && extra[0] != nil {
		t.Error("the dropped node blocks are still reachable")
	}
	if len(s.nodes) != maxScratchBlocks || len(s.lists) != maxScratchBlocks {
		t.Errorf("after reset the scratch keeps %d node and %d list blocks, want %d", len(s.nodes), len(s.lists), maxScratchBlocks)
	}
	if s.node(node{}).kind != nEmpty || s.nb != 0 || s.ni != 1 {
		t.Error("reset did not rewind the scratch")
	}
}
