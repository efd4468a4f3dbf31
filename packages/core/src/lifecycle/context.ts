import type { CommitBackend } from '../commit/types.js';
import { parseFarm } from '../farm/parse.js';
import { emptyFarm, type Farm } from '../farm/types.js';
import type { GitHubClient } from '../github/octokit.js';
import type { Publisher } from '../github/publisher.js';
import type { Logger } from '../logger.js';

/**
 * Everything a lifecycle operation touches, each behind an interface so the actions, the demo and
 * the tests build it differently: real clients on a runner, emulators in tests, a fake clock where
 * waiting would be slow.
 */
export interface LifecycleContext {
  owner: string;
  repo: string;
  octokit: GitHubClient;
  publisher: Publisher;
  commits: CommitBackend;
  farmPath: string;
  logger: Logger;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** The workflow run, for links and for keys of events that have no Railway identity. */
  run: { id: string | undefined; attempt: string | undefined; url: string | undefined };
  /** Values to redact from everything posted, committed or archived. */
  secrets: readonly string[];
  /** Hides values learned during the run from the job's log (`::add-mask::` on a runner). */
  mask: (values: readonly string[]) => void;
}

/** The farm as the branch head has it: what this run converges from. */
export async function readFarm(context: Pick<LifecycleContext, 'commits' | 'farmPath'>): Promise<Farm> {
  const text = await context.commits.read(context.farmPath);
  return text === undefined ? emptyFarm() : parseFarm(text, context.farmPath);
}

export function issueUrl(
  context: Pick<LifecycleContext, 'owner' | 'repo'>,
  serverUrl: string,
  issue: number,
): string {
  return `${serverUrl.replace(/\/+$/, '')}/${context.owner}/${context.repo}/issues/${issue}`;
}
