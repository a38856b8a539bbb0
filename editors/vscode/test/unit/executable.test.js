// Tests for src/executable.ts (how the extension finds the vclide binary),
// compiled on the fly with esbuild so no build step is needed.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadSource } = require('../load-source');

const { resolveExecutable, expandPath } = loadSource('executable.ts');
const skipOnWindows = { skip: process.platform === 'win32' };

function tempBin(name, mode) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vclide-test-'));
  const p = path.join(dir, name);
  fs.writeFileSync(p, '#!/bin/sh\n');
  fs.chmodSync(p, mode);
  return { dir, p };
}

test('expandPath', () => {
  assert.equal(expandPath('~/bin/vclide'), path.join(os.homedir(), 'bin', 'vclide'));
  assert.equal(expandPath('${workspaceFolder}/bin/vclide', '/ws'), path.join('/ws', 'bin', 'vclide'));
  assert.equal(expandPath('bin/vclide', '/ws'), path.join('/ws', 'bin', 'vclide'));
  assert.equal(expandPath('/abs/vclide', '/ws'), '/abs/vclide');
});

test('finds a command on PATH', skipOnWindows, () => {
  const { dir, p } = tempBin('vclide', 0o755);
  assert.equal(resolveExecutable('vclide', undefined, { PATH: `/nonexistent${path.delimiter}${dir}`, HOME: dir }), p);
});

test('ignores files that are not executable', skipOnWindows, () => {
  const { dir } = tempBin('vclide', 0o644);
  assert.equal(resolveExecutable('vclide', undefined, { PATH: dir, GOPATH: '/nonexistent', HOME: '/nonexistent' }), undefined);
});

test('falls back to $GOBIN and $GOPATH/bin', skipOnWindows, () => {
  const { dir, p } = tempBin('vclide', 0o755);
  assert.equal(resolveExecutable('vclide', undefined, { PATH: '/nonexistent', GOBIN: dir, HOME: '/nonexistent' }), p);
  const gopath = fs.mkdtempSync(path.join(os.tmpdir(), 'vclide-gopath-'));
  fs.mkdirSync(path.join(gopath, 'bin'));
  fs.copyFileSync(p, path.join(gopath, 'bin', 'vclide'));
  fs.chmodSync(path.join(gopath, 'bin', 'vclide'), 0o755);
  assert.equal(resolveExecutable('vclide', undefined, { PATH: '/nonexistent', GOPATH: gopath, HOME: '/nonexistent' }), path.join(gopath, 'bin', 'vclide'));
});

test('resolves explicit paths relative to the workspace', skipOnWindows, () => {
  const { dir, p } = tempBin('vclide', 0o755);
  assert.equal(resolveExecutable('./vclide', dir, { PATH: '' }), p);
  assert.equal(resolveExecutable(p, undefined, { PATH: '' }), p);
  assert.equal(resolveExecutable(path.join(dir, 'missing'), undefined, { PATH: '' }), undefined);
});

test('a missing binary gives undefined', () => {
  assert.equal(resolveExecutable('vclide-does-not-exist', undefined, { PATH: '/nonexistent', GOPATH: '/nonexistent', HOME: '/nonexistent' }), undefined);
});
