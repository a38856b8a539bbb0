// VS Code client for vclide: starts `vclide lsp` as a language server over
// stdio and `vclide dap` as the debug adapter for launch configurations of
// type "vcl".

import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { resolveExecutable, expandPath } from './executable';
import { DEBUG_TYPE, LaunchConfig, launchConfigurations, resolveLaunch, testLaunch, TestLensArgs } from './debugConfig';

// The README's install command, run in a clone of the vclide repository.
const INSTALL_COMMAND = 'go install ./cmd/vclide';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('vclide');
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand('vclide.restartServer', () => restartServer()),
    vscode.commands.registerCommand('vclide.showOutput', () => output?.show(true)),
    // The "debug test" code lens of a test file (the "run" lenses use
    // vclide.runTest, which the language server executes).
    vscode.commands.registerCommand('vclide.debugTest', async (args: TestLensArgs) => {
      if (!args?.uri) {
        return;
      }
      const uri = vscode.Uri.parse(args.uri);
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const config = testLaunch(args, (u) => vscode.Uri.parse(u).fsPath);
      await vscode.debug.startDebugging(folder, config as vscode.DebugConfiguration);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('vclide.path') || e.affectsConfiguration('vclide.logLevel')) {
        const choice = await vscode.window.showInformationMessage(
          'The vclide settings changed. Restart the language server to apply them?',
          'Restart',
        );
        if (choice === 'Restart') {
          await restartServer();
        }
      }
    }),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new VclDebugAdapterFactory()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new VclDebugConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: () => launchConfigurations() as vscode.DebugConfiguration[] },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
  );

  await startServer();
}

export async function deactivate(): Promise<void> {
  await stopServer();
}

function settings(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('vclide', scope);
}

function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** Finds the configured vclide binary, or tells the user how to install it. */
async function findBinary(purpose: string): Promise<string | undefined> {
  const configured = settings().get<string>('path', 'vclide') || 'vclide';
  const found = resolveExecutable(configured, workspaceRoot());
  if (found) {
    return found;
  }
  output?.appendLine(`vclide: executable "${configured}" not found (${purpose}).`);
  void showMissingBinary(configured, purpose);
  return undefined;
}

async function showMissingBinary(configured: string, purpose: string): Promise<void> {
  const openSettings = 'Open Settings';
  const copy = 'Copy Install Command';
  const choice = await vscode.window.showErrorMessage(
    `vclide: cannot ${purpose} because the executable "${configured}" was not found. ` +
      `Install it from a clone of the vclide repository with \`${INSTALL_COMMAND}\` (it goes to $(go env GOPATH)/bin), ` +
      'or set "vclide.path" to the full path of the binary.',
    openSettings,
    copy,
  );
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'vclide.path');
  } else if (choice === copy) {
    await vscode.env.clipboard.writeText(INSTALL_COMMAND);
  }
}

function includePaths(): string[] {
  const root = workspaceRoot();
  return (settings().get<string[]>('includePaths') ?? []).map((p) => expandPath(p, root));
}

async function startServer(): Promise<void> {
  const command = await findBinary('start the language server');
  if (!command) {
    return;
  }
  const logLevel = settings().get<string>('logLevel', 'info');
  const run = {
    command,
    args: ['lsp', '--log-level', logLevel],
    transport: TransportKind.stdio,
  };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'vcl' },
      { scheme: 'untitled', language: 'vcl' },
      // Terraform files (the HashiCorp extension's "terraform" language, or any
      // *.tf): the server checks the VCL of fastly_service_vcl heredocs only.
      { scheme: 'file', language: 'terraform' },
      { scheme: 'file', pattern: '**/*.tf' },
    ],
    outputChannel: output,
    initializationOptions: { includePaths: includePaths(), logLevel },
    synchronize: {
      configurationSection: 'vclide',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.vcl,*.tf,.vclide.yaml}'),
    },
  };

  // The id "vclide" makes the client read the "vclide.trace.server" setting.
  try {
    client = new LanguageClient('vclide', 'vclide', serverOptions, clientOptions);
    await client.start();
    output?.appendLine(`vclide: language server started (${command}).`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    output?.appendLine(`vclide: the language server failed to start: ${message}`);
    if (/ENOENT|EACCES/.test(message)) {
      void showMissingBinary(command, 'start the language server');
    } else {
      void vscode.window
        .showErrorMessage(`vclide: the language server failed to start: ${message}`, 'Show Output')
        .then((choice) => {
          if (choice) {
            output?.show(true);
          }
        });
    }
    client = undefined;
  }
}

async function stopServer(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (err) {
      output?.appendLine(`vclide: error while stopping the language server: ${String(err)}`);
    }
  }
}

async function restartServer(): Promise<void> {
  await stopServer();
  await startServer();
}

/** Runs `<vclide.path> dap` for every debug session of type "vcl". */
class VclDebugAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  async createDebugAdapterDescriptor(
    session: vscode.DebugSession,
  ): Promise<vscode.DebugAdapterDescriptor | undefined> {
    const command = await findBinary('start the VCL debugger');
    if (!command) {
      return undefined;
    }
    const cwd = session.workspaceFolder?.uri.fsPath ?? workspaceRoot();
    return new vscode.DebugAdapterExecutable(command, ['dap'], cwd ? { cwd } : undefined);
  }
}

/**
 * Fills in `program` from the active editor when a launch has none. (A new
 * launch.json gets the three configurations from package.json's
 * initialConfigurations, without activating the extension; "Select and
 * Start Debugging" gets them from the dynamic provider registered beside.)
 */
class VclDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.ProviderResult<vscode.DebugConfiguration> {
    const doc = vscode.window.activeTextEditor?.document;
    const active = doc ? { languageId: doc.languageId, fsPath: doc.uri.scheme === 'file' ? doc.uri.fsPath : '' } : undefined;
    const paths = settings(folder?.uri)
      .get<string[]>('includePaths', [])
      .map((p) => expandPath(p, folder?.uri.fsPath ?? workspaceRoot()));
    const resolved = resolveLaunch(config as LaunchConfig, active, paths);
    if (!resolved.config) {
      void vscode.window.showInformationMessage(resolved.message ?? 'Nothing to debug.');
      return undefined;
    }
    return resolved.config as vscode.DebugConfiguration;
  }
}
