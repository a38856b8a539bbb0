package dap

// Background fetches (and other work with its own interp.Exec inside a
// request) run as threads of their own, named after the work:
// "background fetch GET /x".

// childThreadBase numbers the threads of subrequests apart from the
// requests' threads (1, 2, … in run order).
const childThreadBase = 1 << 20

// subStart gives a subrequest its own thread (on the driver goroutine).
func (d *driver) subStart(parent, child execState, label string) {
	if d.aborting {
		return
	}
	d.childSeq++
	j := &job{thread: childThreadBase + d.childSeq, label: label, child: true}
	t := &thr{job: j, x: child}
	if d.execs == nil {
		d.execs = map[execState]*thr{}
	}
	d.execs[child] = t
	d.mu.Lock()
	if d.children == nil {
		d.children = map[int]*job{}
	}
	d.children[j.thread] = j
	d.mu.Unlock()
	if !d.silent() {
		d.s.threadStarted(j)
	}
}

// subEnd ends a subrequest's thread; the parent's hooks take over again.
func (d *driver) subEnd(parent, child execState) {
	t := d.execs[child]
	if t == nil {
		return
	}
	d.finish(t)
	delete(d.execs, child)
	if d.cur == t {
		d.cur = d.execs[parent]
	}
	if !d.silent() {
		d.s.threadExited(t.job)
	}
}

// childJob returns the job of a subrequest thread (nil when thread is not
// one).
func (d *driver) childJob(thread int) *job {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.children[thread]
}
