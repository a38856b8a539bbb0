package suggest

import (
	"reflect"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "abc", 0}, {"kitten", "sitting", 3}, {"req.ulr", "req.url", 1}, {"stauts", "status", 1}, {"ab", "ba", 1}, {"", "abc", 3}} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q,%q)=%d want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	cands := []string{"req.url", "req.url.path", "req.http", "resp.status", "include_paths"}
	if got := Closest("req.ulr", cands, 3); !reflect.DeepEqual(got, []string{"req.url"}) {
		t.Errorf("got %v", got)
	}
	if got := Best("INCLUDE_PATH", cands); got != "include_paths" {
		t.Errorf("case-insensitive: got %q", got)
	}
	if got := Best("zzzzzz", cands); got != "" {
		t.Errorf("far names: got %q", got)
	}
}
