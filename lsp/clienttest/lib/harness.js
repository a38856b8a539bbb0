'use strict';
// A small LSP client for the tests: it starts `$VCLIDE_BIN lsp` and talks to
// it through vscode-languageserver-protocol, the protocol layer of VS Code's
// language client.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} = require('vscode-languageserver-protocol/node');

const BIN = process.env.VCLIDE_BIN;
const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'testdata', 'lsp', 'ws');

function requireBinary() {
  if (!BIN) {
    throw new Error('set VCLIDE_BIN to the vclide binary (go build -o bin/vclide ./cmd/vclide)');
  }
  if (!fs.existsSync(BIN)) {
    throw new Error(`VCLIDE_BIN=${BIN} does not exist`);
  }
}

/** Copies the fixture workspace to a fresh temporary folder. */
function copyWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vclide-ws-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return fs.realpathSync(dir);
}

function uriOf(p) {
  return pathToFileURL(p).href;
}

/** The position (UTF-16, as JS strings count) of needle in text, moved by delta. */
function pos(text, needle, delta = 0) {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${JSON.stringify(needle)} not found`);
  const before = text.slice(0, i + delta);
  const line = before.split('\n').length - 1;
  const character = before.length - (before.lastIndexOf('\n') + 1);
  return { line, character };
}

/** Applies non-overlapping LSP text edits to text (UTF-16 positions). */
function applyEdits(text, edits) {
  const lines = text.split('\n');
  const offset = (p) => {
    let o = 0;
    for (let i = 0; i < p.line && i < lines.length; i++) o += lines[i].length + 1;
    return Math.min(o + p.character, text.length);
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const e of sorted) {
    text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  }
  return text;
}

/** A running server and the client side of its connection. */
class Session {
  constructor(folder, { encodings = ['utf-16'] } = {}) {
    requireBinary();
    this.folder = folder;
    this.encodings = encodings;
    this.proc = spawn(BIN, ['lsp', '--log-level', 'warn'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.diagnostics = new Map(); // uri → latest publishDiagnostics params
    this.waiters = [];
    this.progress = [];
    this.serverRequests = [];
    this.conn.onNotification('textDocument/publishDiagnostics', (p) => {
      this.diagnostics.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => !w());
    });
    this.conn.onNotification('$/progress', (p) => this.progress.push(p.value.kind));
    this.conn.onNotification('window/showMessage', () => {});
    this.conn.onNotification('window/logMessage', () => {});
    this.conn.onRequest('window/workDoneProgress/create', () => { this.serverRequests.push('create'); return null; });
    this.conn.onRequest('client/registerCapability', () => { this.serverRequests.push('register'); return null; });
    this.conn.listen();
    this.versions = new Map();
  }

  async initialize() {
    const folderURI = uriOf(this.folder);
    const result = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'vclide-clienttest', version: '1' },
      rootUri: folderURI,
      workspaceFolders: [{ uri: folderURI, name: 'ws' }],
      initializationOptions: { includePaths: [] },
      capabilities: {
        general: { positionEncodings: this.encodings },
        window: { workDoneProgress: true },
        workspace: {
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
          workspaceFolders: true,
          symbol: {},
        },
        textDocument: {
          synchronization: { didSave: true },
          completion: {
            completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation'] } },
            completionList: { itemDefaults: ['editRange'] },
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          signatureHelp: { signatureInformation: { parameterInformation: { labelOffsetSupport: true } } },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          rename: { prepareSupport: true },
          semanticTokens: { requests: { full: true, range: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
          foldingRange: {},
          selectionRange: {},
          inlayHint: {},
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
        },
      },
    });
    this.conn.sendNotification('initialized', {});
    this.capabilities = result.capabilities;
    return result;
  }

  /** Resolves when the latest diagnostics of uri satisfy ok. */
  waitDiagnostics(uri, ok = () => true, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const p = this.diagnostics.get(uri);
        if (p && ok(p.diagnostics, p)) {
          clearTimeout(timer);
          resolve(p.diagnostics);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        reject(new Error(`timed out waiting for diagnostics of ${uri}: ${JSON.stringify(this.diagnostics.get(uri))}`));
      }, timeoutMs);
      if (!check()) this.waiters.push(check);
    });
  }

  open(file, text) {
    const uri = uriOf(file);
    if (text === undefined) text = fs.readFileSync(file, 'utf8');
    this.versions.set(uri, 1);
    this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'vcl', version: 1, text } });
    return { uri, text };
  }

  change(uri, changes) {
    const version = this.versions.get(uri) + 1;
    this.versions.set(uri, version);
    this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  close(uri) {
    this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request(method, params, token) {
    // Passing an undefined token would make the params positional.
    return token ? this.conn.sendRequest(method, params, token) : this.conn.sendRequest(method, params);
  }

  /** shutdown then exit; resolves to the exit code. */
  async shutdown() {
    await this.conn.sendRequest('shutdown');
    this.conn.sendNotification('exit');
    const code = await this.exited;
    this.conn.dispose();
    return code;
  }

  kill() {
    try { this.conn.dispose(); } catch { /* already closed */ }
    this.proc.kill();
  }
}

module.exports = { Session, copyWorkspace, uriOf, pos, applyEdits, requireBinary, BIN };
