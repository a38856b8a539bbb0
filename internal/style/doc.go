// Package style holds repository-wide checks of how the Go sources are
// written; it has no code of its own, only tests.
package style
