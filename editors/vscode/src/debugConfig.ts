// Launch configurations for the "vcl" debugger: the three offered to the
// user, and how a launch without a program gets one. No vscode import here,
// so the unit tests can load this module under plain Node.

/** The debug type vclide's adapter registers. */
export const DEBUG_TYPE = 'vcl';

/** A launch configuration (the fields are listed in dap/launch_fields.json). */
export interface LaunchConfig {
  type?: string;
  request?: string;
  name?: string;
  program?: string;
  scenario?: string;
  includePaths?: string[];
  [field: string]: unknown;
}

/** The editor's active document, as far as resolving a launch needs it. */
export interface ActiveDocument {
  languageId: string;
  fsPath: string;
}

/** The three configurations the extension offers (the same as the Neovim plugin's). */
export function launchConfigurations(): LaunchConfig[] {
  return [
    {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Debug a request',
      program: '${file}',
      requests: [{ method: 'GET', url: '/', headers: {} }],
      stopOnEntry: false,
    },
    {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Debug a scenario',
      program: '${file}',
      scenario: '${workspaceFolder}/scenario.yaml',
    },
    {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Debug live requests',
      program: '${file}',
      mode: 'serve',
      listen: '127.0.0.1:8080',
      origin: 'http://127.0.0.1:3000',
    },
  ];
}

/** What resolving a launch gives: the configuration to start, or why not. */
export interface Resolved {
  config?: LaunchConfig;
  message?: string;
}

/**
 * Completes a launch before it starts. Pressing F5 with no launch.json
 * debugs one request through the active VCL file. A launch without a
 * program takes the active editor's VCL file; without one (and without a
 * scenario, which may name the VCL) the launch is refused with a message.
 * includePaths, when the launch has none, come from the settings.
 */
export function resolveLaunch(config: LaunchConfig, active: ActiveDocument | undefined, includePaths: string[]): Resolved {
  const vclFile = active && active.languageId === 'vcl' && active.fsPath ? active.fsPath : undefined;
  const out: LaunchConfig = { ...config };
  if (!out.type && !out.request && !out.name) {
    if (!vclFile) {
      return { message: 'Open a .vcl file (or add a "vcl" launch configuration) to debug.' };
    }
    Object.assign(out, launchConfigurations()[0]);
  }
  if (!out.program || out.program === '${file}') {
    if (vclFile) {
      out.program = vclFile;
    } else if (!out.program && !out.scenario) {
      return { message: 'This launch has no "program": open the .vcl file to debug, or set "program" (or a "scenario" that names it).' };
    } else if (out.program === '${file}') {
      return { message: 'The active editor is not a .vcl file: open the VCL to debug, or set "program" in the launch configuration.' };
    }
  }
  if (out.includePaths === undefined && includePaths.length > 0) {
    out.includePaths = includePaths;
  }
  return { config: out };
}

/** The argument of the "debug test" code lens (from the language server). */
export interface TestLensArgs {
  uri: string;
  name?: string;
  program?: string;
}

/**
 * The launch configuration of the "debug test" code lens: "mode": "test"
 * on the lens's test file, filtered to its test when it names one.
 */
export function testLaunch(args: TestLensArgs, fsPath: (uri: string) => string): LaunchConfig {
  const tests = fsPath(args.uri);
  const config: LaunchConfig = {
    type: DEBUG_TYPE,
    request: 'launch',
    name: args.name ? `Debug VCL test ${args.name}` : 'Debug VCL tests',
    mode: 'test',
    tests,
  };
  if (args.program) {
    config.program = args.program;
  }
  if (args.name) {
    config.filter = args.name;
  }
  return config;
}
