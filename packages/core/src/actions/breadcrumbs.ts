import type { Publisher } from '../github/publisher.js';
import { isSandboxViewState } from '../journal/event.js';
import type { StoppedRun } from '../lifecycle/stopped.js';

/**
 * What an action's main step leaves for its `post:` step (docs/actions.md, 'Cancelled and
 * timed-out runs'). The runner runs `post:` even when the job was cancelled or timed out, and hands
 * it what main saved with `core.saveState` as `STATE_<name>` variables. Each breadcrumb is written
 * the moment it is true, so a main killed at any point leaves exactly what it had done:
 *
 * - `trinity_action`: the action's name, as soon as main starts;
 * - `trinity_published`: the last status this run published to the thread (issue, status comment,
 *   what it claimed), after each publish;
 * - `trinity_finished`: `true` once main has ended by itself, succeeded or failed; a killed main
 *   never writes it.
 */
export const BREADCRUMB = {
  action: 'trinity_action',
  published: 'trinity_published',
  finished: 'trinity_finished',
} as const;

/** Where the thread stood after this run's last publish. */
export type PublishedBreadcrumb = Omit<StoppedRun, 'action'>;

/** The publisher, each successful publish also remembered for the post step. */
export function rememberingPublishes(
  publisher: Publisher,
  remember: (name: string, value: string) => void,
): Publisher {
  return {
    publish: async (request) => {
      const result = await publisher.publish(request);
      const crumb: PublishedBreadcrumb = {
        issue: request.event.issue,
        statusCommentId: result.statusCommentId,
        status: request.status,
      };
      remember(BREADCRUMB.published, JSON.stringify(crumb));
      return result;
    },
  };
}

/** The breadcrumb back from its JSON, or undefined for anything else (no state, a corrupt one). */
export function readPublishedBreadcrumb(text: string): PublishedBreadcrumb | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const crumb = value as Partial<PublishedBreadcrumb>;
  const status = crumb.status;
  if (
    !Number.isSafeInteger(crumb.issue) ||
    (crumb.statusCommentId !== undefined && !Number.isSafeInteger(crumb.statusCommentId)) ||
    typeof status !== 'object' ||
    status === null ||
    !isSandboxViewState(status.state) ||
    typeof status.repo !== 'string'
  )
    return undefined;
  return crumb as PublishedBreadcrumb;
}
