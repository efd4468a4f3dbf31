import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js';
import { startRailwayEmulator, type RailwayEmulator } from '../emulators/railway/index.js';
import { runBundle, type BundleRun } from './run-bundle.js';

export const GITHUB_TOKEN = 'ghs_e2eRunnerToken0001';
export const RAILWAY_TOKEN = 'rw_e2e_account_token_0001';

export interface World {
  github: GitHubEmulator;
  railway: RailwayEmulator;
  repo: string;
  issue: number;
  projectId: string;
  environmentId: string;
  /** Runs a committed bundle as the runner would for this repository and these services. */
  run(
    action: string,
    options: {
      payload: unknown;
      eventName?: string;
      inputs?: Record<string, string>;
      env?: Record<string, string>;
      entry?: 'main' | 'post';
      state?: Record<string, string>;
      killWhen?: (state: Record<string, string>) => boolean;
      killWhenSeen?: () => boolean;
    },
  ): Promise<BundleRun>;
  /** Commits a file to the default branch through the Contents API, as a person would. */
  writeFile(path: string, content: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Both emulators, seeded from a real `issues` payload, and a runner for the committed bundles
 * wired to them. Railway deployments advance one state per status read ('poll'), so the deploy
 * action's real polling loop drives them without anyone sleeping for seconds.
 */
export async function startWorld(
  payload: {
    repository?: unknown;
    issue: { number: number };
  },
  /** 'manual': deployments stay where they are until `railway.advance` (a run to be killed mid-wait). */
  progression: 'poll' | 'manual' = 'poll',
): Promise<World> {
  const github = await startGitHubEmulator();
  github.addToken(GITHUB_TOKEN, { login: 'github-actions[bot]' });
  const { repo, issueNumber } = github.seedFromWebhookPayload(payload);
  const railway = await startRailwayEmulator({ progression });
  const { projectId, environmentId } = railway.addProject({ name: 'sandboxes' });
  railway.addToken({ token: RAILWAY_TOKEN, kind: 'account' });
  return {
    github,
    railway,
    repo,
    issue: issueNumber,
    projectId,
    environmentId,
    run: (action, options) =>
      runBundle(action, {
        payload: options.payload,
        ...(options.eventName === undefined ? {} : { eventName: options.eventName }),
        ...(options.entry === undefined ? {} : { entry: options.entry }),
        ...(options.state === undefined ? {} : { state: options.state }),
        ...(options.killWhen === undefined ? {} : { killWhen: options.killWhen }),
        ...(options.killWhenSeen === undefined ? {} : { killWhenSeen: options.killWhenSeen }),
        githubToken: GITHUB_TOKEN,
        env: {
          GITHUB_REPOSITORY: repo,
          GITHUB_API_URL: github.url,
          // No fixed gap between writes (the default too; the write budget, 80 a minute, never binds here).
          TRINITY_GITHUB_WRITE_INTERVAL_MS: '0',
          // GitHub's retries keep their exact sequence, in milliseconds instead of seconds.
          TRINITY_GITHUB_TIME_BASE_MS: '1',
          ...options.env,
        },
        inputs: {
          ...(action === 'journal-step'
            ? {}
            : {
                'railway-token': RAILWAY_TOKEN,
                'railway-project-id': projectId,
                'railway-environment-id': environmentId,
                'railway-api-url': railway.url,
              }),
          ...(action === 'provision-sandbox' ? { image: 'ghcr.io/octo-org/app:latest' } : {}),
          ...(action === 'deploy-sandbox' ? { 'poll-interval-seconds': '0.01' } : {}),
          ...options.inputs,
        },
      }),
    writeFile: async (path, content) => {
      const headers = { authorization: `token ${GITHUB_TOKEN}`, 'content-type': 'application/json' };
      const existing = await fetch(`${github.url}/repos/${repo}/contents/${path}`, { headers });
      const sha = existing.ok ? ((await existing.json()) as { sha: string }).sha : undefined;
      const response = await fetch(`${github.url}/repos/${repo}/contents/${path}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({
          message: `edit ${path}`,
          content: Buffer.from(content).toString('base64'),
          sha,
        }),
      });
      if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
    },
    close: async () => {
      await Promise.all([github.close(), railway.close()]);
    },
  };
}
