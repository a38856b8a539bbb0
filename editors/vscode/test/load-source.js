'use strict';
// loadSource compiles one TypeScript module of src/ with esbuild and loads
// it, so the unit tests (test/unit, run by `node --test`) can call it
// without building the extension. It lives outside test/unit so that
// `node --test test/unit/` does not take it for a test file.

const path = require('node:path');
const Module = require('node:module');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

function loadSource(name) {
  const file = path.join(root, 'src', name);
  const out = esbuild.buildSync({
    entryPoints: [file], bundle: false, platform: 'node', format: 'cjs', target: 'node16', write: false,
  });
  const m = new Module(file);
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(out.outputFiles[0].text, file);
  return m.exports;
}

module.exports = { loadSource };
