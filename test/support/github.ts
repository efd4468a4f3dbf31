import { createGitHubClient, createRecordingLogger, type GitHubClient } from '@trinity/core';
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js';
import { perTest } from './per-test.js';

export const REPO = 'octo-org/sandbox-demo';
export const TOKEN = 'ghs_emulatortoken0001';

export interface GitHubFixture {
  emulator: GitHubEmulator;
  octokit: GitHubClient;
  logger: ReturnType<typeof createRecordingLogger>;
  /** The emulator's clock: tests move it on to make earlier comments old. */
  clock: { now: number; advance(ms: number): void };
  /** Requests the emulator received since the last call (or since the start). */
  takeRequests(): GitHubEmulator['requests'];
}

/** An emulator with one repository and issue #7, and a client as the product builds it. */
export async function startGitHub(): Promise<GitHubFixture> {
  const clock = {
    now: Date.parse('2026-11-20T09:00:00Z'),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const emulator = await startGitHubEmulator({ now: () => clock.now });
  emulator.addToken(TOKEN, { login: 'github-actions[bot]' });
  emulator.createRepo(REPO, { files: { 'README.md': '# demo\n' } });
  emulator.seedIssue(REPO, { number: 7, title: 'Add a cache', user: 'octocat', authorAssociation: 'OWNER' });
  const logger = createRecordingLogger();
  // Time base 1 ms and no write spacing: the exact retry sequence runs in milliseconds.
  const octokit = createGitHubClient({
    token: TOKEN,
    baseUrl: emulator.url,
    logger,
    timeBaseMs: 1,
    writeIntervalMs: 0,
  });
  let seen = 0;
  return {
    emulator,
    octokit,
    logger,
    clock,
    takeRequests() {
      const fresh = emulator.requests.slice(seen);
      seen = emulator.requests.length;
      return fresh;
    },
  };
}

/** startGitHub before each test of the file, closed after it (see perTest). */
export function gitHubPerTest(): GitHubFixture {
  return perTest(startGitHub, (fixture) => fixture.emulator.close());
}
