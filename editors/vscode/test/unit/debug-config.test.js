// Tests for src/debugConfig.ts (the launch configurations the extension
// offers and how a launch without a program is completed), compiled on the
// fly with esbuild, and for the manifest's debugger contributions.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { loadSource } = require('../load-source');

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const fields = JSON.parse(fs.readFileSync(path.resolve(root, '..', '..', 'dap', 'launch_fields.json'), 'utf8'));

const { DEBUG_TYPE, launchConfigurations, resolveLaunch, testLaunch } = loadSource('debugConfig.ts');
const vclDoc = { languageId: 'vcl', fsPath: '/work/site/main.vcl' };
const mdDoc = { languageId: 'markdown', fsPath: '/work/site/README.md' };

test('three configurations, the same as package.json initialConfigurations', () => {
  const configs = launchConfigurations();
  assert.deepEqual(configs.map((c) => c.name), ['Debug a request', 'Debug a scenario', 'Debug live requests']);
  const vcl = pkg.contributes.debuggers.find((d) => d.type === DEBUG_TYPE);
  assert.deepEqual(vcl.initialConfigurations, configs);
  for (const c of configs) {
    assert.equal(c.type, 'vcl');
    assert.equal(c.request, 'launch');
    for (const k of Object.keys(c)) {
      if (!['type', 'request', 'name'].includes(k)) {
        assert.ok(fields.includes(k), `${c.name}: ${k} is not a launch field of dap/launch_fields.json`);
      }
    }
  }
});

test('F5 without launch.json debugs a request through the active VCL file', () => {
  const r = resolveLaunch({}, vclDoc, []);
  assert.equal(r.config.type, 'vcl');
  assert.equal(r.config.name, 'Debug a request');
  assert.equal(r.config.program, vclDoc.fsPath);
  assert.deepEqual(r.config.requests, [{ method: 'GET', url: '/', headers: {} }]);
  assert.match(resolveLaunch({}, mdDoc, []).message, /Open a \.vcl file/);
  assert.match(resolveLaunch({}, undefined, []).message, /Open a \.vcl file/);
});

test('a launch without program gets the active editor\'s VCL file', () => {
  const r = resolveLaunch({ type: 'vcl', request: 'launch', name: 'x', requests: ['/a'] }, vclDoc, []);
  assert.equal(r.config.program, vclDoc.fsPath);
  assert.deepEqual(r.config.requests, ['/a']);
  // ${file} resolves to the active VCL file too, and is refused for another file.
  assert.equal(resolveLaunch({ type: 'vcl', request: 'launch', name: 'x', program: '${file}' }, vclDoc, []).config.program, vclDoc.fsPath);
  assert.match(resolveLaunch({ type: 'vcl', request: 'launch', name: 'x', program: '${file}' }, mdDoc, []).message, /not a \.vcl file/);
  // No VCL open and no program: refused, unless a scenario names the VCL.
  assert.match(resolveLaunch({ type: 'vcl', request: 'launch', name: 'x' }, mdDoc, []).message, /no "program"/);
  const sc = resolveLaunch({ type: 'vcl', request: 'launch', name: 'x', scenario: '/s.yaml' }, mdDoc, []);
  assert.equal(sc.config.program, undefined);
  assert.equal(sc.config.scenario, '/s.yaml');
  // An explicit program is kept.
  assert.equal(resolveLaunch({ type: 'vcl', request: 'launch', name: 'x', program: '/other.vcl' }, vclDoc, []).config.program, '/other.vcl');
});

test('include paths come from the settings when the launch has none', () => {
  assert.deepEqual(resolveLaunch({ type: 'vcl', request: 'launch', name: 'x' }, vclDoc, ['/inc']).config.includePaths, ['/inc']);
  assert.deepEqual(resolveLaunch({ type: 'vcl', request: 'launch', name: 'x', includePaths: [] }, vclDoc, ['/inc']).config.includePaths, []);
  assert.equal(resolveLaunch({ type: 'vcl', request: 'launch', name: 'x' }, vclDoc, []).config.includePaths, undefined);
});

test('the input is not changed', () => {
  const input = { type: 'vcl', request: 'launch', name: 'x' };
  resolveLaunch(input, vclDoc, ['/inc']);
  assert.deepEqual(input, { type: 'vcl', request: 'launch', name: 'x' });
});

test('activation is restricted to VCL', () => {
  // Debug activation is for the vcl debugger only; the language server also
  // starts for Terraform files, whose fastly_service_vcl heredocs it checks.
  const events = pkg.activationEvents;
  for (const e of events) {
    assert.ok(/^on(DebugResolve|DebugDynamicConfigurations|DebugInitialConfigurations):vcl$/.test(e) ||
      /^onLanguage:(vcl|terraform)$/.test(e),
      `activation event ${e} is not restricted to vcl`);
  }
  assert.ok(events.includes('onDebugResolve:vcl'));
  assert.ok(events.includes('onDebugDynamicConfigurations:vcl'));
});

test('extension.ts registers the provider and the dynamic configurations for vcl', () => {
  const src = fs.readFileSync(path.join(root, 'src', 'extension.ts'), 'utf8');
  assert.match(src, /registerDebugConfigurationProvider\(DEBUG_TYPE, new VclDebugConfigurationProvider\(\)\)/);
  assert.match(src, /provideDebugConfigurations: \(\) => launchConfigurations\(\)[\s\S]*DebugConfigurationProviderTriggerKind\.Dynamic/);
  assert.match(src, /resolveLaunch\(/);
});

test('the "debug test" code lens launches mode test on its file and test', () => {
  const fsPath = (u) => u.replace(/^file:\/\//, '');
  const one = testLaunch({ uri: 'file:///work/site/main.test.vcl', name: 'test_recv', program: '/work/site/main.vcl' }, fsPath);
  assert.deepEqual(one, {
    type: 'vcl', request: 'launch', name: 'Debug VCL test test_recv', mode: 'test',
    tests: '/work/site/main.test.vcl', program: '/work/site/main.vcl', filter: 'test_recv',
  });
  const all = testLaunch({ uri: 'file:///work/site/main.test.vcl' }, fsPath);
  assert.equal(all.filter, undefined);
  assert.equal(all.name, 'Debug VCL tests');
  for (const k of Object.keys(one)) {
    if (!['type', 'request', 'name'].includes(k)) {
      assert.ok(fields.includes(k), `${k} is not a launch field of dap/launch_fields.json`);
    }
  }
  const vcl = pkg.contributes.debuggers.find((d) => d.type === DEBUG_TYPE);
  const snippet = vcl.configurationSnippets.find((s) => s.label === 'Fastly VCL: Debug VCL tests');
  assert.ok(snippet, 'a "Debug VCL tests" launch snippet');
  assert.equal(snippet.body.mode, 'test');
  assert.ok(pkg.contributes.commands.some((c) => c.command === 'vclide.debugTest'));
});
