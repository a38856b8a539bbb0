package cache

import "time"

// Clock is anything that can tell the current simulated time.
type Clock interface {
	Now() time.Time
}

// Epoch is the instant a VirtualClock created from the zero time starts at:
// a fixed, round date so that scenario output is reproducible.
var Epoch = time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)

// VirtualClock is a Clock that only moves when told to. Scenarios advance it
// between requests so that TTLs, ages and stale windows can be exercised
// without waiting.
type VirtualClock struct {
	now time.Time
}

// NewVirtualClock returns a clock reading start, or Epoch when start is the
// zero time.
func NewVirtualClock(start time.Time) *VirtualClock {
	if start.IsZero() {
		start = Epoch
	}
	return &VirtualClock{now: start}
}

// Now returns the clock's current reading.
func (c *VirtualClock) Now() time.Time { return c.now }

// Set moves the clock to t, backwards or forwards.
func (c *VirtualClock) Set(t time.Time) { c.now = t }

// Advance moves the clock forward by d (backwards when d is negative) and
// returns the new reading.
func (c *VirtualClock) Advance(d time.Duration) time.Time {
	c.now = c.now.Add(d)
	return c.now
}
