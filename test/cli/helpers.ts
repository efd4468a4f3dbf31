import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { runCli, type CliEnvironment } from '../../packages/cli/src/cli.js';
import { git } from '../support/git-remote.js';
import { REPO, TOKEN, startGitHub, type GitHubFixture } from '../support/github.js';

export { REPO, TOKEN };

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A working copy: a real temp directory, `git init`ed with a GitHub origin unless told otherwise. */
export function workingCopy(options: { git?: boolean; origin?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tri-cli-'));
  if (options.git !== false) {
    git(dir, 'init', '--quiet', '--initial-branch=main');
    git(dir, 'remote', 'add', 'origin', options.origin ?? `https://github.com/${REPO}.git`);
  }
  return dir;
}

/** The legacy Trinity farm file of docs/formats.md (issue 506 bound, no session/deployment/experience). */
export { LEGACY_SPEC_FILE as LEGACY_FARM } from '../unit/farm/fixtures.js';

export function writeFile(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

export function readJson(root: string, path: string): unknown {
  return JSON.parse(readFileSync(join(root, path), 'utf8')) as unknown;
}

export function listDir(root: string, path: string): string[] {
  const dir = join(root, path);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export interface Cli {
  /** Runs `tri argv` in-process in `cwd`; every run asserts the token is in none of the output. */
  run(
    argv: string[],
    options?: { stdin?: string; env?: Record<string, string | undefined> },
  ): Promise<CliRun>;
  /** The CLI's clock (ISO time of the next run is this + 1 s). */
  clock: { ms: number };
}

/**
 * `tri` against a working copy and (optionally) the GitHub emulator: GITHUB_TOKEN and GITHUB_API_URL
 * point at it, the client runs with a 1 ms time base and no write spacing, session ids count up.
 */
export function cli(cwd: string, gh?: GitHubFixture, baseEnv: Record<string, string | undefined> = {}): Cli {
  const clock = { ms: Date.parse('2026-11-25T10:00:00.000Z') };
  let sessions = 0;
  return {
    clock,
    async run(argv, options = {}) {
      clock.ms += 1000;
      let stdout = '';
      let stderr = '';
      const env: CliEnvironment = {
        cwd,
        env: {
          ...(gh === undefined ? {} : { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.emulator.url }),
          ...baseEnv,
          ...options.env,
        },
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
        readStdin: () => Promise.resolve(options.stdin ?? ''),
        now: () => new Date(clock.ms),
        randomId: () => `session-${++sessions}`,
        githubClientOptions: { timeBaseMs: 1, writeIntervalMs: 0 },
      };
      const code = await runCli(argv, env);
      expect(stdout + stderr).not.toContain(TOKEN);
      return { code, stdout, stderr };
    },
  };
}

/** The GitHub emulator with octo-org/sandbox-demo, issues #7 and #506. */
export async function github(): Promise<GitHubFixture> {
  const gh = await startGitHub();
  gh.emulator.seedIssue(REPO, { number: 506, title: 'Sandbox per issue', user: 'octocat' });
  return gh;
}
