package dap

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/go-dap"
	"go.uber.org/zap"

	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/scenario"
)

// Error ids in error responses.
const (
	errLaunch = 3000 + iota
	errNotStopped
	errBadRequest
	errUnsupported
	errEvaluate
	errInternal
)

var (
	errNoStop  = errors.New("the request is not stopped")
	errEnded   = errors.New("the debug session has ended")
	errNoRun   = errors.New("nothing is running: launch first")
	errStaleID = errors.New("this reference belongs to an earlier stop")
)

// Session is one debug session with one client.
type Session struct {
	r   *bufio.Reader
	w   io.Writer
	log *zap.Logger

	sendMu sync.Mutex
	seq    int
	broken bool

	// bpTable is the breakpoint snapshot the driver reads.
	bpTable atomic.Pointer[bpTable]

	mu       sync.Mutex
	lineBase int // 1 when the client counts lines from 1
	colBase  int
	bps      *bpState
	t        *target
	// launchedT is t for readers that must not take mu (event hooks).
	launchedT  atomic.Pointer[target]
	idx        stmtIndex
	d          *driver
	launched   bool
	configured bool
	cur        *stopInfo
	live       map[int]*job
	ended      bool
	httpSrv    *liveServer
	stopGen    int
}

// stopInfo is what the session knows about the current stop. Its fields
// other than thread and reason are only touched inside inspections (on the
// driver goroutine, while the session waits).
type stopInfo struct {
	gen     int
	thread  int
	reason  *stopReason
	frames  []interp.Frame
	handles []handle
}

// NewSession makes a session that reads requests from r and writes
// responses and events to w. log may be nil.
func NewSession(r io.Reader, w io.Writer, log *zap.Logger) *Session {
	if log == nil {
		log = zap.NewNop()
	}
	s := &Session{r: bufio.NewReader(r), w: w, log: log, lineBase: 1, colBase: 1, bps: newBPState(), live: map[int]*job{}}
	s.bpTable.Store(s.bps.table())
	return s
}

// Run serves the client until it disconnects or the connection fails. It
// always stops the debuggee before returning.
func (s *Session) Run() error {
	defer s.shutdown()
	for {
		raw, err := readMessage(s.r)
		var oe *oversizedError
		if errors.As(err, &oe) {
			s.refuseOversized(oe)
			continue
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				s.log.Info("client disconnected")
				return nil
			}
			var bpe *dap.BaseProtocolError
			if errors.As(err, &bpe) {
				// The framing is broken: nothing after it can be trusted.
				s.log.Error("malformed message framing", zap.Error(err))
				s.output("stderr", "vclide dap: malformed message framing: "+err.Error()+"\n")
				return err
			}
			s.log.Info("read failed", zap.Error(err))
			return nil
		}
		if s.dispatch(raw) {
			return nil
		}
	}
}

// refuseOversized answers a message that was too large to read.
func (s *Session) refuseOversized(oe *oversizedError) {
	s.log.Warn("skipped an oversized message", zap.Int64("bytes", oe.size), zap.Int("seq", oe.seq), zap.String("command", oe.command))
	if oe.seq > 0 && oe.command != "" {
		req := dap.Request{ProtocolMessage: dap.ProtocolMessage{Seq: oe.seq, Type: "request"}, Command: oe.command}
		s.sendError(req, errBadRequest, fmt.Sprintf("the %q request is %d bytes, over the %d MB limit; it was not run", oe.command, oe.size, maxMessageSize>>20))
		return
	}
	s.output("stderr", fmt.Sprintf("vclide dap: skipped a %d-byte message, over the %d MB limit\n", oe.size, maxMessageSize>>20))
}

// dispatch decodes one message and handles it; it reports whether the
// session is over.
func (s *Session) dispatch(raw []byte) (done bool) {
	msg, err := dap.DecodeProtocolMessage(raw)
	if err != nil {
		var head struct {
			Seq     int    `json:"seq"`
			Type    string `json:"type"`
			Command string `json:"command"`
		}
		if json.Unmarshal(raw, &head) != nil || head.Type != "request" {
			s.log.Warn("ignoring a malformed message", zap.Error(err), zap.ByteString("message", raw))
			s.output("stderr", fmt.Sprintf("vclide dap: ignored a malformed message: %v\n", err))
			return false
		}
		req := dap.Request{ProtocolMessage: dap.ProtocolMessage{Seq: head.Seq, Type: "request"}, Command: head.Command}
		var fe *dap.DecodeProtocolMessageFieldError
		if errors.As(err, &fe) {
			s.sendError(req, errUnsupported, fmt.Sprintf("unknown command %q", head.Command))
		} else {
			s.sendError(req, errBadRequest, fmt.Sprintf("malformed %q request: %v", head.Command, err))
		}
		return false
	}
	req, ok := msg.(dap.RequestMessage)
	if !ok {
		s.log.Debug("ignoring a non-request message", zap.String("type", fmt.Sprintf("%T", msg)))
		return false
	}
	return s.handle(req)
}

// handle is the request switch. It reports whether the session is over.
func (s *Session) handle(m dap.RequestMessage) (done bool) {
	req := *m.GetRequest()
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("request handler panicked", zap.String("command", req.Command), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			s.sendError(req, errInternal, fmt.Sprintf("internal error handling %q: %v", req.Command, r))
		}
		s.log.Debug("handled", zap.String("command", req.Command), zap.Duration("took", time.Since(start)))
	}()
	switch r := m.(type) {
	case *dap.InitializeRequest:
		s.onInitialize(r)
	case *dap.LaunchRequest:
		s.onLaunch(r)
	case *dap.AttachRequest:
		s.sendError(req, errUnsupported, `attach is not supported: use "launch" (with "mode": "serve" to debug live requests)`)
	case *dap.ConfigurationDoneRequest:
		s.onConfigurationDone(r)
	case *dap.SetBreakpointsRequest:
		s.onSetBreakpoints(r)
	case *dap.SetFunctionBreakpointsRequest:
		s.onSetFunctionBreakpoints(r)
	case *dap.SetExceptionBreakpointsRequest:
		s.onSetExceptionBreakpoints(r)
	case *dap.BreakpointLocationsRequest:
		s.onBreakpointLocations(r)
	case *dap.ThreadsRequest:
		s.onThreads(r)
	case *dap.StackTraceRequest:
		s.onStackTrace(r)
	case *dap.ScopesRequest:
		s.onScopes(r)
	case *dap.VariablesRequest:
		s.onVariables(r)
	case *dap.EvaluateRequest:
		s.onEvaluate(r)
	case *dap.SetVariableRequest:
		s.onSetVariable(r)
	case *dap.SetExpressionRequest:
		s.onSetExpression(r)
	case *dap.ExceptionInfoRequest:
		s.onExceptionInfo(r)
	case *dap.SourceRequest:
		s.onSource(r)
	case *dap.ContinueRequest:
		s.onResume(req, r.Arguments.ThreadId, stepNone, &dap.ContinueResponse{Body: dap.ContinueResponseBody{AllThreadsContinued: true}})
	case *dap.NextRequest:
		s.onResume(req, r.Arguments.ThreadId, stepOver, &dap.NextResponse{})
	case *dap.StepInRequest:
		s.onResume(req, r.Arguments.ThreadId, stepIn, &dap.StepInResponse{})
	case *dap.StepOutRequest:
		s.onResume(req, r.Arguments.ThreadId, stepOut, &dap.StepOutResponse{})
	case *dap.PauseRequest:
		s.onPause(r)
	case *dap.StepBackRequest:
		s.onStepBack(r)
	case *dap.ReverseContinueRequest:
		s.onReverseContinue(r)
	case *dap.RestartRequest:
		s.onRestart(r)
	case *dap.CancelRequest:
		s.respond(req, &dap.CancelResponse{})
	case *dap.TerminateRequest:
		s.respond(req, &dap.TerminateResponse{})
		s.stopDebuggee()
		// Every thread ends with the debuggee.
		s.reconcileThreads(0)
		s.sendTerminated()
	case *dap.DisconnectRequest:
		s.respond(req, &dap.DisconnectResponse{})
		return true
	default:
		s.sendError(req, errUnsupported, fmt.Sprintf("%q is not supported by vclide", req.Command))
	}
	return false
}

// ---------------------------------------------------------------------------
// Sending

// send writes one message, numbering it.
func (s *Session) send(m dap.Message) {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	if s.broken {
		return
	}
	s.seq++
	setSeq(m, s.seq)
	if err := dap.WriteProtocolMessage(s.w, m); err != nil {
		s.broken = true
		s.log.Info("write failed; client gone", zap.Error(err))
	}
}

// setSeq sets the seq field every message has (promoted from
// ProtocolMessage).
func setSeq(m dap.Message, seq int) {
	v := reflect.ValueOf(m)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	if f := v.Elem().FieldByName("Seq"); f.IsValid() && f.CanSet() {
		f.SetInt(int64(seq))
	}
}

// respond fills in the response envelope of m for req and sends it.
func (s *Session) respond(req dap.Request, m dap.ResponseMessage) {
	r := m.GetResponse()
	r.Type = "response"
	r.RequestSeq = req.Seq
	r.Command = req.Command
	r.Success = true
	s.send(m)
}

// sendError answers req with an error message shown to the user.
func (s *Session) sendError(req dap.Request, id int, msg string) {
	s.log.Debug("error response", zap.String("command", req.Command), zap.String("message", msg))
	er := &dap.ErrorResponse{}
	er.Type = "response"
	er.RequestSeq = req.Seq
	er.Command = req.Command
	er.Success = false
	er.Message = msg
	er.Body.Error = &dap.ErrorMessage{Id: id, Format: msg, ShowUser: true}
	s.send(er)
}

// event fills in an event envelope.
func event(name string) dap.Event {
	return dap.Event{ProtocolMessage: dap.ProtocolMessage{Type: "event"}, Event: name}
}

// output sends an output event.
func (s *Session) output(category, text string) {
	s.send(&dap.OutputEvent{Event: event("output"), Body: dap.OutputEventBody{Category: category, Output: text}})
}

// sendTerminated ends the session for the client (once).
func (s *Session) sendTerminated() {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	s.mu.Unlock()
	s.send(&dap.TerminatedEvent{Event: event("terminated")})
}

// ---------------------------------------------------------------------------
// Lifecycle

func (s *Session) onInitialize(r *dap.InitializeRequest) {
	s.mu.Lock()
	if !r.Arguments.LinesStartAt1 {
		s.lineBase = 0
	}
	if !r.Arguments.ColumnsStartAt1 {
		s.colBase = 0
	}
	s.mu.Unlock()
	resp := &dap.InitializeResponse{Body: dap.Capabilities{
		SupportsConfigurationDoneRequest:   true,
		SupportsFunctionBreakpoints:        true,
		SupportsConditionalBreakpoints:     true,
		SupportsHitConditionalBreakpoints:  true,
		SupportsEvaluateForHovers:          true,
		ExceptionBreakpointFilters:         exceptionFilters,
		SupportsStepBack:                   true,
		SupportsSetVariable:                true,
		SupportsRestartRequest:             true,
		SupportsExceptionInfoRequest:       true,
		SupportTerminateDebuggee:           true,
		SupportsLogPoints:                  true,
		SupportsSetExpression:              true,
		SupportsTerminateRequest:           true,
		SupportsBreakpointLocationsRequest: true,
		SupportsCancelRequest:              true,
	}}
	s.respond(r.Request, resp)
}

func (s *Session) onLaunch(r *dap.LaunchRequest) {
	s.mu.Lock()
	already := s.launched
	s.mu.Unlock()
	if already {
		s.sendError(r.Request, errLaunch, "already launched: use restart")
		return
	}
	t, err := prepare(r.Arguments)
	if err != nil {
		s.log.Info("launch failed", zap.Error(err))
		s.output("stderr", err.Error()+"\n")
		s.sendError(r.Request, errLaunch, err.Error())
		return
	}
	if err := s.syncLiveServer(t); err != nil {
		t.close()
		s.sendError(r.Request, errLaunch, err.Error())
		return
	}
	s.mu.Lock()
	s.t = t
	s.launchedT.Store(t)
	s.idx = indexStatements(t.prog)
	s.bps.reverify(t.prog, s.idx)
	s.bpTable.Store(s.bps.table())
	s.launched = true
	pending := s.allLineSpecs()
	s.mu.Unlock()
	for _, b := range pending {
		// Breakpoints set before the launch are verified now.
		s.send(&dap.BreakpointEvent{Event: event("breakpoint"), Body: dap.BreakpointEventBody{Reason: "changed", Breakpoint: b}})
	}
	s.log.Info("launched", zap.String("program", t.scen.VCL), zap.Int("jobs", len(t.jobs)), zap.String("mode", t.cfg.Mode))
	if t.note != "" {
		s.output("console", t.note+"\n")
	}
	s.respond(r.Request, &dap.LaunchResponse{})
	s.send(&dap.InitializedEvent{Event: event("initialized")})
	s.maybeStart()
}

// prepare decodes the launch arguments and loads the target.
func prepare(raw json.RawMessage) (*target, error) {
	cfg, ex, err := decodeLaunch(raw)
	if err != nil {
		return nil, err
	}
	t, err := loadTarget(cfg)
	if err != nil {
		return nil, err
	}
	t.noDebug = ex.NoDebug
	return t, nil
}

func (s *Session) onConfigurationDone(r *dap.ConfigurationDoneRequest) {
	s.mu.Lock()
	s.configured = true
	s.mu.Unlock()
	s.respond(r.Request, &dap.ConfigurationDoneResponse{})
	s.maybeStart()
}

// maybeStart starts the driver once the program is launched and the client
// has sent its breakpoints.
func (s *Session) maybeStart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.launched || !s.configured || s.d != nil {
		return
	}
	s.d = newDriver(s, s.t)
	go s.d.run()
}

func (s *Session) onRestart(r *dap.RestartRequest) {
	s.mu.Lock()
	old, d := s.t, s.d
	s.mu.Unlock()
	if old == nil {
		s.sendError(r.Request, errLaunch, "restart before launch")
		return
	}
	raw := json.RawMessage(nil)
	var args struct {
		Arguments json.RawMessage `json:"arguments"`
	}
	if len(r.Arguments) > 0 && json.Unmarshal(r.Arguments, &args) == nil && len(args.Arguments) > 0 {
		raw = args.Arguments
	}
	var t *target
	var err error
	if raw != nil {
		t, err = prepare(raw)
	} else {
		t, err = loadTarget(old.cfg)
		if t != nil {
			t.noDebug = old.noDebug
		}
	}
	if err != nil {
		s.output("stderr", err.Error()+"\n")
		s.sendError(r.Request, errLaunch, err.Error())
		return
	}
	s.mu.Lock()
	s.t = t
	s.launchedT.Store(t)
	s.idx = indexStatements(t.prog)
	s.bps.reverify(t.prog, s.idx)
	s.bpTable.Store(s.bps.table())
	s.cur = nil
	s.ended = false
	specs := s.allLineSpecs()
	s.mu.Unlock()
	for _, sp := range specs {
		s.send(&dap.BreakpointEvent{Event: event("breakpoint"), Body: dap.BreakpointEventBody{Reason: "changed", Breakpoint: sp}})
	}
	if err := s.syncLiveServer(t); err != nil {
		s.sendError(r.Request, errLaunch, err.Error())
		return
	}
	s.respond(r.Request, &dap.RestartResponse{})
	old.close()
	if d == nil {
		return
	}
	select {
	case <-d.done:
		// The debuggee was terminated: start it again.
		s.mu.Lock()
		s.d = newDriver(s, t)
		go s.d.run()
		s.mu.Unlock()
	default:
		d.post(control{kind: ctlRestart, tgt: t})
	}
}

// syncLiveServer starts, keeps or stops the serve-mode HTTP listener to
// match the target.
func (s *Session) syncLiveServer(t *target) error {
	s.mu.Lock()
	srv := s.httpSrv
	s.mu.Unlock()
	want := t.cfg.Mode == modeServe
	if srv != nil && (!want || srv.listen != t.cfg.Listen) {
		srv.close()
		srv = nil
	}
	if want && srv == nil {
		var err error
		if srv, err = startLiveServer(t.cfg.Listen, s); err != nil {
			return fmt.Errorf("launch: %q: %v", "listen", err)
		}
		s.output("console", fmt.Sprintf("vclide: serving http://%s — each request becomes a thread\n", srv.addr()))
	}
	s.mu.Lock()
	s.httpSrv = srv
	s.mu.Unlock()
	return nil
}

// restarted is called by the driver when a restart begins running.
func (s *Session) restarted() {
	s.reconcileThreads(0)
	s.output("console", "vclide: restarted\n")
}

// allLineSpecs describes every line breakpoint (s.mu held).
func (s *Session) allLineSpecs() []dap.Breakpoint {
	var out []dap.Breakpoint
	paths := make([]string, 0, len(s.bps.lines))
	for p := range s.bps.lines {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		for _, sp := range s.bps.lines[p] {
			out = append(out, sp.dapBreakpoint(p, s.lineBase))
		}
	}
	return out
}

// stopDebuggee ends the driver and the live server.
func (s *Session) stopDebuggee() {
	s.mu.Lock()
	d, srv := s.d, s.httpSrv
	s.httpSrv = nil
	s.cur = nil
	s.mu.Unlock()
	if d != nil {
		d.post(control{kind: ctlStop})
		select {
		case <-d.done:
		case <-time.After(5 * time.Second):
			s.log.Warn("the driver did not stop in time")
		}
	}
	if srv != nil {
		// After the driver: pending live requests get their 503 first.
		srv.close()
	}
}

// shutdown runs when the connection ends.
func (s *Session) shutdown() {
	s.mu.Lock()
	d := s.d
	s.mu.Unlock()
	if d != nil {
		select {
		case <-d.quit:
		default:
			close(d.quit)
		}
	}
	s.stopDebuggee()
	s.mu.Lock()
	t := s.t
	s.mu.Unlock()
	if t != nil {
		t.close()
	}
}

// ---------------------------------------------------------------------------
// Threads and stops

// threadName says method, URL and restart count.
func threadName(j *job) string {
	if j.child {
		return j.label
	}
	return fmt.Sprintf("%s (restarts: %d)", j.label, j.restarts)
}

func (s *Session) threadStarted(j *job) {
	s.mu.Lock()
	j.restarts = 0
	s.live[j.thread] = j
	s.mu.Unlock()
	s.send(&dap.ThreadEvent{Event: event("thread"), Body: dap.ThreadEventBody{Reason: "started", ThreadId: j.thread}})
}

func (s *Session) threadExited(j *job) {
	s.mu.Lock()
	_, ok := s.live[j.thread]
	delete(s.live, j.thread)
	s.mu.Unlock()
	if ok {
		s.send(&dap.ThreadEvent{Event: event("thread"), Body: dap.ThreadEventBody{Reason: "exited", ThreadId: j.thread}})
	}
}

// reconcileThreads makes the client's threads match a re-run that stopped
// on thread (0: none running).
func (s *Session) reconcileThreads(thread int) {
	s.mu.Lock()
	var exited []int
	for id := range s.live {
		if id != thread {
			exited = append(exited, id)
			delete(s.live, id)
		}
	}
	started := false
	if thread > 0 && s.live[thread] == nil && s.d != nil {
		s.d.mu.Lock()
		for _, j := range s.d.jobs {
			if j.thread == thread {
				s.live[thread] = j
				started = true
			}
		}
		if j := s.d.children[thread]; j != nil {
			s.live[thread] = j
			started = true
		}
		s.d.mu.Unlock()
	}
	s.mu.Unlock()
	sort.Ints(exited)
	for _, id := range exited {
		s.send(&dap.ThreadEvent{Event: event("thread"), Body: dap.ThreadEventBody{Reason: "exited", ThreadId: id}})
	}
	if started {
		s.send(&dap.ThreadEvent{Event: event("thread"), Body: dap.ThreadEventBody{Reason: "started", ThreadId: thread}})
	}
}

func (s *Session) onThreads(r *dap.ThreadsRequest) {
	s.mu.Lock()
	ids := make([]int, 0, len(s.live))
	for id := range s.live {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	threads := make([]dap.Thread, 0, len(ids))
	for _, id := range ids {
		threads = append(threads, dap.Thread{Id: id, Name: threadName(s.live[id])})
	}
	s.mu.Unlock()
	s.respond(r.Request, &dap.ThreadsResponse{Body: dap.ThreadsResponseBody{Threads: threads}})
}

// stopped is called on the driver goroutine when it pauses.
func (s *Session) stopped(x execState, thread int, r *stopReason) {
	restarts := -1
	if v, err := x.Get("req.restarts"); err == nil {
		restarts = int(v.Int)
	}
	s.mu.Lock()
	s.stopGen++
	s.cur = &stopInfo{gen: s.stopGen, thread: thread, reason: r}
	if j := s.live[thread]; j != nil && restarts >= 0 {
		j.restarts = restarts
	}
	s.mu.Unlock()
	s.send(&dap.StoppedEvent{Event: event("stopped"), Body: dap.StoppedEventBody{
		Reason: r.reason, Description: r.text, Text: r.text, ThreadId: thread, AllThreadsStopped: true, HitBreakpointIds: r.bpIDs,
	}})
}

// current returns the stop and driver, or an error when not stopped.
func (s *Session) current() (*stopInfo, *driver, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.d == nil {
		return nil, nil, errNoRun
	}
	if s.cur == nil {
		return nil, s.d, errNoStop
	}
	return s.cur, s.d, nil
}

// withStop runs fn on the paused request.
func (s *Session) withStop(fn func(x execState, st *stopInfo) error) error {
	st, d, err := s.current()
	if err != nil {
		return err
	}
	var ferr error
	if !d.inspect(func(x execState) {
		if x == nil {
			ferr = errNoStop
			return
		}
		ferr = fn(x, st)
	}) {
		return errEnded
	}
	return ferr
}

// onResume answers a continue or step request and resumes the debuggee.
// Before the launch, while the debuggee runs, or for a thread that does
// not exist it answers an error and changes nothing.
func (s *Session) onResume(req dap.Request, thread int, kind stepKind, resp dap.ResponseMessage) {
	s.mu.Lock()
	cur, d := s.cur, s.d
	err := s.checkThreadLocked(thread)
	if err == nil && cur == nil {
		err = errNoStop
	}
	if err == nil {
		s.cur = nil
	}
	s.mu.Unlock()
	if err != nil {
		s.sendError(req, errNotStopped, req.Command+": "+err.Error())
		return
	}
	s.respond(req, resp)
	d.post(control{kind: ctlResume, step: kind, thread: thread})
}

// checkThreadLocked says why a request for thread cannot be served: no
// launch yet, or no such thread (s.mu held).
func (s *Session) checkThreadLocked(thread int) error {
	if s.d == nil {
		return errNoRun
	}
	if s.live[thread] == nil {
		return fmt.Errorf("unknown thread %d", thread)
	}
	return nil
}

func (s *Session) onPause(r *dap.PauseRequest) {
	s.mu.Lock()
	d := s.d
	err := s.checkThreadLocked(r.Arguments.ThreadId)
	s.mu.Unlock()
	if err != nil {
		s.sendError(r.Request, errNotStopped, "pause: "+err.Error())
		return
	}
	d.pauseReq.Store(true)
	s.respond(r.Request, &dap.PauseResponse{})
}

// threadError says why a request naming thread cannot be served (nil
// when it can).
func (s *Session) threadError(thread int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checkThreadLocked(thread)
}

func (s *Session) onStepBack(r *dap.StepBackRequest) {
	if err := s.threadError(r.Arguments.ThreadId); err != nil {
		s.sendError(r.Request, errNotStopped, "stepBack: "+err.Error())
		return
	}
	var tick int64
	var edits int
	d, err := s.onDriver(func(d *driver) { tick, edits = d.backTarget() })
	if err != nil {
		s.sendError(r.Request, errNotStopped, "stepBack: "+err.Error())
		return
	}
	if tick == 0 {
		s.sendError(r.Request, errNotStopped, "stepBack: this is the first statement of the session; there is nothing before it")
		return
	}
	s.clearStop()
	s.respond(r.Request, &dap.StepBackResponse{})
	d.post(control{kind: ctlReplay, tick: tick, reason: "step", edits: edits})
}

func (s *Session) onReverseContinue(r *dap.ReverseContinueRequest) {
	if err := s.threadError(r.Arguments.ThreadId); err != nil {
		s.sendError(r.Request, errNotStopped, "reverseContinue: "+err.Error())
		return
	}
	var tick int64
	d, err := s.onDriver(func(d *driver) { tick = d.tick })
	if err != nil {
		s.sendError(r.Request, errNotStopped, "reverseContinue: "+err.Error())
		return
	}
	s.clearStop()
	s.respond(r.Request, &dap.ReverseContinueResponse{})
	d.post(control{kind: ctlReverse, tick: tick})
}

// onDriver runs fn on the driver goroutine while the debuggee is stopped
// and returns the driver.
func (s *Session) onDriver(fn func(d *driver)) (*driver, error) {
	_, d, err := s.current()
	if err != nil {
		return nil, err
	}
	err = s.withStop(func(execState, *stopInfo) error {
		fn(d)
		return nil
	})
	return d, err
}

// clearStop forgets the current stop before the debuggee moves.
func (s *Session) clearStop() {
	s.mu.Lock()
	s.cur = nil
	s.mu.Unlock()
}

// ---------------------------------------------------------------------------
// Results

// requestDone reports a finished request: its response as an output block,
// expectations, a runtime error, and the thread's exit.
func (s *Session) requestDone(j *job, res *interp.Result) {
	s.output("console", formatResult(j, res))
	if res.Err != nil {
		s.output("stderr", fmt.Sprintf("%s: runtime error: %v\n", j.label, res.Err))
	}
	if v := scenario.Verify(j.expect, res); v != nil {
		if v.Passed {
			s.output("console", fmt.Sprintf("%s: expectations passed\n", j.label))
		} else {
			for _, f := range v.Failures {
				s.output("stderr", fmt.Sprintf("%s: expectation failed: %s\n", j.label, f))
			}
		}
	}
	s.threadExited(j)
}

// finished is called when every request of a run-mode session has run. The
// exit code is 0 when every request completed and met its expectations, 1
// otherwise (each response's HTTP status is in the output).
func (s *Session) finished(failed bool) {
	s.mu.Lock()
	serve := s.t != nil && s.t.cfg.Mode == modeServe
	s.mu.Unlock()
	if serve {
		return
	}
	s.reconcileThreads(0)
	code := 0
	if failed {
		code = 1
	}
	s.send(&dap.ExitedEvent{Event: event("exited"), Body: dap.ExitedEventBody{ExitCode: code}})
	s.sendTerminated()
}

// readSource returns a file of the launched program (the entry file and
// its includes), from the copy the program was checked from. Nothing else
// is served: with --listen any local process may connect, and the source
// request must not become a way to read the user's files.
func (s *Session) readSource(path string) (string, error) {
	s.mu.Lock()
	t := s.t
	s.mu.Unlock()
	if t == nil {
		return "", errors.New("no program is launched yet")
	}
	if f := t.prog.FileByName(path); f != nil {
		return f.Source.Text, nil
	}
	if abs, err := filepath.Abs(path); err == nil {
		if f := t.prog.FileByName(abs); f != nil {
			return f.Source.Text, nil
		}
	}
	return "", fmt.Errorf("%s is not a file of the launched program", path)
}
