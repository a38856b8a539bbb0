// Consistency checks for the extension manifest and its contributed files.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const read = (p) => JSON.parse(fs.readFileSync(path.join(root, p), 'utf8'));
const pkg = read('package.json');
const c = pkg.contributes;

test('identity and engine', () => {
  assert.equal(pkg.name, 'vclide');
  assert.equal(pkg.publisher, 'vclide');
  assert.equal(pkg.main, './dist/extension.js');
  assert.match(pkg.engines.vscode, /^\^1\.\d+\.\d+$/);
  const typesVersion = pkg.devDependencies['@types/vscode'].replace(/^[\^~]/, '');
  const engine = pkg.engines.vscode.replace(/^\^/, '');
  const num = (v) => v.split('.').map(Number);
  const [a, b] = [num(typesVersion), num(engine)];
  assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]), '@types/vscode must not be newer than engines.vscode (vsce rejects it)');
});

test('language, grammar, snippets and breakpoints are wired to existing files', () => {
  const lang = c.languages.find((l) => l.id === 'vcl');
  assert.ok(lang);
  assert.deepEqual(lang.extensions, ['.vcl']);
  for (const alias of ['VCL', 'Fastly VCL']) assert.ok(lang.aliases.includes(alias), `alias ${alias}`);
  const conf = read(lang.configuration);
  assert.equal(conf.comments.lineComment, '#');
  assert.deepEqual(conf.comments.blockComment, ['/*', '*/']);
  assert.ok(conf.autoClosingPairs.some((p) => p.open === '{"' && p.close === '"}'), 'long-string auto-closing pair');
  assert.ok(conf.folding.markers.start && conf.folding.markers.end);

  const grammar = c.grammars.find((g) => g.language === 'vcl');
  assert.equal(grammar.scopeName, 'source.vcl');
  assert.equal(read(grammar.path).scopeName, 'source.vcl');

  const snippets = read(c.snippets.find((s) => s.language === 'vcl').path);
  for (const sub of ['recv', 'hash', 'hit', 'miss', 'pass', 'fetch', 'error', 'deliver', 'log']) {
    const s = snippets[`sub vcl_${sub}`];
    assert.ok(s, `snippet for vcl_${sub}`);
    const body = s.body.join('\n');
    assert.match(body, new RegExp(`^sub vcl_${sub} \\{`), `vcl_${sub} snippet header`);
    assert.match(body, new RegExp(`#FASTLY ${sub}\\b`), `vcl_${sub} snippet macro`);
    assert.match(body, /return\(\w+\);/, `vcl_${sub} snippet default return`);
  }
  for (const name of ['backend', 'acl', 'table', 'director', 'if', 'if/else', 'declare local', 'set header', 'error', 'vcl_error handler']) {
    assert.ok(snippets[name], `snippet ${name}`);
  }

  assert.deepEqual(c.breakpoints, [{ language: 'vcl' }]);
  const dbg = c.debuggers.find((d) => d.type === 'vcl');
  assert.equal(dbg.label, 'Fastly VCL');
  assert.deepEqual(dbg.languages, ['vcl']);
});

test('settings', () => {
  const p = c.configuration.properties;
  assert.equal(p['vclide.path'].default, 'vclide');
  assert.deepEqual(p['vclide.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.deepEqual(p['vclide.logLevel'].enum, ['debug', 'info', 'warn', 'error']);
  assert.equal(p['vclide.includePaths'].type, 'array');
});

test('packaging files exist', () => {
  for (const f of ['LICENSE', 'README.md', '.vscodeignore', 'package-lock.json']) {
    assert.ok(fs.existsSync(path.join(root, f)), `${f} is missing`);
  }
  assert.match(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'), /MIT License[\s\S]*vclide authors/);
});
