import type { Deployment } from '../railway/types.js';
import type { LifecycleResult } from './result.js';
import type { Outcome } from './outcome.js';
import { isCompleted } from './wait.js';

// What deploy tells the job and the user: outputs, the summary, and why a deployment failed.

export function deployResult(
  issueNumber: number,
  id: string,
  status: string,
  url: string | undefined,
  what: string,
  commentUrl?: string,
): LifecycleResult {
  return {
    outputs: { 'deployment-id': id, 'deployment-status': status, url: url ?? '' },
    report: {
      title: `Deployment for issue #${issueNumber}`,
      rows: [
        ['What happened', what],
        ['Deployment', id],
        ['Railway status', status],
        ['URL', url ?? '—'],
        ...(commentUrl ? ([['Comment', commentUrl]] as Array<[string, string]>) : []),
      ],
      notes: [],
    },
  };
}

/** The job summary's "What happened", in the words the comments use. */
export function whatHappened(outcome: Outcome, deployment: Deployment): string {
  if (isCompleted(deployment)) return 'completed (the app exited)';
  switch (deployment.status) {
    case 'WAITING':
      return 'waiting for CI';
    case 'NEEDS_APPROVAL':
      return 'awaiting approval';
    case 'SKIPPED':
      return 'skipped (a GitHub check failed)';
    default:
      return outcome.type.replace(/_/g, ' ');
  }
}

export function failureMessage(
  issue: number,
  deployment: Deployment,
  outcome: Outcome,
  where: string,
): string {
  const subject = `deployment ${deployment.id} of issue #${issue}'s sandbox`;
  if (isCompleted(deployment)) {
    return (
      `The app of ${subject} exited by itself (Railway: SUCCESS with every instance stopped, "Completed"), so ` +
      `nothing is live. A sandbox needs a process that keeps running: check the start command. Its log tail is in ${where}.`
    );
  }
  if (deployment.status === 'SKIPPED') {
    return (
      `Railway skipped ${subject}: a GitHub check of the commit failed while Railway waited for CI. Fix the ` +
      `check (or turn off "Wait for CI" for the service on Railway), then re-run this job. See ${where}.`
    );
  }
  if (deployment.status === 'REMOVED') {
    return (
      `${subject[0]?.toUpperCase() ?? ''}${subject.slice(1)} was removed on Railway before it finished, and no newer ` +
      `deployment replaced it. Re-run this job to deploy again. See ${where}.`
    );
  }
  const what = outcome.type === 'build_failed' ? 'The build' : 'The deployment';
  return `${what} of issue #${issue}'s sandbox failed (${deployment.status}); the redacted log tail is in ${where}.`;
}
