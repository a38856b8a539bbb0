// Drives the built `vclide dap` ($VCLIDE_BIN) over stdio with DebugClient,
// the test client VS Code's own debug adapters use.
//
//   cd dap/clienttest && npm ci && VCLIDE_BIN=/path/to/vclide npm test
'use strict';

const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { DebugClient } = require('@vscode/debugadapter-testsupport');

const BIN = process.env.VCLIDE_BIN;
const DATA = path.resolve(__dirname, '..', '..', '..', 'testdata', 'dap');
const VCL = path.join(DATA, 'main.vcl');
const SCENARIO = path.join(DATA, 'scenario.yaml');

// lineOf finds the line holding "@marker" in main.vcl.
function lineOf(marker) {
  const lines = fs.readFileSync(VCL, 'utf8').split('\n');
  const i = lines.findIndex((l) => new RegExp(`@${marker}( |$)`).test(l));
  assert.ok(i >= 0, `no @${marker} in ${VCL}`);
  return i + 1;
}

let dc;

beforeEach(async () => {
  assert.ok(BIN, 'set VCLIDE_BIN to the vclide binary');
  dc = new DebugClient(BIN, 'dap', 'vcl', { stdio: 'pipe' }, true);
  dc.defaultTimeout = 10000;
  await dc.start();
});

afterEach(async () => {
  await dc.stop();
});

// vars returns the variables under a reference, by name.
async function vars(ref) {
  const r = await dc.variablesRequest({ variablesReference: ref });
  return Object.fromEntries(r.body.variables.map((v) => [v.name, v]));
}

// scopes returns the scopes of a frame, by name.
async function scopes(frameId) {
  const r = await dc.scopesRequest({ frameId });
  return Object.fromEntries(r.body.scopes.map((s) => [s.name, s.variablesReference]));
}

// stopped waits for a stop (ev: a promise for the stopped event, made
// before the action that causes it) and returns the thread and the stack.
async function stopped(ev, reason) {
  ev = await ev;
  if (reason) assert.equal(ev.body.reason, reason);
  const st = await dc.stackTraceRequest({ threadId: ev.body.threadId });
  return { thread: ev.body.threadId, frames: st.body.stackFrames, top: st.body.stackFrames[0] };
}

// outputContaining resolves with the first output event whose text has
// the given part.
function outputContaining(part) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output containing ${JSON.stringify(part)}`)), dc.defaultTimeout);
    const onOutput = (ev) => {
      if (ev.body.output.includes(part)) {
        clearTimeout(timer);
        dc.removeListener('output', onOutput);
        resolve(ev);
      }
    };
    dc.on('output', onOutput);
  });
}

// launchWith starts a session and sets breakpoints before configurationDone.
async function launchWith(args, breakpoints) {
  const configured = dc.waitForEvent('initialized').then(async () => {
    await dc.setBreakpointsRequest({ source: { path: VCL }, breakpoints });
    await dc.configurationDoneRequest();
  });
  await Promise.all([dc.launch(args), configured]);
}

test('breakpoint in vcl_fetch, beresp, evaluate, step into and out of a sub, step back, cache hit, end', async () => {
  await dc.hitBreakpoint({ scenario: SCENARIO }, { path: VCL, line: lineOf('fetch-header') });

  const threads = await dc.threadsRequest();
  assert.deepEqual(threads.body.threads, [{ id: 1, name: 'GET /a (restarts: 0)' }]);
  const st = await dc.stackTraceRequest({ threadId: 1 });
  const top = st.body.stackFrames[0];
  assert.match(top.name, /^vcl_fetch \[fetch cache-sim\d\]$/);
  assert.equal(top.line, lineOf('fetch-header'));

  // beresp.status and a header, from the Backend response scope.
  const sc = await scopes(top.id);
  const beresp = await vars(sc['Backend response (beresp)']);
  assert.equal(beresp['beresp.status'].value, '200');
  const headers = await vars(beresp['beresp.http'].variablesReference);
  assert.equal(headers['X-Origin'].value, '"mock"');

  // Any VCL expression.
  const ev = await dc.evaluateRequest({ expression: 'beresp.http.X-Origin ":" beresp.status', frameId: top.id, context: 'repl' });
  assert.equal(ev.body.result, '"mock:200"');

  // The second request calls add_trace from vcl_recv: step into it and out.
  await dc.setBreakpointsRequest({
    source: { path: VCL },
    breakpoints: [{ line: lineOf('recv-call') }, { line: lineOf('deliver-hit') }],
  });
  await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
  let s = await dc.stackTraceRequest({ threadId: 2 });
  assert.equal(s.body.stackFrames[0].line, lineOf('recv-call'));

  await Promise.all([dc.stepInRequest({ threadId: 2 }), dc.assertStoppedLocation('step', { path: VCL, line: lineOf('trace-set') })]);
  s = await dc.stackTraceRequest({ threadId: 2 });
  assert.deepEqual(s.body.stackFrames.map((f) => f.name.split(' ')[0]), ['add_trace', 'vcl_recv']);

  await Promise.all([dc.stepOutRequest({ threadId: 2 }), dc.assertStoppedLocation('step', { path: VCL, line: lineOf('recv-call') + 1 })]);
  // Step back goes to the statement executed before, like step over in
  // reverse: the call, not into add_trace.
  await Promise.all([dc.stepBackRequest({ threadId: 2 }), dc.assertStoppedLocation('step', { path: VCL, line: lineOf('recv-call') })]);
  await Promise.all([dc.nextRequest({ threadId: 2 }), dc.assertStoppedLocation('step', { path: VCL, line: lineOf('recv-call') + 1 })]);

  // The second request hits the object the first one stored.
  await Promise.all([dc.continueRequest({ threadId: 2 }), dc.assertStoppedLocation('breakpoint', { path: VCL, line: lineOf('deliver-hit') })]);
  const hit = await dc.evaluateRequest({ expression: 'fastly_info.state', frameId: (await dc.stackTraceRequest({ threadId: 2 })).body.stackFrames[0].id, context: 'watch' });
  assert.equal(hit.body.result, '"HIT"');

  const exited = dc.waitForEvent('exited');
  await Promise.all([dc.continueRequest({ threadId: 2 }), dc.waitForEvent('terminated')]);
  assert.equal((await exited).body.exitCode, 0); // every request completed and met its expectations
});

test('conditional breakpoint', async () => {
  const stop = dc.waitForEvent('stopped');
  await launchWith({ program: VCL, requests: ['/a', '/b', '/c'] }, [{ line: lineOf('recv-first'), condition: 'req.url == "/b"' }]);
  const s = await stopped(stop, 'breakpoint');
  assert.equal(s.thread, 2);
  const ev = await dc.evaluateRequest({ expression: 'req.url', frameId: s.top.id, context: 'hover' });
  assert.equal(ev.body.result, '"/b"');
  await Promise.all([dc.continueRequest({ threadId: s.thread }), dc.waitForEvent('terminated')]);
});

test('logpoint', async () => {
  const out = outputContaining('logpoint: /a is MISS-CLUSTER');
  const done = dc.waitForEvent('terminated');
  await launchWith({ scenario: SCENARIO }, [{ line: lineOf('deliver-log'), logMessage: 'logpoint: {req.url} is {fastly_info.state}' }]);
  const ev = await out;
  assert.equal(ev.body.category, 'console');
  assert.equal(ev.body.line, lineOf('deliver-log'));
  await done;
});

test('the Clustering scope shows a req change lost on the way back', async () => {
  const stop = dc.waitForEvent('stopped');
  await launchWith({ scenario: SCENARIO }, [{ line: lineOf('fetch-header') }]);
  const s = await stopped(stop, 'breakpoint');
  const cl = await vars((await scopes(s.top.id)).Clustering);
  assert.equal(cl.clustering.value, 'true');
  assert.equal(cl['lost on return to delivery'].value, 'req.http.X-Miss');
  const lost = await vars(cl['lost on return to delivery'].variablesReference);
  assert.equal(lost['req.http.X-Miss'].value, '"fetch-node"');
  await Promise.all([dc.continueRequest({ threadId: s.thread }), dc.waitForEvent('terminated')]);
});

test('a program that does not compile fails the launch with its error', async () => {
  await dc.initializeRequest();
  await assert.rejects(dc.launchRequest({ program: path.join(DATA, 'broken.vcl') }), /does not compile[\s\S]*undefined_function/);
});
