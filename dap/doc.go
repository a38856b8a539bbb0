// Package dap is vclide's debug adapter: it speaks the Debug Adapter
// Protocol (with github.com/google/go-dap) and steps live requests through
// the interpreter (package interp).
//
// One Session serves one client over one connection. Requests from the
// client are read and answered one at a time by a single switch
// (Session.handle); the debuggee runs on a separate goroutine (the driver),
// which pauses by blocking inside the interpreter's hooks. While it is
// paused, the session reads and changes the request's state by handing
// closures to the paused goroutine, so the engine's state is only ever
// touched by the goroutine that owns it.
//
// What the client sees:
//
//   - one thread per client request, named after its method, URL and
//     restart count;
//   - the real VCL call stack (the vcl_* subroutine at the bottom, custom
//     subroutines entered by `call` above it), each frame naming its node;
//   - scopes for req, bereq, beresp, obj and resp (only where the
//     subroutine has them), locals, the cache of every node and the
//     clustering state;
//   - line breakpoints (verified to the nearest statement), conditions,
//     hit counts, logpoints, function breakpoints on subroutine names and
//     exception breakpoints for `error`, `restart`, runtime errors and
//     request state lost to clustering;
//   - continue, next, stepIn, stepOut, pause, and stepBack / reverseContinue,
//     which re-run the session's requests from the start on a fresh engine
//     with the same seed (the interpreter is deterministic) up to an earlier
//     stop;
//   - evaluate and setVariable / setExpression with VCL expressions.
//
// Variable references and frame ids are valid only while the debuggee stays
// stopped: they are reset on every stop, as DAP allows.
package dap
