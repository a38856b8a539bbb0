package syntax

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReparse applies an edit sequence, decoded from ops, to text and
// checks after every edit that Reparse of the previous file equals
// ParseChunked and Parse of the new text.
//
//	go test ./analysis/syntax -run XXX -fuzz FuzzReparse -fuzztime 60s
func FuzzReparse(f *testing.F) {
	ops := []byte{0, 40, 3, 0, 1, 10, 0, 2, 0, 200, 5, 15, 2, 0, 0, 200}
	f.Add(chunkBase, ops)
	f.Add(genChunkVCL(4), ops)
	f.Add("sub a { }\nsub b { }\n", []byte{0, 9, 0, 0})
	for _, text := range fuzzSeedTexts() {
		f.Add(text, ops)
	}
	f.Fuzz(func(t *testing.T, text string, ops []byte) {
		file := ParseChunked("x.vcl", text)
		for i := 0; i+4 <= len(ops) && i < 64; i += 4 {
			next := decodeEdit(text, ops[i:i+4])
			var msg string
			if file, msg = checkReparse(file, next); msg != "" {
				t.Fatalf("edit %d: %s\n--- before:\n%s\n--- after:\n%s", i/4, msg, clip(text), clip(next))
			}
			text = next
		}
	})
}

// decodeEdit turns 4 bytes into an edit of text: where, how many bytes to
// delete, and what to insert (a fragment of editFragments or of the text).
func decodeEdit(text string, op []byte) string {
	at := (int(op[0])<<8 | int(op[1])) % (len(text) + 1)
	del := min(int(op[2])%24, len(text)-at)
	var ins string
	if k := int(op[3]); k < len(editFragments) {
		ins = editFragments[k]
	} else if len(text) > 0 {
		a := (k * 7919) % len(text)
		ins = text[a : a+min(len(text)-a, k)]
	}
	return text[:at] + ins + text[at+del:]
}

// fuzzSeedTexts returns the VCL files of testdata and small files of the
// shared corpus, when it is there.
func fuzzSeedTexts() []string {
	var texts []string
	for _, root := range []string{"testdata", filepath.Join("..", "..", "testdata"), filepath.Join("..", "..", "..", "shared", "corpus", "vcl")} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".vcl") {
				return nil
			}
			if b, err := os.ReadFile(path); err == nil && len(b) < 40_000 {
				texts = append(texts, string(b))
			}
			return nil
		})
	}
	return texts
}
