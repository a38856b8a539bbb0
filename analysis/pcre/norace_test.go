//go:build !race

package pcre

// raceEnabled is false without the race detector.
const raceEnabled = false
