/**
 * `tri` as a developer runs it: the committed bundle `dist/tri/index.js` in its own process, in a
 * git working copy, with only the environment a shell would give it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runProcess } from '../../test/support/process.js';

export interface TriRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A temporary working copy holding `files` (what `git pull` would have brought), `git init`ed when
 * git is available: tri finds `.trinity/` at git's top level, else in the current directory.
 */
export function createWorkingCopy(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tri-demo-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  try {
    execFileSync('git', ['init', '--quiet', dir], { stdio: 'ignore' });
  } catch {
    // No git: tri then uses the current directory as the working-copy root, which is this one.
  }
  return dir;
}

export function runTri(
  bundle: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<TriRun> {
  return runProcess(process.execPath, [bundle, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? options.cwd, ...options.env },
  });
}

/** The experience files `tri agent step` wrote in a working copy, by name, oldest first. */
export function listExperience(dir: string): string[] {
  const path = join(dir, '.trinity', 'experience');
  return existsSync(path) ? readdirSync(path).sort() : [];
}
