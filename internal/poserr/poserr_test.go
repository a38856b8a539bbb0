package poserr

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{File: "a.yaml", Line: 3, Column: 7, Msg: "bad"}, "a.yaml:3:7: bad"},
		{&Error{File: "a.yaml", Line: 3, Msg: "bad"}, "a.yaml:3: bad"},
		{&Error{File: "a.yaml", Msg: "bad"}, "a.yaml: bad"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestErrorList(t *testing.T) {
	l := ErrorList{{File: "f", Line: 2, Column: 1, Msg: "b"}, {File: "f", Line: 1, Column: 5, Msg: "a"}, {File: "f", Line: 1, Column: 5, Msg: "a2"}}
	l.SortByPosition()
	if got, want := l.Error(), "f:1:5: a\nf:1:5: a2\nf:2:1: b"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var back ErrorList
	if !errors.As(fmt.Errorf("load: %w", l), &back) || len(back) != 3 {
		t.Errorf("errors.As does not find the list: %v", back)
	}
}
