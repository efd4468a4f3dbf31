import type { SandboxViewState } from '../journal/event.js';
import type { GitHubClient } from './octokit.js';
import { statusOf } from './status.js';

/** One label per sandbox state, so a repository's issue list can be filtered by it. */
export const STATE_LABELS: Record<
  Exclude<SandboxViewState, 'none'>,
  { name: string; color: string; description: string }
> = {
  provisioning: {
    name: 'sandbox: provisioning',
    color: 'c5def5',
    description: 'The issue’s Railway sandbox is being created',
  },
  deploying: {
    name: 'sandbox: deploying',
    color: '1d76db',
    description: 'The issue’s Railway sandbox is deploying',
  },
  live: { name: 'sandbox: live', color: '0e8a16', description: 'The issue’s Railway sandbox is up' },
  failed: {
    name: 'sandbox: failed',
    color: 'd93f0b',
    description: 'The issue’s Railway sandbox failed to build or deploy',
  },
  destroying: {
    name: 'sandbox: destroying',
    color: 'bfd4f2',
    description: 'The issue’s Railway sandbox is being removed',
  },
  destroyed: {
    name: 'sandbox: destroyed',
    color: 'ededed',
    description: 'The issue’s Railway sandbox was removed',
  },
  stopped: {
    name: 'sandbox: stopped',
    color: 'fef2c0',
    description: 'A run stopped mid-way (cancelled or timed out); the next run converges',
  },
  refused: {
    name: 'sandbox: refused',
    color: 'fbca04',
    description: 'No sandbox: the author or label gate said no',
  },
};

const ALL_STATE_LABELS = new Set(Object.values(STATE_LABELS).map((label) => label.name.toLowerCase()));

/**
 * Moves the issue to the label of `state`: the label is created on first use (with our colour and
 * description; "already exists" is fine; not asked at all when the run's read saw it), added, and any other sandbox-state label removed. Called
 * only when the state changes, so a journal step costs no label requests. An issue without a
 * sandbox (`none`) gets no label.
 */
export async function applyStateLabel(
  octokit: GitHubClient,
  target: { owner: string; repo: string; issue: number },
  state: SandboxViewState,
  /** The repository's sandbox-state labels (lower-cased) when a read just listed them. */
  repositoryLabels?: ReadonlySet<string>,
): Promise<void> {
  const { owner, repo, issue } = target;
  if (state === 'none') return;
  const wanted = STATE_LABELS[state];
  if (repositoryLabels?.has(wanted.name.toLowerCase()) !== true) {
    try {
      await octokit.rest.issues.createLabel({ owner, repo, ...wanted });
    } catch (error) {
      if (statusOf(error) !== 422) throw error;
    }
  }
  const { data: current } = await octokit.rest.issues.addLabels({
    owner,
    repo,
    issue_number: issue,
    labels: [wanted.name],
  });
  for (const label of current) {
    const name = label.name;
    if (name.toLowerCase() === wanted.name.toLowerCase() || !ALL_STATE_LABELS.has(name.toLowerCase()))
      continue;
    try {
      await octokit.rest.issues.removeLabel({ owner, repo, issue_number: issue, name });
    } catch (error) {
      // Someone removed it meanwhile: the end state is what we wanted.
      if (statusOf(error) !== 404) throw error;
    }
  }
}
