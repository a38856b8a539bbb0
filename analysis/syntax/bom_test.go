package syntax

import "testing"

// TestBOM: a UTF-8 byte-order mark at the start of a file is skipped by the
// scanner and is zero-width for every position conversion; anywhere else it
// is still an unexpected character.
func TestBOM(t *testing.T) {
	text := BOM + "sub vcl_recv {\n  set req.http.X = \"é\";\n}\n"
	f := Parse("a.vcl", text)
	if len(f.Errors) != 0 {
		t.Fatalf("errors: %v", f.Errors)
	}
	src := f.Source
	if src.BOMLen() != 3 || src.Text != text {
		t.Fatalf("BOMLen %d; the text must be kept whole", src.BOMLen())
	}
	sub := f.Decls[0].(*SubDecl)
	if sub.Span().Start != 3 {
		t.Errorf("the sub starts at %d, want 3 (after the BOM)", sub.Span().Start)
	}
	tests := []struct {
		off        Pos
		line, col  int // Position (1-based, bytes)
		uline, ucl int // UTF16Pos (0-based)
	}{
		{0, 1, 1, 0, 0}, // inside the BOM: clamped to the first character
		{3, 1, 1, 0, 0}, // "sub"
		{7, 1, 5, 0, 4}, // "vcl_recv"
		{Pos(len(BOM + "sub vcl_recv {\n  ")), 2, 3, 1, 2},
	}
	for _, tc := range tests {
		if got := src.Position(tc.off); got != (Position{tc.line, tc.col}) {
			t.Errorf("Position(%d) = %v, want %d:%d", tc.off, got, tc.line, tc.col)
		}
		if l, c := src.UTF16Pos(tc.off); l != tc.uline || c != tc.ucl {
			t.Errorf("UTF16Pos(%d) = %d,%d, want %d,%d", tc.off, l, c, tc.uline, tc.ucl)
		}
	}
	if p := src.OffsetUTF16(0, 0); p != 3 {
		t.Errorf("OffsetUTF16(0,0) = %d, want 3", p)
	}
	if p := src.OffsetUTF8(0, 4); p != 7 {
		t.Errorf("OffsetUTF8(0,4) = %d, want 7", p)
	}
	if got := src.LineText(0); got != "sub vcl_recv {" {
		t.Errorf("LineText(0) = %q", got)
	}

	// A BOM that is not at the very start is not skipped.
	if f := Parse("b.vcl", "sub vcl_recv {\n"+BOM+"}\n"); len(f.Errors) == 0 {
		t.Error("a BOM inside the file was accepted")
	}
	// Without a BOM nothing moves.
	if p := NewSource("c.vcl", "sub").Position(0); p != (Position{1, 1}) {
		t.Errorf("no BOM: Position(0) = %v", p)
	}
}
