import type { EventType } from '../events.js';
import {
  code,
  link,
  railwayDeploymentUrl,
  railwayServiceUrl,
  safeUrl,
  type DeploymentLink,
  type ServiceLink,
} from './links.js';
import { makeSafe, redactText, type SafeTextOptions } from './sanitize.js';

/** Pieces shared by the event comment (render.ts) and the status comment (status.ts). */

export interface RenderOptions extends SafeTextOptions {
  /** Defaults to GitHub's 65,536 characters. */
  limit?: number;
}

export const EVENT_EMOJI: Readonly<Record<EventType, string>> = {
  sandbox_created: '🚀',
  deployment_started: '⏳',
  deployment_succeeded: '✅',
  deployment_failed: '💥',
  step_completed: '📝',
  build_failed: '❌',
  sandbox_destroyed: '🧹',
  sandbox_refused: '⛔',
  deployment_waiting: '⏸️',
  run_stopped: '⏹️',
};

/**
 * What a Railway status means for the sandbox, in words, where the status alone would mislead:
 * a deployment Railway holds, one it skipped, and an app that exited (SUCCESS with every instance
 * stopped, Railway's "Completed"). The wording follows Railway's own labels (docs/railway.md, "Deployment statuses").
 */
export function deploymentNote(deployment: DeploymentLink | undefined): string | undefined {
  if (deployment === undefined) return undefined;
  if (deployment.status === 'SUCCESS' && deployment.stopped === true) {
    return 'completed: the app exited, so nothing is live';
  }
  switch (deployment.status) {
    case 'WAITING':
      return "waiting for CI: Railway deploys once the commit's GitHub checks pass";
    case 'NEEDS_APPROVAL':
      return 'awaiting approval in Railway';
    case 'SKIPPED':
      return 'skipped: a GitHub check failed while Railway waited for CI';
    case 'REMOVED':
      return 'removed before it finished';
    default:
      return undefined;
  }
}

/** The two cleaners every piece of a comment goes through: text, and link targets. */
export interface Clean {
  text: (text: string) => string;
  url: (url: string | undefined) => string | undefined;
}

export function cleaners(options: SafeTextOptions): Clean {
  return {
    text: (text) => makeSafe(text, options),
    url: (url) => safeUrl(url === undefined ? undefined : redactText(url, options)),
  };
}

export function serviceLabel(service: ServiceLink, clean: Clean): string {
  const label = code(clean.text(service.name ?? service.id));
  const withId = service.name ? `${label} (${code(clean.text(service.id))})` : label;
  return link(withId, railwayServiceUrl(service));
}

export function deploymentLabel(
  service: ServiceLink | undefined,
  deployment: DeploymentLink,
  clean: Clean,
): string {
  const label = link(code(clean.text(deployment.id)), railwayDeploymentUrl(service, deployment));
  return deployment.status ? `${label} · ${code(clean.text(deployment.status))}` : label;
}
