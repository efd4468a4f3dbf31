// `npm run test:live` pointed at the emulators: proves the live suites run, record fixtures and strip
// secrets, without an account. What the real services answer is only known from a real run.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js';
import { startRailwayEmulator, type RailwayEmulator } from '../emulators/railway/index.js';
import { repoRoot } from '../support/action-metadata.js';
import { runProcess } from '../support/process.js';

const RAILWAY_TOKEN = 'rw_live_dry_run_token_0001';
const GH_TOKEN = 'ghs_liveDryRunToken0001';

let railway: RailwayEmulator;
let github: GitHubEmulator;
beforeAll(async () => {
  railway = await startRailwayEmulator({ progression: 'poll' });
  github = await startGitHubEmulator();
});
afterAll(async () => {
  await railway.close();
  await github.close();
});

describe('npm run test:live, dry run against the emulators', () => {
  it('runs both suites, records fixtures, and writes no token into them', async () => {
    const { projectId } = railway.addProject({ name: 'throwaway' });
    railway.addToken({ token: RAILWAY_TOKEN, kind: 'account' });
    github.addToken(GH_TOKEN, { login: 'octocat' });
    github.createRepo('octo-org/live-test', { files: { 'README.md': '# live\n' } });
    github.seedIssue('octo-org/live-test', { number: 1, title: 'scratch' });
    const out = mkdtempSync(join(tmpdir(), 'trinity-live-'));

    const run = await runProcess(
      process.execPath,
      [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.live.config.ts'],
      {
        cwd: repoRoot,
        env: {
          // The nested vitest must not think it is a worker of this one.
          ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST'))),
          NO_COLOR: '1',
          RAILWAY_TOKEN,
          RAILWAY_LIVE_PROJECT_ID: projectId,
          RAILWAY_LIVE_API_URL: railway.url,
          RAILWAY_LIVE_POLL_MS: '0',
          GH_TOKEN,
          GH_LIVE_REPO: 'octo-org/live-test',
          GH_LIVE_ISSUE: '1',
          GITHUB_API_URL: github.url,
          TRINITY_LIVE_RECORD_DIR: out,
        },
      },
    );

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Tests +6 passed/);
    const railwayCases = readdirSync(join(out, 'railway')).sort();
    expect(railwayCases).toEqual(
      expect.arrayContaining([
        'unknown-project-token.json',
        'service-create-duplicate.json',
        'deploymentLogs-limit-2.json',
      ]),
    );
    expect(readdirSync(join(out, 'github'))).toEqual(
      expect.arrayContaining(['comment-too-long.json', 'commit-race.json', 'issue-missing.json']),
    );
    // A race's fixture is its losing write: GraphQL's STALE_DATA, on HTTP 200.
    const race = JSON.parse(readFileSync(join(out, 'github', 'commit-race.json'), 'utf8')) as {
      answer: { status: number; errors?: { type?: string }[] };
    };
    expect(race.answer.status).toBe(200);
    expect(race.answer.errors?.[0]?.type).toBe('STALE_DATA');
    for (const service of ['railway', 'github']) {
      for (const file of readdirSync(join(out, service))) {
        const text = readFileSync(join(out, service, file), 'utf8');
        expect(text).not.toContain(RAILWAY_TOKEN);
        expect(text).not.toContain(GH_TOKEN);
        expect(text).not.toMatch(/canary-[0-9a-f]{24}/);
      }
    }
    // Nothing billing was left behind.
    expect(railway.state.services(projectId)).toHaveLength(0);
  });
});
