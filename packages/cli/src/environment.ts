import { execFile } from 'node:child_process';
import type { GitHubClientOptions, RailwayClientOptions } from '@trinity/core';

/**
 * One question to git about the working copy (its top level, its origin remote): the command's
 * standard output, or undefined when git cannot answer (not a repository, no remote, no git).
 * Read-only and failure-tolerant, unlike the core's `GitRunner`, which commits and pushes.
 */
export type GitQuery = (args: readonly string[], cwd: string) => Promise<string | undefined>;

/**
 * Everything `tri` touches outside its own code, passed in so tests run the whole command in-process
 * against temp directories and the GitHub emulator. `main.ts` builds the real one.
 */
export interface CliEnvironment {
  cwd: string;
  /**
   * Environment variables (GITHUB_TOKEN, GH_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL; for `tri doctor`
   * also RAILWAY_TOKEN, RAILWAY_API_TOKEN, RAILWAY_PROJECT_ID, RAILWAY_ENVIRONMENT_ID, RAILWAY_API_URL).
   */
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The whole of standard input, for `tri agent step -`. */
  readStdin: () => Promise<string>;
  now: () => Date;
  /** git, for the working-copy root and the origin remote; defaults to the git on PATH. */
  git?: GitQuery;
  /** New session ids (tests pass a counter); defaults to random UUIDs. */
  randomId?: () => string;
  /**
   * Tuning for the GitHub client (tests pass `{ timeBaseMs: 1, writeIntervalMs: 0 }` so retries and
   * write spacing take milliseconds); production uses the client's defaults.
   */
  githubClientOptions?: Pick<GitHubClientOptions, 'timeBaseMs' | 'writeIntervalMs' | 'maxRateLimitRetries'>;
  /** Tuning for the Railway client of `tri doctor` (tests pass a clock whose sleeps take no time). */
  railwayClientOptions?: Pick<RailwayClientOptions, 'clock' | 'retries'>;
}

export const systemGit: GitQuery = (args, cwd) =>
  new Promise((resolve) => {
    execFile('git', [...args], { cwd, encoding: 'utf8', windowsHide: true }, (error, stdout) => {
      resolve(error ? undefined : stdout);
    });
  });

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The real process: its directory, variables, streams and clock. */
export function nodeEnvironment(): CliEnvironment {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readAll(process.stdin),
    now: () => new Date(),
    git: systemGit,
  };
}
