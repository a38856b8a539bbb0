// Locating the vclide binary. No vscode import here, so the unit tests can load
// this module under plain Node.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Expands a leading ~ and ${workspaceFolder}, and makes a relative path absolute against root. */
export function expandPath(p: string, root?: string): string {
  let out = p.trim();
  if (root) {
    out = out.replace(/\$\{workspaceFolder\}/g, root);
  }
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) {
    out = path.join(os.homedir(), out.slice(1));
  }
  if (!path.isAbsolute(out) && root) {
    out = path.join(root, out);
  }
  return out;
}

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(p, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

function withWindowsExtensions(p: string, env: NodeJS.ProcessEnv): string[] {
  if (process.platform !== 'win32' || path.extname(p) !== '') {
    return [p];
  }
  const exts = (env.PATHEXT || '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean);
  return [p, ...exts.map((e) => p + e.toLowerCase()), ...exts.map((e) => p + e)];
}

/** Folders where `go install` puts binaries, which GUI-launched editors often lack on PATH. */
export function goBinDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.GOBIN) {
    dirs.push(env.GOBIN);
  }
  for (const gopath of (env.GOPATH || '').split(path.delimiter).filter(Boolean)) {
    dirs.push(path.join(gopath, 'bin'));
  }
  dirs.push(path.join(env.HOME || env.USERPROFILE || os.homedir(), 'go', 'bin'));
  return dirs;
}

/**
 * Returns the absolute path of the executable named by `configured` (a path, or
 * a command name looked up on PATH and then in the Go bin folders), or
 * undefined when there is none.
 */
export function resolveExecutable(
  configured: string,
  root?: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const name = configured.trim() || 'vclide';
  const looksLikePath = name.includes('/') || name.includes('\\') || name.startsWith('~') || name.includes('${');
  if (looksLikePath) {
    const full = expandPath(name, root);
    return withWindowsExtensions(full, env).find(isExecutableFile);
  }
  const dirs = (env.PATH || env.Path || '').split(path.delimiter).filter(Boolean);
  for (const dir of [...dirs, ...goBinDirs(env)]) {
    const hit = withWindowsExtensions(path.join(dir, name), env).find(isExecutableFile);
    if (hit) {
      return hit;
    }
  }
  return undefined;
}
