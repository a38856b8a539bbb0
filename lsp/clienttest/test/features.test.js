'use strict';
// Every feature of `vclide lsp`, driven through vscode-languageserver-protocol
// against the built binary ($VCLIDE_BIN) over stdio.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { CancellationTokenSource } = require('vscode-languageserver-protocol/node');
const { Session, copyWorkspace, uriOf, pos, applyEdits } = require('../lib/harness');

const has = (code) => (ds) => ds.some((d) => d.code === code);
const none = (ds) => ds.length === 0;

describe('vclide lsp', () => {
  let s;
  let ws;
  let main; // { uri, text } of main.vcl
  let initResult;

  before(async () => {
    ws = copyWorkspace();
    s = new Session(ws);
    initResult = await s.initialize();
    main = s.open(path.join(ws, 'main.vcl'));
    await s.waitDiagnostics(main.uri);
  });

  after(async () => {
    if (s) s.kill();
  });

  it('negotiates UTF-16 and announces every capability', () => {
    const c = initResult.capabilities;
    assert.equal(c.positionEncoding, 'utf-16');
    assert.equal(c.textDocumentSync.change, 2, 'incremental sync');
    for (const k of ['completionProvider', 'hoverProvider', 'signatureHelpProvider', 'definitionProvider',
      'referencesProvider', 'documentHighlightProvider', 'documentSymbolProvider', 'workspaceSymbolProvider',
      'codeActionProvider', 'documentFormattingProvider', 'documentRangeFormattingProvider', 'renameProvider',
      'foldingRangeProvider', 'selectionRangeProvider', 'semanticTokensProvider', 'inlayHintProvider']) {
      assert.ok(c[k], `missing ${k}`);
    }
    assert.equal(c.renameProvider.prepareProvider, true);
    assert.equal(c.completionProvider.resolveProvider, true);
    assert.equal(initResult.serverInfo.name, 'vclide');
  });

  it('indexes the workspace with work-done progress', async () => {
    const deadline = Date.now() + 10000;
    while (!s.progress.includes('end') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(s.serverRequests.includes('create'), 'window/workDoneProgress/create');
    assert.deepEqual([s.progress[0], s.progress.at(-1)], ['begin', 'end']);
  });

  describe('diagnostics', () => {
    it('publishes for open files and for the files they include', async () => {
      assert.deepEqual(await s.waitDiagnostics(main.uri), []);
      await s.waitDiagnostics(uriOf(path.join(ws, 'backends.vcl')));
    });

    it('follows incremental changes, then clears on close', async () => {
      const text = 'sub vcl_recv {\n  #FASTLY recv\n  set req.http.X = req.url;\n  return(lookup);\n}\n';
      const doc = s.open(path.join(ws, 'scratch.vcl'), text);
      await s.waitDiagnostics(doc.uri, none);
      const range = { start: pos(text, 'req.url'), end: pos(text, 'req.url', 7) };
      const v = s.change(doc.uri, [{ range, text: 'beresp.ttl' }]);
      const ds = await s.waitDiagnostics(doc.uri, (d, p) => p.version === v && has('variable-scope')(d));
      assert.deepEqual(ds[0].range.start, range.start);
      assert.equal(ds[0].source, 'vclide');
      s.change(doc.uri, [{ text }]);
      await s.waitDiagnostics(doc.uri, none);
      s.change(doc.uri, [{ range, text: 'var.nope' }]);
      await s.waitDiagnostics(doc.uri, has('undeclared-local'));
      s.close(doc.uri);
      await s.waitDiagnostics(doc.uri, none);
    });

    it('checks again when .vclide.yaml changes', async () => {
      const text = 'sub vcl_recv {\n  #FASTLY recv\n  set req.backend = F_cfg;\n  return(lookup);\n}\n';
      const doc = s.open(path.join(ws, 'cfg.vcl'), text);
      await s.waitDiagnostics(doc.uri, has('undefined-backend'));
      const cfg = path.join(ws, '.vclide.yaml');
      const before = fs.readFileSync(cfg, 'utf8');
      fs.writeFileSync(cfg, before.replace('backends: [F_external]', 'backends: [F_external, F_cfg]'));
      s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(cfg), type: 2 }] });
      await s.waitDiagnostics(doc.uri, none);
      fs.writeFileSync(cfg, before);
      s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(cfg), type: 2 }] });
      await s.waitDiagnostics(doc.uri, has('undefined-backend'));
      s.close(doc.uri);
    });
  });

  describe('completion', () => {
    const complete = async (text, marker, delta) => {
      const file = path.join(ws, `c${Math.random().toString(36).slice(2)}.vcl`);
      const doc = s.open(file, text);
      const list = await s.request('textDocument/completion', { textDocument: { uri: doc.uri }, position: pos(text, marker, delta) });
      s.close(doc.uri);
      return list;
    };
    const labels = (list) => new Set(list.items.map((i) => i.label));

    it('offers what can be read in vcl_recv, with the list default edit range', async () => {
      const text = 'sub vcl_recv {\n  set req.http.X = ;\n}\n';
      const list = await complete(text, '= ;', 2);
      const l = labels(list);
      assert.ok(l.has('req.url'));
      assert.ok(!l.has('beresp.ttl'));
      assert.deepEqual(list.itemDefaults.editRange.end, pos(text, '= ;', 2));
      const url = list.items.find((i) => i.label === 'req.url');
      assert.match(url.detail, /STRING/);
      assert.ok(url.documentation);
      const resolved = await s.request('completionItem/resolve', url);
      assert.match(resolved.documentation.value, /https:\/\/www\.fastly\.com/);
    });

    it('knows set, unset, return, call, backends, locals, tables, ACLs, macros and boilerplates', async () => {
      const cases = [
        ['sub vcl_recv {\n  set \n}\n', 'set ', 4, ['req.url', 'req.http.'], ['client.ip']],
        ['sub vcl_deliver {\n  unset \n}\n', 'unset ', 6, ['resp.http.'], ['resp.status']],
        ['sub vcl_recv {\n  return(\n}\n', 'return(', 7, ['lookup', 'pass'], ['deliver']],
        ['sub helper { }\nsub vcl_recv {\n  call \n}\n', 'call ', 5, ['helper'], ['vcl_recv']],
        ['backend F_a { .host = "a"; }\nsub vcl_recv {\n  set req.backend = \n}\n', 'backend = ', 10, ['F_a'], ['req.url']],
        ['sub vcl_recv {\n  declare local var.n INTEGER;\n  set req.http.X = var.\n}\n', 'X = var.', 8, ['var.n'], ['req.url']],
        ['table t { "a": "b", }\nsub vcl_recv {\n  set req.http.X = table.lookup();\n}\n', 'lookup(', 7, ['t'], ['req.url']],
        ['acl office { "10.0.0.1"; }\nsub vcl_recv {\n  if (client.ip ~ ) {}\n}\n', '~ ', 2, ['office'], ['req.url']],
        ['sub vcl_fetch {\n  #FASTLY \n}\n', '#FASTLY ', 8, ['#FASTLY fetch'], ['#FASTLY recv']],
        ['sub vcl_recv { }\nsub vcl_\n', 'sub vcl_\n', 8, ['vcl_deliver'], ['vcl_recv']],
        ['sub vcl_recv {\n  set req.http.\n}\n', 'req.http.', 9, ['req.http.Fastly-Debug'], ['req.url']],
      ];
      for (const [text, marker, delta, want, notWant] of cases) {
        const l = labels(await complete(text, marker, delta));
        for (const w of want) assert.ok(l.has(w), `${JSON.stringify(marker)}: missing ${w}`);
        for (const w of notWant) assert.ok(!l.has(w), `${JSON.stringify(marker)}: unexpected ${w}`);
      }
    });
  });

  it('hovers variables, functions, user symbols and vcl_* subroutines', async () => {
    const cases = [
      ['req.url.path', 2, /STRING req\.url\.path[\s\S]*read ✓/],
      ['std.tolower', 4, /std\.tolower\(STRING/],
      ['normalize_host;', 2, /sub normalize_host/],
      ['sub vcl_fetch', 6, /\*\*fetch\*\* node[\s\S]*`deliver`/],
      ['= F_origin', 3, /backend F_origin \{/],
    ];
    for (const [needle, delta, re] of cases) {
      const h = await s.request('textDocument/hover', { textDocument: { uri: main.uri }, position: pos(main.text, needle, delta) });
      assert.equal(h.contents.kind, 'markdown');
      assert.match(h.contents.value, re, needle);
    }
  });

  it('gives signature help with overloads and the active parameter', async () => {
    const text = 'sub vcl_recv {\n  set req.http.X = regsub(req.url, "a", );\n}\n';
    const doc = s.open(path.join(ws, 'sig.vcl'), text);
    const h = await s.request('textDocument/signatureHelp', { textDocument: { uri: doc.uri }, position: pos(text, '"a", ', 5) });
    assert.equal(h.signatures[h.activeSignature].label, 'regsub(STRING input, REGEX pattern, STRING replacement) → STRING');
    assert.equal(h.activeParameter, 2);
    s.close(doc.uri);
  });

  it('goes to definitions and finds references and highlights across files', async () => {
    const at = { textDocument: { uri: main.uri }, position: pos(main.text, '= F_origin', 3) };
    const def = await s.request('textDocument/definition', at);
    assert.equal(def.length, 1);
    assert.ok(def[0].uri.endsWith('/backends.vcl'));
    assert.deepEqual(def[0].range.start, { line: 0, character: 8 });
    const refs = await s.request('textDocument/references', { ...at, context: { includeDeclaration: true } });
    const files = new Set(refs.map((r) => path.basename(r.uri)));
    assert.deepEqual([...files].sort(), ['backends.vcl', 'main.vcl', 'other.vcl', 'recv_extra.vcl']);
    const hl = await s.request('textDocument/documentHighlight', { textDocument: { uri: main.uri }, position: pos(main.text, 'set var.host', 6) });
    assert.equal(hl.length, 3);
  });

  it('renames across the workspace and refuses predefined names', async () => {
    const at = { textDocument: { uri: main.uri }, position: pos(main.text, 'call normalize_host', 6) };
    const prep = await s.request('textDocument/prepareRename', at);
    assert.equal(prep.placeholder, 'normalize_host');
    const edit = await s.request('textDocument/rename', { ...at, newName: 'clean_host' });
    const edits = edit.changes[main.uri];
    assert.equal(edits.length, 2);
    assert.match(applyEdits(main.text, edits), /sub clean_host[\s\S]*call clean_host;/);
    const backend = await s.request('textDocument/rename', { textDocument: { uri: main.uri }, position: pos(main.text, '= F_origin', 3), newName: 'F_primary' });
    assert.equal(Object.keys(backend.changes).length, 4);
    await assert.rejects(
      s.request('textDocument/prepareRename', { textDocument: { uri: main.uri }, position: pos(main.text, 'req.url.path', 1) }),
      /predefined Fastly variable/,
    );
    await assert.rejects(
      s.request('textDocument/rename', { textDocument: { uri: main.uri }, position: pos(main.text, 'sub vcl_recv', 6), newName: 'x' }),
      /predefined Fastly subroutine/,
    );
  });

  it('lists document symbols as a tree and workspace symbols from every file', async () => {
    const syms = await s.request('textDocument/documentSymbol', { textDocument: { uri: main.uri } });
    const sub = syms.find((x) => x.name === 'normalize_host');
    assert.ok(sub && sub.children.some((c) => c.name === 'var.host'));
    assert.ok(syms.some((x) => x.name === 'vcl_recv'));
    const ws = await s.request('workspace/symbol', { query: 'F_stat' });
    assert.equal(ws.length, 1);
    assert.equal(ws[0].name, 'F_static');
    assert.ok(ws[0].location.uri.endsWith('/backends.vcl'));
  });

  it('formats documents and ranges', async () => {
    const text = 'sub vcl_recv {\n    #FASTLY recv\n      set req.http.X   =   "1";\n  return(lookup);\n}\n';
    const doc = s.open(path.join(ws, 'fmt.vcl'), text);
    const edits = await s.request('textDocument/formatting', { textDocument: { uri: doc.uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.equal(applyEdits(text, edits), 'sub vcl_recv {\n  #FASTLY recv\n  set req.http.X = "1";\n  return(lookup);\n}\n');
    const range = { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } };
    const redits = await s.request('textDocument/rangeFormatting', { textDocument: { uri: doc.uri }, range, options: { tabSize: 2, insertSpaces: true } });
    assert.match(applyEdits(text, redits), /\n {2}set req\.http\.X = "1";\n/);
    s.close(doc.uri);
  });

  it('produces semantic tokens for the whole file and for a range', async () => {
    const legend = initResult.capabilities.semanticTokensProvider.legend;
    const full = await s.request('textDocument/semanticTokens/full', { textDocument: { uri: main.uri } });
    assert.equal(full.data.length % 5, 0);
    const types = new Set();
    for (let i = 3; i < full.data.length; i += 5) types.add(legend.tokenTypes[full.data[i]]);
    for (const t of ['comment', 'keyword', 'function', 'variable', 'string', 'macro', 'class', 'enumMember']) {
      assert.ok(types.has(t), `no ${t} token`);
    }
    const range = await s.request('textDocument/semanticTokens/range', {
      textDocument: { uri: main.uri }, range: { start: { line: 20, character: 0 }, end: { line: 22, character: 0 } },
    });
    assert.ok(range.data.length > 0 && range.data.length < full.data.length);
  });

  it('gives folding and selection ranges', async () => {
    const folds = await s.request('textDocument/foldingRange', { textDocument: { uri: main.uri } });
    const recv = pos(main.text, 'sub vcl_recv').line;
    assert.ok(folds.some((f) => f.startLine === recv && f.endLine > recv));
    const sel = await s.request('textDocument/selectionRange', { textDocument: { uri: main.uri }, positions: [pos(main.text, 'req.url.path', 3)] });
    let depth = 0;
    for (let r = sel[0]; r; r = r.parent) depth++;
    assert.ok(depth >= 4, `depth ${depth}`);
    assert.deepEqual(sel[0].range, { start: pos(main.text, 'req.url.path'), end: pos(main.text, 'req.url.path', 12) });
  });

  it('offers quick fixes', async () => {
    const text = 'sub vcl_recv {\n  set req.http.X = req.ulr;\n  set var.n = 1;\n  set req.backend = F_new;\n}\n';
    const doc = s.open(path.join(ws, 'fix.vcl'), text);
    await s.waitDiagnostics(doc.uri, has('missing-fastly-macro'));
    const actions = async (line) => s.request('textDocument/codeAction', {
      textDocument: { uri: doc.uri },
      range: { start: { line, character: 0 }, end: { line, character: 80 } },
      context: { diagnostics: [] },
    });
    const titles = async (line) => (await actions(line)).map((a) => a.title);
    assert.ok((await titles(0)).includes('Insert `#FASTLY recv`'));
    assert.ok((await titles(1)).includes('Change to `req.url`'));
    assert.ok((await titles(2)).includes('Declare `declare local var.n INTEGER;`'));
    assert.ok((await titles(3)).includes('Declare backend F_new in .vclide.yaml'));
    const ignore = (await actions(1)).find((a) => a.title.startsWith('Ignore this diagnostic'));
    assert.match(applyEdits(text, ignore.edit.changes[doc.uri]), /\n {2}# vclide:ignore unknown-variable\n {2}set req\.http\.X = req\.ulr;/);
    const macro = (await actions(0)).find((a) => a.title === 'Insert `#FASTLY recv`');
    assert.equal(macro.kind, 'quickfix');
    assert.match(applyEdits(text, macro.edit.changes[doc.uri]), /^sub vcl_recv \{\n {2}#FASTLY recv\n/);
    s.close(doc.uri);
  });

  it('gives inlay hints for vcl_* nodes and declared locals', async () => {
    const hints = await s.request('textDocument/inlayHint', {
      textDocument: { uri: main.uri }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } },
    });
    const labels = hints.map((h) => h.label);
    assert.ok(labels.includes('delivery'));
    assert.ok(labels.includes('fetch'));
    assert.ok(labels.includes(': STRING'));
    const recv = hints.find((h) => h.label === 'delivery');
    assert.deepEqual(recv.position, pos(main.text, 'vcl_recv', 8));
  });

  it('answers unknown methods with MethodNotFound and honours cancellation', async () => {
    await assert.rejects(s.request('vclide/noSuchMethod', {}), (e) => e.code === -32601);
    const source = new CancellationTokenSource();
    const p = s.request('workspace/symbol', { query: '' }, source.token);
    source.cancel();
    try {
      await p; // it may finish before the cancellation arrives
    } catch (e) {
      assert.equal(e.code, -32800);
    }
    const h = await s.request('textDocument/hover', { textDocument: { uri: main.uri }, position: pos(main.text, 'req.url.path', 2) });
    assert.ok(h, 'the server still answers');
  });
});

describe('position encoding', () => {
  it('uses UTF-8 when the client offers it', async () => {
    const ws = copyWorkspace();
    const s = new Session(ws, { encodings: ['utf-8', 'utf-16'] });
    try {
      const res = await s.initialize();
      assert.equal(res.capabilities.positionEncoding, 'utf-8');
      const text = 'sub vcl_recv {\n  set req.http.X = "é😀" req.url;\n}\n';
      const doc = s.open(path.join(ws, 'enc.vcl'), text);
      const line = text.split('\n')[1];
      const byteCol = Buffer.byteLength(line.slice(0, line.indexOf('req.url')), 'utf8');
      const h = await s.request('textDocument/hover', { textDocument: { uri: doc.uri }, position: { line: 1, character: byteCol + 2 } });
      assert.match(h.contents.value, /req\.url/);
      assert.equal(h.range.start.character, byteCol);
      assert.equal(await s.shutdown(), 0);
    } finally {
      s.kill();
    }
  });
});

describe('lifecycle', () => {
  it('exits with 0 after shutdown and exit', async () => {
    const s = new Session(copyWorkspace());
    await s.initialize();
    assert.equal(await s.shutdown(), 0);
  });

  it('exits with 1 on exit without shutdown', async () => {
    const s = new Session(copyWorkspace());
    await s.initialize();
    s.conn.sendNotification('exit');
    assert.equal(await s.exited, 1);
    s.kill();
  });
});
