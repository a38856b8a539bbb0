// The launch configuration fields the VS Code extension declares must be exactly
// the ones listed in dap/launch_fields.json, the list the Go debug adapter is
// tested against too. Changing either side without the other fails here.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const fieldsFile = path.resolve(root, '..', '..', 'dap', 'launch_fields.json');
const fields = JSON.parse(fs.readFileSync(fieldsFile, 'utf8'));

const debuggers = (pkg.contributes && pkg.contributes.debuggers) || [];
const vcl = debuggers.find((d) => d.type === 'vcl');

function launchProperties() {
  assert.ok(vcl, 'package.json contributes no debugger of type "vcl"');
  const launch = vcl.configurationAttributes && vcl.configurationAttributes.launch;
  assert.ok(launch && launch.properties, 'the "vcl" debugger has no configurationAttributes.launch.properties');
  return launch.properties;
}

function difference(a, b) {
  const bs = new Set(b);
  return a.filter((x) => !bs.has(x));
}

test('dap/launch_fields.json is a list of unique field names', () => {
  assert.ok(Array.isArray(fields), `${fieldsFile} must hold a JSON array`);
  assert.ok(fields.length > 0, `${fieldsFile} is empty`);
  for (const f of fields) {
    assert.equal(typeof f, 'string', `every entry of ${fieldsFile} must be a string, got ${JSON.stringify(f)}`);
    assert.match(f, /^[a-z][A-Za-z0-9]*$/, `field name ${JSON.stringify(f)} is not a lowerCamelCase JSON name`);
  }
  assert.equal(new Set(fields).size, fields.length, `${fieldsFile} lists a field twice`);
});

test('package.json launch attributes match dap/launch_fields.json', () => {
  const declared = Object.keys(launchProperties());
  const missing = difference(fields, declared);
  const extra = difference(declared, fields);
  assert.deepEqual(
    { missingFromPackageJson: missing, notInLaunchFieldsJson: extra },
    { missingFromPackageJson: [], notInLaunchFieldsJson: [] },
    'package.json contributes.debuggers[type=vcl].configurationAttributes.launch.properties ' +
      'and dap/launch_fields.json disagree; update both (and the Go adapter) together',
  );
});

test('every launch attribute has a description and a default', () => {
  for (const [name, schema] of Object.entries(launchProperties())) {
    assert.ok(schema.description || schema.markdownDescription, `launch attribute "${name}" has no description`);
    assert.ok('default' in schema, `launch attribute "${name}" has no default`);
    assert.ok(schema.type, `launch attribute "${name}" has no type`);
  }
});

test('launch attribute types and defaults', () => {
  const p = launchProperties();
  const expect = {
    program: ['string', '${file}'],
    includePaths: ['array', undefined],
    scenario: ['string', undefined],
    requests: ['array', undefined],
    backends: ['object', undefined],
    origin: ['string', undefined],
    clustering: ['boolean', true],
    nodes: ['integer', 4],
    seed: ['integer', undefined],
    stopOnEntry: ['boolean', false],
    mode: ['string', 'run'],
    listen: ['string', '127.0.0.1:8080'],
    tests: ['string', '${file}'],
    filter: ['string', ''],
  };
  for (const [name, [type, def]] of Object.entries(expect)) {
    if (!(name in p)) continue; // reported by the field-list test
    assert.equal(p[name].type, type, `launch attribute "${name}" should have type ${type}`);
    if (def !== undefined) {
      assert.deepEqual(p[name].default, def, `launch attribute "${name}" should default to ${JSON.stringify(def)}`);
    }
  }
  if (p.mode) assert.deepEqual(p.mode.enum, ['run', 'serve', 'test']);
  if (p.requests) {
    assert.deepEqual(Object.keys(p.requests.items.properties).sort(), ['body', 'headers', 'method', 'url']);
    assert.equal(p.requests.items.properties.headers.type, 'object');
  }
  if (p.includePaths) assert.equal(p.includePaths.items.type, 'string');
  if (p.listen) assert.match(p.listen.default, /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/, 'listen must default to loopback');
});

test('initial configurations and snippets use only known launch fields', () => {
  const known = new Set([...fields, 'type', 'request', 'name']);
  const configs = [
    ...(vcl.initialConfigurations || []).map((c) => ['initialConfigurations', c]),
    ...(vcl.configurationSnippets || []).map((s) => [`snippet "${s.label}"`, s.body]),
  ];
  assert.ok(configs.length > 0);
  for (const [where, c] of configs) {
    assert.equal(c.type, 'vcl', `${where}: type must be "vcl"`);
    assert.equal(c.request, 'launch', `${where}: request must be "launch"`);
    for (const k of Object.keys(c)) {
      assert.ok(known.has(k), `${where} uses "${k}", which is not in dap/launch_fields.json`);
    }
  }
  const labels = (vcl.configurationSnippets || []).map((s) => s.body.name);
  assert.deepEqual(labels, ['Debug a request', 'Debug a scenario', 'Debug live requests', 'Debug VCL tests']);
  const live = vcl.configurationSnippets.find((s) => s.body.name === 'Debug live requests');
  assert.equal(live.body.mode, 'serve');
});
