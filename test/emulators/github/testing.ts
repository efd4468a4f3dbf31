/** Shared fixtures for the emulator's own tests. */
import { getOctokit } from '@actions/github';
import { startGitHubEmulator, type GitHubEmulator } from './index.js';

export const TOKEN = 'ghs_writeTokenForTests0001';
export const READ_TOKEN = 'ghs_readOnlyTokenForTests0002';
export const REPO = 'octo-org/sandbox';
export const [OWNER, NAME] = REPO.split('/') as [string, string];
/** Fixed clock: behaviour must never depend on wall time. */
export const T0 = Date.parse('2025-03-01T12:00:00Z');

export type Octokit = ReturnType<typeof getOctokit>;

export async function setup(files?: Record<string, string>) {
  let now = T0;
  const gh = await startGitHubEmulator({ now: () => now });
  gh.addToken(TOKEN);
  gh.addToken(READ_TOKEN, { login: 'reader-bot[bot]', permissions: 'read' });
  gh.createRepo(REPO, files ? { files } : {});
  const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
  return {
    gh,
    octokit,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Plain HTTP, for what Octokit would hide (redirects, exact headers, malformed requests). */
export async function raw(
  gh: GitHubEmulator,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string | null; redirect?: 'manual' | 'follow' } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' };
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token !== null) headers.authorization = `token ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${gh.url}${path}`, {
    method,
    headers,
    body:
      opts.body === undefined
        ? undefined
        : typeof opts.body === 'string'
          ? opts.body
          : JSON.stringify(opts.body),
    redirect: opts.redirect ?? 'manual',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Runs a promise expected to fail with an Octokit RequestError and returns its status and body. */
export async function failure(
  p: Promise<unknown>,
): Promise<{ status: number; data: Record<string, unknown>; headers: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    const e = err as { status?: number; response?: { data?: unknown; headers?: Record<string, unknown> } };
    return {
      status: e.status ?? 0,
      data: (e.response?.data ?? {}) as Record<string, unknown>,
      headers: e.response?.headers ?? {},
    };
  }
  throw new Error('expected the request to fail');
}
